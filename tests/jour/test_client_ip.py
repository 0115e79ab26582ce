from django.test import RequestFactory

from jour.lockout import client_ip


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
