"""A coordinator's exact report is added up from the year's counts by month and
municipality (stats.selection.exact, kept by stats.year_cache) instead of counted for
the period: every table, cell, first-contact line and the volunteers must be what
figures.report counts directly, for every kind of selection."""

import pytest

from stats import figures, selection
from stats.selection import QUARTERS, YEAR, Selection

from .dataset import ESLOV, LUND, NOW

SELECTIONS = [
    Selection(2026, YEAR),
    *[Selection(2026, months) for months in QUARTERS],
    *[Selection(2026, (month,)) for month in (1, 3, 4, 10, 12)],
    Selection(2026, YEAR, LUND),
    Selection(2026, YEAR, ESLOV),
    Selection(2025, YEAR),  # a year with nothing in it
]


def shape(report: figures.Report) -> dict:
    tables = [report.seekers, *report.tables, report.support]
    return {
        "period": report.period,
        "tables": [(table.key, table.title, table.rows, table.matrix()) for table in tables],
        "kpi": [(line.priority, line.label, line.decided, line.kept) for line in report.first_contact],
        "volunteering": report.volunteering,
    }


@pytest.mark.parametrize("chosen", SELECTIONS, ids=lambda s: f"{s.year}-{s.kind}-{s.months[0]}-{s.municipality}")
def test_added_up_from_the_parts_is_counted_directly(world, chosen):
    added = figures.parts(chosen.year, now=NOW).report(chosen.months, chosen.municipality)
    added.volunteering = figures.volunteering(added.period)
    direct = figures.report(added.period, now=NOW)
    assert shape(added) == shape(direct)


def test_the_coordinators_report_is_the_direct_count(world):
    """exact() itself, through the kept counts, beside a direct count made just after it."""
    for chosen in SELECTIONS:
        report = selection.exact(chosen)
        assert shape(report) == shape(figures.report(report.period))
