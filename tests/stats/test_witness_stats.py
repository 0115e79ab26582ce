"""Witness support at court in the statistics (stats/witness.py): the counts by
role, court and gender on a known year, small numbers hidden as everywhere
else, a year of too few people withheld, one query whatever the size, and
the statistics page for each reader."""

import random
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from calendars.models import Place, PlaceKind, WitnessSupport
from stats import witness
from stats.selection import TOTAL
from stats.suppression import exposed_by_algebra, exposed_by_bounds, protect_together
from tests.personas import client_for

GENDERS = ["woman", "man", "other", "unknown"]

# (role, gender, court, how many) in 2025: 25 people, 18 in Lund and 7 in Malmö.
YEAR = [
    ("witness", "woman", "lund", 3),
    ("witness", "woman", "malmo", 2),
    ("witness", "man", "lund", 3),
    ("witness", "man", "malmo", 1),
    ("witness", "unknown", "malmo", 1),
    ("injured_party", "woman", "lund", 5),
    ("injured_party", "woman", "malmo", 1),
    ("injured_party", "man", "lund", 1),
    ("injured_party", "man", "malmo", 1),
    ("relative_or_friend", "woman", "lund", 2),
    ("relative_or_friend", "woman", "malmo", 1),
    ("relative_or_friend", "other", "lund", 1),
    ("defendant", "man", "lund", 3),
]
# Every cell: the genders in order, then the total.
BY_ROLE = {
    "witness": [5, 4, 0, 1, 10],
    "injured_party": [6, 2, 0, 0, 8],
    "relative_or_friend": [3, 0, 1, 0, 4],
    "defendant": [0, 3, 0, 0, 3],
}
BY_COURT = {"Lunds tingsrätt": [10, 7, 1, 0, 18], "Malmö tingsrätt": [4, 2, 0, 1, 7]}
PERSONS = [14, 9, 1, 1, 25]


@pytest.fixture(autouse=True)
def english():
    """Labels in English outside a request too (the site's default is Swedish)."""
    with translation.override("en"):
        yield


@pytest.fixture
def courts(db):
    return {
        "lund": Place.objects.create(name="Lunds tingsrätt", kind=PlaceKind.COURT),
        # Out of use since: its records still count.
        "malmo": Place.objects.create(name="Malmö tingsrätt", kind=PlaceKind.COURT, active=False),
    }


def add(people, courts, rows, year=2025, seed=0) -> None:
    shuffle = random.Random(seed)  # noqa: S311 - spread over the year, the same each run
    for role, gender, court, n in rows:
        for _ in range(n):
            WitnessSupport.objects.create(
                supported_on=date(year, shuffle.randint(1, 12), shuffle.randint(1, 28)),
                court=courts[court],
                role=role,
                gender=gender,
                age_group="26-64",
                supported_by=people.alex,
                recorded_by=people.alex,
            )


@pytest.fixture
def year(people, courts):
    add(people, courts, YEAR)
    # Outside the year: never counted.
    add(people, courts, [("witness", "woman", "lund", 2)], year=2024)
    add(people, courts, [("defendant", "man", "malmo", 1)], year=2026 if date.today().year > 2026 else 2024)
    return people


def cells(table) -> dict:
    return {row: [table.counts.get((row, gender), 0) for gender in GENDERS] for row, _label in table.rows}


def with_totals(counts: dict) -> dict:
    return {row: [*values, sum(values)] for row, values in counts.items()}


def test_every_cell_of_a_known_year(year):
    found = witness.tables(2025)
    assert with_totals(cells(found.by_role)) == BY_ROLE
    labels = dict(found.by_court.rows)
    assert {labels[row]: values for row, values in with_totals(cells(found.by_court)).items()} == BY_COURT
    assert with_totals(cells(found.persons)) == {"all": PERSONS}
    assert found.total == 25
    # The roles are all four, in the federation's order; the courts by name.
    assert [row for row, _label in found.by_role.rows] == [
        "witness",
        "injured_party",
        "relative_or_friend",
        "defendant",
    ]
    assert [label for _row, label in found.by_court.rows] == ["Lunds tingsrätt", "Malmö tingsrätt"]


def test_the_exact_report_shows_every_cell_as_counted(year):
    result = witness.report(2025, protected=False)
    assert not result.withheld and result.exact.total == 25
    assert dict(result.by_role.rows) == {
        label: [str(n) for n in BY_ROLE[value]] for value, label in result.exact.by_role.rows
    }
    assert dict(result.by_court.rows) == {label: [str(n) for n in values] for label, values in BY_COURT.items()}
    # Both tables add up to the one total: the people supported, by gender.
    assert result.by_role.total == result.by_court.total == [str(n) for n in PERSONS]
    assert result.persons.rows == [("People supported", [str(n) for n in PERSONS])]
    assert result.by_role.columns == ["Woman", "Man", "Other or non-binary", "Not known", "Total"]


def test_small_numbers_are_hidden_for_protected_readers(year, settings):
    settings.JOUR_STATS_MINIMUM = 3
    result = witness.report(2025, protected=True)
    assert not result.withheld and result.exact is None
    by_role = dict(result.by_role.rows)
    # One relative or friend of another gender, one witness of gender not known: "<3".
    assert by_role["Relative or friend"][2] == "<3"
    assert by_role["Witness"][3] == "<3"
    assert result.by_court.rows[0][1][2] == "<3"  # Lund, other gender
    # The shown numbers are the true ones; no hidden cell can be worked out (stats.suppression).
    for label, shown in [*result.by_role.rows, *result.by_court.rows, *result.persons.rows]:
        exact = {
            **BY_COURT,
            **{lbl: BY_ROLE[v] for v, lbl in witness.tables(2025).by_role.rows},
        }
        truth = exact.get(label, PERSONS)
        for text, value in zip(shown, truth, strict=True):
            assert text in ("<3", "·") or int(text) == value, (label, shown)
            assert text != "<3" or 0 < value < 3
    found = witness.tables(2025)
    values, layout = witness.cells(found), witness.layout(found)
    pattern = protect_together(layout, [values], 3)
    assert pattern.hidden == result.hidden and not pattern.failed
    assert exposed_by_algebra(layout, result.hidden) == set()
    assert exposed_by_bounds(layout, values, result.hidden, pattern.demoted[0], 3) == set()
    assert (witness.ROLE, "relative_or_friend", "other") in result.hidden


def test_a_year_of_too_few_people_is_withheld_whole(people, courts, settings):
    settings.JOUR_STATS_MIN_SEEKERS = 10
    add(people, courts, [("witness", "woman", "lund", 5), ("injured_party", "man", "malmo", 4)])
    result = witness.report(2025, protected=True)
    assert result.withheld == str(witness.TOO_FEW)
    assert result.tables == [] and result.exact is None
    # The coordinator still sees the exact figures.
    assert witness.report(2025, protected=False).exact.total == 9
    add(people, courts, [("defendant", "man", "lund", 1)], seed=1)
    assert not witness.report(2025, protected=True).withheld


def test_an_empty_year(db):
    result = witness.report(2030, protected=False)
    assert result.exact.total == 0 and result.by_court.rows == []
    assert witness.report(2030, protected=True).withheld


def test_one_query_whatever_the_year_holds(people, courts, django_assert_num_queries):
    add(people, courts, YEAR[:2])
    with django_assert_num_queries(1):
        witness.report(2025, protected=False)
    add(people, courts, YEAR * 4, seed=2)
    with django_assert_num_queries(1):
        witness.report(2025, protected=False)
    with django_assert_num_queries(1):
        witness.report(2025, protected=True)


def test_the_layout_shares_one_total_line(year):
    found = witness.tables(2025)
    layout = witness.layout(found)
    assert layout.shared_line == 0
    assert layout.lines[0][-1] == (witness.PERSONS, witness.ALL, TOTAL)
    assert len(layout.blocks) == 2
    # Every column of both blocks ends in the shared line's cell of that gender.
    for block in layout.blocks:
        ends = {layout.lines[n][-1] for n in block}
        assert set(layout.lines[0]) <= ends


# -- the statistics page ---------------------------------------------------------------


def page(user, query="kind=year&year=2025"):
    return client_for(user).get(f"{reverse('statistics')}?{query}")


def test_the_coordinator_sees_exact_figures_of_the_year(year):
    response = page(year.coordinator)
    assert response.status_code == 200
    shown = response.context["witness"]
    assert not shown.protected and shown.exact.total == 25
    body = response.content.decode()
    assert "Witness support by role" in body and "Witness support by court" in body and "Malmö tingsrätt" in body


def test_the_board_sees_protected_figures(year):
    response = page(year.board)
    shown = response.context["witness"]
    assert shown.protected and shown.exact is None
    assert "&lt;3" in response.content.decode()


def test_the_board_is_told_when_the_year_is_withheld(people, courts):
    add(people, courts, [("witness", "woman", "lund", 4)])
    response = page(people.board)
    assert str(witness.TOO_FEW) in response.content.decode()
    assert "Witness support by role" not in response.content.decode()
    coordinator = page(people.coordinator).content.decode()
    assert "The board gets no witness-support figures for the year." in coordinator


@pytest.mark.parametrize("query", ["kind=quarter&year=2025&quarter=1", "kind=month&year=2025&month=3"])
def test_other_selections_get_a_note(year, query):
    response = page(year.coordinator, query)
    assert "witness" not in response.context
    assert "Witness support is reported per calendar year." in response.content.decode()


def test_a_municipality_gets_the_note(year):
    from tests.cases.factories import make_case

    make_case(year.coordinator, municipality="1281")  # the form offers municipalities that have cases
    response = page(year.coordinator, "kind=year&year=2025&municipality=1281")
    assert "witness" not in response.context
    assert "Witness support is reported per calendar year." in response.content.decode()


@pytest.mark.parametrize("who", ["auditor", "alex"])
def test_readers_without_the_whole_report_get_no_witness_figures(year, who):
    response = page(getattr(year, who))
    assert "witness" not in response.context
    assert "Witness support" not in response.content.decode()
