"""Recording supervision sessions: individual means one participant, group at
least two, participants are active volunteers, and the note is for themes only."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from jour.models import Role
from members import followup
from members.forms.volunteers import SupervisionForm
from members.models import Person, SupervisionKind, SupervisionSession, VolunteerAssignment
from tests.personas import login_verified

URL = "/people/supervision/"


def volunteer(name, **fields) -> Person:
    person = Person.objects.create(name=name)
    VolunteerAssignment.objects.create(person=person, **{"start": date(2020, 1, 1), **fields})
    return person


@pytest.fixture
def team(db):
    return [volunteer("Astrid"), volunteer("Bertil"), volunteer("Cecilia")]


@pytest.fixture
def coordinator_client(people):
    client = Client()
    login_verified(client, people.coordinator)
    return client


def post(client, **overrides):
    data = {
        "held_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "kind": "group",
        "supervisor": "Handledare Hanna",
        "note": "Gränssättning och egen återhämtning.",
    }
    data.update(overrides)
    return client.post(URL, {key: value for key, value in data.items() if value is not None})


def codes(response, field):
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]


def test_the_url_is_named():
    assert reverse("supervision_list") == URL


def test_a_group_session_is_recorded(people, coordinator_client, team):
    response = post(coordinator_client, participants=[team[0].pk, team[1].pk])
    assert response.status_code == 302 and response["Location"] == URL
    session = SupervisionSession.objects.get()
    assert session.kind == SupervisionKind.GROUP and session.supervisor == "Handledare Hanna"
    assert set(session.participants.all()) == {team[0], team[1]}
    assert session.recorded_by == people.coordinator
    page = coordinator_client.get(URL)
    html = page.content.decode()
    assert "Handledare Hanna" in html and "Astrid" in html and "Gränssättning" in html


def test_an_individual_session_is_recorded(coordinator_client, team):
    response = post(coordinator_client, kind="individual", participants=[team[2].pk])
    assert response.status_code == 302
    assert list(SupervisionSession.objects.get().participants.all()) == [team[2]]


@pytest.mark.parametrize(
    ("kind", "count", "code"),
    [("individual", 2, "individual_needs_one"), ("group", 1, "group_needs_two")],
)
def test_the_number_of_participants_must_fit_the_kind(coordinator_client, team, kind, count, code):
    response = post(coordinator_client, kind=kind, participants=[p.pk for p in team[:count]])
    assert response.status_code == 200
    assert codes(response, "participants") == [code]
    assert not SupervisionSession.objects.exists()
    # The message is written in the page's language (Swedish by default).
    message = str(response.context["form"].errors["participants"][0])
    assert ("exakt en" in message) if kind == "individual" else ("minst två" in message)


@pytest.mark.parametrize("kind", ["individual", "group"])
def test_nobody_chosen_is_refused(coordinator_client, team, kind):
    response = post(coordinator_client, kind=kind)
    assert response.status_code == 200
    assert response.context["form"].errors["participants"]
    assert not SupervisionSession.objects.exists()


def test_only_active_volunteers_can_take_part(coordinator_client, team):
    left = volunteer("Dagny", end=timezone.localdate() - timedelta(days=1))
    member = Person.objects.create(name="Erik Medlem")
    form = coordinator_client.get(URL).context["form"]
    assert set(form.fields["participants"].queryset) == set(team)
    for outsider in (left, member):
        response = post(coordinator_client, participants=[team[0].pk, outsider.pk])
        assert response.status_code == 200 and codes(response, "participants") == ["invalid_choice"]
    assert not SupervisionSession.objects.exists()


def test_a_volunteer_with_two_assignments_is_offered_once(coordinator_client, team):
    VolunteerAssignment.objects.filter(person=team[0]).update(end=date(2021, 12, 31))
    VolunteerAssignment.objects.create(person=team[0], start=date(2022, 1, 1))
    VolunteerAssignment.objects.create(
        person=team[0], start=date(2023, 1, 1), support_person=False, witness_supporter=True
    )
    queryset = coordinator_client.get(URL).context["form"].fields["participants"].queryset
    assert list(queryset).count(team[0]) == 1


def test_a_session_in_the_future_is_refused(coordinator_client, team):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = post(coordinator_client, held_on=tomorrow, participants=[team[0].pk, team[1].pk])
    assert codes(response, "held_on") == ["future"]
    assert not SupervisionSession.objects.exists()


@pytest.mark.parametrize("missing", ["held_on", "kind", "supervisor"])
def test_required_fields(coordinator_client, team, missing):
    response = post(coordinator_client, participants=[team[0].pk, team[1].pk], **{missing: ""})
    assert response.status_code == 200 and response.context["form"].errors[missing]


def test_the_note_says_never_to_name_a_seeker(db):
    with override("en"):
        help_text = str(SupervisionForm().fields["note"].help_text)
    assert "seeker" in help_text and "Never" in help_text
    assert SupervisionForm().fields["note"].max_length == 500


def test_the_service_checks_the_rules_too(people, team):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        followup.record_session(
            held_on=today, kind="individual", supervisor="S", participants=team[:2], by=people.coordinator
        )
    assert error.value.error_dict["participants"][0].code == "individual_needs_one"
    late = volunteer("Sen Start", start=today)
    with pytest.raises(ValidationError) as error:
        followup.record_session(
            held_on=today - timedelta(days=1),
            kind="group",
            supervisor="S",
            participants=[team[0], late],
            by=people.coordinator,
        )
    assert "participants" in error.value.error_dict
    with pytest.raises(ValidationError):
        followup.record_session(
            held_on=today + timedelta(days=1), kind="group", supervisor="S", participants=team, by=people.coordinator
        )
    assert not SupervisionSession.objects.exists()


@pytest.mark.parametrize("role", [Role.SUPPORT_PERSON, Role.BOARD_MEMBER, Role.AUDITOR])
def test_only_coordinators(people, team, role):
    followup.record_session(
        held_on=date(2024, 5, 2),
        kind="group",
        supervisor="S",
        participants=team[:2],
        note="Tema: sömn",
        by=people.coordinator,
    )
    client = Client()
    login_verified(client, people.by_role()[role])
    page = client.get(URL)
    assert page.status_code == 403 and "Astrid" not in page.content.decode()
    assert post(client, participants=[team[0].pk, team[1].pk]).status_code == 403
    assert SupervisionSession.objects.count() == 1


def test_the_list_costs_the_same_queries_for_1_and_20_sessions(people, coordinator_client, team):
    def record(n):
        for _ in range(n):
            followup.record_session(
                held_on=date(2024, 5, 2), kind="group", supervisor="S", participants=team, by=people.coordinator
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get(URL).status_code == 200
        return len(queries)

    record(1)
    coordinator_client.get(URL)
    one = count()
    record(19)
    assert count() == one
