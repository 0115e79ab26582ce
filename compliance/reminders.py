"""The yearly cycle's reminders, each sent once, with a year and a link and nothing more.

- the board, JOUR_REMINDER_WEEKS before the assurance of last year is due;
- the auditors, when a version is marked ready for audit;
- the coordinators, JOUR_REMINDER_WEEKS before last year's report to the federation is due;
- the board and the coordinators, once a version is signed and its assurance made, until
  they record that it was sent to the federation (G2);
- an action item's owner and the coordinators, once the item is overdue.

A ReminderSent row is written in the transaction that sends: a second run, or
a second worker, finds the row and sends nothing; a failed send rolls the row
back and the next run tries again.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from jour import access

from .models import (
    ActionItem,
    Assessment,
    AssessmentState,
    AssuranceSending,
    ReminderSent,
    ReportKind,
    ReportSubmission,
)

logger = logging.getLogger(__name__)


def _month_day(value: str, year: int) -> date:
    month, day = (int(part) for part in value.split("-"))
    return date(year, month, day)


def assurance_due(year: int) -> date:
    """When the assurance of `year` is due at the federation (in the following year)."""
    return _month_day(settings.JOUR_FEDERATION_DEADLINE, year + 1)


def reports_due(year: int) -> date:
    return _month_day(settings.JOUR_REPORTS_DEADLINE, year + 1)


def _addresses(capability) -> list[str]:
    return list(capability.users().order_by("pk").values_list("email", flat=True))


def _send(template: str, recipients: list[str], context: dict) -> None:
    with override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"compliance/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"compliance/email/{template}.txt", context)
    send_mail(subject, body, None, recipients)


def _once(kind: str, key, recipients: list[str], send) -> bool:
    """Send once. With nobody to send to, nothing is recorded: whoever gets the role later is reminded."""
    if not recipients:
        return False
    with transaction.atomic():
        _, created = ReminderSent.objects.get_or_create(kind=kind, key=str(key))
        if not created:
            return False
        send()
    logger.info("Compliance reminder %s %s sent", kind, key)
    return True


def _link(name: str, *args) -> str:
    return settings.JOUR_BASE_URL + reverse(name, args=args)


def remind_board(day: date) -> bool:
    year = day.year - 1
    due = assurance_due(year)
    if day < due - timedelta(weeks=settings.JOUR_REMINDER_WEEKS):
        return False
    newest = Assessment.objects.filter(year=year).order_by("-version").first()
    if newest is not None and newest.state == AssessmentState.SIGNED:
        return False
    context = {"year": year, "due": due, "link": _link("assessment_list")}
    recipients = _addresses(access.may_govern)
    return _once("board", year, recipients, lambda: _send("board", recipients, context))


def remind_auditors(assessment_id: int) -> bool:
    assessment = Assessment.objects.filter(pk=assessment_id).first()
    if assessment is None or assessment.state not in (AssessmentState.READY, AssessmentState.SIGNING):
        return False
    context = {
        "year": assessment.year,
        "version": assessment.version,
        "link": _link("assessment_detail", assessment.year),
    }
    recipients = _addresses(access.may_audit)
    return _once("auditors", assessment.pk, recipients, lambda: _send("auditors", recipients, context))


def remind_reports(day: date) -> bool:
    # The report for last year (ReportKind: a report's year is the year it is for).
    year = day.year - 1
    due = reports_due(year)
    if day < due - timedelta(weeks=settings.JOUR_REMINDER_WEEKS):
        return False
    if ReportSubmission.objects.filter(kind=ReportKind.ANNUAL, year=year).exists():
        return False
    context = {"year": year, "due": due, "link": _link("report_list")}
    recipients = _addresses(access.may_run_the_jour)
    return _once("reports", year, recipients, lambda: _send("reports", recipients, context))


def unsent_assurances(day: date):
    """Signed versions of last year or this one whose sealed assurance exists and
    is not recorded as sent to the federation. Older years are left alone."""
    return Assessment.objects.filter(
        state=AssessmentState.SIGNED, year__gte=day.year - 1, assurance__isnull=False
    ).exclude(pk__in=AssuranceSending.objects.values("assessment"))


def remind_assurance_sending(day: date) -> int:
    sent = 0
    recipients = sorted(set(_addresses(access.may_govern)) | set(_addresses(access.may_run_the_jour)))
    for assessment in unsent_assurances(day).order_by("year", "version"):
        context = {
            "year": assessment.year,
            "version": assessment.version,
            "link": _link("assessment_detail", assessment.year) + f"?version={assessment.version}#assurance-sent",
        }
        sent += _once(
            "assurance_sending",
            assessment.pk,
            recipients,
            lambda c=context: _send("assurance_sending", recipients, c),
        )
    return sent


def overdue_items(day: date):
    return ActionItem.objects.filter(done_on__isnull=True, due_on__lt=day)


def remind_overdue_items(day: date) -> int:
    sent = 0
    for item in overdue_items(day).select_related("plan", "owner__account"):
        recipients = _addresses(access.may_run_the_jour)
        account = item.owner.account
        if account is not None and account.is_active and account.email not in recipients:
            recipients.append(account.email)
        context = {"year": item.plan.year, "due": item.due_on, "link": _link("action_plan", item.plan.year)}
        sent += _once("action", item.pk, recipients, lambda r=recipients, c=context: _send("action", r, c))
    return sent


def send_due(day: date | None = None) -> dict:
    """Everything due today; safe to run as often as wanted."""
    day = day or timezone.localdate()
    ready = Assessment.objects.filter(state__in=[AssessmentState.READY, AssessmentState.SIGNING])
    return {
        "board": remind_board(day),
        "auditors": sum(remind_auditors(pk) for pk in ready.values_list("pk", flat=True)),
        "reports": remind_reports(day),
        "assurance_sending": remind_assurance_sending(day),
        "action": remind_overdue_items(day),
    }
