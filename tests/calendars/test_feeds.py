"""Private iCalendar feeds: a secret URL that calendar apps read without logging in.

The URL is shown once; only the token's SHA-256 is stored; a new URL, turning
the feed off or deactivating the account stops the old one at once; the feed
holds exactly what the person's calendar shows, and no notes; and the secret
path reaches no log.
"""

import hashlib
import logging
import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from calendars import feeds
from calendars.models import Appointment, AppointmentKind, FeedToken
from jour.logfilters import RedactFeedTokens
from jour.services import deactivate_user, reactivate_user
from tests.cases.factories import SEEKER, assign, make_case

from .helpers import client_for, plan, working_day_ahead

K = AppointmentKind
FEED_URL = re.compile(r'value="(https?://[^"]*/calendar/feed/[^"]+\.ics)"')


@pytest.fixture
def world(people):
    kim, alex, sam = people.coordinator, people.alex, people.sam
    alex_case = make_case(kim)
    assign(alex_case, alex, by=kim)
    sam_case = make_case(kim)
    assign(sam_case, sam, by=kim)
    day = working_day_ahead(7)
    past = timezone.localdate() - timedelta(days=30)
    far = timezone.localdate() + timedelta(days=feeds.FUTURE_DAYS + 30)
    a = {
        "alex_meeting": plan(K.MEETING, by=kim, day=day, hour=9, case=alex_case, participants=[alex], title="Första"),
        "alex_past_court": plan(K.COURT, by=kim, day=past, hour=9, case=alex_case, participants=[alex]),
        "sam_meeting": plan(K.MEETING, by=kim, day=day, hour=10, case=sam_case, participants=[sam], place="Rum 1"),
        "alex_supervision": plan(K.INDIVIDUAL_SUPERVISION, by=kim, day=day, hour=12, participants=[alex, kim]),
        "group": plan(K.GROUP_SUPERVISION, by=kim, day=day, hour=13),
        "board": plan(K.BOARD, by=kim, day=day, hour=16, title="Styrelsemöte"),
        # Beyond the feed's window: in nobody's feed.
        "far_board": plan(K.BOARD, by=kim, day=far, hour=16),
    }
    return SimpleNamespace(people=people, a=a, alex_case=alex_case, sam_case=sam_case)


FEED_HOLDS = {
    "coordinator": {"alex_meeting", "alex_past_court", "sam_meeting", "alex_supervision", "group", "board"},
    "alex": {"alex_meeting", "alex_past_court", "alex_supervision", "group", "board"},
    "sam": {"sam_meeting", "group", "board"},
    "board": {"board"},
    "auditor": {"board"},
}


def make_feed(user) -> tuple[str, str]:
    """Make a feed address through the settings page, as a person does. Returns (path, token)."""
    client = client_for(user)
    response = client.post(reverse("feed_settings"), {"action": "create"})
    assert response.status_code == 200
    urls = FEED_URL.findall(response.content.decode())
    assert len(urls) == 1
    path = urlsplit(urls[0]).path
    token = path.removeprefix("/calendar/feed/").removesuffix(".ics")
    assert path == reverse("calendar_feed", args=[token])
    return path, token


def read_feed(path: str):
    """A calendar app reading the feed: no session, no cookies."""
    return Client().get(path)


def events_of(response) -> dict[int, object]:
    calendar = Calendar.from_ical(response.content)
    events = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        match = re.fullmatch(r"appointment-(\d+)@.+", uid)
        assert match, uid
        events[int(match.group(1))] = event
    return events


def pks(world, names) -> set[int]:
    return {world.a[name].pk for name in names}


# --- making and reading a feed ------------------------------------------------------


def test_a_new_feed_address_is_shown_once_and_opens_the_feed_without_login(world):
    alex = world.people.alex
    client = client_for(alex)
    before = client.get(reverse("feed_settings"))
    assert before.status_code == 200 and not FEED_URL.search(before.content.decode())

    response = client.post(reverse("feed_settings"), {"action": "create"})
    assert response.status_code == 200
    page = response.content.decode()
    (url,) = FEED_URL.findall(page)
    token = urlsplit(url).path.removeprefix("/calendar/feed/").removesuffix(".ics")
    assert len(token) >= 40
    assert page.count(token) == 1

    # Shown once: the settings page never shows it again.
    again = client.get(reverse("feed_settings"))
    assert again.status_code == 200
    assert token not in again.content.decode() and not FEED_URL.search(again.content.decode())

    feed = read_feed(urlsplit(url).path)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    assert "no-store" in feed["Cache-Control"]
    assert "Set-Cookie" not in feed.headers and not feed.cookies
    calendar = Calendar.from_ical(feed.content)
    assert calendar["VERSION"] == "2.0"
    assert set(events_of(feed)) == pks(world, FEED_HOLDS["alex"])
    assert token not in feed.content.decode()
    assert FeedToken.objects.get(user=alex).last_used_at is not None


@pytest.mark.parametrize("persona", list(FEED_HOLDS))
def test_a_feed_holds_what_the_persons_calendar_holds_and_no_notes(world, persona):
    user = getattr(world.people, persona)
    path, _token = make_feed(user)
    response = read_feed(path)
    assert response.status_code == 200
    events = events_of(response)
    assert set(events) == pks(world, FEED_HOLDS[persona])
    # The same rule as the calendar pages, within the feed's window.
    visible = set(Appointment.objects.visible_to(user).values_list("pk", flat=True)) - pks(world, {"far_board"})
    assert set(events) == visible
    raw = response.content.decode().replace("\r\n ", "")
    assert "DESCRIPTION" not in raw
    assert SEEKER["notes"] not in raw and SEEKER["last_name"] not in raw
    for pk, event in events.items():
        appointment = Appointment.objects.select_related("case").get(pk=pk)
        assert event.decoded("DTSTART") == appointment.starts_at
        assert event.decoded("DTEND") == appointment.ends_at
        # Kind and first name (or case number): nothing anybody typed leaves the site.
        assert str(event["SUMMARY"]) == appointment.outside_summary
        assert str(event.get("LOCATION", "")) == appointment.outside_place
        assert appointment.place == "" or appointment.place not in raw
        assert str(event["URL"]).endswith(reverse("appointment_detail", args=[pk]))
        assert str(event["CLASS"]) == "PRIVATE"


def test_sams_feed_lacks_alexs_meeting_and_the_boards_has_board_meetings_only(world):
    sam_events = events_of(read_feed(make_feed(world.people.sam)[0]))
    assert world.a["alex_meeting"].pk not in sam_events
    assert world.a["alex_supervision"].pk not in sam_events
    board_events = events_of(read_feed(make_feed(world.people.board)[0]))
    kinds = set(Appointment.objects.filter(pk__in=board_events).values_list("kind", flat=True))
    assert kinds == {K.BOARD}


def test_the_feed_follows_the_case_assignment(world):
    """A feed is read, not copied: when the case is no longer Alex's, its meeting leaves Alex's feed."""
    from cases.models import Assignment
    from cases.services import end_assignment

    path, _token = make_feed(world.people.alex)
    assert world.a["alex_meeting"].pk in events_of(read_feed(path))
    assignment = Assignment.objects.get(case=world.alex_case, person=world.people.alex)
    end_assignment(assignment=assignment, by=world.people.coordinator)
    events = events_of(read_feed(path))
    assert world.a["alex_meeting"].pk not in events and world.a["alex_past_court"].pk not in events
    assert world.a["board"].pk in events


# --- the token -----------------------------------------------------------------------


def _text_columns():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() "
            "AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')"
        )
        return cursor.fetchall()


def _columns_holding(value: str) -> list[str]:
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            cursor.execute(
                f"SELECT count(*) FROM {quote(table)} WHERE strpos({quote(column)}::text, %s) > 0",  # noqa: S608
                [value],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def test_only_the_tokens_digest_is_stored_and_nothing_logs_the_token(world, caplog):
    caplog.set_level(logging.DEBUG)
    alex = world.people.alex
    path, token = make_feed(alex)
    assert read_feed(path).status_code == 200

    row = FeedToken.objects.get(user=alex)
    assert row.token_sha256 != token
    assert row.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_sha256
    # Nowhere in the database: no text column of any table holds the token...
    assert _columns_holding(token) == []
    # ...while the same search does find the digest (the search works).
    assert _columns_holding(row.token_sha256) == ["calendars_feedtoken.token_sha256"]
    # The audit log holds neither.
    for entry in LogEntry.objects.all():
        text = f"{entry.object_repr} {entry.changes} {entry.additional_data} {entry.changes_text}"
        assert token not in text and row.token_sha256 not in text
    # No log record.
    for record in caplog.records:
        assert token not in record.getMessage(), record.name


def test_a_new_address_stops_the_old_one(world):
    alex = world.people.alex
    old_path, old_token = make_feed(alex)
    assert read_feed(old_path).status_code == 200
    new_path, new_token = make_feed(alex)
    assert new_token != old_token
    assert read_feed(old_path).status_code == 404
    assert read_feed(new_path).status_code == 200
    assert FeedToken.objects.filter(user=alex).count() == 1


def test_turning_the_feed_off_stops_it(world):
    alex = world.people.alex
    path, _token = make_feed(alex)
    client = client_for(alex)
    response = client.post(reverse("feed_settings"), {"action": "revoke"})
    assert response.status_code == 302 and response.url == reverse("feed_settings")
    assert read_feed(path).status_code == 404
    assert not FeedToken.objects.filter(user=alex).exists()
    # Turning off what is already off is harmless.
    assert client.post(reverse("feed_settings"), {"action": "revoke"}).status_code == 302


def test_an_unknown_action_is_refused(world):
    client = client_for(world.people.alex)
    assert client.post(reverse("feed_settings"), {"action": "show"}).status_code == 400
    assert not FeedToken.objects.exists()


def test_deactivating_the_account_stops_the_feed_at_once(world):
    kim, alex = world.people.coordinator, world.people.alex
    path, _token = make_feed(alex)
    assert read_feed(path).status_code == 200
    deactivate_user(user=alex, by=kim)
    assert read_feed(path).status_code == 404
    assert not FeedToken.objects.filter(user=alex).exists()
    # Coming back later does not bring the old address back.
    reactivate_user(user=alex, by=kim)
    assert read_feed(path).status_code == 404


def test_an_account_made_inactive_otherwise_has_no_feed_either(world):
    alex = world.people.alex
    path, _token = make_feed(alex)
    alex.is_active = False
    alex.save(update_fields=["is_active"])
    # The row is still there; the lookup itself refuses an inactive account.
    assert FeedToken.objects.filter(user=alex).exists()
    assert read_feed(path).status_code == 404
    alex.is_active = True
    alex.save(update_fields=["is_active"])
    assert read_feed(path).status_code == 200


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda token, digest: "x", id="short"),
        pytest.param(lambda token, digest: "A" * 43, id="unknown"),
        pytest.param(lambda token, digest: token[:-1], id="truncated"),
        pytest.param(lambda token, digest: token + "A", id="extended"),
        pytest.param(lambda token, digest: token.swapcase(), id="other case"),
        pytest.param(lambda token, digest: token * 3, id="overlong"),
        pytest.param(lambda token, digest: "A" * 5000, id="very long"),
        pytest.param(lambda token, digest: digest, id="the stored digest"),
    ],
)
def test_a_wrong_token_is_not_found(world, mangle):
    path, token = make_feed(world.people.alex)
    digest = FeedToken.objects.get(user=world.people.alex).token_sha256
    wrong = mangle(token, digest)
    assert wrong != token
    response = read_feed(reverse("calendar_feed", args=[wrong]))
    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content
    assert read_feed(path).status_code == 200


# --- logs -------------------------------------------------------------------------


def test_a_refused_feed_request_is_not_logged(world, caplog):
    caplog.set_level(logging.DEBUG, logger="django.request")
    alex = world.people.alex
    path, token = make_feed(alex)
    caplog.clear()
    # The capture works: an ordinary 404 is logged by django.request...
    assert Client().get("/calendar/no-such-page/").status_code == 404
    assert any(r.name == "django.request" for r in caplog.records)
    caplog.clear()

    unknown = "B" * 43
    assert read_feed(reverse("calendar_feed", args=[unknown])).status_code == 404
    alex.is_active = False
    alex.save(update_fields=["is_active"])
    assert read_feed(path).status_code == 404
    # ...but a refused feed is not, neither with its path nor redacted.
    assert [r.getMessage() for r in caplog.records if r.name == "django.request"] == []
    for record in caplog.records:
        assert token not in record.getMessage() and unknown not in record.getMessage()


def test_what_django_does_log_about_a_feed_url_is_redacted(world, caplog):
    """A feed URL with the wrong method is logged by Django (405); the configured
    handler's filter redacts the secret path before any later handler sees it."""
    caplog.set_level(logging.DEBUG, logger="django.request")
    path, token = make_feed(world.people.alex)
    caplog.clear()
    assert Client().post(path).status_code == 405
    messages = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert messages  # Django did log it...
    assert all(token not in message for message in messages)  # ...without the token
    assert any("/calendar/feed/[redacted]" in message for message in messages)


def test_every_configured_log_handler_filters_feed_tokens():
    assert settings.LOGGING["filters"]["tokens"]["()"] == "jour.logfilters.RedactTokens"
    for name, handler in settings.LOGGING["handlers"].items():
        assert "tokens" in handler.get("filters", []), name
    live = [h for h in logging.getLogger().handlers if any(isinstance(f, RedactFeedTokens) for f in h.filters)]
    assert live


@pytest.mark.parametrize(
    ("msg", "args", "expected"),
    [
        ("Not Found: %s", ("/calendar/feed/s3cr3t-TOKEN_x.ics",), "Not Found: /calendar/feed/[redacted]"),
        (
            '"GET /calendar/feed/s3cr3t-TOKEN_x.ics HTTP/1.1" 404 0',
            (),
            '"GET /calendar/feed/[redacted] HTTP/1.1" 404 0',
        ),
        (
            "Method Not Allowed (%s): %s",
            ("POST", "https://jour.example/calendar/feed/s3cr3t-TOKEN_x.ics"),
            "Method Not Allowed (POST): https://jour.example/calendar/feed/[redacted]",
        ),
        (
            "%s and %s",
            ("/calendar/feed/s3cr3t-TOKEN_x.ics", "/calendar/feed/s3cr3t-TOKEN_x.ics"),
            "/calendar/feed/[redacted] and /calendar/feed/[redacted]",
        ),
        ("Fetched /calendar/feed/s3cr3t-TOKEN_x.ics?x=1 twice", (), "Fetched /calendar/feed/[redacted]?x=1 twice"),
    ],
)
def test_the_log_filter_redacts_a_feed_path(msg, args, expected):
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, msg, args, None)
    assert RedactFeedTokens().filter(record) is True  # redacted, not dropped
    message = record.getMessage()
    assert "s3cr3t-TOKEN_x" not in message
    assert message == expected


def test_the_log_filter_leaves_other_records_alone():
    record = logging.LogRecord("jour", logging.INFO, __file__, 1, "Sent %s reminders for %s", (3, "/calendar/"), None)
    assert RedactFeedTokens().filter(record) is True
    assert (record.msg, record.args) == ("Sent %s reminders for %s", (3, "/calendar/"))
    assert record.getMessage() == "Sent 3 reminders for /calendar/"
