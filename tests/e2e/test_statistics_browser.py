"""In a real browser: a board member opens the year's statistics, sees small
numbers hidden, downloads the grant-application summary (PDF) and the XLSX,
and gets a message instead of figures for a month of too few seekers.
The UI runs in Swedish, so the test finds things by URLs and ids."""

import io

import openpyxl
import pypdf
import pytest
from django.utils import timezone

from tests.cases.factories import SEEKER, make_case
from tests.e2e.helpers import log_in
from tests.personas import build_personas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _download(page, href_part: str) -> bytes:
    with page.expect_download() as info:
        page.locator(f"a[href*='{href_part}']").click()
    return open(info.value.path(), "rb").read()  # noqa: SIM115 - Playwright owns the file


def test_board_member_reads_the_year_and_downloads_the_summary(live_server, browser):
    people = build_personas()
    now = timezone.now()
    # Ten seekers: the fewest the board is shown figures for (JOUR_STATS_MIN_SEEKERS).
    for _ in range(6):
        make_case(people.coordinator, received_at=now, gender="woman", crime_type="unlawful_threats")
    make_case(people.coordinator, received_at=now, gender="man", crime_type="unlawful_threats")
    for _ in range(3):
        make_case(people.coordinator, received_at=now, gender="other", crime_type="unlawful_threats")
    year = timezone.localdate().year

    page = log_in(browser, live_server.url, people.board, accept_downloads=True)
    page.locator("nav a[href='/statistics/']").click()
    page.wait_for_url("**/statistics/")
    seekers = page.locator("#seekers-h").locator("xpath=..")
    cells = seekers.locator("tbody td").all_inner_texts()
    # Women, men (fewer than 3), other (hidden too, or 10 - 6 - 3 would give the men away), unknown, total.
    assert cells == ["6", "<3", "·", "0", "10"], cells
    assert page.locator("svg.chart").count() >= 7
    body = page.content()
    for value in (SEEKER["first_name"], SEEKER["last_name"], SEEKER["phone"]):
        assert value not in body

    pdf = _download(page, "export.pdf")
    assert pdf.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert str(year) in text and "<3" in text

    workbook = openpyxl.load_workbook(io.BytesIO(_download(page, "export.xlsx")))
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    seekers_row = next(row for row in rows if row[1] == 6)
    assert list(seekers_row[1:6]) == [6, "<3", "·", 0, 10]

    # Another month holds none of the ten: no figures, a message instead, and nothing to download.
    other_month = 1 if timezone.localdate().month != 1 else 2
    page.goto(f"{live_server.url}/statistics/?kind=month&year={year}&month={other_month}")
    assert page.locator("p.withheld").is_visible()
    assert page.locator("#seekers-h").count() == 0
    assert page.locator("a[href*='export.']").count() == 0
