"""Keeping the promise to forget: personal data of a closed case is removed once
the retention period has passed, unless a coordinator holds the case back.

What goes: the seeker's name and contact details, the free text of every row
that belongs to the case (its journal, contact attempts, handover notes, paper
descriptions, hold reasons, appointments, referrals: cases/mentions.py), and
the seeker's name, phone number and e-mail wherever else someone typed them.
What stays: the case number, dates, channel, priority, crime
category, gender, age group, municipality, role, whether it was reported to
the police and the first-contact figures, so statistics and the KPI do not
change. The audit trail keeps that it happened and by which rule, and its old
entries of the case lose whatever values they held.
"""

import logging
from datetime import date, datetime, time

from auditlog.context import set_actor
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jour.audit import record_event
from jour.models import User

from . import identifiers, journal, mentions, services
from .models import (
    Assignment,
    Case,
    ClosingReason,
    ContactWay,
    RetentionHold,
    Status,
    YesNoUnknown,
)

logger = logging.getLogger(__name__)

RULE_RETENTION = "retention"
RULE_ERASURE = "erasure_request"
BATCH = 200
REMOVED = mentions.REMOVED
HOLD_MAX_YEARS = 3
# The preview lists the due cases a page at a time: a jour whose nightly run has not
# run for a while (or that imported its old cases) can have tens of thousands.
PREVIEW_PAGE_SIZE = 50

# The case's own fields that identify the seeker; its journal and every other
# free-text column are registered in cases/mentions.py.
CASE_PERSONAL_FIELDS = ("first_name", "last_name", "phone", "email")


def retention_months() -> int:
    return settings.JOUR_RETENTION_MONTHS


def cutoff(now: datetime | None = None) -> datetime:
    """Cases closed before this instant are past the retention period."""
    return (now or timezone.now()) - relativedelta(months=retention_months())


NIGHTLY_TASK = "cases.tasks.anonymise_expired_cases"


def next_run(now: datetime | None = None) -> datetime | None:
    """When the nightly run next removes what is due, read from the beat
    schedule (jour/settings.py) so the page cannot drift from it; None if the
    schedule has no such daily run."""
    now = timezone.localtime(now or timezone.now())
    entry = next((e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == NIGHTLY_TASK), None)
    schedule = entry["schedule"] if entry else None
    hours, minutes = getattr(schedule, "hour", None), getattr(schedule, "minute", None)
    if not hours or not minutes:
        return None
    for day in (now.date(), now.date() + relativedelta(days=1)):
        for hour in sorted(hours):
            for minute in sorted(minutes):
                at = timezone.make_aware(datetime.combine(day, time(hour, minute)), now.tzinfo)
                if at > now:
                    return at
    return None


def active_holds(day: date | None = None):
    day = day or timezone.localdate()
    return RetentionHold.objects.filter(released_at__isnull=True, until__gte=day)


def _past_retention(now: datetime):
    """Closed, not yet anonymised, closed before the cutoff; and whether a hold keeps it."""
    held = active_holds(timezone.localtime(now).date()).filter(case=OuterRef("pk"))
    return (
        Case.objects.filter(status=Status.CLOSED, anonymised_at__isnull=True, closed_at__lt=cutoff(now))
        .annotate(held=Exists(held))
        .order_by("closed_at", "pk")
    )


def due(now: datetime | None = None):
    """Closed cases past the retention period, not yet anonymised and not held back."""
    return _past_retention(now or timezone.now()).filter(held=False)


def due_count(now: datetime | None = None) -> int:
    """len(due()), counted as the start page needs it: the cases past retention less
    those held. Counting due() itself checks for a hold case by case, which took
    most of the coordinator's start page on a jour with years of closed cases."""
    now = now or timezone.now()
    past = Case.objects.filter(status=Status.CLOSED, anonymised_at__isnull=True, closed_at__lt=cutoff(now))
    held = active_holds(timezone.localtime(now).date()).filter(case__in=past).values("case").distinct()
    return past.count() - held.count()


def held_back(now: datetime | None = None):
    """Cases that would be due now but for a hold (the coordinator's preview shows them)."""
    return _past_retention(now or timezone.now()).filter(held=True)


def _scrub_audit_trail(rows: dict[type, dict[int, set[str]]]) -> None:
    """Old audit entries of the rows whose text was removed keep who/when/what changed, not the values."""
    for model, fields_by_pk in rows.items():
        if not fields_by_pk:
            continue
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=list(fields_by_pk)
        ).only("pk", "object_id", "changes", "changes_text", "additional_data", "serialized_data")
        for entry in entries:
            fields = fields_by_pk.get(entry.object_id, set())
            changes = entry.changes if isinstance(entry.changes, dict) else {}
            entry.changes = {
                field: ([REMOVED, REMOVED] if field in fields else values) for field, values in changes.items()
            }
            entry.changes_text = ""
            entry.serialized_data = None
            entry.save(update_fields=["changes", "changes_text", "serialized_data"])


def _fields_of(model) -> tuple[str, ...]:
    return next(column.fields for column in mentions.COLUMNS if column.model is model)


def anonymise(*, case: Case, rule: str, by: User | None = None, now: datetime | None = None) -> bool:
    """Remove one case's personal data. Returns False if it was already done.

    Runs in one transaction with the case row locked, so two runs at once do it once.
    Queryset updates are used on purpose: a model save would make auditlog write the
    old values into a new entry.
    """
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.anonymised_at is not None:
            return False
        seeker = mentions.Seeker.of(case)
        Case.objects.filter(pk=case.pk).update(
            anonymous=True,
            first_name="",
            last_name="",
            phone="",
            email="",
            search_key="",
            phone_digits="",
            preferred_contact=ContactWay.PHONE,
            safe_to_leave_message=YesNoUnknown.UNKNOWN,
            anonymised_at=now,
            anonymised_rule=rule,
            version=case.version + 1,
        )
        # Nobody keeps the case on their list: there is nothing left to support with.
        Assignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now, ended_by=by)
        blanked = mentions.blank_for_case(case)
        identifiers.forget(case)
        # Blanked first (above, with the other free text), then gone: an empty entry tells nobody anything.
        journal.remove_all(case)
        touched = {model: dict.fromkeys(pks, set(_fields_of(model))) for model, pks in blanked.items()}
        touched.setdefault(Case, {})[case.pk] = set(CASE_PERSONAL_FIELDS)
        for model, rows in mentions.remove_mentions(seeker).items():
            for pk, fields in rows.items():
                touched.setdefault(model, {}).setdefault(pk, set()).update(fields)
        _scrub_audit_trail(touched)
        record_event(
            obj=case,
            action=LogEntry.Action.UPDATE,
            actor=by,
            changes={"personal data": ["", REMOVED]},
            additional_data={"anonymised": rule, "retention_months": retention_months()},
        )
    return True


def anonymise_due(now: datetime | None = None, limit: int | None = None) -> list[str]:
    """Anonymise every case past the retention period; returns their numbers.

    Each batch takes its rows with SKIP LOCKED, so a second run at the same
    time takes other cases or none, and every case is done once.
    """
    now = now or timezone.now()
    done = []
    while limit is None or len(done) < limit:
        with transaction.atomic():
            batch = list(due(now).select_for_update(skip_locked=True, of=("self",))[:BATCH])
            if not batch:
                break
            for case in batch:
                if anonymise(case=case, rule=RULE_RETENTION, now=now):
                    done.append(case.number)
    if done:
        logger.info("Anonymised %s cases past the retention period", len(done))
    return done


# -- holds and erasure -----------------------------------------------------


def hold(*, case: Case, reason: str, until: date, by: User) -> RetentionHold:

    today = timezone.localdate()
    if case.anonymised_at:
        raise ValidationError(_("The personal data of this case has already been removed."))
    if until <= today:
        raise ValidationError({"until": _("Choose a date after today.")})
    if until > today + relativedelta(years=HOLD_MAX_YEARS):
        raise ValidationError(
            {
                "until": _("A hold lasts at most %(years)s years; renew it if it is still needed.")
                % {"years": HOLD_MAX_YEARS}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the data must be kept.")})
    with transaction.atomic(), set_actor(by):
        return RetentionHold.objects.create(case=case, reason=reason.strip(), until=until, created_by=by)


def release(*, hold: RetentionHold, by: User) -> None:

    with transaction.atomic(), set_actor(by):
        hold = RetentionHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is None:
            hold.released_at = timezone.now()
            hold.released_by = by
            hold.save(update_fields=["released_at", "released_by"])


def erase_on_request(*, case: Case, by: User) -> Case:
    """The seeker asked to be forgotten (GDPR art. 17): close the case if open, then anonymise now.

    A hold (a legal reason to keep the data) is respected: release it first if it no longer applies.
    """

    case = Case.objects.get(pk=case.pk)
    if active_holds().filter(case=case).exists():
        raise ValidationError(
            _("The case is held back from anonymisation. Release the hold first if the reason no longer applies.")
        )
    if not case.is_closed:
        services.close_case(case=case, reason=ClosingReason.OTHER, by=by)
    anonymise(case=case, rule=RULE_ERASURE, by=by)
    case.refresh_from_db()
    return case


def preview(now: datetime | None = None, *, page: int | str | None = 1) -> dict:
    """What a run at `now` would take: one page of the due cases (the oldest first,
    `due.paginator.count` of them in all) and every case held back."""
    now = now or timezone.now()
    rows = due(now).values("pk", "number", "closed_at")
    due_page: Page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(page)
    return {
        "due": due_page,
        "held": list(held_back(now).values("pk", "number", "closed_at")),
        "cutoff": cutoff(now),
    }


def open_holds():
    return (
        RetentionHold.objects.filter(released_at__isnull=True)
        .filter(Q(until__gte=timezone.localdate()))
        .select_related("case", "created_by")
    )
