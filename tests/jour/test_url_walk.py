"""Figure 1: walk every URL. Anonymous users reach only the login flow; a
password without a verified second factor reaches only the OTP step."""

import pytest
from django.test import Client
from django.urls import reverse

from jour.access import PASSWORD_STEP, PUBLIC
from jour.models import Role
from tests.personas import login_password_only, login_verified
from tests.urlwalk import admin_routes, duplicate_ids, empty_radios, path_of, real_url_kwargs, sample_path, site_views

# The complete list of views that work without a verified second factor.
# calendar_feed: calendar apps cannot log in; its long random token is the key (tests/calendars).
PUBLIC_VIEWS = {"healthz", "set_language", "login", "invitation", "invitation_password", "calendar_feed"}
PASSWORD_STEP_VIEWS = {"verify", "enrol", "logout"}

VIEWS = list(site_views())


def test_every_view_declares_its_access():
    undeclared = [name for name, _route, _cb, access in VIEWS if access is None]
    assert undeclared == [], f"views without an access declaration: {undeclared}"


def test_the_allowlists_are_exactly_what_the_views_declare():
    assert {name for name, *_rest, access in VIEWS if access == PUBLIC} == PUBLIC_VIEWS
    assert {name for name, *_rest, access in VIEWS if access == PASSWORD_STEP} == PASSWORD_STEP_VIEWS


@pytest.mark.parametrize(("name", "route"), [(v[0], v[1]) for v in VIEWS if v[0] not in PUBLIC_VIEWS])
def test_anonymous_is_sent_to_login(client, db, name, route):
    for method in (client.get, client.post):
        response = method(sample_path(route))
        assert response.status_code == 302, (name, response.status_code)
        assert response["Location"].startswith(reverse("login")), name


@pytest.mark.parametrize(
    ("name", "route"),
    [(v[0], v[1]) for v in VIEWS if v[0] not in PUBLIC_VIEWS | PASSWORD_STEP_VIEWS],
)
def test_password_only_is_sent_to_the_otp_step(client, people, name, route):
    login_password_only(client, people.coordinator)
    for method in (client.get, client.post):
        response = method(sample_path(route))
        assert response.status_code == 302, (name, response.status_code)
        assert response["Location"].startswith(reverse("verify")), name


@pytest.mark.parametrize("route", admin_routes())
def test_admin_needs_the_second_factor_too(client, people, route):
    people.coordinator.is_staff = people.coordinator.is_superuser = True
    people.coordinator.save()
    login_password_only(client, people.coordinator)
    response = client.get(sample_path(route))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("verify"))


def test_anonymous_admin_is_sent_to_our_login(client, db):
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def world(people):
    people.kwargs = real_url_kwargs(people)
    return people


@pytest.mark.parametrize("role", list(Role))
def test_no_page_repeats_an_element_id_or_offers_an_empty_radio(world, role):
    """Every page each role can open, and the page a redirect leads to."""
    found = []
    for name, route, _callback, _access in VIEWS:
        client = Client()
        login_verified(client, world.by_role()[role])
        response = client.get(path_of(name, route, world.kwargs))
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            response = client.get(response["Location"])
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        if repeated := duplicate_ids(html):
            found.append((name, response.status_code, "repeated ids", repeated))
        if radios := empty_radios(html):
            found.append((name, response.status_code, "empty radios", radios))
    assert found == []


def test_the_checkers_find_what_they_look_for():
    assert duplicate_ids('<label for="a"></label><input id="a"><p id="b"></p><input id="a" />') == ["a"]
    assert duplicate_ids('<input id="a"><input id="b">') == []
    assert empty_radios('<input type="radio" name="x" value="" checked><input type=radio name=x value=y>') == ["x"]
    assert empty_radios('<input type="radio" name="x" value="y"><input type="checkbox" value="">') == []
