"""Account actions: invite, accept, deactivate, reactivate, reset.

Each action does its writes, its audit entries and its notifications
together, so that a view, a task or a command cannot do one and forget the other.
The invitation e-mail itself is sent by a task (jour/invitations.py), after commit.
"""

from auditlog.context import set_actor
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import tasks
from .models import Invitation, Role, User, normalise_email
from .otp import remove_all_devices
from .queue import enqueue_on_commit
from .signals import account_created, account_deactivated, account_reactivating


class InvitationError(Exception):
    """An invitation link that cannot be used; the message is for the user."""


def invite_user(*, email: str, name: str, role: Role, by: User) -> Invitation:
    """The invitation itself. Call members.services.invite_person instead: an
    account starts from a person in the register who meets the access rule."""
    email = normalise_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("There is already an account with this e-mail address.")})
    with transaction.atomic(), set_actor(by):
        # A new invitation to the same address replaces the open one.
        _revoke_open(Invitation.objects.filter(email=email))
        invitation = Invitation.objects.create(email=email, name=name.strip(), role=role, invited_by=by)
        _queue_invitation(invitation)
    return invitation


def reset_access(*, user: User, by: User) -> Invitation:
    """For a lost phone or a forgotten password: the account keeps its history,
    loses its password, devices and sessions, and gets a new one-time link."""
    with transaction.atomic(), set_actor(by):
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_unusable_password()
        user.session_epoch += 1
        user.save()
        remove_all_devices(user)
        _revoke_open(Invitation.objects.filter(email=user.email))
        invitation = Invitation.objects.create(
            email=user.email, name=user.name, role=user.role, user=user, invited_by=by
        )
        _queue_invitation(invitation)
    return invitation


def resend_invitation(*, invitation: Invitation, by: User) -> None:
    with transaction.atomic(), set_actor(by):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at or invitation.revoked_at:
            raise ValidationError(_("This invitation has already been used or withdrawn."))
        invitation.sent_at = None
        invitation.token_hash = ""
        invitation.expires_at = None
        invitation.save()
        _queue_invitation(invitation)


def revoke_invitation(*, invitation: Invitation, by: User) -> None:
    with transaction.atomic(), set_actor(by):
        _revoke_open(Invitation.objects.filter(pk=invitation.pk))


def _revoke_open(invitations) -> None:
    # One save per row (not QuerySet.update) so that each revocation is audited.
    now = timezone.now()
    for invitation in invitations.select_for_update().filter(used_at__isnull=True, revoked_at__isnull=True):
        invitation.revoked_at = now
        invitation.save()


def _queue_invitation(invitation: Invitation) -> None:
    enqueue_on_commit(tasks.send_invitation, invitation.pk)


def invitation_for_token(token: str) -> Invitation:
    invitation = Invitation.objects.filter(token_hash=Invitation.hash_token(token)).first() if token else None
    _check_usable(invitation)
    return invitation


def _check_usable(invitation: Invitation | None) -> None:
    if invitation is None or invitation.revoked_at is not None:
        raise InvitationError(_("This link is not valid. Ask your coordinator for a new invitation."))
    if invitation.used_at is not None:
        raise InvitationError(_("This link has already been used. Each link works only once."))
    if not invitation.is_usable():
        raise InvitationError(_("This link has expired. Ask your coordinator for a new invitation."))


def accept_invitation(*, invitation_id: int, password: str) -> User:
    """Set the password for the invited account. Single use, under a row lock.
    A new account is announced with `account_created` in the same transaction
    (members links it to its person, or refuses); a reset keeps its links."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
        _check_usable(invitation)
        created = not invitation.user_id
        if invitation.user_id:
            user = User.objects.select_for_update().get(pk=invitation.user_id)
        else:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise InvitationError(_("There is already an account with this e-mail address."))
            user = User(email=invitation.email, name=invitation.name, role=invitation.role)
        with set_actor(user if user.pk else None):
            user.set_password(password)
            user.is_active = True
            user.deactivated_at = None
            user.save()
            invitation.user = user
            invitation.used_at = timezone.now()
            invitation.save()
        if created:
            account_created.send(sender=User, user=user, invitation=invitation)
    return user


def deactivate_user(*, user: User, by: User | None) -> None:
    """Refuse the login and end every open session of the account at once.
    `by` is None when the system does it (the nightly leavers' check).
    Apps that hold a credential of the account (a calendar feed) remove it on
    `account_deactivated`, in the same transaction."""
    if by is not None and user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    with transaction.atomic(), set_actor(by):
        user = User.objects.select_for_update().get(pk=user.pk)
        user.is_active = False
        user.deactivated_at = timezone.now()
        user.session_epoch += 1
        user.save()
        _revoke_open(Invitation.objects.filter(user=user))
        account_deactivated.send(sender=User, user=user)
    _delete_sessions_of(user)


def reactivate_user(*, user: User, by: User) -> None:
    """Let a deactivated account log in again; sends account_reactivating, whose
    receivers may refuse with a ValidationError (the person has left)."""
    with transaction.atomic(), set_actor(by):
        user = User.objects.select_for_update().get(pk=user.pk)
        account_reactivating.send(sender=User, user=user)
        user.is_active = True
        user.deactivated_at = None
        user.save()


def _delete_sessions_of(user: User) -> None:
    """The epoch already makes old sessions useless; also remove the rows, so
    that nothing of the session outlives the account's access."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
