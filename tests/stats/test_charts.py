"""The bar charts beside the tables: one bar per row, drawn from the same
protected cells, so a hidden number has no bar whose width would tell it."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from stats import charts, display
from stats.figures import GENDERS, Table

from . import pages
from .test_views import page


def test_bars_are_scaled_to_the_largest_visible_value():
    chart = charts.bars([("a", 10, "10"), ("b", None, "<3"), ("c", 5, "5"), ("d", 0, "0"), ("e", 3, "3")])
    assert [bar.width for bar in chart.bars] == [charts.PLOT_WIDTH, 0, charts.PLOT_WIDTH // 2, 0, 99]
    assert [bar.shown for bar in chart.bars] == ["10", "<3", "5", "0", "3"]
    assert [bar.y for bar in chart.bars] == [n * (charts.BAR_HEIGHT + charts.GAP) for n in range(5)]
    assert chart.height == 5 * (charts.BAR_HEIGHT + charts.GAP)


def test_a_chart_of_hidden_values_only_has_no_bars():
    chart = charts.bars([("a", None, "<3"), ("b", None, "·")])
    assert [bar.width for bar in chart.bars] == [0, 0]
    assert charts.bars([]).bars == []


def test_a_bars_value_is_written_as_the_table_writes_it():
    """12 345 with its thousands separator, as in the table beside it; "<3" as it is."""
    chart = charts.bars([("a", 12345, "12345"), ("b", None, "<3")])
    with translation.override("sv"):
        html = render_to_string("stats/_chart.html", {"chart": chart})
    values = re.findall(r'<span class="chart-value">([^<]*)</span>', html)
    assert values == ["12\xa0345", "&lt;3"]
    assert f'<rect width="{charts.PLOT_WIDTH}" height="{charts.BAR_HEIGHT}"' in html


def test_a_hidden_value_does_not_change_the_scale():
    """The largest bar is the largest visible value, not a hidden one."""
    shown = charts.bars([("a", 4, "4"), ("b", None, "·")])
    assert shown.bars[0].width == charts.PLOT_WIDTH


def test_show_table_draws_a_bar_per_row_from_the_protected_totals():
    table = Table(
        "t",
        "T",
        [("a", "A"), ("b", "B"), ("c", "C")],
        {("a", "woman"): 1, ("b", "woman"): 9, ("b", "man"): 6, ("c", "man"): 12},
    )
    shown = display.show_table(table, protected=True)
    assert [(bar.label, bar.shown) for bar in shown.chart.bars] == [(label, cells[-1]) for label, cells in shown.rows]
    assert shown.rows[0][1][-1] == "<3"
    assert shown.chart.bars[0].width == 0
    exact = display.show_table(table, protected=False)
    assert [bar.shown for bar in exact.chart.bars] == ["1", "15", "12"]
    assert exact.chart.bars[0].width == round(charts.PLOT_WIDTH * 1 / 15)


def test_a_one_row_table_draws_a_bar_per_gender():
    table = Table("s", "S", [("all", "All")], {("all", "woman"): 7, ("all", "man"): 2, ("all", "other"): 5})
    shown = display.show_table(table, protected=True)
    assert shown.rows[0][1] == ["7", "<3", "·", "0", "14"]
    assert shown.total is None
    assert [bar.label for bar in shown.chart.bars] == [str(label) for _value, label in GENDERS]
    assert [bar.shown for bar in shown.chart.bars] == shown.rows[0][1][:-1]
    assert [bar.width for bar in shown.chart.bars] == [charts.PLOT_WIDTH, 0, 0, 0]


def check_chart(table: pages.PageTable) -> None:
    """The chart beside a table on the page shows what the table shows, and no more."""
    single = table.total is None
    if single:  # the seekers: a bar per gender
        expected = list(zip(table.columns[:-1], table.rows[0][1][:-1], strict=True))
    else:  # a bar per row, its total
        expected = [(label, cells[-1]) for label, cells in table.rows]
    assert len(table.bars) == len(expected), table.key
    visible = [int(value) for _label, value in expected if value.isdigit()]
    largest = max(visible, default=0)
    for bar, (label, value) in zip(table.bars, expected, strict=True):
        assert label.startswith(bar.label.rstrip("…")), (table.key, label)
        assert bar.value == value, (table.key, label)
        if not value.isdigit() or value == "0":
            # A hidden total has no <rect>: its width would tell the number.
            assert bar.width is None, (table.key, label)
        else:
            assert bar.width == round(charts.PLOT_WIDTH * int(value) / largest), (table.key, label)


@pytest.mark.parametrize("who", ["coordinator", "board"])
@pytest.mark.parametrize("query", ["kind=year&year=2026", "kind=quarter&year=2026&quarter=1"])
def test_every_chart_on_the_page_matches_its_table(world, who, query):
    tables = pages.tables(page(getattr(world.people, who), query))
    assert len(tables) == 12  # seekers, 6 fields, 4 special circumstances, support
    for table in tables.values():
        check_chart(table)


def test_the_boards_hidden_totals_have_no_bar_and_the_coordinators_have(world):
    board = pages.tables(page(world.people.board))["crime_type"]
    coordinator = pages.tables(page(world.people.coordinator))["crime_type"]

    theft = [bar for bar in board.bars if bar.label == "Theft"]
    assert [(bar.value, bar.width) for bar in theft] == [("<3", None)]
    theft = [bar for bar in coordinator.bars if bar.label == "Theft"]
    # 1 of the largest 15 (assault).
    assert [(bar.value, bar.width) for bar in theft] == [("1", round(charts.PLOT_WIDTH / 15))]
    hidden_on_board = [bar.label for bar in board.bars if not bar.value.isdigit()]
    # harassment, sexual, theft, fraud, other are small; more totals go so that none can be worked out.
    assert len(hidden_on_board) >= 5
    assert all(bar.width is None for bar in board.bars if bar.label in hidden_on_board)
    # The bars the board does see are exactly as long as the coordinator's.
    for mine, theirs in zip(board.bars, coordinator.bars, strict=True):
        if mine.value.isdigit():
            assert (mine.value, mine.width) == (theirs.value, theirs.width)
