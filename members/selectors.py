"""Reads behind the people register and the volunteer list: who does what
for the jour on a day, searching, and what the coordinator checks at a glance.
Each runs a fixed number of queries whatever the number of people."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Assignment
from jour import formatting

from . import followup, services
from .forms.people import PHONE_CHARACTERS, phone_digits
from .models import (
    BoardTerm,
    ConfidentialityPledge,
    Employment,
    Membership,
    MembershipKind,
    Person,
    SupervisionSession,
    VolunteerAssignment,
    active_on,
)

# The list's filters: what a person does for the jour today, or that they have left.
KINDS = {
    "all": gettext_lazy("Everyone"),
    "members": gettext_lazy("Members"),
    "supporting": gettext_lazy("Supporting members"),
    "employees": gettext_lazy("Employees"),
    "volunteers": gettext_lazy("Volunteers"),
    "board": gettext_lazy("Board"),
    "left": gettext_lazy("Have left"),
}

# Engagements by the name they have in URLs.
ENGAGEMENT_MODELS = {
    "membership": Membership,
    "employment": Employment,
    "volunteer": VolunteerAssignment,
    "board": BoardTerm,
}
ENGAGEMENT_RELATIONS = {
    "membership": "memberships",
    "employment": "employments",
    "volunteer": "volunteering",
    "board": "board_terms",
}
REQUIREMENT_NAMES = services.REQUIREMENT_NAMES


def kind_or_all(value) -> str:
    return value if value in KINDS else "all"


def people_of_kind(kind: str, day: date):
    """People filtered by what they do on `day`, each with every engagement
    prefetched: a constant number of queries however many people there are."""
    people = Person.objects.select_related("account").prefetch_related(*ENGAGEMENT_RELATIONS.values())

    def holding(model, condition=None, **extra):
        condition = active_on(day) if condition is None else condition
        return Exists(model.objects.filter(condition, person=OuterRef("pk"), **extra))

    if kind == "members":
        return people.filter(holding(Membership, kind=MembershipKind.MEMBER))
    if kind == "supporting":
        return people.filter(holding(Membership, kind=MembershipKind.SUPPORTING))
    if kind == "employees":
        return people.filter(holding(Employment))
    if kind == "volunteers":
        return people.filter(holding(VolunteerAssignment))
    if kind == "board":
        return people.filter(holding(BoardTerm))
    if kind == "left":
        # Had an engagement, and has none now or to come.
        now_or_later = Q(end__isnull=True) | Q(end__gte=day)
        any_engagement = Q()
        current = Q()
        for model in ENGAGEMENT_MODELS.values():
            any_engagement |= Q(holding(model, Q()))
            current |= Q(holding(model, now_or_later))
        return people.filter(any_engagement).exclude(current)
    return people


def _digits_of(field: str):
    """The field with the usual phone-number punctuation removed, in SQL."""
    expression = F(field)
    for character in (" ", "-", "(", ")", "/", "+", "."):
        expression = Replace(expression, Value(character), Value(""))
    return expression


def _phone_core(term: str) -> str:
    """The digits of a phone number without country code or leading zero, so
    that 070-123 45 67 and +46 70 123 45 67 find each other."""
    if not PHONE_CHARACTERS.match(term):
        return ""
    digits = phone_digits(term)
    for prefix in ("0046", "46") if term.startswith(("+", "00")) else ():
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    digits = digits.lstrip("0")
    return digits if len(digits) >= 4 else ""


def matching(people, term: str):
    """People whose name holds every word of `term`, or whose e-mail address
    holds `term`, or whose phone number holds its digits."""
    by_name = Q()
    for word in term.split():
        by_name &= Q(name__icontains=word)
    condition = by_name | Q(email__icontains=term)
    core = _phone_core(term)
    if core:
        people = people.annotate(phone_digits=_digits_of("phone"))
        condition |= Q(phone_digits__contains=core)
    return people.filter(condition)


# --- What a person is --------------------------------------------------------


def describe(engagement) -> str:
    if isinstance(engagement, Membership):
        return engagement.get_kind_display()
    if isinstance(engagement, Employment):
        return _("Employee: %(title)s") % {"title": engagement.title}
    if isinstance(engagement, VolunteerAssignment):
        roles = []
        if engagement.support_person:
            roles.append(_("support person"))
        if engagement.witness_supporter:
            roles.append(_("witness supporter"))
        return _("Volunteer: %(roles)s") % {"roles": ", ".join(roles)}
    return _("Board: %(role)s") % {"role": engagement.get_role_display()}


def engagements_of(person: Person) -> list[tuple[str, object]]:
    """Every engagement of a prefetched person, as (URL kind, engagement), newest first."""
    found = [(key, e) for key, relation in ENGAGEMENT_RELATIONS.items() for e in getattr(person, relation).all()]
    return sorted(found, key=lambda pair: pair[1].start, reverse=True)


@dataclass
class PersonRow:
    person: Person
    now: list[str]
    upcoming: list[str]
    left_on: date | None
    fee_paid_for: int | None


def row_of(person: Person, day: date) -> PersonRow:
    engagements = [e for _key, e in engagements_of(person)]
    now = [describe(e) for e in engagements if e.is_active(day)]
    upcoming = [
        _("%(what)s from %(date)s") % {"what": describe(e), "date": formatting.day(e.start)}
        for e in engagements
        if e.start > day
    ]
    left_on = None
    if engagements and not now and not upcoming:
        left_on = max(e.end for e in engagements)
    fees = [m.fee_paid_for for m in person.memberships.all() if m.fee_paid_for]
    return PersonRow(person, now, upcoming, left_on, max(fees) if fees else None)


def access_warning(person: Person, day: date) -> str:
    """Why the person's account will be closed by the nightly check, if it will."""
    account = person.account
    if account is None or not account.is_active or services.still_entitled(person, account.role, day):
        return ""
    needs = " / ".join(str(REQUIREMENT_NAMES[model]) for model in services.ACCESS_REQUIRES[account.role])
    return _(
        "The linked login account is a %(role)s account, which stays open only while the person has an "
        "active %(needs)s. Without one, the account is closed at the nightly check."
    ) % {"role": account.get_role_display().lower(), "needs": needs}


@dataclass(frozen=True)
class VolunteerRow:
    assignment: VolunteerAssignment
    last_followup: date | None
    lacks_followup: bool
    case_load: int | None  # open case assignments of the linked account; None without an account
    # The person's latest confidentiality pledge: its date, its pk and whether a scan is stored.
    pledge_signed_on: date | None = None
    pledge_pk: int | None = None
    pledge_has_scan: bool = False

    @property
    def person(self) -> Person:
        return self.assignment.person

    @property
    def pledge_missing(self) -> bool:
        return self.pledge_signed_on is None

    @property
    def training_missing(self) -> bool:
        return self.assignment.basic_training_on is None

    @property
    def load_state(self) -> str:
        """ok, full (at capacity) or over (more cases than capacity)."""
        if not self.case_load:
            return "ok"
        if self.case_load > self.assignment.capacity:
            return "over"
        return "full" if self.case_load == self.assignment.capacity else "ok"


def volunteer_rows(day: date, months: int) -> list[VolunteerRow]:
    """Every volunteer assignment active on `day`, with what the coordinator
    checks at a glance, the person's latest pledge included. Two queries,
    whatever the number of volunteers."""
    open_cases = (
        Assignment.objects.filter(person=OuterRef("person__account"), ended_at__isnull=True)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_session = (
        SupervisionSession.objects.filter(participants=OuterRef("person"), held_on__lte=day)
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    pledge = ConfidentialityPledge.objects.filter(person=OuterRef("person"), signed_on__lte=day).order_by(
        "-signed_on", "-pk"
    )
    assignments = (
        VolunteerAssignment.objects.filter(active_on(day))
        .select_related("person", "person__account")
        .annotate(
            open_cases=Subquery(open_cases),
            last_followup=Subquery(last_session),
            pledge_signed_on=Subquery(pledge.values("signed_on")[:1]),
            pledge_pk=Subquery(pledge.values("pk")[:1]),
            pledge_scan=Subquery(pledge.values("scan")[:1]),
        )
        .order_by("person__name", "person_id", "pk")
    )
    lacking = {person.pk for person in followup.volunteers_without_followup(day, months)}
    return [
        VolunteerRow(
            assignment=a,
            last_followup=a.last_followup,
            lacks_followup=a.person_id in lacking,
            case_load=(a.open_cases or 0) if a.person.account_id else None,
            pledge_signed_on=a.pledge_signed_on,
            pledge_pk=a.pledge_pk,
            pledge_has_scan=bool(a.pledge_scan),
        )
        for a in assignments
    ]
