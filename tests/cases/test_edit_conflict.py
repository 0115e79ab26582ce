"""Editing a case: an edit based on an older version is refused without losing
what was typed; a support person cannot change the deadline inputs."""

from datetime import timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from jour.models import Role
from jour.workdays import working_hours_between
from tests.personas import client_for, make_user

from .factories import SEEKER, assign, make_case


def posted_values(form) -> dict:
    """What the browser would send back for a rendered form, unchanged."""
    data = {}
    for bound in form:
        value, widget = bound.value(), bound.field.widget
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif value is not None:
            data[bound.html_name] = widget.format_value(value) if isinstance(widget, forms.DateTimeInput) else value
    return data


@pytest.fixture
def case(people):
    return make_case(people.coordinator, received_at=timezone.now() - timedelta(hours=5))


def test_the_second_of_two_concurrent_edits_is_refused_then_saved_on_resubmission(people, case):
    other = make_user("lo@jour.test", "Lo Coordinator", Role.COORDINATOR)
    first, second = client_for(people.coordinator, language=None), client_for(other, language=None)
    url = reverse("case_edit", args=[case.pk])
    first_form = first.get(url).context["form"]
    second_form = second.get(url).context["form"]
    assert first_form["version"].value() == second_form["version"].value() == case.version == 1

    first_data = {**posted_values(first_form), "municipality": "0180", "last_name": "Förstasson"}
    assert first.post(url, first_data).status_code == 302
    case.refresh_from_db()
    assert (case.municipality, case.version) == ("0180", 2)

    typed = {"first_name": "Birgitta", "last_name": "Andrasdotter", "priority": "urgent"}
    response = second.post(url, {**posted_values(second_form), **typed})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    for field, value in typed.items():
        assert form[field].value() == value
    html = response.content.decode()
    assert "Birgitta" in html and "Andrasdotter" in html
    # The colleague's saved version is shown next to it.
    assert response.context["conflict"].municipality == "0180"
    assert "Förstasson" in html
    case.refresh_from_db()
    assert (case.first_name, case.last_name, case.priority) == (SEEKER["first_name"], "Förstasson", "normal")
    assert (case.municipality, case.version) == ("0180", 2)
    # The form now carries the saved version: a deliberate resubmission goes through.
    assert str(form["version"].value()) == "2"

    resubmitted = second.post(url, posted_values(form))
    assert resubmitted.status_code == 302
    case.refresh_from_db()
    assert (case.first_name, case.last_name, case.priority) == ("Birgitta", "Andrasdotter", "urgent")
    assert case.version == 3
    # The new priority moved the deadline: 24 working hours.
    assert working_hours_between(case.received_at, case.first_contact_due) == timedelta(hours=24)


def test_a_stale_resubmission_after_a_third_save_is_refused_again(people, case):
    first, second = (
        client_for(people.coordinator, language=None),
        client_for(make_user("lo@jour.test", "Lo", Role.COORDINATOR), language=None),
    )
    url = reverse("case_edit", args=[case.pk])
    stale = posted_values(second.get(url).context["form"])
    assert first.post(url, {**posted_values(first.get(url).context["form"]), "municipality": "0114"}).status_code == 302
    assert second.post(url, {**stale, "municipality": "0115"}).status_code == 200
    assert first.post(url, {**posted_values(first.get(url).context["form"]), "municipality": "0117"}).status_code == 302
    # The second coordinator's form carries version 2; the case is now at 3.
    assert second.post(url, {**stale, "municipality": "0115", "version": 2}).status_code == 200
    assert Case.objects.get(pk=case.pk).municipality == "0117"


def test_an_edit_without_a_version_is_refused(people, case):
    coordinator = client_for(people.coordinator, language=None)
    url = reverse("case_edit", args=[case.pk])
    data = posted_values(coordinator.get(url).context["form"])
    del data["version"]
    assert coordinator.post(url, {**data, "municipality": "0120"}).status_code == 200
    assert Case.objects.get(pk=case.pk).municipality == "1281"


def test_a_support_person_cannot_change_the_deadline_inputs(people, case):
    assign(case, people.alex, by=people.coordinator)
    case.refresh_from_db()
    due, received = case.first_contact_due, case.received_at
    alex = client_for(people.alex, language=None)
    url = reverse("case_edit", args=[case.pk])
    response = alex.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    for field in ["priority", "received_at", "channel"]:
        assert field not in form.fields
        assert f'name="{field}"' not in response.content.decode()
    assert "municipality" in form.fields

    earlier = timezone.localtime(received - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    data = {
        **posted_values(form),
        "priority": "urgent",
        "received_at": earlier,
        "channel": "email",
        "municipality": "1980",
    }
    assert alex.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.municipality == "1980"  # the edit itself was saved
    assert (case.priority, case.received_at, case.channel) == ("normal", received, "phone")
    assert case.first_contact_due == due


def test_the_coordinator_can_change_the_priority(people, case):
    coordinator = client_for(people.coordinator, language=None)
    url = reverse("case_edit", args=[case.pk])
    data = {**posted_values(coordinator.get(url).context["form"]), "priority": "urgent"}
    assert coordinator.post(url, data).status_code == 302
    assert Case.objects.get(pk=case.pk).priority == "urgent"
