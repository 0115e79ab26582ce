from celery import shared_task

from . import reminders


@shared_task
def send_appointment_reminders() -> int:
    """Hourly on working days; each reminder goes out once (see reminders.py)."""
    return reminders.send_due()
