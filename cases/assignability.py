"""Who may be given a case, beyond the role: rules that higher floors add.

The case app knows roles; it does not know the member register. The members
app adds its condition here when it loads (a signed confidentiality pledge):
each rule says why one person cannot be assigned, and narrows the list the
assignment form offers, so the form and the service agree. The person's load
(open cases against their capacity) is read the same way.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, PositiveSmallIntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Assignment


@dataclass(frozen=True)
class Rule:
    reasons: Callable  # (user, day) -> list[str]: why this user cannot be assigned on day
    limit: Callable  # (users: QuerySet, day) -> QuerySet: those who can


_rules: list[Rule] = []


def add_rule(*, reasons: Callable, limit: Callable) -> None:
    rule = Rule(reasons, limit)
    if rule not in _rules:
        _rules.append(rule)


def reasons_against(user, day: date) -> list[str]:
    return [reason for rule in _rules for reason in rule.reasons(user, day)]


def assignable(users: QuerySet, day: date) -> QuerySet:
    for rule in _rules:
        users = rule.limit(users, day)
    return users


# --- Load: open cases against what the person can take --------------------------------
# How many cases a person can have at a time is the member register's (a volunteer
# assignment's capacity); the members app says how to read it when it loads.
_capacity: list[Callable] = []  # (users: QuerySet, day) -> QuerySet annotated with `capacity` (None: not known)


def set_capacity(annotate: Callable) -> None:
    _capacity[:] = [annotate]


def with_load(users: QuerySet, day: date) -> QuerySet:
    """``users`` annotated with ``open_cases`` (their open assignments) and
    ``capacity`` (None where nobody says), in the same query."""
    open_cases = (
        Assignment.objects.filter(person=OuterRef("pk"), ended_at__isnull=True)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    users = users.annotate(open_cases=Coalesce(Subquery(open_cases), 0))
    if _capacity:
        return _capacity[0](users, day)
    return users.annotate(capacity=Value(None, output_field=PositiveSmallIntegerField()))


@dataclass(frozen=True)
class Load:
    open_cases: int
    capacity: int | None

    @property
    def full(self) -> bool:
        """One more case would take the person beyond what they can have."""
        return self.capacity is not None and self.open_cases >= self.capacity


def load_of(user, day: date) -> Load:
    found = with_load(type(user).objects.filter(pk=user.pk), day).values("open_cases", "capacity").first()
    return Load(found["open_cases"], found["capacity"]) if found else Load(0, None)
