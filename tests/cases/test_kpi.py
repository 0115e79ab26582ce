"""The first-contact KPI: decided and kept cases per priority and period, and the
median working hours to the first attempt, on a hand-built year."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cases import selectors, services
from jour.workdays import STOCKHOLM
from tests.personas import login_verified

from .factories import SEEKER_SECRETS, attempt, make_case

START, END = datetime(2025, 1, 1, tzinfo=STOCKHOLM), datetime(2026, 1, 1, tzinfo=STOCKHOLM)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)


def received(by, when: datetime, priority: str = "normal"):
    """Registered five minutes after it reached the jour, at that time."""
    return make_case(by, now=when + timedelta(minutes=5), received_at=when, priority=priority)


def tried(case, when: datetime, by):
    attempt(case, when, by=by, now=when + timedelta(minutes=1))
    case.refresh_from_db()
    return case


@pytest.fixture
def year_2025(people):
    """The hand-built year, with the working hours to the first attempt of each case."""
    by = people.coordinator
    # Normal, first attempt within 48 working hours.
    n1 = tried(received(by, at(2025, 3, 3, 9)), at(2025, 3, 3, 15), by)  # Mon: 6 h
    n2 = tried(received(by, at(2025, 3, 4, 10)), at(2025, 3, 5, 10), by)  # Tue-Wed: 24 h
    # Wed 4 June 08:00 → Thu 5 June 20:00: 16 + 20 = 36 h (Fri 6 June, national day, is not needed).
    n3 = tried(received(by, at(2025, 6, 4, 8)), at(2025, 6, 5, 20), by)
    # Normal, late: Mon 1 Sep 10:00, due Wed 3 Sep 10:00, tried Thu 4 Sep 10:00: 72 h.
    n4 = tried(received(by, at(2025, 9, 1, 10)), at(2025, 9, 4, 10), by)
    # Urgent within 24 h: Tue 7 Oct 12:00 → 20:00: 8 h.
    u1 = tried(received(by, at(2025, 10, 7, 12), "urgent"), at(2025, 10, 7, 20), by)
    # Urgent, late: Fri 7 Nov 12:00, due Mon 10 Nov 12:00, tried Tue 11 Nov 12:00: 12 + 24 + 12 = 48 h.
    u2 = tried(received(by, at(2025, 11, 7, 12), "urgent"), at(2025, 11, 11, 12), by)
    # Normal, still open, deadline (Wed 3 Dec 10:00) passed without an attempt: decided, not kept.
    n5 = received(by, at(2025, 12, 1, 10))
    # Normal, closed after its deadline without an attempt: decided, not kept.
    n6 = received(by, at(2025, 11, 17, 10))
    services.close_case(case=n6, reason="not_reached", by=by, now=at(2025, 11, 24, 10))
    # Closed before its deadline without an attempt: not counted.
    mistake = received(by, at(2025, 12, 8, 10))
    services.close_case(case=mistake, reason="other", by=by, now=at(2025, 12, 8, 12))
    # Just outside the year, in Stockholm time (inside it in UTC for the second).
    tried(received(by, at(2024, 12, 31, 23, 30)), at(2025, 1, 2, 9), by)
    tried(received(by, at(2026, 1, 1, 0, 30), "urgent"), at(2026, 1, 2, 9), by)
    return {"n": [n1, n2, n3, n4], "u": [u1, u2], "n5": n5, "n6": n6, "mistake": mistake}


def test_the_hand_built_cases_have_the_stated_hours(year_2025):
    assert [c.first_contact_hours for c in year_2025["n"]] == [6, 24, 36, 72]
    assert [c.first_contact_hours for c in year_2025["u"]] == [8, 48]
    assert [c.first_contact_due for c in year_2025["n"]][3] == at(2025, 9, 3, 10)
    assert year_2025["u"][1].first_contact_due == at(2025, 11, 10, 12)


def test_the_yearly_kpi(year_2025):
    if connection.vendor != "postgresql":
        pytest.skip("the median is computed by PostgreSQL")
    rows = selectors.kpi(start=START, end=END, granularity="year")
    got = [(r.period, r.priority, r.decided, r.kept, r.median_hours) for r in rows]
    assert got == [
        # n1-n6 decided; n1-n3 kept; median of 6, 24, 36, 72 (n5, n6 have no attempt).
        (at(2025, 1, 1), "normal", 6, 3, pytest.approx(30.0)),
        # u1 kept, u2 late; median of 8 and 48.
        (at(2025, 1, 1), "urgent", 2, 1, pytest.approx(28.0)),
    ]
    assert [r.share for r in rows] == [pytest.approx(0.5), pytest.approx(0.5)]


def test_a_case_counts_once_its_deadline_has_passed(year_2025):
    # On 2 Dec 2025 12:00 n5's deadline (3 Dec 10:00) has not passed yet.
    rows = selectors.kpi(start=START, end=END, granularity="year", now=at(2025, 12, 2, 12))
    normal = next(r for r in rows if r.priority == "normal")
    assert (normal.decided, normal.kept) == (5, 3)


@pytest.fixture
def boundaries(people):
    by = people.coordinator
    return {
        # 23:30 local on 31 March is 21:30 UTC: March, Q1.
        "march": tried(received(by, at(2025, 3, 31, 23, 30)), at(2025, 4, 1, 10), by),
        # 00:30 local on 1 April is 22:30 UTC on 31 March: April, Q2 in Stockholm.
        "april": tried(received(by, at(2025, 4, 1, 0, 30)), at(2025, 4, 1, 10), by),
        # 00:30 local on 1 July is 22:30 UTC on 30 June: July, Q3.
        "july": tried(received(by, at(2025, 7, 1, 0, 30), "urgent"), at(2025, 7, 1, 9), by),
        # 00:30 local on 1 January 2025 is 23:30 UTC on 31 December 2024: January, Q1, year 2025.
        "january": tried(received(by, at(2025, 1, 1, 0, 30)), at(2025, 1, 2, 9), by),
    }


def _periods(granularity):
    return {(r.period, r.priority): r.decided for r in selectors.kpi(start=START, end=END, granularity=granularity)}


def test_months_are_stockholm_months(boundaries):
    assert _periods("month") == {
        (at(2025, 1, 1), "normal"): 1,
        (at(2025, 3, 1), "normal"): 1,
        (at(2025, 4, 1), "normal"): 1,
        (at(2025, 7, 1), "urgent"): 1,
    }


def test_quarters_are_stockholm_quarters(boundaries):
    rows = selectors.kpi(start=START, end=END, granularity="quarter")
    assert _periods("quarter") == {
        (at(2025, 1, 1), "normal"): 2,
        (at(2025, 4, 1), "normal"): 1,
        (at(2025, 7, 1), "urgent"): 1,
    }
    assert [(r.quarter, r.priority) for r in rows] == [(1, "normal"), (2, "normal"), (3, "urgent")]
    assert _periods("year") == {(at(2025, 1, 1), "normal"): 3, (at(2025, 1, 1), "urgent"): 1}


@pytest.mark.parametrize("persona", ["coordinator", "board", "auditor"])
def test_the_kpi_page_renders_for_governance_roles(people, year_2025, persona):
    client = Client()
    login_verified(client, getattr(people, persona))
    response = client.get(reverse("kpi"), {"year": 2025, "granularity": "quarter"})
    assert response.status_code == 200
    totals = [(r.priority, r.decided, r.kept) for r in response.context["totals"]]
    assert totals == [("normal", 6, 3), ("urgent", 2, 1)]
    assert {r.quarter for r in response.context["rows"]} == {1, 2, 3, 4}
    html = response.content.decode()
    for secret in SEEKER_SECRETS:
        assert secret not in html
    for case in [*year_2025["n"], *year_2025["u"]]:
        assert case.number not in html
    assert client.get(reverse("kpi")).status_code == 200  # the current year, by month


def test_the_kpi_page_is_refused_to_a_support_person(client, people, year_2025):
    login_verified(client, people.alex)
    assert client.get(reverse("kpi")).status_code == 403
    assert client.get(reverse("kpi"), {"year": 2025, "granularity": "year"}).status_code == 403
