"""Each role's daily path in a real browser, on a desktop and on a phone, on the
demo jour (so that loads, capacities and the yearly cycle are the real ones):

- the coordinator takes a call, finds the caller's case by the phone number as
  the caller says it, writes a journal entry and assigns the case with each
  support person's load in view;
- the support person logs a contact attempt and books a meeting on the case;
- the board member reads the minimum-requirement checklist;
- the auditor signs the year's assurance.

At phone size every page on the way must fit the screen. A failing step leaves
a screenshot in var/e2e-failures/."""

import re
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from calendars.models import Appointment
from cases import services
from cases.models import Assignment, ContactAttempt
from compliance.models import Assessment, AssessmentState
from home.demo import accounts as demo
from jour.models import User
from tests.cases.factories import make_case
from tests.compliance.cycle import fresh_code, ready_year
from tests.e2e.helpers import follow_menu
from tests.personas import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
FAILURES = Path("var/e2e-failures")
CALLER_PHONE = "+46 70-555 12 34"


@pytest.fixture
def demo_jour(settings):
    settings.JOUR_ENV = "development"
    call_command("seed_demo", verbosity=0)
    # The seed signed last year with the auditors' codes of this half-minute, and a code is
    # accepted once: forget that use, so each login takes the current code.
    TOTPDevice.objects.update(last_t=-1)


@contextmanager
def journey(browser, base, email, size):
    """A logged-in page for a demo account; a screenshot if the journey fails."""
    page = browser.new_context(locale="sv-SE", **SIZES[size]).new_page()
    try:
        page.goto(base + "/accounts/login/")
        page.locator("#id_username").fill(email)
        page.locator("#id_password").fill(demo.DEMO_PASSWORD)
        page.locator("#id_password").press("Enter")
        page.wait_for_url("**/accounts/verify/**")
        # The current code, so that signing can take the next one (fresh_code).
        page.locator("#id_code").fill(totp_code(User.objects.get(email=email)))
        page.locator("#id_code").press("Enter")
        page.wait_for_url(base + "/")
        yield page
        page.screenshot(path=f"var/e2e-daily-path-{email.split('@')[0]}-{size}.png", full_page=True)
    except BaseException:
        FAILURES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(FAILURES / f"daily-path-{email.split('@')[0]}-{size}.png"), full_page=True)
        raise
    finally:
        page.context.close()


def fits(page, size):
    """At phone size nothing on the page scrolls sideways."""
    if size == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{page.url} is {width} px wide on a phone"


@pytest.mark.parametrize("size", list(SIZES))
def test_the_coordinator_takes_a_call_finds_the_case_writes_and_assigns(live_server, browser, demo_jour, size):
    coordinator = User.objects.get(email="samordnare@demo.example")
    case = make_case(
        coordinator,
        received_at=timezone.now() - timedelta(hours=3),
        first_name="Majvor",
        last_name="Öberg",
        phone=CALLER_PHONE,
    )
    with journey(browser, live_server.url, "samordnare@demo.example", size) as page:
        follow_menu(page, "/cases/")
        fits(page, size)
        page.locator("#id_q").fill("0705551234")  # as the caller reads it out, without spaces
        page.locator("#id_q").press("Enter")
        page.get_by_role("link", name=case.number).click()
        page.wait_for_url(f"**/cases/{case.pk}/")
        fits(page, size)

        page.locator("#journal_text").fill("Ringde själv, vill ha stöd inför förhöret.")
        page.locator("form.journal-write button[type=submit]").click()
        page.locator("#journal .entry-text", has_text="vill ha stöd inför förhöret").wait_for()

        # Each choice carries the person's load, "Alex Berg — 2 av 2 ärenden".
        choice = page.locator("#id_person option", has_text="Alex Berg")
        assert re.search(r"\d+ av \d+ ärend", choice.inner_text()), choice.inner_text()
        page.locator("#id_person").select_option(label=choice.inner_text())
        page.get_by_role("button", name="Tilldela").click()
        confirm = page.locator("input[type='checkbox'][name$='confirm_over_capacity']")
        confirm.wait_for()  # the demo's Alex is full: the page asks before going over
        fits(page, size)
        confirm.check()
        page.get_by_role("button", name="Tilldela").click()
        page.wait_for_load_state()
        assignment = Assignment.objects.get(case=case, person__email="stodperson@demo.example")
        assert "kapacitet" in assignment.note.lower() or "capacity" in assignment.note.lower()
        assert case.journal.filter(author=coordinator, text__contains="inför förhöret").count() == 1


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_support_person_logs_an_attempt_and_books_a_meeting(live_server, browser, demo_jour, size):
    coordinator = User.objects.get(email="samordnare@demo.example")
    volunteer = User.objects.get(email="stodperson@demo.example")
    case = make_case(coordinator, received_at=timezone.now() - timedelta(hours=2), first_name="Majvor")
    services.assign(case=case, person=volunteer, kind="support", by=coordinator, confirm_over_capacity=True)
    meeting_day = timezone.localdate() + timedelta(days=7)

    with journey(browser, live_server.url, "stodperson@demo.example", size) as page:
        follow_menu(page, "/cases/")
        fits(page, size)
        page.get_by_role("link", name=case.number).click()
        page.wait_for_url(f"**/cases/{case.pk}/")
        fits(page, size)
        page.locator("#attempt_outcome").select_option("no_answer")
        page.get_by_role("button", name="Registrera försök").click()
        page.get_by_text("Första kontaktförsöket gjordes inom tidsgränsen.").wait_for()
        assert ContactAttempt.objects.filter(case=case, made_by=volunteer).count() == 1

        page.locator(f"a[href='/calendar/new/?case={case.pk}']").click()
        page.wait_for_url("**/calendar/new/**")
        fits(page, size)
        page.locator("#id_kind").select_option("meeting")
        page.locator("#id_day").fill(meeting_day.isoformat())
        page.locator("#id_starts").fill("10:00")
        page.locator("#id_ends").fill("11:00")
        page.locator("#id_place").fill("Jourens samtalsrum")
        # No list of participants for a support person: a meeting they plan is their own.
        assert page.locator("input[name='participants']").count() == 0
        page.locator("form.case-form button[type='submit']").click()
        page.wait_for_url(re.compile(r".*/calendar/appointments/\d+/$"))
        fits(page, size)
        meeting = Appointment.objects.get(case=case)
        assert meeting.starts_at.date() == meeting_day and volunteer in meeting.participants.all()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_board_member_reads_the_checklist(live_server, browser, demo_jour, size):
    year = Assessment.objects.order_by("-year").values_list("year", flat=True).first()
    with journey(browser, live_server.url, "styrelse@demo.example", size) as page:
        follow_menu(page, "/compliance/years/")
        fits(page, size)
        page.locator(f"a[href='/compliance/years/{year}/']").first.click()
        page.wait_for_url(f"**/compliance/years/{year}/")
        fits(page, size)
        requirements = page.locator("[id^='req-']")
        assert requirements.count() >= 30  # the federation's checklist, every requirement listed
        requirements.first.locator("a").first.click()
        page.wait_for_load_state()
        fits(page, size)
        assert page.locator("h1").inner_text().strip()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_auditor_signs_the_assurance(live_server, browser, demo_jour, size):
    coordinator = User.objects.get(email="samordnare@demo.example")
    year = timezone.localdate().year + 1  # a year of its own: the demo has signed last year's
    assessment = ready_year(year, coordinator)
    with journey(browser, live_server.url, "revisor@demo.example", size) as page:
        page.goto(f"{live_server.url}/compliance/years/{year}/")
        fits(page, size)
        auditor = User.objects.get(email="revisor@demo.example")
        page.locator("input[name='code']").fill(fresh_code(auditor)[0])
        page.locator("input[type='checkbox'][name='confirm']").check()
        page.locator("form:has(input[name='code']) button[type='submit']").click()
        page.wait_for_load_state()
        fits(page, size)
        assert assessment.signatures.filter(auditor=auditor).count() == 1
        assert Assessment.objects.get(pk=assessment.pk).state == AssessmentState.SIGNING  # one of two
