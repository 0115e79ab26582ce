"""Issue 16, item 2: protected statistics cannot be subtracted to single anyone out.

A board member (or anyone holding the downloads) may collect every protected
report of a year: each month, quarter and the year, for all municipalities,
and each municipality's year. ``attack`` below reads them all the way the
page shows them and solves them together (tests/stats/attacks.py: Reader):
the months add up to their quarter, the quarters to the year, the
municipalities and the cases of no known municipality to all of them. It
must learn no hidden cell of a shown report, no small cell of a withheld
selection or of the cases of no known municipality, and no seeker count of a
withheld selection below the minimum.

The first half runs on years made up in memory (stats.figures.Parts), many of
them (hypothesis); the second on the database, through the board's page and
the CSV download: one case on one day, one municipality with one case, a
month inside its quarter, the municipalities' complement."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils.translation import override
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases.models import AgeGroup, Circumstance, CrimeType, Gender, Priority
from stats import display, figures, selection
from stats.figures import FIXED_DIMENSIONS, marker_dimension
from stats.selection import QUARTERS, TOO_FEW, WITH_OTHERS, YEAR, YEAR_TOO_FEW, Selection
from tests.calendars.helpers import client_for
from tests.cases.factories import make_case

from . import pages
from .attacks import (
    Reader,
    determined_by_bounds,
    determined_by_the_whole_table,
    recovered_from_one_line,
    report_grids,
)
from .dataset import at

MINIMUM = 3
LUND, ESLOV, LOMMA = "1281", "1285", "1262"


# --- a year made up in memory --------------------------------------------------------------


# Two special circumstances (a table each, beside the fixed ones), as a jour has them.
MARKERS = (Circumstance.CLOSE_RELATIONSHIP, Circumstance.HATE)
MADE_UP_DIMENSIONS = tuple(FIXED_DIMENSIONS) + tuple(
    marker_dimension(Circumstance(code=code, name=code)) for code in MARKERS
)


def made_up_year(cases: list[dict], year: int = 2026) -> figures.Parts:
    """The parts of a year of ``cases``: {month, place, gender, and optionally any dimension's value,
    priority, decided, kept, attempts}."""
    parts = figures.Parts(year, dimensions=MADE_UP_DIMENSIONS)
    for dimension in MADE_UP_DIMENSIONS:
        parts.counts[dimension.key] = Counter()
    parts.counts["support"], parts.counts["kpi"] = Counter(), Counter()
    for case in cases:
        month, place, gender = case["month"], case["place"], case["gender"]
        for dimension in FIXED_DIMENSIONS:
            parts.counts[dimension.key][month, place, case.get(dimension.key, dimension.rows[0][0]), gender] += 1
        for code in MARKERS:
            row = case.get("crime_type", CrimeType.ASSAULT) if code in case.get("markers", ()) else figures.WITHOUT
            parts.counts[f"marker_{code}"][month, place, row, gender] += 1
        if case.get("attempts", 1):
            parts.counts["support"][month, place, "attempts", gender] += case.get("attempts", 1)
        if case.get("decided", True):
            priority = case.get("priority", Priority.NORMAL)
            parts.counts["kpi"][month, place, priority, "decided"] += 1
            parts.counts["kpi"][month, place, priority, "kept"] += case.get("kept", 1)
    return parts


def grids_of(shown: display.ShownReport) -> dict:
    tables = {
        t.key: ([cells for _label, cells in t.rows], t.total) for t in [shown.seekers, *shown.tables, shown.support]
    }
    kpi = [[line.label, line.decided, line.kept, line.percent] for line in shown.first_contact]
    return report_grids(tables, kpi)


def every_selection(parts: figures.Parts) -> list[Selection]:
    year = parts.year
    periods = [YEAR, *QUARTERS, *[(month,) for month in range(1, 13)]]
    return [Selection(year, months) for months in periods] + [
        Selection(year, YEAR, code) for code in parts.municipalities()
    ]


def attack(parts: figures.Parts, minimum: int, min_seekers: int, shown_by=None) -> dict:
    """What a reader of every protected report of the year learns that it must not.

    ``shown_by``: how a selection reaches the reader ({Selection: grids} or
    withheld message); by default straight from stats.selection."""
    tree = selection.Tree(parts, minimum, min_seekers)
    with override("en"):
        truth = {
            chosen: grids_of(display.show(parts.report(chosen.months, chosen.municipality), protected=False))
            for chosen in every_selection(parts)
        }
        if shown_by is None:
            shown_by = {}
            for chosen in every_selection(parts):
                found = tree.protected(chosen)
                shown_by[chosen] = found.withheld or grids_of(display.show_protected(found))
    root = Selection(parts.year)
    reader = Reader(truth[root], minimum, min_seekers)
    # "Too few" as the page says it, in whichever language the messages were read: those made
    # above are English, a caller's may be in the site's language. (Reading a Swedish "too few"
    # as "withheld for the others' sake", at least the minimum, contradicts the counts, and the
    # bounds reader would chase the contradiction for ever.)
    with override("en"):
        too_few_texts = {str(TOO_FEW), str(YEAR_TOO_FEW)}
    too_few_texts |= {str(TOO_FEW), str(YEAR_TOO_FEW)}
    for chosen in every_selection(parts):
        shown = shown_by[chosen]
        if isinstance(shown, str):
            reader.add(chosen, None, withheld=shown, too_few=shown in too_few_texts)
        else:
            reader.add(chosen, shown)
    rest = "cases of no known municipality"
    reader.add(rest, None)
    quarters = [Selection(parts.year, months) for months in QUARTERS]
    months = [Selection(parts.year, (month,)) for month in range(1, 13)]
    reader.adds_up(root, quarters)
    reader.adds_up(root, months)
    for quarter in quarters:
        reader.adds_up(quarter, [month for month in months if month.months[0] in quarter.months])
    reader.adds_up(root, [chosen for chosen in every_selection(parts) if chosen.municipality] + [rest])

    fixed, pinned = reader.solve()
    seekers_total = ("seekers", 0, len(truth[root]["seekers"][0]) - 1)

    def true_value(node, cell):
        if node == rest:
            grid = truth[root]
            value = _cell(grid, cell) - sum(_cell(truth[c], cell) for c in truth if c.municipality)
        else:
            value = _cell(truth[node], cell)
        return value

    leaks = {}
    for how, found in (("solved", fixed), ("narrowed", pinned)):
        for (node, cell), value in found.items():
            assert value == true_value(node, cell), (node, cell)  # the reader reads right
            shown = shown_by.get(node, "") if node != rest else ""
            if isinstance(shown, dict) and cell[2] != "missed":
                if not _cell(shown, cell, text=True).isdigit():
                    leaks[how, node, cell] = value  # a hidden cell of a shown report
            elif cell == seekers_total:
                if 0 < value < min_seekers:
                    leaks[how, node, cell] = value  # how many seekers a withheld selection has
            elif 0 < value < minimum:
                leaks[how, node, cell] = value  # a small number of a withheld selection, or of the rest
    return leaks


def _cell(grid: dict, cell, text=False):
    key, row, column = cell
    if column == "missed":
        return int(grid[key][row][0]) - int(grid[key][row][1])
    value = grid[key][row][column]
    return value if text else int(value)


# --- many made-up years ---------------------------------------------------------------------

PLACES = [LUND, LUND, LUND, ESLOV, ESLOV, LOMMA, ""]
GENDER = [Gender.WOMAN, Gender.WOMAN, Gender.WOMAN, Gender.MAN, Gender.MAN, Gender.OTHER, Gender.UNKNOWN]


@st.composite
def cases(draw, most: int = 60):
    busy = draw(st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=4))
    count = draw(st.integers(min_value=0, max_value=most))
    result = []
    for _ in range(count):
        result.append(
            {
                "month": draw(st.sampled_from(busy) | st.integers(min_value=1, max_value=12)),
                "place": draw(st.sampled_from(PLACES)),
                "gender": draw(st.sampled_from(GENDER)),
                "crime_type": draw(st.sampled_from(CrimeType.values[:5])),
                "markers": draw(st.sets(st.sampled_from(MARKERS), max_size=2)),
                "age_group": draw(st.sampled_from(AgeGroup.values)),
                "priority": draw(st.sampled_from([Priority.NORMAL, Priority.NORMAL, Priority.URGENT])),
                "kept": draw(st.sampled_from([1, 1, 1, 0])),
                "attempts": draw(st.integers(min_value=0, max_value=3)),
            }
        )
    return result


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(year=cases(), min_seekers=st.sampled_from([10, 10, 5, 3]))
@example(
    # One month of one case among busy ones, one municipality of one case.
    year=[{"month": 3, "place": LUND, "gender": "woman"}] * 12
    + [{"month": 4, "place": LUND, "gender": "man"}] * 12
    + [{"month": 5, "place": ESLOV, "gender": "other", "crime_type": CrimeType.SEXUAL}],
    min_seekers=10,
)
def test_no_reader_of_every_protected_report_of_a_year_learns_a_small_number(year, min_seekers):
    parts = made_up_year(year)
    assert attack(parts, MINIMUM, min_seekers) == {}


# --- the attacks of the review, on made-up years ---------------------------------------------


def test_one_municipality_with_one_case_is_withheld_and_so_is_its_complement():
    year = [{"month": m, "place": LUND, "gender": "woman"} for m in range(1, 13) for _ in range(2)]
    year.append({"month": 5, "place": "1285", "gender": "man", "crime_type": CrimeType.SEXUAL})
    parts = made_up_year(year)
    tree = selection.Tree(parts, MINIMUM, 10)
    # Eslöv (one case) is too small; Lund alone would give it away as "all minus Lund".
    assert tree.protected(Selection(2026, YEAR, ESLOV)).withheld == str(TOO_FEW)
    assert tree.protected(Selection(2026, YEAR, LUND)).withheld == str(WITH_OTHERS)
    assert not tree.protected(Selection(2026)).withheld
    assert attack(parts, MINIMUM, 10) == {}


def test_a_month_cannot_be_taken_out_of_its_quarter():
    # January and February busy, March two cases: March is withheld, and so is February
    # (the smaller of the two left), so that "Q1 minus January" is 14 seekers, not 2.
    year = [{"month": 1, "place": LUND, "gender": "woman"}] * 14
    year += [{"month": 2, "place": LUND, "gender": "woman"}] * 12
    year += [{"month": 3, "place": LUND, "gender": "man", "crime_type": CrimeType.SEXUAL}] * 2
    parts = made_up_year(year)
    tree = selection.Tree(parts, MINIMUM, 10)
    assert not tree.protected(Selection(2026, (1,))).withheld
    assert tree.protected(Selection(2026, (2,))).withheld == str(WITH_OTHERS)
    assert tree.protected(Selection(2026, (3,))).withheld == str(TOO_FEW)
    assert not tree.protected(Selection(2026, QUARTERS[0])).withheld
    assert attack(parts, MINIMUM, 10) == {}


def test_the_reader_does_find_what_an_unprotected_year_gives_away():
    """The attack can fail: shown exactly (as before issue 16), the same year gives
    away March's two seekers by subtraction, and their crime."""
    year = [{"month": 1, "place": LUND, "gender": "woman"}] * 14
    year += [{"month": 2, "place": LUND, "gender": "woman"}] * 12
    year += [{"month": 3, "place": LUND, "gender": "man", "crime_type": CrimeType.SEXUAL}] * 2
    parts = made_up_year(year)
    with override("en"):
        exact = {
            chosen: grids_of(display.show(parts.report(chosen.months, chosen.municipality), protected=False))
            for chosen in every_selection(parts)
        }
    # Every selection exact but March withheld: "Q1 minus January minus February" is March.
    exact[Selection(2026, (3,))] = str(TOO_FEW)
    leaks = attack(parts, MINIMUM, 10, shown_by=exact)
    march = Selection(2026, (3,))
    assert leaks[("solved", march, ("seekers", 0, 4))] == 2
    sexual = [value for value, _label in CrimeType.choices].index(CrimeType.SEXUAL)
    assert leaks[("solved", march, ("crime_type", sexual, 1))] == 2  # two men, a sexual offence


def test_tables_protected_one_by_one_give_a_month_away_and_ours_do_not():
    """Why the parts of a whole hide alike (stats/selection.py, rule C): each table
    protected on its own, the quarter shows 5 sexual offences against women and
    January 4, March 0, all large enough or zero; February's "<3" is 5 - 4 - 0 = 1."""
    sexual = {"crime_type": CrimeType.SEXUAL}
    year = [{"month": 1, "place": LUND, "gender": "woman", **sexual}] * 4
    year += [{"month": 1, "place": LUND, "gender": "woman"}] * 8
    year += [{"month": 2, "place": LUND, "gender": "woman", **sexual}]
    year += [{"month": 2, "place": LUND, "gender": "woman"}] * 11
    year += [{"month": 3, "place": LUND, "gender": "woman"}] * 12
    parts = made_up_year(year)
    one_by_one = {}
    with override("en"):
        for chosen in every_selection(parts):
            report = parts.report(chosen.months, chosen.municipality)
            if sum(report.seekers.counts.values()) < 10:
                one_by_one[chosen] = str(TOO_FEW)
            else:
                one_by_one[chosen] = grids_of(display.show(report, protected=True))
    row = [value for value, _label in CrimeType.choices].index(CrimeType.SEXUAL)
    february = Selection(2026, (2,))
    assert one_by_one[february]["crime_type"][row][0] == "<3"
    assert attack(parts, MINIMUM, 10, shown_by=one_by_one)[("solved", february, ("crime_type", row, 0))] == 1

    assert attack(parts, MINIMUM, 10) == {}
    assert not selection.Tree(parts, MINIMUM, 10).protected(february).withheld  # shown, but hiding alike


def test_two_small_months_at_their_most_are_not_pinned_down():
    """Two months withheld as too few (at most 9 each) that hold 18 together would be 9 and 9:
    a third is withheld with them."""
    year = [{"month": 1, "place": LUND, "gender": "woman"}] * 20
    year += [{"month": 2, "place": LUND, "gender": "woman"}] * 9
    year += [{"month": 3, "place": LUND, "gender": "man"}] * 9
    parts = made_up_year(year)
    tree = selection.Tree(parts, MINIMUM, 10)
    assert tree.protected(Selection(2026, (1,))).withheld == str(WITH_OTHERS)
    assert attack(parts, MINIMUM, 10) == {}


# --- the attacks of the review, on the database: the board's page and the CSV download --------


def register(people, cases: list[dict]) -> None:
    """Cases of 2026 through the services, on the 10th of their month (``day`` to differ)."""
    for n, case in enumerate(cases):
        received = at(2026, case["month"], case.get("day", 10), 9, n % 50)
        make_case(
            people.coordinator,
            now=received + timedelta(minutes=5),
            received_at=received,
            municipality=case["place"],
            gender=case["gender"],
            crime_type=case.get("crime_type", CrimeType.ASSAULT),
        )


def query(chosen: Selection) -> str:
    kind = chosen.kind
    text = f"kind={kind}&year={chosen.year}"
    if kind == "quarter":
        text += f"&quarter={QUARTERS.index(chosen.months) + 1}"
    elif kind == "month":
        text += f"&month={chosen.months[0]}"
    return text + (f"&municipality={chosen.municipality}" if chosen.municipality else "")


def from_page(board, chosen: Selection):
    response = board.get(f"/statistics/?{query(chosen)}")
    assert response.status_code == 200
    html = response.content.decode()
    if pages.withheld(html):
        assert pages.tables(html) == {} and pages.kpi(html) is None
        return pages.withheld(html)
    tables = {key: ([cells for _label, cells in t.rows], t.total) for key, t in pages.tables(html).items()}
    for key, (rows, total) in tables.items():
        # The single-table attacks of tests/stats/attacks.py, too.
        grid = [*rows, total] if total else rows + rows
        assert recovered_from_one_line(grid) == {}, (chosen, key)
        assert determined_by_the_whole_table(grid) == {}, (chosen, key)
        assert determined_by_bounds(grid, MINIMUM) == {}, (chosen, key)
    return report_grids(tables, pages.kpi(html))


def from_csv(board, chosen: Selection):
    response = board.get(f"/statistics/export.csv?{query(chosen)}")
    if response.status_code == 409:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        return response.content.decode()
    assert response.status_code == 200
    sections = pages.csv_sections(response.content)
    keys = ["seekers", *[dimension.key for dimension in figures.dimensions()], "support"]
    tables = {}
    for key, section in zip(keys, sections[1 : len(keys) + 1], strict=True):
        rows = [row[1:] for row in section[1:]]
        has_total = section[-1][0] == "Total"
        tables[key] = (rows[:-1], rows[-1]) if has_total else (rows, None)
    return report_grids(tables, sections[len(keys) + 1][1:])


@pytest.fixture
def board(people):
    return client_for(people.board, "en")


def read_everything(people, board, how) -> dict:
    parts = figures.parts(2026)
    with override("en"):
        shown = {chosen: how(board, chosen) for chosen in every_selection(parts)}
    return attack(parts, MINIMUM, 10, shown_by=shown), shown


@pytest.mark.parametrize("how", [from_page, from_csv])
def test_one_case_on_one_day_cannot_be_asked_for_and_its_month_is_withheld(people, board, how):
    register(people, [{"month": m, "place": LUND, "gender": "woman"} for m in range(1, 13) for _ in range(2)])
    register(people, [{"month": 6, "day": 17, "place": LUND, "gender": "man", "crime_type": "sexual"}])
    # The review's query: one day.
    day = "kind=custom&start=2026-06-17&end=2026-06-17"
    assert board.get(f"/statistics/?{day}").status_code == 400
    assert board.get(f"/statistics/export.csv?{day}").status_code == 400
    # The smallest selection left: June, three seekers.
    leaks, shown = read_everything(people, board, how)
    assert shown[Selection(2026, (6,))] == str(TOO_FEW)
    assert not isinstance(shown[Selection(2026)], str)  # the year is shown
    assert leaks == {}


@pytest.mark.parametrize("how", [from_page, from_csv])
def test_one_municipality_with_one_case_and_its_complement(people, board, how):
    register(people, [{"month": m, "place": LUND, "gender": "woman"} for m in range(1, 13) for _ in range(2)])
    register(people, [{"month": 5, "place": ESLOV, "gender": "man", "crime_type": "sexual"}])
    leaks, shown = read_everything(people, board, how)
    assert shown[Selection(2026, YEAR, ESLOV)] == str(TOO_FEW)
    # "All municipalities minus Lund" would be Eslöv's one case.
    assert shown[Selection(2026, YEAR, LUND)] == str(WITH_OTHERS)
    assert leaks == {}


@pytest.mark.parametrize("how", [from_page, from_csv])
def test_one_month_out_of_its_quarter_and_its_year(people, board, how):
    register(people, [{"month": 1, "place": LUND, "gender": "woman"}] * 14)
    register(people, [{"month": 2, "place": LUND, "gender": "woman"}] * 12)
    register(people, [{"month": 3, "place": LUND, "gender": "man", "crime_type": "sexual"}] * 2)
    register(people, [{"month": m, "place": LUND, "gender": "woman"} for m in range(4, 13) for _ in range(11)])
    leaks, shown = read_everything(people, board, how)
    assert shown[Selection(2026, (3,))] == str(TOO_FEW)
    assert shown[Selection(2026, (2,))] == str(WITH_OTHERS)  # or "Q1 minus January minus February" is March
    assert not isinstance(shown[Selection(2026, (1,))], str)
    assert not isinstance(shown[Selection(2026, (12,))], str)  # "the year minus eleven months" is not March either
    assert leaks == {}


def test_the_page_and_the_csv_show_the_same(people, board):
    register(people, [{"month": m, "place": LUND, "gender": "woman"} for m in range(1, 13) for _ in range(3)])
    register(people, [{"month": m, "place": ESLOV, "gender": "man"} for m in range(1, 13)])
    with override("en"):
        for chosen in every_selection(figures.parts(2026)):
            assert from_page(board, chosen) == from_csv(board, chosen), chosen
