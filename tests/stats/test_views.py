"""Who sees what on /statistics/: the coordinator exact numbers, the board small
numbers hidden (or a whole selection withheld), an auditor the first-contact
figures only, a support person their own work; periods from the query string
(calendar months, quarters and years only); no seeker's data anywhere."""

from datetime import date

import pytest
from django.utils import timezone
from django.utils.translation import override

from jour import formatting
from stats import display, figures, selection
from stats.figures import Period
from stats.forms import CUSTOM_GONE
from stats.selection import A_WHOLE_YEAR, TOO_FEW, WITH_OTHERS, YEAR_TOO_FEW, Selection
from tests.calendars.helpers import client_for
from tests.cases.factories import SEEKER_SECRETS

from . import pages
from .attacks import determined_by_bounds, determined_by_the_whole_table, recovered_from_one_line
from .dataset import ESLOV, HAND_COUNT, LUND, expected_counts

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


def protected(chosen: Selection) -> display.ShownReport:
    """What stats.selection gives protected readers (at the dataset's clock)."""
    with override("en"):
        result = selection.protected(chosen)
        assert not result.withheld, result.withheld
        return display.show_protected(result)


def expected_page(period: Period, chosen: Selection | None = None) -> dict:
    """The tables the page must show, built in the test from stats.display."""
    with override("en"):
        shown = protected(chosen) if chosen else display.show(figures.report(period), protected=False)
        return {table.key: as_shown(table) for table in [shown.seekers, *shown.tables, shown.support]}


def expected_kpi(period: Period, chosen: Selection | None = None) -> list[list[str]]:
    with override("en"):
        if chosen:
            lines = protected(chosen).first_contact
        else:
            lines = display.show_kpi(figures.first_contact(period), protected=False)
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

    assert {key: as_page(table) for key, table in tables.items()} == expected_page(YEAR)
    for key, matrix in HAND_COUNT.items():
        inner = [[int(value) for value in cells[:-1]] for _label, cells in tables[key].rows]
        assert inner == matrix, key
    # One honour-related case (unlawful threats), a woman: the coordinator sees the 1.
    assert cell(tables, "marker_honour", "Unlawful threats", "Woman") == "1"
    assert tables["crime_type"].total == ["16", "8", "1", "1", "26"]
    assert tables["marker_honour"].total == ["16", "8", "1", "1", "26"]
    assert not any(v.startswith("<") or v == "·" for t in tables.values() for _l, row in t.rows for v in row)
    assert pages.kpi(html) == expected_kpi(YEAR)
    assert pages.facts(html) == {"Volunteers active": "3", "Hours at meetings and hearings": "11.0"}
    assert "/statistics/export.csv?kind=year&amp;year=2026" in html
    assert pages.withheld(html) == ""


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("kind=month&year=2026&month=3", TOO_FEW),
        (f"kind=year&year=2026&municipality={LUND}", WITH_OTHERS),
        (f"kind=quarter&year=2026&quarter=1&municipality={LUND}", A_WHOLE_YEAR),
    ],
)
def test_the_coordinator_sees_exact_numbers_and_what_the_board_gets_instead(world, query, reason):
    html = page(world.people.coordinator, query)
    tables = pages.tables(html)
    assert len(tables) == 12 and pages.kpi(html)
    assert not any(v.startswith("<") or v == "·" for t in tables.values() for _l, row in t.rows for v in row)
    with override("en"):
        assert pages.withheld(html) == (
            "The board and every download get no figures for this selection. They are told: “" + str(reason) + "”"
        )
    assert "/statistics/export." not in html  # the download would be refused


# --- the board --------------------------------------------------------------------------


def test_the_board_sees_small_numbers_hidden(world):
    coordinator = pages.tables(page(world.people.coordinator))
    html = page(world.people.board)
    tables = pages.tables(html)

    assert {key: as_page(table) for key, table in tables.items()} == expected_page(YEAR, Selection(2026))
    # One honour-related case, a woman: "<3", and nothing says which gender.
    honour = dict(tables["marker_honour"].rows)["Unlawful threats"]
    assert honour == ["<3", "·", "·", "·", "<3"]
    assert tables["seekers"].rows == [("Seekers (one per case)", ["·", "·", "·", "<3", "26"])]
    for key, table in tables.items():
        for (label, mine), (_label, exact) in zip(table.rows, coordinator[key].rows, strict=True):
            for shown, value in zip(mine, exact, strict=True):
                # Never an exact small number: a 1 or a 2 is "<3" or "·"; anything else is exact or "·".
                assert shown not in ("1", "2"), (key, label)
                if value in ("1", "2"):
                    assert shown in ("<3", "·"), (key, label)
                else:
                    assert shown in (value, "·"), (key, label)
        # No row or column gives a hidden cell away by subtraction.
        assert recovered_from_one_line(grid_of(table)) == {}, key
    kpi = pages.kpi(html)
    assert kpi == expected_kpi(YEAR, Selection(2026))
    assert all(value not in ("1", "2") for line in kpi for value in line[1:3])
    assert "/statistics/export.pdf?kind=year&amp;year=2026" in html


def test_zeros_beside_a_small_number_are_hidden_on_the_boards_page(world):
    tables = pages.tables(page(world.people.board))
    for key, table in tables.items():
        rows = [*table.rows, ("Total", table.total)] if table.total else table.rows
        for label, cells in rows:
            if cells[-1] in ("<3",):  # a small total: none of its zeros may show
                assert "0" not in cells, (key, label, cells)
    # Where the total is large, a zero may stay: no man assaulted in a close relationship.
    assert cell(tables, "marker_close_relationship", "Assault", "Man") == "0"
    # A row of nobody stays a row of zeros.
    assert dict(tables["crime_type"].rows)["Trafficking or procuring"] == ["0"] * 5


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
    assert tables["seekers"].rows[0][1] == ["·", "·", "·", "<3", "26"]
    assert tables["marker_honour"].rows[1][1] == ["<3", "·", "·", "·", "<3"]  # honour-related threats


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        # A month of a few cases (March: four).
        ("kind=month&year=2026&month=3", TOO_FEW),
        ("kind=quarter&year=2026&quarter=4", TOO_FEW),
        # Eslöv has four seekers; Lund's 22 would give them away as "all municipalities minus Lund".
        (f"kind=year&year=2026&municipality={ESLOV}", TOO_FEW),
        (f"kind=year&year=2026&municipality={LUND}", WITH_OTHERS),
        # One municipality: a whole year only.
        (f"kind=quarter&year=2026&quarter=1&municipality={LUND}", A_WHOLE_YEAR),
        (f"kind=month&year=2026&month=1&municipality={LUND}", A_WHOLE_YEAR),
        # No case at all.
        ("kind=year&year=2019", YEAR_TOO_FEW),
    ],
)
def test_a_selection_of_too_few_seekers_is_withheld_from_the_board(world, query, reason):
    html = page(world.people.board, query)
    with override("en"):
        assert pages.withheld(html) == str(reason)
    assert pages.tables(html) == {}
    assert pages.kpi(html) is None
    assert pages.facts(html) == {}
    assert "/statistics/export." not in html
    assert pages.lead(html)  # the period asked for is named


def test_a_smaller_minimum_of_seekers_shows_more(world, settings):
    settings.JOUR_STATS_MIN_SEEKERS = 4
    html = page(world.people.board, f"kind=year&year=2026&municipality={ESLOV}")
    assert pages.withheld(html) == ""
    assert pages.lead(html) == "Thu 1 Jan 2026 – Thu 31 Dec 2026, Eslöv"
    # Two women and two men: both hidden, and so is something else, or "2 + 2 = 4" would pin them down.
    woman, man, other, unknown, total = pages.tables(html)["seekers"].rows[0][1]
    assert {woman, man} <= {"<3", "·"}
    assert not (total == "4" and other == unknown == "0")


# --- the auditor and a support person ---------------------------------------------------


def test_the_auditor_sees_only_the_first_contact_figures(world):
    html = page(world.people.auditor)

    assert pages.tables(html) == {}
    assert 'aria-labelledby="crime_type-h"' not in html
    assert pages.kpi(html) == expected_kpi(YEAR, Selection(2026))
    assert pages.facts(html) == {}  # no volunteers
    assert "/statistics/export." not in html


def test_the_auditor_gets_no_figures_for_a_selection_of_too_few_seekers(world):
    html = page(world.people.auditor, "kind=month&year=2026&month=3")
    with override("en"):
        assert pages.withheld(html) == str(TOO_FEW)
    assert pages.kpi(html) is None


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


def test_a_support_persons_own_work_has_no_minimum(world):
    """Their own work is theirs: a month with one attempt is shown."""
    html = page(world.users["alex"], "kind=month&year=2026&month=4")
    assert pages.withheld(html) == ""
    assert pages.facts(html)["Contact attempts"] == "1"


# --- periods from the query string ------------------------------------------------------

VALID = {
    "kind=quarter&year=2026&quarter=1": Period(date(2026, 1, 1), date(2026, 4, 1)),
    "kind=quarter&year=2026&quarter=2": Period(date(2026, 4, 1), date(2026, 7, 1)),
    "kind=quarter&year=2026&quarter=4": Period(date(2026, 10, 1), date(2027, 1, 1)),
    "kind=month&year=2026&month=4": Period(date(2026, 4, 1), date(2026, 5, 1)),
    "kind=month&year=2026&month=12": Period(date(2026, 12, 1), date(2027, 1, 1)),
    f"kind=year&year=2026&municipality={ESLOV}": Period(date(2026, 1, 1), date(2027, 1, 1), ESLOV),
    f"kind=quarter&year=2026&quarter=1&municipality={ESLOV}": Period(date(2026, 1, 1), date(2026, 4, 1), ESLOV),
    f"kind=month&year=2025&month=12&municipality={LUND}": Period(date(2025, 12, 1), date(2026, 1, 1), LUND),
}


def _period_text(first, last) -> str:
    """The period as the (English) page names it: its first and last days, with the year."""
    with override("en"):
        return f"{formatting.day(first, year=True)} – {formatting.day(last, year=True)}"


@pytest.mark.parametrize("query", VALID)
def test_the_period_comes_from_the_query_string(world, query):
    period = VALID[query]
    html = page(world.people.coordinator, query)

    lead = _period_text(period.start, period.last_day)
    names = {LUND: "Lund", ESLOV: "Eslöv"}
    assert pages.lead(html) == lead + (f", {names[period.municipality]}" if period.municipality else "")
    tables = pages.tables(html)
    assert {key: as_page(table) for key, table in tables.items()} == expected_page(period)
    expected_seekers = expected_counts(period)["seekers"]
    row = [expected_seekers.get(("all", gender), 0) for gender in ("woman", "man", "other", "unknown")]
    assert tables["seekers"].rows[0][1] == [str(n) for n in row] + [str(sum(row))]


def test_quarter_one_holds_the_case_of_half_past_eleven_on_31_march(world):
    q1 = pages.tables(page(world.people.coordinator, "kind=quarter&year=2026&quarter=1"))
    q2 = pages.tables(page(world.people.coordinator, "kind=quarter&year=2026&quarter=2"))
    assert cell(q1, "crime_type", "Fraud", "Woman") == "1"  # c06, 23:30 on 31 March
    assert cell(q1, "crime_type", "Fraud", "Man") == "0"
    assert cell(q2, "crime_type", "Fraud", "Man") == "1"  # c07, 00:30 on 1 April
    assert cell(q2, "crime_type", "Fraud", "Woman") == "0"


def test_without_a_query_the_page_shows_this_year(world):
    html = page(world.people.coordinator, "")
    year = timezone.localdate().year
    assert pages.lead(html) == _period_text(date(year, 1, 1), date(year, 12, 31))


@pytest.mark.parametrize("who", ["coordinator", "board", "auditor", "alex"])
@pytest.mark.parametrize(
    "query",
    [
        "kind=custom&start=2026-03-31&end=2026-03-31",
        "kind=custom&year=2026&start=2026-03-31&end=2026-03-31&municipality=1281",
        "kind=custom",
    ],
)
def test_an_old_link_to_a_custom_period_gets_a_clear_message(world, who, query):
    user = world.users.get(who) or getattr(world.people, who)
    response = get(user, query)
    assert response.status_code == 400
    html = response.content.decode()
    with override("en"):
        assert str(CUSTOM_GONE) in pages.errors(html)
    assert pages.tables(html) == {}
    assert pages.kpi(html) is None
    assert 'name="start"' not in html and 'name="end"' not in html  # no date fields left


def test_the_form_offers_months_quarters_and_years_only(world):
    html = page(world.people.board)
    assert '<option value="custom"' not in html
    for kind in ("year", "quarter", "month"):
        assert f'<option value="{kind}"' in html


INVALID = {
    "kind=quarter&year=2026": "Choose a quarter.",
    "kind=quarter&year=2026&quarter=5": "Select a valid choice.",
    "kind=month&year=2026": "Choose a month.",
    "kind=month&year=2026&month=13": "Select a valid choice.",
    "kind=year&year=1999": "Ensure this value is greater than or equal to 2000.",
    "kind=year&year=twenty": "Enter a whole number.",
    "kind=year": "Give a year.",
    "kind=decade&year=2026": "Select a valid choice.",
    "kind=year&year=2026&municipality=Ingenstans": "Select a valid choice.",
    # A municipality by name, not by code; a code no case has.
    "kind=year&year=2026&municipality=Lund": "Select a valid choice.",
    "kind=year&year=2026&municipality=0180": "Select a valid choice.",
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


def test_the_municipality_choices_are_the_jours_municipalities_by_name(world):
    html = page(world.people.coordinator)
    # By code in the query string, by name on the page, in alphabetical order.
    assert '<option value="1285">Eslöv</option>' in html
    assert '<option value="1281">Lund</option>' in html
    assert html.index(">Eslöv<") < html.index(">Lund<")
    assert "Exempelstad" not in html


# --- no personal data -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "board", "auditor", "alex"])
@pytest.mark.parametrize(
    "query", [YEAR_QUERY, "kind=quarter&year=2026&quarter=1", f"kind=year&year=2026&municipality={LUND}"]
)
def test_no_seekers_data_on_the_page(world, who, query):
    user = world.users.get(who) or getattr(world.people, who)
    html = get(user, query).content.decode()
    for secret in SEEKER_SECRETS:
        assert secret not in html
    # Nor a case number: statistics are counts only.
    for case in world.cases.values():
        assert case.number not in html
