"""One way to write a share (#15): the KPI page, the assessment page and the
assurance PDF show the same figure the same way, "66,7 %" in Swedish."""

import json
from datetime import datetime, timedelta

from django.urls import reverse
from lxml import html

from cases.models import Case
from compliance import assurance, content
from compliance import services as compliance
from jour.workdays import STOCKHOLM
from tests.cases.factories import attempt, make_case
from tests.personas import client_for

# Three normal cases in 2025: two contacted within their 48 working hours, one never.
MONDAY = datetime(2025, 3, 3, 9, tzinfo=STOCKHOLM)
TWO_THIRDS = "66,7~%"  # "~": a non-breaking space


def _two_of_three_kept(by) -> None:
    for week in range(3):
        received = MONDAY + timedelta(weeks=week)
        case = make_case(by, now=received + timedelta(minutes=5), received_at=received)
        if week < 2:
            attempt(case, received + timedelta(hours=2), by=by, now=received + timedelta(hours=3))
    assert Case.objects.count() == 3


def _cells(page: bytes) -> list[str]:
    """Each cell's text, a non-breaking space written "~" (str.split() would take it for a space)."""
    cells = html.fromstring(page).xpath("//td | //th")
    return [" ".join(cell.text_content().replace("\xa0", "~").split()) for cell in cells]


def test_the_kpi_page_the_assessment_page_and_the_pdf_write_the_share_alike(people, monkeypatch):
    _two_of_three_kept(people.coordinator)
    assessment = compliance.start_year(year=2025, by=people.coordinator, from_previous=False)
    client = client_for(people.coordinator, None)  # Swedish

    kpi_page = client.get(reverse("kpi"), {"year": 2025, "granularity": "year"}).content
    assessment_page = client.get(reverse("assessment_detail", args=[2025])).content
    rendered = []
    monkeypatch.setattr(assurance.pdf, "render", lambda html, **_: rendered.append(html) or b"")
    record = {"content": content.build(assessment), "content_sha256": "0" * 64, "signatures": []}
    assurance.render_pdf(assessment, json.dumps(record))

    for page in (kpi_page, assessment_page, rendered[0].encode()):
        cells = _cells(page)
        assert TWO_THIRDS in cells, cells
        # No other way of writing it: rounded to a whole number, a point, or no space.
        assert not {"67 %", "66.7 %", "66.7%", "66,7%"} & set(cells)


def test_in_english_the_pages_write_it_the_english_way(people):
    _two_of_three_kept(people.coordinator)
    compliance.start_year(year=2025, by=people.coordinator, from_previous=False)
    client = client_for(people.coordinator, "en")
    for page in (
        client.get(reverse("kpi"), {"year": 2025, "granularity": "year"}).content,
        client.get(reverse("assessment_detail", args=[2025])).content,
    ):
        assert "66.7%" in _cells(page)
