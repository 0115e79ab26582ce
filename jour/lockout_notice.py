"""Telling the coordinators that an account is locked for everyone.

A lock of one address is the lockout doing its job; a lock of the whole account
(LOCKOUT_ACCOUNT_FAILURES failures from different addresses) is an attack on that
account, and its owner cannot log in until it passes. The coordinators get one
e-mail per lock that names no person and no address, only a link to the account's
page; the audit trail records the lock on the account.

axes sends user_locked_out at every failure while a lock holds (the pair's or the
account's). One notice per lock: the audit entry is written under a row lock on
the account, and a lock with an entry younger than the cool-off time is not told
again. A lock is told again only when it has passed and a new one began, or when
an attack has kept it going for longer than the cool-off time.
"""

import logging

from auditlog.models import LogEntry
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from . import access
from .audit import record_event
from .lockout import recent_failures
from .models import User

logger = logging.getLogger(__name__)

ACCOUNT_LOCKED = "account_locked"


def account_locked(sender, request=None, username=None, **kwargs) -> None:
    """Receiver of axes' user_locked_out (connected in JourConfig.ready)."""
    if request is None or not username:
        return
    if recent_failures(request, username=username) < settings.LOCKOUT_ACCOUNT_FAILURES:
        return  # only this address is locked
    record_account_lock(username)


def record_account_lock(username: str) -> bool:
    """Record the lock of the account with this e-mail address and tell the
    coordinators, once per lock. False when there is no such account (the lock
    holds all the same) or the lock is already recorded."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=username).first()
        if user is None or _recently_recorded(user):
            return False
        record_event(
            obj=user,
            action=LogEntry.Action.UPDATE,
            actor=None,
            changes={"login": ["", "locked"]},
            additional_data={"event": ACCOUNT_LOCKED, "failures": settings.LOCKOUT_ACCOUNT_FAILURES},
        )
        account_id = user.pk
        transaction.on_commit(lambda: _tell_coordinators(account_id))
    return True


def _recently_recorded(user: User) -> bool:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return LogEntry.objects.filter(
        content_type__app_label="jour",
        content_type__model="user",
        object_pk=str(user.pk),
        additional_data__event=ACCOUNT_LOCKED,
        timestamp__gte=since,
    ).exists()


def _tell_coordinators(account_id: int) -> None:
    """The e-mail carries the lock's numbers and a link to the account's page only.
    A mail server that refuses does not break the login answer: it is logged."""
    recipients = list(access.may_manage_accounts.users().values_list("email", flat=True))
    if not recipients:
        return
    context = {
        "link": settings.JOUR_BASE_URL + reverse("account_detail", args=[account_id]),
        "attempts": settings.LOCKOUT_ACCOUNT_FAILURES,
        "hours": int(settings.AXES_COOLOFF_TIME.total_seconds() // 3600),
        "jour": settings.JOUR_NAME,
    }
    with override(settings.LANGUAGE_CODE):
        subject = _("A login account was locked after many failed attempts")
        body = render_to_string("accounts/email/account_locked.txt", context)
    try:
        send_mail(subject, body, None, recipients)
    except Exception as error:  # the lock holds; the audit trail has it
        # The error's class only: an SMTP refusal's text lists the recipients' addresses.
        logger.error(
            "Could not e-mail the coordinators about the lock of account %s: %s", account_id, type(error).__name__
        )
