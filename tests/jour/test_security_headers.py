"""Figure 10, part 2: security headers on every HTML response, and pages that
keep to the CSP: scripts only from our own files, no inline script, no inline
style, htmx without eval and without its injected indicator styles."""

import json
from html.parser import HTMLParser

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from jour.models import Role, User
from tests.personas import login_password_only, login_verified, make_user, totp_device
from tests.urlwalk import iter_patterns, path_of, real_url_kwargs, site_views

VIEWS = [(name, route) for name, route, _cb, _access in site_views()]
ADMIN_VIEWS = [(pattern.name, pattern) for _r, pattern, ns in iter_patterns() if ns == "admin" and pattern.name]
PERSONAS = ["anonymous", "password-only", "enrolling", *[role.value for role in Role]]

HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
# Issue 16, item 8: the site uses none of these; a script that got in could not either.
DENIED_FEATURES = [
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "serial",
    "hid",
    "bluetooth",
    "display-capture",
    "clipboard-read",
    "browsing-topics",
    "publickey-credentials-get",
]


class PageChecker(HTMLParser):
    """Collects whatever a strict CSP would block, and the htmx config."""

    def __init__(self):
        super().__init__()
        self.problems, self.htmx_config, self.loads_htmx, self._in_script = [], None, False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._in_script = True
            self.loads_htmx |= "htmx" in (attrs.get("src") or "")
            if not attrs.get("src"):
                self.problems.append("<script> without src")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs.items():
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name.startswith(("on", "hx-on")):
                self.problems.append(f"inline handler {name}= on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")
        if tag == "meta" and attrs.get("name") == "htmx-config":
            self.htmx_config = json.loads(attrs["content"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append("inline script content")


def permissions_policy_problems(response, label):
    """Every browser feature the site does not use is denied to every origin, itself included."""
    header = response.get("Permissions-Policy")
    if not header:
        return [f"{label}: no Permissions-Policy"]
    policy = dict(part.strip().split("=", 1) for part in header.split(","))
    return [f"{label}: Permissions-Policy allows {f}" for f in DENIED_FEATURES if policy.get(f) != "()"]


def problems_of(response, label):
    found = permissions_policy_problems(response, label)
    for header, value in HEADERS.items():
        if response.get(header) != value:
            found.append(f"{label}: {header} is {response.get(header)!r}")
    csp = response.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    if directives.get("script-src") != ["'self'"] or "'unsafe-" in csp:
        found.append(f"{label}: Content-Security-Policy is {csp!r}")
    if not response.get("Content-Type", "").startswith("text/html"):
        return found
    checker = PageChecker()
    checker.feed(response.content.decode())
    found += [f"{label}: {problem}" for problem in checker.problems]
    if checker.loads_htmx:  # our pages; the admin does not use htmx
        config = checker.htmx_config or {}
        if config.get("includeIndicatorStyles") is not False or config.get("allowEval") is not False:
            found.append(f"{label}: htmx-config is {checker.htmx_config!r}")
    return found


def get_and_check(client, path, **extra):
    """The response, and the page a redirect leads to (the forms live there)."""
    response = client.get(path, **extra)
    found = problems_of(response, f"GET {path} ({response.status_code})")
    if response.status_code in (301, 302) and response["Location"].startswith("/"):
        target = client.get(response["Location"])
        found += problems_of(target, f"GET {response['Location']} ({target.status_code})")
    return found


@pytest.fixture
def world(people):
    """Something on every page: an open invitation, a case, audit entries, URL arguments of real rows."""
    people.kwargs = real_url_kwargs(people)
    people.alex.name = "Alex Changed"
    people.alex.save()  # an audit entry with changes
    return people


def log_in(client, world, persona):
    if persona == "password-only":
        login_password_only(client, world.coordinator)
    elif persona == "enrolling":
        user = User.objects.filter(email="enrolling@jour.test").first()
        login_password_only(client, user or make_user("enrolling@jour.test", "Eli", Role.AUDITOR, with_totp=False))
    elif persona != "anonymous":
        login_verified(client, world.by_role()[Role(persona)])


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_has_the_headers_and_keeps_to_the_csp(world, persona):
    found = []
    for name, route in VIEWS:
        client = Client()  # a fresh browser per page: one visit must not change the next
        log_in(client, world, persona)
        found += get_and_check(client, path_of(name, route, world.kwargs))
    assert found == []


def test_error_pages_and_htmx_partials_too(world):
    client = Client()
    login_verified(client, world.coordinator)
    found = get_and_check(client, "/no-such-page/")
    found += get_and_check(client, reverse("audit_log"), HTTP_HX_REQUEST="true")
    login_verified(client, world.alex)
    found += get_and_check(client, reverse("account_list"))  # 403
    for _attempt in range(6):  # the lockout page, 429
        locked = Client().post(reverse("login"), {"username": "sam@jour.test", "password": "wrong"})
    assert locked.status_code == 429
    found += problems_of(locked, "POST login (429)")
    assert found == []


def test_the_admin_too(world):
    world.coordinator.is_staff = world.coordinator.is_superuser = True
    world.coordinator.save()
    client = Client()
    login_verified(client, world.coordinator)
    values = {
        "object_id": world.alex.pk,
        "id": world.alex.pk,
        "pk": totp_device(world.alex).pk,
        "app_label": "jour",
        "content_type_id": ContentType.objects.get_for_model(User).pk,
    }
    found = []
    for name, pattern in ADMIN_VIEWS:
        kwargs = {key: values[key] for key in pattern.pattern.regex.groupindex}
        found += get_and_check(client, reverse(f"admin:{name}", kwargs=kwargs))
    assert found == []


def test_the_login_page_is_checked_for_real(client, db):
    """Guard against a checker that passes everything: the login page is a full page."""
    response = client.get(reverse("login"))
    checker = PageChecker()
    checker.feed(response.content.decode())
    assert checker.loads_htmx and checker.htmx_config is not None
    assert 'name="password"' in response.content.decode()
    assert problems_of(response, "login") == []
    bad = Client()
    broken = bad.get(reverse("login"))
    broken.content = b'<p style="color:red" onclick="x()"><script>alert(1)</script><style>p{}</style></p>'
    del broken["X-Frame-Options"]
    assert len(problems_of(broken, "forged")) == 6


def test_the_csrf_failure_page_too(db):
    # Django's own CSRF failure page has an inline <style>: ours replaces it.
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "kim@jour.test"})
    assert response.status_code == 403
    assert problems_of(response, "CSRF failure") == []


def test_the_permissions_policy_is_on_responses_that_are_not_pages_too(db):
    """Static files (answered by WhiteNoise, before most middleware) and the calendar feed."""
    client = Client()
    for path in ("/static/css/jour.css", reverse("calendar_feed", args=["W" * 43]), reverse("healthz")):
        response = client.get(path)
        assert permissions_policy_problems(response, f"GET {path} ({response.status_code})") == []
