"""In a real browser: on a trafficking case the coordinator records a risk check
that finds immediate danger, confirms urgency, records a referral (refused
first without consent) and sees the routine; the support person ticks a step.
The UI runs in Swedish, so the test finds things by ids, names and URLs."""

import pytest
from django.core.management import call_command

from cases.models import Case, Priority
from partners.models import Partner, Referral, StepCheck
from tests.cases.factories import assign, make_case
from tests.e2e.helpers import log_in
from tests.personas import build_personas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_risk_referral_and_routine_on_a_case(live_server, browser):
    people = build_personas()
    call_command("add_trafficking_routine", by=people.coordinator.email)
    case = make_case(people.coordinator, crime_type="trafficking")
    assign(case, people.alex, by=people.coordinator)
    shelter = Partner.objects.create(name="Kvinnojouren Exempelstad", kind="shelter")
    url = f"{live_server.url}/cases/{case.pk}/"
    due_before = case.first_contact_due

    page = log_in(browser, live_server.url, people.coordinator)
    page.goto(url)
    risk = page.locator(f"form[action='/cases/{case.pk}/risk/']")
    for name in ("immediate_danger", "threats_known_person", "children_at_risk", "protected_identity_needed"):
        risk.locator(f"input[name='{name}'][value='{'yes' if name == 'immediate_danger' else 'no'}']").check()
    risk.locator("button[type='submit']").click()
    page.wait_for_url(url)
    assert "112" in page.locator("#risk").inner_text()
    case.refresh_from_db()
    assert case.priority == Priority.NORMAL and case.first_contact_due == due_before  # suggested, not changed
    page.locator("form[action*='/urgent/'] button").click()
    page.wait_for_url(url)
    case.refresh_from_db()
    assert case.priority == Priority.URGENT and case.first_contact_due < due_before

    referral = page.locator(f"form[action='/cases/{case.pk}/referrals/']")
    page.locator("#referrals summary").click()
    referral.locator("select[name='direction']").select_option("out")
    referral.locator("select[name='partner']").select_option(str(shelter.pk))
    referral.locator("select[name='reason']").select_option("shelter")
    referral.locator("button[type='submit']").click()
    assert not Referral.objects.exists()  # no consent: refused
    referral = page.locator(f"form[action='/cases/{case.pk}/referrals/']")
    referral.locator("input[name='consent']").check()
    referral.locator("select[name='consent_way']").select_option("oral")
    referral.locator("button[type='submit']").click()
    page.wait_for_url(url)
    assert Referral.objects.filter(case=case, partner=shelter, consent=True).exists()
    assert "Kvinnojouren Exempelstad" in page.locator("#referrals").inner_text()
    assert page.locator("#routine li").count() == 6

    volunteer = log_in(browser, live_server.url, people.alex)
    volunteer.goto(url)
    volunteer.locator("#routine li").first.locator("button[type='submit']").click()
    volunteer.wait_for_url("**#routine")
    assert StepCheck.objects.filter(case_routine__case=case, done_by=people.alex).count() == 1
    assert "✓" in volunteer.locator("#routine li").first.inner_text()
    assert Case.objects.get(pk=case.pk).routine.version.number == 1
