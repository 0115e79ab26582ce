"""The demo jour's calendar: phone hours, its register of places, a week of
appointments and this year's witness support at court, once."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from calendars.models import Appointment, AppointmentKind, PhoneHours, Place, PlaceKind, WitnessRole, WitnessSupport
from cases.models import AgeGroup, Case, Gender
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
        other_court, _ = Place.objects.get_or_create(
            name="Grannby tingsrätt", defaults={"kind": PlaceKind.COURT, "address": "Tingsgatan 2, Grannby"}
        )
        seed_witness_support([court, other_court], coordinator=coordinator, volunteer=volunteer)
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


# (days ago, court, role, gender, age group): a year's worth of people supported at court.
WITNESS_SUPPORT = [
    (2, 0, WitnessRole.INJURED_PARTY, Gender.WOMAN, AgeGroup.ADULT),
    (2, 0, WitnessRole.RELATIVE_OR_FRIEND, Gender.MAN, AgeGroup.ADULT),
    (9, 0, WitnessRole.WITNESS, Gender.WOMAN, AgeGroup.YOUNG_ADULT),
    (9, 0, WitnessRole.WITNESS, Gender.MAN, AgeGroup.ADULT),
    (16, 1, WitnessRole.INJURED_PARTY, Gender.WOMAN, AgeGroup.SENIOR),
    (23, 0, WitnessRole.DEFENDANT, Gender.MAN, AgeGroup.YOUNG_ADULT),
    (30, 1, WitnessRole.WITNESS, Gender.WOMAN, AgeGroup.ADULT),
    (30, 1, WitnessRole.WITNESS, Gender.UNKNOWN, AgeGroup.UNKNOWN),
    (44, 0, WitnessRole.INJURED_PARTY, Gender.WOMAN, AgeGroup.YOUTH),
    (44, 0, WitnessRole.RELATIVE_OR_FRIEND, Gender.WOMAN, AgeGroup.ADULT),
    (58, 0, WitnessRole.WITNESS, Gender.MAN, AgeGroup.ADULT),
    (72, 1, WitnessRole.INJURED_PARTY, Gender.MAN, AgeGroup.ADULT),
]


def seed_witness_support(courts: list[Place], *, coordinator, volunteer) -> None:
    """A dozen people supported at court this year (none in the future, none before
    1 January), the first linked to a case of the demo volunteer; once."""
    if WitnessSupport.objects.exists():
        return
    today = timezone.localdate()
    case = Case.objects.filter(assignments__person=volunteer, assignments__ended_at__isnull=True).first()
    for n, (days_ago, court, role, gender, age_group) in enumerate(WITNESS_SUPPORT):
        WitnessSupport.objects.create(
            supported_on=max(today - timedelta(days=days_ago), date(today.year, 1, 1)),
            court=courts[court],
            role=role,
            gender=gender,
            age_group=age_group,
            case=case if n == 0 else None,
            supported_by=volunteer if n % 3 else coordinator,
            recorded_by=volunteer if n % 3 else coordinator,
        )
