"""The demo jour's calendar: phone hours, its register of places and a week of appointments, once."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from calendars.models import Appointment, AppointmentKind, PhoneHours, Place, PlaceKind
from cases.models import Case
from jour.models import Role, User
from jour.workdays import STOCKHOLM, next_working_day_start


def seed_calendar(demo_domain: str) -> None:
    users = {u.role: u for u in User.objects.filter(email__endswith="@" + demo_domain).order_by("-pk")}
    coordinator, volunteer = users.get(Role.COORDINATOR), users.get(Role.SUPPORT_PERSON)
    if coordinator is None or volunteer is None:
        return
    with transaction.atomic():
        if not PhoneHours.objects.exists():
            for weekday in range(4):
                PhoneHours.objects.create(weekday=weekday, opens=time(9), closes=time(16))
            PhoneHours.objects.create(weekday=4, opens=time(9), closes=time(12))
        office, _ = Place.objects.get_or_create(
            name="Jourens lokal", defaults={"kind": PlaceKind.OFFICE, "address": "Storgatan 1, Exempelstad"}
        )
        court, _ = Place.objects.get_or_create(
            name="Exempelstads tingsrätt", defaults={"kind": PlaceKind.COURT, "address": "Rättsvägen 5, Exempelstad"}
        )
        if Appointment.objects.exists():
            return
        cases = list(Case.objects.filter(assignments__person=volunteer, assignments__ended_at__isnull=True)[:2])
        first_day = next_working_day_start(timezone.localdate()).date()
        second_day = next_working_day_start(first_day).date()

        def at(day, hour, minutes=0):
            return datetime.combine(day, time(hour, minutes), tzinfo=STOCKHOLM)

        plan = [
            (
                AppointmentKind.COURT,
                cases[0] if cases else None,
                at(first_day, 9, 30),
                3,
                court,
                "Sal 2",
            ),
            (
                AppointmentKind.MEETING,
                cases[-1] if cases else None,
                at(second_day, 13),
                1,
                office,
                "Samtalsrummet",
            ),
            (AppointmentKind.GROUP_SUPERVISION, None, at(second_day, 18), 2, office, ""),
            (AppointmentKind.BOARD, None, at(second_day + timedelta(days=7), 18), 2, office, ""),
        ]
        for kind, case, start, hours, venue, room in plan:
            if kind == AppointmentKind.MEETING and case is None:
                continue
            appointment = Appointment.objects.create(
                kind=kind,
                case=case,
                starts_at=start,
                ends_at=start + timedelta(hours=hours),
                venue=venue,
                room=room,
                created_by=coordinator,
            )
            if kind in (AppointmentKind.COURT, AppointmentKind.MEETING):
                appointment.participants.add(volunteer)
