"""Who may be given a case, beyond the role: rules that higher floors add.

The case app knows roles; it does not know the member register. The members
app adds its condition here when it loads (a signed confidentiality pledge):
each rule says why one person cannot be assigned, and narrows the list the
assignment form offers, so the form and the service agree.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet


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
