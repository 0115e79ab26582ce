"""Figure 5: five failures per e-mail + client address lock that pair for an hour."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jour import access
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


# -- issue 16, item 5: attempts spread over many addresses --------------------


def _from(address):
    return {"REMOTE_ADDR": address}


def test_an_ipv6_network_counts_as_one_address(client, people):
    """A /64 is what one household or one server gets: twelve of its addresses are one client."""
    for host in range(1, 6):
        _attempt(Client(), "kim@jour.test", **_from(f"2001:db8:1:2::{host:x}"))
    locked = _attempt(Client(), "kim@jour.test", PASSWORD, **_from("2001:db8:1:2:ffff:ffff:ffff:ffff"))
    assert locked.status_code == 429
    # The neighbouring network is another client.
    assert _attempt(Client(), "kim@jour.test", PASSWORD, **_from("2001:db8:1:3::1")).status_code == 302


def _spread_failures(email, count, network="198.51.100"):
    """`count` failures, each from another address (never five from one); their statuses."""
    return [_attempt(Client(), email, **_from(f"{network}.{host}")).status_code for host in range(1, count + 1)]


def test_twenty_failures_from_anywhere_lock_the_account_for_everyone(client, people):
    # Like the fifth from one address, the twentieth failure is answered with the lock.
    assert _spread_failures("kim@jour.test", 20) == [200] * 19 + [429]
    client.cookies["django_language"] = "en"
    locked = _attempt(client, "KIM@jour.test", PASSWORD, **_from("203.0.113.50"))  # a fresh address, the right password
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Logging in to this account is blocked for 1 hour" in page
    assert "from your address" not in page
    assert "_auth_user_id" not in client.session
    # Other accounts, from the very same addresses, are not affected.
    assert _attempt(Client(), "alex@jour.test", PASSWORD, **_from("198.51.100.1")).status_code == 302


def test_nineteen_failures_from_anywhere_do_not(client, people):
    assert _spread_failures("kim@jour.test", 19) == [200] * 19
    assert _attempt(client, "kim@jour.test", PASSWORD, **_from("203.0.113.50")).status_code == 302


def test_the_account_lock_ends_with_the_cool_off(client, people):
    _spread_failures("kim@jour.test", 20)
    assert _attempt(Client(), "kim@jour.test", PASSWORD, **_from("203.0.113.50")).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1, minutes=1))
    assert _attempt(client, "kim@jour.test", PASSWORD, **_from("203.0.113.50")).status_code == 302


def test_the_coordinators_are_told_once_per_lock_without_a_name_or_an_address(people, sent):
    with sent() as outbox:
        assert _spread_failures("alex@jour.test", 19) == [200] * 19
    assert outbox == []
    with sent() as outbox:
        # The 20th locks; more do not tell again.
        assert _spread_failures("alex@jour.test", 6, network="192.0.2") == [429] * 6
        assert _attempt(Client(), "alex@jour.test", PASSWORD, **_from("203.0.113.50")).status_code == 429
    assert len(outbox) == 1
    notice = outbox[0]
    coordinators = sorted(access.may_manage_accounts.users().values_list("email", flat=True))
    assert sorted(notice.to) == coordinators == ["kim@jour.test"]
    text = f"{notice.subject}\n{notice.body}"
    for personal in ("alex", "Alex", "Support", "198.51.100", "192.0.2", "203.0.113"):
        assert personal not in text
    assert reverse("account_detail", args=[people.alex.pk]) in notice.body  # which account: a link, no name
    # The audit log has it, too: for the system, on the account.
    entry = LogEntry.objects.get(additional_data__event="account_locked")
    assert (entry.object_pk, entry.actor) == (str(people.alex.pk), None)

    # A new lock, after the first has passed, is a new notice.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=2))
    LogEntry.objects.filter(pk=entry.pk).update(timestamp=timezone.now() - timedelta(hours=2))
    with sent() as outbox:
        _spread_failures("alex@jour.test", 20, network="192.0.2")
    assert len(outbox) == 1


def test_a_lock_of_one_address_tells_no_one(client, people, sent):
    with sent() as outbox:
        _fail_five_times(client, "alex@jour.test")
        _fail_five_times(client, "alex@jour.test")
    assert outbox == []
    assert not LogEntry.objects.filter(additional_data__event="account_locked").exists()


def test_an_address_without_an_account_is_locked_alike_and_tells_no_one(client, people, sent):
    """The same answer for an address without an account: the lock tells nobody which addresses exist."""
    with sent() as outbox:
        _spread_failures("nobody@jour.test", 20)
        assert _attempt(client, "nobody@jour.test", PASSWORD, **_from("203.0.113.50")).status_code == 429
    assert outbox == []


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """A block whose e-mails are collected; work queued on commit runs at its end, as after a request."""

    @contextmanager
    def block():
        mail.outbox.clear()
        outbox = []
        with django_capture_on_commit_callbacks(execute=True):
            yield outbox
        outbox.extend(mail.outbox)

    return block


def test_success_resets_the_count(client, people):
    for _ in range(4):
        _attempt(client, "kim@jour.test")
    assert _attempt(client, "kim@jour.test", PASSWORD).status_code == 302
    other = Client()
    for _ in range(4):
        assert _attempt(other, "kim@jour.test").status_code == 200
