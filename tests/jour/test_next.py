"""Issue 16, item 7: a `next` value is followed only when it is a path on this site.

Anything else (a view name, another site, a scheme, a backslash trick, junk)
falls back to the start page: never a redirect elsewhere, never a server error.
The test client re-raises a view's exception, so a crash fails loudly.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django_otp.oath import TOTP

from jour.models import Role
from jour.otp import PENDING_KEY_SESSION_KEY
from tests.personas import PASSWORD, login_password_only, login_verified, make_user, totp_code

SAFE = ["/cases/", "/ärenden/💥?sida=2"]
UNSAFE = [
    "x",
    "start",
    "//evil.example/",
    "https://evil.example/",
    "http://testserver/cases/",
    "/\\evil",
    "\\\\evil.example",
    "javascript:alert(1)",
    "",
    " /cases/",
    "/cases/\r\nSet-Cookie: a=b",
    "/" + "a" * 5000,
    "ärenden",
    "💥",
    "\x00",
]


def _expected(shape):
    return iri_to_uri(shape) if shape in SAFE else reverse("start")


@pytest.mark.parametrize("shape", SAFE + UNSAFE)
def test_the_whole_login_follows_only_a_path(client, people, shape):
    response = client.post(reverse("login"), {"username": "kim@jour.test", "password": PASSWORD, "next": shape})
    assert response.status_code == 302
    verify_url = response["Location"]
    assert verify_url.startswith(reverse("verify"))
    assert ("next=" in verify_url) == (shape in SAFE)

    page = client.get(verify_url)
    assert page.status_code == 200
    shown = page.context["next"]
    assert shown == (shape if shape in SAFE else "")

    response = client.post(verify_url, {"code": totp_code(people.coordinator), "next": shown})
    assert response.status_code == 302
    assert response["Location"] == _expected(shape)
    assert client.session.get("_auth_user_id") == str(people.coordinator.pk)


@pytest.mark.parametrize("shape", SAFE + UNSAFE)
@pytest.mark.parametrize("name", ["login", "verify"])
def test_a_verified_user_on_a_login_page_goes_only_to_a_path(client, people, shape, name):
    login_verified(client, people.coordinator)
    response = client.get(reverse(name), {"next": shape})
    assert response.status_code == 302
    assert response["Location"] == _expected(shape)


@pytest.mark.parametrize("shape", SAFE + UNSAFE)
def test_enrolment_goes_only_to_a_path(client, db, shape):
    user = make_user("eli@jour.test", "Eli Enrolling", Role.AUDITOR, with_totp=False)
    login_password_only(client, user)
    page = client.get(reverse("enrol"), {"next": shape})
    assert page.status_code == 200
    assert page.context["next"] == (shape if shape in SAFE else "")
    response = client.post(reverse("enrol"), {"code": _pending_code(client), "next": shape})
    assert response.status_code == 200
    assert response.context["next"] == (shape if shape in SAFE else reverse("start"))


def _pending_code(client):
    key = bytes.fromhex(client.session[PENDING_KEY_SESSION_KEY])
    return f"{TOTP(key).token():06d}"


@pytest.mark.parametrize("shape", SAFE + UNSAFE)
def test_an_enrolled_user_sent_to_enrolment_keeps_only_a_path(client, people, shape):
    login_password_only(client, people.coordinator)
    response = client.get(reverse("enrol"), {"next": shape})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("verify"))
    assert ("next=" in response["Location"]) == (shape in SAFE)


@pytest.mark.parametrize("shape", SAFE + UNSAFE)
def test_switching_language_goes_only_to_a_path(db, shape):
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": shape})
    assert response.status_code == 302
    assert response["Location"] == _expected(shape)
    assert client.cookies["django_language"].value == "en"
    response = client.get(reverse("set_language"), {"next": shape})
    assert response["Location"] == _expected(shape)


@pytest.mark.parametrize("shape", SAFE + UNSAFE)
def test_logout_ignores_next(client, people, shape):
    login_verified(client, people.coordinator)
    response = client.post(reverse("logout"), {"next": shape})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("shape", UNSAFE)
def test_the_login_page_does_not_carry_a_bad_next(client, db, shape):
    page = client.get(reverse("login"), {"next": shape})
    assert page.status_code == 200
    assert page.context["next"] == ""
