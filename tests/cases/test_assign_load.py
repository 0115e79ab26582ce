"""Assigning shows each support person's load, and asks before going beyond it.

Alex volunteers with a capacity of 2 cases; Sam's account belongs to nobody in
the register (no capacity known). Kim (coordinator) assigns.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.forms import AssignForm
from cases.models import Assignment
from jour.models import Role
from members.models import ConfidentialityPledge, Person, VolunteerAssignment
from tests.cases.factories import assign, make_case
from tests.personas import client_for, make_user

LONG_AGO = timezone.localdate() - timedelta(days=400)
OVER = "Assigned over capacity (3 of 2)"


def volunteer(account, *, capacity: int) -> Person:
    person = Person.objects.create(name=account.name, account=account)
    VolunteerAssignment.objects.create(person=person, start=LONG_AGO, basic_training_on=LONG_AGO, capacity=capacity)
    ConfidentialityPledge.objects.create(person=person, signed_on=LONG_AGO)
    return person


@pytest.fixture
def alex_full(people):
    """Alex, capacity 2, with two open cases (and one ended, which does not count)."""
    volunteer(people.alex, capacity=2)
    for _n in range(2):
        assign(make_case(people.coordinator), people.alex, by=people.coordinator)
    ended = services.assign(
        case=make_case(people.coordinator),
        person=people.alex,
        kind="support",
        by=people.coordinator,
        confirm_over_capacity=True,
    )
    services.end_assignment(assignment=ended, by=people.coordinator)
    return people.alex


def labels() -> dict[int, str]:
    return {int(value.value): label for value, label in AssignForm().fields["person"].choices if value}


def test_the_choices_show_open_cases_against_capacity(people, alex_full):
    assign(make_case(people.coordinator), people.sam, by=people.coordinator)
    shown = labels()
    assert shown[people.alex.pk] == "Alex Support — 2 of 2 cases"
    assert shown[people.sam.pk] == "Sam Support — 1 case"


def test_the_choices_cost_the_same_queries_for_one_person_or_many(people):
    volunteer(people.alex, capacity=3)
    with CaptureQueriesContext(connection) as one:
        labels()
    for n in range(6):
        account = make_user(f"v{n}@jour.test", f"Volunteer {n}", Role.SUPPORT_PERSON)
        volunteer(account, capacity=n + 1)
        assign(make_case(people.coordinator), account, by=people.coordinator)
    with CaptureQueriesContext(connection) as many:
        shown = labels()
    assert len(shown) == 8
    assert len(many) == len(one)


def test_the_service_refuses_a_full_person_without_confirmation(people, alex_full):
    case = make_case(people.coordinator)
    with pytest.raises(ValidationError) as refused:
        services.assign(case=case, person=people.alex, kind="support", by=people.coordinator)
    assert "confirm_over_capacity" in refused.value.message_dict
    assert "2 of 2 cases" in refused.value.message_dict["confirm_over_capacity"][0]
    assert not Assignment.objects.filter(case=case).exists()


def test_confirmed_it_is_assigned_and_the_handover_note_says_so(people, alex_full):
    case = make_case(people.coordinator)
    made = services.assign(
        case=case,
        person=people.alex,
        kind="support",
        note="Ring efter 17.",
        by=people.coordinator,
        confirm_over_capacity=True,
    )
    made.refresh_from_db()
    assert made.note == f"Ring efter 17.\n\n{OVER}"


def test_one_below_capacity_needs_no_confirmation(people):
    volunteer(people.alex, capacity=2)
    assign(make_case(people.coordinator), people.alex, by=people.coordinator)
    made = services.assign(
        case=make_case(people.coordinator), person=people.alex, kind="support", by=people.coordinator
    )
    assert made.note == ""


def test_the_case_page_asks_then_assigns(people, alex_full):
    case = make_case(people.coordinator)
    client = client_for(people.coordinator)
    url = reverse("case_assign", args=[case.pk])
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Alex Support — 2 of 2 cases" in page
    # The confirmation is no checkbox until it is needed.
    assert 'type="checkbox" name="confirm_over_capacity"' not in page

    asked = client.post(url, {"person": people.alex.pk, "kind": "support", "note": "Ring efter 17."})
    assert asked.status_code == 400
    html = asked.content.decode()
    assert 'type="checkbox" name="confirm_over_capacity"' in html
    assert "Alex Support already has 2 of 2 cases" in html
    assert "Ring efter 17." in html  # what was typed is kept
    assert not Assignment.objects.filter(case=case).exists()

    done = client.post(
        url, {"person": people.alex.pk, "kind": "support", "note": "Ring efter 17.", "confirm_over_capacity": "on"}
    )
    assert done.status_code == 302
    assert Assignment.objects.get(case=case).note == f"Ring efter 17.\n\n{OVER}"


def test_a_long_note_is_not_cut_to_fit_the_remark(people, alex_full):
    case = make_case(people.coordinator)
    with pytest.raises(ValidationError) as refused:
        services.assign(
            case=case,
            person=people.alex,
            kind="support",
            note="x" * 500,
            by=people.coordinator,
            confirm_over_capacity=True,
        )
    assert "note" in refused.value.message_dict
    assert not Assignment.objects.filter(case=case).exists()
