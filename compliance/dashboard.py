"""The yearly cycle on the start page: where the year stands, what is overdue. Counts only."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from jour import access

from . import reminders, selectors
from .models import AssessmentState, ReportKind, ReportSubmission


@dataclass(frozen=True)
class YearPanel:
    year: int
    due: date
    state: str | None
    state_label: str | None
    signatures: int
    required: int
    awaiting_my_signature: bool
    overdue_items: int
    annual_report_missing: bool


def focus_year(day: date) -> int:
    """The year the jour is working on: last year until its assurance is due, then this year."""
    return day.year - 1 if day <= reminders.assurance_due(day.year - 1) else day.year


def year_panel(user, day: date | None = None) -> YearPanel:
    """Five queries whatever the data."""
    day = day or timezone.localdate()
    year = focus_year(day)
    newest = selectors.current(year)
    signatures = newest.signatures.count() if newest else 0
    mine = bool(newest and access.may_audit(user) and newest.signatures.filter(auditor=user).exists())
    return YearPanel(
        year=year,
        due=reminders.assurance_due(year),
        state=newest.state if newest else None,
        state_label=newest.get_state_display() if newest else None,
        signatures=signatures,
        required=selectors.signatures_required(),
        awaiting_my_signature=bool(
            newest
            and access.may_audit(user)
            and newest.state in (AssessmentState.READY, AssessmentState.SIGNING)
            and not mine
        ),
        overdue_items=reminders.overdue_items(day).count(),
        annual_report_missing=(
            access.may_run_the_jour(user)
            and day >= reminders.reports_due(day.year - 1).replace(month=1, day=1)
            and not ReportSubmission.objects.filter(kind=ReportKind.ANNUAL, year=day.year - 1).exists()
        ),
    )
