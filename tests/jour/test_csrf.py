"""Figure 7: every POST (and PUT, PATCH, DELETE) without a CSRF token is refused
and changes nothing; no GET changes the database.

Django's test client skips CSRF checks unless asked: these tests use
Client(enforce_csrf_checks=True). Each request is sent by someone who can
really reach the view, with a body that would change something if it got through.
"""

import logging
from urllib.parse import urlencode

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from jour.access import PASSWORD_STEP, PUBLIC
from jour.models import Role, User
from tests.personas import PASSWORD, login_password_only, login_verified, make_user, totp_code, totp_device
from tests.urlwalk import iter_patterns, path_of, real_url_kwargs, site_views

VIEWS = [(name, route, access) for name, route, _cb, access in site_views()]
ADMIN_VIEWS = [(pattern.name, pattern) for _r, pattern, ns in iter_patterns() if ns == "admin" and pattern.name]
UNSAFE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]


@pytest.fixture
def world(people):
    """URL arguments that point at real rows (an open invitation, a case)."""
    people.kwargs = real_url_kwargs(people)
    return people


def admin_path_of(world, name, pattern):
    values = {
        "object_id": world.alex.pk,
        "id": world.alex.pk,
        "pk": totp_device(world.alex).pk,
        "app_label": "jour",
        "content_type_id": ContentType.objects.get_for_model(User).pk,
    }
    return reverse(f"admin:{name}", kwargs={key: values[key] for key in pattern.pattern.regex.groupindex})


def form_body(world):
    """Every field any of our forms reads, filled so that the form would succeed."""
    return {
        "username": world.coordinator.email,
        "password": PASSWORD,
        "code": totp_code(world.coordinator),
        "name": "Invited Person",
        "email": "invited@jour.test",
        "role": Role.SUPPORT_PERSON,
        "password1": "a long new password 7",
        "password2": "a long new password 7",
        "language": "en",
        "next": "/",
        "post": "yes",  # the admin's delete confirmation
    }


def snapshot(*, sessions=True, access_entries=True):
    """Every row of every table, axes' and auditlog's included. Of a session
    only its key counts: a request may renew its expiry (SessionLifetimeMiddleware). A GET may add
    audit entries of read access (action ACCESS): pass access_entries=False."""
    state = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        rows = model._base_manager.order_by("pk")
        if model is Session:
            if not sessions:
                continue
            rows = rows.values_list("pk", flat=True)
        elif model is LogEntry and not access_entries:
            rows = rows.exclude(action=LogEntry.Action.ACCESS).values_list()
        else:
            rows = rows.values_list()
        state[model._meta.label] = list(rows)
    return state


def csrf_client(world, who):
    """A browser of `who` that holds a CSRF cookie, as a victim's browser would."""
    client = Client(enforce_csrf_checks=True)
    if who == "anonymous":
        # Someone halfway through accepting an invitation: invitation_password would act.
        client.get(path_of("invitation", "", world.kwargs))
        page = "login"
    elif who == "password-only":
        login_password_only(client, world.coordinator)
        page = "verify"
    else:
        login_verified(client, world.coordinator)
        page = "start"
    assert client.get(reverse(page)).status_code == 200
    assert settings.CSRF_COOKIE_NAME in client.cookies
    return client


def assert_refused_without_token(client, path, body, caplog):
    for method in UNSAFE_METHODS:
        before = snapshot()
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
            response = client.generic(method, path, urlencode(body), content_type="application/x-www-form-urlencoded")
        assert response.status_code == 403, (method, path, response.status_code)
        # The refusal is CSRF's own, not a role check that happens to say 403.
        assert any(r.name == "django.security.csrf" for r in caplog.records), (method, path)
        assert snapshot() == before, (method, path)


def who_reaches(access):
    return {PUBLIC: "anonymous", PASSWORD_STEP: "password-only"}.get(access, "verified")


# Each view as the least privileged user who reaches it, and as a verified coordinator.
CSRF_CASES = sorted({(name, route, who) for name, route, access in VIEWS for who in (who_reaches(access), "verified")})


@pytest.mark.parametrize(("name", "route", "who"), CSRF_CASES, ids=[f"{name}-{who}" for name, _r, who in CSRF_CASES])
def test_unsafe_request_without_token_is_refused(world, caplog, name, route, who):
    client = csrf_client(world, who)
    assert_refused_without_token(client, path_of(name, route, world.kwargs), form_body(world), caplog)


@pytest.mark.parametrize(("name", "pattern"), ADMIN_VIEWS, ids=[name for name, _ in ADMIN_VIEWS])
def test_admin_post_without_token_is_refused(world, caplog, name, pattern):
    world.coordinator.is_staff = world.coordinator.is_superuser = True
    world.coordinator.save()
    client = csrf_client(world, "verified")
    assert_refused_without_token(client, admin_path_of(world, name, pattern), form_body(world), caplog)


def test_the_same_request_with_the_token_goes_through(world):
    """Without this, a 403 for some other reason would pass the tests above."""
    client = csrf_client(world, "verified")
    body = {**form_body(world), "csrfmiddlewaretoken": client.cookies[settings.CSRF_COOKIE_NAME].value}
    before = snapshot()
    response = client.post(path_of("account_action", "", world.kwargs), body)
    assert response.status_code == 302
    assert snapshot() != before
    world.alex.refresh_from_db()
    assert not world.alex.is_active


# --- No GET changes the database -------------------------------------------

PERSONAS = ["anonymous", "password-only", "enrolling", *[role.value for role in Role]]


def log_in(client, world, persona):
    if persona == "password-only":
        login_password_only(client, world.coordinator)
    elif persona == "enrolling":
        user = make_user("enrolling@jour.test", "Eli Enrolling", Role.SUPPORT_PERSON, with_totp=False)
        login_password_only(client, user)
    elif persona != "anonymous":
        login_verified(client, world.by_role()[Role(persona)])


def get_walk_cases():
    for persona in PERSONAS:
        for name, route, _access in VIEWS:
            yield pytest.param(persona, name, route, id=f"{persona}-{name}")


@pytest.mark.parametrize(("persona", "name", "route"), list(get_walk_cases()))
def test_get_changes_nothing(client, world, persona, name, route):
    log_in(client, world, persona)
    # Opening an invitation link keeps it in the session, starting one if need
    # be: sessions change there by design, and only there.
    sessions = name != "invitation"
    before = snapshot(sessions=sessions, access_entries=False)
    response = client.get(path_of(name, route, world.kwargs))
    assert response.status_code < 500
    assert snapshot(sessions=sessions, access_entries=False) == before, (persona, name, response.status_code)


@pytest.mark.parametrize(("name", "pattern"), ADMIN_VIEWS, ids=[name for name, _ in ADMIN_VIEWS])
def test_admin_get_changes_nothing(client, world, name, pattern):
    world.coordinator.is_staff = world.coordinator.is_superuser = True
    world.coordinator.save()
    login_verified(client, world.coordinator)
    before = snapshot(access_entries=False)
    response = client.get(admin_path_of(world, name, pattern))
    assert response.status_code < 500
    assert snapshot(access_entries=False) == before, name
