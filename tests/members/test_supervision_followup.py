"""Who lacks follow-up, at the boundary, and the coordinators' weekly reminder:
a number and a link, never a name."""

from datetime import date

import pytest
from django.urls import reverse

from jour.models import Role
from members import followup
from members.followup import months_before, volunteers_without_followup
from members.models import Person, SupervisionKind, SupervisionSession, VolunteerAssignment
from tests.personas import make_user

DAY = date(2025, 6, 15)


def volunteer(name, *, start=date(2024, 1, 1), end=None, email="") -> Person:
    person = Person.objects.create(name=name, email=email, phone="070-123 45 67")
    VolunteerAssignment.objects.create(person=person, start=start, end=end)
    return person


def held(on: date, *people, by, kind=SupervisionKind.INDIVIDUAL):
    session = SupervisionSession.objects.create(held_on=on, kind=kind, supervisor="Handledaren", recorded_by=by)
    session.participants.set(people)
    return session


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 6, 15), 3, date(2025, 3, 15)),
        (date(2025, 5, 31), 3, date(2025, 2, 28)),
        (date(2024, 5, 31), 3, date(2024, 2, 29)),
        (date(2025, 1, 10), 3, date(2024, 10, 10)),
        (date(2025, 3, 31), 1, date(2025, 2, 28)),
        (date(2025, 6, 15), 12, date(2024, 6, 15)),
        (date(2025, 6, 15), 0, date(2025, 6, 15)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_a_session_exactly_three_months_back_counts_and_a_day_earlier_does_not(people):
    on_the_day = volunteer("På Dagen")
    day_before = volunteer("Dagen Före")
    held(date(2025, 3, 15), on_the_day, by=people.coordinator)
    held(date(2025, 3, 14), day_before, by=people.coordinator)
    assert volunteers_without_followup(DAY, 3) == [day_before]


def test_the_boundary_at_the_end_of_a_month(people):
    last_of_february = volunteer("Sista Februari")
    held(date(2025, 2, 28), last_of_february, by=people.coordinator)
    assert volunteers_without_followup(date(2025, 5, 31), 3) == []
    assert volunteers_without_followup(date(2025, 6, 1), 3) == [last_of_february]


def test_group_sessions_count_for_every_participant(people):
    a, b, c = volunteer("A"), volunteer("B"), volunteer("C")
    held(date(2025, 5, 1), a, b, by=people.coordinator, kind=SupervisionKind.GROUP)
    assert volunteers_without_followup(DAY, 3) == [c]


def test_never_followed_up_and_sessions_after_the_day_do_not_count(people):
    never = volunteer("Aldrig")
    later = volunteer("Senare")
    held(date(2025, 6, 16), later, by=people.coordinator)
    assert volunteers_without_followup(DAY, 3) == [never, later]


def test_only_volunteers_active_on_the_day(people):
    active = volunteer("Aktiv")
    volunteer("Slutade", end=date(2025, 6, 14))
    volunteer("Slutade Idag", end=DAY)  # the end date is the day the person stopped
    volunteer("Börjar", start=date(2025, 6, 16))
    ends_tomorrow = volunteer("Slutar Imorgon", end=date(2025, 6, 16))
    Person.objects.create(name="Bara Medlem")
    assert volunteers_without_followup(DAY, 3) == [active, ends_tomorrow]


def test_a_person_with_two_assignments_is_listed_once(people):
    twice = volunteer("Två Uppdrag")
    VolunteerAssignment.objects.create(
        person=twice, start=date(2025, 1, 1), support_person=False, witness_supporter=True
    )
    assert volunteers_without_followup(DAY, 3) == [twice]


def test_the_months_default_to_the_setting(people, settings):
    person = volunteer("Inställning")
    held(date(2025, 4, 1), person, by=people.coordinator)
    settings.JOUR_FOLLOWUP_MONTHS = 3
    assert volunteers_without_followup(DAY) == []
    settings.JOUR_FOLLOWUP_MONTHS = 2
    assert volunteers_without_followup(DAY) == [person]
    del settings.JOUR_FOLLOWUP_MONTHS
    assert followup.followup_months() == 3


# --- The weekly reminder -------------------------------------------------------


@pytest.fixture
def lacking(people):
    """Two volunteers without follow-up (one with an account), one followed up."""
    ok = volunteer("Ulla Uppföljd", email="ulla@example.test")
    held(date(2025, 6, 1), ok, by=people.coordinator)
    return [
        volunteer("Greta Glömd", email="greta@example.test"),
        volunteer("Alex Support", email="alex@jour.test"),
    ]


def test_the_reminder_holds_a_number_and_a_link_and_no_names(people, lacking, mailoutbox, settings):
    settings.JOUR_BASE_URL = "https://jour.example"
    reminder = followup.send_followup_reminder(DAY)
    assert reminder is not None and reminder.count == 2 and reminder.months == 3
    assert reminder.week == (2025, 24)
    assert len(mailoutbox) == 1  # one active coordinator
    message = mailoutbox[0]
    assert message.to == [people.coordinator.email]
    assert "2" in message.subject and "2" in message.body
    assert "https://jour.example" + reverse("volunteer_list") in message.body
    text = message.subject + message.body
    for person in Person.objects.all():
        for value in (person.name, person.email, person.phone, *person.name.split()):
            if value:
                assert value not in text, value
    for user in (people.alex, people.sam, people.board, people.auditor):
        assert user.name not in text and user.email not in text


def test_every_active_coordinator_gets_their_own_message(people, lacking, mailoutbox):
    second = make_user("lena@jour.test", "Lena Samordnare", Role.COORDINATOR, with_totp=False)
    make_user("gone@jour.test", "Gone Coordinator", Role.COORDINATOR, with_totp=False, is_active=False)
    followup.send_followup_reminder(DAY)
    assert sorted(tuple(m.to) for m in mailoutbox) == sorted([(people.coordinator.email,), (second.email,)])
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)


def test_no_reminder_when_everyone_is_followed_up(people, mailoutbox):
    person = volunteer("Uppföljd")
    held(date(2025, 6, 1), person, by=people.coordinator)
    assert followup.send_followup_reminder(DAY) is None
    assert mailoutbox == []


def test_building_the_reminder_sends_nothing(people, lacking, mailoutbox):
    reminder = followup.followup_reminder(DAY)
    assert reminder.count == 2 and reminder.recipients == (people.coordinator.email,)
    assert mailoutbox == []


def test_the_week_key_follows_iso_weeks(people, lacking):
    assert followup.followup_reminder(date(2024, 12, 30)).week == (2025, 1)
    assert followup.followup_reminder(date(2025, 6, 16)).week == (2025, 25)
