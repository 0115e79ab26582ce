"""Every column where someone may have typed a seeker's name, phone number or
e-mail address, and how to take them out again.

Each app registers its free-text columns when it loads (its AppConfig.ready):
those that belong to a case say how to reach it (`case_path`), the others
(a board meeting's title, a supervision note) do not. Anonymising a case
blanks the free text of every row that belongs to it, and then removes the
seeker's surname, full name, phone number and e-mail address from every other
registered column that mentions them, wherever they were typed.
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from .identifiers import TAIL, phone_digits
from .models import Case

REMOVED = "[removed]"


@dataclass(frozen=True)
class Column:
    model: type
    fields: tuple[str, ...]
    case_path: str | None  # how a row reaches its case ("case", "pk"); None if it has none


COLUMNS: list[Column] = []


def register(model, fields: tuple[str, ...], *, case_path: str | None = None) -> None:
    if all(column.model is not model for column in COLUMNS):
        COLUMNS.append(Column(model, tuple(fields), case_path))


def blank_for_case(case: Case) -> dict[type, list[int]]:
    """Empty every registered free-text field of the rows that belong to `case`.
    Queryset updates: a model save would make auditlog copy the old values."""
    blanked = {}
    for column in COLUMNS:
        if column.case_path is None:
            continue
        rows = column.model.objects.filter(**{column.case_path: case.pk if column.case_path == "pk" else case})
        blanked[column.model] = list(rows.values_list("pk", flat=True))
        rows.update(**dict.fromkeys(column.fields, ""))
    return blanked


@dataclass(frozen=True)
class Seeker:
    """What is searched for: built from the case before its data is removed."""

    words: tuple[str, ...]  # the full name, then each surname part
    email: str
    phone_tail: str

    @classmethod
    def of(cls, case: Case) -> "Seeker":
        full = " ".join(part for part in (case.first_name.strip(), case.last_name.strip()) if part)
        surnames = [part for part in re.split(r"[\s-]+", case.last_name.strip()) if len(part) >= 2]
        words = tuple(dict.fromkeys([full, *surnames] if case.last_name.strip() else []))
        digits = phone_digits(case.phone)
        return cls(words, case.email.strip(), digits[-TAIL:] if len(digits) >= TAIL else "")

    def _phone_regex(self) -> str:
        # The digits with any punctuation between them: "111 22 33" and "1112233" alike.
        return r"[^0-9]{0,2}".join(self.phone_tail)

    def filter(self, field: str) -> Q:
        """Rows whose `field` may mention the seeker (the database narrows, Python decides)."""
        conditions = [Q(**{f"{field}__icontains": word}) for word in self.words]
        if self.email:
            conditions.append(Q(**{f"{field}__icontains": self.email}))
        if self.phone_tail:
            conditions.append(Q(**{f"{field}__regex": self._phone_regex()}))
        return reduce(or_, conditions) if conditions else Q(pk__in=[])

    def patterns(self) -> list[re.Pattern]:
        found = [re.compile(rf"(?<!\w){re.escape(word)}(?::?s)?(?!\w)", re.IGNORECASE) for word in self.words]
        if self.email:
            found.append(re.compile(re.escape(self.email), re.IGNORECASE))
        if self.phone_tail:
            found.append(re.compile(r"\+?[0-9 ()\-]{0,6}" + self._phone_regex()))
        return found

    def remove_from(self, text: str) -> str:
        for pattern in self.patterns():
            text = pattern.sub(REMOVED, text)
        return text


def remove_mentions(seeker: Seeker) -> dict[type, dict[int, set[str]]]:
    """Take the seeker's values out of every registered column; returns, per
    model, the rows changed and their fields (for the audit trail)."""
    changed: dict[type, dict[int, set[str]]] = {}
    if not (seeker.words or seeker.email or seeker.phone_tail):
        return changed
    for column in COLUMNS:
        condition = reduce(or_, (seeker.filter(field) for field in column.fields))
        for row in column.model.objects.filter(condition).only("pk", *column.fields):
            updates = {}
            for field in column.fields:
                text = getattr(row, field) or ""
                cleaned = seeker.remove_from(text)
                if cleaned != text:
                    updates[field] = cleaned
            if updates:
                column.model.objects.filter(pk=row.pk).update(**updates)
                changed.setdefault(column.model, {}).setdefault(row.pk, set()).update(updates)
    return changed
