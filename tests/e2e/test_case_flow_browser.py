"""In a real browser: register a case, assign it, log the first attempt (htmx)."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, Status
from home.demo import accounts as demo
from jour.models import User
from tests.e2e.helpers import follow_menu

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page, base_url, email):
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url("**/accounts/verify/**")
    page.get_by_label("Kod").fill(demo.current_code(User.objects.get(email=email)))
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(base_url + "/")


def test_coordinator_registers_and_assigns_support_person_logs_first_attempt(live_server, browser, settings):
    settings.JOUR_ENV = "development"
    call_command("seed_demo", verbosity=0)
    received = timezone.localtime() - timezone.timedelta(hours=2)

    coordinator = browser.new_context(locale="sv-SE").new_page()
    _log_in(coordinator, live_server.url, "samordnare@demo.example")
    follow_menu(coordinator, "/cases/new/")
    coordinator.get_by_label("Inkom").fill(received.strftime("%Y-%m-%dT%H:%M"))
    coordinator.get_by_label("Kanal").select_option("phone")
    coordinator.get_by_label("Brottstyp").select_option("unlawful_threats")
    coordinator.get_by_label("Förnamn").fill("Testa")
    coordinator.get_by_label("Telefon").fill("070-000 00 00")
    coordinator.get_by_role("button", name="Registrera ärende").click()
    coordinator.wait_for_url(re.compile(r".*/cases/\d+/$"))
    case = Case.objects.get(first_name="Testa")
    assert case.number in coordinator.content()

    # Each support person is offered with their load ("Alex Berg — 2 av 2 ärenden").
    alex = User.objects.get(email="stodperson@demo.example")
    person = coordinator.locator("select[name$='person']")
    assert person.locator(f"option[value='{alex.pk}']").inner_text().startswith("Alex Berg — ")
    person.select_option(str(alex.pk))
    coordinator.get_by_role("button", name="Tilldela").click()
    coordinator.wait_for_load_state()
    confirm = coordinator.locator("input[type='checkbox'][name$='confirm_over_capacity']")
    if confirm.count():  # the demo's Alex is at capacity: confirm, and the handover note says so
        confirm.check()
        coordinator.get_by_role("button", name="Tilldela").click()
        coordinator.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FIRST_CONTACT

    volunteer = browser.new_context(locale="sv-SE").new_page()
    _log_in(volunteer, live_server.url, "stodperson@demo.example")
    volunteer.get_by_role("link", name=case.number).first.click()
    volunteer.get_by_label("Resultat").select_option("no_answer")
    volunteer.get_by_role("button", name="Registrera försök").click()
    volunteer.get_by_text("Första kontaktförsöket gjordes inom tidsgränsen.").wait_for()
    # The status at the top follows the htmx update without a reload.
    assert volunteer.locator("#case-status").inner_text() == "Aktivt"
    case.refresh_from_db()
    assert case.status == Status.ACTIVE and case.first_contact_at is not None
    volunteer.screenshot(path="var/e2e-case-page.png", full_page=True)
