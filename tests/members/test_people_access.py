"""Only coordinators reach the people register. Every other role gets 403 on
every page with real rows behind it, and its POSTs change nothing. The pages
keep to the CSP and carry the security headers, error states included."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jour.models import Role
from members.models import Membership, Person
from tests.jour.test_csrf import snapshot
from tests.jour.test_security_headers import problems_of
from tests.personas import login_verified

from .dbsearch import find_in_database

NAME, EMAIL, PHONE = "Hjördis Hemligsdotter", "hjordis@hemlig.example", "070-808 08 08"


@pytest.fixture
def hjordis(people):
    person = Person.objects.create(name=NAME, email=EMAIL, phone=PHONE)
    membership = Membership.objects.create(person=person, kind="member", start=timezone.localdate() - timedelta(days=9))
    return person, membership


def urls(person, membership) -> dict[str, str]:
    """Each people view, with URL arguments of real rows."""
    return {
        "people_list": reverse("people_list"),
        "people_export": reverse("people_export"),
        "person_create": reverse("person_create"),
        "person_detail": reverse("person_detail", args=[person.pk]),
        "person_edit": reverse("person_edit", args=[person.pk]),
        "engagement_create": reverse("engagement_create", args=[person.pk]),
        "engagement_end": reverse("engagement_end", args=[person.pk, "membership", membership.pk]),
        "person_erase": reverse("person_erase", args=[person.pk]),
    }


def bodies(membership) -> dict:
    """What would succeed if it got through: every field of every people form."""
    today = timezone.localdate().isoformat()
    return {
        "q": NAME,
        "name": "Changed Name",
        "email": "changed@example.se",
        "what": "employment",
        "title": "Boss",
        "start": today,
        f"end-membership-{membership.pk}-end": today,
        "confirm": "ERASE",
    }


@pytest.mark.parametrize("role", [Role.SUPPORT_PERSON, Role.BOARD_MEMBER, Role.AUDITOR])
def test_other_roles_get_403_everywhere_and_change_nothing(client, people, hjordis, role):
    person, membership = hjordis
    login_verified(client, people.by_role()[role])
    for name, url in urls(person, membership).items():
        before = snapshot(sessions=False)
        get = client.get(url)
        post = client.post(url, bodies(membership))
        assert (get.status_code, post.status_code) == (403, 403), name
        for response in (get, post):
            html = response.content.decode()
            assert NAME not in html and EMAIL not in html and PHONE not in html, name
        assert snapshot(sessions=False) == before, name


def test_anonymous_is_sent_to_login_without_the_term_in_the_url(client, hjordis):
    person, membership = hjordis
    for name, url in urls(person, membership).items():
        response = client.post(url, bodies(membership))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name
        assert "hemlig" not in response["Location"].lower()
    assert Person.objects.filter(name=NAME).exists()


def test_the_coordinator_reaches_every_page(client, people, hjordis):
    person, membership = hjordis
    login_verified(client, people.coordinator)
    for name, url in urls(person, membership).items():
        if name == "engagement_end":
            continue  # POST only
        assert client.get(url).status_code == 200, name
    assert client.get(urls(person, membership)["engagement_end"]).status_code == 405


def pages(client, person, membership):
    """Every page of the register in every state: empty, filled, refused, htmx."""
    all_urls = urls(person, membership)
    yield "GET list", client.get(all_urls["people_list"], {"kind": "members"})
    yield "POST search", client.post(all_urls["people_list"], {"q": "Hjördis", "kind": "all"})
    yield "POST search (htmx)", client.post(all_urls["people_list"], {"q": "x" * 200}, HTTP_HX_REQUEST="true")
    yield "GET export", client.get(all_urls["people_export"])
    for name in ("person_create", "person_detail", "person_edit", "engagement_create", "person_erase"):
        yield f"GET {name}", client.get(all_urls[name])
    yield "POST create (refused)", client.post(all_urls["person_create"], {"name": "", "postcode": "x"})
    yield "POST edit (refused)", client.post(all_urls["person_edit"], {"name": NAME, "phone": "no"})
    yield "POST engagement (refused)", client.post(all_urls["engagement_create"], {"what": "employment"})
    yield "POST end (refused)", client.post(all_urls["engagement_end"], {f"end-membership-{membership.pk}-end": "x"})
    yield "POST erase (refused)", client.post(all_urls["person_erase"], {"confirm": "no"})


def test_every_page_keeps_to_the_csp_and_has_the_headers(people, hjordis):
    person, membership = hjordis
    client = Client()
    login_verified(client, people.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    found = []
    for label, response in pages(client, person, membership):
        assert response.status_code in (200, 400), label
        found += problems_of(response, label)
    assert found == []


def test_the_pages_leave_nothing_in_the_database_but_audit_entries(people, hjordis):
    """A search term or a refused form is not stored anywhere (sessions included)."""
    person, membership = hjordis
    client = Client()
    login_verified(client, people.coordinator)
    client.post(reverse("people_list"), {"q": "Zebulon Söksträng", "kind": "all"})
    client.post(reverse("people_export"), {"q": "Zebulon Söksträng", "kind": "all"})
    client.post(reverse("person_create"), {"name": "Refused Ragnhild", "postcode": "x"})
    assert find_in_database(["Zebulon", "Söksträng", "Ragnhild"]) == []
