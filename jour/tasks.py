"""Periodic and queued work for accounts. Each task calls a plain function."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from . import accounts


@shared_task
def send_invitation(invitation_id: int) -> bool:
    return accounts.send_invitation(invitation_id)


@shared_task
def send_pending_invitations() -> int:
    return accounts.send_pending_invitations()


@shared_task
def purge_expired_invitations() -> int:
    return accounts.purge_expired_invitations()


@shared_task
def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
