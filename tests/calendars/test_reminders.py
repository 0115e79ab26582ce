"""The e-mail the working day before a meeting with a seeker or a court hearing:
once per person and start time, with the case number but never the seeker's
name, retried after a failed send, and run by Celery beat."""

import contextlib
import threading
import time
from datetime import date
from smtplib import SMTPException, SMTPRecipientsRefused

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections
from django.urls import reverse

from calendars import reminders
from calendars import services as calendar_services
from calendars.models import AppointmentKind, AppointmentReminder, Place
from calendars.tasks import send_appointment_reminders
from tests.cases.factories import SEEKER, assign, make_case
from tests.personas import build_personas

from .helpers import freeze_now, plan, sthlm

TUESDAY, WEDNESDAY = date(2026, 3, 10), date(2026, 3, 11)
THURSDAY, FRIDAY, SATURDAY, SUNDAY, MONDAY = (date(2026, 3, 12 + n) for n in range(5))
COURT = "Exempelstads tingsrätt"


@pytest.fixture
def case(people):
    """A case Alex and Sam both work on: a seeker's appointment is reminded of
    only to those who still have the case."""
    case = make_case(people.coordinator)
    assign(case, people.alex, by=people.coordinator)
    assign(case, people.sam, by=people.coordinator, kind="witness")
    return case


@pytest.fixture
def outbox(mailoutbox):
    """The e-mails the reminders send (registering the case may have sent others)."""
    mailoutbox.clear()
    return mailoutbox


def hearing(people, case, day=WEDNESDAY, hour=10, participants=None):
    return plan(
        AppointmentKind.COURT,
        by=people.coordinator,
        day=day,
        hour=hour,
        minutes=120,
        case=case,
        participants=participants or [people.alex, people.sam],
        venue=Place.objects.get_or_create(name=COURT, kind="court", address="Rättsvägen 5, Exempelstad")[0],
        place="Ingång B, fråga i receptionen",
        room="Sal 3",
        title=f"Vittnesstöd för {SEEKER['first_name']}",  # a first name is allowed in the calendar, not in e-mail
    )


def meeting(people, case, day=WEDNESDAY, hour=14, participants=None):
    return plan(
        AppointmentKind.MEETING,
        by=people.coordinator,
        day=day,
        hour=hour,
        case=case,
        participants=participants or [people.alex],
        venue=Place.objects.get_or_create(name="Jourens lokal", kind="office", address="Storgatan 1")[0],
    )


def text_of(message) -> str:
    return message.subject + "\n" + message.body


def test_the_working_day_before_each_participant_gets_one_email(people, case, outbox):
    court = hearing(people, case)
    talk = meeting(people, case)
    assert reminders.send_due(sthlm(TUESDAY, 8)) == 3

    by_recipient = {}
    for message in outbox:
        assert len(message.to) == 1
        by_recipient.setdefault(message.to[0], []).append(message)
    assert sorted(by_recipient) == sorted([people.alex.email, people.sam.email])
    assert len(by_recipient[people.alex.email]) == 2 and len(by_recipient[people.sam.email]) == 1

    (to_sam,) = by_recipient[people.sam.email]
    assert case.number in to_sam.body
    assert "10:00" in to_sam.subject and "10:00–12:00" in to_sam.body
    assert "ons 11 mar 2026" in to_sam.subject
    # The place comes from the register; what was typed (directions, the room) stays on the site.
    assert f"Plats: {COURT}, Rättsvägen 5, Exempelstad" in to_sam.body
    assert "Sal 3" not in to_sam.body and "Ingång B" not in to_sam.body
    assert "Rättegång (vittnesstöd)" in to_sam.body  # in the jour's language, like the rest of the e-mail
    assert settings.JOUR_BASE_URL + reverse("appointment_detail", args=[court.pk]) in to_sam.body
    for message in outbox:
        text = text_of(message)
        assert SEEKER["first_name"] not in text and SEEKER["last_name"] not in text
        assert SEEKER["phone"] not in text and SEEKER["email"] not in text
    talk_text = [m for m in by_recipient[people.alex.email] if "14:00" in m.subject]
    assert len(talk_text) == 1 and "Jourens lokal, Storgatan 1" in talk_text[0].body

    assert set(AppointmentReminder.objects.values_list("appointment", "recipient", "starts_at")) == {
        (court.pk, people.alex.pk, court.starts_at),
        (court.pk, people.sam.pk, court.starts_at),
        (talk.pk, people.alex.pk, talk.starts_at),
    }


def test_a_second_run_sends_nothing(people, case, outbox):
    hearing(people, case)
    assert reminders.send_due(sthlm(TUESDAY, 8)) == 2
    for hour in (9, 10, 19):
        assert reminders.send_due(sthlm(TUESDAY, hour)) == 0
    assert len(outbox) == 2
    assert AppointmentReminder.objects.count() == 2


def test_nothing_after_the_next_working_day(people, case, outbox):
    hearing(people, case, day=THURSDAY)  # the day after next
    assert reminders.send_due(sthlm(TUESDAY, 8)) == 0
    assert reminders.send_due(sthlm(WEDNESDAY, 8)) == 2  # Thursday's, to both, on Wednesday
    assert outbox and all("tors 12 mar 2026" in message.subject for message in outbox)


def test_a_hearing_booked_after_the_day_before_is_reminded_at_the_next_run(people, case, outbox):
    # Booked after Monday's last run for this afternoon: the first run today sends it.
    hearing(people, case, day=TUESDAY, hour=14, participants=[people.alex])
    assert reminders.send_due(sthlm(TUESDAY, 8)) == 1
    assert "tis 10 mar 2026" in outbox[0].subject
    # Once it has started there is nothing left to remind of.
    hearing(people, case, day=TUESDAY, hour=9, participants=[people.sam])
    assert reminders.send_due(sthlm(TUESDAY, 10)) == 0


def test_friday_covers_monday_and_the_weekend_catches_a_late_booking(people, case, outbox):
    hearing(people, case, day=MONDAY, participants=[people.alex])
    assert reminders.send_due(sthlm(THURSDAY, 8)) == 0
    assert reminders.send_due(sthlm(FRIDAY, 8)) == 1
    assert "mån 16 mar 2026" in outbox[0].subject
    for day in (SATURDAY, SUNDAY, MONDAY):
        assert reminders.send_due(sthlm(day, 8)) == 0
    # Booked on Saturday for Monday: Friday's run is past, so Saturday's sends it.
    hearing(people, case, day=MONDAY, hour=13, participants=[people.sam])
    assert reminders.send_due(sthlm(SATURDAY, 10)) == 1
    assert reminders.send_due(sthlm(SUNDAY, 10)) == 0


def test_before_easter_the_thursday_covers_the_tuesday_after(people, case, outbox):
    hearing(people, case, day=date(2026, 4, 7), participants=[people.alex])
    assert reminders.send_due(sthlm(date(2026, 4, 1), 8)) == 0
    assert reminders.send_due(sthlm(date(2026, 4, 2), 8)) == 1
    for day in (date(2026, 4, 3), date(2026, 4, 6)):  # långfredagen, annandag påsk
        assert reminders.send_due(sthlm(day, 8)) == 0


@pytest.mark.parametrize(
    "kind",
    [AppointmentKind.GROUP_SUPERVISION, AppointmentKind.INDIVIDUAL_SUPERVISION, AppointmentKind.BOARD],
)
def test_supervision_and_board_meetings_are_not_reminded(people, outbox, kind):
    plan(kind, by=people.coordinator, day=WEDNESDAY, participants=[people.alex, people.coordinator])
    assert reminders.send_due(sthlm(TUESDAY, 8)) == 0
    assert outbox == []
    assert not AppointmentReminder.objects.exists()


def test_an_inactive_participant_gets_nothing(people, case, outbox):
    hearing(people, case)
    people.sam.is_active = False
    people.sam.save()
    assert reminders.send_due(sthlm(TUESDAY, 8)) == 1
    assert [message.to for message in outbox] == [[people.alex.email]]
    assert not AppointmentReminder.objects.filter(recipient=people.sam).exists()


def move(appointment, by, *, day, hour):
    starts = sthlm(day, hour)
    data = {
        "kind": appointment.kind,
        "case": appointment.case,
        "starts_at": starts,
        "ends_at": starts + (appointment.ends_at - appointment.starts_at),
        "place": appointment.place,
        "room": appointment.room,
        "title": appointment.title,
    }
    return calendar_services.save_appointment(
        appointment=appointment,
        data=data,
        participants=appointment.participants.all(),
        by=by,
        expected_version=appointment.version,
    )


def test_a_moved_appointment_is_reminded_of_again(people, case, outbox):
    court = hearing(people, case, participants=[people.alex])
    assert reminders.send_due(sthlm(TUESDAY, 8)) == 1
    court = move(court, people.coordinator, day=WEDNESDAY, hour=13)
    assert reminders.send_due(sthlm(TUESDAY, 9)) == 1
    assert reminders.send_due(sthlm(TUESDAY, 10)) == 0
    assert len(outbox) == 2
    assert "10:00" in outbox[0].subject and "13:00" in outbox[1].subject

    # Moved to next week: nothing now, a reminder on the working day before.
    court = move(court, people.coordinator, day=date(2026, 3, 17), hour=9)
    assert reminders.send_due(sthlm(TUESDAY, 11)) == 0
    assert reminders.send_due(sthlm(MONDAY, 8)) == 1
    assert len(outbox) == 3 and "tis 17 mar 2026" in outbox[2].subject


def test_a_failed_send_is_tried_again_on_the_next_run(people, case, outbox, monkeypatch):
    hearing(people, case, participants=[people.alex])

    def refuse(*args, **kwargs):
        raise SMTPException("the mail server is away")

    monkeypatch.setattr(reminders, "send_mail", refuse)
    with contextlib.suppress(SMTPException):
        reminders.send_due(sthlm(TUESDAY, 8))
    assert not AppointmentReminder.objects.exists()
    assert outbox == []

    monkeypatch.undo()
    assert reminders.send_due(sthlm(TUESDAY, 9)) == 1
    assert [message.to for message in outbox] == [[people.alex.email]]
    assert AppointmentReminder.objects.filter(recipient=people.alex).count() == 1


def test_one_refused_address_does_not_stop_the_others(people, case, outbox, monkeypatch):
    hearing(people, case, hour=9, participants=[people.alex])
    hearing(people, case, hour=13, participants=[people.sam])
    real_send_mail = reminders.send_mail

    def refuse_alex(subject, body, sender, recipients, **kwargs):
        if people.alex.email in recipients:
            raise SMTPRecipientsRefused({people.alex.email: (550, b"no such mailbox")})
        return real_send_mail(subject, body, sender, recipients, **kwargs)

    monkeypatch.setattr(reminders, "send_mail", refuse_alex)
    for hour in (8, 9):
        with contextlib.suppress(SMTPException):
            reminders.send_due(sthlm(TUESDAY, hour))
    assert [message.to for message in outbox] == [[people.sam.email]]


def test_the_celery_task_sends_them(people, case, outbox, monkeypatch):
    hearing(people, case)
    freeze_now(monkeypatch, sthlm(TUESDAY, 7, 20))
    assert send_appointment_reminders.delay().get() == 2
    assert len(outbox) == 2
    assert send_appointment_reminders.delay().get() == 0
    assert len(mail.outbox) == 2


def test_the_task_is_in_the_beat_schedule():
    entries = [
        entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == send_appointment_reminders.name
    ]
    assert send_appointment_reminders.name == "calendars.tasks.send_appointment_reminders"
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    # At least once during a working morning, so the day before is never missed.
    assert 8 in schedule.hour or 7 in schedule.hour


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(monkeypatch, mailoutbox):
    """Beat can overlap a slow run with the next one, or two workers can take
    the task: the unique row makes the second wait for the first and send nothing."""
    people = build_personas()
    case = make_case(people.coordinator)
    assign(case, people.alex, by=people.coordinator)
    hearing(people, case, participants=[people.alex])
    mailoutbox.clear()
    real_send, started = reminders._send, threading.Event()

    def slow_send(appointment, email):
        started.set()
        time.sleep(0.5)  # hold the uncommitted row while the other worker arrives
        real_send(appointment, email)

    monkeypatch.setattr(reminders, "_send", slow_send)
    results = []

    def worker(wait_first):
        try:
            if wait_first:
                started.wait(5)
            results.append(reminders.send_due(sthlm(TUESDAY, 8)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n == 1,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [0, 1]
    assert len(mailoutbox) == 1
    assert AppointmentReminder.objects.count() == 1
