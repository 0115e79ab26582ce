"""Planning appointments: save, change and delete, and the first-names-only
check of what a user typed. Reads are in calendars/selectors.py."""

import re
import unicodedata

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import identifiers

from .models import CASE_KINDS, Appointment, AppointmentKind, Place

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


def validate(*, kind: str, case, participants, texts: dict[str, str]) -> None:
    if kind == AppointmentKind.MEETING and case is None:
        raise ValidationError({"case": _("A meeting with a seeker belongs to a case: give its case number.")})
    if case is not None and kind not in CASE_KINDS:
        raise ValidationError({"case": _("Only meetings with a seeker and court hearings belong to a case.")})
    if case is not None and case.anonymised_at:
        raise ValidationError({"case": _("The personal data of this case has been removed; plan nothing new on it.")})
    if kind in NEEDS_PARTICIPANTS and not participants:
        raise ValidationError({"participants": _("Choose who goes.")})
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
    validate(
        kind=data["kind"],
        case=data.get("case"),
        participants=participants,
        texts={name: data.get(name, "") for name in TEXT_FIELDS},
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
