"""The invitation e-mails and their upkeep, run by tasks (jour/tasks.py)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import Invitation

logger = logging.getLogger(__name__)

INVITATION_KEEP_DAYS = 30


def send_invitation(invitation_id: int) -> bool:
    """Send the e-mail for one invitation that has not been sent yet.

    The token is made here, inside the row lock, and only its hash is kept.
    If sending fails, the transaction rolls back and the next sweep tries again;
    a crash between sending and committing leaves a dead link and a resend.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(skip_locked=True)
            .filter(pk=invitation_id, sent_at__isnull=True, used_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if invitation is None:
            return False
        token = invitation.issue_token()
        invitation.save()
        link = settings.JOUR_BASE_URL + reverse("invitation", args=[token])
        with override(settings.LANGUAGE_CODE):
            subject = _("Your access to the %(jour)s case system") % {"jour": settings.JOUR_NAME}
            # The message carries the link and nothing about the person or a case.
            body = render_to_string(
                "accounts/email/invitation.txt",
                {"link": link, "jour": settings.JOUR_NAME, "hours": settings.INVITATION_VALID_HOURS},
            )
        send_mail(subject, body, None, [invitation.email])
    logger.info("Invitation %s sent", invitation_id)
    return True


def send_pending_invitations() -> int:
    pending = Invitation.objects.filter(
        sent_at__isnull=True, used_at__isnull=True, revoked_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(send_invitation(pk) for pk in pending)


def purge_expired_invitations() -> int:
    """Invitations hold a name and an address: keep them only while useful."""
    cutoff = timezone.now() - timedelta(days=INVITATION_KEEP_DAYS)
    old = Invitation.objects.filter(created_at__lt=cutoff)
    count = 0
    for invitation in old.iterator():
        invitation.delete()
        count += 1
    return count
