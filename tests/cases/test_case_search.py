"""Issue 15, deliverable 3: finding a case on the case list.

A coordinator finds any case, a support person only their own, by number, name
(without caring for case or accents), phone number (in any format) or e-mail;
the term never reaches a URL, a log line or the audit log; filters and sorting
work, and the page runs the same number of queries for 5 cases as for 30.
"""

import json
import logging
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import retention, search, services
from cases.models import Case
from tests.personas import client_for

from .factories import assign, make_case

LIST = reverse("case_list")


def _person(name, phone, email, **extra):
    first, last = name.split()
    return {"first_name": first, "last_name": last, "phone": phone, "email": email, **extra}


@pytest.fixture
def cases(people):
    coordinator = people.coordinator
    now = timezone.now()
    found = {
        "asa": make_case(
            coordinator,
            received_at=now - timedelta(days=3),
            **_person("Åsa Östlund", "+46 70-123 45 67", "asa.o@seeker.example"),
        ),
        "bjorn": make_case(
            coordinator,
            received_at=now - timedelta(days=2),
            priority="urgent",
            crime_type="fraud",
            channel="email",
            **_person("Björn Ågren", "08-765 43 21", "B.Agren@Seeker.Example"),
        ),
        "chris": make_case(
            coordinator,
            received_at=now - timedelta(days=1),
            **_person("Chris Lind", "0731112233", "chris@seeker.example"),
        ),
    }
    assign(found["asa"], people.alex, by=coordinator)
    assign(found["bjorn"], people.sam, by=coordinator)
    return found


def _search(client, term, **fields):
    """Post a search as the form does; follow the redirect to the list."""
    response = client.post(LIST, {"q": term, "view": "all", **fields})
    assert response.status_code == 302, response.status_code
    return response, client.get(response["Location"])


def _numbers(response) -> set[str]:
    return {row.case.number for row in response.context["rows"]}


# --- What a search finds ----------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "who"),
    [
        ("070-123 45 67", "asa"),  # stored as +46 70-123 45 67
        ("0701234567", "asa"),
        ("+46701234567", "asa"),
        ("1234567", "asa"),
        ("08 765 43 21", "bjorn"),
        ("asa", "asa"),
        ("ÅSA", "asa"),
        ("ostlund", "asa"),
        ("asa ostl", "asa"),
        ("Agren", "bjorn"),
        ("björn ågren", "bjorn"),
        ("b.agren@seeker.example", "bjorn"),
        ("CHRIS@SEEKER", "chris"),
    ],
)
def test_coordinator_finds_a_case_by_phone_name_or_email(people, cases, term, who):
    _, page = _search(client_for(people.coordinator), term)
    assert _numbers(page) == {cases[who].number}
    assert page.context["term"] == search.clean_term(term)


def test_coordinator_finds_a_case_by_its_number(people, cases):
    number = cases["chris"].number
    _, page = _search(client_for(people.coordinator), number)
    assert _numbers(page) == {number}
    _, page = _search(client_for(people.coordinator), number.split("-")[1])
    assert number in _numbers(page)


def test_a_term_that_matches_nothing_says_so(people, cases):
    _, page = _search(client_for(people.coordinator), "Zebulon")
    assert _numbers(page) == set()
    assert "No case matches." in page.content.decode()


def test_the_first_name_is_a_column(people, cases):
    page = client_for(people.coordinator).get(LIST, {"view": "all"})
    body = page.content.decode()
    assert '<th scope="col">First name</th>' in body
    assert "Åsa" in body and "Björn" in body


def test_support_person_finds_only_their_own_cases(people, cases):
    alex = client_for(people.alex)
    _, page = _search(alex, "Björn")  # Sam's case
    assert _numbers(page) == set()
    _, page = _search(alex, "08-765 43 21")
    assert _numbers(page) == set()
    _, page = _search(alex, "Åsa")
    assert _numbers(page) == {cases["asa"].number}
    # No person filter for a support person: a person id in the URL changes nothing.
    page = alex.get(LIST, {"view": "all", "person": people.sam.pk})
    assert "person" not in page.context["filter_form"].fields
    assert _numbers(page) == {cases["asa"].number}


def test_an_anonymised_case_is_found_no_more(people, cases):
    coordinator = people.coordinator
    case = cases["chris"]
    services.close_case(case=case, reason="completed", by=coordinator)
    retention.anonymise(case=case, rule=retention.RULE_RETENTION, by=coordinator)
    row = Case.objects.values("search_key", "phone_digits").get(pk=case.pk)
    assert row == {"search_key": "", "phone_digits": ""}
    for term in ("Chris", "0731112233", "chris@seeker.example"):
        _, page = _search(client_for(coordinator), term)
        assert _numbers(page) == set(), term


def test_erasure_on_request_empties_the_search_columns(people, cases):
    case = retention.erase_on_request(case=cases["asa"], by=people.coordinator)
    row = Case.objects.values("search_key", "phone_digits").get(pk=case.pk)
    assert row == {"search_key": "", "phone_digits": ""}


def test_making_a_case_anonymous_empties_the_search_columns(people, cases):
    case = Case.objects.get(pk=cases["bjorn"].pk)
    data = {"anonymous": True, "first_name": "", "last_name": "", "phone": "", "email": "", "notes": ""}
    services.update_case(case=case, data=data, expected_version=case.version, by=people.coordinator)
    row = Case.objects.values("search_key", "phone_digits").get(pk=case.pk)
    assert row == {"search_key": "", "phone_digits": ""}


def test_an_edit_keeps_the_search_columns_current(people, cases):
    case = Case.objects.get(pk=cases["chris"].pk)
    data = {"first_name": "Örjan", "phone": "+46 73-999 88 77"}
    services.update_case(case=case, data=data, expected_version=case.version, by=people.coordinator)
    case.refresh_from_db()
    assert case.search_key == "orjan lind chris@seeker.example"
    assert case.phone_digits == "739998877"
    # A save of some fields only still writes the columns made from them.
    case.last_name = "Ståhl"
    case.save(update_fields=["last_name"])
    assert Case.objects.get(pk=case.pk).search_key == "orjan stahl chris@seeker.example"


# --- The term stays out of URLs, logs and the audit log ---------------------------


TERM = "Östlund"


def test_the_term_never_reaches_a_url(people, cases):
    client = client_for(people.coordinator)
    response, page = _search(client, TERM, status="awaiting")
    location = response["Location"]
    assert TERM not in location and "stlund" not in location.lower()
    query = parse_qs(urlsplit(location).query)
    assert set(query) == {"view", "status", "s"}  # the term's key, and the filters
    body = page.content.decode()
    assert _numbers(page) == {cases["asa"].number}
    # Every link on the page (tabs, sort, pager) carries the key, never the term.
    hrefs = [part.split('"', 1)[0] for part in body.split('href="')[1:]]
    assert hrefs and all("stlund" not in href.lower() for href in hrefs)
    assert any(f"s={query['s'][0]}" in href for href in hrefs)
    # The box shows the term, so the person sees what the list is searched for.
    assert f'value="{TERM}"' in body


def test_the_key_keeps_the_search_across_pages_and_history(people, cases):
    client = client_for(people.coordinator)
    first, _ = _search(client, "Åsa")
    second, _ = _search(client, "Björn")
    # Back to the first search's URL: it still shows the first search.
    again = client.get(first["Location"])
    assert _numbers(again) == {cases["asa"].number}
    assert _numbers(client.get(second["Location"])) == {cases["bjorn"].number}


def test_an_unknown_key_says_the_search_is_gone(people, cases):
    page = client_for(people.coordinator).get(LIST, {"view": "all", "s": "nosuchkey"})
    assert page.status_code == 200
    assert page.context["term"] == ""
    assert "That search is no longer kept" in page.content.decode()


def test_the_term_is_not_logged(people, cases, caplog):
    client = client_for(people.coordinator)
    with caplog.at_level(logging.DEBUG):
        _search(client, TERM)
        _search(client, "070-123 45 67")
        client.post(LIST, {"q": "x" * 500, "view": "all"})  # refused: too long
    logged = "\n".join(f"{record.getMessage()} {record.args!r}" for record in caplog.records)
    for term in (TERM, "stlund", "070-123 45 67", "xxxxxxxx"):
        assert term not in logged


def test_the_search_is_audited_with_its_count_only(people, cases):
    before = LogEntry.objects.count()
    _search(client_for(people.coordinator), "070-123 45 67")
    entries = list(LogEntry.objects.order_by("pk")[before:])
    searches = [entry for entry in entries if entry.object_repr == "case list: search"]
    assert len(searches) == 1
    assert searches[0].actor == people.coordinator
    assert searches[0].changes == {"search": ["", "yes"], "rows": ["", "1"]}
    dumped = json.dumps([[e.object_repr, e.changes, e.additional_data, e.changes_text] for e in entries])
    for part in ("070", "1234567", "123 45 67", "Åsa", "\\u00c5sa"):
        assert part not in dumped


def test_the_search_columns_are_not_in_the_audit_log(people):
    before = LogEntry.objects.count()
    make_case(people.coordinator, **_person("Åsa Östlund", "+46 70-123 45 67", "asa.o@seeker.example"))
    dumped = json.dumps([e.changes for e in LogEntry.objects.order_by("pk")[before:]])
    assert "search_key" not in dumped and "phone_digits" not in dumped
    assert "ostlund" not in dumped and "701234567" not in dumped


def test_a_list_shows_first_names_so_it_writes_an_access_entry(people, cases):
    client_for(people.coordinator).get(LIST, {"view": "all", "status": "new"})
    entry = LogEntry.objects.get(object_repr="case list")
    assert entry.action == LogEntry.Action.ACCESS and entry.actor == people.coordinator
    assert entry.changes == {"search": ["", "no"], "rows": ["", "1"]}
    assert not LogEntry.objects.filter(object_repr="case list: search").exists()


def test_a_term_too_long_is_refused_with_a_message(people, cases):
    response = client_for(people.coordinator).post(LIST, {"q": "x" * 101, "view": "all"})
    assert response.status_code == 400
    assert response.context["search_form"].errors["q"]


# --- Filters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "who"),
    [
        ({"priority": "urgent"}, {"bjorn"}),
        ({"crime_type": "fraud"}, {"bjorn"}),
        ({"channel": "email"}, {"bjorn"}),
        ({"status": "new"}, {"chris"}),
        ({"status": "awaiting"}, {"asa", "bjorn"}),
        ({"channel": "phone", "priority": "normal"}, {"asa", "chris"}),
    ],
)
def test_filters(people, cases, params, who):
    page = client_for(people.coordinator).get(LIST, {"view": "all", **params})
    assert page.status_code == 200
    assert _numbers(page) == {cases[name].number for name in who}


def test_filter_by_support_person(people, cases):
    page = client_for(people.coordinator).get(LIST, {"view": "all", "person": people.sam.pk})
    assert _numbers(page) == {cases["bjorn"].number}


def test_filter_by_received_period(people, cases):
    day = timezone.localdate(cases["bjorn"].received_at)
    page = client_for(people.coordinator).get(LIST, {"view": "all", "received_from": day, "received_to": day})
    assert _numbers(page) == {cases["bjorn"].number}
    page = client_for(people.coordinator).get(LIST, {"view": "all", "received_from": day})
    assert _numbers(page) == {cases["bjorn"].number, cases["chris"].number}


def test_search_and_filters_together(people, cases):
    _, page = _search(client_for(people.coordinator), "seeker.example", priority="normal")
    assert _numbers(page) == {cases["asa"].number, cases["chris"].number}


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"person": "99999999999999999999999"},
        {"person": "²"},
        {"received_from": "not a date"},
        {"received_from": "1899-01-01"},
        {"received_to": "9999-12-31"},
        {"received_from": "2026-05-02", "received_to": "2026-05-01"},
        {"sort": "number; DROP TABLE"},
    ],
)
def test_a_bad_filter_gives_a_message_not_an_error(people, cases, params):
    page = client_for(people.coordinator).get(LIST, {"view": "all", **params})
    assert page.status_code == 400
    assert page.context["filter_form"].errors
    assert 'role="alert"' in page.content.decode()
    # The other filters, and the list, still work.
    assert _numbers(page) == {case.number for case in cases.values()}


# --- Sorting ----------------------------------------------------------------------


def test_sort_by_received_and_deadline(people, cases):
    client = client_for(people.coordinator)
    order = [cases["asa"].number, cases["bjorn"].number, cases["chris"].number]  # received oldest first
    page = client.get(LIST, {"view": "all", "sort": "received"})
    assert [row.case.number for row in page.context["rows"]] == order
    page = client.get(LIST, {"view": "all", "sort": "-received"})
    assert [row.case.number for row in page.context["rows"]] == order[::-1]
    due = sorted(cases.values(), key=lambda case: case.first_contact_due)
    page = client.get(LIST, {"view": "all", "sort": "due"})
    assert [row.case.number for row in page.context["rows"]] == [case.number for case in due]
    page = client.get(LIST, {"view": "all", "sort": "-due"})
    assert [row.case.number for row in page.context["rows"]] == [case.number for case in due][::-1]


def test_sort_headings_say_their_state(people, cases):
    client = client_for(people.coordinator)
    body = client.get(LIST, {"view": "all"}).content.decode()
    assert "aria-sort" not in body
    body = client.get(LIST, {"view": "all", "sort": "-received"}).content.decode()
    assert body.count("aria-sort") == 1
    assert 'aria-sort="descending"' in body
    assert "sort=received" in body  # the heading's link turns the order round
    body = client.get(LIST, {"view": "all", "sort": "due"}).content.decode()
    assert 'aria-sort="ascending"' in body and "sort=-due" in body


# --- Queries and pages ------------------------------------------------------------


def _many(people, n):
    now = timezone.now()
    for i in range(n):
        case = make_case(people.coordinator, received_at=now - timedelta(hours=i + 1), first_name=f"Anna{i}")
        assign(case, people.alex if i % 2 else people.sam, by=people.coordinator)


@pytest.mark.parametrize("persona", ["coordinator", "alex"])
def test_query_count_does_not_grow_with_the_cases(people, django_assert_num_queries, persona):
    user = getattr(people, persona)
    client = client_for(user, language=None)
    _many(people, 5)
    response, _ = _search(client, "anna", status="awaiting", sort="due")
    url = response["Location"]
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as small:
        page = client.get(url)
    assert len(page.context["rows"]) >= 2
    _many(people, 25)
    with django_assert_num_queries(len(small)):
        page = client.get(url)
    assert len(page.context["rows"]) >= 12


def test_pages_keep_the_search(people):
    client = client_for(people.coordinator)
    now = timezone.now()
    for i in range(52):
        make_case(people.coordinator, received_at=now - timedelta(minutes=i + 1), first_name="Kerstin")
    make_case(people.coordinator, received_at=now - timedelta(minutes=90), first_name="Other")
    _, first = _search(client, "kerstin", sort="-received")
    assert first.context["page"].paginator.count == 52
    next_link = f"?{first.context['query']}&page=2"
    assert "kerstin" not in next_link.lower()
    second = client.get(LIST + next_link)
    assert len(second.context["rows"]) == 2
    assert all(row.case.first_name == "Kerstin" for row in second.context["rows"])


# --- Folding ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Åsa", "asa"), ("ÖSTLUND", "ostlund"), ("Søren Ærø", "soren aero"), ("José", "jose"), ("Straße", "strasse")],
)
def test_fold(typed, stored):
    assert search.fold(typed) == stored


def test_a_short_run_of_digits_is_not_a_phone_number():
    # Two digits would match most phone numbers; they are looked for as text.
    assert "phone_digits" not in str(search.matching("12"))
    assert "phone_digits" in str(search.matching("123"))
