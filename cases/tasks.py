"""Periodic work on cases. Each task calls a plain function and is safe to rerun."""

from celery import shared_task

from . import deadlines, notifications


@shared_task
def sweep_deadlines() -> dict:
    result = deadlines.sweep()
    emailed = notifications.send_pending_emails()
    return {"warnings": result.warnings, "escalations": result.escalations, "emailed": emailed}


@shared_task
def anonymise_expired_cases() -> int:
    from . import retention

    return len(retention.anonymise_due())


@shared_task
def send_shredding_reminders() -> int:
    from . import paper

    return paper.send_reminders()
