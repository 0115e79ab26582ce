"""Case routines: versioned; a case keeps the version it started with."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import CaseRoutine, Routine, RoutineConfirmation, RoutineStep, RoutineVersion, StepCheck
from tests.cases.factories import make_case

from .helpers import alex_case, case_state, client_for, make_partner, routine_post, text

NAME = "Rutin våld i nära relation"
CATEGORY = "assault"
V1_STEPS = ["Erbjud skyddsplanering", "Hänvisa till kvinnojouren", "Följ upp efter en vecka"]
V2_STEPS = ["Erbjud skyddsplanering och samtal", "Följ upp efter en vecka", "Kontakta socialtjänsten vid behov"]


def _create(client, **overrides):
    data = routine_post(name=NAME, category=CATEGORY, steps=V1_STEPS, goal="Trygghet först.")
    data.update(overrides)
    return client.post(reverse("routine_create"), data)


def _edit_to_v2(client, routine):
    """Change step 1, delete step 2, keep step 3, add a new step (as the edit page posts it)."""
    data = routine_post(
        name=NAME,
        category=CATEGORY,
        steps=[V2_STEPS[0], V1_STEPS[1], V1_STEPS[2], V2_STEPS[2]],
        initial=3,
        deleted={1},
        goal="Trygghet först, version 2.",
    )
    return client.post(reverse("routine_edit", args=[routine.pk]), data)


def _steps(version):
    return list(version.steps.order_by("position").values_list("title", flat=True))


@pytest.fixture
def coordinator(people):
    return client_for(people.coordinator)


@pytest.fixture
def routine(coordinator):
    response = _create(coordinator)
    assert response.status_code == 302, response.content.decode()[:2000]
    routine = Routine.objects.get()
    assert response["Location"] == reverse("routine_detail", args=[routine.pk])
    return routine


def test_coordinator_creates_a_routine_with_steps(people, routine, coordinator):
    assert routine.name == NAME
    assert routine.crime_type == CATEGORY
    version = routine.current()
    assert version.number == 1
    assert version.created_by == people.coordinator
    assert version.goal == "Trygghet först."
    assert _steps(version) == V1_STEPS  # the empty extra form is not a step

    page = text(coordinator.get(reverse("routine_detail", args=[routine.pk])))
    for title in V1_STEPS:
        assert title in page


def test_routine_step_can_name_a_partner(people, coordinator):
    partner = make_partner("Socialtjänsten Exempelstad", kind="social")
    steps = [
        {"title": "Ring socialtjänsten", "partner": partner.pk, "how_to_reach": "Växeln", "tip": "Be om mottagningen"}
    ]
    response = coordinator.post(
        reverse("routine_create"), routine_post(name="Hot", category="unlawful_threats", steps=steps)
    )
    assert response.status_code == 302
    step = RoutineStep.objects.get()
    assert (step.partner, step.how_to_reach, step.tip, step.position) == (partner, "Växeln", "Be om mottagningen", 1)


def test_routine_without_steps_is_refused_400(coordinator):
    response = coordinator.post(reverse("routine_create"), routine_post(name=NAME, category=CATEGORY, steps=[]))
    assert response.status_code == 400
    assert "A routine needs at least one step." in text(response)
    assert not RoutineVersion.objects.exists()


def test_routine_without_steps_saves_nothing(coordinator):
    response = coordinator.post(reverse("routine_create"), routine_post(name=NAME, category=CATEGORY, steps=[]))
    assert response.status_code == 400
    assert not Routine.objects.exists()


def test_after_a_refused_empty_routine_the_corrected_one_can_be_created(coordinator):
    coordinator.post(reverse("routine_create"), routine_post(name=NAME, category=CATEGORY, steps=[]))
    response = _create(coordinator)
    assert response.status_code == 302
    assert Routine.objects.get().current().number == 1


def test_case_of_the_category_shows_the_steps(people, routine):
    case = alex_case(people, crime_type=CATEGORY)
    page = text(client_for(people.alex).get(reverse("case_detail", args=[case.pk])))
    assert f"Routine: {NAME} (version 1)" in page
    for title in V1_STEPS:
        assert title in page


def test_case_of_another_category_shows_no_routine(people, routine):
    case = alex_case(people, crime_type="fraud")
    page = text(client_for(people.alex).get(reverse("case_detail", args=[case.pk])))
    assert "Routine:" not in page
    assert V1_STEPS[0] not in page


def test_ticking_a_step_records_who_and_when_and_pins_the_version(people, routine):
    case = alex_case(people, crime_type=CATEGORY)
    v1 = routine.current()
    step = v1.steps.get(position=1)
    alex = client_for(people.alex)
    started = timezone.now()

    response = alex.post(reverse("routine_step", args=[case.pk, step.pk, "done"]))

    assert response.status_code == 302
    check = StepCheck.objects.get()
    assert check.step == step
    assert check.done_by == people.alex
    assert started - timedelta(seconds=1) <= check.done_at <= timezone.now()
    assert CaseRoutine.objects.get(case=case).version == v1
    assert check.case_routine.case_id == case.pk

    page = text(alex.get(reverse("case_detail", args=[case.pk])))
    assert "Done by Alex Support" in page

    # Ticking again is idempotent; undo removes the tick.
    alex.post(reverse("routine_step", args=[case.pk, step.pk, "done"]))
    assert StepCheck.objects.count() == 1
    alex.post(reverse("routine_step", args=[case.pk, step.pk, "undo"]))
    assert StepCheck.objects.count() == 0
    assert CaseRoutine.objects.get(case=case).version == v1  # still pinned


def test_edit_makes_a_new_version_and_a_running_case_keeps_its_own(people, routine, coordinator):
    running = alex_case(people, crime_type=CATEGORY)
    v1 = routine.current()
    v1_first, v1_second = v1.steps.get(position=1), v1.steps.get(position=2)
    alex = client_for(people.alex)
    alex.post(reverse("routine_step", args=[running.pk, v1_first.pk, "done"]))
    ticked = list(StepCheck.objects.values())
    assert len(ticked) == 1

    response = _edit_to_v2(coordinator, routine)

    assert response.status_code == 302, text(response)[:2000]
    assert list(routine.versions.values_list("number", flat=True)) == [1, 2]
    v2 = routine.current()
    assert v2.number == 2
    assert _steps(v2) == V2_STEPS
    assert _steps(v1) == V1_STEPS  # the old version is not changed

    # The running case still shows and follows version 1.
    page = text(alex.get(reverse("case_detail", args=[running.pk])))
    assert f"Routine: {NAME} (version 1)" in page
    for title in V1_STEPS:
        assert title in page
    assert V2_STEPS[0] not in page and V2_STEPS[2] not in page
    assert CaseRoutine.objects.get(case=running).version == v1

    # A step of the new version is refused on the running case.
    before = case_state(running)
    new_step = v2.steps.get(position=3)
    refused = alex.post(reverse("routine_step", args=[running.pk, new_step.pk, "done"]), follow=True)
    assert "That step is not part of this case's routine." in text(refused)
    assert case_state(running) == before

    # Its own version's steps are still accepted.
    assert alex.post(reverse("routine_step", args=[running.pk, v1_second.pk, "done"])).status_code == 302
    assert set(StepCheck.objects.filter(case_routine__case=running).values_list("step", flat=True)) == {
        v1_first.pk,
        v1_second.pk,
    }

    # The step ticked before the edit is unchanged.
    assert StepCheck.objects.filter(pk=ticked[0]["id"]).values().get() == ticked[0]

    # A new case of the category gets the new version.
    fresh = make_case(people.coordinator, crime_type=CATEGORY)
    fresh_page = text(coordinator.get(reverse("case_detail", args=[fresh.pk])))
    assert f"Routine: {NAME} (version 2)" in fresh_page
    for title in V2_STEPS:
        assert title in fresh_page
    assert V1_STEPS[1] not in fresh_page
    # ...and refuses a step of the old version.
    coordinator.post(reverse("routine_step", args=[fresh.pk, v1_first.pk, "done"]))
    assert not CaseRoutine.objects.filter(case=fresh).exists()
    coordinator.post(reverse("routine_step", args=[fresh.pk, v2.steps.get(position=1).pk, "done"]))
    assert CaseRoutine.objects.get(case=fresh).version == v2


def test_a_case_not_started_follows_the_current_version(people, routine, coordinator):
    """Before its first tick a case is not pinned: it shows whatever is current."""
    case = alex_case(people, crime_type=CATEGORY)
    _edit_to_v2(coordinator, routine)
    page = text(client_for(people.alex).get(reverse("case_detail", args=[case.pk])))
    assert f"Routine: {NAME} (version 2)" in page


def test_edit_form_is_prefilled_with_the_current_steps(routine, coordinator):
    page = text(coordinator.get(reverse("routine_edit", args=[routine.pk])))
    for title in V1_STEPS:
        assert f'value="{title}"' in page
    assert 'name="steps-INITIAL_FORMS" value="3"' in page


def test_confirmations_are_recorded_per_version(people, routine, coordinator):
    url = reverse("routine_confirm", args=[routine.pk])
    today = timezone.localdate().isoformat()
    coordinator.post(url, {"organisation": "Polisen Exempelstad", "representative": "Gruppchef", "confirmed_on": today})
    v1 = routine.current()

    _edit_to_v2(coordinator, routine)
    v2 = routine.current()
    page = text(coordinator.get(reverse("routine_detail", args=[routine.pk])))
    assert "No confirmation recorded for this version." in page
    assert "Polisen Exempelstad" not in page

    coordinator.post(url, {"organisation": "Socialtjänsten", "representative": "Enhetschef", "confirmed_on": today})
    assert list(RoutineConfirmation.objects.order_by("pk").values_list("version", "organisation", "recorded_by")) == [
        (v1.pk, "Polisen Exempelstad", people.coordinator.pk),
        (v2.pk, "Socialtjänsten", people.coordinator.pk),
    ]
    page = text(coordinator.get(reverse("routine_detail", args=[routine.pk])))
    assert "Socialtjänsten" in page and "Polisen Exempelstad" not in page


def test_incomplete_confirmation_is_not_recorded(routine, coordinator):
    response = coordinator.post(reverse("routine_confirm", args=[routine.pk]), {"organisation": "Polisen"}, follow=True)
    assert "Give the organisation, its representative and the date." in text(response)
    assert not RoutineConfirmation.objects.exists()


def test_anonymised_case_refuses_ticks(people, routine):
    from cases import retention

    case = alex_case(people, crime_type=CATEGORY)
    retention.erase_on_request(case=case, by=people.coordinator)
    step = routine.current().steps.get(position=1)
    client_for(people.coordinator).post(reverse("routine_step", args=[case.pk, step.pk, "done"]))
    assert not StepCheck.objects.exists()
    assert not CaseRoutine.objects.exists()
