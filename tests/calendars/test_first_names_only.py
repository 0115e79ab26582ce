"""The information-security policy: the calendar holds first names only.

A case with the full seeded identity gets an appointment of every kind that
may point at it; every calendar page, the start page, the iCalendar feed and
the reminder e-mail are rendered, and none carries the seeker's surname, phone
number, e-mail or notes. The first name does show where the seeker is shown
(so that the checks are not vacuous), except for a protected identity or an
anonymous contact, which show the case number only, and in the e-mail, which
carries no name at all.
"""

import html
from datetime import datetime, time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from calendars import feeds, reminders
from calendars.models import Appointment, AppointmentKind
from cases.retention import RULE_ERASURE, anonymise
from jour import formatting
from jour.workdays import STOCKHOLM
from tests.cases.factories import SEEKER, assign, make_case
from tests.leakguard import Matcher

from .helpers import client_for, plan, previous_working_day, working_day_ahead

K = AppointmentKind
PHONE = Matcher([SEEKER["phone"]])
ANONYMOUS = {"anonymous": True, "first_name": "", "last_name": "", "phone": "", "email": "", "notes": ""}


def forbidden_in(text: str) -> list[str]:
    """The seeker's details other than the first name that occur in a text."""
    text = html.unescape(text)
    lowered = text.lower()
    found = [value for value in (SEEKER["last_name"], SEEKER["email"], SEEKER["notes"]) if value.lower() in lowered]
    found += [f"{value} (e-mail's local part)" for value in ("fjallbrink",) if value in lowered]
    found += [f"phone {value}" for value, _position in PHONE.find(text)]
    found += ["notes"] if "seedad anteckning" in lowered else []
    return found


def seed(people, **case_fields):
    """A case (Alex's) with one appointment of every kind; those that may point at a case do."""
    kim, alex = people.coordinator, people.alex
    case = make_case(kim, **case_fields)
    assign(case, alex, by=kim)
    day = working_day_ahead(7)
    appointments = {
        K.MEETING: plan(K.MEETING, by=kim, day=day, hour=9, case=case, participants=[alex], place="Jourens kontor"),
        K.COURT: plan(
            K.COURT,
            by=kim,
            day=day,
            hour=11,
            case=case,
            participants=[alex, kim],
            place="Tingsrätten",
            room="Sal 3",
            title="Huvudförhandling",
        ),
        K.GROUP_SUPERVISION: plan(K.GROUP_SUPERVISION, by=kim, day=day, hour=13),
        K.INDIVIDUAL_SUPERVISION: plan(K.INDIVIDUAL_SUPERVISION, by=kim, day=day, hour=14, participants=[alex, kim]),
        K.BOARD: plan(K.BOARD, by=kim, day=day, hour=16, title="Styrelsemöte"),
    }
    return case, day, appointments


def calendar_pages(user, case, day, appointments) -> dict[str, str]:
    """Every calendar page the user reaches, rendered: name -> text."""
    client = client_for(user)
    iso = day.isocalendar()
    urls = {
        "start": reverse("start"),
        "this month": reverse("calendar"),
        "month": reverse("calendar_month", args=[day.year, day.month]),
        "week": reverse("calendar_week", args=[iso.year, iso.week]),
        "new appointment, from the case": reverse("appointment_create") + f"?case={case.pk}&date={day.isoformat()}",
        "feed settings": reverse("feed_settings"),
        "phone": reverse("phone_page"),
    }
    for kind, appointment in appointments.items():
        urls[f"{kind} detail"] = reverse("appointment_detail", args=[appointment.pk])
        if user.role == "coordinator" or kind in (K.MEETING, K.COURT):
            urls[f"{kind} edit"] = reverse("appointment_edit", args=[appointment.pk])
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = html.unescape(response.content.decode())
    return pages


def feed_of(user) -> tuple[str, Calendar]:
    token = feeds.create(user)
    response = Client().get(reverse("calendar_feed", args=[token]))
    assert response.status_code == 200
    raw = response.content.decode()
    return raw.replace("\r\n ", "").replace("\r\n\t", ""), Calendar.from_ical(response.content)


def summaries(calendar: Calendar) -> list[str]:
    return [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]


@pytest.mark.parametrize("persona", ["coordinator", "alex"])
def test_calendar_pages_show_the_first_name_and_nothing_more(people, persona):
    user = getattr(people, persona)
    case, day, appointments = seed(people)
    pages = calendar_pages(user, case, day, appointments)
    for name, text in pages.items():
        assert forbidden_in(text) == [], name
    # The seeker is shown, by first name, wherever an appointment of the case is listed or opened.
    for name in ("start", "month", "week", f"{K.MEETING} detail", f"{K.COURT} detail"):
        assert SEEKER["first_name"] in pages[name], name
    # The forms show the case by number.
    for name in (f"{K.MEETING} edit", f"{K.COURT} edit", "new appointment, from the case"):
        assert case.number in pages[name], name


@pytest.mark.parametrize("persona", ["coordinator", "alex"])
def test_the_feed_shows_the_first_name_and_nothing_more(people, persona):
    user = getattr(people, persona)
    case, _day, appointments = seed(people)
    raw, calendar = feed_of(user)
    assert forbidden_in(raw) == []
    assert "DESCRIPTION" not in raw
    texts = [str(event.get(name, "")) for event in calendar.walk("VEVENT") for name in ("SUMMARY", "LOCATION")]
    assert forbidden_in("\n".join(texts)) == []
    case_events = [
        str(event["SUMMARY"])
        for event in calendar.walk("VEVENT")
        if str(event["UID"]).split("@")[0] in {f"appointment-{appointments[k].pk}" for k in (K.MEETING, K.COURT)}
    ]
    assert len(case_events) == 2
    assert all(SEEKER["first_name"] in summary for summary in case_events)


def test_the_reminder_email_carries_no_name_at_all(people):
    case, day, appointments = seed(people)
    now = datetime.combine(previous_working_day(day), time(16, 0), tzinfo=STOCKHOLM)
    mail.outbox = []
    # The meeting (Alex) and the hearing (Alex and Kim); supervision and board meetings are not reminded of.
    assert reminders.send_due(now=now) == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [people.alex.email, people.alex.email, people.coordinator.email]
    )
    for message in mail.outbox:
        text = "\n".join([message.subject, message.body])
        assert forbidden_in(text) == [], text
        assert SEEKER["first_name"] not in text
        # Not vacuous: the e-mail does name the case, by number, and the day.
        assert case.number in message.body
        with translation.override("sv"):  # e-mails go out in the site's language, with the year
            assert formatting.day(day, year=True) in message.subject
    # A rerun sends nothing twice.
    assert reminders.send_due(now=now) == 0


@pytest.mark.parametrize(
    "case_fields", [{"protected_identity": True}, ANONYMOUS], ids=["protected identity", "anonymous contact"]
)
def test_a_protected_or_anonymous_seeker_shows_as_the_case_number_only(people, case_fields):
    case, day, appointments = seed(people, **case_fields)
    for kind in (K.MEETING, K.COURT):
        appointments[kind].refresh_from_db()
        assert appointments[kind].seeker_label == case.number
    for persona in ("coordinator", "alex"):
        user = getattr(people, persona)
        pages = calendar_pages(user, case, day, appointments)
        for name, text in pages.items():
            assert forbidden_in(text) == [], (persona, name)
            assert SEEKER["first_name"] not in text, (persona, name)
        for name in ("start", "month", "week", f"{K.MEETING} detail", f"{K.COURT} detail"):
            assert case.number in pages[name], (persona, name)
        raw, calendar = feed_of(user)
        assert forbidden_in(raw) == [] and SEEKER["first_name"] not in raw
        assert sum(case.number in summary for summary in summaries(calendar)) == 2
    now = datetime.combine(previous_working_day(day), time(16, 0), tzinfo=STOCKHOLM)
    assert reminders.send_due(now=now) == 3
    assert all(SEEKER["first_name"] not in message.body for message in mail.outbox)


def test_after_anonymisation_the_title_is_blank_and_the_label_is_the_case_number(people):
    kim = people.coordinator
    case, day, appointments = seed(people)
    meeting, hearing = appointments[K.MEETING], appointments[K.COURT]
    assert hearing.title == "Huvudförhandling"
    assert meeting.seeker_label == SEEKER["first_name"]

    assert anonymise(case=case, rule=RULE_ERASURE, by=kim) is True

    for appointment in (meeting, hearing):
        appointment = Appointment.objects.select_related("case").get(pk=appointment.pk)
        assert appointment.title == ""
        assert appointment.seeker_label == case.number
        assert SEEKER["first_name"] not in appointment.summary and case.number in appointment.summary
    # The other appointments keep their titles: only the case's are emptied.
    assert Appointment.objects.get(pk=appointments[K.BOARD].pk).title == "Styrelsemöte"

    client = client_for(kim)
    iso = day.isocalendar()
    for url in (
        reverse("calendar_month", args=[day.year, day.month]),
        reverse("calendar_week", args=[iso.year, iso.week]),
        reverse("appointment_detail", args=[meeting.pk]),
        reverse("appointment_detail", args=[hearing.pk]),
        reverse("start"),
    ):
        text = html.unescape(client.get(url).content.decode())
        assert case.number in text, url
        assert SEEKER["first_name"] not in text and "Huvudförhandling" not in text, url
        assert forbidden_in(text) == [], url
    raw, calendar = feed_of(kim)
    assert SEEKER["first_name"] not in raw and "Huvudförhandling" not in raw
    assert sum(case.number in summary for summary in summaries(calendar)) == 2


def test_the_audit_trail_keeps_no_appointment_title(people):
    """A title should hold no name; one typed there anyway is not copied into the audit log."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    kim = people.coordinator
    case = make_case(kim)
    client = client_for(kim)
    day = working_day_ahead(7)
    data = {
        "kind": K.MEETING,
        "case_number": case.number,
        "day": day.isoformat(),
        "starts": "10:00",
        "ends": "11:00",
        "title": f"{SEEKER['first_name']} vill träffas",
        "participants": [kim.pk],
    }
    assert client.post(reverse("appointment_create"), data).status_code == 302
    meeting = Appointment.objects.get()
    edit = {**data, "title": f"{SEEKER['first_name']} flyttar mötet", "version": meeting.version}
    assert client.post(reverse("appointment_edit", args=[meeting.pk]), edit).status_code == 302
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Appointment), object_id=meeting.pk)
    assert entries.count() >= 2
    # The title's changes are recorded, masked.
    assert any("title" in (entry.changes or {}) for entry in entries)
    for entry in entries:
        text = f"{entry.changes} {entry.changes_text} {entry.serialized_data} {entry.object_repr}"
        assert SEEKER["first_name"] not in text and "vill träffas" not in text and "flyttar" not in text
