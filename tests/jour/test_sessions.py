"""Figure 6: sessions end when they should."""

import time
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jour import services as accounts
from jour.middleware import SESSION_STARTED_KEY
from tests.personas import login_verified


def _start_page_opens(client) -> bool:
    return client.get(reverse("start")).status_code == 200


def test_logout_kills_the_session(client, people):
    login_verified(client, people.alex)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not _start_page_opens(client)


def test_deactivation_ends_open_sessions_at_once(client, people):
    login_verified(client, people.alex)
    phone = Client()
    login_verified(phone, people.alex)
    assert _start_page_opens(client) and _start_page_opens(phone)

    accounts.deactivate_user(user=people.alex, by=people.coordinator)

    assert not _start_page_opens(client)
    assert not _start_page_opens(phone)
    user_sessions = [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(people.alex.pk)]
    assert user_sessions == []


def test_reactivation_does_not_revive_old_sessions(client, people):
    login_verified(client, people.alex)
    stolen_cookie = client.cookies["sessionid"].value
    accounts.deactivate_user(user=people.alex, by=people.coordinator)
    accounts.reactivate_user(user=people.alex, by=people.coordinator)
    thief = Client()
    thief.cookies["sessionid"] = stolen_cookie
    assert not _start_page_opens(thief)


def test_deactivated_account_cannot_log_in(client, people):
    from tests.personas import PASSWORD

    accounts.deactivate_user(user=people.alex, by=people.coordinator)
    response = client.post(reverse("login"), {"username": "alex@jour.test", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_reset_ends_sessions_and_removes_devices(client, people):
    login_verified(client, people.alex)
    accounts.reset_access(user=people.alex, by=people.coordinator)
    assert not _start_page_opens(client)
    people.alex.refresh_from_db()
    assert not people.alex.has_usable_password()
    assert not people.alex.totpdevice_set.exists()


def test_password_change_ends_other_sessions(client, people):
    login_verified(client, people.alex)
    people.alex.set_password("another long passphrase 42")
    people.alex.save()
    assert not _start_page_opens(client)


def test_idle_timeout_is_thirty_minutes_from_the_last_renewal(client, people, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    login_verified(client, people.alex)
    client.get(reverse("start"))
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = (session.expire_date.timestamp() - time.time()) / 60
    assert 29 < remaining <= 30


def test_activity_renews_the_idle_timeout_with_one_write_a_minute_at_most(client, people, settings):
    """Renewing on every request cost a write per page; renewing once a minute
    keeps the idle limit within a minute of thirty."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jour.middleware import SESSION_RENEWED_KEY

    settings.SESSION_RENEW_SECONDS = 60  # as in production (the test profile renews hourly)
    login_verified(client, people.alex)
    client.get(reverse("start"))
    key = client.session.session_key

    def session_writes():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("start")).status_code == 200
        return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]

    assert session_writes() == []  # renewed a moment ago
    session = client.session
    session[SESSION_RENEWED_KEY] = time.time() - 61
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=5))
    assert len(session_writes()) == 1
    remaining = (Session.objects.get(session_key=key).expire_date.timestamp() - time.time()) / 60
    assert 29 < remaining <= 30


def test_an_expired_session_is_not_accepted(client, people):
    login_verified(client, people.alex)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date="2000-01-01T00:00:00Z")
    assert not _start_page_opens(client)


def test_absolute_timeout_logs_out_an_active_session(client, people, settings):
    login_verified(client, people.alex)
    assert _start_page_opens(client)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("start"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not _start_page_opens(client)
