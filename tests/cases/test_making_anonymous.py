"""Only a coordinator makes a registered case anonymous, and only after
confirming it (issue 16, item 6): a support person could tick "anonymous" and
wipe the seeker's name without a question."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services
from cases.models import Case, SeekerIdentifier
from tests.personas import client_for

from .factories import SEEKER, assign, make_case


@pytest.fixture
def case(people):
    case = make_case(people.coordinator)
    assign(case, people.alex, by=people.coordinator)
    return case


def _post(client, case, **changes):
    form = client.get(reverse("case_edit", args=[case.pk])).context["form"]
    data = {name: field.value() for name, field in ((n, form[n]) for n in form.fields)}
    data = {key: ("on" if value is True else value) for key, value in data.items() if value not in (None, False)}
    data.update(changes)
    return client.post(reverse("case_edit", args=[case.pk]), data)


def test_a_support_person_has_no_anonymous_box_and_cannot_post_one(people, case):
    client = client_for(people.alex, language="en")
    page = client.get(reverse("case_edit", args=[case.pk])).content.decode()
    assert 'name="anonymous"' not in page
    _post(client, case, anonymous="on", first_name="", last_name="")
    case.refresh_from_db()
    assert case.anonymous is False and case.first_name == SEEKER["first_name"]


def test_the_service_refuses_it_to_a_support_person(people, case):
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.update_case(case=case, data={"anonymous": True}, expected_version=case.version, by=people.alex)


def test_a_coordinator_must_confirm_and_then_the_name_goes(people, case):
    client = client_for(people.coordinator, language="en")
    response = _post(client, case, anonymous="on")
    assert response.status_code == 200
    assert "confirm it" in response.content.decode()
    case.refresh_from_db()
    assert case.anonymous is False and case.last_name == SEEKER["last_name"]

    response = _post(client, case, anonymous="on", confirm_anonymous="on")
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.anonymous is True
    assert (case.first_name, case.last_name, case.phone, case.email) == ("", "", "", "")
    assert not case.journal.exists()  # what was written about the seeker goes with the name
    assert not SeekerIdentifier.objects.filter(case=case).exists()
