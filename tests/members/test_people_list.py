"""The people list: filters by what people do (GET), a search by name, e-mail or
phone that never travels in a URL (POST), and the same number of queries for
one person as for fifty."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jour.models import Role, User
from members.models import BoardTerm, Employment, Membership, Person, VolunteerAssignment

TODAY = timezone.localdate()
LONG_AGO = TODAY - timedelta(days=400)


@pytest.fixture
def register(db):
    """One person of each kind, with distinctive contact details."""

    def person(name, email, phone):
        return Person.objects.create(name=name, email=email, phone=phone)

    mia = person("Mia Medlemsson", "mia@medlem.example", "070-111 11 11")
    Membership.objects.create(person=mia, kind="member", start=LONG_AGO)
    sune = person("Sune Stödström", "sune@stod.example", "070-222 22 22")
    Membership.objects.create(person=sune, kind="supporting", start=LONG_AGO)
    eva = person("Eva Anställdsdotter", "eva@anstalld.example", "+46 70 333 33 33")
    Employment.objects.create(person=eva, title="Coordinator", start=LONG_AGO)
    vera = person("Vera Volontärsson", "vera@volontar.example", "070-444 44 44")
    VolunteerAssignment.objects.create(person=vera, start=LONG_AGO)
    bo = person("Bo Styrelsesson", "bo@styrelse.example", "070-555 55 55")
    BoardTerm.objects.create(person=bo, role="chair", start=LONG_AGO)
    lars = person("Lars Lämnadsson", "lars@lamnat.example", "070-666 66 66")
    Membership.objects.create(person=lars, kind="member", start=LONG_AGO, end=TODAY - timedelta(days=1))
    frida = person("Frida Framtidsdotter", "frida@framtid.example", "070-777 77 77")
    Membership.objects.create(person=frida, kind="member", start=TODAY + timedelta(days=30))
    nils = person("Nils Nyregistrerad", "nils@ny.example", "")
    return {p.name.split()[0].lower(): p for p in (mia, sune, eva, vera, bo, lars, frida, nils)}


def names(response) -> set[str]:
    return {row.person.name.split()[0].lower() for row in response.context["rows"]}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("all", {"mia", "sune", "eva", "vera", "bo", "lars", "frida", "nils"}),
        ("members", {"mia"}),
        ("supporting", {"sune"}),
        ("employees", {"eva"}),
        ("volunteers", {"vera"}),
        ("board", {"bo"}),
        # Lars's membership ended; Frida's has not started (she has not left) and Nils has none.
        ("left", {"lars"}),
        ("no-such-kind", {"mia", "sune", "eva", "vera", "bo", "lars", "frida", "nils"}),
    ],
)
def test_the_kind_filters(coordinator, register, kind, expected):
    response = coordinator.get(reverse("people_list"), {"kind": kind})
    assert response.status_code == 200
    assert names(response) == expected


def test_the_list_shows_contact_details_engagements_and_the_account(coordinator, register, people):
    register["vera"].account = people.alex
    register["vera"].save()
    html = coordinator.get(reverse("people_list")).content.decode()
    for person in register.values():
        assert person.name in html
        assert person.email in html
        assert person.phone in html
    row = next(row for row in coordinator.get(reverse("people_list")).context["rows"] if row.person.name[0] == "V")
    assert row.now == ["Volunteer: support person"]
    assert reverse("account_detail", args=[people.alex.pk]) in html
    assert "Left on" in html and "Nils" in html


def test_viewing_the_list_is_audited_without_personal_data(coordinator, register, people):
    before = LogEntry.objects.count()
    coordinator.get(reverse("people_list"), {"kind": "members"})
    entry = LogEntry.objects.order_by("-pk").first()
    assert LogEntry.objects.count() == before + 1
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == people.coordinator
    assert entry.changes["list"] == ["", "members"]
    recorded = f"{entry.object_repr} {entry.changes}"
    for person in register.values():
        assert person.name not in recorded and person.email not in recorded


# --- Search -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Mia Medlemsson", {"mia"}),
        ("medlemsson mia", {"mia"}),  # words in any order, any case
        ("STÖDSTRÖM", {"sune"}),
        ("vera@volontar.example", {"vera"}),
        ("@styrelse.", {"bo"}),
        ("070-444 44 44", {"vera"}),  # as stored
        ("0704444444", {"vera"}),  # digits only
        ("+46 70 444 44 44", {"vera"}),  # with the country code
        ("070 333 33 33", {"eva"}),  # stored with the country code, searched without
        ("Ingen Alls", set()),
    ],
)
def test_search_by_name_email_or_phone(coordinator, register, term, expected):
    if not term.isascii() and connection.vendor != "postgresql":
        pytest.skip("SQLite (the fallback without PostgreSQL) folds case for ASCII letters only")
    response = coordinator.post(reverse("people_list"), {"q": term, "kind": "all"})
    assert response.status_code == 200
    assert names(response) == expected


def test_search_within_a_kind(coordinator, register):
    response = coordinator.post(reverse("people_list"), {"q": "son", "kind": "board"})
    assert names(response) == {"bo"}


class Links(HTMLParser):
    """Every URL a page holds: links, form targets and htmx targets."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") or name.startswith("hx-"):
                self.urls.append(value or "")


def test_the_search_term_never_travels_in_a_url(coordinator, register):
    term = "Medlemsson"
    response = coordinator.post(reverse("people_list"), {"q": term, "kind": "members"})
    # The answer is the page itself, not a redirect to a URL with the term in it.
    assert response.status_code == 200
    assert "Location" not in response
    assert response.request["PATH_INFO"] == reverse("people_list")
    assert response.request["QUERY_STRING"] == ""
    parser = Links()
    parser.feed(response.content.decode())
    assert parser.urls
    assert not [url for url in parser.urls if term.lower() in url.lower()]
    # What was typed stays in the box, and the export of the results is a POST too.
    assert f'value="{term}"' in response.content.decode()
    assert re.search(r'<form method="post" action="/people/export\.csv"', response.content.decode())
    # The audit entry says a search was made, not what was searched for.
    entry = LogEntry.objects.order_by("-pk").first()
    assert entry.changes["search"] == ["", "yes"]
    assert term.lower() not in f"{entry.object_repr} {entry.changes}".lower()


def test_search_with_htmx_answers_with_the_results_only(coordinator, register):
    response = coordinator.post(reverse("people_list"), {"q": "Sune", "kind": "all"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="people-search">')
    assert "<html" not in html
    assert "Sune Stödström" in html and "Mia Medlemsson" not in html


def test_a_search_that_is_too_long_says_so_and_keeps_what_was_typed(coordinator, register):
    term = "x" * 101
    response = coordinator.post(reverse("people_list"), {"q": term, "kind": "all"})
    assert response.status_code == 400
    assert "q" in response.context["search_form"].errors
    assert term in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_an_empty_search_shows_everyone(coordinator, register):
    response = coordinator.post(reverse("people_list"), {"q": "  ", "kind": "all"})
    assert len(names(response)) == 8


# --- Queries -----------------------------------------------------------------


def seed(count: int, prefix: str) -> None:
    """`count` people, each with every kind of engagement (current and ended) and a login account."""
    for n in range(count):
        email = f"{prefix}{n}@seed.example"
        account = User.objects.create(email=email, name=f"Seed {prefix}{n}", role=Role.SUPPORT_PERSON)
        person = Person.objects.create(
            name=f"Seed Person {prefix}{n}", email=email, phone="070-123 45 67", account=account
        )
        Membership.objects.create(person=person, kind="member", start=LONG_AGO, fee_paid_for=TODAY.year)
        Employment.objects.create(person=person, title="Coordinator", start=LONG_AGO, end=LONG_AGO)
        VolunteerAssignment.objects.create(person=person, start=LONG_AGO)
        BoardTerm.objects.create(person=person, role="member", start=TODAY + timedelta(days=3))


def queries_and_rows(client, send) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = send(client)
    assert response.status_code == 200
    return len(captured), len(response.context["rows"])


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.get(reverse("people_list")),
        lambda c: c.get(reverse("people_list"), {"kind": "volunteers"}),
        lambda c: c.post(reverse("people_list"), {"q": "Seed Person", "kind": "members"}),
        lambda c: c.post(reverse("people_list"), {"q": "seed.example", "kind": "all"}),
        lambda c: c.post(reverse("people_list"), {"q": "070 123 45", "kind": "all"}),
    ],
    ids=["list", "filtered", "search-by-name", "search-by-email", "search-by-phone"],
)
def test_the_same_number_of_queries_for_one_person_as_for_fifty(coordinator, send):
    seed(1, "a")
    one, rows = queries_and_rows(coordinator, send)
    seed(49, "b")
    fifty, more_rows = queries_and_rows(coordinator, send)
    assert (rows, more_rows) == (1, 50)
    assert fifty == one
