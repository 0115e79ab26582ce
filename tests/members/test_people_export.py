"""The CSV export: the list as filtered (or searched), for Excel, as an
attachment nobody caches, and one audit entry without personal data."""

import csv
import io
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from members.models import Employment, Membership, Person, VolunteerAssignment

TODAY = timezone.localdate()
LONG_AGO = TODAY - timedelta(days=400)


@pytest.fixture
def register(db):
    asa = Person.objects.create(
        name="Åsa Öberg-Ärlig",
        email="asa.oberg@medlem.example",
        phone="070-101 01 01",
        address="Storgatan 1",
        postcode="123 45",
        town="Östersund",
    )
    Membership.objects.create(person=asa, kind="member", start=LONG_AGO, fee_paid_for=TODAY.year)
    gote = Person.objects.create(name="Göte Medlemsson", email="gote@medlem.example", phone="070-202 02 02")
    Membership.objects.create(person=gote, kind="member", start=LONG_AGO)
    vilma = Person.objects.create(name="Vilma Volontär", email="vilma@volontar.example", phone="070-303 03 03")
    VolunteerAssignment.objects.create(person=vilma, start=LONG_AGO)
    eskil = Person.objects.create(name="Eskil Anställd", email="eskil@anstalld.example", phone="070-404 04 04")
    Employment.objects.create(person=eskil, title="Coordinator", start=LONG_AGO)
    return {"asa": asa, "gote": gote, "vilma": vilma, "eskil": eskil}


def rows_of(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark, for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_export_is_a_semicolon_csv_attachment_that_is_not_cached(coordinator, register):
    response = coordinator.get(reverse("people_export"), {"kind": "members"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="people-members-')
    assert response["Cache-Control"] == "no-store"
    header, *rows = rows_of(response)
    assert header[:6] == ["Name", "E-mail", "Phone", "Address", "Postcode", "Town"]
    asa = next(row for row in rows if row[1] == "asa.oberg@medlem.example")
    # Swedish letters survive the round trip.
    assert asa[:6] == [
        "Åsa Öberg-Ärlig",
        "asa.oberg@medlem.example",
        "070-101 01 01",
        "Storgatan 1",
        "123 45",
        "Östersund",
    ]
    assert asa[header.index("Now")] == "Member"
    assert asa[header.index("Fee paid for year")] == str(TODAY.year)


@pytest.mark.parametrize("kind", ["all", "members", "volunteers", "employees", "board", "left"])
def test_the_export_holds_the_same_people_as_the_list_and_nobody_else(coordinator, register, kind):
    listed = {row.person.email for row in coordinator.get(reverse("people_list"), {"kind": kind}).context["rows"]}
    response = coordinator.get(reverse("people_export"), {"kind": kind})
    _header, *rows = rows_of(response)
    assert {row[1] for row in rows} == listed
    content = response.content.decode("utf-8-sig")
    for person in register.values():
        if person.email not in listed:
            for value in (person.name, person.email, person.phone):
                assert value not in content, (kind, value)


def test_the_export_of_a_search_holds_the_matches_only(coordinator, register):
    listed = coordinator.post(reverse("people_list"), {"q": "medlem", "kind": "members"}).context["rows"]
    response = coordinator.post(reverse("people_export"), {"q": "medlem", "kind": "members"})
    _header, *rows = rows_of(response)
    exported = sorted(row[0] for row in rows)
    assert exported == sorted(row.person.name for row in listed) == ["Göte Medlemsson", "Åsa Öberg-Ärlig"]
    content = response.content.decode("utf-8-sig")
    for key in ("vilma", "eskil"):
        assert register[key].email not in content and register[key].name not in content


def test_a_refused_search_export_shows_the_list_with_what_was_typed(coordinator, register):
    response = coordinator.post(reverse("people_export"), {"q": "m" * 101, "kind": "all"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "m" * 101 in response.content.decode()


def test_the_export_is_audited_once_without_personal_data(coordinator, register, people):
    before = set(LogEntry.objects.values_list("pk", flat=True))
    coordinator.get(reverse("people_export"), {"kind": "all"})
    new = LogEntry.objects.exclude(pk__in=before)
    assert new.count() == 1
    entry = new.get()
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == people.coordinator
    assert entry.timestamp is not None
    assert entry.changes == {"export": ["", "all"], "search": ["", "no"], "rows": ["", "4"]}
    recorded = f"{entry.object_repr} {entry.changes} {entry.additional_data} {entry.serialized_data}"
    for person in register.values():
        for value in (person.name, person.email, person.phone):
            assert value not in recorded


def test_a_value_that_looks_like_a_formula_is_exported_as_text(coordinator, db):
    Person.objects.create(name='=HYPERLINK("http://evil.example","Klicka")', email="", phone="+46 70 505 05 05")
    _header, row = rows_of(coordinator.get(reverse("people_export")))
    assert row[0] == '\'=HYPERLINK("http://evil.example","Klicka")'
    assert row[2] == "'+46 70 505 05 05"
