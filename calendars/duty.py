"""Today's duty, shared by the start page and the phone page: is the phone
staffed or forwarded, has the mailbox been read, and what is missing lately."""

from datetime import timedelta

from django.utils import timezone

from . import mailbox, phone

LOG_DAYS = 30


def duty_context(now=None) -> dict:
    """What the start page and the phone page show about today's duty."""
    now = now or timezone.now()
    return {
        "phone": phone.state(now),
        "mailbox_today": mailbox.today_check(timezone.localdate(now)),
        "log_days": LOG_DAYS,
    }


def missing(today):
    """Working days of the last LOG_DAYS with no mailbox check or an unconfirmed closing."""
    first = today - timedelta(days=LOG_DAYS)
    yesterday = today - timedelta(days=1)
    return {
        "mailbox_missing": mailbox.missing_days(max(first, mailbox.counting_since() or today), yesterday),
        "closings_missing": phone.unconfirmed_closings(max(first, phone.counting_since() or today), today),
    }


def missing_counts(today=None) -> dict:
    today = today or timezone.localdate()
    return {name: len(days) for name, days in missing(today).items()}
