"""Planning appointments, and the month, week and "next" views of them.

Views, the feed and the reminders all read appointments through
``jour.access.appointments_visible_to`` and render them with
``Appointment.summary``, so the first-names-only rule lives in one place.
"""

import calendar as stdcalendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jour import access
from jour.workdays import STOCKHOLM, is_working_day

from .models import CASE_KINDS, Appointment, AppointmentKind

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


def delete_appointment(*, appointment: Appointment, by) -> None:
    with transaction.atomic(), set_actor(by):
        Appointment.objects.select_for_update().filter(pk=appointment.pk).first()
        appointment.delete()


def can_change(user, appointment: Appointment) -> bool:
    """Coordinators plan everything; a support person changes the seeker
    meetings and hearings they take part in (the caller has already scoped)."""
    if access.may_plan_every_appointment(user):
        return True
    if access.may_plan_appointments(user) and appointment.kind in CASE_KINDS:
        return appointment.participants.filter(pk=user.pk).exists()
    return False


def combine(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=STOCKHOLM)


def _for_display(queryset):
    return queryset.select_related("case").prefetch_related("participants").order_by("starts_at", "pk")


def between(user, start: date, end: date):
    """The user's appointments starting on ``start`` up to, not including, ``end``."""
    return _for_display(
        Appointment.objects.visible_to(user).filter(
            starts_at__gte=combine(start, time()), starts_at__lt=combine(end, time())
        )
    )


def upcoming(user, now: datetime | None = None, limit: int = 5):
    """ "My next appointments": the user's own and the shared ones, from now on."""
    now = now or timezone.now()
    return list(_for_display(Appointment.objects.visible_to(user).filter(ends_at__gte=now))[:limit])


@dataclass
class Day:
    day: date
    in_month: bool = True
    appointments: list = field(default_factory=list)

    @property
    def working(self) -> bool:
        return is_working_day(self.day)

    @property
    def today(self) -> bool:
        return self.day == timezone.localdate()


def _days(user, first: date, last: date, month: int | None = None) -> list[Day]:
    days = {first + timedelta(n): None for n in range((last - first).days + 1)}
    grid = {d: Day(d, in_month=month is None or d.month == month) for d in days}
    for appointment in between(user, first, last + timedelta(days=1)):
        grid[timezone.localtime(appointment.starts_at, STOCKHOLM).date()].appointments.append(appointment)
    return list(grid.values())


def month(user, year: int, month_number: int) -> list[list[Day]]:
    """Weeks (Monday first) covering the month, each a list of seven days."""
    weeks = stdcalendar.Calendar(firstweekday=0).monthdatescalendar(year, month_number)
    days = _days(user, weeks[0][0], weeks[-1][-1], month=month_number)
    return [days[i : i + 7] for i in range(0, len(days), 7)]


def week(user, iso_year: int, iso_week: int) -> list[Day]:
    monday = date.fromisocalendar(iso_year, iso_week, 1)
    return _days(user, monday, monday + timedelta(days=6))
