"""Everything the system holds about one seeker (GDPR art. 15).

"One seeker" is the case asked about plus any other case with the same phone
number or e-mail address: the jour has no register of seekers, only cases.

The export is a list of sections per case, each a list of records, each a
list of `Item`s: a stable key (for the JSON), a label in the reader's language
(the model field's verbose name) and the value, both as data and as text to
read. cases fills in its own sections below; partners and calendars, which sit
above cases on the floor plan, add theirs with `add_section` in their
AppConfig.ready, as they do for the case page (cases/case_page.py).
Packing, encrypting and handing it out is cases/seeker_archive.py.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from jour import formatting
from jour.audit import record_event

from .models import Case

NOTHING = "–"


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    value: object  # str, bool, int, list or None: what the JSON holds
    text: str  # what the PDF shows


Record = list[Item]


@dataclass(frozen=True)
class Section:
    key: str
    title: object  # a lazy translation, read in the export's language
    records: Callable[[Case], list[Record]]
    order: int
    single: bool = False  # one record (the case itself), not a list


@dataclass
class SectionData:
    key: str
    title: str
    single: bool
    records: list[Record]


@dataclass
class CaseData:
    number: str
    sections: list[SectionData] = field(default_factory=list)


@dataclass
class Export:
    jour: str
    language: str
    produced_at: Item
    retention_months: int
    cases: list[CaseData]

    def as_dict(self) -> dict:
        def record(items: Record) -> dict:
            return {item.key: item.value for item in items}

        return {
            "jour": self.jour,
            "language": self.language,
            "produced_at": self.produced_at.value,
            "retention_months": self.retention_months,
            "cases": [
                {
                    section.key: record(section.records[0]) if section.single else [record(r) for r in section.records]
                    for section in case.sections
                }
                for case in self.cases
            ],
        }


_SECTIONS: list[Section] = []


def add_section(*, key: str, title, records: Callable[[Case], list[Record]], order: int, single=False) -> None:
    """Add a part of the export: `records(case)` returns the case's rows, each
    built with `describe`. Sections are shown in `order`."""
    if all(section.key != key for section in _SECTIONS):
        _SECTIONS.append(Section(key, title, records, order, single))
        _SECTIONS.sort(key=lambda section: section.order)


# --- Items: a field's label and value in the reader's language ---------------------------


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def when(value) -> tuple[object, str]:
    """A date or a moment as ISO text (the JSON) and in the language's own format."""
    if value is None:
        return None, NOTHING
    if hasattr(value, "tzinfo"):
        local = timezone.localtime(value)
        return local.isoformat(timespec="minutes"), formatting.moment(local, year=True)
    return value.isoformat(), formatting.day(value, year=True)


def item(key: str, label, value, text: str | None = None) -> Item:
    if text is None:
        text = NOTHING if value in (None, "", []) else str(value)
    return Item(key, capfirst(str(label)), value, text)


def describe(obj: models.Model, *names: str, labels: dict | None = None) -> Record:
    """Items for `names` of `obj`: the field's verbose name (or the label given,
    for fields that have none), choices by their label, dates formatted,
    Yes/No, and a person or organisation by name."""
    labels = labels or {}
    found = []
    for name in names:
        model_field = obj._meta.get_field(name)
        label = labels.get(name) or model_field.verbose_name
        raw = getattr(obj, name)
        if model_field.many_to_many:
            names_ = [str(getattr(other, "label", None) or getattr(other, "name", other)) for other in raw.all()]
            found.append(item(name, label, names_, ", ".join(names_) or NOTHING))
        elif model_field.is_relation:
            found.append(item(name, label, None if raw is None else getattr(raw, "name", str(raw))))
        elif model_field.choices:
            found.append(item(name, label, getattr(obj, f"get_{name}_display")() if raw else None))
        elif isinstance(model_field, models.BooleanField):
            found.append(item(name, label, raw, yes_no(raw)))
        elif isinstance(model_field, models.DateField):  # DateTimeField too
            found.append(item(name, label, *when(raw)))
        else:
            found.append(item(name, label, raw))
    return found


# --- cases' own sections ------------------------------------------------------------------

WHO_WHEN = {
    "assigned_at": gettext_lazy("assigned"),
    "assigned_by": gettext_lazy("assigned by"),
    "ended_at": gettext_lazy("ended"),
    "made_by": gettext_lazy("by"),
    "filed_by": gettext_lazy("filed by"),
    "shredded_by": gettext_lazy("shredded by"),
    "recorded_by": gettext_lazy("recorded by"),
    "recorded_at": gettext_lazy("recorded"),
    "urgent_confirmed_by": gettext_lazy("urgent priority confirmed by"),
    "urgent_confirmed_at": gettext_lazy("urgent priority confirmed"),
    "created_by": gettext_lazy("by"),
    "created_at": gettext_lazy("recorded"),
    "released_at": gettext_lazy("released"),
    "registered_by": gettext_lazy("registered by"),
    "person": gettext_lazy("who"),
    "done_by": gettext_lazy("by"),
}

CASE_FIELDS = (
    "number",
    "received_at",
    "registered_at",
    "registered_by",
    "channel",
    "priority",
    "crime_type",
    "circumstances",
    "reported_to_police",
    "anonymous",
    "first_name",
    "last_name",
    "phone",
    "email",
    "preferred_contact",
    "safe_to_leave_message",
    "protected_identity",
    "gender",
    "age_group",
    "municipality",
    "seeker_role",
    "first_contact_by",
    "police_referral_form",
    "first_contact_due",
    "first_contact_at",
    "status",
    "closed_at",
    "closing_reason",
    "anonymised_at",
)


def _case(case: Case) -> list[Record]:
    return [describe(case, *CASE_FIELDS, labels=WHO_WHEN)]


def _assignments(case: Case) -> list[Record]:
    rows = case.assignments.select_related("person", "assigned_by").order_by("assigned_at", "pk")
    fields = ("person", "kind", "assigned_at", "assigned_by", "note", "ended_at", "end_note")
    return [describe(row, *fields, labels=WHO_WHEN) for row in rows]


def _attempts(case: Case) -> list[Record]:
    rows = case.attempts.select_related("made_by").order_by("made_at", "pk")
    return [describe(row, "made_at", "method", "outcome", "made_by", "note", labels=WHO_WHEN) for row in rows]


def _journal(case: Case) -> list[Record]:
    # Oldest first, as every other part of the export: it is read as a history.
    rows = case.journal.select_related("author").order_by("written_at", "pk")
    return [describe(row, "written_at", "author", "text", "corrected_at") for row in rows]


def _actions(case: Case) -> list[Record]:
    rows = case.actions.select_related("done_by").order_by("done_on", "pk")
    return [describe(row, "done_on", "kind", "done_by", "recorded_at", labels=WHO_WHEN) for row in rows]


def _risk_checks(case: Case) -> list[Record]:
    rows = case.risk_checks.select_related("recorded_by", "urgent_confirmed_by").order_by("recorded_at", "pk")
    fields = (
        "recorded_at",
        "recorded_by",
        "immediate_danger",
        "threats_known_person",
        "children_at_risk",
        "protected_identity_needed",
        "urgent_confirmed_by",
        "urgent_confirmed_at",
    )
    return [describe(row, *fields, labels=WHO_WHEN) for row in rows]


def _paper(case: Case) -> list[Record]:
    rows = case.paper_records.select_related("filed_by", "shredded_by").order_by("filed_on", "pk")
    fields = ("kind", "description", "filed_on", "filed_by", "shredded_at", "shredded_by")
    return [describe(row, *fields, labels=WHO_WHEN) for row in rows]


def _holds(case: Case) -> list[Record]:
    rows = case.holds.select_related("created_by").order_by("created_at", "pk")
    fields = ("reason", "until", "created_at", "created_by", "released_at")
    return [describe(row, *fields, labels=WHO_WHEN) for row in rows]


def _access(case: Case) -> list[Record]:
    """Who opened the case, from the audit log: every access entry on it."""
    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            object_pk=str(case.pk),
            action=LogEntry.Action.ACCESS,
        )
        .select_related("actor")
        .order_by("timestamp", "pk")
    )
    found = []
    for entry in entries:
        exported = "seeker_data_export" in (entry.additional_data or {})
        what = _("Made the export of the seeker's data") if exported else _("Opened the case")
        who = entry.actor.name if entry.actor else None
        found.append(
            [
                item("at", _("when"), *when(entry.timestamp)),
                item("by", _("who"), who),
                item("what", _("what"), what),
            ]
        )
    return found


add_section(key="case", title=gettext_lazy("The case"), records=_case, order=0, single=True)
add_section(key="support_persons", title=gettext_lazy("Support persons"), records=_assignments, order=10)
add_section(key="journal", title=gettext_lazy("Case journal"), records=_journal, order=15)
add_section(key="contact_attempts", title=gettext_lazy("Contact attempts"), records=_attempts, order=20)
add_section(key="actions", title=gettext_lazy("Actions taken"), records=_actions, order=25)
add_section(key="risk_checks", title=gettext_lazy("Risk checks"), records=_risk_checks, order=30)
add_section(key="paper_records", title=gettext_lazy("Paper documents"), records=_paper, order=70)
add_section(key="retention_holds", title=gettext_lazy("Held back from anonymisation"), records=_holds, order=80)
add_section(key="access", title=gettext_lazy("Who opened the case"), records=_access, order=90)


# --- The whole export ---------------------------------------------------------------------


def related_cases(case: Case):
    same = Q(pk=case.pk)
    if case.phone:
        same |= Q(phone=case.phone)
    if case.email:
        same |= Q(email__iexact=case.email)
    return Case.objects.filter(same).order_by("received_at", "pk")


def collect(case: Case, *, language: str | None = None) -> Export:
    """Everything held about the seeker of `case`, labelled in `language`
    (the site's default if none is given)."""
    language = language or settings.LANGUAGE_CODE
    with override(language):
        cases = []
        for found in related_cases(case):
            data = CaseData(found.number)
            for section in _SECTIONS:
                data.sections.append(
                    SectionData(section.key, str(section.title), section.single, section.records(found))
                )
            cases.append(data)
        return Export(
            jour=settings.JOUR_NAME,
            language=language,
            produced_at=item("produced_at", _("produced"), *when(timezone.now())),
            retention_months=settings.JOUR_RETENTION_MONTHS,
            cases=cases,
        )


def as_json(export: Export) -> bytes:
    return json.dumps(export.as_dict(), ensure_ascii=False, indent=2).encode()


def record_export(*, case: Case, by, fmt: str) -> None:
    record_event(
        obj=case,
        action=LogEntry.Action.ACCESS,
        actor=by,
        additional_data={"seeker_data_export": "GDPR art. 15", "format": fmt},
    )
