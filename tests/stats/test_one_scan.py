"""On PostgreSQL figures.report() counts the cases in one scan (GROUPING SETS);
elsewhere one GROUP BY per table. Both must give the same rows, so the same
report, to the cell: the one-scan rows are checked against the portable ones
on the hand-built year and on a varied load, for a year, a quarter and one
municipality, and at a moment when some deadlines have not yet passed."""

from datetime import date, datetime

import pytest
from django.db import connection

from stats import figures
from stats.figures import Period

from .dataset import ESLOV, NOW, at
from .test_query_count import add_cases

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="GROUPING SETS are PostgreSQL's")

KEYS = [dimension.key for dimension in figures.FIXED_DIMENSIONS]
PERIODS = [
    Period(date(2026, 1, 1), date(2027, 1, 1)),
    Period(date(2026, 4, 1), date(2026, 7, 1)),
    Period(date(2026, 1, 1), date(2027, 1, 1), ESLOV),
    Period(date(2030, 1, 1), date(2031, 1, 1)),  # no cases at all
]
MOMENTS = [NOW, at(2026, 3, 1)]


def _rows(counted: dict[str, list[dict]]) -> dict[str, list]:
    return {name: sorted(sorted(row.items()) for row in rows) for name, rows in counted.items()}


def _same_rows(period: Period, now: datetime) -> None:
    cases = figures.cases_in(period)
    one_scan = _rows(figures._counted_in_one_scan(cases, KEYS, now))
    by_query = _rows(figures._counted_by_query(cases, (), KEYS, now))
    assert one_scan == by_query
    assert set(one_scan) == {"seekers", *KEYS, "kpi"}


def _portable(cases, keys, now):
    return figures._counted_by_query(cases, (), keys, now)


@pytest.mark.parametrize("now", MOMENTS)
def test_one_scan_gives_the_rows_of_the_group_bys_on_the_hand_built_year(world, now):
    assert figures._counted_in_one_scan(figures.cases_in(PERIODS[0]), KEYS, NOW)["kpi"]  # something to compare
    for period in PERIODS:
        _same_rows(period, now)


def test_one_scan_gives_the_rows_of_the_group_bys_on_a_varied_load(people):
    add_cases(people, 0, 60)
    for period in PERIODS:
        for now in MOMENTS:
            _same_rows(period, now)


def test_the_report_is_the_same_by_either_path(world, monkeypatch):
    fast = [figures.report(period, now=NOW) for period in PERIODS]
    monkeypatch.setattr(figures, "case_counts", _portable)
    assert [figures.report(period, now=NOW) for period in PERIODS] == fast
    assert sum(fast[0].seekers.matrix()[0]) > 0
