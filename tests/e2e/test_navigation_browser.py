"""In a real browser: every role's main menu has at most seven entries on one
line at a laptop's width, marks the page the user is on, opens its groups by
keyboard, and never makes a phone scroll sideways."""

import pytest

from cases.models import AlertKind, Notification
from jour.models import Role
from tests.cases.factories import assign, make_case
from tests.e2e.helpers import log_in
from tests.personas import build_personas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
# A page of each role that sits inside a group of the coordinator's menu, and one that does not.
PAGES = {
    Role.COORDINATOR: ["/cases/", "/cases/new/", "/people/accounts/", "/calendar/phone/"],
    Role.SUPPORT_PERSON: ["/cases/", "/calendar/", "/partners/"],
    Role.BOARD_MEMBER: ["/compliance/years/", "/statistics/", "/calendar/"],
    Role.AUDITOR: ["/compliance/years/", "/cases/first-contact/", "/partners/"],
}
TOP_LEVEL = "header nav.main-nav > ul > li"
MENU = """() => {
  const items = [...document.querySelectorAll('header nav.main-nav > ul > li')];
  return {
    count: items.length,
    tops: [...new Set(items.map(item => item.offsetTop))],
    right: Math.max(...items.map(item => item.getBoundingClientRect().right)),
    scrollWidth: document.documentElement.scrollWidth,
  };
}"""


@pytest.fixture
def people(db):
    people = build_personas()
    case = make_case(people.coordinator)
    assign(case, people.alex, by=people.coordinator)
    Notification.objects.create(recipient=people.alex, case=case, kind=AlertKind.WARNING)  # Alex's badge
    return people


@pytest.mark.parametrize("role", list(Role))
def test_the_menu_is_one_line_of_at_most_seven_and_marks_the_page(live_server, browser, people, role):
    page = log_in(browser, live_server.url, people.by_role()[role], **DESKTOP)
    for path in PAGES[role]:
        page.goto(live_server.url + path)
        menu = page.evaluate(MENU)
        assert 1 <= menu["count"] <= 7, (role, path, menu)
        assert len(menu["tops"]) == 1, (role, path, menu)  # every top-level entry on the same line
        assert menu["right"] <= 1366 and menu["scrollWidth"] <= 1366, (role, path, menu)
        current = page.locator(f"header nav a[href='{path}']")
        assert current.get_attribute("aria-current") == "page", (role, path)
        assert page.locator("header nav [aria-current]").count() in (1, 2)  # the link, and its group if any
        group = page.locator(f"header nav details:has(a[href='{path}']) > summary")
        if group.count():
            assert group.get_attribute("aria-current") == "page", (role, path)
    page.context.close()


def test_the_coordinator_opens_a_group_by_keyboard(live_server, browser, people):
    page = log_in(browser, live_server.url, people.coordinator, **DESKTOP)
    new_case = page.locator("header nav a[href='/cases/new/']")
    assert not new_case.is_visible()  # closed until asked for
    page.locator("header nav details:has(a[href='/cases/new/']) > summary").focus()
    page.keyboard.press("Enter")
    assert new_case.is_visible()
    page.keyboard.press("Escape")
    assert not new_case.is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/cases/new/"
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/new/")
    page.context.close()


def test_a_support_person_sees_the_unread_badge(live_server, browser, people):
    page = log_in(browser, live_server.url, people.alex, **DESKTOP)
    badge = page.locator("header nav a[href='/cases/notifications/'] .badge")
    assert badge.is_visible() and badge.inner_text() == "1"
    page.context.close()


@pytest.mark.parametrize("role", list(Role))
def test_on_a_phone_the_menu_never_scrolls_sideways(live_server, browser, people, role):
    page = log_in(browser, live_server.url, people.by_role()[role], **PHONE)
    for group in range(page.locator("header nav details").count()):
        page.locator("header nav details > summary").nth(group).click()
        panel = page.locator("header nav details[open] > ul")
        box = panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (role, group, box)
        assert page.evaluate(MENU)["scrollWidth"] <= 390, (role, group)
    assert page.evaluate(MENU)["scrollWidth"] <= 390
    assert page.locator(TOP_LEVEL).count() <= 7
    page.context.close()
