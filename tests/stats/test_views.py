"""Who sees what on /statistics/: the coordinator exact numbers, the board small
numbers hidden, an auditor the first-contact figures only, a support person
their own work; periods from the query string; no seeker's data anywhere."""

from datetime import date

import pytest
from django.utils import timezone
from django.utils.translation import override

from stats import display, figures
from stats.figures import Period
from tests.calendars.helpers import client_for
from tests.cases.factories import SEEKER_SECRETS

from . import pages
from .attacks import determined_by_bounds, determined_by_the_whole_table, recovered_from_one_line
from .dataset import HAND_COUNT, NORRBY, expected_counts

YEAR_QUERY = "kind=year&year=2026"
YEAR = Period(date(2026, 1, 1), date(2027, 1, 1))


def get(user, query: str = YEAR_QUERY, language: str = "en"):
    return client_for(user, language).get(f"/statistics/?{query}")


def page(user, query: str = YEAR_QUERY) -> str:
    response = get(user, query)
    assert response.status_code == 200
    return response.content.decode()


def as_shown(table: display.ShownTable) -> tuple:
    return table.columns, [(label, cells) for label, cells in table.rows], table.total


def as_page(table: pages.PageTable) -> tuple:
    return table.columns, table.rows, table.total


def expected_page(period: Period, protected: bool) -> dict:
    """The tables the page must show, built in the test from stats.display."""
    with override("en"):
        shown = display.show(figures.report(period), protected=protected)
        return {table.key: as_shown(table) for table in [shown.seekers, *shown.tables, shown.support]}


def expected_kpi(period: Period, protected: bool) -> list[list[str]]:
    with override("en"):
        lines = display.show_kpi(figures.first_contact(period), protected=protected)
    return [[line.label, line.decided, line.kept, line.percent] for line in lines]


def grid_of(table: pages.PageTable) -> list[list[str]]:
    """The table as its grid (inner rows, then the total row), from the page's text."""
    rows = [cells for _label, cells in table.rows]
    return rows + [table.total] if table.total else rows + rows  # one row: it is its own total


def cell(tables: dict, key: str, row_label: str, column: str) -> str:
    table = tables[key]
    return dict(table.rows)[row_label][table.columns.index(column)]


# --- the coordinator --------------------------------------------------------------------


def test_the_coordinator_sees_the_exact_hand_count(world):
    html = page(world.people.coordinator)
    tables = pages.tables(html)

    assert {key: as_page(table) for key, table in tables.items()} == expected_page(YEAR, protected=False)
    for key, matrix in HAND_COUNT.items():
        inner = [[int(value) for value in cells[:-1]] for _label, cells in tables[key].rows]
        assert inner == matrix, key
    # One honour-related case, a woman: the coordinator sees the 1.
    assert cell(tables, "crime_category", "Honour-related violence and oppression", "Woman") == "1"
    assert tables["crime_category"].total == ["16", "8", "1", "1", "26"]
    assert not any(v.startswith("<") or v == "·" for t in tables.values() for _l, row in t.rows for v in row)
    assert pages.kpi(html) == expected_kpi(YEAR, protected=False)
    assert pages.facts(html) == {"Volunteers active": "3", "Hours at meetings and hearings": "11.0"}
    assert "/statistics/export.csv?kind=year&amp;year=2026" in html


# --- the board --------------------------------------------------------------------------


def test_the_board_sees_small_numbers_hidden(world):
    coordinator = pages.tables(page(world.people.coordinator))
    html = page(world.people.board)
    tables = pages.tables(html)

    assert {key: as_page(table) for key, table in tables.items()} == expected_page(YEAR, protected=True)
    assert cell(tables, "crime_category", "Honour-related violence and oppression", "Woman") == "<3"
    assert tables["seekers"].rows == [("Seekers (one per case)", ["16", "·", "<3", "<3", "26"])]
    for key, table in tables.items():
        for (label, mine), (_label, exact) in zip(table.rows, coordinator[key].rows, strict=True):
            for shown, value in zip(mine, exact, strict=True):
                # Never an exact small number: a 1 or a 2 is "<3" (or "·", a small total
                # whose parts it would pin down); anything else is exact or "·".
                assert shown not in ("1", "2"), (key, label)
                if value in ("1", "2"):
                    assert shown in ("<3", "·"), (key, label)
                else:
                    assert shown in (value, "·"), (key, label)
        # No row or column gives a hidden cell away by subtraction.
        assert recovered_from_one_line(grid_of(table)) == {}, key
    kpi = pages.kpi(html)
    assert kpi == expected_kpi(YEAR, protected=True)
    assert all(value not in ("1", "2") for line in kpi for value in line[1:3])
    assert "/statistics/export.pdf?kind=year&amp;year=2026" in html


def test_the_boards_page_gives_no_hidden_number_away(world):
    tables = pages.tables(page(world.people.board))
    given_away = {}
    for key, table in tables.items():
        found = {**determined_by_the_whole_table(grid_of(table)), **determined_by_bounds(grid_of(table), 3)}
        if found:
            given_away[key] = found
    assert given_away == {}


def test_the_board_sees_the_swedish_page_protected_too(world):
    response = get(world.people.board, language="sv")
    assert response.status_code == 200
    tables = pages.tables(response.content.decode())
    assert tables["seekers"].rows[0][1] == ["16", "·", "<3", "<3", "26"]
    assert tables["crime_category"].rows[1][1] == ["<3", "0", "0", "0", "<3"]  # honour


# --- the auditor and a support person ---------------------------------------------------


def test_the_auditor_sees_only_the_first_contact_figures(world):
    html = page(world.people.auditor)

    assert pages.tables(html) == {}
    assert 'aria-labelledby="crime_category-h"' not in html
    assert pages.kpi(html) == expected_kpi(YEAR, protected=True)
    assert pages.facts(html) == {}  # no volunteers
    assert "/statistics/export." not in html


def test_a_support_person_sees_only_their_own_work(world):
    alex, sam = world.users["alex"], world.users["sam"]
    mine, theirs = page(alex), page(sam)

    for html in (mine, theirs):
        assert pages.tables(html) == {}
        assert pages.kpi(html) is None
        assert "/statistics/export." not in html
    with override("en"):
        assert pages.facts(mine) == {
            "Cases I worked on": "3",
            "Contact attempts": "4",
            "Meetings with a seeker": "2",
            "Court hearings accompanied": "1",
            "Hours at meetings and hearings": "4.5",
        }
        assert pages.facts(theirs) == {
            "Cases I worked on": "2",
            "Contact attempts": "2",
            "Meetings with a seeker": "2",
            "Court hearings accompanied": "2",
            "Hours at meetings and hearings": "6.5",
        }
    # Not the jour's totals either.
    assert "Volunteers active" not in mine
    assert "24" not in pages.facts(mine).values()


# --- periods from the query string ------------------------------------------------------

VALID = {
    "kind=quarter&year=2026&quarter=1": Period(date(2026, 1, 1), date(2026, 4, 1)),
    "kind=quarter&year=2026&quarter=2": Period(date(2026, 4, 1), date(2026, 7, 1)),
    "kind=quarter&year=2026&quarter=4": Period(date(2026, 10, 1), date(2027, 1, 1)),
    "kind=month&year=2026&month=4": Period(date(2026, 4, 1), date(2026, 5, 1)),
    "kind=month&year=2026&month=12": Period(date(2026, 12, 1), date(2027, 1, 1)),
    "kind=year&year=2026&municipality=Norrby": Period(date(2026, 1, 1), date(2027, 1, 1), NORRBY),
    "kind=quarter&year=2026&quarter=1&municipality=Norrby": Period(date(2026, 1, 1), date(2026, 4, 1), NORRBY),
    "kind=custom&year=2026&start=2026-03-31&end=2026-03-31": Period(date(2026, 3, 31), date(2026, 4, 1)),
    "kind=custom&year=2026&start=2025-12-01&end=2026-02-28&municipality=Exempelstad": Period(
        date(2025, 12, 1), date(2026, 3, 1), "Exempelstad"
    ),
}


@pytest.mark.parametrize("query", VALID)
def test_the_period_comes_from_the_query_string(world, query):
    period = VALID[query]
    html = page(world.people.coordinator, query)

    lead = f"{period.start.isoformat()} – {period.last_day.isoformat()}"
    assert pages.lead(html) == lead + (f", {period.municipality}" if period.municipality else "")
    tables = pages.tables(html)
    assert {key: as_page(table) for key, table in tables.items()} == expected_page(period, protected=False)
    expected_seekers = expected_counts(period)["seekers"]
    row = [expected_seekers.get(("all", gender), 0) for gender in ("woman", "man", "other", "unknown")]
    assert tables["seekers"].rows[0][1] == [str(n) for n in row] + [str(sum(row))]


def test_quarter_one_holds_the_case_of_half_past_eleven_on_31_march(world):
    q1 = pages.tables(page(world.people.coordinator, "kind=quarter&year=2026&quarter=1"))
    q2 = pages.tables(page(world.people.coordinator, "kind=quarter&year=2026&quarter=2"))
    assert cell(q1, "crime_category", "Fraud", "Woman") == "1"  # c06, 23:30 on 31 March
    assert cell(q1, "crime_category", "Fraud", "Man") == "0"
    assert cell(q2, "crime_category", "Fraud", "Man") == "1"  # c07, 00:30 on 1 April
    assert cell(q2, "crime_category", "Fraud", "Woman") == "0"


def test_without_a_query_the_page_shows_this_year(world):
    html = page(world.people.coordinator, "")
    year = timezone.localdate().year
    assert pages.lead(html) == f"{year}-01-01 – {year}-12-31"


@pytest.mark.parametrize("year", ["", "&year="])
def test_a_custom_period_needs_no_year(world, year):
    response = get(world.people.coordinator, f"kind=custom&start=2026-03-31&end=2026-03-31{year}")
    assert response.status_code == 200
    html = response.content.decode()
    assert pages.lead(html) == "2026-03-31 – 2026-03-31"
    assert pages.tables(html)["seekers"].rows[0][1] == ["1", "0", "0", "0", "1"]


INVALID = {
    "kind=quarter&year=2026": "Choose a quarter.",
    "kind=quarter&year=2026&quarter=5": "Select a valid choice.",
    "kind=month&year=2026": "Choose a month.",
    "kind=month&year=2026&month=13": "Select a valid choice.",
    "kind=custom&year=2026&end=2026-04-01": "Give the first day.",
    "kind=custom&year=2026&start=2026-04-01": "Give the last day.",
    "kind=custom&year=2026&start=2026-05-01&end=2026-04-01": "The last day cannot come before the first.",
    "kind=custom&year=2026&start=2020-01-01&end=2026-01-01": "Choose at most five years.",
    "kind=custom&year=2026&start=2026-02-30&end=2026-03-01": "Enter a valid date.",
    "kind=year&year=1999": "Ensure this value is greater than or equal to 2000.",
    "kind=year&year=twenty": "Enter a whole number.",
    "kind=decade&year=2026": "Select a valid choice.",
    "kind=year&year=2026&municipality=Ingenstans": "Select a valid choice.",
}


@pytest.mark.parametrize("query", INVALID)
@pytest.mark.parametrize("who", ["coordinator", "board"])
def test_an_invalid_period_is_a_400_with_a_message(world, query, who):
    response = get(getattr(world.people, who), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert INVALID[query] in pages.errors(html)
    assert pages.tables(html) == {}
    assert pages.kpi(html) is None
    assert pages.lead(html) == ""


def test_an_invalid_period_is_a_400_for_a_support_person_and_an_auditor(world):
    for user in (world.users["alex"], world.people.auditor):
        response = get(user, "kind=month&year=2026")
        assert response.status_code == 400
        assert "Choose a month." in pages.errors(response.content.decode())


def test_the_municipality_choices_are_the_jours_municipalities(world):
    html = page(world.people.coordinator)
    assert '<option value="Exempelstad">Exempelstad</option>' in html
    assert '<option value="Norrby">Norrby</option>' in html


# --- no personal data -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "board", "auditor", "alex"])
@pytest.mark.parametrize("query", [YEAR_QUERY, "kind=quarter&year=2026&quarter=1&municipality=Exempelstad"])
def test_no_seekers_data_on_the_page(world, who, query):
    user = world.users.get(who) or getattr(world.people, who)
    html = get(user, query).content.decode()
    for secret in SEEKER_SECRETS:
        assert secret not in html
    # Nor a case number: statistics are counts only.
    for case in world.cases.values():
        assert case.number not in html
