"""The month, week and "next" views of appointments, and who may change one.

Views, the feed and the reminders all read appointments through
``Appointment.objects.visible_to`` and render them with
``Appointment.summary``, so the first-names-only rule lives in one place.
"""

import calendar as stdcalendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from jour import access
from jour.audit import record_bulk_access
from jour.workdays import STOCKHOLM, is_working_day

from .models import CASE_KINDS, SHARED_KINDS, Appointment, AppointmentKind, WitnessSupport


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
    return queryset.select_related("case", "venue").prefetch_related("participants").order_by("starts_at", "pk")


def between(user, start: date, end: date):
    """The user's appointments starting on ``start`` up to, not including, ``end``."""
    return _for_display(
        Appointment.objects.visible_to(user).filter(
            starts_at__gte=combine(start, time()), starts_at__lt=combine(end, time())
        )
    )


def upcoming(user, now: datetime | None = None, limit: int = 5):
    """ "My next appointments", from now on: those the user goes to, and the
    shared ones (board meetings, group supervision) that list nobody, which are
    everyone's. A coordinator sees every appointment, but goes to few of them."""
    now = now or timezone.now()
    going = Appointment.participants.through.objects.filter(appointment=OuterRef("pk"))
    mine = Exists(going.filter(user=user)) | (Q(kind__in=SHARED_KINDS) & ~Exists(going))
    coming = Appointment.objects.visible_to(user).filter(mine, ends_at__gte=now, cancelled_at__isnull=True)
    return list(_for_display(coming)[:limit])


def record_shown(request, appointments, *, label: str) -> None:
    """One access entry for a page that shows appointments of seekers (their
    first names), with how many; nothing when none concerns a seeker."""
    count = sum(1 for appointment in appointments if appointment.case_id)
    if count:
        record_bulk_access(model=Appointment, actor=request.user, label=label, changes={"rows": ["", str(count)]})


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


# --- witness support -------------------------------------------------------------------


def witness_support(user, year: int):
    """The witness-support records of a calendar year the user may see, newest first."""
    return (
        WitnessSupport.objects.visible_to(user)
        .filter(supported_on__year=year)
        .select_related("court", "case", "supported_by")
        .order_by("-supported_on", "-pk")
    )


def witness_support_years(user) -> list[int]:
    """The years the user has witness-support records in, and this year, newest first."""
    found = WitnessSupport.objects.visible_to(user).dates("supported_on", "year")
    return sorted({day.year for day in found} | {timezone.localdate().year}, reverse=True)


def witness_support_of_case(user, case):
    """The case's witness-support records the user may see, newest first."""
    return witness_support_for(user).filter(case=case)


def witness_support_for(user):
    return (
        WitnessSupport.objects.visible_to(user).select_related("court", "supported_by").order_by("-supported_on", "-pk")
    )


def court_hearing(user, pk) -> Appointment | None:
    """A court hearing in the user's calendar, for prefilling a witness-support record."""
    return (
        Appointment.objects.visible_to(user)
        .filter(pk=pk, kind=AppointmentKind.COURT, cancelled_at__isnull=True)
        .select_related("venue")
        .first()
    )
