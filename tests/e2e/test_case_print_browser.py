"""In a real browser: the support person writes a journal entry on her case
(htmx, no reload), then prints the case. Chromium's PDF of the print view,
turned into text page by page with pypdf, shows the case number and the
printing date on every page of a multi-page print, and no navigation."""

from pathlib import Path

import pypdf
import pytest
from django.utils import timezone, translation

from cases import journal
from jour import formatting
from tests.cases.factories import assign, make_case
from tests.e2e.helpers import log_in
from tests.personas import build_personas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OUT = Path("var")
LONG = (
    "Samtal om hur veckan har varit, om sömnen och om oron inför rättegången. "
    "Vi gick igenom vad som händer i rättssalen och vem som sitter var. "
) * 4


def _pages_as_text(pdf: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(pdf).pages]


def test_a_journal_entry_then_a_print_with_the_case_number_on_every_page(live_server, browser):
    people = build_personas()
    case = make_case(people.coordinator)
    assign(case, people.alex, by=people.coordinator)
    for n in range(25):  # enough for several printed pages
        journal.write(case=case, text=f"{n + 1}. {LONG}", by=people.coordinator)

    page = log_in(browser, live_server.url, people.alex)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.locator("#journal_text").fill("Ringde och bokade ett möte på tisdag")
    page.locator("form.journal-write button[type=submit]").click()
    page.locator("#journal .entry-text", has_text="Ringde och bokade").wait_for()
    assert page.url.endswith(f"/cases/{case.pk}/")  # swapped in place: no reload, no redirect
    assert page.locator("#journal_text").input_value() == ""  # a fresh box for the next entry
    assert case.journal.filter(author=people.alex).count() == 1

    page.get_by_role("link", name="Skriv ut").or_(page.locator(f"a[href='/cases/{case.pk}/print/']")).first.click()
    page.wait_for_url(f"**/cases/{case.pk}/print/")
    OUT.mkdir(exist_ok=True)
    pdf = OUT / "e2e-case-print.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)

    pages = _pages_as_text(pdf)
    assert len(pages) >= 3
    with translation.override("sv"):
        today = formatting.day(timezone.localdate(), year=True)  # "ons 2 dec 2026", as the running head writes it
    for number, text in enumerate(pages, start=1):
        assert case.number in text, f"page {number} has no case number"
        assert today in text, f"page {number} has no printing date"
    everything = "\n".join(pages)
    assert "Ringde och bokade ett möte på tisdag" in everything and "25. Samtal om" in everything
    assert "Logga ut" not in everything and "Notiser" not in everything  # no navigation on paper
