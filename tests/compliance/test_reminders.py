"""The yearly cycle's reminders: each sent once, on its day, to the right people,
naming nobody; a failed send is tried again."""

import re
from datetime import date
from smtplib import SMTPException

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import translation

from compliance import catalogue, reminders, services
from compliance.models import (
    ActionItem,
    ActionPlan,
    Assessment,
    AssessmentState,
    ReminderSent,
    ReportKind,
    ReportSubmission,
)
from jour import formatting
from jour.models import User
from members.models import Person

from .cycle import assess_all, second_auditor

YEAR = 2025
# With the deadlines below and four weeks' notice: the board from 2 April, the reports from 3 May.
BOARD_WINDOW = date(2026, 4, 2)
REPORTS_WINDOW = date(2026, 5, 3)
QUIET_DAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def deadlines(settings):
    settings.JOUR_FEDERATION_DEADLINE = "04-30"
    settings.JOUR_REPORTS_DEADLINE = "05-31"
    settings.JOUR_REMINDER_WEEKS = 4


def _day(day: date) -> str:
    """A deadline as the e-mails, in the site's language, write it: with its year, read later."""
    with translation.override("sv"):
        return formatting.day(day, year=True)


def _to(mailoutbox, user):
    return [mail for mail in mailoutbox if user.email in mail.to]


def _draft(people):
    assessment = services.start_year(year=YEAR, by=people.coordinator, from_previous=False)
    assess_all(assessment, people.coordinator)
    return assessment


# -- the board -------------------------------------------------------------


def test_the_board_is_reminded_once_in_the_weeks_before_the_deadline(people, mailoutbox):
    assert reminders.send_due(date(2026, 4, 1))["board"] is False
    assert _to(mailoutbox, people.board) == []

    assert reminders.send_due(BOARD_WINDOW)["board"] is True
    assert reminders.send_due(BOARD_WINDOW)["board"] is False
    assert reminders.send_due(date(2026, 4, 30))["board"] is False

    [mail] = _to(mailoutbox, people.board)
    assert mail.to == [people.board.email]
    assert str(YEAR) in mail.subject and _day(date(2026, 4, 30)) in mail.subject


@pytest.mark.parametrize(
    ("state", "reminded"),
    [(None, True), (AssessmentState.DRAFT, True), (AssessmentState.READY, True), (AssessmentState.SIGNED, False)],
)
def test_a_signed_year_needs_no_board_reminder(people, mailoutbox, state, reminded):
    if state is not None:
        Assessment.objects.create(year=YEAR, revision=catalogue.current_revision(), state=state)

    assert reminders.send_due(date(2026, 4, 15))["board"] is reminded
    assert len(_to(mailoutbox, people.board)) == int(reminded)


# -- the auditors ----------------------------------------------------------


def test_the_auditors_are_reminded_once_when_the_year_is_marked_ready(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    eva = second_auditor()
    assessment = _draft(people)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_ready(assessment=assessment, by=people.coordinator)

    [mail] = mailoutbox
    assert sorted(mail.to) == sorted([people.auditor.email, eva.email])
    assert f"/compliance/years/{YEAR}/" in mail.body

    assert reminders.send_due(QUIET_DAY)["auditors"] == 0
    assert len(mailoutbox) == 1


def test_the_daily_run_reminds_the_auditors_when_the_queued_reminder_never_ran(people, mailoutbox):
    # No on-commit callback runs here: as if the broker was down when the year was marked ready.
    services.mark_ready(assessment=_draft(people), by=people.coordinator)
    assert mailoutbox == []

    assert reminders.send_due(QUIET_DAY)["auditors"] == 1
    assert reminders.send_due(QUIET_DAY)["auditors"] == 0
    assert len(_to(mailoutbox, people.auditor)) == 1


# -- the annual report -----------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "year", "reminded"),
    [
        (None, None, True),
        (ReportKind.ANNUAL, YEAR, False),
        (ReportKind.MUNICIPAL, YEAR, True),
        (ReportKind.ANNUAL, YEAR - 1, True),
    ],
    ids=["nothing-recorded", "annual-recorded", "only-a-grant-report", "last-years-annual"],
)
def test_the_coordinators_are_reminded_of_the_annual_report_once(people, mailoutbox, kind, year, reminded):
    if kind is not None:
        ReportSubmission.objects.create(kind=kind, year=year, sent_on=date(2026, 3, 1), recipient="Förbundet")

    assert reminders.send_due(date(2026, 5, 2))["reports"] is False
    assert reminders.send_due(REPORTS_WINDOW)["reports"] is reminded
    assert reminders.send_due(REPORTS_WINDOW)["reports"] is False

    mails = _to(mailoutbox, people.coordinator)
    assert len(mails) == int(reminded)
    assert all(mail.to == [people.coordinator.email] for mail in mails)


# -- overdue action items --------------------------------------------------


def test_an_overdue_item_reminds_its_owner_and_the_coordinators_once(people, mailoutbox):
    owner = Person.objects.create(name=people.board.name, account=people.board)
    plan = ActionPlan.objects.create(year=YEAR)
    ActionItem.objects.create(plan=plan, what="Anta rutin", owner=owner, due_on=date(2026, 1, 31))
    ActionItem.objects.create(plan=plan, what="Klar", owner=owner, due_on=date(2026, 1, 10), done_on=date(2026, 1, 9))
    ActionItem.objects.create(plan=plan, what="Förfaller i dag", owner=owner, due_on=date(2026, 2, 1))
    day = date(2026, 2, 1)

    assert reminders.send_due(day)["action"] == 1
    assert reminders.send_due(day)["action"] == 0
    assert reminders.send_due(date(2026, 3, 1))["action"] == 1  # the item due on 1 February, now overdue

    first, second = mailoutbox
    assert sorted(first.to) == sorted([people.coordinator.email, people.board.email])
    assert f"/compliance/years/{YEAR}/action-plan/" in first.body
    assert _day(date(2026, 1, 31)) in first.body and _day(date(2026, 2, 1)) in second.body


# -- what a reminder says --------------------------------------------------


def test_no_reminder_names_a_person(people, mailoutbox, django_capture_on_commit_callbacks):
    second_auditor()
    owner = Person.objects.create(name="Viktoria Ansvarig", account=people.alex)
    plan = ActionPlan.objects.create(year=YEAR)
    ActionItem.objects.create(plan=plan, what="Ring Viktoria", owner=owner, due_on=date(2026, 2, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_ready(assessment=_draft(people), by=people.coordinator)
    reminders.send_due(REPORTS_WINDOW)

    assert set(ReminderSent.objects.values_list("kind", flat=True)) == {"board", "auditors", "reports", "action"}
    assert len(mailoutbox) == 4
    names = {*User.objects.values_list("name", flat=True), *Person.objects.values_list("name", flat=True)}
    words = names | {name.split()[0] for name in names}
    for mail in mailoutbox:
        text = f"{mail.subject}\n{mail.body}"
        assert not [w for w in words if re.search(rf"\b{re.escape(w)}\b", text)], text


# -- a failed send ---------------------------------------------------------


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPException("the mail server is down")


def test_a_failed_send_is_not_recorded_and_the_next_run_sends(people, mailoutbox, settings):
    working = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    with pytest.raises(SMTPException):
        reminders.send_due(BOARD_WINDOW)
    assert not ReminderSent.objects.exists()
    assert mailoutbox == []

    settings.EMAIL_BACKEND = working
    assert reminders.send_due(BOARD_WINDOW)["board"] is True
    assert len(_to(mailoutbox, people.board)) == 1
    assert ReminderSent.objects.filter(kind="board", key=str(YEAR)).exists()
