"""Planning appointments: save, change and delete, and the first-names-only
check of what a user typed; the places register; recording witness support.
Reads are in calendars/selectors.py."""

import re
import unicodedata

from auditlog.context import set_actor, set_extra_data
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import identifiers
from cases.models import Case
from jour import access, formatting
from jour.workdays import STOCKHOLM

from . import participants as who_goes
from .models import (
    CASE_KINDS,
    WITNESS_SUPPORT_FIRST_DAY,
    Appointment,
    AppointmentKind,
    Place,
    PlaceKind,
    WitnessSupport,
)

TEXT_FIELDS = ("title", "place", "room")
NEEDS_PARTICIPANTS = (AppointmentKind.MEETING, AppointmentKind.COURT, AppointmentKind.INDIVIDUAL_SUPERVISION)


class EditConflict(Exception):
    """Someone else saved the appointment after this form was opened."""

    def __init__(self, current: Appointment):
        super().__init__("edit conflict")
        self.current = current


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def check_first_names_only(case, texts: dict[str, str]) -> None:
    """Refuse a title or place that carries the seeker's surname, phone number
    or e-mail: the calendar may hold a first name and nothing more."""
    if case is None:
        return
    errors = {}
    surnames = [
        part for part in re.split(r"[\s-]+", unicodedata.normalize("NFC", case.last_name).lower()) if len(part) >= 2
    ]
    phone = _digits(case.phone)
    email = case.email.lower()
    for name, text in texts.items():
        # Compare composed characters: some keyboards send "ö" as "o" + a combining mark.
        lowered = unicodedata.normalize("NFC", text).lower()
        words = set(re.split(r"[^\w]+", lowered))
        if (
            # The surname, also in the genitive ("Anderssons" hus).
            any(part in words or part + "s" in words for part in surnames)
            or (len(phone) >= 6 and phone[-6:] in _digits(text))
            or (email and email in lowered)
        ):
            errors[name] = _(
                "The calendar holds first names only: remove the seeker's surname, phone number or e-mail."
            )
    if errors:
        raise ValidationError(errors)


def check_no_identifiers(texts: dict[str, str]) -> None:
    """Refuse a text that carries any seeker's surname, phone number or e-mail,
    or a personal identity number, in every appointment, with a case or
    without. The message does not say whose: that would tell who is a seeker."""
    message = _(
        "Write no surnames, phone numbers, e-mail addresses or identity numbers here: "
        "the calendar holds first names only."
    )
    errors = dict.fromkeys(identifiers.carrying_identifiers(texts), message)
    if errors:
        raise ValidationError(errors)


# Appointments lie within this many years of today: a date far outside is a typo
# (0001-01-01, 9999-12-31), and would sit in the calendar and its feeds for ever.
SANE_YEARS = 5


def check_sane_day(day) -> None:
    today = timezone.localdate()
    if abs(day.year - today.year) > SANE_YEARS or abs((day - today).days) > SANE_YEARS * 366:
        raise ValidationError({"day": _("Choose a date within %(n)s years of today.") % {"n": SANE_YEARS}})


def validate(*, kind: str, case, participants, texts: dict[str, str], kept=()) -> None:
    if kind == AppointmentKind.MEETING and case is None:
        raise ValidationError({"case": _("A meeting with a seeker belongs to a case: give its case number.")})
    if case is not None and kind not in CASE_KINDS:
        raise ValidationError({"case": _("Only meetings with a seeker and court hearings belong to a case.")})
    if case is not None and case.anonymised_at:
        raise ValidationError({"case": _("The personal data of this case has been removed; plan nothing new on it.")})
    if kind in NEEDS_PARTICIPANTS and not participants:
        raise ValidationError({"participants": _("Choose who goes.")})
    who_goes.check(case, participants, kept=kept)
    check_first_names_only(case, texts)
    check_no_identifiers(texts)


def save_appointment(
    *,
    appointment: Appointment | None,
    data: dict,
    participants,
    by,
    expected_version: int | None = None,
) -> Appointment:
    """Create (``appointment=None``) or update an appointment. An update made
    on top of someone else's newer save raises EditConflict, losing nothing."""
    participants = list(participants)
    case = data.get("case")
    # Whoever already goes stays while the case is the same; anyone added must be able to see it.
    same_case = appointment is not None and appointment.case_id == (case.pk if case else None)
    validate(
        kind=data["kind"],
        case=case,
        participants=participants,
        texts={name: data.get(name, "") for name in TEXT_FIELDS},
        kept=list(appointment.participants.all()) if same_case else (),
    )
    if data["ends_at"] <= data["starts_at"]:
        raise ValidationError({"ends": _("The appointment must end after it starts.")})
    check_sane_day(timezone.localtime(data["starts_at"]).date())
    with transaction.atomic(), set_actor(by):
        if appointment is None:
            current = Appointment(created_by=by)
        else:
            current = Appointment.objects.select_for_update().get(pk=appointment.pk)
            if expected_version is not None and current.version != expected_version:
                raise EditConflict(current)
            current.version += 1
        for name, value in data.items():
            setattr(current, name, value)
        current.full_clean(exclude=["created_by", "participants"])
        current.save()
        current.participants.set(participants)
    return current


def remove_appointment(*, appointment: Appointment, reason: str = "", by, now=None) -> bool:
    """Take an appointment off the calendar. One still to come is deleted; one
    that has started is the record of what was planned, so it is cancelled with
    a reason and kept (statistics count only those held). True when deleted."""
    now = now or timezone.now()
    with transaction.atomic(), set_actor(by):
        current = Appointment.objects.select_for_update().filter(pk=appointment.pk).first()
        if current is None:
            return True
        if current.starts_at > now:
            current.delete()
            return True
        if current.cancelled_at is not None:
            raise ValidationError(_("The appointment is already cancelled."))
        if not reason.strip():
            raise ValidationError(
                {"reason": _("The appointment has started or passed: say why it did not take place.")}
            )
        current.cancelled_at, current.cancelled_by, current.cancel_reason = now, by, reason.strip()
        current.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    return False


def save_place(*, place: Place, by) -> Place:
    """Save a place of the register a form has filled in."""
    with transaction.atomic(), set_actor(by):
        place.save()
    return place


# --- witness support at the courts ---------------------------------------------------

WITNESS_FIELDS = ("supported_on", "court", "role", "gender", "age_group", "case", "appointment", "supported_by")


class DeleteReason(models.TextChoices):
    """Why a witness-support record goes: chosen, not typed, so that the audit
    entry that keeps it says why without holding any free text."""

    DUPLICATE = "duplicate", _("It was recorded twice")
    NOT_GIVEN = "not_given", _("The support was not given")
    MISTAKE = "mistake", _("Recorded by mistake; recorded again correctly")


def check_witness_court(court: Place | None, *, kept: Place | None) -> None:
    if court is None or court.kind != PlaceKind.COURT:
        raise ValidationError({"court": _("Choose a court from the jour's register of places.")})
    # A record made before its court went out of use keeps it when it is corrected.
    if not court.active and court != kept:
        raise ValidationError(
            {"court": _("That court is no longer in use: choose another, or ask a coordinator to put it back in use.")}
        )


def check_witness_day(day) -> None:
    if day is None:
        raise ValidationError({"supported_on": _("Give the date of the support.")})
    if day > timezone.localdate():
        raise ValidationError({"supported_on": _("The date cannot be in the future: record the support once given.")})
    if day < WITNESS_SUPPORT_FIRST_DAY:
        raise ValidationError({"supported_on": _("Give a date in 2000 or later.")})


def check_witness_support(data: dict, *, by, record: WitnessSupport | None = None) -> None:
    """Every rule of a witness-support record, for the form and for any other
    caller. A case or hearing the user may not see is refused as if it did not
    exist: the message does not tell that it does."""
    check_witness_day(data.get("supported_on"))
    check_witness_court(data.get("court"), kept=record.court if record is not None else None)
    case = data.get("case")
    kept = record is not None and record.case_id == getattr(case, "pk", None)
    if case is not None and not kept and not Case.objects.visible_to(by).filter(pk=case.pk).exists():
        raise ValidationError({"case": _("No case of yours has that number.")})
    hearing = data.get("appointment")
    if hearing is not None:
        kept = record is not None and record.appointment_id == hearing.pk
        if not kept and not Appointment.objects.visible_to(by).filter(pk=hearing.pk).exists():
            raise ValidationError({"appointment": _("That court hearing is not in your calendar.")})
        if hearing.kind != AppointmentKind.COURT:
            raise ValidationError({"appointment": _("Witness support is linked to a court hearing only.")})
        if hearing.is_cancelled:
            raise ValidationError({"appointment": _("That court hearing was cancelled: no support was given at it.")})
        held_on = timezone.localtime(hearing.starts_at, STOCKHOLM).date()
        if data.get("supported_on") != held_on:
            raise ValidationError(
                {"supported_on": _("The hearing was on %(day)s: give that date.") % {"day": formatting.day(held_on)}}
            )
        if hearing.venue_id and hearing.venue.kind == PlaceKind.COURT and hearing.venue != data.get("court"):
            raise ValidationError(
                {"court": _("The hearing is at %(court)s: choose that court.") % {"court": hearing.venue}}
            )
    supporter = data.get("supported_by")
    kept = record is not None and supporter == record.supported_by  # who gave it may have left since
    if supporter is None or not (kept or access.may_record_witness_support(supporter)):
        raise ValidationError({"supported_by": _("Choose who gave the support from the list.")})
    if supporter != by and not access.may_see_all_witness_support(by):
        raise ValidationError({"supported_by": _("You record the support you gave yourself.")})


def record_witness_support(*, data: dict, by) -> WitnessSupport:
    """Record one person supported at court on one day (``data``: WITNESS_FIELDS)."""
    check_witness_support(data, by=by)
    record = WitnessSupport(recorded_by=by, **{name: data.get(name) for name in WITNESS_FIELDS})
    with transaction.atomic(), set_actor(by):
        record.full_clean()
        record.save()
    return record


def edit_witness_support(*, record: WitnessSupport, data: dict, by) -> WitnessSupport:
    """Correct a record; the audit log keeps what it said before."""
    check_witness_support(data, by=by, record=record)
    with transaction.atomic(), set_actor(by):
        for name in WITNESS_FIELDS:
            setattr(record, name, data.get(name))
        record.full_clean(exclude=["recorded_by"])
        record.save()
    return record


def delete_witness_support(*, record: WitnessSupport, reason: str, by) -> None:
    """Take a record out of the statistics. Its audit entry keeps what it said,
    who deleted it and why (a reason from DeleteReason, never typed text)."""
    if reason not in DeleteReason.values:
        raise ValidationError({"reason": _("Choose why the record goes.")})
    with transaction.atomic(), set_extra_data({"actor": by, "additional_data": {"reason": reason}}):
        current = WitnessSupport.objects.select_for_update().filter(pk=record.pk).first()
        if current is not None:  # already gone: a second click deletes nothing more
            current.delete()
