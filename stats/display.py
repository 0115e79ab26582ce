"""Figures as they are shown: exact for coordinators on the page, protected
for the board, auditors and in every export (stats/selection.py)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from jour import formatting

from . import charts
from .figures import GENDERS, KpiLine, Report, Table
from .selection import ALL, COLUMNS, KPI_COLUMNS, SEEKERS, TOTAL, Protected
from .suppression import grid, protect


def minimum() -> int:
    return settings.JOUR_STATS_MINIMUM


@dataclass
class ShownTable:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]  # label, cells (genders then total)
    total: list[str] | None
    chart: charts.Chart
    note: str = ""
    marker: str = ""  # a special circumstance's table: the marker's name


def _table(table: Table, values: list[list[int]], texts: list[list[str]]) -> ShownTable:
    """A table from its grid (rows, then the total row; the total column last) and the text of each cell."""
    labels = [label for _value, label in table.rows]
    single = len(table.rows) == 1
    if single:  # one row: a bar per gender
        items = zip([str(label) for _value, label in GENDERS], values[0][:-1], texts[0][:-1], strict=True)
    else:  # a bar per row, its total over the genders
        items = zip(labels, [row[-1] for row in values[:-1]], [row[-1] for row in texts[:-1]], strict=True)
    chart = charts.bars([(label, int(text) if text.isdigit() else None, text) for label, _value, text in items])
    return ShownTable(
        key=table.key,
        title=table.title,
        columns=[str(label) for _value, label in GENDERS] + [_("Total")],
        rows=list(zip(labels, texts[:-1], strict=True)) if not single else [(labels[0], texts[0])],
        total=None if single else texts[-1],
        chart=chart,
        note=table.note,
    )


def from_grid(table: Table, values: list[list[int]], texts: list[list[str]]) -> ShownTable:
    """A table as shown, from a grid protected elsewhere (stats.witness): its rows,
    then its total row (one row: no total row), the total column last."""
    return _table(table, values, texts)


def show_table(table: Table, protected: bool) -> ShownTable:
    """One table on its own: exact, or protected by itself (stats.suppression.protect)."""
    cells = grid(table.matrix())
    if protected:
        protect(cells, minimum())
    texts = [[cell.shown(minimum()) if protected else str(cell.value) for cell in row] for row in cells]
    return _table(table, [[cell.value for cell in row] for row in cells], texts)


@dataclass
class ShownKpi:
    label: str
    decided: str
    kept: str
    percent: str


def _kpi(lines: list[KpiLine], texts: list[list[str]]) -> list[ShownKpi]:
    """``texts``: per line (the priorities, then all) kept, missed and decided as shown.
    The share is shown only where both of its numbers are."""
    result = []
    for line, (kept, _missed, decided) in zip(lines, texts, strict=True):
        visible = kept.isdigit() and decided.isdigit()
        result.append(
            ShownKpi(
                label=line.label,
                decided=decided,
                kept=kept,
                percent=formatting.percent_of(line.kept, line.decided) if visible else formatting.MISSING,
            )
        )
    return result


def show_kpi(lines: list[KpiLine], protected: bool) -> list[ShownKpi]:
    """Kept and missed per priority are protected like any table, so that
    neither can be worked out from the number decided."""
    by_priority = [line for line in lines if line.priority != "all"]
    cells = grid([[line.kept, line.decided - line.kept] for line in by_priority])
    if protected:
        protect(cells, minimum())
    return _kpi([*by_priority, lines[-1]], [[cell.shown(minimum()) for cell in row] for row in cells])


@dataclass
class ShownReport:
    report: Report
    protected: bool
    seekers: ShownTable
    tables: list[ShownTable]
    support: ShownTable
    first_contact: list[ShownKpi]

    @property
    def minimum(self) -> int:
        return minimum()


def show(report: Report, protected: bool) -> ShownReport:
    """Exact figures (``protected=False``, the coordinator's page), or each table
    protected on its own (only for tests of a single table: readers who may
    not see exact figures get ``show_protected``)."""
    return ShownReport(
        report=report,
        protected=protected,
        seekers=show_table(report.seekers, protected),
        tables=[show_table(table, protected) for table in report.tables],
        support=show_table(report.support, protected),
        first_contact=show_kpi(report.first_contact, protected),
    )


def _grid_of(result: Protected, key: str, rows: list, columns: list, own_total: bool = False) -> tuple[list, list]:
    """Values and texts of one table of a protected report: its rows, then its total
    row (the seekers by gender, unless the table has ``own_total``)."""
    cells = result.cells
    values, texts = [], []
    for row in [*rows, TOTAL]:
        if row != TOTAL:
            positions = [(key, row, c) for c in [*columns, TOTAL]]
        elif own_total:
            positions = [(key, TOTAL, c) for c in [*columns, TOTAL]]
        else:
            positions = [(SEEKERS, ALL, c) for c in [*columns, TOTAL]]
        values.append([cells[pos] for pos in positions])
        texts.append([result.shown(pos, cells[pos], minimum()) for pos in positions])
    return values, texts


def show_protected(result: Protected) -> ShownReport:
    """A selection as the board, auditors and every download get it: every table
    hides what stats.selection decided for this selection."""
    report = result.report
    seekers = _grid_of(result, SEEKERS, [ALL], COLUMNS)
    tables = [
        _table(table, *_grid_of(result, table.key, [value for value, _label in table.rows], COLUMNS))
        for table in report.tables
    ]
    support = report.support
    rows = [value for value, _label in support.rows]
    kpi_rows = [line.priority for line in report.first_contact if line.priority != "all"]
    _values, kpi_texts = _grid_of(result, "kpi", kpi_rows, KPI_COLUMNS, own_total=True)
    return ShownReport(
        report=report,
        protected=True,
        seekers=_table(report.seekers, [seekers[0][0]], [seekers[1][0]]),
        tables=tables,
        support=_table(support, *_grid_of(result, "support", rows, COLUMNS, own_total=True)),
        first_contact=_kpi(report.first_contact, kpi_texts),
    )
