"""What the browser tests share."""

from tests.personas import PASSWORD, totp_code


def log_in(browser, base_url: str, user, **context_options):
    """A new page in a Swedish browser context, logged in with password and TOTP.
    The fields are found by id, so the test does not depend on translated labels."""
    page = browser.new_context(locale="sv-SE", **context_options).new_page()
    page.goto(base_url + "/accounts/login/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/accounts/verify/**")
    page.locator("#id_code").fill(totp_code(user))
    page.locator("#id_code").press("Enter")
    page.wait_for_url(base_url + "/")
    return page


def follow_menu(page, href: str) -> None:
    """Click the main menu's link to `href`, opening the group it is in first, as a person would."""
    group = page.locator(f"header nav details:has(a[href='{href}'])")
    if group.count() and group.get_attribute("open") is None:
        group.locator("summary").click()
    page.locator(f"header nav a[href='{href}']").click()
