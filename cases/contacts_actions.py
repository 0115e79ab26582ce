"""Contacts and actions, counted as the federation counts them.

Brottsofferjouren Sverige asks each jour for the number of contacts and
actions ("antal kontakter och insatser") per case. This is the one definition;
the case page and the statistics both count through this module.

Contacts:
- every contact attempt logged (cases.ContactAttempt), whatever its outcome;
- every meeting with the seeker held: a calendar appointment of kind MEETING
  on the case, not cancelled, that started before now.

Actions:
- every court hearing accompanied: an appointment of kind COURT on the case,
  not cancelled, that started before now (a hearing on no case is no case's);
- every referral out to a partner (partners.Referral, direction OUT); a
  referral in is how a case came to the jour, not something done for it;
- every recorded action (cases.Action), whatever its kind.

Each item counts in the period in which it happened: an attempt by made_at,
an appointment by starts_at, a referral by made_on, an action by done_on. An
item that has a date but no time happened at the start of its day in
Stockholm, so a period from midnight to midnight takes the days it covers.

cases sits below calendars and partners on the floor plan and cannot import
them. Each app says what it contributes when it loads (its AppConfig.ready
calls `register`), as it adds its sections to the case page: which rows
count and what kind each is. This module filters them by case and period and
counts them with one GROUP BY query per source, so one case and twenty
thousand cost the same number of queries.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jour.workdays import STOCKHOLM

from .models import Action, ActionKind, Case, ContactAttempt

CONTACT, ACTION = "contact", "action"


@dataclass(frozen=True)
class Kind:
    """One line of the breakdown: what was counted, and on which side."""

    key: str
    label: object = field(compare=False)  # a lazy translation
    side: str = CONTACT  # CONTACT or ACTION
    order: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Source:
    name: str
    rows: Callable[[datetime], models.QuerySet]  # now -> the rows that count
    happened: str  # the field that says when: a DateTimeField or a DateField
    kinds: dict  # the grouped value -> Kind; {None: Kind} when every row is one kind
    kind_field: str | None = None
    case_field: str = "case"


_SOURCES: list[Source] = []


def register(
    *,
    name: str,
    rows: Callable[[datetime], models.QuerySet],
    happened: str,
    kinds: dict,
    kind_field: str | None = None,
    case_field: str = "case",
) -> None:
    """Add what an app counts. ``rows(now)`` returns the rows that count (held,
    not cancelled, the right direction), ``happened`` names the field that dates
    each, and ``kinds`` maps the value of ``kind_field`` (or None) to its Kind."""
    if all(source.name != name for source in _SOURCES):
        _SOURCES.append(Source(name, rows, happened, dict(kinds), kind_field, case_field))


def kinds() -> list[Kind]:
    """Every kind counted, in the order the breakdown shows them."""
    found = [kind for source in _SOURCES for kind in source.kinds.values()]
    return sorted(found, key=lambda kind: kind.order)


@dataclass(frozen=True)
class Counts:
    contacts: int = 0
    actions: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)  # Kind.key -> n, kinds with none left out

    @classmethod
    def of(cls, by_kind: dict[str, int], sides: dict[str, str] | None = None) -> "Counts":
        """From counts by Kind.key; ``sides`` (key -> side) saves looking them up again."""
        sides = sides or {kind.key: kind.side for kind in kinds()}
        return cls(
            contacts=sum(n for key, n in by_kind.items() if sides.get(key) == CONTACT),
            actions=sum(n for key, n in by_kind.items() if sides.get(key) == ACTION),
            by_kind={key: n for key, n in by_kind.items() if n},
        )

    def __add__(self, other: "Counts") -> "Counts":
        merged = dict(self.by_kind)
        for key, n in other.by_kind.items():
            merged[key] = merged.get(key, 0) + n
        return Counts(self.contacts + other.contacts, self.actions + other.actions, merged)

    def breakdown(self, side: str | None = None) -> list[tuple[Kind, int]]:
        """(kind, n) of the kinds counted, in order; only one side if asked."""
        return [
            (kind, self.by_kind[kind.key])
            for kind in kinds()
            if kind.key in self.by_kind and (side is None or kind.side == side)
        ]

    @property
    def contact_kinds(self) -> list[tuple[Kind, int]]:
        return self.breakdown(CONTACT)

    @property
    def action_kinds(self) -> list[tuple[Kind, int]]:
        return self.breakdown(ACTION)


NONE = Counts()


@dataclass(frozen=True)
class Tally:
    per_case: dict[int, Counts]  # cases with nothing counted are left out
    total: Counts

    def of(self, case_id: int) -> Counts:
        return self.per_case.get(case_id, NONE)


def _first_day_from(moment: datetime) -> date:
    """The first day whose start (midnight in Stockholm) is at or after ``moment``."""
    local = timezone.localtime(moment, STOCKHOLM)
    return local.date() if local.time() == time() else local.date() + timedelta(days=1)


def _in_period(source: Source, rows, start_at: datetime | None, end_at: datetime | None):
    is_moment = isinstance(rows.model._meta.get_field(source.happened), models.DateTimeField)
    if start_at is not None:
        rows = rows.filter(**{f"{source.happened}__gte": start_at if is_moment else _first_day_from(start_at)})
    if end_at is not None:
        rows = rows.filter(**{f"{source.happened}__lt": end_at if is_moment else _first_day_from(end_at)})
    return rows


def counts_by(
    *,
    by: str = "pk",
    cases: models.QuerySet | Iterable[int] | None = None,
    start_at: datetime | None = None,
    end_at: datetime | None = None,
    now: datetime | None = None,
) -> dict[object, Counts]:
    """Contacts and actions grouped on a field of the case (``by``: its pk, its
    gender, ...), for ``cases`` (None: every case) in the period (None: from
    the beginning, until now). One query per registered source."""
    now = now or timezone.now()
    if isinstance(cases, models.QuerySet):
        cases = cases.order_by().values("pk")  # a subquery: the cases are never fetched
    elif cases is not None:
        cases = list(cases)
        if not cases:
            return {}
    found: dict[object, dict[str, int]] = {}
    for source in _SOURCES:
        rows = source.rows(now).filter(**{f"{source.case_field}__isnull": False})
        if cases is not None:
            rows = rows.filter(**{f"{source.case_field}__in": cases})
        if source.kind_field:
            rows = rows.filter(**{f"{source.kind_field}__in": list(source.kinds)})
        rows = _in_period(source, rows, start_at, end_at)
        group = source.case_field if by == "pk" else f"{source.case_field}__{by}"
        fields = [group, source.kind_field] if source.kind_field else [group]
        for row in rows.order_by().values(*fields).annotate(n=Count("pk")):
            kind = source.kinds[row[source.kind_field] if source.kind_field else None]
            mine = found.setdefault(row[group], {})
            mine[kind.key] = mine.get(kind.key, 0) + row["n"]
    sides = {kind.key: kind.side for kind in kinds()}
    return {value: Counts.of(by_kind, sides) for value, by_kind in found.items()}


def for_cases(
    cases: models.QuerySet | Iterable[int] | None,
    start_at: datetime | None = None,
    end_at: datetime | None = None,
    *,
    now: datetime | None = None,
) -> Tally:
    """Each case's contacts and actions in the period, and their total, in a
    fixed number of queries (one per registered source) however many cases."""
    per_case = counts_by(by="pk", cases=cases, start_at=start_at, end_at=end_at, now=now)
    total = NONE
    for counts in per_case.values():
        total = total + counts
    return Tally(per_case=per_case, total=total)


def for_case(case: Case, *, now: datetime | None = None) -> Counts:
    """Everything counted on one case so far."""
    return for_cases([case.pk], now=now).of(case.pk)


# --- cases' own sources ---------------------------------------------------------------------

register(
    name="attempts",
    rows=lambda now: ContactAttempt.objects.all(),
    happened="made_at",
    kinds={None: Kind("attempts", _("Contact attempts"), CONTACT, 10)},
)
register(
    name="actions",
    rows=lambda now: Action.objects.all(),
    happened="done_on",
    kind_field="kind",
    kinds={value: Kind(value, label, ACTION, 50 + n) for n, (value, label) in enumerate(ActionKind.choices)},
)
