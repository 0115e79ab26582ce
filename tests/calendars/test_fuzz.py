"""Figure 11 for the calendar's forms: any input gets an answer, never a server error."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from calendars.models import Appointment, PhoneHours
from tests.jour.test_forms_fuzz import FUZZ, junk, post
from tests.personas import login_verified

APPOINTMENT_FIELDS = ("kind", "case_number", "day", "starts", "ends", "place", "room", "title", "participants")
HOURS_FIELDS = tuple(f"{edge}_{day}" for edge in ("opens", "closes") for day in range(7))
# A board meeting that would be saved, but for its participants.
BOARD_MEETING = {"kind": "board", "day": "2030-01-07", "starts": "10:00", "ends": "11:00"}


def test_appointment_form(client, people):
    login_verified(client, people.coordinator)

    @FUZZ
    @given(data=junk(*APPOINTMENT_FIELDS))
    # An id beyond a bigint reached the database (SQLite: OverflowError); now a form error.
    @example(data={**BOARD_MEETING, "participants": ["1" * 30]})
    @example(data={**BOARD_MEETING, "participants": [str(people.alex.pk), str(2**63)]})
    @example(data={**BOARD_MEETING, "day": "0001-01-01", "participants": [str(people.alex.pk)]})
    @example(data={**BOARD_MEETING, "day": "9999-12-31", "participants": [str(people.alex.pk)]})
    def run(data):
        response = post(client, reverse("appointment_create"), data)
        if data.keys() >= BOARD_MEETING.keys() and data.items() >= BOARD_MEETING.items():
            assert response.context["form"].errors["participants"]

    run()
    # Junk never makes an appointment: a valid one needs a kind, a date and two times that parse.
    assert Appointment.objects.count() == 0


def test_an_appointment_lies_within_five_years_of_today(client, people):
    """Issue 16, item 7: 0001-01-01 and 9999-12-31 were accepted; they are a typo."""
    login_verified(client, people.coordinator)
    today = timezone.localdate()
    for day in ("0001-01-01", "9999-12-31", (today + timedelta(days=6 * 366)).isoformat(), "1990-05-01"):
        data = {**BOARD_MEETING, "day": day, "participants": [str(people.alex.pk)]}
        response = client.post(reverse("appointment_create"), data, headers={"accept-language": "en"})
        assert response.status_code in (200, 400), day
        assert "Choose a date within 5 years of today." in response.content.decode(), day
    assert Appointment.objects.count() == 0
    inside = {**BOARD_MEETING, "day": (today + timedelta(days=4 * 365)).isoformat(), "participants": [people.alex.pk]}
    assert client.post(reverse("appointment_create"), inside).status_code == 302
    assert Appointment.objects.count() == 1


def test_support_persons_appointment_form(client, people):
    login_verified(client, people.alex)

    @FUZZ
    @given(data=junk(*APPOINTMENT_FIELDS))
    def run(data):
        post(client, reverse("appointment_create"), data)

    run()


def test_phone_hours_and_closures(client, people):
    login_verified(client, people.coordinator)

    @FUZZ
    @given(data=junk(*HOURS_FIELDS), closure=junk("day", "reason"), action=st.sampled_from(["create", "revoke", "x"]))
    def run(data, closure, action):
        post(client, reverse("phone_hours"), data)
        post(client, reverse("phone_closure_add"), closure)
        post(client, reverse("feed_settings"), {"action": action})

    run()
    assert all(row.closes > row.opens for row in PhoneHours.objects.all())
