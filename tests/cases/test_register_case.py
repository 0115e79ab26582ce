"""Registering a case: never received in the future, back-dating allowed, the
deadline in working hours, and only the coordinator registers."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseNumberSequence, Status
from jour.workdays import STOCKHOLM, is_working_day, working_hours_between
from tests.personas import login_verified

from .factories import SEEKER, case_form_data, make_case


def test_a_received_at_in_the_future_is_refused_and_nothing_is_saved(client, people):
    login_verified(client, people.coordinator)
    future = timezone.now() + timedelta(days=1)
    typed = case_form_data(received_at=future, municipality="2182")
    response = client.post(reverse("case_create"), typed)
    assert response.status_code == 400  # refused, with what was typed
    form = response.context["form"]
    assert "received_at" in form.errors
    assert Case.objects.count() == 0
    assert CaseNumberSequence.objects.filter(last_value__gt=0).count() == 0  # no number used up
    # What was typed is still in the form.
    for field in ["first_name", "last_name", "phone", "email", "municipality", "received_at"]:
        assert form[field].value() == typed[field], field
    html = response.content.decode()
    for value in [SEEKER["first_name"], SEEKER["last_name"], SEEKER["email"], '"2182" selected', typed["received_at"]]:
        assert value in html


def test_the_next_registration_after_a_refusal_gets_number_one(client, people):
    login_verified(client, people.coordinator)
    client.post(reverse("case_create"), case_form_data(received_at=timezone.now() + timedelta(hours=2)))
    client.post(reverse("case_create"), case_form_data(received_at=timezone.now() - timedelta(hours=2)))
    assert list(Case.objects.values_list("sequence", flat=True)) == [1]


@pytest.mark.parametrize(
    ("received", "priority", "due"),
    [
        # Tuesday 23 Dec 2025, 10:00, normal: Tue 14 h; 24 (julafton), 25 (juldagen), 26 (annandag jul)
        # and the weekend 27-28 do not count; Mon 29: 24 h (38); Tue 30 until 10:00 (48).
        (datetime(2025, 12, 23, 10, 0), "normal", datetime(2025, 12, 30, 10, 0)),
        # Tuesday 30 Dec 2025, 18:00, urgent: Tue 6 h; 31 (nyårsafton) and 1 Jan (nyårsdagen) do
        # not count; Fri 2 Jan 2026 until 18:00 (24).
        (datetime(2025, 12, 30, 18, 0), "urgent", datetime(2026, 1, 2, 18, 0)),
        # Friday 20 Nov 2026, 15:00, urgent: Fri 9 h; weekend; Mon 23 until 15:00 (24).
        (datetime(2026, 11, 20, 15, 0), "urgent", datetime(2026, 11, 23, 15, 0)),
        # Saturday 21 Nov 2026, 12:00, normal: the clock starts Monday 00:00; due Wednesday 00:00.
        (datetime(2026, 11, 21, 12, 0), "normal", datetime(2026, 11, 25, 0, 0)),
    ],
)
def test_a_back_dated_registration_is_accepted_with_the_deadline_in_working_hours(
    client, people, received, priority, due
):
    received, due = received.replace(tzinfo=STOCKHOLM), due.replace(tzinfo=STOCKHOLM)
    login_verified(client, people.coordinator)
    response = client.post(reverse("case_create"), case_form_data(received_at=received, priority=priority))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("case_detail", args=[case.pk])
    assert case.received_at == received
    assert case.first_contact_due == due
    hours = 48 if priority == "normal" else 24
    assert working_hours_between(received, due) == timedelta(hours=hours)
    assert working_hours_between(received, case.first_contact_warn_at) == timedelta(hours=hours - 4)
    assert case.status == Status.NEW
    assert case.registered_by == people.coordinator
    assert case.number == f"{timezone.localtime().year}-0001"  # the registration year, not the received year


def test_the_christmas_2026_example():
    """Wednesday (not Thursday) 23 Dec 2026, 10:00, normal → Tuesday 29 Dec 2026, 10:00."""
    received = datetime(2026, 12, 23, 10, 0, tzinfo=STOCKHOLM)
    assert received.strftime("%A") == "Wednesday"
    assert [is_working_day(date(2026, 12, d)) for d in range(23, 30)] == [
        True,  # Wed 23
        False,  # Thu 24 julafton
        False,  # Fri 25 juldagen
        False,  # Sat 26 annandag jul
        False,  # Sun 27
        True,  # Mon 28
        True,  # Tue 29
    ]
    # 14 h on the 23rd + 24 h on the 28th + 10 h on the 29th = 48 h.
    assert working_hours_between(received, datetime(2026, 12, 29, 10, 0, tzinfo=STOCKHOLM)) == timedelta(hours=48)


def test_the_christmas_2026_example_through_the_service(people):
    received = datetime(2026, 12, 23, 10, 0, tzinfo=STOCKHOLM)
    case = make_case(people.coordinator, now=received + timedelta(hours=1), received_at=received)
    assert case.first_contact_due == datetime(2026, 12, 29, 10, 0, tzinfo=STOCKHOLM)
    assert case.first_contact_warn_at == datetime(2026, 12, 29, 6, 0, tzinfo=STOCKHOLM)
    urgent = make_case(people.coordinator, now=received + timedelta(hours=1), received_at=received, priority="urgent")
    # 14 h on the 23rd + 10 h on Monday the 28th.
    assert urgent.first_contact_due == datetime(2026, 12, 28, 10, 0, tzinfo=STOCKHOLM)


@pytest.mark.parametrize("persona", ["alex", "board", "auditor"])
def test_only_the_coordinator_registers(client, people, persona):
    login_verified(client, getattr(people, persona))
    assert client.get(reverse("case_create")).status_code == 403
    response = client.post(reverse("case_create"), case_form_data(received_at=timezone.now() - timedelta(hours=1)))
    assert response.status_code == 403
    assert Case.objects.count() == 0
    assert CaseNumberSequence.objects.filter(last_value__gt=0).count() == 0


def test_the_coordinator_registers(client, people):
    login_verified(client, people.coordinator)
    assert client.get(reverse("case_create")).status_code == 200
    response = client.post(reverse("case_create"), case_form_data(received_at=timezone.now() - timedelta(hours=1)))
    assert response.status_code == 302
    assert Case.objects.get().first_name == SEEKER["first_name"]
