"""How the audit log reads: in the UI's language, with local times.

auditlog stores an entry's changes as the raw values of the model's fields
("auditor_verdict: unassessed → met", times as naive UTC strings). A coordinator
reads "Revisorernas bedömning: ej bedömd → uppfyllt" and the time on the
office clock. Only the models in the app registry are consulted: showing a page
of entries costs no query beyond reading the entries (auditlog's own
changes_display_dict looks up every foreign key, and shows a masked choice as
"None").
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext, gettext_noop

from . import formatting
from .audit import MASK

# The same words as the log's filter.
ACTIONS = {
    LogEntry.Action.CREATE: gettext_noop("created"),
    LogEntry.Action.UPDATE: gettext_noop("changed"),
    LogEntry.Action.DELETE: gettext_noop("deleted"),
    LogEntry.Action.ACCESS: gettext_noop("opened"),
}
# How auditlog writes a missing value and a boolean.
NONE, TRUE, FALSE = "None", "True", "False"


@dataclass
class Change:
    field: str
    before: str
    after: str


def action_label(action: int) -> str:
    return gettext(ACTIONS[action]) if action in ACTIONS else str(action)


def _words(text) -> str:
    """A name Django made up in English ("recorded at") in the UI's language
    (jour.audit_words); a translated verbose_name is already in it."""
    return gettext(str(text))


def model_label(model) -> str:
    return _words(model._meta.verbose_name) if model is not None else ""


# A key of the changes that is no field: an event's own ("rows", "period").
EVENT_KEY = object()


def _field(model, name: str):
    if model is None:
        return EVENT_KEY
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return EVENT_KEY


def _moment(text: str, field) -> str:
    """auditlog writes an aware time as a naive one in UTC."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return text
    if isinstance(field, models.DateTimeField):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return formatting.stamp(value)
    if isinstance(field, models.DateField):
        return formatting.day(value.date(), year=True)
    return text


def value_label(text, field) -> str:
    if not isinstance(text, str):
        text = str(text)
    if text == MASK:
        return MASK
    if text == NONE or text == "":
        return formatting.MISSING
    choices = getattr(field, "flatchoices", None) if field is not None else None
    if choices:
        labels = {str(value): label for value, label in choices}
        if text in labels:
            return str(labels[text])
    if (field is None or isinstance(field, models.BooleanField)) and text in (TRUE, FALSE):
        return gettext("yes") if text == TRUE else gettext("no")
    if isinstance(field, (models.DateTimeField, models.DateField)):
        return _moment(text, field)
    return _words(text) if field is None else text


def _m2m(change: dict) -> tuple[str, str]:
    names = ", ".join(str(name) for name in change.get("objects", []))
    return ("", f"+ {names}") if change.get("operation") == "add" else (f"− {names}", "")


def changes(entry: LogEntry) -> list[Change]:
    model = entry.content_type.model_class()
    rows = []
    for name, values in entry.changes_dict.items():
        field = _field(model, name)
        if field is not EVENT_KEY and field.auto_created and not field.concrete:
            continue  # auditlog notes a new record's reverse relations ("answers: None"): nothing to read
        if field is EVENT_KEY:
            field = None
        label = _words(field.verbose_name if field is not None else name)
        if isinstance(values, dict):  # a many-to-many change: who was added or removed
            before, after = _m2m(values)
        else:
            before, after = (value_label(v, field) for v in list(values)[:2])
        rows.append(Change(label, before, after))
    return rows


def record_label(entry: LogEntry, model) -> str:
    """The kind of record and which one: "användare #2", not "användare user #2".
    object_repr is the record's str() when it was logged, which for most models
    starts with the model's English name."""
    label, shown = model_label(model), entry.object_repr
    if model is not None:
        english = f"{model._meta.verbose_name_raw} "
        if shown.lower().startswith(english.lower()):
            shown = shown[len(english) :]
    return f"{label} {shown}".strip()


def describe(entries) -> None:
    """Give each entry of a page what the log shows, in the active language."""
    for entry in entries:
        model = entry.content_type.model_class()
        entry.action_label = action_label(entry.action)
        entry.record_label = record_label(entry, model)
        entry.change_rows = changes(entry)
