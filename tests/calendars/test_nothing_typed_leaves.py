"""Free text stays inside (issue 16, item 1).

The attack: a case with a protected identity, a meeting tomorrow with the place
"Hemlig adress: Skyddsgatan 3 B, lgh 9887"; the reminder e-mail and the
support person's calendar feed carried that address. And a board meeting or a
court hearing without a case could be titled with a victim's full name and
phone number, because only appointments with a case were checked.
(The flat number has digits that no timestamp in the feed can hold.)
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from icalendar import Calendar

from calendars import feeds, reminders
from calendars.models import Appointment, AppointmentKind, Place
from cases import identifiers, services
from cases.models import SeekerIdentifier
from tests.cases.factories import SEEKER, assign, make_case

from .helpers import plan, sthlm, working_day_ahead

SECRET_PLACE = "Hemlig adress: Skyddsgatan 3 B, lgh 9887"
VICTIM = {
    "first_name": "Aurorella",
    "last_name": "Vindskarmsson",
    "phone": "070-111 22 33",
    "email": "a.v@seeker.example",
}


@pytest.fixture
def office(db):
    return Place.objects.create(name="Jourens lokal", kind="office", address="Storgatan 1, Exempelstad")


def _meeting(people, case, office, **texts):
    day = working_day_ahead(1)
    return plan(
        AppointmentKind.MEETING,
        by=people.coordinator,
        day=day,
        hour=10,
        case=case,
        participants=[people.alex],
        venue=office,
        **texts,
    )


def _feed_text(user) -> str:
    return Calendar.from_ical(feeds.render(user)[0]).to_ical().decode().replace("\r\n ", "")


def _reminder_texts(mailoutbox, when) -> list[str]:
    mailoutbox.clear()
    reminders.send_due(when)
    return [m.subject + "\n" + m.body for m in mailoutbox]


def test_a_protected_address_reaches_neither_the_reminder_nor_the_feed(people, office, mailoutbox):
    case = make_case(people.coordinator, protected_identity=True)
    assign(case, people.alex, by=people.coordinator)
    meeting = _meeting(people, case, office, place=SECRET_PLACE, room="lgh 9887", title="Samtal")

    texts = _reminder_texts(mailoutbox, meeting.starts_at - timedelta(hours=20))
    assert texts, "the reminder went out"
    for text in texts:
        assert "Skyddsgatan" not in text and "9887" not in text and "Samtal" not in text
        # A protected identity has no place at all outside the site, not even the office.
        assert "Storgatan" not in text and "Jourens lokal" not in text
    feed = _feed_text(people.alex)
    assert "Skyddsgatan" not in feed and "9887" not in feed and "Samtal" not in feed
    assert "LOCATION" not in feed
    assert SEEKER["first_name"] not in feed  # a protected identity shows as the case number
    assert case.number in feed


def test_outside_the_site_a_place_comes_from_the_register_only(people, office, mailoutbox):
    case = make_case(people.coordinator)
    assign(case, people.alex, by=people.coordinator)
    meeting = _meeting(people, case, office, place="Portkod 1234, tredje våningen", room="Rum 2", title="Uppföljning")

    for text in _reminder_texts(mailoutbox, meeting.starts_at - timedelta(hours=20)):
        assert "Jourens lokal, Storgatan 1, Exempelstad" in text
        assert "Portkod" not in text and "Rum 2" not in text and "Uppföljning" not in text
    feed = _feed_text(people.alex)
    assert "LOCATION:Jourens lokal\\, Storgatan 1\\, Exempelstad" in feed
    assert "Portkod" not in feed and "Rum 2" not in feed and "Uppföljning" not in feed
    assert f"SUMMARY:{meeting.outside_summary}" in feed


@pytest.fixture
def victim(people):
    return make_case(people.coordinator, **VICTIM)


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        (AppointmentKind.BOARD, "Ärende Aurorella Vindskarmsson 070-111 22 33"),
        (AppointmentKind.BOARD, "Vindskarmssons ärende"),
        (AppointmentKind.COURT, "Målet om Aurorella, ring 0701112233"),
        (AppointmentKind.COURT, "Skicka till a.v@seeker.example"),
        (AppointmentKind.GROUP_SUPERVISION, "Fall 19850312-1234"),
        (AppointmentKind.GROUP_SUPERVISION, "Fall 850312+1234"),
    ],
)
def test_no_appointment_carries_any_seekers_identifiers(people, victim, kind, title):
    """With a case or without, against every seeker the jour holds."""
    participants = [people.alex] if kind == AppointmentKind.COURT else []
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        plan(kind, by=people.coordinator, day=working_day_ahead(2), participants=participants, title=title)
    # The message says what to remove, not whose it is: that would tell who is a seeker.
    message = " ".join(refused.value.messages)
    assert "Vindskarmsson" not in message and "first names only" in message
    assert not Appointment.objects.filter(title=title).exists()


def test_the_same_texts_are_refused_in_the_place_and_the_room(people, victim):
    for field in ("place", "room"):
        with pytest.raises(ValidationError) as refused:
            plan(AppointmentKind.BOARD, by=people.coordinator, day=working_day_ahead(2), **{field: "Hos Vindskarmsson"})
        assert field in refused.value.message_dict


def test_ordinary_titles_and_first_names_pass(people, victim):
    board = plan(AppointmentKind.BOARD, by=people.coordinator, day=working_day_ahead(2), title="Styrelsemöte 12")
    hearing = plan(
        AppointmentKind.COURT,
        by=people.coordinator,
        day=working_day_ahead(2),
        participants=[people.alex],
        title="Vittnesstöd för Aurorella, sal 3, kl 09.30 2026-03-11",
    )
    assert board.pk and hearing.pk


def test_the_check_is_one_query_whatever_the_number_of_seekers(people):
    for n in range(30):
        make_case(people.coordinator, last_name=f"Efternamn{n}son", phone=f"070-{n:03d} 11 22", email=f"s{n}@x.example")
    texts = {"title": "Möte om budget", "place": "Rum 4 hos Efternamn3son", "room": "0701234567"}
    with CaptureQueriesContext(connection) as queries:
        found = identifiers.carrying_identifiers(texts)
    assert found == {"place"}
    assert len(queries) == 1


def test_the_index_follows_the_case(people):
    case = make_case(people.coordinator, **VICTIM)
    values = set(SeekerIdentifier.objects.filter(case=case).values_list("value", flat=True))
    assert {"vindskarmsson", "701112233", "1112233", "a.v@seeker.example"} <= values
    services.update_case(
        case=case, data={"last_name": "Nyqvist", "phone": ""}, expected_version=case.version, by=people.coordinator
    )
    values = set(SeekerIdentifier.objects.filter(case=case).values_list("value", flat=True))
    assert "nyqvist" in values and "vindskarmsson" not in values and "1112233" not in values


def test_a_moment_in_a_week_view_is_not_a_phone_number(people, victim):
    """Times and dates in a title are not taken for phone numbers or identity numbers."""
    texts = {"title": f"Förhandling {sthlm(working_day_ahead(3), 9):%Y-%m-%d %H:%M}"}
    assert identifiers.carrying_identifiers(texts) == set()
