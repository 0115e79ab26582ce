"""Figure 5: five failures per e-mail + client address lock that pair for an hour."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import PASSWORD


def _attempt(client, email, password="wrong password", **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def _fail_five_times(client, email="kim@jour.test", **extra):
    for _ in range(5):
        _attempt(client, email, **extra)


def test_five_failures_lock_even_the_right_password(client, people):
    for _ in range(4):
        assert _attempt(client, "kim@jour.test").status_code == 200
    response = _attempt(client, "kim@jour.test")
    assert response.status_code == 429
    response = _attempt(client, "kim@jour.test", PASSWORD)
    assert response.status_code == 429
    assert "spärrad i 1 timme" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_changing_the_case_of_the_address_does_not_help(client, people):
    _fail_five_times(client, "kim@jour.test")
    assert _attempt(client, "KIM@Jour.Test", PASSWORD).status_code == 429


def test_a_forged_forwarded_for_header_does_not_help(client, people):
    _fail_five_times(client)
    response = _attempt(client, "kim@jour.test", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 429


def test_other_users_on_the_same_address_can_still_log_in(client, people):
    _fail_five_times(client, "kim@jour.test")
    response = _attempt(Client(), "alex@jour.test", PASSWORD)
    assert response.status_code == 302


def test_the_same_user_from_another_address_is_not_locked(client, people):
    _fail_five_times(client, REMOTE_ADDR="198.51.100.7")
    assert _attempt(Client(), "kim@jour.test", PASSWORD, REMOTE_ADDR="198.51.100.8").status_code == 302


@pytest.fixture
def behind_one_proxy(settings):
    settings.JOUR_TRUSTED_PROXY_COUNT = 1


def test_behind_the_proxy_the_client_address_comes_from_the_proxy(client, people, behind_one_proxy):
    # The proxy appends the real client; whatever the client wrote stays to the left.
    proxy = {"REMOTE_ADDR": "172.18.0.5"}
    for _ in range(5):
        _attempt(client, "kim@jour.test", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.20", **proxy)
    locked = _attempt(client, "kim@jour.test", PASSWORD, HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.20", **proxy)
    assert locked.status_code == 429
    other_client = _attempt(Client(), "kim@jour.test", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.21", **proxy)
    assert other_client.status_code == 302


def test_success_resets_the_count(client, people):
    for _ in range(4):
        _attempt(client, "kim@jour.test")
    assert _attempt(client, "kim@jour.test", PASSWORD).status_code == 302
    other = Client()
    for _ in range(4):
        assert _attempt(other, "kim@jour.test").status_code == 200
