"""The export that keeps the federation supplied with the jour's contact details.

The federation's minimum requirements: the jour shall keep the federation
supplied with current address and contact details for the jour, the board,
support persons, employees and other members.

One row per person and category, of whoever is active on the day:

- the jour itself (settings.JOUR_NAME, JOUR_ADDRESS, JOUR_EMAIL, JOUR_PHONE);
- the board: active board terms, with the role (the co-opted coordinator included);
- support persons and witness supporters: active volunteer assignments (an
  assignment that is both gives two rows, one in each category);
- employees: active employments, with the title;
- other members: active memberships of the kind "member". Supporting members
  are left out: they support the jour with a fee but are not members in the
  sense of the requirement, and the federation asks for members.

A person may appear in several categories (a board member who is also a
member, say). Nobody whose engagement has ended, or not yet started, is in it.

The file is for the federation, so it is written in the jour's language
(settings.LANGUAGE_CODE) whatever language the user's pages are in.

Each export is recorded with who and when. There is no model for it yet: the
record is an audit-log entry (action "access" on people, additional_data
{"federation_export": <format>, ...}); last_federation_export() reads it. A
download is not a sending: the board page offers to record the sending itself
in compliance's register (requirement G8).
"""

import csv
import io
import os
import re
from dataclasses import dataclass
from datetime import date, datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from jour.audit import record_bulk_access

from .board import ROLE_ORDER
from .models import BoardRole, BoardTerm, Employment, Membership, MembershipKind, Person, VolunteerAssignment, active_on

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

JOUR = "jour"
BOARD = "board"
SUPPORT_PERSON = "support_person"
WITNESS_SUPPORTER = "witness_supporter"
EMPLOYEE = "employee"
MEMBER = "member"

# In the order the file lists them.
CATEGORIES = {
    JOUR: _("The jour"),
    BOARD: _("Board"),
    SUPPORT_PERSON: _("Support person"),
    WITNESS_SUPPORTER: _("Witness supporter"),
    EMPLOYEE: _("Employee"),
    MEMBER: _("Member"),
}

COLUMNS = [
    ("category", _("Category")),
    ("role", _("Role or title")),
    ("name", _("Name")),
    ("address", _("Address")),
    ("postcode", _("Postcode")),
    ("town", _("Town")),
    ("email", _("E-mail")),
    ("phone", _("Phone")),
    ("since", _("Since")),
]

AUDIT_KEY = "federation_export"


def _row(category: str, person: Person | None = None, *, role="", since: date | None = None, **values) -> dict:
    row = {"category": category, "role": role, "since": since}
    if person is not None:
        values = {field: getattr(person, field) for field in ("name", "address", "postcode", "town", "email", "phone")}
        row["person_id"] = person.pk
    row.update({key: values.get(key, "") for key in ("name", "address", "postcode", "town", "email", "phone")})
    return row


def jour_row() -> dict:
    return _row(
        JOUR,
        name=settings.JOUR_NAME,
        address=getattr(settings, "JOUR_ADDRESS", ""),
        email=getattr(settings, "JOUR_EMAIL", ""),
        phone=getattr(settings, "JOUR_PHONE", ""),
    )


def _first_per_person(engagements):
    """One engagement per person: the one that started first."""
    chosen = {}
    for engagement in sorted(engagements, key=lambda e: (e.start, e.pk)):
        chosen.setdefault(engagement.person_id, engagement)
    return sorted(chosen.values(), key=lambda e: (e.person.name, e.person_id))


def build_rows(day: date) -> list[dict]:
    """The rows of the export on `day`: dicts with the keys of COLUMNS (the
    category as its key in CATEGORIES) and person_id for people."""
    rows = [jour_row()]

    terms = BoardTerm.objects.filter(active_on(day)).select_related("person")
    terms = sorted(terms, key=lambda t: (ROLE_ORDER.index(t.role), t.person.name, t.person_id, t.start))
    seen = set()
    for term in terms:
        if (term.person_id, term.role) not in seen:
            seen.add((term.person_id, term.role))
            rows.append(_row(BOARD, term.person, role=BoardRole(term.role).label, since=term.start))

    volunteering = list(VolunteerAssignment.objects.filter(active_on(day)).select_related("person"))
    for category, flag in ((SUPPORT_PERSON, "support_person"), (WITNESS_SUPPORTER, "witness_supporter")):
        for assignment in _first_per_person(v for v in volunteering if getattr(v, flag)):
            rows.append(_row(category, assignment.person, since=assignment.start))

    employments = Employment.objects.filter(active_on(day)).select_related("person")
    for employment in sorted(employments, key=lambda e: (e.person.name, e.person_id, e.start)):
        rows.append(_row(EMPLOYEE, employment.person, role=employment.title, since=employment.start))

    memberships = Membership.objects.filter(active_on(day), kind=MembershipKind.MEMBER).select_related("person")
    for membership in _first_per_person(memberships):
        rows.append(_row(MEMBER, membership.person, since=membership.start))
    return rows


# --- Writing ---------------------------------------------------------------

# A phone number may start with + and stays as it is; anything else that a
# spreadsheet would read as a formula gets a leading apostrophe.
_HARMLESS_NUMBER = re.compile(r"^\+?[\d\s()\-]+$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value: str) -> str:
    if value.startswith(_FORMULA_START) and not _HARMLESS_NUMBER.match(value):
        return "'" + value
    return value


def table(rows: list[dict]) -> tuple[list[str], list[list]]:
    """The header and the cells, in the jour's language. Text is str, dates are date."""
    with translation.override(settings.LANGUAGE_CODE):
        header = [str(label) for _key, label in COLUMNS]
        body = []
        for row in rows:
            cells = []
            for key, _label in COLUMNS:
                value = row.get(key)
                if key == "category":
                    value = str(CATEGORIES[value])
                elif value is None:
                    value = ""
                elif not isinstance(value, date):
                    value = str(value)
                cells.append(value)
            body.append(cells)
    return header, body


def _write_bytes(data: bytes, target) -> None:
    """To a path (created readable by its owner only: it holds personal data),
    or to a binary file object."""
    if isinstance(target, str | os.PathLike):
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    else:
        target.write(data)


def csv_bytes(rows: list[dict]) -> bytes:
    header, body = table(rows)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for cells in body:
        writer.writerow([value.isoformat() if isinstance(value, date) else _safe_text(value) for value in cells])
    return text.getvalue().encode("utf-8-sig")


def write_csv(rows: list[dict], path_or_file) -> None:
    """UTF-8 with a byte order mark (so that Excel reads å, ä and ö), semicolons
    between the fields (Excel's separator in Swedish settings)."""
    data = csv_bytes(rows)
    if isinstance(path_or_file, io.TextIOBase):
        path_or_file.write(data.decode("utf-8"))
    else:
        _write_bytes(data, path_or_file)


def xlsx_bytes(rows: list[dict]) -> bytes:

    header, body = table(rows)
    workbook = Workbook()
    sheet = workbook.active
    with translation.override(settings.LANGUAGE_CODE):
        sheet.title = str(_("Contact details"))[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, cells in enumerate(body, start=2):
        for c, value in enumerate(cells, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, date) and not isinstance(value, datetime):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
    sheet.freeze_panes = "A2"
    for c in range(len(COLUMNS)):
        width = max([len(header[c])] + [len(str(cells[c])) for cells in body])
        sheet.column_dimensions[get_column_letter(c + 1)].width = min(max(width + 2, 10), 50)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_xlsx(rows: list[dict], path_or_file) -> None:
    """One sheet, a header row, one row per person and category."""
    _write_bytes(xlsx_bytes(rows), path_or_file)


WRITERS = {"csv": csv_bytes, "xlsx": xlsx_bytes}


def filename(fmt: str, day: date) -> str:
    return f"federation-export-{day.isoformat()}.{fmt}"


# --- The record of each export ----------------------------------------------


@dataclass(frozen=True)
class ExportRecord:
    at: datetime
    by: object  # jour.models.User, or None for the management command without --by
    format: str
    via: str


def record_export(*, by, fmt: str, rows: int, via: str) -> LogEntry:
    """That an export happened: who, when, the format and how many rows. No
    personal data of the people exported."""
    return record_bulk_access(
        model=Person, actor=by, label="federation export", additional_data={AUDIT_KEY: fmt, "rows": rows, "via": via}
    )


def export_records():
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person),
        action=LogEntry.Action.ACCESS,
        additional_data__has_key=AUDIT_KEY,
    ).order_by("-timestamp", "-pk")


def last_federation_export(until: date | None = None) -> ExportRecord | None:
    """When the contact details were last exported (up to and including the
    day `until`), by whom, in which format; None if never. An export is a
    download, not a sending: the sendings are compliance's FederationSending."""
    records = export_records()
    if until is not None:
        records = records.filter(timestamp__date__lte=until)
    entry = records.select_related("actor").first()
    if entry is None:
        return None
    data = entry.additional_data or {}
    return ExportRecord(at=entry.timestamp, by=entry.actor, format=data.get(AUDIT_KEY, ""), via=data.get("via", ""))
