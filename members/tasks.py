"""Periodic work on the jour's people. Each task calls a plain function."""

from celery import shared_task

from . import followup, services


@shared_task
def close_leavers_accounts() -> int:
    return len(services.close_leavers_accounts())


@shared_task
def send_followup_reminder() -> bool:
    return followup.send_weekly_followup_reminder()
