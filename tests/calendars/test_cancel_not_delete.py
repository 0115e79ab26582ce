"""A past appointment is cancelled with a reason, never deleted (issue 16, item 6):
deleting a held meeting or hearing made the volunteers' hours in the
statistics drop after the fact."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from calendars import feeds, selectors
from calendars.models import Appointment, AppointmentKind
from tests.cases.factories import assign, make_case

from .helpers import client_for


@pytest.fixture
def held(people):
    case = make_case(people.coordinator)
    assign(case, people.alex, by=people.coordinator)
    start = timezone.now() - timedelta(days=2)
    appointment = Appointment.objects.create(
        kind=AppointmentKind.MEETING,
        case=case,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        created_by=people.coordinator,
    )
    appointment.participants.add(people.alex)
    return appointment


@pytest.mark.parametrize("who", ["alex", "coordinator"])
def test_a_past_appointment_needs_a_reason_and_is_kept(people, held, who):
    client = client_for(getattr(people, who), language="en")
    url = reverse("appointment_delete", args=[held.pk])

    response = client.post(url, follow=True)
    assert "say why it did not take place" in response.content.decode()
    assert Appointment.objects.get(pk=held.pk).cancelled_at is None

    client.post(url, {"reason": "The seeker cancelled by phone"})
    held.refresh_from_db()
    assert held.cancelled_at is not None and held.cancel_reason == "The seeker cancelled by phone"
    assert held.cancelled_by == getattr(people, who)
    page = client.get(reverse("appointment_detail", args=[held.pk])).content.decode()
    assert "Cancelled" in page and "The seeker cancelled by phone" in page


def test_a_coming_appointment_is_still_removed(people):
    start = timezone.now() + timedelta(days=5)
    board = Appointment.objects.create(
        kind=AppointmentKind.BOARD, starts_at=start, ends_at=start + timedelta(hours=2), created_by=people.coordinator
    )
    client_for(people.coordinator, language="en").post(reverse("appointment_delete", args=[board.pk]))
    assert not Appointment.objects.filter(pk=board.pk).exists()


def test_a_cancelled_appointment_is_in_no_feed_or_list_of_coming_ones(people, held):
    held.starts_at = timezone.now() + timedelta(hours=1)  # moved into the window of "coming"
    held.ends_at = held.starts_at + timedelta(hours=1)
    held.cancelled_at = timezone.now()
    held.save()
    assert held not in selectors.upcoming(people.alex)
    body, shown = feeds.render(people.alex)
    assert f"appointment-{held.pk}@".encode() not in body and shown == 0
