"""In a real browser, at a laptop's and a phone's width: checkboxes sit beside
their labels, the statistics period form shows only the fields of the chosen
kind of period (with and without JavaScript), and chart labels are readable."""

import re

import pytest
from django.utils import timezone

from cases.models import Circumstance
from tests.cases.factories import make_case
from tests.e2e.helpers import log_in
from tests.personas import build_personas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 3,
    },
}


@pytest.fixture
def people(db):
    people = build_personas()
    Circumstance.objects.get_or_create(code="hate", defaults={"name": "Hatbrott"})  # flushed by earlier tests
    now = timezone.now()
    for crime in ("assault", "assault", "fraud"):
        make_case(people.coordinator, received_at=now, crime_type=crime)
    return people


@pytest.mark.parametrize("size", SIZES)
def test_checkboxes_sit_beside_their_labels(live_server, browser, people, size):
    page = log_in(browser, live_server.url, people.coordinator, **SIZES[size])
    page.goto(live_server.url + "/cases/new/")
    for box_id in ("id_anonymous", "id_protected_identity", "id_circumstances_0"):
        box = page.locator(f"#{box_id}").bounding_box()
        field = page.locator(f"#{box_id}").locator("xpath=ancestor::div[contains(@class, 'field')][1]").bounding_box()
        assert box["x"] - field["x"] < 4, (box_id, box, field)  # at the left edge, not centred
        # The label's text begins after the box (a choice in a list wraps its box in its label).
        text = page.evaluate(
            """id => { const range = document.createRange(); const label = document.querySelector(`label[for='${id}']`);
                 const node = [...label.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
                 range.selectNodeContents(node); const r = range.getBoundingClientRect(); return {x: r.x, y: r.y}; }""",
            box_id,
        )
        assert text["x"] >= box["x"] + box["width"] - 1, (box_id, box, text)
        assert text["y"] - 8 <= box["y"] + box["height"] / 2 <= text["y"] + 30, (box_id, box, text)  # its first line
    page.context.close()


def _shown(page, name: str) -> bool:
    return page.locator(f"#id_{name}").is_visible() and page.locator(f"#id_{name}").is_enabled()


@pytest.mark.parametrize("size", SIZES)
def test_the_period_form_shows_the_fields_of_the_chosen_kind(live_server, browser, people, size):
    page = log_in(browser, live_server.url, people.coordinator, **SIZES[size])
    page.goto(live_server.url + "/statistics/")
    assert _shown(page, "year") and not _shown(page, "quarter") and not _shown(page, "month")
    page.locator("#id_kind").select_option("quarter")
    assert _shown(page, "quarter") and not _shown(page, "month")
    page.locator("#id_kind").select_option("month")
    assert _shown(page, "month") and not _shown(page, "quarter")
    page.locator("#id_month").select_option("1")
    page.locator("form.grid button[type='submit']").click()
    page.wait_for_url(re.compile(r".*kind=month.*"))
    assert "month=1" in page.url and "quarter" not in page.url  # a hidden field is not sent
    assert _shown(page, "month") and not _shown(page, "quarter")
    page.context.close()


def test_without_javascript_the_server_shows_the_right_fields(live_server, browser, people):
    page = log_in(browser, live_server.url, people.coordinator, java_script_enabled=False, **SIZES["desktop"])
    year = timezone.localdate().year
    page.goto(f"{live_server.url}/statistics/?kind=quarter&year={year}&quarter=1")
    assert _shown(page, "quarter") and not _shown(page, "month")
    # The kind changed without a script to show the month: the next page asks for it, by the field.
    page.locator("#id_kind").select_option("month")
    page.locator("form.grid button[type='submit']").click()
    page.wait_for_load_state()
    assert _shown(page, "month") and not _shown(page, "quarter")
    assert page.locator("#id_month_error").count() or page.locator(".has-error #id_month").count()
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_chart_labels_are_at_least_12_px(live_server, browser, people, size):
    page = log_in(browser, live_server.url, people.coordinator, **SIZES[size])
    page.goto(live_server.url + "/statistics/")
    sizes = page.evaluate(
        # As drawn: text inside a scaled SVG is its font size times the drawing's scale.
        """() => [...document.querySelectorAll('.chart-label, .chart-value')].map(text =>
             parseFloat(getComputedStyle(text).fontSize) * (text.getScreenCTM ? text.getScreenCTM().a : 1)
             * (text.getBoundingClientRect().height ? 1 : 0))"""
    )
    assert len(sizes) > 10
    assert min(sizes) >= 12, sorted(sizes)[:5]
    assert (
        page.evaluate("document.querySelector('ol.chart').getBoundingClientRect().right")
        <= SIZES[size]["viewport"]["width"]
    )
    page.context.close()
