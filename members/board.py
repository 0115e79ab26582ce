"""The board, and the federation's rule about the coordinator's place on it.

The federation's minimum requirements: the jour's coordinator (volunteer or
employed) shall be co-opted to the board, and shall NOT be a member of it.

Who "the coordinator" is
------------------------
A Person is a coordinator on a day when either

- their login account is active and has the coordinator role (this covers a
  volunteer coordinator, who has no employment). An account's role carries no
  dates: it counts as it stands now, whatever day is asked about; or
- they hold an Employment, active on that day, whose title contains
  "samordnare", "koordinator" or "coordinator" (case-insensitive), e.g.
  "Samordnare", "Verksamhetssamordnare", "Jourkoordinator", "Volunteer coordinator".

A jour may have more than one coordinator. The rule holds when at least one of
them is co-opted and none of them holds a voting seat.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jour import access

from .models import BoardRole, BoardTerm, Employment, Person, active_on

COORDINATOR_TITLE_WORDS = ("samordnare", "koordinator", "coordinator")

# Every role but co-opted is a seat on the board: chair, treasurer, secretary,
# ordinary member and deputy (a deputy votes in a member's place).
VOTING_ROLES = frozenset(role for role in BoardRole if role != BoardRole.CO_OPTED)

# Board roles in the order the board lists them.
ROLE_ORDER = [
    BoardRole.CHAIR,
    BoardRole.TREASURER,
    BoardRole.SECRETARY,
    BoardRole.MEMBER,
    BoardRole.DEPUTY,
    BoardRole.CO_OPTED,
]

RULE_TEXT = gettext_lazy(
    "The coordinator shall be co-opted to the board but shall not be a member of it: "
    "no vote, no seat as chair, treasurer, secretary, member or deputy."
)


@dataclass(frozen=True)
class RuleResult:
    """ok, and why, in plain words. `problems` lists each failure on its own
    (reason joins them); `warnings` are worth fixing but do not break the rule."""

    ok: bool
    reason: str
    problems: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return self.ok


def _coordinator_title() -> Q:
    title = Q()
    for word in COORDINATOR_TITLE_WORDS:
        title |= Q(title__icontains=word)
    return title


def _by_account() -> Q:
    return Q(account__is_active=True, account__role__in=access.may_run_the_jour.roles)


def coordinator_employments():
    """Employments held as the jour's coordinator: the title names one, or the
    person's login account has the coordinator role. The account counts active
    or not (it is closed once its holder has left, and its role carries no
    dates); the employment's own dates say when."""
    by_role = Q(person__account__role__in=access.may_run_the_jour.roles)
    return Employment.objects.filter(_coordinator_title() | by_role)


def coordinators_on(day: date):
    """The people who are the jour's coordinator on `day` (see the module docstring)."""
    employed = Employment.objects.filter(active_on(day)).filter(_coordinator_title()).values("person")
    return Person.objects.filter(_by_account() | Q(pk__in=employed)).distinct()


def is_coordinator_during(person: Person, start: date, end: date | None) -> bool:
    """Whether `person` is a coordinator on any day of a term from `start` until
    `end` (the day it stopped, as everywhere in members.models; open when None)."""
    if person.account_id and access.may_run_the_jour(person.account):
        return True
    overlapping = Q(end__isnull=True) | Q(end__gt=start)
    if end is not None:
        # A term that starts and stops on the same day still counts for that day.
        overlapping &= Q(start__lt=max(end, start + timedelta(days=1)))
    return Employment.objects.filter(overlapping, _coordinator_title(), person=person).exists()


def active_terms(day: date):
    return BoardTerm.objects.filter(active_on(day)).select_related("person")


def _names(people) -> str:
    return ", ".join(sorted(person.name for person in people))


def coordinator_rule(day: date | None = None) -> RuleResult:
    """Whether the board keeps the federation's rule on `day` (default today).

    ok when at least one coordinator holds an active co-opted term and no
    coordinator holds an active voting term. Ended and future terms are ignored.
    """
    day = day or timezone.localdate()
    coordinators = {person.pk: person for person in coordinators_on(day)}
    terms = list(active_terms(day))
    co_opted = [t for t in terms if t.role == BoardRole.CO_OPTED]
    co_opted_coordinators = {t.person_id: t.person for t in co_opted if t.person_id in coordinators}
    voting_coordinator_terms = [t for t in terms if t.role in VOTING_ROLES and t.person_id in coordinators]

    problems = []
    if not coordinators:
        problems.append(
            _(
                "Nobody is recorded as the coordinator: no active login account with the coordinator role "
                "and no current employment with a coordinator title. The coordinator must be co-opted to the board."
            )
        )
    elif not co_opted_coordinators:
        problems.append(
            _("The coordinator (%(names)s) is not co-opted to the board. Add a co-opted term.")
            % {"names": _names(coordinators.values())}
        )
    for term in sorted(voting_coordinator_terms, key=lambda t: t.person.name):
        problems.append(
            _(
                "%(name)s is the coordinator but sits on the board as %(role)s. The coordinator may only be "
                "co-opted: end this term and add a co-opted one."
            )
            % {"name": term.person.name, "role": term.get_role_display().lower()}
        )

    warnings = tuple(
        _("%(name)s holds the co-opted seat but is not the coordinator any more. End the term.")
        % {"name": term.person.name}
        for term in sorted(co_opted, key=lambda t: t.person.name)
        if term.person_id not in coordinators
    )
    if problems:
        return RuleResult(ok=False, reason=" ".join(problems), problems=tuple(problems), warnings=warnings)
    return RuleResult(
        ok=True,
        reason=_("The coordinator (%(names)s) is co-opted to the board and holds no voting seat.")
        % {"names": _names(co_opted_coordinators.values())},
        warnings=warnings,
    )


def check_term(*, person: Person, role: str, start: date, end: date | None) -> None:
    """Refuse a board term that would contradict the rule, with the error on
    the `role` field: a coordinator in a voting role, or a co-opted seat for
    someone who is not a coordinator during the term."""
    if person is None or not role or start is None:
        return
    if end is not None and end < start:
        raise ValidationError({"end": _("The end date cannot be before the start date.")})
    coordinator = is_coordinator_during(person, start, end)
    if role in VOTING_ROLES and coordinator:
        message = _(
            "%(name)s is the coordinator, and the coordinator cannot hold a voting seat on the board. "
            "Choose the co-opted role instead."
        )
        raise ValidationError({"role": ValidationError(message % {"name": person.name}, code="coordinator_votes")})
    if role == BoardRole.CO_OPTED and not coordinator:
        message = _(
            "Only the coordinator is co-opted to the board, and %(name)s is not the coordinator "
            "(no login account with the coordinator role and no employment with a coordinator title "
            "during the term)."
        )
        raise ValidationError(
            {"role": ValidationError(message % {"name": person.name}, code="co_opted_not_coordinator")}
        )


def role_sort_key(term: BoardTerm):
    return (ROLE_ORDER.index(term.role) if term.role in ROLE_ORDER else len(ROLE_ORDER), term.person.name)
