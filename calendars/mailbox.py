"""The daily check that the jour's mailbox has been read.

The minimum requirements ask that e-mail is read every working day. Whoever
is on duty confirms it with one click; a second click the same day changes
nothing. A working day that has passed without a confirmation is missing.
"""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from jour.workdays import STOCKHOLM, is_working_day

from .models import MailboxCheck


def today_check(today: date | None = None) -> MailboxCheck | None:
    today = today or timezone.localdate()
    return MailboxCheck.objects.select_related("checked_by").filter(day=today).first()


def confirm(*, by, now: datetime | None = None) -> tuple[MailboxCheck, bool]:
    """Record today's check; (check, created). Two clicks at once make one row."""
    now = now or timezone.now()
    day = timezone.localtime(now, STOCKHOLM).date()
    try:
        with transaction.atomic():
            return MailboxCheck.objects.create(day=day, checked_at=now, checked_by=by), True
    except IntegrityError:
        return MailboxCheck.objects.get(day=day), False


def missing_days(first: date, last: date) -> list[date]:
    """Working days in [first, last] without a confirmation."""
    if last < first:
        return []
    checked = set(MailboxCheck.objects.filter(day__range=(first, last)).values_list("day", flat=True))
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if is_working_day(d) and d not in checked]


def counting_since() -> date | None:
    """Days count from the first confirmation ever recorded."""
    return MailboxCheck.objects.order_by("day").values_list("day", flat=True).first()
