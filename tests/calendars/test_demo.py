"""`make run` seeds a calendar a first-time user can look at."""

from django.core.management import call_command
from django.utils import timezone

from calendars.models import Appointment, AppointmentKind, PhoneHours
from jour.models import User


def test_seed_demo_plans_a_week_and_is_idempotent(db, settings):
    settings.JOUR_ENV = "development"  # seed_demo refuses production only
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert PhoneHours.objects.count() == 5
    kinds = set(Appointment.objects.values_list("kind", flat=True))
    assert {AppointmentKind.COURT, AppointmentKind.MEETING, AppointmentKind.BOARD} <= kinds
    assert Appointment.objects.count() == 4
    volunteer = User.objects.get(email="stodperson@demo.example")
    assert Appointment.objects.visible_to(volunteer).filter(kind=AppointmentKind.COURT).exists()
    board = User.objects.get(email="styrelse@demo.example")
    assert set(Appointment.objects.visible_to(board).values_list("kind", flat=True)) == {AppointmentKind.BOARD}


def test_seed_demo_adds_partners_and_the_trafficking_routine(db, settings):
    from partners.models import Partner, Routine

    settings.JOUR_ENV = "development"
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert Partner.objects.count() == 4
    routine = Routine.objects.get(crime_type="trafficking")
    assert routine.versions.count() == 1 and routine.current().steps.count() == 6


def test_seed_demo_records_a_dozen_people_supported_at_court_once(db, settings):
    from calendars.models import PlaceKind, WitnessSupport

    settings.JOUR_ENV = "development"
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert WitnessSupport.objects.count() == 12
    assert not WitnessSupport.objects.filter(supported_on__gt=timezone.localdate()).exists()
    assert WitnessSupport.objects.values("court").distinct().count() == 2
    assert set(WitnessSupport.objects.values_list("court__kind", flat=True)) == {PlaceKind.COURT}
