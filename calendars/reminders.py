"""The working day before a meeting with a seeker or a court hearing, each
person going gets an e-mail: kind, case number, time and place, and a link.
Never the seeker's name, not even the first name: e-mail leaves the system.

An AppointmentReminder row is written in the transaction that sends, keyed
on the appointment, the person and the start time: a rerun or a second
worker sends nothing twice, a failed send rolls the row back so the next run
tries again, and a moved appointment is reminded of again.
"""

import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from .models import REMINDED_KINDS, Appointment, AppointmentReminder
from .workdays import STOCKHOLM, is_working_day, next_working_day_start

logger = logging.getLogger(__name__)


def due(today: date):
    """Appointments to remind of on ``today``: those starting after today up to
    and including the next working day. Nothing is sent on non-working days."""
    if not is_working_day(today):
        return Appointment.objects.none()
    tomorrow = datetime.combine(today + timedelta(days=1), time(), tzinfo=STOCKHOLM)
    next_day = next_working_day_start(today).date()
    after_next = datetime.combine(next_day + timedelta(days=1), time(), tzinfo=STOCKHOLM)
    return Appointment.objects.filter(kind__in=REMINDED_KINDS, starts_at__gte=tomorrow, starts_at__lt=after_next)


def _send(appointment: Appointment, email: str) -> None:
    start = timezone.localtime(appointment.starts_at, STOCKHOLM)
    context = {
        "appointment": appointment,
        "kind": appointment.get_kind_display(),
        "case_number": appointment.case.number if appointment.case_id else "",
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
    sent = 0
    appointments = (
        due(timezone.localtime(now, STOCKHOLM).date()).select_related("case").prefetch_related("participants")
    )
    for appointment in appointments:
        for person in appointment.participants.all():
            if not person.is_active or not person.email:
                continue
            with transaction.atomic():
                _, created = AppointmentReminder.objects.get_or_create(
                    appointment=appointment, recipient=person, starts_at=appointment.starts_at
                )
                if not created:
                    continue
                _send(appointment, person.email)
            sent += 1
    if sent:
        logger.info("Appointment reminders sent: %s", sent)
    return sent
