"""Reading the statistics page the way a person sees it: its tables, charts and facts."""

import csv
import io
import re
from dataclasses import dataclass

import lxml.html


@dataclass
class Bar:
    label: str
    value: str  # the text beside the bar
    width: int | None  # the <rect>'s width, None when there is no <rect>


@dataclass
class PageTable:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    total: list[str] | None
    bars: list[Bar]


def _text(element) -> str:
    return " ".join(element.text_content().split())


def tables(html: str) -> dict[str, PageTable]:
    """Every table section of a statistics page, by its key (``crime_type``, ...)."""
    doc = lxml.html.fromstring(html)
    result = {}
    for section in doc.xpath('//section[contains(@class, "stats-section")]'):
        key = section.get("aria-labelledby", "")[: -len("-h")]
        if key in ("kpi", "vol"):
            continue
        table = section.xpath(".//table")[0]
        rows, total = [], None
        for tr in table.xpath("./tbody/tr"):
            label = _text(tr.xpath("./th")[0])
            cells = [_text(td) for td in tr.xpath("./td")]
            if "total" in (tr.get("class") or ""):
                total = cells
            else:
                rows.append((label, cells))
        bars = []
        for row in section.xpath('.//ol[contains(@class, "chart")]/li'):
            rects = row.xpath(".//rect")
            bars.append(
                Bar(
                    label=_text(row.xpath('./span[@class="chart-label"]')[0]),
                    value=_text(row.xpath('./span[@class="chart-value"]')[0]),
                    width=int(rects[0].get("width")) if rects else None,
                )
            )
        result[key] = PageTable(
            key=key,
            title=_text(section.xpath("./h2")[0]),
            columns=[_text(th) for th in table.xpath("./thead/tr/th")][1:],
            rows=rows,
            total=total,
            bars=bars,
        )
    return result


def kpi(html: str) -> list[list[str]] | None:
    """The first-contact table: [priority, decided, kept, share] per line; None when absent."""
    doc = lxml.html.fromstring(html)
    section = doc.xpath('//section[@aria-labelledby="kpi-h"]')
    if not section:
        return None
    return [[_text(cell) for cell in tr.xpath("./th|./td")] for tr in section[0].xpath(".//tbody/tr")]


def facts(html: str) -> dict[str, str]:
    """The <dt>/<dd> pairs of the page (volunteers; a support person's own work)."""
    doc = lxml.html.fromstring(html)
    return {
        _text(dt): _text(dt.getnext())
        for dt in doc.xpath('//dl[contains(@class, "facts")]/dt')
        if dt.getnext() is not None and dt.getnext().tag == "dd"
    }


def lead(html: str) -> str:
    doc = lxml.html.fromstring(html)
    found = doc.xpath('//p[contains(@class, "lead")]')
    return _text(found[0]) if found else ""


def withheld(html: str) -> str:
    """The message of a selection withheld from protected readers; "" when there is none."""
    doc = lxml.html.fromstring(html)
    return " ".join(_text(e) for e in doc.xpath('//p[contains(@class, "withheld")]'))


def errors(html: str) -> str:
    doc = lxml.html.fromstring(html)
    return " ".join(_text(e) for e in doc.xpath('//ul[contains(@class, "errorlist")]'))


def csv_sections(content: bytes) -> list[list[list[str]]]:
    """The CSV export split at its empty rows: [header rows, table, table, ...]."""
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    sections, current = [], []
    for row in csv.reader(io.StringIO(text[1:])):
        if not row:
            sections.append(current)
            current = []
        else:
            current.append(row)
    sections.append(current)
    return sections


def xlsx_sections(content: bytes) -> list[list[list[str]]]:
    """The XLSX export's one sheet, as text, split at its empty rows like the CSV."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    sections, current = [], []
    for row in sheet.iter_rows(values_only=True):
        values = ["" if value is None else str(value) for value in row]
        while values and values[-1] == "":
            values.pop()
        if not values:
            sections.append(current)
            current = []
        else:
            current.append(values)
    sections.append(current)
    return sections


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_lines(content: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in pdf_text(content).splitlines() if line.strip()]
