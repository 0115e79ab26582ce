"""Celery tasks of the yearly cycle. Each takes ids only and calls a plain function."""

from celery import shared_task

from . import assurance, reminders


@shared_task
def render_assurance(assessment_id: int) -> bool:
    return assurance.produce(assessment_id) is not None


@shared_task
def render_pending_assurances() -> int:
    """Catch up on signed versions whose rendering was never queued or never finished."""
    return sum(assurance.produce(pk) is not None for pk in assurance.pending_ids())


@shared_task
def remind_auditors(assessment_id: int) -> bool:
    return reminders.remind_auditors(assessment_id)


@shared_task
def send_reminders() -> dict:
    return reminders.send_due()
