"""Changes to the jour's people: engagements, leaving, erasure.

Leaving is the rule the minimum requirements insist on: whoever has left must
lose access to the case system at once. An account stays active only while
its person holds the engagement the account's role is for.
"""

from datetime import date

from auditlog.context import set_actor
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from cases import services as case_services
from cases.models import Assignment
from jour import access, uploads
from jour import services as accounts
from jour.models import Invitation, Role, User

from .models import BoardTerm, Employment, ErasureRecord, Membership, Person, VolunteerAssignment, active_on
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


def still_entitled(person: Person, role: str, day: date) -> bool:
    required = ACCESS_REQUIRES.get(role)
    if required is None:
        return True
    return any(model.objects.filter(active_on(day), person=person).exists() for model in required)


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
        files = [v.pledge_scan for v in person.volunteering.all() if v.pledge_scan]
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


def save_volunteer(*, assignment: VolunteerAssignment, upload, remove_scan: bool, by: User) -> VolunteerAssignment:
    """Save a volunteer assignment and its pledge scan, stored under a generated
    name. A replaced or deleted scan is removed from disk once the change is
    committed; a new scan is removed again if saving fails."""
    previous = assignment.pledge_scan.name or ""  # the form leaves the stored scan on the instance
    stored = uploads.store(upload, PLEDGE_FOLDER) if upload else None
    if stored:
        assignment.pledge_scan = stored
    elif remove_scan:
        assignment.pledge_scan = ""
    try:
        with transaction.atomic(), set_actor(by):
            assignment.save()
            if previous and previous != assignment.pledge_scan.name:
                transaction.on_commit(lambda: uploads.delete(previous))
    except Exception:
        if stored:
            uploads.delete(stored)
        raise
    return assignment
