"""The working day before a meeting with a seeker or a court hearing, each
person going gets an e-mail: kind, case number, time, a place from the jour's
register (none for a protected identity), and a link. Never the seeker's name,
not even the first name, and nothing anybody typed: e-mail leaves the system.
An appointment booked later than that (in the evening, at a weekend) is
reminded of at the next run instead.

An AppointmentReminder row is written in the transaction that sends, keyed
on the appointment, the person and the start time: a rerun or a second
worker sends nothing twice, a failed send rolls the row back so the next run
tries again, and a moved appointment is reminded of again.
"""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from cases.models import Assignment
from jour import access
from jour.workdays import STOCKHOLM, next_working_day_start

from .models import REMINDED_KINDS, Appointment, AppointmentReminder

logger = logging.getLogger(__name__)


def due(now: datetime):
    """Appointments to remind of at ``now``: those still to come that start no
    later than the end of the next working day. On a working day that is the
    next day's (or, on a Friday, the weekend's and Monday's); an appointment
    booked after the run the day before is caught by the next run."""
    today = timezone.localtime(now, STOCKHOLM).date()
    next_day = next_working_day_start(today).date()
    until = datetime.combine(next_day + timedelta(days=1), time(), tzinfo=STOCKHOLM)
    return Appointment.objects.filter(
        kind__in=REMINDED_KINDS, starts_at__gt=now, starts_at__lt=until, cancelled_at__isnull=True
    )


def _send(appointment: Appointment, email: str) -> None:
    start = timezone.localtime(appointment.starts_at, STOCKHOLM)
    with override(settings.LANGUAGE_CODE):
        kind = str(appointment.get_kind_display())
    context = {
        "appointment": appointment,
        "kind": kind,
        "case_number": appointment.case.number if appointment.case_id else "",
        "place": appointment.outside_place,
        "start": start,
        "end": timezone.localtime(appointment.ends_at, STOCKHOLM),
        "link": settings.JOUR_BASE_URL + reverse("appointment_detail", args=[appointment.pk]),
    }
    with override(settings.LANGUAGE_CODE):
        subject = render_to_string("calendars/email/reminder_subject.txt", context).strip()
        body = render_to_string("calendars/email/reminder.txt", context)
    send_mail(subject, body, None, [email])


def send_due(now: datetime | None = None) -> int:
    """Send every reminder due now that has not gone out; returns how many."""
    now = now or timezone.now()
    sent = failed = 0
    appointments = list(due(now).select_related("case", "venue").prefetch_related("participants"))
    # A seeker's appointment is reminded of only to those who still have the case.
    holders = set(
        Assignment.objects.filter(
            case__in=[a.case_id for a in appointments if a.case_id], ended_at__isnull=True
        ).values_list("case_id", "person_id")
    )
    for appointment in appointments:
        for person in appointment.participants.all():
            if not person.is_active or not person.email:
                continue
            has_case = appointment.case_id is None or (appointment.case_id, person.pk) in holders
            if not has_case and not access.may_see_every_case(person):
                continue
            try:
                with transaction.atomic():
                    _, created = AppointmentReminder.objects.get_or_create(
                        appointment=appointment, recipient=person, starts_at=appointment.starts_at
                    )
                    if not created:
                        continue
                    _send(appointment, person.email)
            except Exception as error:
                # One refused address must not hold back everyone else's reminder;
                # no row was kept, so the next run tries this one again. The
                # error's text is not logged: an SMTP refusal quotes the address.
                failed += 1
                logger.warning(
                    "Appointment reminder %s for user %s failed: %s", appointment.pk, person.pk, type(error).__name__
                )
                continue
            sent += 1
    if sent or failed:
        logger.info("Appointment reminders sent: %s, failed: %s", sent, failed)
    return sent
