"""The first-contact figure is history, not a recomputation (#17).

A first attempt is judged by the deadline in force when it was made: confirming
"urgent" afterwards moves the deadline of a case still waiting, never whether an
attempt already made was in time. A contact made at registration (an anonymous
call or visit) had no deadline and is counted on a line of its own.
"""

from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from cases import deadlines, selectors, services
from cases.models import Case, Priority
from jour.workdays import STOCKHOLM, add_working_hours
from stats import figures
from tests.personas import login_verified

from .factories import attempt, make_case

START, END = datetime(2025, 1, 1, tzinfo=STOCKHOLM), datetime(2026, 1, 1, tzinfo=STOCKHOLM)
# Monday 3 March 2025, 09:00: 48 working hours run to Wednesday 09:00, 24 to Tuesday 09:00.
MONDAY = datetime(2025, 3, 3, 9, tzinfo=STOCKHOLM)
ANONYMOUS = {"anonymous": True, "first_name": "", "last_name": "", "phone": "", "email": "", "notes": ""}


def registered(by, when: datetime = MONDAY, **overrides) -> Case:
    return make_case(by, now=when + timedelta(minutes=5), received_at=when, **overrides)


def confirm_urgent(case: Case, by) -> Case:
    """As the risk check does it: immediate danger found, a coordinator confirms."""
    answers = dict.fromkeys(services.RISK_FIELDS, "no") | {"immediate_danger": "yes"}
    check = services.record_risk_check(case=case, answers=answers, by=by)
    services.confirm_urgent(check=check, by=by)
    return Case.objects.get(pk=case.pk)


def year_rows():
    return [
        (r.priority, r.decided, r.kept, r.at_registration)
        for r in selectors.kpi(start=START, end=END, granularity="year")
    ]


def test_urgency_confirmed_after_the_first_attempt_leaves_the_attempt_kept(people):
    by = people.coordinator
    case = registered(by)
    made_at = add_working_hours(MONDAY, 30)  # Tuesday 15:00: inside 48 h, outside 24 h
    attempt(case, made_at, by=by, now=made_at + timedelta(minutes=1))

    case = confirm_urgent(case, by)

    # The deadline moves (the case is urgent from now on) ...
    assert case.priority == Priority.URGENT
    assert case.first_contact_due == add_working_hours(MONDAY, 24) < made_at
    # ... but the attempt keeps the deadline and priority it was made under.
    assert case.first_contact_due_then == add_working_hours(MONDAY, 48)
    assert case.first_contact_priority == Priority.NORMAL
    assert case.first_contact_hours == pytest.approx(30)
    state = deadlines.deadline_state(case)
    assert state.kept is True and state.allowance == timedelta(hours=48)
    assert selectors.rows([case])[0].clock[0] == "ok"  # the lists show it kept
    # The KPI counts it on the line it was judged by: normal, kept.
    assert year_rows() == [("normal", 1, 1, 0)]
    # So do the statistics.
    lines = {
        line.priority: (line.decided, line.kept)
        for line in figures.first_contact(figures.Period(START.date(), END.date()))
    }
    assert lines == {"normal": (1, 1), "urgent": (0, 0), "all": (1, 1)}


def test_urgency_confirmed_while_waiting_moves_the_deadline_the_attempt_is_judged_by(people):
    by = people.coordinator
    case = confirm_urgent(registered(by), by)
    assert case.first_contact_due == add_working_hours(MONDAY, 24)
    assert case.first_contact_due_then is None

    made_at = add_working_hours(MONDAY, 30)
    attempt(case, made_at, by=by, now=made_at + timedelta(minutes=1))
    case.refresh_from_db()

    assert (case.first_contact_priority, case.first_contact_due_then) == (Priority.URGENT, case.first_contact_due)
    assert deadlines.deadline_state(case).kept is False
    assert year_rows() == [("urgent", 1, 0, 0)]


def test_an_earlier_attempt_logged_later_keeps_the_deadline_of_the_first_one(people):
    by = people.coordinator
    case = registered(by)
    first = add_working_hours(MONDAY, 30)
    attempt(case, first, by=by, now=first + timedelta(minutes=1))
    case = confirm_urgent(case, by)
    earlier = add_working_hours(MONDAY, 10)
    attempt(case, earlier, by=by, now=first + timedelta(hours=2))
    case.refresh_from_db()

    assert case.first_contact_at == earlier
    assert (case.first_contact_priority, case.first_contact_due_then) == ("normal", add_working_hours(MONDAY, 48))
    assert year_rows() == [("normal", 1, 1, 0)]


def test_a_corrected_received_at_moves_the_deadline_of_the_attempt_with_it(people):
    by = people.coordinator
    case = registered(by)
    made_at = add_working_hours(MONDAY, 30)
    attempt(case, made_at, by=by, now=made_at + timedelta(minutes=1))
    case = confirm_urgent(case, by)

    earlier = MONDAY - timedelta(days=3)  # Friday 28 February 09:00
    case = services.update_case(case=case, data={"received_at": earlier}, expected_version=case.version, by=by)

    # Still judged as a normal case, 48 working hours from the corrected time.
    assert case.first_contact_due_then == add_working_hours(earlier, 48)
    assert case.first_contact_due == add_working_hours(earlier, 24)
    assert case.first_contact_hours == pytest.approx(54)
    assert year_rows() == [("normal", 1, 0, 0)]


def test_contacts_at_registration_are_their_own_line_and_not_in_the_share(people):
    by = people.coordinator
    registered(by, channel="walk_in", **ANONYMOUS)
    registered(by, MONDAY + timedelta(days=1), channel="phone", **ANONYMOUS)
    urgent = registered(by, MONDAY + timedelta(days=2), channel="walk_in", priority="urgent", **ANONYMOUS)
    kept = registered(by, MONDAY + timedelta(days=7))
    attempt(kept, kept.received_at + timedelta(hours=2), by=by, now=kept.received_at + timedelta(hours=3))
    # A case the coordinator made anonymous later is not a contact at registration.
    named = registered(by, MONDAY + timedelta(days=8))
    attempt(named, named.received_at + timedelta(hours=1), by=by, now=named.received_at + timedelta(hours=2))
    named.refresh_from_db()
    services.update_case(case=named, data=ANONYMOUS, expected_version=named.version, by=by)

    urgent.refresh_from_db()
    assert urgent.first_contact_at_registration is True
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.kpi(start=START, end=END, granularity="year")
    assert len(queries) == (1 if connection.vendor == "postgresql" else 2)
    got = [(r.priority, r.decided, r.kept, r.at_registration) for r in rows]
    # Normal and urgent stay separate; the percentages count only the cases with a deadline.
    assert got == [("normal", 2, 2, 2), ("urgent", 0, 0, 1)]
    assert [r.share for r in rows] == [1.0, None]
    if connection.vendor == "postgresql":
        # The median leaves the contacts at registration (0 h) out: 1 and 2 hours.
        assert rows[0].median_hours == pytest.approx(1.5)
    lines = {
        line.priority: (line.decided, line.kept)
        for line in figures.first_contact(figures.Period(START.date(), END.date()))
    }
    assert lines == {"normal": (2, 2), "urgent": (0, 0), "all": (2, 2)}


def test_the_kpi_page_shows_the_contacts_at_registration(client, people):
    by = people.coordinator
    registered(by, channel="walk_in", **ANONYMOUS)
    kept = registered(by, MONDAY + timedelta(days=7))
    attempt(kept, kept.received_at + timedelta(hours=2), by=by, now=kept.received_at + timedelta(hours=3))
    login_verified(client, people.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("kpi"), {"year": 2025, "granularity": "year"})

    whole_year = html.fromstring(response.content).xpath("//table")[0]
    header = [" ".join(th.text_content().split()) for th in whole_year.xpath(".//thead//th")]
    assert header[-1] == "Contact at registration"
    rows = [[" ".join(td.text_content().split()) for td in tr.xpath("td")] for tr in whole_year.xpath(".//tbody/tr")]
    # 1 decided, 1 kept, 100.0% (jour.formatting), a median of 2 working hours; the walk-in apart.
    assert rows == [["Normal (48 h)", "1", "1", "100.0%", "2.0", "1"]]


def test_the_data_migration_fills_existing_cases_from_today_s_deadline(people):
    from importlib import import_module

    migration = import_module("cases.migrations.0008_first_contact_history")
    by = people.coordinator
    tried = registered(by)
    attempt(tried, MONDAY + timedelta(hours=3), by=by, now=MONDAY + timedelta(hours=4))
    walk_in = registered(by, channel="walk_in", **ANONYMOUS)
    waiting = registered(by, MONDAY + timedelta(days=1))
    # As the rows stood before the migration.
    Case.objects.update(first_contact_due_then=None, first_contact_priority="", first_contact_at_registration=False)

    migration.fill_from_current_deadline(apps, None)

    rows = {c.pk: c for c in Case.objects.all()}
    assert (rows[tried.pk].first_contact_due_then, rows[tried.pk].first_contact_priority) == (
        rows[tried.pk].first_contact_due,
        "normal",
    )
    assert rows[tried.pk].first_contact_at_registration is False
    assert rows[walk_in.pk].first_contact_at_registration is True
    assert rows[walk_in.pk].first_contact_due_then == rows[walk_in.pk].first_contact_due
    assert (rows[waiting.pk].first_contact_due_then, rows[waiting.pk].first_contact_priority) == (None, "")
