"""The first-contact sweep: who is warned, who gets the escalation, and that
each happens exactly once, with e-mails that carry a case number and a link.

The sweep and the e-mail step are called directly with explicit `now` values,
so every instant below is exact. The week used is 2–6 March 2026, which has no
Swedish public holidays: Monday 2 March 09:00 + 48 working hours is Wednesday
4 March 09:00, and the warning starts 4 working hours earlier, at 05:00.
One test runs a sweep and an edit in two threads, to see how they interleave;
the worker-level tests are in test_sweep_worker.py.
"""

import smtplib
import threading
from datetime import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import override

from cases import deadlines, journal, notifications, services
from cases.models import (
    AlertKind,
    AssignmentKind,
    AttemptMethod,
    AttemptOutcome,
    Case,
    Channel,
    ClosingReason,
    CrimeType,
    DeadlineAlert,
    Notification,
    Priority,
)
from jour.models import Role
from jour.workdays import STOCKHOLM
from tests.personas import build_personas, login_verified, make_user
from tests.worker import in_thread, wait_for

WARNING, OVERDUE = AlertKind.WARNING, AlertKind.OVERDUE

# Personal data that must never leave the system in a notification. The
# values are unusual on purpose, so a match cannot be a coincidence.
SEEKER = {
    "channel": Channel.POLICE_REFERRAL,
    "crime_type": CrimeType.TRAFFICKING,
    "first_name": "Ingegerd",
    "last_name": "Wahlqvistsson",
    "phone": "070-555 12 34",
    "email": "ingegerd.w@example.se",
    "municipality": "2482",  # Skellefteå
    "notes": "Ring helst efter lunch, inte till arbetet",
}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in March 2026, Stockholm time (2 March is a Monday)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=STOCKHOLM)


MONDAY_0900 = at(2, 9)
WEDNESDAY_0500 = at(4, 5)  # the warning time of a normal case received Monday 09:00
WEDNESDAY_0900 = at(4, 9)  # its deadline


def new_case(people, received_at=MONDAY_0900, *, priority=Priority.NORMAL, now=None, **extra) -> Case:
    data = {**SEEKER, "received_at": received_at, "priority": priority, **extra}
    case = services.register_case(data=data, by=people.coordinator, now=now or received_at)
    journal.write(case=case, text=SEEKER["notes"], by=people.coordinator, now=now or received_at)
    return case


def assign(people, case, person):
    return services.assign(case=case, person=person, kind=AssignmentKind.SUPPORT_PERSON, by=people.coordinator)


def recipients(case, kind) -> set[str]:
    return set(Notification.objects.filter(case=case, kind=kind).values_list("recipient__email", flat=True))


def alert_kinds(case) -> list[str]:
    return sorted(DeadlineAlert.objects.filter(case=case).values_list("kind", flat=True))


def emailed_to(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def case_link(case) -> str:
    return settings.JOUR_BASE_URL + reverse("case_detail", args=[case.pk])


@pytest.fixture
def second_coordinator(people):
    return make_user("lo@jour.test", "Lo Coordinator", Role.COORDINATOR)


# --- When the warning and the escalation happen ------------------------------


def test_the_warning_comes_when_less_than_four_working_hours_are_left(people):
    case = new_case(people)
    assert case.first_contact_due == WEDNESDAY_0900
    assert case.first_contact_warn_at == WEDNESDAY_0500

    assert deadlines.sweep(now=at(4, 4, 59)) == deadlines.SweepResult(warnings=0, escalations=0, notifications=0)
    assert not DeadlineAlert.objects.exists() and not Notification.objects.exists()

    result = deadlines.sweep(now=at(4, 5, 1))
    assert (result.warnings, result.escalations) == (1, 0)
    assert alert_kinds(case) == [WARNING]
    assert DeadlineAlert.objects.get(case=case).created_at == at(4, 5, 1)


def test_the_warning_goes_to_the_assigned_support_persons_and_the_coordinators(people, second_coordinator, mailoutbox):
    case = new_case(people)
    assign(people, case, people.alex)
    other = new_case(people)  # Sam's case, due at the same time: Sam hears about that one only
    assign(people, other, people.sam)

    result = deadlines.sweep(now=at(4, 5, 1))

    assert result == deadlines.SweepResult(warnings=2, escalations=0, notifications=6)
    expected = {"kim@jour.test", "lo@jour.test", "alex@jour.test"}
    assert recipients(case, WARNING) == expected  # not Sam, not the board member or the auditor
    assert recipients(other, WARNING) == {"kim@jour.test", "lo@jour.test", "sam@jour.test"}
    assert notifications.send_pending_emails() == 6
    case_mail = [m for m in mailoutbox if case.number in m.body]
    assert emailed_to(case_mail) == sorted(expected)
    # One e-mail each: the coordinators' lists both cases.
    assert emailed_to(mailoutbox) == ["alex@jour.test", "kim@jour.test", "lo@jour.test", "sam@jour.test"]
    assert not {"maria@jour.test", "johan@jour.test"} & set(emailed_to(mailoutbox))


def test_a_person_taken_off_the_case_is_not_warned(people):
    case = new_case(people)
    assignment = assign(people, case, people.alex)
    services.end_assignment(assignment=assignment, note="Handover to Sam", by=people.coordinator)
    assign(people, case, people.sam)

    deadlines.sweep(now=at(4, 5, 1))

    assert recipients(case, WARNING) == {"kim@jour.test", "sam@jour.test"}


def test_the_escalation_goes_to_the_coordinators_only(people, second_coordinator, mailoutbox):
    case = new_case(people)
    assign(people, case, people.alex)
    deadlines.sweep(now=at(4, 5, 1))
    notifications.send_pending_emails()
    mailoutbox.clear()

    assert deadlines.sweep(now=at(4, 8, 59)).escalations == 0
    result = deadlines.sweep(now=at(4, 9, 1))

    assert (result.warnings, result.escalations, result.notifications) == (0, 1, 2)
    assert alert_kinds(case) == [OVERDUE, WARNING]
    assert recipients(case, OVERDUE) == {"kim@jour.test", "lo@jour.test"}
    notifications.send_pending_emails()
    assert emailed_to(mailoutbox) == ["kim@jour.test", "lo@jour.test"]


def test_an_unassigned_case_is_not_forgotten(people, mailoutbox):
    case = new_case(people)

    deadlines.sweep(now=at(4, 5, 1))
    deadlines.sweep(now=at(4, 9, 1))

    assert recipients(case, WARNING) == {"kim@jour.test"}
    assert recipients(case, OVERDUE) == {"kim@jour.test"}
    assert notifications.send_pending_emails() == 2
    # Both notices were waiting at once: one e-mail, about the deadline that has passed.
    (message,) = mailoutbox
    assert message.to == ["kim@jour.test"]
    assert message.subject == f"Ärende {case.number}: tidsgränsen för första kontakt har gått ut"


def test_a_case_with_a_first_attempt_or_a_closed_case_gets_nothing(people, mailoutbox):
    attempted = new_case(people)
    assign(people, attempted, people.alex)
    services.log_attempt(
        case=attempted,
        made_at=at(3, 10),
        method=AttemptMethod.PHONE,
        outcome=AttemptOutcome.NO_ANSWER,  # an unanswered call still stops the clock
        by=people.alex,
        now=at(3, 10),
    )
    closed = new_case(people)
    services.close_case(case=closed, reason=ClosingReason.REFERRED, by=people.coordinator, now=at(3, 11))
    # Warned, then reached before the deadline: no escalation follows.
    reached_late = new_case(people)
    waiting = new_case(people)  # the control: same clock, no attempt

    deadlines.sweep(now=at(4, 5, 1))
    services.log_attempt(
        case=reached_late,
        made_at=at(4, 6),
        method=AttemptMethod.SMS,
        outcome=AttemptOutcome.MESSAGE_LEFT,
        by=people.coordinator,
        now=at(4, 6),
    )
    for now in (at(4, 9, 1), at(6, 12), at(16, 12)):
        deadlines.sweep(now=now)

    assert alert_kinds(attempted) == []
    assert alert_kinds(closed) == []
    assert alert_kinds(reached_late) == [WARNING]
    assert alert_kinds(waiting) == [OVERDUE, WARNING]
    assert not Notification.objects.filter(case__in=[attempted, closed]).exists()
    notifications.send_pending_emails()
    assert not [m for m in mailoutbox if attempted.number in m.subject or closed.number in m.subject]


def test_a_case_first_swept_after_its_deadline_is_escalated_without_a_warning(people, mailoutbox):
    # Received Thursday 09:00: Thursday and Friday give 39 working hours, the
    # weekend none, so the deadline is Monday 09:00 and the warning Monday 05:00.
    case = new_case(people, at(5, 9))
    assign(people, case, people.alex)
    assert (case.first_contact_warn_at, case.first_contact_due) == (at(9, 5), at(9, 9))

    # The worker was down from Friday until Monday 10:00: the warning time has
    # gone by unseen, and a late warning would only add noise to the escalation.
    result = deadlines.sweep(now=at(9, 10))

    assert (result.warnings, result.escalations) == (0, 1)
    assert alert_kinds(case) == [OVERDUE]
    assert recipients(case, OVERDUE) == {"kim@jour.test"}
    assert not Notification.objects.filter(recipient=people.alex).exists()
    notifications.send_pending_emails()
    assert emailed_to(mailoutbox) == ["kim@jour.test"]


def test_repeated_sweeps_never_alert_twice(people, second_coordinator, mailoutbox):
    case = new_case(people)
    assign(people, case, people.alex)
    nothing = deadlines.SweepResult(warnings=0, escalations=0, notifications=0)

    results = []
    # Every 5 minutes through the warning, past the deadline, and days later.
    for now in [at(4, 5, 1), at(4, 5, 1), at(4, 5, 6), at(4, 8, 59), at(4, 9, 1), at(4, 9, 1), at(5, 9), at(20, 9)]:
        results.append(deadlines.sweep(now=now))
        notifications.send_pending_emails()

    assert results[0] == deadlines.SweepResult(warnings=1, escalations=0, notifications=3)
    assert results[4] == deadlines.SweepResult(warnings=0, escalations=1, notifications=2)
    assert all(result == nothing for i, result in enumerate(results) if i not in (0, 4))
    assert alert_kinds(case) == [OVERDUE, WARNING]
    assert Notification.objects.count() == 5
    assert len(mailoutbox) == 5
    assert emailed_to(mailoutbox) == sorted(
        ["alex@jour.test", "kim@jour.test", "lo@jour.test", "kim@jour.test", "lo@jour.test"]
    )


# --- Urgent cases and changed deadlines -----------------------------------


def test_an_urgent_case_has_24_working_hours(people):
    case = new_case(people, priority=Priority.URGENT)
    # Friday 15:00 + 24 working hours: Friday 15-24 and Monday 00-15.
    friday = new_case(people, at(6, 15), priority=Priority.URGENT)

    assert (case.first_contact_warn_at, case.first_contact_due) == (at(3, 5), at(3, 9))
    assert (friday.first_contact_warn_at, friday.first_contact_due) == (at(9, 11), at(9, 15))
    assert deadlines.sweep(now=at(3, 4, 59)).warnings == 0
    assert deadlines.sweep(now=at(3, 5, 1)).warnings == 1
    assert deadlines.sweep(now=at(3, 9, 1)).escalations == 1
    assert alert_kinds(case) == [OVERDUE, WARNING]
    assert deadlines.sweep(now=at(9, 11, 1)).warnings == 1
    assert deadlines.sweep(now=at(9, 15, 1)).escalations == 1
    assert alert_kinds(friday) == [OVERDUE, WARNING]


def _update(people, case, now, **data) -> Case:
    case.refresh_from_db()
    return services.update_case(case=case, data=data, expected_version=case.version, by=people.coordinator, now=now)


def test_a_changed_priority_moves_the_deadline_and_it_alerts_again(people, mailoutbox):
    case = new_case(people)
    assign(people, case, people.alex)

    # Tuesday 06:00 the case turns out to be urgent: due Tuesday 09:00.
    case = _update(people, case, at(3, 6), priority=Priority.URGENT)
    assert (case.first_contact_warn_at, case.first_contact_due) == (at(3, 5), at(3, 9))
    assert deadlines.sweep(now=at(3, 6, 1)).warnings == 1
    assert deadlines.sweep(now=at(3, 9, 1)).escalations == 1
    assert alert_kinds(case) == [OVERDUE, WARNING]
    notifications.send_pending_emails()
    # The warning to Alex; Kim's warning and escalation, both waiting, in one e-mail.
    assert emailed_to(mailoutbox) == ["alex@jour.test", "kim@jour.test"]

    # Tuesday 10:00 it was a mistake after all: back to Wednesday 09:00, and
    # the new deadline must warn and escalate in its turn.
    case = _update(people, case, at(3, 10), priority=Priority.NORMAL)
    assert case.first_contact_due == WEDNESDAY_0900
    assert alert_kinds(case) == []
    assert deadlines.sweep(now=at(3, 10, 1)).notifications == 0
    assert deadlines.sweep(now=at(4, 5, 1)).warnings == 1
    assert recipients(case, WARNING) == {"kim@jour.test", "alex@jour.test"}
    assert deadlines.sweep(now=at(4, 9, 1)).escalations == 1
    assert alert_kinds(case) == [OVERDUE, WARNING]
    notifications.send_pending_emails()
    assert len(mailoutbox) == 4  # the same two again for the new deadline


def test_a_corrected_received_time_moves_the_deadline_and_it_alerts_again(people):
    case = new_case(people)
    deadlines.sweep(now=at(4, 5, 1))
    assert alert_kinds(case) == [WARNING]

    # Wednesday 05:30: the case actually reached the jour on Tuesday 09:00.
    case = _update(people, case, at(4, 5, 30), received_at=at(3, 9))
    assert (case.first_contact_warn_at, case.first_contact_due) == (at(5, 5), at(5, 9))
    assert alert_kinds(case) == []
    assert deadlines.sweep(now=at(4, 9, 1)).notifications == 0  # the old deadline is gone

    assert deadlines.sweep(now=at(5, 5, 1)).warnings == 1
    assert deadlines.sweep(now=at(5, 9, 1)).escalations == 1
    assert alert_kinds(case) == [OVERDUE, WARNING]


def test_a_change_that_keeps_the_case_overdue_does_not_escalate_again(people):
    case = new_case(people)
    deadlines.sweep(now=at(4, 5, 1))
    deadlines.sweep(now=at(4, 9, 1))

    # An earlier received time makes it even later; the escalation has been made.
    case = _update(people, case, at(4, 10), received_at=at(2, 8))
    assert alert_kinds(case) == [OVERDUE, WARNING]
    assert deadlines.sweep(now=at(4, 10, 1)).notifications == 0
    assert Notification.objects.filter(case=case).count() == 2


def _sweep_is_waiting() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE %s",
            ["%INSERT INTO cases_deadlinealert%"],
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_sweep_during_a_deadline_change_does_not_alert_on_the_old_deadline(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections: PostgreSQL (CI) only")
    """A coordinator corrects the received time while the beat's sweep runs.

    update_case locks the case, removes the now-stale warning and saves the new
    deadline in one transaction. The test pauses it right after the removal
    (by wrapping reset_alerts_after_deadline_change) and starts a sweep in
    another thread: its INSERT reads the case as it was (the edit is not
    committed) and waits on the removed alert row. When the edit commits, the
    sweep must not end up with an alert for a deadline that no longer exists,
    which would also swallow the warning for the new one.
    """
    people = build_personas()
    case = new_case(people)
    deadlines.sweep(now=at(4, 5, 1))
    assert alert_kinds(case) == [WARNING]

    removed, resume = threading.Event(), threading.Event()
    original = deadlines.reset_alerts_after_deadline_change

    def reset_then_pause(case, now=None):
        original(case, now)
        removed.set()
        resume.wait(20)

    monkeypatch.setattr(deadlines, "reset_alerts_after_deadline_change", reset_then_pause)
    errors = []

    # Wednesday 05:30: the case actually reached the jour on Tuesday 09:00, so
    # it is due Thursday 09:00 and should be warned Thursday 05:00.
    edit = in_thread(lambda: _update(people, case, at(4, 5, 30), received_at=at(3, 9)), errors)
    assert removed.wait(20)
    sweep = in_thread(lambda: deadlines.sweep(now=at(4, 5, 31)), errors)
    wait_for(lambda: _sweep_is_waiting() or not sweep.is_alive(), timeout=10)
    resume.set()
    edit.join(20)
    sweep.join(20)
    assert errors == []

    case.refresh_from_db()
    assert case.first_contact_warn_at == at(5, 5)
    assert alert_kinds(case) == []
    assert deadlines.sweep(now=at(5, 5, 1)).warnings == 1


# --- Who never gets anything --------------------------------------------------


def test_inactive_people_get_nothing(people, mailoutbox):
    gone = make_user("former@jour.test", "Former Coordinator", Role.COORDINATOR, is_active=False)
    leaving = make_user("leaving@jour.test", "Leaving Coordinator", Role.COORDINATOR)
    case = new_case(people)
    assign(people, case, people.alex)
    people.alex.is_active = False  # deactivated while still on the case
    people.alex.save()

    deadlines.sweep(now=at(4, 5, 1))
    assert recipients(case, WARNING) == {"kim@jour.test", "leaving@jour.test"}

    # Deactivated after the notice was made but before it was e-mailed.
    leaving.is_active = False
    leaving.save()
    notifications.send_pending_emails()

    assert emailed_to(mailoutbox) == ["kim@jour.test"]
    assert not Notification.objects.filter(recipient=gone).exists()


# --- What a notification carries -------------------------------------------


def _forbidden_strings(case) -> list[str]:
    """The seeker's data and the crime category, in every form it could take."""
    labels = []
    for language in ("sv", "en"):
        with override(language):
            labels.append(str(CrimeType(case.crime_type).label))
    return [
        case.first_name,
        case.last_name,
        case.phone,
        case.phone.replace(" ", "").replace("-", ""),
        case.email,
        case.get_municipality_display(),  # by name: the code is four digits that could be anything
        SEEKER["notes"],  # the journal's first entry
        *labels,
        "människohandel",  # what a Swedish label for trafficking would say
        "prostitution",
        case.crime_type,
    ]


def test_emails_carry_the_case_number_and_a_link_and_nothing_personal(people, mailoutbox):
    case = new_case(people)
    assign(people, case, people.alex)
    deadlines.sweep(now=at(4, 5, 1))
    deadlines.sweep(now=at(4, 9, 1))
    notifications.send_pending_emails()

    assert len(mailoutbox) == 2  # the warning to Alex; the warning and the escalation to Kim in one
    forbidden = _forbidden_strings(case)
    for message in mailoutbox:
        text = f"{message.subject}\n{message.body}"
        assert case.number in message.subject
        assert case.number in message.body
        assert case_link(case) in message.body
        leaked = [value for value in forbidden if value.lower() in text.lower()]
        assert leaked == [], f"e-mail to {message.to} contains {leaked}"
        assert not message.attachments and not getattr(message, "alternatives", None)


def test_the_in_app_notice_shows_the_case_number_only(client, people):
    case = new_case(people)
    deadlines.sweep(now=at(4, 9, 1))
    login_verified(client, people.coordinator)

    html = client.get(reverse("notification_list")).content.decode()

    assert case.number in html
    assert reverse("case_detail", args=[case.pk]) in html
    leaked = [value for value in _forbidden_strings(case) if value.lower() in html.lower()]
    assert leaked == []


def test_send_pending_emails_sends_each_notification_once(people, mailoutbox):
    case = new_case(people)
    assign(people, case, people.alex)
    deadlines.sweep(now=at(4, 5, 1))

    assert notifications.send_pending_emails() == 2
    assert notifications.send_pending_emails() == 0
    assert len(mailoutbox) == 2
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    deadlines.sweep(now=at(4, 9, 1))
    assert notifications.send_pending_emails() == 1
    assert notifications.send_pending_emails() == 0
    assert len(mailoutbox) == 3


# --- One e-mail per person and run ---------------------------------------------


def _late_and_soon(people, late: int, soon: int) -> tuple[list[Case], list[Case]]:
    """At Wednesday 09:01: cases past their deadline, and cases in their warning
    (received Monday 13:00, due Wednesday 13:00)."""
    return [new_case(people) for _ in range(late)], [new_case(people, at(2, 13)) for _ in range(soon)]


def test_many_due_cases_make_one_email_that_names_the_first_and_counts_the_rest(people, monkeypatch, mailoutbox):
    monkeypatch.setattr(notifications, "LISTED", 5)
    late, soon = _late_and_soon(people, 3, 4)
    deadlines.sweep(now=at(4, 9, 1))

    assert notifications.send_pending_emails() == 7

    (message,) = mailoutbox
    assert message.to == ["kim@jour.test"]
    assert message.subject == "7 ärenden behöver ett första kontaktförsök"
    named = late + soon[:2]
    lines = [line for line in message.body.splitlines() if line.startswith("Ärende")]
    assert lines == [f"Ärende {case.number}: {case_link(case)}" for case in named]
    assert message.body.index("har gått ut") < message.body.index("arbetstimmar återstår")
    assert not [case for case in soon[2:] if case.number in message.body]
    assert "Och 2 ärenden till. Alla finns bland dina notiser:" in message.body
    assert settings.JOUR_BASE_URL + reverse("notification_list") in message.body
    leaked = [value for value in _forbidden_strings(late[0]) if value.lower() in message.body.lower()]
    assert leaked == []
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_failed_send_keeps_every_notice_for_the_next_run(people, monkeypatch, mailoutbox):
    _late_and_soon(people, 2, 1)
    deadlines.sweep(now=at(4, 9, 1))

    def mail_server_down(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    with monkeypatch.context() as patch:
        patch.setattr(notifications, "send_mail", mail_server_down)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            notifications.send_pending_emails()
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 3

    assert notifications.send_pending_emails() == 3
    (message,) = mailoutbox
    assert message.subject == "3 ärenden behöver ett första kontaktförsök"


def test_a_long_list_of_notices_is_marked_in_batches(people, monkeypatch, mailoutbox):
    monkeypatch.setattr(notifications, "MARK_BATCH", 2)
    _late_and_soon(people, 5, 0)
    deadlines.sweep(now=at(4, 9, 1))

    assert notifications.send_pending_emails() == 5
    assert notifications.send_pending_emails() == 0
    assert len(mailoutbox) == 1
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


# --- Cost ----------------------------------------------------------------------


def _queries_for_sweep(now) -> tuple[int, deadlines.SweepResult]:
    with CaptureQueriesContext(connection) as captured:
        result = deadlines.sweep(now=now)
    return len(captured.captured_queries), result


def test_the_sweep_runs_the_same_queries_for_one_and_for_200_due_cases(people):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite splits bulk inserts by its variable limit; the figure is for PostgreSQL")
    # One case first, then 200 more an hour later; each batch is assigned, so
    # warnings also look up support persons. Sweeping at each batch's warning
    # time and deadline creates alerts for that batch only.
    one = new_case(people, MONDAY_0900)
    assign(people, one, people.alex)
    many = [new_case(people, at(2, 10)) for _ in range(200)]
    for case in many:
        assign(people, case, people.alex if case.sequence % 2 else people.sam)

    warn_one, result = _queries_for_sweep(at(4, 5, 1))
    assert (result.warnings, result.notifications) == (1, 2)
    warn_many, result = _queries_for_sweep(at(4, 6, 1))
    assert (result.warnings, result.notifications) == (200, 400)
    escalate_one, result = _queries_for_sweep(at(4, 9, 1))
    assert (result.escalations, result.notifications) == (1, 1)
    escalate_many, result = _queries_for_sweep(at(4, 10, 1))
    assert (result.escalations, result.notifications) == (200, 200)

    assert warn_one == warn_many
    assert escalate_one == escalate_many
