"""In a real browser: a coordinator taking a call types the caller's number as
the caller says it, in another format than the one on the case, and finds it;
on a desktop and on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.cases.factories import make_case
from tests.e2e.helpers import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", list(SIZES))
def test_coordinator_finds_the_callers_case_by_phone_number(live_server, browser, people, size):
    now = timezone.now()
    wanted = make_case(
        people.coordinator,
        received_at=now - timedelta(days=2),
        first_name="Åsa",
        last_name="Östlund",
        phone="+46 70-123 45 67",
        email="asa.o@seeker.example",
    )
    other = make_case(people.coordinator, received_at=now - timedelta(days=1), first_name="Bo", phone="08-111 22 33")

    page = log_in(browser, live_server.url, people.coordinator, viewport=SIZES[size])
    page.goto(live_server.url + "/cases/")
    box = page.locator("#id_q")
    assert box.is_visible()
    box.fill("070 123 45 67")
    box.press("Enter")
    page.wait_for_url("**/cases/?*s=*")

    assert page.get_by_role("link", name=wanted.number).is_visible()
    assert page.get_by_role("link", name=other.number).count() == 0
    assert "Åsa" in page.locator("table").inner_text()
    # The number typed is in the box, not in the address.
    assert box.input_value() == "070 123 45 67"
    assert "123" not in page.url.split("?", 1)[1].replace(wanted.number, "")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]

    # The filters open and apply on a phone too; a filter that excludes the case empties the list.
    page.locator("details.case-filters summary").click()
    page.locator("#id_priority").select_option("urgent")
    page.locator("details.case-filters button[type=submit]").click()
    page.wait_for_url("**priority=urgent**")
    assert page.get_by_role("link", name=wanted.number).count() == 0
    assert box.input_value() == "070 123 45 67"
