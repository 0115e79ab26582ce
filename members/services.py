"""Changes to the jour's people: engagements, pledges, the way in, leaving, erasure.

One way in: a login account comes about only through an invitation made from
a person's page (invite_person), and only for a person who meets
access_blockers; accepting it links the account to the person. Leaving is the
rule the minimum requirements insist on: whoever has left must lose access to
the case system at once. An account stays active only while its person holds
the engagement the account's role is for.
"""

from datetime import date

from auditlog.context import set_actor
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override

from cases import services as case_services
from cases.models import Assignment
from jour import access, uploads
from jour import services as accounts
from jour.models import Invitation, Role, User

from .models import (
    BoardTerm,
    ConfidentialityPledge,
    Employment,
    ErasureRecord,
    Membership,
    Person,
    VolunteerAssignment,
    active_on,
    has_signed_pledge,
)
from .signals import erasure_requested

# Which engagement keeps an account of each role open. Auditors are elected by
# the annual meeting and not modelled as an engagement: their accounts are
# ended by hand.
ACCESS_REQUIRES = {
    Role.SUPPORT_PERSON: (VolunteerAssignment,),
    Role.COORDINATOR: (Employment, VolunteerAssignment),
    Role.BOARD_MEMBER: (BoardTerm,),
}
ENGAGEMENTS = (Membership, Employment, VolunteerAssignment, BoardTerm)
REQUIREMENT_NAMES = {
    Employment: gettext_lazy("employment"),
    VolunteerAssignment: gettext_lazy("volunteer assignment"),
    BoardTerm: gettext_lazy("board term"),
}
# What access_blockers says when the engagement a role needs is missing.
NEEDS_ENGAGEMENT = {
    Role.SUPPORT_PERSON: gettext_lazy("A support person needs a current volunteer assignment."),
    Role.COORDINATOR: gettext_lazy("A coordinator needs a current employment or volunteer assignment."),
    Role.BOARD_MEMBER: gettext_lazy("A board member needs a current board term."),
}


def still_entitled(person: Person, role: str, day: date) -> bool:
    required = ACCESS_REQUIRES.get(role)
    if required is None:
        return True
    return any(model.objects.filter(active_on(day), person=person).exists() for model in required)


# --- The way in ----------------------------------------------------------------


def access_blockers(person: Person, role: str, day: date) -> list[str]:
    """Why `person` may not have a login account of `role` on `day`, one
    sentence each for the coordinator; empty when nothing stands in the way.

    The rule, in one place: an account with a case role (coordinator, support
    person) needs the engagement its role is for (ACCESS_REQUIRES), a signed
    confidentiality pledge and, for a support person, basic training; a board
    member needs a current board term; an auditor, elected by the annual
    meeting, needs only to be in the register. invite_person checks it, the
    person's page shows it, and accepting an invitation checks it again."""
    blockers = []
    if ACCESS_REQUIRES.get(role) and not still_entitled(person, role, day):
        blockers.append(str(NEEDS_ENGAGEMENT[role]))
    if access.may_work_cases.covers(role):
        if not ConfidentialityPledge.objects.filter(person=person, signed_on__lte=day).exists():
            blockers.append(_("No signed confidentiality pledge is recorded."))
        trained = VolunteerAssignment.objects.filter(person=person, basic_training_on__lte=day)
        if access.may_be_assigned_cases.covers(role) and not trained.exists():
            blockers.append(_("No basic training is recorded on a volunteer assignment."))
    return blockers


def invitation_blockers(person: Person, role: str, day: date) -> list[str]:
    """access_blockers, and what an invitation needs besides: a role, no
    account yet, and an e-mail address to send the link to."""
    if not access.may_use_site.covers(role):
        return [_("Choose a role.")]
    if person.account_id is not None:
        return [_("The person already has a login account. Reset or reactivate it on its account page.")]
    blockers = []
    if not person.email:
        blockers.append(
            _("The person has no e-mail address. Add one under Edit contact details: the invitation is sent there.")
        )
    return blockers + access_blockers(person, role, day)


def invite_person(*, person: Person, role: str, by: User, day: date | None = None) -> Invitation:
    """Invite a person in the register to log in with `role`: the one way a new
    account comes about. Refused with every reason (ValidationError, nothing
    sent) while invitation_blockers names any. The person remembers the open
    invitation; accepting it links the new account to them (link_accepted_account)."""
    day = day or timezone.localdate()
    with transaction.atomic(), set_actor(by):
        person = Person.objects.select_for_update().get(pk=person.pk)
        blockers = invitation_blockers(person, role, day)
        if blockers:
            raise ValidationError(blockers)
        invitation = accounts.invite_user(email=person.email, name=person.name, role=role, by=by)
        person.invitation = invitation
        person.save(update_fields=["invitation"])
    return invitation


def link_accepted_account(sender=None, *, user: User, invitation: Invitation, **kwargs) -> None:
    """Connected to jour.signals.account_created, inside accept_invitation's
    transaction: the new account belongs to the person the invitation was made
    for. The rule is checked again, since days may have passed: a person who no
    longer meets it (or has been linked to another account meanwhile) gets no
    account, and the acceptance is refused. An invitation that no person holds
    (made before invitations started from the register) makes an unlinked
    account, which unlinked_case_accounts lists until a coordinator links or closes it."""
    person = Person.objects.select_for_update().filter(invitation=invitation).first()
    if person is None:
        return
    if person.account_id is not None or access_blockers(person, invitation.role, timezone.localdate()):
        raise accounts.InvitationError(_("This invitation can no longer be used. Ask your coordinator for a new one."))
    with set_actor(user):
        person.account = user
        person.invitation = None
        person.save(update_fields=["account", "invitation"])


def check_reactivation(sender=None, *, user: User, **kwargs) -> None:
    """Connected to jour.signals.account_reactivating: an account comes back only
    while its person meets the access rule, as when it was invited. An account no
    person holds is listed by unlinked_case_accounts instead."""
    person = Person.objects.filter(account=user).first()
    if person is None:
        return
    blockers = access_blockers(person, user.role, timezone.localdate())
    if blockers:
        raise ValidationError(blockers)


def pledge_missing(user: User, day: date) -> list[str]:
    """A case assignment needs a signed confidentiality pledge on record
    (cases.assignability). An account no person holds has none to show; it is
    listed by unlinked_case_accounts and fails the checklist until it is linked."""
    person = Person.objects.filter(account=user).first()
    if person is None or ConfidentialityPledge.objects.filter(person=person, signed_on__lte=day).exists():
        return []
    return [
        _("%(name)s has no signed confidentiality pledge on record: record it on their person page first.")
        % {"name": person.name}
    ]


def with_pledge_or_unlinked(users, day: date):
    """The users pledge_missing lets through."""
    without = Person.objects.filter(account=OuterRef("pk")).exclude(has_signed_pledge(day))
    return users.exclude(Exists(without))


def with_capacity(users, day: date):
    """``users`` annotated with ``capacity``: how many cases the person can have
    at a time, from their volunteer assignment active on ``day`` (the latest
    started); None for an account no volunteer holds (cases.assignability)."""
    current = VolunteerAssignment.objects.filter(active_on(day), person__account=OuterRef("pk")).order_by(
        "-start", "-pk"
    )
    return users.annotate(capacity=Subquery(current.values("capacity")[:1]))


def unlinked_case_accounts():
    """Active accounts with a case role that belong to nobody in the register:
    outside the leaving rule and the pledge, so a coordinator links each to its
    person or closes it. Not closed automatically: the first coordinator, made
    with createsuperuser, starts unlinked and must be able to log in to link herself."""
    return access.may_work_cases.users().filter(person__isnull=True).order_by("name", "pk")


def end_engagement(*, engagement, end: date, by: User) -> list[str]:
    """End one engagement and apply what follows from it. Returns what happened,
    as sentences for the coordinator."""
    if end < engagement.start:
        raise ValidationError({"end": _("The end date cannot be before the start date.")})
    with transaction.atomic(), set_actor(by):
        engagement.end = end
        engagement.save()
        return apply_leaving(person=engagement.person, by=by, day=timezone.localdate())


def apply_leaving(*, person: Person, by: User | None, day: date) -> list[str]:
    """Take a person off their cases and close their account when they no
    longer hold what it requires. Safe to run again: it does nothing twice."""
    done = []
    account = person.account
    if account is None:
        return done
    volunteering = VolunteerAssignment.objects.filter(active_on(day), person=person).exists()
    leaving = account.is_active and not still_entitled(person, account.role, day)
    if leaving or (not volunteering and access.may_be_assigned_cases.covers(account.role)):
        released = release_cases(account=account, by=by)
        if released:
            done.append(_released(released))
    if leaving:
        accounts.deactivate_user(user=account, by=by)
        done.append(_("The login account is deactivated and its sessions are ended."))
    return done


def _released(count: int) -> str:
    return ngettext(
        "%(n)s case went back to the unassigned list.", "%(n)s cases went back to the unassigned list.", count
    ) % {"n": count}


def release_cases(*, account: User, by: User | None) -> int:
    """End the person's open case assignments; each case keeps its deadline and
    shows up as not assigned for the coordinators."""
    open_assignments = list(Assignment.objects.filter(person=account, ended_at__isnull=True))
    for assignment in open_assignments:
        case_services.end_assignment(assignment=assignment, note=_("The support person has left the jour."), by=by)
    return len(open_assignments)


def leavers_with_active_accounts(day: date) -> list[Person]:
    """People whose account is still active although they no longer hold what
    its role requires (an end date reached overnight, say)."""
    candidates = Person.objects.filter(account__is_active=True, account__role__in=list(ACCESS_REQUIRES)).select_related(
        "account"
    )
    return [person for person in candidates if not still_entitled(person, person.account.role, day)]


def close_leavers_accounts(day: date | None = None) -> list[int]:
    """The nightly sweep: close the accounts of people who have left, then tell
    the coordinators how many (no names: e-mails carry no personal data)."""
    day = day or timezone.localdate()
    closed = []
    for person in leavers_with_active_accounts(day):
        with transaction.atomic():
            apply_leaving(person=person, by=None, day=day)
        closed.append(person.account_id)
    if closed:
        _tell_coordinators(len(closed))
    return closed


def _tell_coordinators(count: int) -> None:
    recipients = list(access.may_manage_people.users().values_list("email", flat=True))
    if not recipients:
        return
    with override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "%(n)s login account closed: the person has left",
            "%(n)s login accounts closed: the people have left",
            count,
        ) % {"n": count}
        body = _(
            "Tonight's check found active login accounts of people whose engagement has ended. "
            "They are deactivated and their cases are back on the unassigned list.\n\n%(link)s"
        ) % {"link": settings.JOUR_BASE_URL + reverse("account_list")}
    send_mail(subject, body, None, recipients)


def erase_person(*, person: Person, by: User) -> ErasureRecord:
    """Erase a person on request (GDPR art. 17): their row, engagements and
    files, their login account's name and address, and every place their
    e-mail address sits in the audit and lockout records. What remains is that
    an erasure happened, by whom and when."""
    # An app that must keep a record naming the person refuses here (compliance: a signed assurance).
    erasure_requested.send(sender=Person, person=person)
    with transaction.atomic(), set_actor(by):
        person = Person.objects.select_for_update().get(pk=person.pk)
        files = [pledge.scan for pledge in person.pledges.all() if pledge.scan]
        addresses = {a.lower() for a in [person.email, person.account.email if person.account else ""] if a}
        account = person.account
        if account is not None:
            if account.is_active:
                release_cases(account=account, by=by)
                accounts.deactivate_user(user=account, by=by)
                account.refresh_from_db()  # keep what deactivation saved
            Invitation.objects.filter(user=account).delete()
            account.name = _("Erased person")
            account.email = f"erased-{account.pk}@invalid"
            account.set_unusable_password()
            account.save()
        record = ErasureRecord.objects.create(erased_by=by, former_person_id=person.pk)
        person.delete()
        if addresses:
            by_address = Q()
            for address in addresses:
                by_address |= Q(username__iexact=address)
            for model in (AccessAttempt, AccessLog, AccessFailureLog):
                model.objects.filter(by_address).delete()
            for address in addresses:
                Invitation.objects.filter(email__iexact=address).delete()
                LogEntry.objects.filter(actor_email__iexact=address).update(actor_email=None)
    for stored in files:
        stored.storage.delete(stored.name)
    return record


# --- The register: people, engagements, board terms, volunteers ---------------
# The forms have validated and filled in these objects; saving them is the write.

EMPLOYMENT = "employment"  # an engagement form's "what" for an employment; otherwise a membership kind
PLEDGE_FOLDER = "pledges"


def create_person(*, person: Person, first_membership: dict | None, by: User) -> Person:
    """A new person, with their membership from the start when one is given
    (`first_membership`: kind, start, fee_paid_for)."""
    with transaction.atomic(), set_actor(by):
        person.save()
        if first_membership:
            Membership.objects.create(person=person, **first_membership)
    return person


def save_person(*, person: Person, by: User) -> Person:
    with transaction.atomic(), set_actor(by):
        person.save()
    return person


def add_engagement(*, person: Person, data: dict, by: User):
    """A membership or an employment (data: what, start, end, title, fee_paid_for)."""
    common = {"person": person, "start": data["start"], "end": data["end"]}
    with transaction.atomic(), set_actor(by):
        if data["what"] == EMPLOYMENT:
            return Employment.objects.create(title=data["title"], **common)
        return Membership.objects.create(kind=data["what"], fee_paid_for=data["fee_paid_for"], **common)


def save_board_term(*, term: BoardTerm, by: User) -> BoardTerm:
    with transaction.atomic(), set_actor(by):
        term.save()
    return term


def save_volunteer(*, assignment: VolunteerAssignment, by: User) -> VolunteerAssignment:
    with transaction.atomic(), set_actor(by):
        assignment.save()
    return assignment


def record_pledge(
    *, person: Person, signed_on: date, template_version: str = "", upload=None, by: User
) -> ConfidentialityPledge:
    """Record a confidentiality pledge the person signed, with its scan stored
    under a generated name. A pledge already recorded for the same day is
    updated instead (one per person and day): its template version when one is
    given, its scan when a file is chosen (the replaced file is removed once
    committed). A new file is removed again if saving fails."""
    stored = uploads.store(upload, PLEDGE_FOLDER) if upload else None
    try:
        with transaction.atomic(), set_actor(by):
            pledge = (
                ConfidentialityPledge.objects.select_for_update().filter(person=person, signed_on=signed_on).first()
            )
            if pledge is None:
                pledge = ConfidentialityPledge(person=person, signed_on=signed_on, recorded_by=by)
            previous = pledge.scan.name or ""
            if template_version:
                pledge.template_version = template_version
            if stored:
                pledge.scan = stored
            pledge.save()
            if previous and stored:
                transaction.on_commit(lambda: uploads.delete(previous))
    except Exception:
        if stored:
            uploads.delete(stored)
        raise
    return pledge


def delete_pledge_scan(*, pledge: ConfidentialityPledge, by: User) -> ConfidentialityPledge:
    """Delete a pledge's stored scan (a wrong file); the pledge and its date
    stay. The file is removed from disk once the change is committed."""
    with transaction.atomic(), set_actor(by):
        pledge = ConfidentialityPledge.objects.select_for_update().get(pk=pledge.pk)
        name = pledge.scan.name or ""
        if name:
            pledge.scan = ""
            pledge.save()
            transaction.on_commit(lambda: uploads.delete(name))
    return pledge
