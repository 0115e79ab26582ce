"""Every change to a case goes through these functions: views, tasks and
commands call them, and each does its writes and audit together."""

from datetime import date, datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jour import access, formatting
from jour.models import User
from jour.workdays import STOCKHOLM

from . import assignability, deadlines, identifiers, journal, paper
from .models import (
    Action,
    Assignment,
    AssignmentKind,
    Case,
    CaseNumberSequence,
    Channel,
    Circumstance,
    ContactAttempt,
    Priority,
    ReferralForm,
    RiskCheck,
    Status,
    first_contact_by_channel,
)

# Fields a case form may change; everything else is set by these functions.
# Channels where the contact itself happened when the case was registered.
ANSWERED_AT_ONCE = (Channel.PHONE, Channel.WALK_IN)
EDITABLE_FIELDS = [
    "received_at",
    "channel",
    "first_contact_by",
    "priority",
    "crime_type",
    "circumstances",
    "reported_to_police",
    "anonymous",
    "first_name",
    "last_name",
    "phone",
    "email",
    "preferred_contact",
    "safe_to_leave_message",
    "protected_identity",
    "gender",
    "age_group",
    "municipality",
    "seeker_role",
    "police_referral_form",
]

# Saved after the case row, with set(): the markers.
MANY = ("circumstances",)

# What a registered case loses when a coordinator makes it anonymous.
# (Its journal goes too: cases/journal.py, called from update_case.)
ANONYMISED_ON_REQUEST = ("first_name", "last_name", "phone", "email")


class EditConflict(Exception):
    """Someone else saved the case after this form was opened."""

    def __init__(self, current: Case):
        super().__init__("edit conflict")
        self.current = current


# Nothing this system holds reached the jour before this day: an earlier date is a typo
# (1900 would make the deadline long past and escalate at once).
EARLIEST_RECEIVED = datetime(2000, 1, 1, tzinfo=STOCKHOLM)


def _check_received_at(received_at: datetime, now: datetime) -> None:
    if received_at > now:
        raise ValidationError({"received_at": _("The time a case reached the jour cannot be in the future.")})
    if received_at < EARLIEST_RECEIVED:
        raise ValidationError({"received_at": _("Give a date from the year 2000 on: check the year.")})


def _next_number(year: int) -> int:
    """The next sequence number of the year, under a row lock: concurrent
    registrations wait for each other, so numbers have no gaps or duplicates."""
    try:
        with transaction.atomic():
            CaseNumberSequence.objects.get_or_create(year=year)
    except IntegrityError:  # created by a concurrent registration a moment ago
        pass
    sequence = CaseNumberSequence.objects.select_for_update().get(year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value


def register_case(*, data: dict, by: User, now: datetime | None = None) -> Case:
    now = now or timezone.now()
    _check_received_at(data["received_at"], now)
    with transaction.atomic(), set_actor(by):
        year = timezone.localtime(now).year
        sequence = _next_number(year)
        case = Case(
            **{field: data[field] for field in EDITABLE_FIELDS if field in data and field not in MANY},
            year=year,
            sequence=sequence,
            number=f"{year}-{sequence:04d}",
            registered_at=now,
            registered_by=by,
            status=Status.NEW,
        )
        if not case.first_contact_by:
            case.first_contact_by = first_contact_by_channel(case.channel)
        deadlines.set_deadline(case)
        if case.anonymous and case.channel in ANSWERED_AT_ONCE:
            # The anonymous call or visit is itself the contact: there is nobody to call back.
            deadlines.stop_clock(case, case.received_at, at_registration=True)
            case.status = Status.ACTIVE
        case.full_clean(exclude=["registered_by"])
        case.save()
        if "circumstances" in data:
            case.circumstances.set(data["circumstances"])
        paper.keep_police_form_in_the_register(case, was=ReferralForm.NONE, by=by)
        identifiers.refresh(case)
    return case


def update_case(*, case: Case, data: dict, expected_version: int, by: User, now: datetime | None = None) -> Case:
    """Save an edit unless the case changed since the form was opened.

    A lost update would silently undo a colleague's work; instead the caller
    gets EditConflict with the current case and can show both versions.
    """
    now = now or timezone.now()
    if "received_at" in data:
        _check_received_at(data["received_at"], now)
    with transaction.atomic(), set_actor(by):
        current = Case.objects.select_for_update().get(pk=case.pk)
        if current.anonymised_at:
            raise ValidationError(_("The personal data of this case has been removed; it can no longer be edited."))
        if current.version != expected_version:
            raise EditConflict(current)
        if current.first_contact_at and data.get("received_at", current.received_at) > current.first_contact_at:
            raise ValidationError({"received_at": _("A case cannot reach the jour after its first contact attempt.")})
        if data.get("anonymous") and not current.anonymous and not access.may_manage_cases(by):
            raise ValidationError({"anonymous": _("Only a coordinator can make a registered case anonymous.")})
        deadline_inputs = (current.received_at, current.priority)
        form_was = current.police_referral_form
        was_anonymous = current.anonymous
        for field in EDITABLE_FIELDS:
            if field in data and field not in MANY:
                setattr(current, field, data[field])
        if not current.first_contact_by:
            current.first_contact_by = first_contact_by_channel(current.channel)
        if "crime_type" in data and access.may_manage_cases(by):
            current.crime_type_to_review = False  # a coordinator has looked at it
        if (current.received_at, current.priority) != deadline_inputs:
            # Moves the deadline of a case still waiting; a first attempt already
            # made keeps the deadline it was made under (deadlines.stop_clock).
            deadlines.set_deadline(current)
            deadlines.reset_alerts_after_deadline_change(current, now)
            current.first_contact_hours = deadlines.hours_to_first_contact(current)
        current.version += 1
        current.full_clean(exclude=["registered_by"])
        current.save()
        if "circumstances" in data:
            current.circumstances.set(data["circumstances"])
        if current.anonymous and not was_anonymous:
            # What was written about the seeker goes with their name.
            journal.remove_all(current)
        paper.keep_police_form_in_the_register(current, was=form_was, by=by)
        identifiers.refresh(current)
    return current


def _refresh_status(case: Case) -> None:
    if case.status == Status.CLOSED:
        return
    if case.first_contact_at is not None:
        case.status = Status.ACTIVE
    elif case.assignments.filter(ended_at__isnull=True).exists():
        case.status = Status.AWAITING_FIRST_CONTACT
    else:
        case.status = Status.NEW


def _save_case(case: Case, fields: list[str]) -> None:
    case.version += 1
    case.save(update_fields=[*fields, "version"])


def over_capacity_warning(person: User, load: assignability.Load) -> str:
    return _(
        "%(name)s already has %(open)s of %(capacity)s cases. Tick the box to assign anyway; "
        "the handover note will say it was over capacity."
    ) % {"name": person.name, "open": load.open_cases, "capacity": load.capacity}


def over_capacity_note(note: str, load: assignability.Load) -> str:
    """The handover note of an assignment beyond the person's capacity: it says so, with the figures."""
    remark = _("Assigned over capacity (%(after)s of %(capacity)s)") % {
        "after": load.open_cases + 1,
        "capacity": load.capacity,
    }
    if len(note) + len(remark) + 2 > Assignment._meta.get_field("note").max_length:
        raise ValidationError(
            {
                "note": _("Shorten the handover note by %(n)s characters: the over-capacity remark must fit.")
                % {"n": len(note) + len(remark) + 2 - Assignment._meta.get_field("note").max_length}
            }
        )
    return f"{note}\n\n{remark}" if note else remark


def assign(
    *, case: Case, person: User, kind: str, note: str = "", by: User, confirm_over_capacity: bool = False
) -> Assignment:
    """Give ``person`` the case. One who already has as many cases as they can
    take is assigned only when ``confirm_over_capacity``, and the handover note says so."""
    if not access.may_be_assigned_cases(person):
        raise ValidationError({"person": _("Only active support persons can be assigned to a case.")})
    refused = assignability.reasons_against(person, timezone.localdate())
    if refused:
        raise ValidationError({"person": refused})
    note = note.strip()
    load = assignability.load_of(person, timezone.localdate())
    if load.full:
        if not confirm_over_capacity:
            raise ValidationError({"confirm_over_capacity": over_capacity_warning(person, load)})
        note = over_capacity_note(note, load)
    with transaction.atomic(), set_actor(by):
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.is_closed:
            raise ValidationError(_("The case is closed."))
        if case.assignments.filter(person=person, ended_at__isnull=True).exists():
            raise ValidationError({"person": _("This person is already assigned to the case.")})
        assignment = Assignment.objects.create(
            case=case, person=person, kind=AssignmentKind(kind), note=note, assigned_by=by
        )
        _refresh_status(case)
        _save_case(case, ["status"])
    return assignment


def end_assignment(*, assignment: Assignment, note: str = "", by: User | None) -> None:
    """Take a person off a case (handover); the note stays with the case."""
    with transaction.atomic(), set_actor(by):
        case = Case.objects.select_for_update().get(pk=assignment.case_id)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.ended_at is not None:
            return
        assignment.ended_at = timezone.now()
        assignment.ended_by = by
        # An anonymised case keeps no free text, whoever writes it.
        assignment.end_note = "" if case.anonymised_at else note.strip()
        assignment.save()
        _refresh_status(case)
        _save_case(case, ["status"])


def log_attempt(
    *, case: Case, made_at: datetime, method: str, outcome: str, note: str = "", by: User, now: datetime | None = None
) -> ContactAttempt:
    """Record a contact attempt. The first one, whatever its outcome, stops the clock."""
    now = now or timezone.now()
    if made_at > now:
        raise ValidationError({"made_at": _("A contact attempt cannot be in the future.")})
    with transaction.atomic(), set_actor(by):
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.anonymised_at:
            raise ValidationError(_("The personal data of this case has been removed; nothing more is recorded on it."))
        if made_at < case.received_at:
            raise ValidationError(
                {"made_at": _("A contact attempt cannot be earlier than when the case reached the jour.")}
            )
        attempt = ContactAttempt(
            case=case, made_at=made_at, method=method, outcome=outcome, note=note.strip(), made_by=by
        )
        attempt.full_clean(exclude=["case", "made_by"])
        attempt.save()
        if case.first_contact_at is None or made_at < case.first_contact_at:
            deadlines.stop_clock(case, made_at)
            _refresh_status(case)
            _save_case(case, [*deadlines.CLOCK_FIELDS, "status"])
    return attempt


def record_action(*, case: Case, done_on: date, kind: str, by: User, now: datetime | None = None) -> Action:
    """Record an action taken for the seeker ("insats"), done by `by` on `done_on`.

    A closed case takes one too (it may be recorded late, for a day it was
    open); a case whose personal data is removed takes nothing more."""
    now = now or timezone.now()
    if done_on > timezone.localdate(now):
        raise ValidationError({"done_on": _("An action cannot be recorded for a day in the future.")})
    with transaction.atomic(), set_actor(by):
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.anonymised_at:
            raise ValidationError(_("The personal data of this case has been removed; nothing more is recorded on it."))
        received_on = timezone.localdate(case.received_at)
        if done_on < received_on:
            raise ValidationError(
                {
                    "done_on": _("An action cannot be earlier than the day the case reached the jour (%(day)s).")
                    % {"day": formatting.day(received_on)}
                }
            )
        action = Action(case=case, done_on=done_on, kind=kind, done_by=by)
        action.full_clean(exclude=["case", "done_by"])
        action.save()
    return action


def may_remove_action(action: Action, user: User) -> bool:
    """The person who recorded it, or a coordinator."""
    return action.done_by_id == user.pk or access.may_manage_cases(user)


def remove_action(*, action: Action, by: User) -> None:
    """Delete an action recorded by mistake; auditlog keeps the deletion with its actor."""
    if not may_remove_action(action, by):
        raise ValidationError(_("Only the person who recorded an action, or a coordinator, can remove it."))
    with transaction.atomic(), set_actor(by):
        case = Case.objects.select_for_update().get(pk=action.case_id)
        if case.anonymised_at:
            # What was counted then stays counted: the statistics were made from it.
            raise ValidationError(_("The personal data of this case has been removed; its actions stay as they are."))
        current = Action.objects.select_for_update().filter(pk=action.pk).first()
        if current is not None:  # a second click finds it gone: nothing to do
            current.delete()


def close_case(*, case: Case, reason: str, by: User, now: datetime | None = None) -> Case:
    now = now or timezone.now()
    with transaction.atomic(), set_actor(by):
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.is_closed:
            raise ValidationError(_("The case is already closed."))
        case.status = Status.CLOSED
        case.closed_at = now
        case.closing_reason = reason
        case.full_clean(exclude=["registered_by"])
        _save_case(case, ["status", "closed_at", "closing_reason"])
    return case


def reopen_case(*, case: Case, by: User) -> Case:
    with transaction.atomic(), set_actor(by):
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not case.is_closed:
            return case
        if case.anonymised_at:
            raise ValidationError(
                _("The personal data of this case has been removed: register a new case if the seeker returns.")
            )
        case.status = Status.NEW
        case.closed_at = None
        case.closing_reason = ""
        _refresh_status(case)
        _save_case(case, ["status", "closed_at", "closing_reason"])
    return case


# --- Special circumstances ---------------------------------------------------


def save_circumstance(*, marker: Circumstance, by: User) -> Circumstance:
    """Save a marker a form has filled in; a built-in one keeps its code."""
    with transaction.atomic(), set_actor(by):
        marker.save()
    return marker


# --- Risk check ----------------------------------------------------------------

RISK_FIELDS = ("immediate_danger", "threats_known_person", "children_at_risk", "protected_identity_needed")


def record_risk_check(*, case: Case, answers: dict, by) -> RiskCheck:
    """Record the answers. A "yes" to immediate danger only suggests urgent
    priority: the deadline changes when a coordinator confirms it."""
    if case.anonymised_at:
        raise ValidationError(_("The personal data of this case has been removed; nothing new can be added."))
    with transaction.atomic(), set_actor(by):
        return RiskCheck.objects.create(case=case, recorded_by=by, **{f: answers[f] for f in RISK_FIELDS})


def confirm_urgent(*, check: RiskCheck, by) -> Case:
    """Make the case urgent: a case still waiting gets the urgent allowance; a
    first attempt already made stays judged by the deadline it was made under."""
    case = Case.objects.get(pk=check.case_id)
    if not check.danger:
        raise ValidationError(_("Only a risk check that found immediate danger makes a case urgent here."))
    with transaction.atomic(), set_actor(by):
        if case.priority != Priority.URGENT:
            case = update_case(case=case, data={"priority": Priority.URGENT}, expected_version=case.version, by=by)
        check.urgent_confirmed_by, check.urgent_confirmed_at = by, timezone.now()
        check.save(update_fields=["urgent_confirmed_by", "urgent_confirmed_at"])
    return case
