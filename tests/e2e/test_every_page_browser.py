"""In a real browser, every page each role can open, on the seeded demo jour
(issue 15, deliverables 5 and 6):

- axe-core finds no serious or critical accessibility violation on any of them;
- the support person, on a phone (390×844, touch), never scrolls sideways and
  every button on a page is at least 44 px tall, a size a thumb can hit;
- the coordinator's, the board's and the auditor's pages, read at desktop size,
  still fit a phone's width: only a wide table of numbers may scroll, inside its
  own `.table-scroll` box (which does not widen the page).

The pages come from the URL walk (tests/urlwalk.py): every view the role may
open, with arguments that name real rows (the demo's cases, last year's signed
assessment, and the rows `real_url_kwargs` adds for the views the demo does not
reach), so the walk meets the views themselves rather than their 404. Views that
only take a POST, or hand out a file, are left out by asking first what a GET
returns. One login per role; the page is reused. A failing page is saved as a
screenshot under var/e2e-failures/.
"""

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from calendars.models import Appointment
from cases.models import Case
from compliance.models import Assessment
from home.demo import accounts as demo
from jour.access import PASSWORD_STEP, PUBLIC
from jour.models import Role
from tests.e2e.helpers import log_in
from tests.personas import PASSWORD
from tests.urlwalk import path_of, real_url_kwargs, site_views

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
PHONE = {"viewport": {"width": PHONE_WIDTH, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
# WCAG 2.5.5 and the platforms' guidelines: a target a thumb hits without a second try.
MIN_TARGET = 44
SERIOUS = {"serious", "critical"}
FAILURES = Path("var/e2e-failures")

# The page's own actions: buttons and links styled as buttons in the content (a button
# styled as a link reads as a link and is measured as text, like any other link).
TARGETS_JS = """min => [...document.querySelectorAll(
    'main button:not(.link), main input[type=submit], main a.button')]
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .filter(el => el.getBoundingClientRect().height < min)
  .map(el => `${el.outerHTML.slice(0, 90)} (${Math.round(el.getBoundingClientRect().height)} px)`)"""
# What widens the page past the viewport, to say where to look when it fails.
WIDEST_JS = """width => {
  const right = el => Math.max(el.getBoundingClientRect().right, el.getBoundingClientRect().left + el.scrollWidth);
  return [...document.querySelectorAll('body *')]
    .filter(el => right(el) > width + 0.5 && !el.closest('.table-scroll, .visually-hidden'))
    .filter(el => ![...el.children].some(child => right(child) > width + 0.5))
    .slice(0, 5).map(el => `${el.tagName.toLowerCase()}.${el.className} → ${Math.round(right(el))}`);
}"""


@pytest.fixture
def demo_world(settings):
    """The demo jour, its accounts logging in with the personas' password, and the
    URL arguments of every view pointing at its rows."""
    settings.JOUR_ENV = "development"
    call_command("seed_demo", verbosity=0)
    users = {role: accounts[0] for role, accounts in demo.by_role().items()}
    for user in users.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    # The seed signed last year with the auditors' codes of this very half-minute, and a code
    # is accepted once: forget that use, or the auditor's login would wait for the next code.
    TOTPDevice.objects.filter(user__in=users.values()).update(last_t=-1)
    people = SimpleNamespace(coordinator=users[Role.COORDINATOR], alex=users[Role.SUPPORT_PERSON])
    kwargs = real_url_kwargs(people)
    # The demo's signed year, and the month and week of its appointments; each case's page
    # is walked on its own (_candidate_paths).
    signed = Assessment.objects.order_by("year").first()
    kwargs["action_plan"] = {"year": signed.year}
    first = Appointment.objects.order_by("starts_at").first()
    day = timezone.localtime(first.starts_at).date()
    kwargs["calendar_month"] = {"year": day.year, "month": day.month}
    kwargs["calendar_week"] = {"year": day.isocalendar().year, "week": day.isocalendar().week}
    return SimpleNamespace(users=users, kwargs=kwargs)


def _candidate_paths(world, role) -> list[tuple[str, str]]:
    """(view name, path) of every view the role may open, and each case's page once more."""
    paths = []
    for name, route, _callback, access in site_views():
        if access in (PUBLIC, PASSWORD_STEP) or role not in set(access):
            continue
        paths.append((name, path_of(name, route, world.kwargs)))
    if role in (Role.COORDINATOR, Role.SUPPORT_PERSON):
        for case in Case.objects.visible_to(world.users[role]).order_by("pk"):
            paths.append((f"case_detail #{case.pk}", reverse("case_detail", kwargs={"pk": case.pk})))
    for year in Assessment.objects.values_list("year", flat=True):
        if role != Role.SUPPORT_PERSON:
            paths.append((f"assessment_detail {year}", reverse("assessment_detail", kwargs={"year": year})))
    today = timezone.localdate()
    paths.append(("statistics month", f"{reverse('statistics')}?kind=month&year={today.year}&month={today.month}"))
    paths.append(("calendar next month", reverse("calendar_month", kwargs=_month_after(today))))
    return paths


def _month_after(day) -> dict:
    later = day.replace(day=1) + timedelta(days=32)
    return {"year": later.year, "month": later.month}


def _html_pages(page, base: str, paths) -> list[tuple[str, str]]:
    """The paths a GET shows as a page (not a 405 for a POST-only view, a redirect, a file or a partial)."""
    pages, seen = [], set()
    for name, path in paths:
        if path in seen:
            continue
        seen.add(path)
        response = page.context.request.get(base + path, max_redirects=0)
        html = response.status == 200 and response.headers.get("content-type", "").startswith("text/html")
        # An htmx partial (a piece of a page, fetched by the page) is checked as part of its page.
        if html and "<html" in response.text()[:500].lower():
            pages.append((name, path))
    return pages


def _serious_violations(page) -> list[str]:
    results = Axe().run(page).response
    return [
        f"axe {v['id']} ({v['impact']}): {[' '.join(node['target']) for node in v['nodes']][:5]}"
        for v in results["violations"]
        if v["impact"] in SERIOUS
    ]


def _width_problems(page) -> list[str]:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= PHONE_WIDTH:
        return []
    return [f"{width} px wide at {PHONE_WIDTH} px: {page.evaluate(WIDEST_JS, PHONE_WIDTH)}"]


def _small_targets(page) -> list[str]:
    return [f"shorter than {MIN_TARGET} px: {target}" for target in page.evaluate(TARGETS_JS, MIN_TARGET)]


def _record(page, failures, role, name, problems) -> None:
    if not problems:
        return
    FAILURES.mkdir(parents=True, exist_ok=True)
    slug = "".join(c if c.isalnum() else "-" for c in f"{role}-{name}")
    page.screenshot(path=str(FAILURES / f"{slug}.png"), full_page=True)
    failures.append(f"{role} {name} {page.url}:\n  " + "\n  ".join(problems))


def _walk(browser, base, world, role, context_options, checks, *, then=None) -> list[str]:
    page = log_in(browser, base, world.users[role], **context_options)
    failures = []
    try:
        for name, path in _html_pages(page, base, _candidate_paths(world, role)):
            page.set_viewport_size(context_options["viewport"])  # a failed width check leaves it narrow
            page.goto(base + path)
            _record(page, failures, role.label, name, [problem for check in checks for problem in check(page)])
        if then is not None:
            _record(page, failures, role.label, then.__name__, then(page, base, checks))
    finally:
        page.context.close()
    return failures


def _a_message_after_an_action(page, base, checks) -> list[str]:
    """The messages an action leaves on the next page are checked too (they are in no GET)."""
    page.goto(base + reverse("phone_page"))
    page.locator(f"form[action='{reverse('mailbox_read')}'] button").click()
    page.locator("ul.messages li").first.wait_for()
    return [problem for check in checks for problem in check(page)]


def _at_phone_width(page) -> list[str]:
    """The desktop page narrowed to a phone's width: it must reflow, not widen. (The walk
    sets the width back before the next page; a failure is photographed narrow.)"""
    page.set_viewport_size(PHONE["viewport"])
    return _width_problems(page)


def test_the_login_pages_are_accessible_and_fit_a_phone(live_server, browser, demo_world):
    page = browser.new_context(locale="sv-SE", **PHONE).new_page()
    failures = []
    page.goto(live_server.url + "/accounts/login/")
    _record(page, failures, "anonymous", "login", _serious_violations(page) + _width_problems(page))
    page.locator("#id_username").fill(demo_world.users[Role.SUPPORT_PERSON].email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/accounts/verify/**")
    checks = _serious_violations(page) + _width_problems(page) + _small_targets(page)
    _record(page, failures, "password step", "verify", checks)
    page.context.close()
    assert failures == [], "\n".join(failures)


def test_every_support_person_page_fits_a_phone_and_is_accessible(live_server, browser, demo_world):
    checks = (_serious_violations, _width_problems, _small_targets)
    failures = _walk(
        browser, live_server.url, demo_world, Role.SUPPORT_PERSON, PHONE, checks, then=_a_message_after_an_action
    )
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.BOARD_MEMBER, Role.AUDITOR])
def test_every_page_is_accessible_and_stays_readable_on_a_phone(live_server, browser, demo_world, role):
    failures = _walk(browser, live_server.url, demo_world, role, DESKTOP, (_serious_violations, _at_phone_width))
    assert failures == [], "\n".join(failures)
