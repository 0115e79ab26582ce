"""Periodic and queued work for invitations. Each task calls a plain function."""

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from . import backups, invitations


@shared_task
def send_invitation(invitation_id: int) -> bool:
    return invitations.send_invitation(invitation_id)


@shared_task
def send_pending_invitations() -> int:
    return invitations.send_pending_invitations()


@shared_task
def purge_expired_invitations() -> int:
    return invitations.purge_expired_invitations()


@shared_task
def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def back_up() -> str:
    """Nightly, in the worker (the only process with the seal key); no personal data in its result."""
    if not settings.JOUR_BACKUP_RECIPIENTS:
        return "not configured"
    return backups.nightly().path.name
