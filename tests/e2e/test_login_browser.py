"""In a real browser: the demo coordinator logs in with password + TOTP."""

import pytest
from django.core.management import call_command

from home.demo import accounts as demo
from jour.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_demo_coordinator_logs_in_with_totp(live_server, page, settings):
    settings.JOUR_ENV = "development"  # seed_demo refuses production only
    call_command("seed_demo", verbosity=0)
    coordinator = User.objects.get(email="samordnare@demo.example")

    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    page.get_by_label("E-postadress").fill("samordnare@demo.example")
    page.get_by_label("Lösenord").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Fortsätt").click()

    page.wait_for_url("**/accounts/verify/**")
    page.get_by_label("Kod").fill(demo.current_code(coordinator))
    page.get_by_role("button", name="Logga in").click()

    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="Välkommen, Kim").is_visible()
    page.locator("header nav details:has(a[href='/people/accounts/']) summary").click()
    assert page.get_by_role("link", name="Konton").first.is_visible()
    page.screenshot(path="var/e2e-start-page.png", full_page=True)
