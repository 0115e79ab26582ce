"""The federation's basic fields at intake (issue 21, item 1): a crime type,
special circumstances beside it, who made the first contact; the jour's own
markers; the cases whose crime type the migration guessed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, Circumstance, FirstContactBy
from partners.models import Routine
from partners.services import new_version, routine_of
from tests.personas import client_for

from .factories import case_form_data, make_case


def marker(code) -> Circumstance:
    return Circumstance.objects.get(code=code)


def _register(client, **fields):
    data = case_form_data(received_at=timezone.now() - timedelta(hours=1), first_name="Alex", **fields)
    return client.post("/cases/new/", data)


@pytest.mark.django_db
def test_the_coordinator_records_the_basic_fields_at_intake(people):
    client = client_for(people.coordinator)
    close, school = marker("close_relationship"), marker("school")
    response = _register(
        client, crime_type="harassment", circumstances=[close.pk, school.pk], channel="police_referral"
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert case.crime_type == "harassment"
    assert set(case.circumstances.all()) == {close, school}
    # Left empty: what the channel says.
    assert case.first_contact_by == FirstContactBy.POLICE
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Harassment" in page and "Close relationship, School-related" in page


@pytest.mark.parametrize(
    ("channel", "chosen", "expected"),
    [
        ("phone", "", "seeker"),
        ("email", "", "seeker"),
        ("walk_in", "", "seeker"),
        ("other_organisation", "", "other"),
        ("police_referral", "", "police"),
        ("phone", "police", "police"),  # the police called on the seeker's behalf
        ("email", "unknown", "unknown"),
    ],
)
@pytest.mark.django_db
def test_who_made_the_first_contact_follows_the_channel_unless_chosen(people, channel, chosen, expected):
    response = _register(client_for(people.coordinator), channel=channel, first_contact_by=chosen)
    assert response.status_code == 302
    assert Case.objects.get().first_contact_by == expected


@pytest.mark.django_db
def test_a_crime_type_is_required_and_an_unknown_marker_refused(people):
    client = client_for(people.coordinator)
    response = _register(client, crime_type="")
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = _register(client, circumstances=["999999"])
    assert response.status_code == 400
    assert "Select a valid choice. 999999 is not one of the available choices." in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_retired_marker_is_not_offered_but_stays_on_its_cases(people):
    hate = marker("hate")
    case = make_case(people.coordinator, circumstances=[hate])
    hate.active = False
    hate.save()
    client = client_for(people.coordinator)
    assert f'value="{hate.pk}"' not in client.get("/cases/new/").content.decode()
    assert _register(client, circumstances=[hate.pk]).status_code == 400
    edit = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert f'value="{hate.pk}"' in edit  # still on this case, so still on its form
    data = case_form_data(
        received_at=case.received_at, first_name=case.first_name, circumstances=[hate.pk], version=case.version
    )
    assert client.post(f"/cases/{case.pk}/edit/", data).status_code == 302
    assert list(Case.objects.get(pk=case.pk).circumstances.all()) == [hate]


@pytest.mark.django_db
def test_the_markers_of_a_case_are_in_its_audit_trail(people):
    from auditlog.models import LogEntry

    case = make_case(people.coordinator)
    services.update_case(
        case=case, data={"circumstances": [marker("honour")]}, expected_version=case.version, by=people.coordinator
    )
    assert LogEntry.objects.filter(object_pk=str(case.pk), changes_text__contains="circumstances").exists() or any(
        "circumstances" in (entry.changes or {}) for entry in LogEntry.objects.filter(object_pk=str(case.pk))
    )


# --- the jour's own markers ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_coordinator_adds_a_marker_of_the_jours_own(people):
    client = client_for(people.coordinator)
    response = client.post("/cases/circumstances/", {"name": "  Äldre   brottsoffer ", "active": "on", "position": 50})
    assert response.status_code == 302
    own = Circumstance.objects.get(name="Äldre brottsoffer")
    assert own.code == "" and own.label == "Äldre brottsoffer"
    assert "Äldre brottsoffer" in client.get("/cases/new/").content.decode()


@pytest.mark.parametrize("name", ["hatbrott", "Hate crime", "NÄRA RELATION"])
@pytest.mark.django_db
def test_a_marker_by_a_name_already_taken_is_refused(people, name):
    response = client_for(people.coordinator).post("/cases/circumstances/", {"name": name, "position": 1})
    assert response.status_code == 400
    assert "There is already a special circumstance with that name." in response.content.decode()
    assert Circumstance.objects.count() == 4


@pytest.mark.django_db
def test_a_built_in_marker_keeps_its_name_but_can_be_retired(people):
    hate = marker("hate")
    response = client_for(people.coordinator).post(
        f"/cases/circumstances/{hate.pk}/", {"name": "Något annat", "position": 5}
    )
    assert response.status_code == 302
    hate.refresh_from_db()
    assert (hate.name, hate.active, hate.position, hate.code) == ("Hatbrott", False, 5, "hate")


@pytest.mark.parametrize("who", ["alex", "board", "auditor"])
@pytest.mark.django_db
def test_only_coordinators_keep_the_markers(people, who):
    client = client_for(getattr(people, who))
    assert client.get("/cases/circumstances/").status_code in (403, 404)
    assert client.post("/cases/circumstances/", {"name": "X", "position": 1}).status_code in (403, 404)
    assert Circumstance.objects.count() == 4


# --- the cases whose crime type was a guess ------------------------------------------------------


@pytest.mark.django_db
def test_a_guessed_crime_type_is_listed_until_a_coordinator_saves_the_case(people):
    case = make_case(people.coordinator, crime_type="assault")
    Case.objects.filter(pk=case.pk).update(crime_type_to_review=True)
    services.assign(case=case, person=people.alex, kind="support", by=people.coordinator)
    coordinator = client_for(people.coordinator)
    start = coordinator.get("/").content.decode()
    assert "1 case was given a crime type from the old categories by a guess" in start
    assert case.number in coordinator.get("/cases/?view=review").content.decode()

    # The support person's save does not count as the review.
    case.refresh_from_db()
    services.update_case(case=case, data={"crime_type": "assault"}, expected_version=case.version, by=people.alex)
    assert Case.objects.get(pk=case.pk).crime_type_to_review

    case.refresh_from_db()
    data = case_form_data(
        received_at=case.received_at, first_name=case.first_name, crime_type="unlawful_threats", version=case.version
    )
    assert coordinator.post(f"/cases/{case.pk}/edit/", data).status_code == 302
    assert not Case.objects.get(pk=case.pk).crime_type_to_review
    assert case.number not in coordinator.get("/cases/?view=review").content.decode()
    assert "by a guess" not in coordinator.get("/").content.decode()


# --- routines ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_routine_for_a_marker_is_followed_by_every_case_with_it(people):
    close = marker("close_relationship")
    for_marker = Routine.objects.create(name="Våld i nära relation", circumstance=close)
    new_version(routine=for_marker, goal="", steps=[{"title": "Ring"}], by=people.coordinator)
    for_type = Routine.objects.create(name="Misshandel", crime_type="assault")
    new_version(routine=for_type, goal="", steps=[{"title": "Informera"}], by=people.coordinator)

    marked = make_case(people.coordinator, crime_type="assault", circumstances=[close])
    plain = make_case(people.coordinator, crime_type="assault")
    other = make_case(people.coordinator, crime_type="fraud")

    assert routine_of(marked)[0].routine == for_marker  # the marker is the more particular
    assert routine_of(plain)[0].routine == for_type
    assert routine_of(other)[0] is None


@pytest.mark.django_db
def test_a_routine_is_for_a_type_or_a_marker_not_both(people):
    from tests.partners.helpers import routine_post

    data = routine_post(name="Båda", category="assault", steps=["Ett steg"])
    data["circumstance"] = marker("honour").pk
    response = client_for(people.coordinator).post("/routines/new/", data)
    assert response.status_code == 400
    assert "A routine is for one crime type or for one special circumstance" in response.content.decode()
    assert not Routine.objects.exists()
