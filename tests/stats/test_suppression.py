"""Small-number protection (stats.suppression) and the first-contact figures'
protection (stats.display.show_kpi), judged from what a reader is shown."""

from hypothesis import example, given
from hypothesis import strategies as st

from stats import display
from stats.figures import KpiLine
from stats.suppression import SECONDARY, grid, protect

from .attacks import determined_by_bounds, determined_by_the_whole_table, is_hidden, lines, recovered_from_one_line

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


def test_small_numbers_are_shown_as_below_the_minimum_and_zeros_stay():
    assert protected([[0, 5], [7, 9]]) == [["0", "5", "5"], ["7", "9", "16"], ["7", "14", "21"]]


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


def test_a_small_total_is_hidden_too():
    table = protected([[1, 0], [0, 0]])
    assert table == [["<3", "0", "<3"], ["0", "0", "0"], ["<3", "0", "<3"]]


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
            # Zeros stay visible; every hidden cell hides somebody.
            if cell.value == 0:
                assert not cell.hidden and table[r][c] == "0"
            if cell.primary:
                assert table[r][c] == f"<{minimum}"
            elif cell.secondary:
                assert table[r][c] == SECONDARY
                assert cell.value > 0
    for line in lines(table):
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
    # hidden cell's range with what the legend says ("<3" is 1 or 2, "·" is not small).
    assert determined_by_the_whole_table(table) == {}
    assert determined_by_bounds(table, minimum, dot_at_least=1) == {}


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
    assert determined_by_bounds(table, MINIMUM, dot_at_least=1) == {}


def test_no_hidden_cell_can_be_pinned_down_with_what_the_legend_says():
    # 26 - 16 - 8 = 2 = 1 + 1 would give both "<3" away: the 8 is hidden too.
    table = protected([[16, 8, 1, 1]])
    assert table[0] == ["16", "·", "<3", "<3", "26"]
    assert recovered_from_one_line(table) == {}  # no line has a single unknown ...
    assert determined_by_bounds(table, MINIMUM, dot_at_least=1) == {}


def test_the_bounds_reader_is_not_fooled():
    """The reader of the test above pins down only what the shown text forces."""
    assert determined_by_bounds([["<3", "<3", "3"], ["<3", "<3", "3"]], MINIMUM) == {}
    assert determined_by_bounds([["<3", "<3", "4"], ["<3", "<3", "4"]], MINIMUM) == {
        (0, 0): 2,
        (0, 1): 2,
        (1, 0): 2,
        (1, 1): 2,
    }
    # "·" is only known not to be zero: beside a "<3" in a total of 4 it is 2 or 3.
    dotted = [["<3", "·", "4"], ["<3", "·", "4"]]
    assert determined_by_bounds(dotted, MINIMUM) == {}
    # Whoever assumed that a "·" was never small (at least 3) would pin both down; a small
    # total can be a "·" (stats.suppression), so the reader of the tests assumes only 1.
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


def test_kpi_exact_for_the_coordinator():
    result = display.show_kpi(kpi_lines((10, 2), (5, 4)), protected=False)
    assert as_rows(result) == [
        ("Normal", "10", "2", "20 %"),
        ("Urgent", "5", "4", "80 %"),
        ("All", "15", "6", "40 %"),
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
        ("Normal", "20", "15", "75 %"),
        ("Urgent", "9", "6", "67 %"),
        ("All", "29", "21", "72 %"),
    ]


def test_kpi_nothing_decided_has_no_share():
    result = display.show_kpi(kpi_lines((0, 0), (0, 0)), protected=True)
    assert as_rows(result) == [("Normal", "0", "0", "–"), ("Urgent", "0", "0", "–"), ("All", "0", "0", "–")]


def test_kpi_all_kept_is_shown():
    # Missed 0 is not a small number: nobody is hidden, the share is 100 %.
    result = display.show_kpi(kpi_lines((6, 6), (0, 0)), protected=True)
    assert as_rows(result)[0] == ("Normal", "6", "6", "100 %")


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
            assert shown_line.percent == ("–" if line.percent is None else f"{line.percent} %")
        else:
            assert shown_line.percent == "–"
