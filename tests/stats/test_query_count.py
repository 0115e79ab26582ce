"""figures.report() runs a fixed number of queries, however many cases,
attempts and appointments the period holds."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stats import figures
from stats.figures import Period
from tests.calendars.helpers import client_for, plan
from tests.cases.factories import assign, attempt, make_case

from .dataset import at

PERIOD = Period(date(2026, 1, 1), date(2027, 1, 1))
GENDERS = ["woman", "man", "other", "unknown"]
CRIMES = ["assault", "unlawful_threats", "fraud", "sexual", "harassment"]
CHANNELS = ["phone", "email", "police_referral", "walk_in", "other_organisation"]


def add_cases(people, start: int, stop: int, municipalities=("1281", "1285")) -> None:
    """Cases with all sorts of values, an attempt for every other one, a meeting for every third."""
    for n in range(start, stop):
        received = at(2026, 1 + n % 10, 2 + n % 20, 10)
        case = make_case(
            people.coordinator,
            now=received + timedelta(minutes=5),
            received_at=received,
            gender=GENDERS[n % 4],
            crime_type=CRIMES[n % 5],
            channel=CHANNELS[n % 5],
            municipality=municipalities[n % len(municipalities)],
            priority=["normal", "urgent"][n % 3 == 0],
        )
        if n % 2:
            made_at = received + timedelta(hours=1)
            attempt(case, made_at, by=[people.alex, people.sam][n % 4 == 1], now=made_at)
        if n % 3 == 0:
            assign(case, people.alex, by=people.coordinator)  # only those on the case go to its meetings
            plan("meeting", by=people.coordinator, day=received.date() + timedelta(days=1), case=case,
                 participants=[people.alex])  # fmt: skip


def queries_of_report(period: Period = PERIOD) -> tuple[int, figures.Report]:
    with CaptureQueriesContext(connection) as context:
        report = figures.report(period)
    return len(context.captured_queries), report


def test_the_report_runs_as_many_queries_for_60_cases_as_for_5(people):
    add_cases(people, 0, 5)
    few, small = queries_of_report()
    assert small.seekers.matrix()[0] and sum(small.seekers.matrix()[0]) == 5

    add_cases(people, 5, 60)
    many, large = queries_of_report()
    assert sum(large.seekers.matrix()[0]) == 60
    assert sum(large.support.matrix()[0]) == 30  # the attempts
    assert sum(large.support.matrix()[1]) == 20  # the meetings

    assert many == few
    # The special circumstances in use; the cases' tables and the KPI (on PostgreSQL one scan,
    # elsewhere the seekers, each fixed dimension and the KPI apart); the marked cases; the
    # attempts (support and volunteers); referrals, meetings and hearings, other actions;
    # who went to meetings and hearings, and their hours.
    cases = 1 if connection.vendor == "postgresql" else 1 + len(figures.FIXED_DIMENSIONS) + 1
    assert few == 1 + cases + 1 + 1 + 3 + 2


def test_a_municipality_costs_no_extra_query(people):
    add_cases(people, 0, 12)
    everywhere, _report = queries_of_report()
    eslov, report = queries_of_report(Period(PERIOD.start, PERIOD.end, "1285"))
    assert eslov == everywhere
    assert sum(report.seekers.matrix()[0]) == 6


def test_the_parts_of_a_year_run_as_many_queries_for_60_cases_as_for_5(people):
    add_cases(people, 0, 5)
    with CaptureQueriesContext(connection) as few:
        figures.parts(2026)
    add_cases(people, 5, 60)
    with CaptureQueriesContext(connection) as many:
        parts = figures.parts(2026)
    # The special circumstances in use; the seekers, each fixed dimension and first contact; the
    # marked cases (every marker's table); support (attempts, referrals, appointments, actions).
    expected = 1 + 1 + len(figures.FIXED_DIMENSIONS) + 1 + 1 + 4
    assert len(many.captured_queries) == len(few.captured_queries) == expected
    assert sum(parts.report(tuple(range(1, 13))).seekers.matrix()[0]) == 60


@pytest.mark.parametrize("who", ["board", "coordinator", "auditor"])
def test_the_page_runs_as_many_queries_for_60_cases_as_for_12(people, who):
    reader = client_for(getattr(people, who))
    reader.get("/statistics/?kind=year&year=2025")  # what a session's first request costs beside
    add_cases(people, 0, 12)
    with CaptureQueriesContext(connection) as few:
        response = reader.get("/statistics/?kind=year&year=2026")
        assert response.status_code == 200 and b"withheld" not in response.content
    add_cases(people, 12, 60)
    with CaptureQueriesContext(connection) as many:
        assert reader.get("/statistics/?kind=year&year=2026").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_boards_federation_report_counts_the_year_once_however_many_municipalities(people):
    """Each municipality is protected from the year's counts made once for the report,
    not counted again for each (it was 20 queries a municipality)."""
    board = client_for(people.board)
    board.get("/statistics/federation/?year=2025")  # what a session's first request costs beside
    url = "/statistics/federation/?year=2026"
    add_cases(people, 0, 12)
    with CaptureQueriesContext(connection) as two:
        response = board.get(url)
        assert response.status_code == 200 and b"withheld" not in response.content
    add_cases(people, 12, 60, municipalities=("1281", "1280", "2182", "1980", "1285", "2181"))
    with CaptureQueriesContext(connection) as six:
        response = board.get(url)
        # (The municipalities with too few seekers are withheld, but each is looked at.)
        assert response.status_code == 200 and b"withheld" not in response.content
    assert len(six.captured_queries) == len(two.captured_queries)
