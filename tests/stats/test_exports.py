"""The exports: CSV, XLSX and PDF for the coordinator and the board only, always
protected (the coordinator's too), with the board's numbers and no seeker's
data; a selection withheld from the board is refused with its reason."""

import io
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.utils.translation import override
from openpyxl import load_workbook

from jour import formatting
from stats.forms import CUSTOM_GONE
from stats.selection import A_WHOLE_YEAR, TOO_FEW, WITH_OTHERS
from tests.calendars.helpers import client_for
from tests.cases.factories import SEEKER_SECRETS

from . import pages
from .dataset import ESLOV, LUND
from .test_views import YEAR_QUERY, page

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def export(user, fmt: str, query: str = YEAR_QUERY, language: str = "en"):
    return client_for(user, language).get(f"/statistics/export.{fmt}?{query}")


def page_sections(html: str) -> list[list[list[str]]]:
    """The board's page laid out as the CSV lays out its tables: a header row
    (title and columns), the rows, and the total row."""
    result = []
    for table in pages.tables(html).values():
        rows = [[table.title, *table.columns]]
        rows += [[label, *cells] for label, cells in table.rows]
        if table.total:
            rows.append(["Total", *table.total])
        result.append(rows)
    return result


def kpi_section(html: str) -> list[list[str]]:
    return [["First contact within the deadline", "Decided", "Within the deadline", "Share"], *pages.kpi(html)]


def volunteer_section(html: str) -> list[list[str]]:
    return [[name, value] for name, value in pages.facts(html).items()]


# --- who may download -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("who", ["alex", "sam", "auditor"])
def test_only_the_coordinator_and_the_board_may_download(world, who, fmt):
    user = world.users.get(who) or getattr(world.people, who)
    response = export(user, fmt)
    assert response.status_code == 403
    assert not response.get("Content-Disposition")
    assert not LogEntry.objects.filter(object_repr__startswith="statistics export").exists()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("who", ["coordinator", "board"])
def test_the_coordinator_and_the_board_download_and_it_is_audited(world, who, fmt):
    user = getattr(world.people, who)
    response = export(user, fmt)
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="statistik-2026-01-01-2026-12-31.{fmt}"'
    entry = LogEntry.objects.get(object_repr=f"statistics export ({fmt})")
    assert entry.actor == user
    assert entry.action == LogEntry.Action.ACCESS


def test_an_unknown_format_is_not_found(world):
    assert export(world.people.coordinator, "json").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_invalid_period_is_a_400(world, fmt):
    response = export(world.people.board, fmt, "kind=quarter&year=2026")
    assert response.status_code == 400
    assert response.content.decode() == "Choose a valid period. Choose a quarter."
    assert not LogEntry.objects.filter(object_repr__startswith="statistics export").exists()


# --- the numbers ------------------------------------------------------------------------


def test_the_csv_has_the_boards_numbers(world):
    board = page(world.people.board)
    sections = pages.csv_sections(export(world.people.board, "csv").content)

    assert sections[0] == [
        [settings.JOUR_NAME, "2026-01-01 – 2026-12-31"],
        [
            "<3: fewer than 3 people. ·: hidden (it may be 0) so that a small number cannot be worked out from the "
            "totals or from other periods and municipalities."
        ],
    ]
    tables = page_sections(board)
    assert len(tables) == 12  # seekers, 6 fields, 4 special circumstances, support
    assert sections[1 : 1 + len(tables)] == tables
    assert sections[1] == [
        ["Seekers", "Woman", "Man", "Other or non-binary", "Not known", "Total"],
        # Sixteen women, shown to the board before the special circumstances had tables of
        # their own; with them more is hidden so that nothing can be worked out.
        ["Seekers (one per case)", "·", "·", "·", "<3", "26"],
    ]
    assert sections[2][0][0] == "Crime type"
    assert sections[2][3] == ["Harassment", "·", "<3", "<3", "·", "·"]
    assert sections[13] == kpi_section(board)
    assert (
        sections[14]
        == volunteer_section(board)
        == [
            ["Volunteers active", "3"],
            ["Hours at meetings and hearings", "11.0"],
        ]
    )
    assert len(sections) == 15


def test_the_coordinators_export_is_protected_too(world):
    coordinator_page = pages.tables(page(world.people.coordinator))
    assert coordinator_page["seekers"].rows[0][1] == ["16", "8", "1", "1", "26"]

    for fmt in ("csv", "xlsx"):
        mine = export(world.people.coordinator, fmt).content
        boards = export(world.people.board, fmt).content
        sections = pages.csv_sections(mine) if fmt == "csv" else pages.xlsx_sections(mine)
        theirs = pages.csv_sections(boards) if fmt == "csv" else pages.xlsx_sections(boards)
        assert sections == theirs
        assert sections[1][1] == ["Seekers (one per case)", "·", "·", "·", "<3", "26"]
        assert sections[2][3] == ["Harassment", "·", "<3", "<3", "·", "·"]
    text = pages.pdf_text(export(world.people.coordinator, "pdf").content)
    assert "· · · <3 26" in " ".join(text.split())
    assert "16 8 1 1 26" not in " ".join(text.split())


def test_the_xlsx_has_the_boards_numbers_as_numbers(world):
    board = page(world.people.board)
    content = export(world.people.board, "xlsx").content
    sections = pages.xlsx_sections(content)

    assert sections[0][0] == [settings.JOUR_NAME, "2026-01-01 – 2026-12-31"]
    tables = page_sections(board)
    assert sections[1 : 1 + len(tables)] == tables
    assert sections[13] == kpi_section(board)
    # Hours are a number in the sheet: 11.0 reads back as 11.
    assert [[name, float(value)] for name, value in sections[14]] == [
        [name, float(value)] for name, value in volunteer_section(board)
    ]
    # Numbers are numbers (the sheet can sum them), hidden cells text.
    sheet = load_workbook(io.BytesIO(content)).active
    seekers = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "Seekers (one per case)")
    assert list(seekers) == ["Seekers (one per case)", "·", "·", "·", "<3", 26]
    nobody = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "Stalking")
    assert list(nobody) == ["Stalking", 0, 0, 0, 0, 0]


def _pdf(text: str) -> str:
    return " ".join(text.split())


def _days(start: date, last: date) -> str:
    """The period as the PDF, read by people in English here, writes it ("Thu 1 Jan 2026 – ...")."""
    with override("en"):
        return f"{formatting.day(start, year=True)} – {formatting.day(last, year=True)}"


def test_the_pdf_has_the_boards_numbers(world):
    board = pages.tables(page(world.people.board))
    text = _pdf(pages.pdf_text(export(world.people.board, "pdf").content))

    assert _days(date(2026, 1, 1), date(2026, 12, 31)) in text
    seekers = board["seekers"]
    assert " ".join(seekers.columns) in text
    assert " ".join(seekers.rows[0][1]) in text  # 16 · · <3 26
    # Each breakdown: every row with all its cells, in the order of the page.
    # The grant givers' one page leaves the special circumstances' tables to the federation's report.
    assert board["marker_close_relationship"].title not in text
    for key in ("crime_type", "age_group", "first_contact_by"):
        table = board[key]
        assert table.title in text
        position = text.index(table.title)
        for label, cells in table.rows:
            line = f"{label} {' '.join(cells)}"
            assert line in text[position:], (key, line)
            position = text.index(line, position)
    # Support given: the totals; the first-contact figures as on the page.
    for label, cells in board["support"].rows:
        assert f"{label} {cells[-1]}" in text
    for label, decided, kept, share in pages.kpi(page(world.people.board)):
        assert f"{label} {decided} {kept} {share}" in text
    assert "Volunteers active 3" in text
    assert "Hours at meetings and hearings 11.0" in text


def test_the_export_follows_the_period(world):
    query = "kind=quarter&year=2026&quarter=1"
    board = page(world.people.board, query)
    response = export(world.people.board, "csv", query)
    assert response["Content-Disposition"] == 'attachment; filename="statistik-2026-01-01-2026-03-31.csv"'
    sections = pages.csv_sections(response.content)
    assert sections[0][0] == [settings.JOUR_NAME, "2026-01-01 – 2026-03-31"]
    assert sections[1 : 1 + 12] == page_sections(board)
    assert sections[1][1][0] == "Seekers (one per case)"
    pdf = _pdf(pages.pdf_text(export(world.people.board, "pdf", query).content))
    assert _days(date(2026, 1, 1), date(2026, 3, 31)) in pdf


def test_the_export_follows_the_municipality_by_name(world, settings):
    settings.JOUR_STATS_MIN_SEEKERS = 4  # Eslöv's four seekers are enough
    query = f"kind=year&year=2026&municipality={ESLOV}"
    board = page(world.people.board, query)
    sections = pages.csv_sections(export(world.people.board, "csv", query).content)
    assert sections[0][0] == [settings.JOUR_NAME, "2026-01-01 – 2026-12-31, Eslöv"]
    assert sections[1 : 1 + 12] == page_sections(board)
    # n01, n04 (men) and n02, n03 (women): two each, hidden, and "2 + 2 = 4" must not pin them down.
    label, woman, man, other, unknown, total = sections[1][1]
    assert label == "Seekers (one per case)"
    assert {woman, man} <= {"<3", "·"}
    assert "4" not in (woman, man) and not (total == "4" and {other, unknown} == {"0"})
    pdf = _pdf(pages.pdf_text(export(world.people.board, "pdf", query).content))
    assert f"{_days(date(2026, 1, 1), date(2026, 12, 31))}, Eslöv" in pdf


WITHHELD = {
    "kind=month&year=2026&month=3": TOO_FEW,
    f"kind=year&year=2026&municipality={LUND}": WITH_OTHERS,
    f"kind=quarter&year=2026&quarter=1&municipality={LUND}": A_WHOLE_YEAR,
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("query", WITHHELD)
@pytest.mark.parametrize("who", ["coordinator", "board"])
def test_a_withheld_selection_is_refused_with_its_reason_and_nothing_leaves(world, who, query, fmt):
    response = export(getattr(world.people, who), fmt, query)
    assert response.status_code == 409
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert not response.get("Content-Disposition")
    with override("en"):
        assert response.content.decode() == str(WITHHELD[query])
    assert not LogEntry.objects.filter(object_repr__startswith="statistics export").exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_old_link_to_a_custom_period_is_a_400_with_a_message(world, fmt):
    response = export(world.people.board, fmt, "kind=custom&start=2026-03-31&end=2026-03-31")
    assert response.status_code == 400
    with override("en"):
        assert response.content.decode() == f"Choose a valid period. {CUSTOM_GONE}"


# --- no personal data -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_seekers_data_in_an_export(world, fmt):
    content = export(world.people.coordinator, fmt).content
    if fmt == "csv":
        text = content.decode("utf-8")
    elif fmt == "xlsx":
        text = "\n".join("\t".join(row) for section in pages.xlsx_sections(content) for row in section)
    else:
        text = pages.pdf_text(content)
    assert "Unlawful threats" in text  # the text was read
    for secret in SEEKER_SECRETS:
        assert secret not in text
    for case in world.cases.values():
        assert case.number not in text
