"""The federation's yearly statistics (issue 21): a year with known answers
(tests/stats/dataset.py), every cell compared with the hand count."""

import pytest
from django.utils.translation import override

from cases.models import Circumstance, CrimeType
from stats import federation
from tests.personas import client_for

from . import pages
from .dataset import HAND_COUNT, NOW

URL = "/statistics/federation/?year=2026"


def _inner(table) -> list[list[int]]:
    return [[int(value) for value in cells[:-1]] for _label, cells in table.rows]


def page(user, url=URL):
    response = client_for(user, "en").get(url)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_every_cell_of_the_coordinators_report_is_the_hand_count(world):
    with override("en"):
        report = federation.build(2026, protected=False, now=NOW)

    assert not report.withheld and not report.problems
    assert _inner(report.seekers) == HAND_COUNT["seekers"]
    assert {t.key: _inner(t) for t in report.tables} == {key: HAND_COUNT[key] for key in federation.FIELDS}
    # Each marker's table: the crime types some case with it had, then those without it.
    assert {t.key: _inner(t) for t in report.markers} == {
        f"marker_{code}": [row for row in HAND_COUNT[f"marker_{code}"][:-1] if sum(row)]
        + HAND_COUNT[f"marker_{code}"][-1:]
        for code in ("close_relationship", "honour", "hate", "school")
    }
    assert _inner(report.support) == HAND_COUNT["support"]
    # Home municipality by hand: Eslöv n01-n04, Lund c00-c21; none without one.
    assert [(label, cells) for label, cells in report.municipalities.rows] == [
        ("Eslöv", ["2", "2", "0", "0", "4"]),
        ("Lund", ["14", "6", "1", "1", "22"]),
    ]
    assert report.municipalities.total == ["16", "8", "1", "1", "26"]


def test_markers_are_counted_beside_the_crime_types(world):
    with override("en"):
        cross = federation.build(2026, protected=False, now=NOW).cross

    assert cross.columns == ["Close relationship", "Honour-related", "Hate crime", "School-related"]
    # Only the crime types some case had; c14 (assault, close relationship and school) counts under both.
    assert dict(cross.rows) == {
        "Assault": ["8", "0", "1", "1"],
        "Unlawful threats": ["0", "1", "0", "0"],
        "Harassment": ["0", "0", "0", "0"],
        "Sexual offence": ["0", "0", "0", "1"],
        "Theft": ["0", "0", "0", "0"],
        "Fraud": ["0", "0", "0", "0"],
        "Other crime": ["0", "0", "0", "0"],
    }
    assert cross.without == ["18", "25", "25", "24"]


def test_the_report_is_checked_against_the_live_data(world):
    report = federation.build(2026, protected=False, now=NOW)
    assert report.checked_at is not None and report.checks and not report.problems


def test_a_table_that_does_not_add_up_is_reported(world, monkeypatch):
    real = federation.figures.Parts.report

    def broken(parts, months, municipality=""):
        result = real(parts, months, municipality)
        result.tables[0].counts["assault", "woman"] += 1
        return result

    monkeypatch.setattr(federation.figures.Parts, "report", broken)
    with override("en"):
        report = federation.build(2026, protected=False, now=NOW)
    assert report.problems == ["“Crime type” does not add up to the seekers."]


def test_the_coordinator_gets_the_report_in_one_click_from_the_statistics_page(world):
    html = page(world.people.coordinator, "/statistics/?kind=year&year=2026")
    assert 'href="/statistics/federation/?year=2026"' in html
    html = page(world.people.coordinator)
    tables = pages.tables(html)
    assert tables["crime_type"].total == ["16", "8", "1", "1", "26"]
    assert "Every table adds up to the 26 seekers counted directly in the live data." in html


def test_the_board_sees_the_same_protection_as_on_the_statistics_page(world):
    mine = pages.tables(page(world.people.board))
    theirs = pages.tables(page(world.people.board, "/statistics/?kind=year&year=2026"))
    for key in ("seekers", *federation.FIELDS, "support"):
        assert (mine[key].rows, mine[key].total) == (theirs[key].rows, theirs[key].total), key
    assert not any(v in ("1", "2") for t in mine.values() for _label, cells in t.rows for v in cells)


def test_the_boards_municipalities_add_up_to_what_they_may_see(world):
    """Each municipality shown as its own protected year; the rest hides where they hide."""
    municipalities = pages.tables(page(world.people.board))["municipality"]
    for _label, cells in municipalities.rows:
        assert all(v not in ("1", "2") for v in cells)


def test_every_download_is_protected_and_says_what_it_checked(world):
    client = client_for(world.people.coordinator, "en")
    content = client.get("/statistics/federation/export.csv?year=2026").content
    sections = pages.csv_sections(content)
    assert sections[0][0] == ["Brottsofferjouren", "The federation's statistics 2026"]
    assert sections[0][2] == ["Every table adds up to the 26 seekers counted directly in the live data."]
    board = pages.tables(page(world.people.board))
    by_title = {section[0][0]: section for section in sections[1:]}
    for table in board.values():
        assert [row[1:] for row in by_title[table.title][1:] if row[0] != "Total"] == [c for _l, c in table.rows]
    xlsx = client.get("/statistics/federation/export.xlsx?year=2026")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get("/statistics/federation/export.pdf?year=2026")
    text = " ".join(pages.pdf_text(pdf.content).split())
    assert "the federation's statistics 2026" in text and "Crime types and special circumstances" in text
    assert "16 8 1 1 26" not in text  # the exact seekers row never leaves


@pytest.mark.parametrize(("query", "message"), [("year=1999", "Choose a year from 2000 on."), ("year=x", "number")])
def test_a_bad_year_gets_a_clear_message(world, query, message):
    response = client_for(world.people.coordinator, "en").get(f"/statistics/federation/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_year_of_too_few_seekers_is_withheld_from_the_board_and_downloads(world):
    client = client_for(world.people.board, "en")
    html = client.get("/statistics/federation/?year=2025").content.decode()
    assert "Too few seekers this year" in html
    assert client.get("/statistics/federation/export.csv?year=2025").status_code == 409


def test_support_persons_and_auditors_get_no_federation_report(world):
    for user in (world.people.alex, world.people.auditor):
        assert client_for(user, "en").get(URL).status_code in (403, 404)


def test_a_marker_the_jour_adds_gets_its_table(world):
    own = Circumstance.objects.create(name="Äldre brottsoffer")
    case = world.cases["c06"]
    case.circumstances.add(own)
    with override("en"):
        report = federation.build(2026, protected=False, now=NOW)
    table = next(t for t in report.markers if t.key == f"marker_{own.pk}")
    assert dict(table.rows)[str(CrimeType.FRAUD.label)] == ["1", "0", "0", "0", "1"]
    assert report.cross.columns[-1] == "Äldre brottsoffer"


def test_contacts_and_actions_add_up_from_the_support_given(world):
    with override("en"):
        report = federation.build(2026, protected=False, now=NOW)
    support = HAND_COUNT["support"]  # attempts, meetings, hearings, referrals, other actions
    contacts = [a + m for a, m in zip(support[0], support[1], strict=True)]
    actions = [h + r + o for h, r, o in zip(support[2], support[3], support[4], strict=True)]
    assert [(label, cells) for label, cells in report.contacts_actions.rows] == [
        ("Contacts", [str(n) for n in [*contacts, sum(contacts)]]),
        ("Actions taken", [str(n) for n in [*actions, sum(actions)]]),
    ]


def test_witness_support_is_in_the_report_and_withheld_when_too_few(world):
    with override("en"):
        exact = federation.build(2026, protected=False, now=NOW)
        protected = federation.build(2026, protected=True, now=NOW)
    assert exact.witness is not None and not exact.witness.protected
    # No witness support recorded in the dataset: fewer than the threshold, so the board gets none.
    assert protected.witness.withheld
    assert all(t not in protected.all_tables() for t in exact.witness.tables)


def test_the_statistics_page_shows_crime_types_beside_the_markers_too(world):
    html = page(world.people.coordinator, "/statistics/?kind=year&year=2026")
    assert 'aria-labelledby="cross-h"' in html
    board = page(world.people.board, "/statistics/?kind=year&year=2026")
    assert 'aria-labelledby="cross-h"' in board
