"""Today's duty, shared by the start page and the phone page: is the phone
staffed or forwarded, has the mailbox been read, and what is missing lately."""

from datetime import timedelta

from django.utils import timezone

from . import mailbox, phone

LOG_DAYS = 30


def phone_schedule(today=None) -> phone.Schedule:
    """The phone hours and closures that today's state and the missing days of the last
    LOG_DAYS both need, read once for a page that shows both."""
    today = today or timezone.localdate()
    return phone.Schedule(today - timedelta(days=LOG_DAYS + 1), today + timedelta(days=phone.LOOK_AROUND))


def duty_context(now=None, schedule=None) -> dict:
    """What the start page and the phone page show about today's duty."""
    now = now or timezone.now()
    return {
        "phone": phone.state(now, schedule),
        "mailbox_today": mailbox.today_check(timezone.localdate(now)),
        "log_days": LOG_DAYS,
    }


def missing(today, schedule=None):
    """Working days of the last LOG_DAYS with no mailbox check or an unconfirmed closing."""
    first = today - timedelta(days=LOG_DAYS)
    yesterday = today - timedelta(days=1)
    since = max(first, phone.counting_since(schedule) or today)
    return {
        "mailbox_missing": mailbox.missing_days(max(first, mailbox.counting_since() or today), yesterday),
        "closings_missing": phone.unconfirmed_closings(since, today, schedule=schedule),
    }


def missing_counts(today=None, schedule=None) -> dict:
    today = today or timezone.localdate()
    return {name: len(days) for name, days in missing(today, schedule).items()}
