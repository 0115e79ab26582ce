"""Periodic work on cases. Each task calls a plain function and is safe to rerun."""

from celery import shared_task

from . import deadlines, notifications, paper, retention


@shared_task
def sweep_deadlines() -> dict:
    result = deadlines.sweep()
    emailed = notifications.send_pending_emails()
    return {"warnings": result.warnings, "escalations": result.escalations, "emailed": emailed}


@shared_task
def anonymise_expired_cases() -> int:

    return len(retention.anonymise_due())


@shared_task
def send_shredding_reminders() -> int:

    return paper.send_reminders()
