"""The federation export: exactly the active people, in the right categories, in both formats,
from the command and from the board page; each export recorded with who and when."""

import csv
import io
import os
from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from members import federation
from members.models import (
    BoardRole,
    BoardTerm,
    Employment,
    Membership,
    MembershipKind,
    Person,
    VolunteerAssignment,
)
from tests.personas import login_verified

TODAY = timezone.localdate()
LONG_AGO = TODAY - timedelta(days=700)
YESTERDAY = TODAY - timedelta(days=1)
EARLIER = TODAY - timedelta(days=2)
TOMORROW = TODAY + timedelta(days=1)
KEYS = [key for key, _label in federation.COLUMNS]

# (category, name) of everyone who must be in the file.
EXPECTED = {
    ("jour", "Brottsofferjouren Exempelstad"),
    ("board", "Maria Board"),
    ("board", "Kim Coordinator"),
    ("support_person", "Alex Support"),
    ("support_person", "Sam Support"),
    ("witness_supporter", "Sam Support"),
    ("employee", "Kim Coordinator"),
    ("member", "Åsa Medlem"),
    ("member", "Maria Board"),
}
# People who have left, have not started, or are supporting members only.
# An end date is the day the person stopped: Vera stopped today.
ABSENT = ["Olle Former", "Vera Left", "Fiona Future", "Erik Exit", "Sven Supporter", "Lars Lapsed"]


def person(name, **extra):
    slug = name.split()[0].lower()
    details = {
        "email": f"{slug}@people.example",
        "phone": "+46 70 123 45 67",
        "address": f"{name.split()[0]}s väg 1",
        "postcode": "123 45",
        "town": "Exempelstad",
    }
    return Person.objects.create(name=name, **{**details, **extra})


@pytest.fixture
def jour(people, settings):
    settings.JOUR_NAME = "Brottsofferjouren Exempelstad"
    settings.JOUR_ADDRESS = "Storgatan 1, 123 45 Exempelstad"
    settings.JOUR_EMAIL = "info@jour.example"
    settings.JOUR_PHONE = "010-123 45 67"
    kim = person("Kim Coordinator", account=people.coordinator)
    maria = person("Maria Board", account=people.board)
    BoardTerm.objects.create(person=kim, role=BoardRole.CO_OPTED, start=LONG_AGO)
    BoardTerm.objects.create(person=maria, role=BoardRole.CHAIR, start=LONG_AGO)
    BoardTerm.objects.create(person=person("Olle Former"), role=BoardRole.TREASURER, start=LONG_AGO, end=YESTERDAY)
    Employment.objects.create(person=kim, title="Samordnare", start=LONG_AGO)
    Employment.objects.create(person=person("Erik Exit"), title="Samordnare", start=LONG_AGO, end=YESTERDAY)
    VolunteerAssignment.objects.create(person=person("Alex Support", account=people.alex), start=LONG_AGO)
    sam = person("Sam Support", account=people.sam)
    VolunteerAssignment.objects.create(person=sam, start=LONG_AGO, witness_supporter=True)
    VolunteerAssignment.objects.create(person=person("Vera Left"), start=LONG_AGO, end=TODAY)
    VolunteerAssignment.objects.create(person=person("Fiona Future"), start=TOMORROW)
    Membership.objects.create(person=person("Åsa Medlem"), kind=MembershipKind.MEMBER, start=LONG_AGO)
    Membership.objects.create(person=maria, kind=MembershipKind.MEMBER, start=LONG_AGO)
    Membership.objects.create(person=person("Sven Supporter"), kind=MembershipKind.SUPPORTING, start=LONG_AGO)
    Membership.objects.create(person=person("Lars Lapsed"), kind=MembershipKind.MEMBER, start=LONG_AGO, end=YESTERDAY)
    return people


def category_codes():
    with translation.override(settings.LANGUAGE_CODE):
        return {str(label): code for code, label in federation.CATEGORIES.items()}


def header():
    with translation.override(settings.LANGUAGE_CODE):
        return [str(label) for _key, label in federation.COLUMNS]


def parse_csv(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark"
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert lines[0] == header()
    codes = category_codes()
    rows = [dict(zip(KEYS, line, strict=True)) for line in lines[1:]]
    for row in rows:
        row["category"] = codes[row["category"]]
    return rows


def parse_xlsx(data: bytes) -> list[dict]:
    workbook = load_workbook(io.BytesIO(data))
    assert len(workbook.worksheets) == 1
    values = workbook.active.iter_rows(values_only=True)
    lines = [[cell if cell is not None else "" for cell in line] for line in values]
    assert lines[0] == header()
    codes = category_codes()
    rows = [dict(zip(KEYS, line, strict=True)) for line in lines[1:]]
    for row in rows:
        row["category"] = codes[row["category"]]
        if hasattr(row["since"], "date"):
            row["since"] = row["since"].date().isoformat()
    return rows


def assert_exactly_the_active_people(rows, raw: bytes | None = None):
    assert {(row["category"], row["name"]) for row in rows} == EXPECTED
    assert len(rows) == len(EXPECTED)
    text = raw.decode("utf-8", "replace") if raw is not None else repr(rows)
    for name in ABSENT:
        assert name not in text
    by_key = {(row["category"], row["name"]): row for row in rows}
    jour_row = by_key[("jour", "Brottsofferjouren Exempelstad")]
    assert (jour_row["address"], jour_row["email"], jour_row["phone"]) == (
        "Storgatan 1, 123 45 Exempelstad",
        "info@jour.example",
        "010-123 45 67",
    )
    maria = by_key[("board", "Maria Board")]
    assert (maria["email"], maria["phone"], maria["address"], maria["postcode"], maria["town"]) == (
        "maria@people.example",
        "+46 70 123 45 67",  # a phone number stays as it is
        "Marias väg 1",
        "123 45",
        "Exempelstad",
    )
    assert str(maria["since"]) == LONG_AGO.isoformat()
    with translation.override(settings.LANGUAGE_CODE):
        assert maria["role"] == str(BoardRole.CHAIR.label)
        assert by_key[("board", "Kim Coordinator")]["role"] == str(BoardRole.CO_OPTED.label)
    assert by_key[("employee", "Kim Coordinator")]["role"] == "Samordnare"
    assert by_key[("member", "Åsa Medlem")]["address"] == "Åsas väg 1"


def test_build_rows(jour):
    rows = federation.build_rows(TODAY)
    assert {(row["category"], row["name"]) for row in rows} == EXPECTED
    assert [row["category"] for row in rows] == sorted(
        (row["category"] for row in rows), key=list(federation.CATEGORIES).index
    )
    # The board in the order of its roles: the chair first, the co-opted coordinator last.
    assert [row["name"] for row in rows if row["category"] == "board"] == ["Maria Board", "Kim Coordinator"]


def test_build_rows_on_an_earlier_day(jour):
    names = {row["name"] for row in federation.build_rows(EARLIER)}
    assert {"Olle Former", "Vera Left", "Erik Exit", "Lars Lapsed"} <= names
    assert "Fiona Future" not in names and "Sven Supporter" not in names


def test_the_jour_details_default_to_empty(db, settings):
    for name in ("JOUR_ADDRESS", "JOUR_EMAIL", "JOUR_PHONE"):
        if hasattr(settings, name):
            delattr(settings, name)
    rows = federation.build_rows(TODAY)
    assert rows == [federation.jour_row()]
    assert (rows[0]["name"], rows[0]["address"], rows[0]["email"], rows[0]["phone"]) == (
        settings.JOUR_NAME,
        "",
        "",
        "",
    )


def test_csv(jour):
    out = io.BytesIO()
    federation.write_csv(federation.build_rows(TODAY), out)
    assert_exactly_the_active_people(parse_csv(out.getvalue()), out.getvalue())


def test_csv_to_a_text_file(jour):
    out = io.StringIO()
    federation.write_csv(federation.build_rows(TODAY), out)
    assert_exactly_the_active_people(parse_csv(out.getvalue().encode("utf-8")))


def test_xlsx(jour):
    out = io.BytesIO()
    federation.write_xlsx(federation.build_rows(TODAY), out)
    assert_exactly_the_active_people(parse_xlsx(out.getvalue()))


def test_nothing_is_read_as_a_formula(db):
    Membership.objects.create(
        person=person("=HYPERLINK(1) Mallory", phone="+1+cmd|' /C calc'!A0"), kind=MembershipKind.MEMBER, start=TODAY
    )
    rows = federation.build_rows(TODAY)
    csv_rows = parse_csv(federation.csv_bytes(rows))
    assert csv_rows[-1]["name"] == "'=HYPERLINK(1) Mallory"
    assert csv_rows[-1]["phone"] == "'+1+cmd|' /C calc'!A0"
    sheet = load_workbook(io.BytesIO(federation.xlsx_bytes(rows))).active
    name = sheet.cell(row=3, column=KEYS.index("name") + 1)
    assert (name.value, name.data_type) == ("=HYPERLINK(1) Mallory", "s")


# --- The command ---------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "parse"), [("csv", parse_csv), ("xlsx", parse_xlsx), ("XLSX", parse_xlsx)])
def test_the_command_writes_both_formats(jour, tmp_path, suffix, parse):
    out = tmp_path / f"federation.{suffix}"
    call_command("federation_export", out=str(out), stdout=io.StringIO())
    data = out.read_bytes()
    assert_exactly_the_active_people(parse(data))
    assert os.stat(out).st_mode & 0o077 == 0, "readable by its owner only"
    record = federation.last_federation_export()
    assert record is not None and record.format == suffix.lower() and record.by is None and record.via == "command"


def test_the_command_records_who_with_by(jour, tmp_path):
    call_command("federation_export", out=str(tmp_path / "f.csv"), by="KIM@jour.test", stdout=io.StringIO())
    assert federation.last_federation_export().by == jour.coordinator
    with pytest.raises(CommandError):
        call_command("federation_export", out=str(tmp_path / "g.csv"), by=jour.alex.email, stdout=io.StringIO())
    assert not (tmp_path / "g.csv").exists()


def test_the_command_on_an_earlier_day(jour, tmp_path):
    out = tmp_path / "f.csv"
    call_command("federation_export", out=str(out), day=EARLIER.isoformat(), stdout=io.StringIO())
    assert "Olle Former" in out.read_bytes().decode("utf-8-sig")
    with pytest.raises(CommandError, match="date"):
        call_command("federation_export", out=str(out), day="yesterday", stdout=io.StringIO())


@pytest.mark.parametrize("name", ["federation.txt", "federation", "federation.csv.txt", "federation.xls"])
def test_the_command_refuses_other_suffixes(jour, tmp_path, name):
    with pytest.raises(CommandError, match=r"\.csv or \.xlsx"):
        call_command("federation_export", "--out", str(tmp_path / name), stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == []
    assert federation.last_federation_export() is None


def test_the_command_needs_an_existing_directory(jour, tmp_path):
    with pytest.raises(CommandError):
        call_command("federation_export", out=str(tmp_path / "missing" / "f.csv"), stdout=io.StringIO())


# --- The download ----------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "parse"), [("csv", parse_csv), ("xlsx", parse_xlsx)])
def test_the_download_is_an_attachment_and_is_recorded(client, jour, fmt, parse):
    login_verified(client, jour.coordinator)
    before = timezone.now()
    response = client.post(reverse("federation_export", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == federation.FORMATS[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="federation-export-{TODAY.isoformat()}.{fmt}"'
    assert response["Cache-Control"] == "no-store"
    assert_exactly_the_active_people(parse(response.content))

    entry = federation.export_records().get()
    assert entry.actor == jour.coordinator and entry.timestamp >= before
    assert entry.additional_data == {"federation_export": fmt, "rows": len(EXPECTED), "via": "web"}
    # Who and when, and nothing of the people exported.
    stored = repr([entry.object_repr, entry.changes, entry.changes_text, entry.serialized_data, entry.additional_data])
    for _category, name in EXPECTED:
        assert name not in stored
    assert "@people.example" not in stored

    record = federation.last_federation_export()
    assert (record.by, record.format, record.via, record.at) == (jour.coordinator, fmt, "web", entry.timestamp)


def test_the_last_export_is_the_latest(client, jour):
    assert federation.last_federation_export() is None
    login_verified(client, jour.coordinator)
    client.post(reverse("federation_export", args=["xlsx"]))
    client.post(reverse("federation_export", args=["csv"]))
    assert federation.last_federation_export().format == "csv"
    assert LogEntry.objects.filter(additional_data__has_key="federation_export").count() == 2
    # The board page tells everyone who may see it.
    login_verified(client, jour.auditor)
    assert client.get(reverse("board")).context["last_export"].format == "csv"


def test_the_download_is_post_only_and_knows_its_formats(client, jour):
    login_verified(client, jour.coordinator)
    assert client.get(reverse("federation_export", args=["csv"])).status_code == 405
    assert client.post(reverse("federation_export", args=["txt"])).status_code == 404
    assert federation.last_federation_export() is None


@pytest.mark.parametrize("attr", ["alex", "board", "auditor"])
def test_only_the_coordinator_may_export(client, jour, attr):
    login_verified(client, getattr(jour, attr))
    assert client.post(reverse("federation_export", args=["csv"])).status_code == 403
    assert federation.last_federation_export() is None


def test_the_filename_has_the_date():
    assert federation.filename("csv", date(2025, 1, 31)) == "federation-export-2025-01-31.csv"
