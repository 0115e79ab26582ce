"""The official list of Sweden's municipalities (cases/municipalities.py), the
case form's choice of one, and migration 0007, which turns the names typed so
far into codes."""

import importlib
import unicodedata

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from cases import municipalities
from cases.models import Case
from tests.calendars.helpers import client_for
from tests.cases.factories import case_form_data, make_case

migration = importlib.import_module("cases.migrations.0007_municipality_code")


def test_the_list_has_290_municipalities_in_21_counties():
    every = municipalities.every()
    assert len(every) == 290
    assert len({m.code for m in every}) == len({m.name for m in every}) == 290
    assert len({m.county_code for m in every}) == 21
    for m in every:
        assert len(m.code) == 4 and m.code.isdigit() and m.code.startswith(m.county_code)
        assert m.name == unicodedata.normalize("NFC", m.name).strip()
    assert municipalities.name("1281") == "Lund"
    assert municipalities.county("0980") == "Gotlands län"
    assert (municipalities.name(""), municipalities.name("9999"), municipalities.county("")) == ("", "", "")


def test_the_choices_are_in_swedish_alphabetical_order():
    names = [name for _code, name in municipalities.choices()]
    assert len(names) == 290
    # Å, Ä and Ö come after Z, in that order.
    assert names.index("Ystad") < names.index("Åmål") < names.index("Älmhult") < names.index("Örebro")
    assert names[-1] == "Övertorneå"
    assert names.index("Upplands Väsby") < names.index("Upplands-Bro")  # a space sorts before a hyphen


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Lund", "1281"),
        ("  lund ", "1281"),
        ("LUND", "1281"),
        ("Lund kommun", "1281"),
        ("Lunds kommun", "1281"),
        ("Malmö stad", "1280"),
        ("Göteborgs stad", "1480"),
        ("Mönsterås kommun", "0861"),  # a name that ends in s keeps it
        ("Malmo\u0308", "1280"),  # ö typed as o and a combining diaeresis
        ("upplands väsby", "0114"),
        ("Dals-Ed", "1438"),
        ("1281", "1281"),
        ("Lillby", ""),
        ("Exempelstad", ""),
        ("Lund 2", ""),
        ("", ""),
        ("kommun", ""),
    ],
)
def test_a_typed_name_finds_its_code(typed, code):
    assert municipalities.code_for(typed) == code


def test_the_case_form_offers_the_list_by_name_and_saves_the_code(people):
    coordinator = client_for(people.coordinator, "en")
    form = coordinator.get(reverse("case_create")).context["form"]
    choices = list(form.fields["municipality"].choices)
    assert choices[0] == ("", "Not known")
    assert ("1281", "Lund") in choices and len(choices) == 291

    response = coordinator.post(reverse("case_create"), case_form_data(received_at=timezone.now(), municipality="1281"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.municipality == "1281"
    page = coordinator.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "<dd>Lund</dd>" in page


def test_a_name_instead_of_a_code_is_refused_with_a_message(people):
    coordinator = client_for(people.coordinator, "en")
    response = coordinator.post(
        reverse("case_create"), case_form_data(received_at=timezone.now(), municipality="Lillby")
    )
    assert response.status_code == 400
    assert "Select a valid choice." in str(response.context["form"].errors["municipality"])
    assert not Case.objects.exists()


def test_not_known_is_blank(people):
    coordinator = client_for(people.coordinator, "en")
    assert (
        coordinator.post(
            reverse("case_create"), case_form_data(received_at=timezone.now(), municipality="")
        ).status_code
        == 302
    )
    assert Case.objects.get().municipality == ""


# --- migration 0007 -----------------------------------------------------------------------


@pytest.fixture
def free_text_column(db):
    """The column as it was before 0007 (60 characters), for this test's transaction only."""
    old = models.CharField(max_length=60, blank=True)
    old.set_attributes_from_name("municipality")
    new = Case._meta.get_field("municipality")
    with connection.schema_editor(atomic=True) as editor:
        editor.alter_field(Case, new, old)


def test_the_migration_maps_names_to_codes_and_prints_only_counts(people, free_text_column, capsys):
    typed = {
        "Lund": "1281",
        " lunds kommun ": "1281",
        "MALMÖ": "1280",
        "Malmo\u0308 stad": "1280",
        "Lillby": "",
        "Storgatan 1, Lillby": "",
        "": "",
    }
    cases = {}
    for value in typed:
        case = make_case(people.coordinator, municipality="")
        Case.objects.filter(pk=case.pk).update(municipality=value)
        cases[value] = case.pk

    migration.names_to_codes(apps, None)

    assert {value: Case.objects.get(pk=pk).municipality for value, pk in cases.items()} == typed
    printed = capsys.readouterr().out
    assert "4 municipality names mapped to codes, 2 not an official name" in printed
    for value in typed:
        if value.strip():
            assert value.strip() not in printed
    assert "Storgatan" not in printed

    migration.codes_to_names(apps, None)  # and back, by name
    assert Case.objects.get(pk=cases["Lund"]).municipality == "Lund"
    assert Case.objects.get(pk=cases["MALMÖ"]).municipality == "Malmö"
    assert Case.objects.get(pk=cases["Lillby"]).municipality == ""


def test_the_migration_prints_nothing_without_cases(db, free_text_column, capsys):
    migration.names_to_codes(apps, None)
    assert capsys.readouterr().out == ""
