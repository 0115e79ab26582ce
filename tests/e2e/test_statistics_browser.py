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
from tests.e2e.helpers import follow_menu, log_in
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
    follow_menu(page, "/statistics/")
    page.wait_for_url("**/statistics/")
    seekers = page.locator("#seekers-h").locator("xpath=..")
    cells = seekers.locator("tbody td").all_inner_texts()
    # Women, men (fewer than 3), other (hidden too, or 10 - 6 - 3 would give the men away), unknown, total.
    assert cells == ["6", "<3", "·", "0", "10"], cells
    assert page.locator("ol.chart").count() >= 7
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


def test_coordinator_produces_the_federations_statistics_in_one_click(live_server, browser):
    """From the statistics page to the year's federation report, exact on the page and
    protected in the PDF for the board; a case with two markers counts under each."""
    from cases.models import Circumstance

    people = build_personas()
    now = timezone.now()
    # A transactional test starts from empty tables: the markers the migration made are gone.
    built_in = [("close_relationship", "Nära relation"), ("honour", "Hedersrelaterat"), ("hate", "Hatbrott")]
    built_in.append(("school", "Skolrelaterat"))
    for n, (code, name) in enumerate(built_in):
        Circumstance.objects.get_or_create(code=code, defaults={"name": name, "position": 10 * (n + 1)})
    close, school = (Circumstance.objects.get(code=code) for code in ("close_relationship", "school"))
    for _ in range(7):
        make_case(people.coordinator, received_at=now, gender="woman", crime_type="assault", circumstances=[close])
    make_case(people.coordinator, received_at=now, gender="man", crime_type="assault", circumstances=[close, school])
    for _ in range(3):
        make_case(people.coordinator, received_at=now, gender="other", crime_type="harassment")
    year = timezone.localdate().year

    page = log_in(browser, live_server.url, people.coordinator, accept_downloads=True)
    page.goto(f"{live_server.url}/statistics/?kind=year&year={year}")
    page.locator(f"a[href='/statistics/federation/?year={year}']").click()
    page.wait_for_url(f"**/statistics/federation/?year={year}")
    assert page.locator("p.ok-text").inner_text().startswith("Varje tabell summerar till de 11 stödsökande")
    seekers = page.locator("#seekers-h").locator("xpath=..").locator("tbody td").all_inner_texts()
    assert seekers == ["7", "1", "3", "0", "11"]
    cross = page.locator("#cross-h").locator("xpath=..")
    assert cross.locator("thead th").all_inner_texts()[1:3] == ["Nära relation", "Hedersrelaterat"]
    assault = cross.locator("tbody tr", has_text="Misshandel").locator("td").all_inner_texts()
    assert assault == ["8", "0", "0", "1"]  # close relationship 8, honour 0, hate 0, school 1

    pdf = _download(page, "federation/export.pdf")
    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert f"förbundets statistik {year}" in text
    assert "7 1 3 0 11" not in text  # the exact row never leaves: the man is fewer than 3
