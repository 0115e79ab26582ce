"""Small-number protection (stats.suppression) and the first-contact figures'
protection (stats.display.show_kpi), judged from what a reader is shown; and
tables protected together as the parts of a whole."""

import pytest
from django.utils.translation import override
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jour import formatting
from stats import display
from stats.figures import FIXED_DIMENSIONS, KpiLine
from stats.selection import layout
from stats.suppression import SECONDARY, exposed_by_algebra, grid, grid_layout, protect, protect_together

from .attacks import (
    determined,
    determined_by_bounds,
    determined_by_the_whole_table,
    is_hidden,
    lines,
    recovered_from_one_line,
)

LAYOUT = layout(tuple(FIXED_DIMENSIONS))
MINIMUM = 3


def shown(cells, minimum=MINIMUM) -> list[list[str]]:
    return [[cell.shown(minimum) for cell in row] for row in cells]


def protected(rows, minimum=MINIMUM) -> list[list[str]]:
    return shown(protect(grid(rows), minimum), minimum)


# --- grid() ----------------------------------------------------------------------------


def test_grid_adds_a_total_column_and_a_total_row():
    cells = grid([[1, 2, 0], [4, 5, 6]])
    assert [[cell.value for cell in row] for row in cells] == [[1, 2, 0, 3], [4, 5, 6, 15], [5, 7, 6, 18]]
    assert not any(cell.hidden for row in cells for cell in row)


def test_grid_of_no_rows_is_a_zero_total():
    assert [[cell.value for cell in row] for row in grid([])] == [[0]]


# --- protect(): examples ---------------------------------------------------------------


def test_small_numbers_are_shown_as_below_the_minimum_and_zeros_beside_large_totals_stay():
    assert protected([[0, 5], [7, 9]]) == [["0", "5", "5"], ["7", "9", "16"], ["7", "14", "21"]]


def test_zeros_beside_a_small_total_are_hidden():
    # "Sexual offence <3" with 0 for men would say the one is a woman: the 0 is hidden.
    # The zeros of the columns nobody is in stay: they speak of nobody.
    table = protected([[1, 0, 0, 0], [5, 6, 0, 0]])
    assert table == [
        ["<3", "·", "0", "0", "<3"],
        ["·", "·", "0", "0", "·"],
        ["6", "6", "0", "0", "12"],
    ]
    assert determined_by_bounds(table, MINIMUM) == {}


def test_a_row_of_nobody_stays_a_row_of_zeros():
    table = protected([[0, 0, 0], [1, 4, 7], [6, 5, 0]])
    assert table[0] == ["0", "0", "0", "0"]


def test_a_single_small_cell_takes_a_second_one_in_its_row_and_column():
    # 1 at the top left: its row and column each get the smallest other non-zero cell hidden,
    # and so on until no line has a single hidden cell.
    table = protected([[1, 5, 9], [4, 6, 8]])
    assert table[0][0] == "<3"
    assert table == [
        ["<3", "·", "9", "15"],
        ["·", "·", "8", "18"],
        ["5", "11", "17", "33"],
    ]
    assert recovered_from_one_line(table) == {}


def test_the_smallest_other_cell_of_the_line_is_hidden():
    # Row 0: the 1 is hidden; of the 4 and the row total 5, the 4 goes. Column 0 then
    # has the 1 alone: of 10 and 11 the 10 goes, and row 1 needs its other 10.
    assert protected([[1, 4], [10, 10]]) == [["<3", "·", "5"], ["·", "·", "20"], ["11", "14", "25"]]


def test_two_small_cells_in_a_line_need_no_more():
    assert protected([[1, 2, 7]])[0][:2] == ["<3", "<3"]
    assert protected([[1, 2]]) == [["<3", "<3", "3"], ["<3", "<3", "3"]]


def test_a_small_total_is_hidden_too_and_so_are_the_zeros_around_it():
    table = protected([[1, 0], [0, 0]])
    assert table == [["<3", "·", "<3"], ["·", "0", "·"], ["<3", "·", "<3"]]


def test_the_minimum_is_a_parameter():
    assert protected([[4, 5, 6]], minimum=5)[0][:3] == ["<5", "·", "6"]
    assert protected([[4, 5, 6]], minimum=3)[0] == ["4", "5", "6", "15"]


def test_the_minimum_comes_from_the_settings(settings):
    from stats.figures import Table

    settings.JOUR_STATS_MINIMUM = 5
    table = Table("t", "T", [("a", "A"), ("b", "B")], {("a", "woman"): 4, ("a", "man"): 9, ("b", "woman"): 7})
    result = display.show_table(table, protected=True)
    assert result.rows[0][1][0] == "<5"
    assert display.show_table(table, protected=False).rows[0][1][0] == "4"


def test_one_woman_among_eight_men_cannot_be_worked_out_from_the_total():
    # Without a second hidden cell in row 0 its total 9 would give the 1 away.
    table = protected([[1, 8, 0, 0], [6, 7, 0, 0], [5, 5, 0, 0]])
    assert table == [
        ["<3", "·", "0", "0", "9"],
        ["6", "7", "0", "0", "13"],
        ["·", "·", "0", "0", "10"],
        ["12", "20", "0", "0", "32"],
    ]
    assert recovered_from_one_line(table) == {}


# --- protect(): properties -------------------------------------------------------------

small_numbers = st.integers(min_value=0, max_value=12) | st.sampled_from([0, 0, 1, 2])


@st.composite
def matrices(draw):
    height = draw(st.integers(min_value=1, max_value=7))
    width = draw(st.integers(min_value=1, max_value=5))
    return [[draw(small_numbers) for _ in range(width)] for _ in range(height)]


@given(rows=matrices(), minimum=st.sampled_from([MINIMUM, MINIMUM, 2, 4, 5]))
@example(rows=[[1, 8, 0, 0], [6, 7, 0, 0], [5, 5, 0, 0]], minimum=3)
@example(rows=[[1]], minimum=3)
@example(rows=[[0, 0], [0, 0]], minimum=3)
@example(rows=[[2, 0, 2], [0, 0, 6], [5, 6, 6]], minimum=3)
@example(rows=[[1, 0, 0, 0], [5, 6, 0, 0]], minimum=3)
@example(rows=[[0, 0, 0, 1], [5, 6, 2, 0]], minimum=3)
def test_protection_properties(rows, minimum):
    cells = protect(grid(rows), minimum)
    exact = [[cell.value for cell in row] for row in cells]
    table = shown(cells, minimum)

    # protect() only marks cells: the values and the totals are untouched.
    assert [[cell.value for cell in row] for row in grid(rows)] == exact
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            # No shown cell counts fewer than `minimum` people (but some).
            if not cell.hidden:
                assert not 0 < cell.value < minimum
                assert table[r][c] == str(cell.value)
            if cell.primary:
                assert table[r][c] == f"<{minimum}" and 0 < cell.value < minimum
            elif cell.secondary:
                assert table[r][c] == SECONDARY
    for line in lines(table):
        total = cells[line[-1][0]][line[-1][1]]
        if 0 < total.value < minimum:
            # Zeros beside a small total are hidden, unless a shown 0 total of their other line says them.
            for r, c in line[:-1]:
                if cells[r][c].value == 0 and not cells[r][c].hidden:
                    assert any(table[r2][c2] == "0" for r2, c2 in [(r, len(cells[0]) - 1), (len(cells) - 1, c)])
        if table[line[-1][0]][line[-1][1]] == "0":
            # A line whose shown total is 0 is all zeros, all shown.
            assert all(table[r][c] == "0" for r, c in line)
        hidden = [pos for pos in line if is_hidden(table[pos[0]][pos[1]])]
        # Every row and column (totals included) has no hidden cell or at least two.
        assert len(hidden) != 1, line
        inner_hidden = [pos for pos in hidden if pos != line[-1]]
        if not is_hidden(table[line[-1][0]][line[-1][1]]):
            # A visible total with hidden inner cells: at least two of them.
            assert len(inner_hidden) in (0,) or len(inner_hidden) >= 2
        else:
            # A hidden total cannot be summed up from its line either.
            assert inner_hidden
    # And so a reader subtracting within rows and columns (repeatedly) learns nothing.
    assert recovered_from_one_line(table) == {}
    # Nor does a reader who solves all rows and columns together, or who narrows each
    # hidden cell's range with what the legend says ("<3" is 1 or 2, "·" 0 or more).
    assert determined_by_the_whole_table(table) == {}
    assert determined_by_bounds(table, minimum) == {}


@given(rows=matrices())
def test_unprotected_cells_show_the_exact_values(rows):
    cells = grid(rows)
    assert shown(cells) == [[str(cell.value) for cell in row] for row in cells]


def test_no_hidden_cell_can_be_worked_out_from_rows_and_columns_together():
    # With only the line rule, the top-left "<3" here was exactly 2: row 1 made two hidden
    # cells equal, and columns 2 and 3 with row 0 did the rest.
    table = protected([[2, 0, 2], [0, 0, 6], [5, 6, 6]])
    assert table[0][0] == "<3"
    assert recovered_from_one_line(table) == {}
    assert determined_by_the_whole_table(table) == {}
    assert determined_by_bounds(table, MINIMUM) == {}


def test_no_hidden_cell_can_be_pinned_down_with_what_the_legend_says():
    # 26 - 16 - 8 = 2 = 1 + 1 would give both "<3" away: the 8 is hidden too.
    table = protected([[16, 8, 1, 1]])
    assert table[0] == ["16", "·", "<3", "<3", "26"]
    assert recovered_from_one_line(table) == {}  # no line has a single unknown ...
    assert determined_by_bounds(table, MINIMUM) == {}


def test_the_bounds_reader_is_not_fooled():
    """The reader of the test above pins down only what the shown text forces."""
    assert determined_by_bounds([["<3", "<3", "3"], ["<3", "<3", "3"]], MINIMUM) == {}
    assert determined_by_bounds([["<3", "<3", "4"], ["<3", "<3", "4"]], MINIMUM) == {
        (0, 0): 2,
        (0, 1): 2,
        (1, 0): 2,
        (1, 1): 2,
    }
    # "·" is 0 or more: beside a "<3" in a total of 4 it is 2 or 3.
    dotted = [["<3", "·", "4"], ["<3", "·", "4"]]
    assert determined_by_bounds(dotted, MINIMUM) == {}
    assert determined_by_bounds(dotted, MINIMUM, dot_at_least=1) == {}
    # Whoever assumed that a "·" was never small (at least 3) would pin both down; a small
    # total or a zero can be a "·" (stats.suppression), so the reader of the tests assumes 0.
    assert determined_by_bounds(dotted, MINIMUM, dot_at_least=MINIMUM) == {
        (0, 0): 1,
        (0, 1): 3,
        (1, 0): 1,
        (1, 1): 3,
    }


def test_the_whole_table_attack_finds_what_single_lines_find():
    """The solver of the test above, checked on a table it must crack."""
    table = [["1", "?", "3"], ["4", "5", "9"], ["5", "?", "12"]]
    assert determined_by_the_whole_table(table) == {(0, 1): 2, (2, 1): 7}
    assert recovered_from_one_line(table) == {(0, 1): 2, (2, 1): 7}


# --- the first-contact figures ---------------------------------------------------------


def kpi_lines(normal: tuple[int, int], urgent: tuple[int, int]) -> list[KpiLine]:
    lines_ = [KpiLine("normal", "Normal", *normal), KpiLine("urgent", "Urgent", *urgent)]
    lines_.append(KpiLine("all", "All", normal[0] + urgent[0], normal[1] + urgent[1]))
    return lines_


def as_rows(result) -> list[tuple[str, str, str, str]]:
    return [(line.label, line.decided, line.kept, line.percent) for line in result]


@pytest.fixture(autouse=True)
def in_swedish():
    """The percentages below are written the Swedish way, whatever language a test before
    these left active (the test client keeps the last request's)."""
    with override("sv"):
        yield


def test_kpi_exact_for_the_coordinator():
    result = display.show_kpi(kpi_lines((10, 2), (5, 4)), protected=False)
    assert as_rows(result) == [
        ("Normal", "10", "2", "20,0\xa0%"),
        ("Urgent", "5", "4", "80,0\xa0%"),
        ("All", "15", "6", "40,0\xa0%"),
    ]


def test_kpi_few_kept_or_few_missed_are_hidden_with_their_share():
    # Normal: 2 kept (few), 8 missed. Urgent: 4 kept, 1 missed (few).
    result = display.show_kpi(kpi_lines((10, 2), (5, 4)), protected=True)
    assert as_rows(result) == [
        ("Normal", "10", "<3", "–"),
        ("Urgent", "5", "·", "–"),
        # 6 kept in all would pin the rest down: the urgent missed (a "<3") could only be 1.
        ("All", "15", "·", "–"),
    ]


def test_kpi_large_numbers_are_shown_with_their_share():
    result = display.show_kpi(kpi_lines((20, 15), (9, 6)), protected=True)
    assert as_rows(result) == [
        ("Normal", "20", "15", "75,0\xa0%"),
        ("Urgent", "9", "6", "66,7\xa0%"),
        ("All", "29", "21", "72,4\xa0%"),
    ]


def test_kpi_nothing_decided_has_no_share():
    result = display.show_kpi(kpi_lines((0, 0), (0, 0)), protected=True)
    assert as_rows(result) == [("Normal", "0", "0", "–"), ("Urgent", "0", "0", "–"), ("All", "0", "0", "–")]


def test_kpi_all_kept_is_shown():
    # Missed 0 is not a small number: nobody is hidden, the share is 100 %.
    result = display.show_kpi(kpi_lines((6, 6), (0, 0)), protected=True)
    assert as_rows(result)[0] == ("Normal", "6", "6", "100,0\xa0%")


counts = st.integers(min_value=0, max_value=15)


@given(normal_kept=counts, normal_missed=counts, urgent_kept=counts, urgent_missed=counts)
@example(normal_kept=2, normal_missed=8, urgent_kept=4, urgent_missed=1)
@example(normal_kept=5, normal_missed=1, urgent_kept=0, urgent_missed=0)
def test_kpi_protection_properties(normal_kept, normal_missed, urgent_kept, urgent_missed):
    lines_ = kpi_lines((normal_kept + normal_missed, normal_kept), (urgent_kept + urgent_missed, urgent_kept))
    result = display.show_kpi(lines_, protected=True)
    for line, shown_line in zip(lines_, result, strict=True):
        missed = line.decided - line.kept
        small_kept = 0 < line.kept < MINIMUM
        small_missed = 0 < missed < MINIMUM
        if small_kept or small_missed:
            # Kept or missed below the minimum: hidden, and no share to work it out from.
            assert shown_line.percent == "–"
            assert is_hidden(shown_line.kept) or is_hidden(shown_line.decided)
        if small_kept:
            # "<3", or "·" for a small total that would otherwise give its parts away.
            assert shown_line.kept in (f"<{MINIMUM}", "·")
        if not is_hidden(shown_line.kept) and not is_hidden(shown_line.decided):
            # What can be read off (kept, and missed by subtraction) is never a small number.
            assert not 0 < int(shown_line.kept) < MINIMUM
            assert not 0 < int(shown_line.decided) - int(shown_line.kept) < MINIMUM
            assert int(shown_line.kept) == line.kept and int(shown_line.decided) == line.decided
            assert shown_line.percent == (
                "–" if line.percent is None else formatting.percent_of(line.kept, line.decided)
            )
        else:
            assert shown_line.percent == "–"


# --- the algebra of stats.suppression, against the plain solver -------------------------


def full_solver(layout, hidden: set) -> set:
    """Every hidden cell fixed by all the layout's lines together (tests/stats/attacks.py)."""
    known = {pos: 0 for pos in layout.positions if pos not in hidden}
    unknown = [pos for pos in layout.positions if pos in hidden]
    return set(determined(layout.lines, known, unknown))


@given(rows=matrices(), data=st.data())
def test_the_graph_rule_finds_what_the_solver_finds_in_a_table(rows, data):
    layout = grid_layout(len(rows) + 1, len(rows[0]) + 1)
    hidden = set(data.draw(st.sets(st.sampled_from(layout.positions))))
    assert exposed_by_algebra(layout, hidden) == full_solver(layout, hidden)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_report_layout_is_judged_like_the_solver_judges_it(data):
    """The breakdowns of a report share their total row (the seekers by gender): the
    graph rule with the flows through the shared cells fixes exactly what solving
    the whole layout's equations together fixes."""
    positions = LAYOUT.positions
    hidden = set(data.draw(st.sets(st.sampled_from(positions), min_size=len(positions) // 3)))
    hidden |= set(data.draw(st.sets(st.sampled_from(sorted(LAYOUT.shared, key=str)))))
    assert exposed_by_algebra(LAYOUT, hidden) == full_solver(LAYOUT, hidden)


def test_a_column_of_one_case_is_not_given_away_by_the_shared_row():
    """Every case has the same crime: each breakdown's column is its seekers' total.
    Hiding both says nothing about either, as long as the seekers row hides it too."""
    seekers = {("seekers", "all", g) for g in ("man", "other")}
    cells = {(d.key, d.rows[0][0], g) for d in FIXED_DIMENSIONS for g in ("man", "other")}
    assert exposed_by_algebra(LAYOUT, seekers | cells) == set()
    assert exposed_by_algebra(LAYOUT, cells) == cells  # the seekers row shown gives them all away
    one_table = {pos for pos in cells if pos[0] == "crime_type"}
    assert exposed_by_algebra(LAYOUT, seekers | one_table) == seekers | one_table  # the other tables do


# --- tables protected together (stats.selection: the parts of a whole) ------------------


@st.composite
def families(draw):
    height = draw(st.integers(min_value=1, max_value=5))
    width = draw(st.integers(min_value=1, max_value=4))
    parts = draw(st.integers(min_value=2, max_value=4))
    return [[[draw(small_numbers) for _ in range(width)] for _ in range(height)] for _ in range(parts)]


@settings(max_examples=150, deadline=None)
@given(family=families(), minimum=st.sampled_from([MINIMUM, MINIMUM, 2, 4]))
@example(family=[[[4, 0], [0, 5]], [[1, 0], [0, 6]], [[0, 0], [0, 6]]], minimum=3)
def test_parts_protected_together_cannot_be_worked_out_from_each_other_and_their_sum(family, minimum):
    height, width = len(family[0]), len(family[0][0])
    layout = grid_layout(height + 1, width + 1)
    parts = [{(r, c): cell.value for r, row in enumerate(grid(rows)) for c, cell in enumerate(row)} for rows in family]
    whole_rows = [[sum(rows[r][c] for rows in family) for c in range(width)] for r in range(height)]
    whole_cells = protect(grid(whole_rows), minimum)
    whole = {(r, c): cell for r, row in enumerate(whole_cells) for c, cell in enumerate(row)}
    known = {pos for pos, cell in whole.items() if cell.value == 0 and not cell.hidden}
    pattern = protect_together(
        layout, parts, minimum, start={pos for pos, cell in whole.items() if cell.hidden}, known=known
    )
    assert not pattern.failed

    # Each part on its own holds up like any protected table ...
    for n, values in enumerate(parts):
        table = [[pattern.shown(n, (r, c), values[r, c], minimum) for c in range(width + 1)] for r in range(height + 1)]
        for (r, c), value in values.items():
            assert table[r][c] == str(value) or (r, c) in pattern.hidden
            assert not (table[r][c].isdigit() and 0 < value < minimum)
        assert determined_by_the_whole_table(table) == {}
        assert determined_by_bounds(table, minimum) == {}
    # ... they hide what the whole hides, and alike ...
    assert {pos for pos, cell in whole.items() if cell.hidden} <= pattern.hidden
    # ... and all of them with the whole, solved together, fix no hidden cell.
    cells = {("whole", pos): cell.value for pos, cell in whole.items()}
    cells |= {(n, pos): value for n, values in enumerate(parts) for pos, value in values.items()}
    hidden = {("whole", pos) for pos, cell in whole.items() if cell.hidden}
    hidden |= {(n, pos) for n in range(len(parts)) for pos in pattern.hidden}
    lines = [tuple((name, pos) for pos in line) for name in ["whole", *range(len(parts))] for line in layout.lines]
    lines += [tuple((n, pos) for n in range(len(parts))) + (("whole", pos),) for pos in layout.positions]
    known_cells = {cell: value for cell, value in cells.items() if cell not in hidden}
    assert determined(lines, known_cells, sorted(hidden, key=str)) == {}
