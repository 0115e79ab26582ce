"""Figures as they are shown: protected for the board and in every export,
exact for coordinators on the page."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from . import charts
from .figures import GENDERS, KpiLine, Report, Table
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


def show_table(table: Table, protected: bool) -> ShownTable:
    cells = grid(table.matrix())
    if protected:
        protect(cells, minimum())
    shown = [[cell.shown(minimum()) if protected else str(cell.value) for cell in row] for row in cells]
    labels = [label for _value, label in table.rows]
    single = len(table.rows) == 1
    if single:  # one row: a bar per gender
        items = zip([str(label) for _value, label in GENDERS], cells[0][:-1], shown[0][:-1], strict=True)
    else:  # a bar per row, its total over the genders
        items = zip(labels, [row[-1] for row in cells[:-1]], [row[-1] for row in shown[:-1]], strict=True)
    chart = charts.bars([(label, None if cell.hidden else cell.value, text) for label, cell, text in items])
    return ShownTable(
        key=table.key,
        title=table.title,
        columns=[str(label) for _value, label in GENDERS] + [_("Total")],
        rows=list(zip(labels, shown[:-1], strict=True)),
        total=None if single else shown[-1],
        chart=chart,
        note=table.note,
    )


@dataclass
class ShownKpi:
    label: str
    decided: str
    kept: str
    percent: str


def show_kpi(lines: list[KpiLine], protected: bool) -> list[ShownKpi]:
    """Kept and missed per priority are protected like any table, so that
    neither can be worked out from the number decided."""
    by_priority = [line for line in lines if line.priority != "all"]
    cells = grid([[line.kept, line.decided - line.kept] for line in by_priority])
    if protected:
        protect(cells, minimum())
    result = []
    for line, row in zip([*by_priority, lines[-1]], cells, strict=True):
        kept, decided = row[0], row[2]
        visible = not (protected and (kept.hidden or decided.hidden))
        result.append(
            ShownKpi(
                label=line.label,
                decided=decided.shown(minimum()) if protected else str(decided.value),
                kept=kept.shown(minimum()) if protected else str(kept.value),
                percent=f"{line.percent} %" if visible and line.percent is not None else "–",
            )
        )
    return result


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
    return ShownReport(
        report=report,
        protected=protected,
        seekers=show_table(report.seekers, protected),
        tables=[show_table(table, protected) for table in report.tables],
        support=show_table(report.support, protected),
        first_contact=show_kpi(report.first_contact, protected),
    )
