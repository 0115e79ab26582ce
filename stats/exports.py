"""The report as CSV, XLSX and a one-page PDF for grant applications.

Every export is protected (small numbers hidden, a selection of too few
seekers withheld: stats/selection.py), whoever downloads it: a file leaves
the system and is passed on.
"""

import csv
import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from jour import formatting, pdf

from .display import ShownReport, ShownTable
from .figures import GENDERS


def _period_label(shown: ShownReport, *, readable: bool = False) -> str:
    """ISO days in the CSV and XLSX header cells, which programs read; the PDF,
    which people read, writes the days as the site does everywhere else."""
    period = shown.report.period
    if readable:
        text = f"{formatting.day(period.start, year=True)} – {formatting.day(period.last_day, year=True)}"
    else:
        text = f"{period.start.isoformat()} – {period.last_day.isoformat()}"
    if period.municipality:
        text += f", {period.municipality_name}"
    return text


def _kpi_rows(shown: ShownReport) -> list[list[str]]:
    return [[line.label, line.decided, line.kept, line.percent] for line in shown.first_contact]


def _kpi_header() -> list[str]:
    return [_("Priority"), _("Decided"), _("Within the deadline"), _("Share")]


def _table_rows(table: ShownTable) -> list[list[str]]:
    rows = [[label, *cells] for label, cells in table.rows]
    if table.total:
        rows.append([_("Total"), *table.total])
    return rows


def _all_tables(shown: ShownReport) -> list[ShownTable]:
    return [shown.seekers, *shown.tables, shown.support]


def _legend(shown) -> str:
    """The legend of protected figures; ``shown`` is anything with the ``minimum`` (a report as shown)."""
    return _(
        "<%(n)s: fewer than %(n)s people. ·: hidden (it may be 0) so that a small number cannot be worked out from "
        "the totals or from other periods and municipalities."
    ) % {"n": shown.minimum}


def to_csv(shown: ShownReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([settings.JOUR_NAME, _period_label(shown)])
    writer.writerow([_legend(shown)])
    for table in _all_tables(shown):
        writer.writerow([])
        writer.writerow([table.title, *table.columns])
        writer.writerows(_table_rows(table))
    writer.writerow([])
    writer.writerow([_("First contact within the deadline"), *_kpi_header()[1:]])
    writer.writerows(_kpi_rows(shown))
    volunteering = shown.report.volunteering
    writer.writerow([])
    writer.writerow([_("Volunteers active"), volunteering.active])
    writer.writerow([_("Hours at meetings and hearings"), volunteering.hours])
    # A BOM so that Excel opens the Swedish letters right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(shown: ShownReport) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Summary")[:31]
    bold = Font(bold=True)
    sheet.append([settings.JOUR_NAME, _period_label(shown)])
    sheet.append([_legend(shown)])
    for table in _all_tables(shown):
        sheet.append([])
        sheet.append([table.title, *table.columns])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in _table_rows(table):
            sheet.append([_number(value) for value in row])
    sheet.append([])
    sheet.append([_("First contact within the deadline"), *_kpi_header()[1:]])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in _kpi_rows(shown):
        sheet.append([_number(value) for value in row])
    sheet.append([])
    sheet.append([_("Volunteers active"), shown.report.volunteering.active])
    sheet.append([_("Hours at meetings and hearings"), shown.report.volunteering.hours])
    sheet.column_dimensions["A"].width = 42
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number(value):
    """Numbers as numbers, so that the sheet can sum them; "<3" and "·" stay text."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _short_columns() -> tuple[list[str], str]:
    """Two-column tables on one page need short headers, explained once."""
    short = [pgettext("gender, short", "W"), pgettext("gender, short", "M"), pgettext("gender, short", "O")]
    short += [pgettext("gender, short", "?"), pgettext("total, short", "Tot")]
    legend = "; ".join(
        f"{abbreviation} = {label}" for abbreviation, (_value, label) in zip(short, GENDERS, strict=False)
    )
    return short, legend + "."


STYLESHEETS = ("stats/pdf.css",)
LABEL_CHARACTERS = 26  # about as many as a line of a row's label holds in a column (stats/pdf.css)
HEADING_ROWS = 1.7  # a section's heading with its margin, in rows


def _estimate(rows: list[str]) -> float:
    """A section's height in table rows, from its rows' labels (a long label takes two lines)."""
    return HEADING_ROWS + sum(1 + len(label) // LABEL_CHARACTERS for label in rows)


def _summary_sections(shown: ShownReport) -> list[tuple[dict, float]]:
    """The one-pager's sections after the seekers, in order, each with its estimated height."""
    sections = [
        ({"kind": "table", "t": t}, _estimate(["", *(label for label, _cells in t.rows)]))
        for t in shown.tables
        if not t.key.startswith("marker_")
    ]
    sections.append(({"kind": "support", "t": shown.support}, _estimate(["" for _row in shown.support.rows])))
    sections.append(
        (
            {"kind": "first_contact", "t": shown.first_contact},
            _estimate(["", *(line.label for line in shown.first_contact)]),
        )
    )
    sections.append(({"kind": "volunteers", "t": shown.report.volunteering}, _estimate(["", ""])))
    return sections


def to_pdf(shown: ShownReport) -> bytes:

    short, column_legend = _short_columns()
    context = {
        "shown": shown,
        "period_label": _period_label(shown, readable=True),
        "legend": _legend(shown),
        "jour_name": settings.JOUR_NAME,
        "short_columns": short,
        "column_legend": column_legend,
    }
    sections = _summary_sections(shown)
    # Each section rendered on its own, then set in two columns balanced as CSS would,
    # without the seconds WeasyPrint takes to balance CSS columns.
    blocks = [
        render_to_string("stats/_summary_pdf_section.html", {"short_columns": short, **section})
        for section, _height in sections
    ]
    return pdf.render_in_two_columns(
        lambda columns: render_to_string("stats/summary_pdf.html", {**context, "columns": columns}),
        blocks,
        estimate=[height for _section, height in sections],
        stylesheets=STYLESHEETS,
    )


# --- the federation's yearly statistics (stats/federation.py) ---------------------------


def _federation_rows(report) -> list[list]:
    """Every section of the report as rows: a title row, then its rows; an empty row between."""
    rows = [[settings.JOUR_NAME, _("The federation's statistics %(year)s") % {"year": report.year}]]
    rows.append([_legend(report)])
    rows += [[check] for check in report.checks]
    for table in report.all_tables():
        rows += [[], [table.title, *table.columns], *_table_rows(table)]
    if report.cross:
        rows += [[], [_("Crime types and special circumstances"), *report.cross.columns]]
        rows += [[label, *cells] for label, cells in report.cross.rows]
        rows.append([_("Without the circumstance"), *report.cross.without])
    return rows


def federation_csv(report) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(_federation_rows(report))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def federation_xlsx(report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = str(report.year)
    bold = Font(bold=True)
    title_next = False
    for row in _federation_rows(report):
        sheet.append([_number(value) for value in row])
        if title_next:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        title_next = not row
    sheet.column_dimensions["A"].width = 42
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def federation_pdf(report) -> bytes:
    short, column_legend = _short_columns()
    html = render_to_string(
        "stats/federation_pdf.html",
        {
            "report": report,
            "legend": _legend(report),
            "jour_name": settings.JOUR_NAME,
            "short_columns": short,
            "column_legend": column_legend,
        },
    )
    return pdf.render(html, stylesheets=STYLESHEETS)


FEDERATION = {"csv": federation_csv, "xlsx": federation_xlsx, "pdf": federation_pdf}
