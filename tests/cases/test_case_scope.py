"""SECURITY.md figure 3 and 4 for cases: a support person reaches only the cases
assigned to them now, and board members and auditors see no seeker at all."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import deadlines, services
from cases.models import Assignment, Case, Notification, Status
from tests.personas import client_for

from .factories import SEEKER, SEEKER_SECRETS, assign, case_form_data, make_case, snapshot

CASE_KINDS = ["alex", "unassigned", "sam_ended", "closed"]


@pytest.fixture
def world(people):
    coordinator = people.coordinator
    now = timezone.now()
    alex_case = make_case(coordinator, received_at=now - timedelta(hours=3))
    alex_assignment = assign(alex_case, people.alex, by=coordinator)
    unassigned = make_case(coordinator, received_at=now - timedelta(hours=2))
    sam_ended = make_case(coordinator, received_at=now - timedelta(hours=1))
    sam_assignment = assign(sam_ended, people.sam, by=coordinator)
    # While Sam was on it, the warning fired: Sam keeps a notification about it.
    deadlines.sweep(now=sam_ended.first_contact_warn_at + timedelta(minutes=1))
    assert Notification.objects.filter(recipient=people.sam, case=sam_ended).exists()
    services.end_assignment(assignment=sam_assignment, note="Överlämnat", by=coordinator)
    closed = make_case(coordinator, received_at=now - timedelta(hours=4))
    assign(closed, people.alex, by=coordinator)
    services.close_case(case=closed, reason="completed", by=coordinator)
    return SimpleNamespace(
        people=people,
        cases={"alex": alex_case, "unassigned": unassigned, "sam_ended": sam_ended, "closed": closed},
        alex_assignment=alex_assignment,
    )


def _latest_assignment_pk(case: Case) -> int:
    last = Assignment.objects.filter(case=case).order_by("-pk").first()
    return last.pk if last else 999_999


def _sams_posts(case: Case, sam):
    """Valid requests that would change the case if Sam were allowed to make them."""
    case.refresh_from_db()
    made_at = timezone.now() - timedelta(minutes=30)
    attempt = {"made_at": timezone.localtime(made_at).strftime("%Y-%m-%dT%H:%M"), "method": "phone"}
    attempt["outcome"] = "reached"
    edit = case_form_data(received_at=case.received_at, first_name="Hackad", priority="urgent", version=case.version)
    # Support persons may use these views, so scoping must give 404.
    scoped = {404}
    # Coordinator-only views: refused by role (403), or by scope (404).
    refused = {403, 404}
    return [
        ("case_edit", [case.pk], edit, {}, scoped),
        ("attempt_create", [case.pk], attempt, {}, scoped),
        ("attempt_create", [case.pk], attempt, {"HTTP_HX_REQUEST": "true"}, scoped),
        ("case_assign", [case.pk], {"person": sam.pk, "kind": "support"}, {}, refused),  # himself
        ("assignment_end", [case.pk, _latest_assignment_pk(case)], {"note": "x"}, {}, refused),
        ("case_close", [case.pk], {"reason": "completed"}, {}, refused),
        ("case_reopen", [case.pk], {}, {}, refused),
    ]


@pytest.mark.parametrize("kind", CASE_KINDS)
@pytest.mark.parametrize("url_name", ["case_detail", "case_edit"])
def test_support_person_gets_404_on_pages_of_cases_not_assigned_to_them(world, kind, url_name):
    sam = client_for(world.people.sam, language=None)
    response = sam.get(reverse(url_name, args=[world.cases[kind].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("kind", CASE_KINDS)
def test_support_person_posts_to_cases_not_assigned_to_them_change_nothing(world, kind):
    case = world.cases[kind]
    sam_user = world.people.sam
    sam = client_for(sam_user, language=None)
    for url_name, args, data, headers, allowed in _sams_posts(case, sam_user):
        before = snapshot(case)
        response = sam.post(reverse(url_name, args=args), data, **headers)
        assert response.status_code in allowed, (url_name, headers, response.status_code)
        assert snapshot(case) == before, (url_name, headers)
        for secret in SEEKER_SECRETS:
            assert secret not in response.content.decode(), (url_name, secret)


def test_the_assigned_support_person_sees_the_case_until_taken_off(world, people):
    case = world.cases["alex"]
    alex = client_for(people.alex, language=None)
    page = alex.get(reverse("case_detail", args=[case.pk]))
    assert page.status_code == 200
    assert SEEKER["first_name"] in page.content.decode()
    assert alex.get(reverse("case_edit", args=[case.pk])).status_code == 200
    assert alex.get(reverse("case_detail", args=[world.cases["closed"].pk])).status_code == 200

    coordinator = client_for(people.coordinator, language=None)
    response = coordinator.post(
        reverse("assignment_end", args=[case.pk, world.alex_assignment.pk]), {"note": "Slutar som stödperson"}
    )
    assert response.status_code == 302
    world.alex_assignment.refresh_from_db()
    assert world.alex_assignment.ended_at is not None

    assert alex.get(reverse("case_detail", args=[case.pk])).status_code == 404
    assert alex.get(reverse("case_edit", args=[case.pk])).status_code == 404
    before = snapshot(case)
    made_at = timezone.localtime(timezone.now() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    response = alex.post(
        reverse("attempt_create", args=[case.pk]), {"made_at": made_at, "method": "phone", "outcome": "reached"}
    )
    assert response.status_code == 404
    assert snapshot(case) == before
    assert case.number not in alex.get(reverse("case_list"), {"view": "all"}).content.decode()


@pytest.mark.parametrize("persona", ["board", "auditor"])
def test_board_and_auditor_reach_no_case_page(world, persona):
    client = client_for(getattr(world.people, persona), language=None)
    assert client.get(reverse("case_list")).status_code == 403
    assert client.get(reverse("notification_list")).status_code == 403
    for case in world.cases.values():
        assert client.get(reverse("case_detail", args=[case.pk])).status_code in (403, 404)
        assert client.get(reverse("case_edit", args=[case.pk])).status_code in (403, 404)


def test_the_case_list_and_start_page_of_sam_do_not_show_alexs_case(world, people):
    sam = client_for(people.sam, language=None)
    for view in ["open", "unassigned", "waiting", "closed", "all"]:
        response = sam.get(reverse("case_list"), {"view": view})
        assert response.status_code == 200
        html = response.content.decode()
        for case in world.cases.values():
            assert case.number not in html, (view, case.number)
        assert list(response.context["page"].object_list) == []
    start = sam.get(reverse("start"))
    assert start.status_code == 200
    assert start.context["my_cases"] == []
    for case in world.cases.values():
        assert case.number not in start.content.decode()

    # The same pages do show it to Alex: the check above can fail.
    alex = client_for(people.alex, language=None)
    assert world.cases["alex"].number in alex.get(reverse("case_list")).content.decode()
    assert world.cases["alex"].number in alex.get(reverse("start")).content.decode()


@pytest.mark.parametrize("persona", ["sam", "board", "auditor"])
def test_no_seeded_personal_data_on_pages_of_people_without_the_case(world, persona):
    user = getattr(world.people, persona)
    client = client_for(user, language=None)
    urls = [
        reverse("start"),
        reverse("case_list"),
        reverse("case_list") + "?view=all",
        reverse("notification_list"),
        reverse("kpi"),
        reverse("kpi") + f"?year={timezone.localtime().year}&granularity=year",
    ]
    for case in world.cases.values():
        urls += [reverse("case_detail", args=[case.pk]), reverse("case_edit", args=[case.pk])]
    reached = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        reached += response.status_code == 200
        html = response.content.decode()
        for secret in [*SEEKER_SECRETS, SEEKER["notes"]]:
            assert secret not in html, (persona, url, secret)
    assert reached >= 2  # at least the start page and one list or the KPI rendered
    if persona == "sam":
        # Sam's inbox renders the case he was taken off, by number only.
        inbox = client.get(reverse("notification_list")).content.decode()
        assert world.cases["sam_ended"].number in inbox


def test_the_coordinator_sees_the_seeded_data(world, people):
    """The seeded values are really on the pages that may show them."""
    coordinator = client_for(people.coordinator, language=None)
    html = coordinator.get(reverse("case_detail", args=[world.cases["unassigned"].pk])).content.decode()
    for secret in SEEKER_SECRETS:
        assert secret in html
    assert Case.objects.get(pk=world.cases["closed"].pk).status == Status.CLOSED
