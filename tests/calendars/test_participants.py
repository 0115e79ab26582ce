"""Who goes to an appointment: offered by name, and only among those who can see it.

A seeker's meeting is seen by the coordinators and the support persons on the
case now (Appointment.objects.visible_to). Kim (coordinator) plans; Alex is on
the case, Sam is not; Maria (board) and Johan (auditor) plan nothing.
"""

import re

import pytest
from django.urls import reverse

from calendars.models import Appointment, AppointmentKind
from cases import services as case_services
from tests.cases.factories import assign, make_case

from .helpers import client_for, plan, working_day_ahead

K = AppointmentKind
REFUSED = "cannot see appointments of this case"


@pytest.fixture
def case(people):
    case = make_case(people.coordinator)
    assign(case, people.alex, by=people.coordinator)
    return case


def offered(html: str) -> set[int]:
    """The people ticked or tickable in the participant list (its own element, swapped by htmx)."""
    found = re.search(r'<div class="field[^"]*"\s+id="participants-field".*?</fieldset>', html, re.S)
    assert found, "no participant list on the page"
    return {int(pk) for pk in re.findall(r'name="participants" value="(\d+)"', found.group(0))}


def ticked(html: str) -> set[int]:
    block = re.search(r'id="participants-field".*?</fieldset>', html, re.S).group(0)
    return {int(pk) for pk in re.findall(r'name="participants" value="(\d+)"[^>]*checked', block)}


def meeting(case_number: str, *participants) -> dict:
    return {
        "kind": K.MEETING,
        "case_number": case_number,
        "day": working_day_ahead().isoformat(),
        "starts": "10:00",
        "ends": "11:00",
        "participants": [person.pk for person in participants],
    }


def test_people_are_offered_by_name_not_as_user_numbers(people, case):
    html = client_for(people.coordinator).get(reverse("appointment_create")).content.decode()
    assert "user #" not in html
    for person in (people.coordinator, people.alex, people.sam):
        assert f"{person.name}</label>" in html
    # Without a case: everyone who plans appointments, and nobody else.
    assert offered(html) == {people.coordinator.pk, people.alex.pk, people.sam.pk}


def test_a_case_offers_only_those_on_it_now(people, case):
    client = client_for(people.coordinator)
    html = client.get(reverse("appointment_create"), {"case": case.pk}).content.decode()
    assert offered(html) == {people.coordinator.pk, people.alex.pk}
    assert people.sam.name not in html


def test_someone_not_on_the_case_is_refused_by_name_and_nothing_is_saved(people, case):
    client = client_for(people.coordinator)
    response = client.post(reverse("appointment_create"), meeting(case.number, people.alex, people.sam))
    assert response.status_code == 400
    errors = response.context["form"].errors["participants"]
    assert any(REFUSED in error and people.sam.name in error for error in errors), errors
    assert people.alex.name not in " ".join(errors)
    assert not Appointment.objects.exists()


def test_those_on_the_case_and_the_coordinator_go(people, case):
    client = client_for(people.coordinator)
    response = client.post(reverse("appointment_create"), meeting(case.number, people.alex, people.coordinator))
    assert response.status_code == 302
    made = Appointment.objects.get()
    assert set(made.participants.all()) == {people.alex, people.coordinator}
    assert Appointment.objects.visible_to(people.alex).filter(pk=made.pk).exists()


def test_a_support_person_taken_off_the_case_is_no_longer_offered_nor_accepted(people, case):
    assignment = case.assignments.get(person=people.alex)
    case_services.end_assignment(assignment=assignment, by=people.coordinator)
    client = client_for(people.coordinator)
    html = client.get(reverse("appointment_create"), {"case": case.pk}).content.decode()
    assert offered(html) == {people.coordinator.pk}
    response = client.post(reverse("appointment_create"), meeting(case.number, people.alex))
    assert response.status_code == 400
    assert not Appointment.objects.exists()


def test_the_service_refuses_too(people, case):
    """Whatever calls it (a form, a command): the rule is the service's."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        plan(K.MEETING, by=people.coordinator, day=working_day_ahead(), case=case, participants=[people.sam])
    assert "participants" in refused.value.message_dict
    assert not Appointment.objects.exists()


def test_the_list_follows_the_case_number_typed(people, case):
    """htmx posts the form when the case number changes: the list comes back for that case, nothing saved,
    and a tick outside the new list drops."""
    other = make_case(people.coordinator)
    assign(other, people.sam, by=people.coordinator)
    client = client_for(people.coordinator)
    data = meeting(other.number, people.alex, people.sam)
    response = client.post(
        reverse("appointment_create"), data, headers={"HX-Request": "true", "HX-Trigger-Name": "case_number"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert offered(html) == {people.coordinator.pk, people.sam.pk}
    assert ticked(html) == {people.sam.pk}
    assert not Appointment.objects.exists()
    # The case number field asks for it, to this same address, and swaps only the list.
    field = re.search(r'<input[^>]*name="case_number"[^>]*>', html).group(0)
    assert 'hx-post="/calendar/new/"' in field and 'hx-select="#participants-field"' in field


def test_an_edit_keeps_who_already_goes_but_adds_nobody_off_the_case(people, case):
    kim = people.coordinator
    made = plan(K.MEETING, by=kim, day=working_day_ahead(), case=case, participants=[people.alex])
    case_services.end_assignment(assignment=case.assignments.get(person=people.alex), by=kim)
    client = client_for(kim)
    url = reverse("appointment_edit", args=[made.pk])
    assert offered(client.get(url).content.decode()) == {kim.pk, people.alex.pk}
    data = {**meeting(case.number, people.alex, kim), "version": made.version}
    assert client.post(url, data).status_code == 302
    assert set(made.participants.all()) == {people.alex, kim}
    data = {**meeting(case.number, people.alex, people.sam), "version": made.version + 1}
    assert client.post(url, data).status_code == 400
    assert set(made.participants.all()) == {people.alex, kim}


@pytest.mark.parametrize("typed", ["2026-\x000001", "x" * 500, "  "])
def test_a_malformed_case_number_offers_the_list_without_a_case(people, case, typed):
    """The list is worked out before validation: what was typed must not reach the database unchecked."""
    response = client_for(people.coordinator).post(reverse("appointment_create"), meeting(typed, people.alex))
    assert response.status_code == 400
    assert not Appointment.objects.exists()
