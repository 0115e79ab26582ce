import pytest
from django.test import RequestFactory

from jour.lockout import client_ip, lockout_address


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_without_a_proxy_forwarded_for_is_ignored(settings):
    settings.JOUR_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6")) == "10.0.0.2"


def test_with_one_proxy_the_right_most_entry_is_the_client(settings):
    settings.JOUR_TRUSTED_PROXY_COUNT = 1
    request = _request(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.4")
    assert client_ip(request) == "203.0.113.4"


def test_garbage_or_missing_entries_fall_back_to_the_peer(settings):
    settings.JOUR_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="not-an-ip")) == "172.18.0.5"
    assert client_ip(_request(REMOTE_ADDR="172.18.0.5")) == "172.18.0.5"
    settings.JOUR_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="203.0.113.4")) == "172.18.0.5"


@pytest.mark.parametrize(
    ("remote", "counted"),
    [
        ("203.0.113.4", "203.0.113.4"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::"),
        ("2001:db8:1:3::1", "2001:db8:1:3::"),
        ("::ffff:203.0.113.4", "203.0.113.4"),
        ("::1", "::"),
        ("not-an-ip", "not-an-ip"),
    ],
)
def test_the_lockout_counts_an_ipv6_client_by_its_64_network(settings, remote, counted):
    settings.JOUR_TRUSTED_PROXY_COUNT = 0
    request = _request(REMOTE_ADDR=remote)
    assert lockout_address(request) == counted
    assert client_ip(request) == remote  # the audit trail keeps the address itself


def test_behind_the_proxy_the_network_is_the_clients(settings):
    settings.JOUR_TRUSTED_PROXY_COUNT = 1
    request = _request(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="2001:db8:9:9::1, 2001:db8:1:2::77")
    assert lockout_address(request) == "2001:db8:1:2::"
