"""Read-only queries behind the case lists, dashboards and the KPI.

Every function starts from jour.access.Case.objects.visible_to(), and each runs a
fixed number of queries whatever the number of rows.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, NullIf, TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone
from django.utils.translation import gettext

from jour import formatting
from jour.workdays import STOCKHOLM

from . import deadlines, search
from .models import Action, Assignment, Case, Priority, RiskCheck, Status

RECENTLY_CLOSED_DAYS = 14
# A start-page panel shows the first cases and says how many there are in all,
# with a link to the whole list: the page stays short on a busy day.
PANEL_SIZE = 10


# What a list row reads of a case (CaseRow, deadlines.deadline_state): a case has
# some forty columns, and fetching and building all of them was a tenth of a list.
ROW_FIELDS = (
    "number",
    "first_name",
    "anonymous",
    "received_at",
    "priority",
    "status",
    "closed_at",
    "first_contact_at",
    "first_contact_due",
    "first_contact_due_then",
    "first_contact_priority",
)


def people_on(cases) -> dict[int, list[str]]:
    """The names of each case's support persons now on it, in the order they were
    assigned: one query of (case, name) pairs. A list row shows names only; building an
    assignment and a user for each (a prefetch) took about 1.4 ms of a 12 ms case list."""
    names: dict[int, list[str]] = {}
    on_cases = (
        Assignment.objects.filter(case_id__in=[case.pk for case in cases], ended_at__isnull=True)
        .order_by("assigned_at", "pk")
        .values_list("case_id", "person__name")
    )
    for case_id, name in on_cases:
        names.setdefault(case_id, []).append(name)
    return names


def _for_rows(qs):
    return qs.only(*ROW_FIELDS)


@dataclass
class CaseRow:
    """A case as a list shows it: number, clock and people (the case list adds the
    first name). Lists render a row per case, so what a cell shows is made here in
    Python, once, rather than looked up cell by cell in the template."""

    case: Case
    state: deadlines.DeadlineState
    today: date | None = None
    names: tuple[str, ...] = ()

    @property
    def left_hours(self) -> float:
        return deadlines.hours(self.state.left)

    @property
    def clock(self) -> tuple[str, str]:
        """(css class, text) of the first-contact tag."""
        kept = self.state.kept
        if kept is True:
            # "kept" read as "hölls" in Swedish, which says nothing about the deadline.
            return "ok", gettext("within the deadline")
        if kept is False:
            return "bad", gettext("overdue")
        text = gettext("%(h)s h left") % {"h": formatting.number(self.left_hours, 1)}
        return ("warn" if self.state.due_soon else ""), text

    @property
    def received(self) -> str:
        return formatting.moment(self.case.received_at, today=self.today)

    @property
    def due(self) -> str:
        return formatting.moment(self.case.first_contact_due, today=self.today)

    @property
    def urgent(self) -> bool:
        return self.case.priority == Priority.URGENT

    @property
    def priority(self) -> str:
        return str(Priority(self.case.priority).label)

    @property
    def status(self) -> str:
        return str(Status(self.case.status).label)

    @property
    def people(self) -> str:
        """The support persons on the case, by name; empty when there are none."""
        return ", ".join(self.names)


def rows(cases, now: datetime | None = None, people: dict[int, list[str]] | None = None) -> list[CaseRow]:
    """A row per case; `people` (from people_on) when the caller has already read them."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cases = list(cases)
    if people is None:
        people = people_on(cases)  # no query for no cases: Django knows an empty IN matches nothing
    return [CaseRow(case, deadlines.deadline_state(case, now), today, tuple(people.get(case.pk, ()))) for case in cases]


# Open cases: those still waiting for a first attempt first, soonest deadline
# first (Case.Meta has the matching partial index); the others newest first.
URGENT_FIRST = (F("first_contact_at").asc(nulls_first=True), "first_contact_due")
NEWEST_FIRST = ("-registered_at",)

# Open and nobody on it: never assigned, or everyone was taken off.
UNASSIGNED = ~Q(status=Status.CLOSED) & ~Exists(Assignment.objects.filter(case=OuterRef("pk"), ended_at__isnull=True))

FILTERS = {
    "open": (~Q(status=Status.CLOSED), URGENT_FIRST),
    "unassigned": (UNASSIGNED, URGENT_FIRST),
    "waiting": (deadlines.WAITING, URGENT_FIRST),
    "closed": (Q(status=Status.CLOSED), NEWEST_FIRST),
    "all": (Q(), NEWEST_FIRST),
    # Mapped from an old crime category by a guess (migration 0010): a coordinator checks each.
    "review": (Q(crime_type_to_review=True), NEWEST_FIRST),
}


def crime_types_to_review(user) -> int:
    return Case.objects.visible_to(user).filter(crime_type_to_review=True).count()


# The case list's sort orders besides each view's own; pk breaks ties so that
# pages never repeat or skip a case.
SORTS = {
    "due": ("first_contact_due", "pk"),
    "-due": ("-first_contact_due", "-pk"),
    "received": ("received_at", "pk"),
    "-received": ("-received_at", "-pk"),
}


def filtered(cases, filters: dict):
    """`cases` narrowed by the list's filters: each key is optional, none names a seeker."""
    for field in ("status", "priority", "crime_type", "channel"):
        if filters.get(field):
            cases = cases.filter(**{field: filters[field]})
    if filters.get("person"):
        on_case = Assignment.objects.filter(case=OuterRef("pk"), person_id=filters["person"], ended_at__isnull=True)
        cases = cases.filter(Exists(on_case))
    if filters.get("received_from"):
        cases = cases.filter(received_at__gte=_start_of(filters["received_from"]))
    if filters.get("received_to"):
        cases = cases.filter(received_at__lt=_start_of(filters["received_to"] + timedelta(days=1)))
    return cases


def _start_of(day) -> datetime:
    """Midnight in Stockholm: a period is the jour's days, not UTC's."""
    return datetime(day.year, day.month, day.day, tzinfo=STOCKHOLM)


def case_list(*, user, view: str = "open", term: str = "", filters: dict | None = None, sort: str = ""):
    """The cases of one tab of the list, searched (cases/search.py), filtered and sorted."""
    condition, ordering = FILTERS.get(view, FILTERS["open"])
    cases = Case.objects.visible_to(user).filter(condition)
    if term:
        cases = cases.filter(search.matching(term))
    filters = filters or {}
    cases = filtered(cases, filters)
    if sort in ("due", "-due") and filters.get("received_from"):
        # A deadline comes after its case was received (the constraint deadline_after_received):
        # said outright, the scan in deadline order starts at the period instead of
        # walking every older case first.
        cases = cases.filter(first_contact_due__gt=_start_of(filters["received_from"]))
    return _for_rows(cases).order_by(*SORTS.get(sort, ordering))


def support_person_cases(*, user):
    """My open cases, the most urgent first."""
    qs = Case.objects.visible_to(user).exclude(status=Status.CLOSED)
    return _for_rows(qs).order_by(*URGENT_FIRST)


@dataclass
class Panel:
    """The first PANEL_SIZE cases of a start-page panel, and how many it holds in all."""

    rows: list[CaseRow]
    count: int

    @property
    def more(self) -> bool:
        return self.count > len(self.rows)


@dataclass
class CoordinatorDashboard:
    unassigned: Panel
    due_soon: Panel
    overdue: Panel
    recently_closed: Panel


def coordinator_dashboard(*, user, now: datetime | None = None) -> CoordinatorDashboard:
    now = now or timezone.now()
    visible = Case.objects.visible_to(user)
    waiting = deadlines.open_cases_waiting(visible)
    closed_since = now - timedelta(days=RECENTLY_CLOSED_DAYS)
    panels = {
        "unassigned": visible.filter(UNASSIGNED).order_by(*URGENT_FIRST),
        "due_soon": waiting.filter(first_contact_warn_at__lte=now, first_contact_due__gt=now).order_by(
            "first_contact_due"
        ),
        "overdue": waiting.filter(first_contact_due__lte=now).order_by("first_contact_due"),
        "recently_closed": visible.filter(status=Status.CLOSED, closed_at__gte=closed_since).order_by("-closed_at"),
    }
    # Each panel's rows carry how many cases it holds in all (a window count over the same
    # query): four queries, not eight. The count costs the panel's matches, as a count would.
    in_all = Window(Count("pk"))
    first = {name: list(_for_rows(cases).annotate(in_all=in_all)[:PANEL_SIZE]) for name, cases in panels.items()}
    # The support persons of all four panels' cases in one query, not one per panel.
    people = people_on([case for cases in first.values() for case in cases])
    return CoordinatorDashboard(
        **{name: Panel(rows(cases, now, people), cases[0].in_all if cases else 0) for name, cases in first.items()}
    )


# --- KPI -------------------------------------------------------------------


class Median(Aggregate):
    """PostgreSQL's ordered-set median; other databases get None (see kpi())."""

    function = "PERCENTILE_CONT"
    name = "median"
    output_field = FloatField()
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


TRUNC = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


@dataclass
class KpiRow:
    period: datetime
    priority: str
    decided: int
    kept: int
    median_hours: float | None
    at_registration: int = 0

    @property
    def quarter(self) -> int:
        return (self.period.month - 1) // 3 + 1

    @property
    def share(self) -> float | None:
        return self.kept / self.decided if self.decided else None


# A case is judged by the priority and deadline in force when its first attempt
# was made (deadlines.stop_clock); one still without an attempt by the current ones.
JUDGED_PRIORITY = Coalesce(NullIf("first_contact_priority", Value("")), "priority")
JUDGED_DUE = Coalesce("first_contact_due_then", "first_contact_due")

# The anonymous call or visit was itself the contact: no deadline to keep, so
# neither decided nor kept; the KPI counts these on a line of their own.
AT_REGISTRATION = Q(first_contact_at_registration=True)


def decided(now: datetime) -> Q:
    """The first-contact result is known at `now`: the first attempt was made by
    then, or the deadline has passed without one. A case closed before its
    deadline without an attempt (registered by mistake, say) is left out, and so
    is a contact made at registration. An attempt after `now` is not known at
    `now`, so a past `now` gives the figures as they stood that day."""
    return ~AT_REGISTRATION & (
        Q(first_contact_at__lte=now)
        | (Q(first_contact_due__lte=now) & ~Q(status=Status.CLOSED, closed_at__lt=F("first_contact_due")))
    )


def decided_cases(cases, now: datetime | None = None):
    """The decided cases, each with ``judged_priority``: the line of the KPI it counts on."""
    return cases.filter(decided(now or timezone.now())).annotate(judged_priority=JUDGED_PRIORITY)


def kept_within_deadline(now: datetime | None = None) -> Q:
    """The first attempt came by the deadline in force when it was made; a
    later priority change does not move it (history, not a recomputation).
    With `now`, only an attempt made by then counts."""
    kept = Q(first_contact_at__isnull=False, first_contact_at__lte=JUDGED_DUE) & ~AT_REGISTRATION
    return kept & Q(first_contact_at__lte=now) if now is not None else kept


def kpi(*, start: datetime, end: datetime, granularity: str = "month", now: datetime | None = None) -> list[KpiRow]:
    """Share of cases whose first attempt came within the deadline, and the
    median working hours to it, per period and priority.

    A case counts once it is decided: its first attempt is logged, or its
    deadline has passed without one. A case closed before its deadline without
    an attempt (registered by mistake, say) is not counted. Contacts made at
    registration are counted apart (``at_registration``), in the same query.
    """
    now = now or timezone.now()
    is_decided = decided(now)
    base = (
        Case.objects.filter(received_at__gte=start, received_at__lt=end)
        .filter(is_decided | AT_REGISTRATION)
        .annotate(period=TRUNC[granularity]("received_at", tzinfo=STOCKHOLM), judged_priority=JUDGED_PRIORITY)
    )
    qs = (
        base.values("period", "judged_priority")
        .annotate(
            decided=Count("pk", filter=is_decided),
            kept=Count("pk", filter=kept_within_deadline(now)),
            at_registration=Count("pk", filter=AT_REGISTRATION),
        )
        .order_by("period", "judged_priority")
    )
    if connection.vendor == "postgresql":
        qs = qs.annotate(median_hours=Median("first_contact_hours", filter=is_decided))
        medians = None
    else:
        medians = _medians_in_python(base.filter(is_decided))
    return [
        KpiRow(
            period=row["period"],
            priority=row["judged_priority"],
            decided=row["decided"],
            kept=row["kept"],
            median_hours=row["median_hours"] if medians is None else medians.get(_key(row)),
            at_registration=row["at_registration"],
        )
        for row in qs
    ]


def _key(row: dict) -> tuple:
    return row["period"], row["judged_priority"]


def _medians_in_python(base) -> dict:
    """SQLite (make run) has no percentile function: one more query, sorted here."""
    values: dict = {}
    for period, priority, hours in base.filter(first_contact_hours__isnull=False).values_list(
        "period", "judged_priority", "first_contact_hours"
    ):
        values.setdefault((period, priority), []).append(hours)
    return {key: median(hours) for key, hours in values.items()}


PRIORITIES = [Priority.NORMAL, Priority.URGENT]


# --- Risk check ------------------------------------------------------------


def risk_checks(case: Case) -> list[RiskCheck]:
    """Every risk check of the case, the latest first."""
    return list(case.risk_checks.select_related("recorded_by", "urgent_confirmed_by"))


def suggests_urgent(case: Case, check: RiskCheck | None) -> bool:
    """Immediate danger found, and the case is not urgent yet: a coordinator may confirm it."""
    return bool(check and check.danger and case.priority != Priority.URGENT and not case.is_closed)


# --- Actions ---------------------------------------------------------------


def case_actions(case: Case) -> list[Action]:
    """The actions recorded on the case, in the order they were done."""
    return list(case.actions.select_related("done_by").order_by("done_on", "pk"))
