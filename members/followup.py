"""Follow-up of the volunteers' assignments (handledning, uppföljning).

The federation's minimum requirements ask for continuous follow-up of the
support persons' assignments with a coordinator or supervisor, individually
and/or in a group. Here a volunteer *lacks follow-up* on a day when no
supervision session they took part in was held within the last N months up to
that day (N = settings.JOUR_FOLLOWUP_MONTHS, 3 unless set). A session held
exactly N months earlier still counts.

The weekly reminder to the coordinators carries a number and a link, never a
name: e-mails hold no personal data.
"""

import calendar
import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from jour import access
from jour.models import User

from .models import (
    BoardTerm,
    Employment,
    Person,
    SupervisionKind,
    SupervisionSession,
    VolunteerAssignment,
    active_on,
    has_signed_pledge,
)
from .models import FollowupReminder as SentReminder

logger = logging.getLogger(__name__)

DEFAULT_FOLLOWUP_MONTHS = 3


def followup_months() -> int:
    return getattr(settings, "JOUR_FOLLOWUP_MONTHS", DEFAULT_FOLLOWUP_MONTHS)


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` months earlier; the month's last day
    when that month is shorter (31 May - 3 months = 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def active_volunteers(day: date) -> QuerySet[Person]:
    """People with a volunteer assignment active on `day`, each once."""
    return Person.objects.filter(Exists(VolunteerAssignment.objects.filter(active_on(day), person=OuterRef("pk"))))


def working_in_year(day: date) -> QuerySet[Person]:
    """People who volunteered, were employed or sat on the board at some time
    from the first of January of `day`'s year to `day`: everyone the pledge
    rule covers that year, each once."""
    start = date(day.year, 1, 1)
    during = Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=start))
    return Person.objects.filter(
        Exists(VolunteerAssignment.objects.filter(during, person=OuterRef("pk")))
        | Exists(Employment.objects.filter(during, person=OuterRef("pk")))
        | Exists(BoardTerm.objects.filter(during, person=OuterRef("pk")))
    )


def without_followup(day: date, months: int) -> QuerySet[Person]:
    """Active volunteers on `day` without a session of the register held within
    `months` months up to `day`, as a queryset (compliance narrows it further
    with the supervision held through the calendar, which this app cannot see)."""
    recent = SupervisionSession.objects.filter(
        participants=OuterRef("pk"), held_on__gte=months_before(day, months), held_on__lte=day
    )
    return active_volunteers(day).exclude(Exists(recent))


def volunteers_without_followup(day: date, months: int | None = None) -> list[Person]:
    """Active volunteers on `day` who took part in no supervision session held
    within `months` months up to `day` (sessions dated after `day` don't count)."""
    months = followup_months() if months is None else months
    return list(without_followup(day, months).order_by("name", "pk"))


# --- Recording a session ---------------------------------------------------


def check_participants(kind: str, participants) -> None:
    """An individual session has exactly one participant, a group at least two."""
    count = len(participants)
    if kind == SupervisionKind.INDIVIDUAL and count != 1:
        message = _("An individual session has exactly one participant: choose one volunteer.")
        raise ValidationError({"participants": ValidationError(message, code="individual_needs_one")})
    if kind == SupervisionKind.GROUP and count < 2:
        message = _("A group session has at least two participants. For one volunteer, choose individual.")
        raise ValidationError({"participants": ValidationError(message, code="group_needs_two")})


def record_session(
    *, held_on: date, kind: str, supervisor: str, participants, note: str = "", by: User
) -> SupervisionSession:
    """Record a supervision session that was held. Participants must have been
    volunteers on the day; sessions are recorded afterwards, never ahead."""
    participants = list(participants)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record a session once it has been held: the date is in the future.")})
    check_participants(kind, participants)
    volunteers = set(
        VolunteerAssignment.objects.filter(active_on(held_on), person__in=participants).values_list(
            "person_id", flat=True
        )
    )
    if any(person.pk not in volunteers for person in participants):
        raise ValidationError(
            {"participants": _("Every participant must have been a volunteer on the session's date.")}
        )
    with transaction.atomic():
        session = SupervisionSession.objects.create(
            held_on=held_on, kind=kind, supervisor=supervisor.strip(), note=note.strip(), recorded_by=by
        )
        session.participants.set(participants)
    return session


# --- The weekly reminder ----------------------------------------------------


@dataclass(frozen=True)
class FollowupReminder:
    """What the weekly reminder says and to whom. `week` (ISO year, ISO week)
    is the key for sending it once a week."""

    week: tuple[int, int]
    count: int
    months: int
    subject: str
    body: str
    recipients: tuple[str, ...]


def followup_reminder(day: date) -> FollowupReminder | None:
    """The reminder for the week of `day`, or None when there is nothing to
    remind of (every volunteer followed up) or nobody to tell. Sends nothing."""
    months = followup_months()
    count = without_followup(day, months).count()
    recipients = tuple(access.may_manage_people.users().order_by("pk").values_list("email", flat=True))
    if count == 0 or not recipients:
        return None
    context = {"count": count, "months": months, "link": settings.JOUR_BASE_URL + reverse("volunteer_list")}
    with override(settings.LANGUAGE_CODE):
        subject = render_to_string("members/volunteers/email/followup_subject.txt", context).strip()
        body = render_to_string("members/volunteers/email/followup.txt", context)
    iso = day.isocalendar()
    return FollowupReminder(
        week=(iso.year, iso.week), count=count, months=months, subject=subject, body=body, recipients=recipients
    )


def send_followup_reminder(day: date | None = None) -> FollowupReminder | None:
    """E-mail the reminder for `day`'s week to each active coordinator, one
    message each; return what was sent (None: nothing sent).

    Not idempotent by itself: the caller records the week as sent in the same
    transaction (a unique row per ISO week) and skips a week already recorded.
    """
    day = day or timezone.localdate()
    reminder = followup_reminder(day)
    if reminder is None:
        return None
    messages = [EmailMessage(reminder.subject, reminder.body, None, [address]) for address in reminder.recipients]
    get_connection().send_messages(messages)
    logger.info(
        "Follow-up reminder for %s-W%02d sent to %s coordinator(s)",
        reminder.week[0],
        reminder.week[1],
        len(messages),
    )
    return reminder


def send_weekly_followup_reminder(day=None) -> bool:
    """Send the reminder once per ISO week: the first run of the week does it,
    later runs (or a second worker) find the week's row and do nothing. A
    failed send rolls the row back, so the next run tries again."""
    day = day or timezone.localdate()
    iso = day.isocalendar()
    with transaction.atomic():
        record, created = SentReminder.objects.get_or_create(iso_year=iso.year, iso_week=iso.week)
        if not created:
            return False
        reminder = send_followup_reminder(day)
        record.volunteers_lacking = reminder.count if reminder else 0
        record.save()
    return reminder is not None


@dataclass(frozen=True)
class VolunteerFlags:
    """What the coordinator's start page counts: no names, just how many."""

    without_followup: int
    without_pledge: int


def volunteer_flags(day: date | None = None) -> VolunteerFlags:
    day = day or timezone.localdate()
    return VolunteerFlags(
        without_followup=without_followup(day, followup_months()).count(),
        without_pledge=active_volunteers(day).exclude(has_signed_pledge(day)).count(),
    )
