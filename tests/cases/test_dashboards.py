"""Start pages: the coordinator's panels, the support person's own cases, and a
fixed number of SQL queries whatever the number of cases."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.selectors import RECENTLY_CLOSED_DAYS
from jour.workdays import working_hours_between
from tests.personas import client_for

from .factories import assign, attempt, make_case


def received_for_used_hours(hours: int, now):
    """A received_at at which `hours` (up to one more) working hours have been used by `now`."""
    received = now
    for _ in range(24 * 30):
        if working_hours_between(received, now) >= timedelta(hours=hours):
            return received
        received -= timedelta(hours=1)
    raise AssertionError("no such time in the last 30 days")


def _pks(rows) -> list[int]:
    return [row.case.pk for row in rows]


@pytest.fixture
def panels(people):
    """One case for each panel of the coordinator's start page."""
    coordinator, now = people.coordinator, timezone.now()
    unassigned = make_case(coordinator, received_at=now - timedelta(minutes=10))
    due_soon = make_case(coordinator, received_at=received_for_used_hours(46, now))
    assign(due_soon, people.alex, by=coordinator)
    overdue = make_case(coordinator, received_at=now - timedelta(days=30))
    assign(overdue, people.alex, by=coordinator)
    closed = make_case(coordinator, received_at=now - timedelta(days=5))
    services.close_case(case=closed, reason="completed", by=coordinator, now=now - timedelta(days=1))
    long_closed = make_case(coordinator, received_at=now - timedelta(days=40))
    services.close_case(
        case=long_closed, reason="declined", by=coordinator, now=now - timedelta(days=RECENTLY_CLOSED_DAYS + 1)
    )
    return {
        "unassigned": unassigned,
        "due_soon": due_soon,
        "overdue": overdue,
        "closed": closed,
        "long_closed": long_closed,
    }


def test_the_coordinator_start_page_sorts_cases_into_panels(people, panels):
    due_soon = panels["due_soon"]
    now = timezone.now()
    assert due_soon.first_contact_warn_at <= now < due_soon.first_contact_due
    response = client_for(people.coordinator, language=None).get(reverse("start"))
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert _pks(dashboard.unassigned.rows) == [panels["unassigned"].pk]
    assert dashboard.unassigned.count == 1
    assert _pks(dashboard.due_soon.rows) == [due_soon.pk]
    assert dashboard.due_soon.rows[0].state.due_soon is True
    assert _pks(dashboard.overdue.rows) == [panels["overdue"].pk]
    assert dashboard.overdue.rows[0].state.kept is False
    assert _pks(dashboard.recently_closed.rows) == [panels["closed"].pk]
    html = response.content.decode()
    for key in ["unassigned", "due_soon", "overdue", "closed"]:
        assert panels[key].number in html
    assert panels["long_closed"].number not in html
    assert dashboard.due_soon.rows[0].names == (people.alex.name,)
    assert people.alex.name in html


def test_a_first_attempt_takes_a_case_off_the_deadline_panels(people, panels):
    for key in ["due_soon", "overdue"]:
        attempt(panels[key], timezone.now() - timedelta(minutes=1), by=people.alex)
    dashboard = client_for(people.coordinator, language=None).get(reverse("start")).context["dashboard"]
    assert dashboard.due_soon.rows == [] and dashboard.overdue.rows == []


def test_the_support_person_start_page_lists_their_cases_soonest_due_first(people, panels):
    alex = people.alex
    later = make_case(people.coordinator, received_at=timezone.now() - timedelta(minutes=5))
    assign(later, alex, by=people.coordinator)
    response = client_for(alex, language=None).get(reverse("start"))
    assert response.status_code == 200
    assert _pks(response.context["my_cases"]) == [panels["overdue"].pk, panels["due_soon"].pk, later.pk]
    assert response.context.get("dashboard") is None


def test_a_contacted_case_does_not_push_waiting_cases_down(people, panels):
    alex = people.alex
    contacted = make_case(people.coordinator, received_at=timezone.now() - timedelta(minutes=5))
    assign(contacted, alex, by=people.coordinator)
    attempt(contacted, timezone.now() - timedelta(minutes=1), by=alex, outcome="reached")
    client = client_for(alex, language=None)
    rows = client.get(reverse("start")).context["my_cases"]
    # Its deadline is the latest and its clock has stopped: last by either measure.
    # (PostgreSQL sorts NULLs last by default: ordering on first_contact_at needs nulls_first.)
    expected = [panels["overdue"].pk, panels["due_soon"].pk, contacted.pk]
    assert _pks(rows) == expected
    assert _pks(client.get(reverse("case_list")).context["rows"]) == expected
    coordinator_rows = client_for(people.coordinator, language=None).get(reverse("case_list")).context["rows"]
    assert _pks(coordinator_rows) == [
        panels["overdue"].pk,
        panels["due_soon"].pk,
        panels["unassigned"].pk,
        contacted.pk,
    ]


PAGES = [
    ("coordinator", "start", {}),
    ("coordinator", "case_list", {}),
    ("coordinator", "case_list", {"view": "all"}),
    ("coordinator", "case_list", {"view": "closed"}),
    ("coordinator", "kpi", {}),
    ("alex", "case_list", {}),
    ("alex", "start", {}),
    ("board", "kpi", {}),
]


def _query_counts(people) -> dict:
    counts = {}
    for persona, url_name, params in PAGES:
        client = client_for(getattr(people, persona), language=None)
        client.get(reverse(url_name), params)  # warm up caches (content types, session)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url_name), params)
        assert response.status_code == 200, (persona, url_name)
        counts[(persona, url_name, tuple(params.items()))] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_the_number_of_cases(people, panels):
    """With one case on each panel, and with 200 cases: the same number of queries.

    (With a single case in all, empty panels would skip the names query, so
    the small set has one case per panel.)
    """
    coordinator, alex, sam = people.coordinator, people.alex, people.sam
    assign(panels["overdue"], sam, by=coordinator)
    attempt(panels["closed"], panels["closed"].received_at + timedelta(hours=1), by=coordinator)
    small = _query_counts(people)

    now = timezone.now()
    due_soon_received = panels["due_soon"].received_at
    for i in range(200 - 5):
        kind = i % 5
        received = {0: now - timedelta(hours=1), 1: due_soon_received, 2: now - timedelta(days=20 + i % 7)}.get(
            kind, now - timedelta(days=3)
        )
        case = make_case(coordinator, received_at=received, first_name=f"Massa{i}")
        if kind in (1, 2, 3):
            assign(case, alex, by=coordinator)
        if kind == 2 and i % 2:
            assign(case, sam, by=coordinator)
        if kind == 3:
            attempt(case, received + timedelta(hours=2), by=alex)
        if kind == 4:
            attempt(case, received + timedelta(hours=30), by=coordinator)
            services.close_case(case=case, reason="completed", by=coordinator)
    large = _query_counts(people)
    assert large == small


def test_a_contacted_case_whose_support_person_left_is_listed_as_unassigned(people, panels):
    coordinator = people.coordinator
    handed_over = make_case(coordinator, received_at=timezone.now() - timedelta(hours=3))
    assignment = assign(handed_over, people.alex, by=coordinator)
    attempt(handed_over, timezone.now() - timedelta(hours=1), by=people.alex, outcome="reached")
    services.end_assignment(assignment=assignment, note="Alex slutar", by=coordinator)
    client = client_for(coordinator, language=None)
    dashboard = client.get(reverse("start")).context["dashboard"]
    assert handed_over.pk in _pks(dashboard.unassigned.rows)
    assert dashboard.unassigned.count == 2
    listed = client.get(reverse("case_list"), {"view": "unassigned"}).context["rows"]
    assert handed_over.pk in _pks(listed)


def test_a_full_panel_shows_the_first_cases_and_links_to_all_of_them(people):
    """Twelve overdue cases: the panel shows ten, soonest deadline first, and says so."""
    from cases.selectors import PANEL_SIZE

    coordinator, now = people.coordinator, timezone.now()
    for n in range(PANEL_SIZE + 2):
        assign(make_case(coordinator, received_at=now - timedelta(days=30 + n)), people.alex, by=coordinator)
    response = client_for(coordinator, language="en").get(reverse("start"))
    panel = response.context["dashboard"].overdue
    assert (len(panel.rows), panel.count, panel.more) == (PANEL_SIZE, PANEL_SIZE + 2, True)
    dues = [row.case.first_contact_due for row in panel.rows]
    assert dues == sorted(dues)
    html = response.content.decode()
    assert f"{PANEL_SIZE} of {PANEL_SIZE + 2} shown: see them all in the case list" in html
    assert f"{reverse('case_list')}?view=waiting&amp;sort=due" in html


def test_a_row_names_the_support_persons_on_the_case_in_the_order_they_came(people):
    """The list rows read names only (selectors.people_on): those now on the case, first assigned first."""
    coordinator, alex, sam = people.coordinator, people.alex, people.sam
    case = make_case(coordinator)
    first = assign(case, sam, by=coordinator)
    assign(case, alex, by=coordinator)
    client = client_for(coordinator, language=None)
    row = client.get(reverse("case_list")).context["rows"][0]
    assert (row.case.pk, row.names, row.people) == (case.pk, (sam.name, alex.name), f"{sam.name}, {alex.name}")
    services.end_assignment(assignment=first, note="Sam slutar", by=coordinator)
    assert client.get(reverse("case_list")).context["rows"][0].names == (alex.name,)
    panel = client.get(reverse("start")).context["dashboard"].unassigned
    assert panel.count == 0
    mine = client_for(alex, language=None).get(reverse("start")).context["my_cases"]
    assert [(row.case.pk, row.names) for row in mine] == [(case.pk, (alex.name,))]
