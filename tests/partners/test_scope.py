"""Who reaches the partner features: case-scoped URLs follow the case's scope;
the register and routines are readable by all and edited by the coordinator."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import RiskCheck
from partners import services
from partners.models import Partner, Routine

from .helpers import (
    alex_case,
    case_state,
    client_for,
    make_partner,
    referral_post,
    register_state,
    risk_post,
    routine_post,
    text,
)

CATEGORY = "assault"


@pytest.fixture
def world(people):
    partner = make_partner()
    routine = Routine.objects.create(name="Rutin", crime_type=CATEGORY)
    version = services.new_version(
        routine=routine, goal="", steps=[{"title": "Steg ett"}, {"title": "Steg två"}], by=people.coordinator
    )
    case = alex_case(people, crime_type=CATEGORY)
    first, second = version.steps.order_by("position")
    # Alex has ticked the first step and recorded a risk check with danger.
    services.check_step(case=case, step=first, by=people.alex)
    check = case_services.record_risk_check(case=case, answers=risk_post(danger="yes"), by=people.alex)
    return {
        "people": people,
        "partner": partner,
        "routine": routine,
        "case": case,
        "steps": (first, second),
        "check": check,
    }


def _case_posts(world):
    case, partner, (first, second), check = world["case"], world["partner"], world["steps"], world["check"]
    return [
        ("referral_create", [case.pk], referral_post(partner)),
        ("referral_create", [case.pk], referral_post(partner, direction="in", consent=False, consent_way="")),
        ("risk_check_create", [case.pk], risk_post(danger="yes")),
        ("risk_confirm_urgent", [case.pk, check.pk], {}),
        ("routine_step", [case.pk, second.pk, "done"], {}),
        ("routine_step", [case.pk, first.pk, "undo"], {}),
    ]


def test_alex_may_use_them_on_his_own_case(world):
    """The control: the same requests do work for the assigned support person (except the coordinator's)."""
    alex = client_for(world["people"].alex)
    for name, args, data in _case_posts(world):
        expected = 403 if name == "risk_confirm_urgent" else 302
        assert alex.post(reverse(name, args=args), data).status_code == expected, name


@pytest.mark.parametrize("method", ["get", "post"])
def test_sam_gets_404_on_alex_case_and_changes_nothing(world, method):
    sam = client_for(world["people"].sam)
    case = world["case"]
    before = case_state(case)
    for name, args, data in _case_posts(world):
        response = getattr(sam, method)(reverse(name, args=args), data if method == "post" else None)
        if method == "get":
            # All of them are POST-only: refused before anything else.
            assert response.status_code in {403, 404, 405}, name
        elif name == "risk_confirm_urgent":
            # Coordinator-only: refused by role first (403), which also says nothing about the case.
            assert response.status_code in {403, 404}, name
        else:
            assert response.status_code == 404, name
        assert "Ingegerd" not in text(response)
    assert case_state(case) == before


@pytest.mark.parametrize("who", ["board", "auditor"])
def test_board_and_auditor_get_403_on_case_urls(world, who):
    client = client_for(getattr(world["people"], who))
    case = world["case"]
    before = case_state(case)
    for name, args, data in _case_posts(world):
        assert client.post(reverse(name, args=args), data).status_code == 403, name
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 403
    assert case_state(case) == before


def test_risk_check_of_another_case_is_404_through_a_visible_case(world):
    """A check of Alex's case is not reachable through a case the caller may see."""
    people = world["people"]
    own = alex_case(people)  # the coordinator sees it; the check belongs to another case
    coordinator = client_for(people.coordinator)
    response = coordinator.post(reverse("risk_confirm_urgent", args=[own.pk, world["check"].pk]))
    assert response.status_code == 404
    assert RiskCheck.objects.get(pk=world["check"].pk).urgent_confirmed_at is None


def test_a_step_of_another_routine_cannot_be_ticked_through_a_case(world):
    people = world["people"]
    other = alex_case(people, crime_type="fraud")
    before = case_state(other)
    client_for(people.alex).post(reverse("routine_step", args=[other.pk, world["steps"][1].pk, "done"]))
    assert case_state(other) == before


def test_unknown_routine_action_is_404(world):
    case, (first, _) = world["case"], world["steps"]
    response = client_for(world["people"].alex).post(reverse("routine_step", args=[case.pk, first.pk, "delete"]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["coordinator", "alex", "sam", "board", "auditor"])
def test_everyone_logged_in_reads_the_register_and_routines(world, who):
    client = client_for(getattr(world["people"], who))
    partner, routine = world["partner"], world["routine"]
    for url in (
        reverse("partner_list"),
        reverse("partner_list") + "?all=1",
        reverse("partner_detail", args=[partner.pk]),
        reverse("routine_list"),
        reverse("routine_detail", args=[routine.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert partner.name in text(client.get(reverse("partner_list")))
    detail = text(client.get(reverse("routine_detail", args=[routine.pk])))
    assert "Steg ett" in detail
    manage_links = reverse("partner_create") in text(client.get(reverse("partner_list")))
    assert manage_links is (who == "coordinator")


def test_not_logged_in_cannot_read_the_register(world):
    from django.test import Client

    response = Client().get(reverse("partner_list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("who", ["alex", "sam", "board", "auditor"])
def test_only_the_coordinator_creates_and_edits_partners_and_routines(world, who):
    client = client_for(getattr(world["people"], who))
    partner, routine = world["partner"], world["routine"]
    before = register_state()
    partner_data = {"name": "Hackad", "kind": "ngo", "active": "on"}
    new_routine = routine_post(name="Ny", category="fraud", steps=["Ett steg"])
    edit_routine = routine_post(name="Rutin", category=CATEGORY, steps=["Ändrat"], initial=0)
    confirmation = {"organisation": "X", "representative": "Y", "confirmed_on": timezone.localdate().isoformat()}
    requests = [
        ("get", reverse("partner_create"), None),
        ("post", reverse("partner_create"), partner_data),
        ("get", reverse("partner_edit", args=[partner.pk]), None),
        ("post", reverse("partner_edit", args=[partner.pk]), partner_data),
        ("get", reverse("routine_create"), None),
        ("post", reverse("routine_create"), new_routine),
        ("get", reverse("routine_edit", args=[routine.pk]), None),
        ("post", reverse("routine_edit", args=[routine.pk]), edit_routine),
        ("post", reverse("routine_confirm", args=[routine.pk]), confirmation),
    ]
    for method, url, data in requests:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 403, (method, url)
    assert register_state() == before
    assert Partner.objects.get(pk=partner.pk).name == partner.name
