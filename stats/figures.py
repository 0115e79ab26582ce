"""The statistics of a period, from fields that outlive anonymisation.

Every figure is a database aggregate (GROUP BY), never a loop over rows: a
year of a large jour is a fixed number of queries, however many cases (on
PostgreSQL the cases' own tables are one scan, ``case_counts``; the special
circumstances one join, the attempts one pass). Each case is one seeker: after
the personal data is removed a person who came back cannot be matched to
their earlier case, so people are counted once per case. Gender is the first
dimension of every table (the regional action plan asks for it).

``parts`` counts a whole year by month and municipality in a fixed number of
queries too: every month, quarter and municipality of that year adds up from
them, which is what the protected figures need (stats/selection.py).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from calendars.models import Appointment, AppointmentKind
from cases import contacts_actions
from cases import municipalities as official
from cases.models import (
    Action,
    AgeGroup,
    Case,
    Channel,
    Circumstance,
    ContactAttempt,
    CrimeType,
    FirstContactBy,
    Gender,
    Priority,
    SeekerRole,
    YesNoUnknown,
)
from cases.selectors import JUDGED_PRIORITY, decided, decided_cases, kept_within_deadline
from jour import access
from jour.workdays import STOCKHOLM
from partners.models import Direction, Referral

GENDERS = list(Gender.choices)


@dataclass(frozen=True)
class Period:
    start: date  # first day
    end: date  # first day after
    municipality: str = ""

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(), tzinfo=STOCKHOLM)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, time(), tzinfo=STOCKHOLM)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def municipality_name(self) -> str:
        return official.name(self.municipality)


@dataclass
class Table:
    """Counts with gender across and one other dimension down."""

    key: str
    title: str
    rows: list[tuple[str, str]]  # (value, label)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (row value, gender) -> n
    note: str = ""

    def matrix(self) -> list[list[int]]:
        return [[self.counts.get((row, gender), 0) for gender, _label in GENDERS] for row, _label in self.rows]


@dataclass(frozen=True)
class Dimension:
    """A table of the seekers by gender, each case in exactly one row: one row per
    value of the case's field ``key``, or a marker's table (``marker_dimension``)."""

    key: str
    rows: tuple[tuple[str, str], ...]  # (value, label)
    title: object = field(compare=False)
    marker: object = field(default="", compare=False)  # a marker's table: the marker's name
    marker_pk: int | None = field(default=None, compare=False)


def _fixed(key, title, choices) -> Dimension:
    return Dimension(key, tuple(choices), title)


FIXED_DIMENSIONS = [
    _fixed("crime_type", _("Crime type"), CrimeType.choices),
    _fixed("age_group", _("Age group"), AgeGroup.choices),
    _fixed("seeker_role", _("Kind of seeker"), SeekerRole.choices),
    _fixed("first_contact_by", _("First contact made by"), FirstContactBy.choices),
    _fixed("channel", _("How the case reached the jour"), Channel.choices),
    _fixed("reported_to_police", _("Reported to the police"), YesNoUnknown.choices),
]

WITHOUT = "none"  # the row of a marker's table for the cases without it


def marker_dimension(marker: Circumstance) -> Dimension:
    """The crime types of the cases with one special circumstance, and a row for the
    cases without it: every case in one row, so the table adds up to the seekers
    like every other (and is protected like them), and a case with two markers
    counts under each marker's table (``marker_breakdowns``)."""
    rows = (*CrimeType.choices, (WITHOUT, _("Without this circumstance")))
    title = format_lazy(_("Crime types marked “{marker}”"), marker=marker.label)
    key = f"marker_{marker.code or marker.pk}"
    return Dimension(key, rows, title, marker=marker.label, marker_pk=marker.pk)


def dimensions() -> list[Dimension]:
    """The tables every report has: the fixed ones, and one per special circumstance
    (those in use, and retired ones that some case still carries)."""
    # EXISTS stops at a marker's first case; a join with DISTINCT read every marked case.
    carried = Exists(Case.circumstances.through.objects.filter(circumstance=OuterRef("pk")))
    markers = Circumstance.objects.filter(Q(active=True) | carried)
    return FIXED_DIMENSIONS + [marker_dimension(marker) for marker in markers.order_by("position", "pk")]


def cases_in(period: Period):
    cases = Case.objects.filter(received_at__gte=period.start_at, received_at__lt=period.end_at)
    if period.municipality:
        cases = cases.filter(municipality=period.municipality)
    return cases


@dataclass
class KpiLine:
    priority: str
    label: str
    decided: int
    kept: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.kept / self.decided) if self.decided else None


# --- the cases' tables: the seekers, the fixed dimensions and the first-contact KPI ----------


def _case_sets(keys) -> dict[str, tuple[str, ...]]:
    """What the cases are grouped by: the seekers by gender, each fixed
    dimension by gender, and the KPI by the priority a case is judged by."""
    return {"seekers": ("gender",), **{key: (key, "gender") for key in keys}, "kpi": ("judged_priority",)}


def _decided_by(cases, by, now):
    return (
        decided_cases(cases, now=now)
        .values(*by, "judged_priority")
        .annotate(decided=Count("pk"), kept=Count("pk", filter=kept_within_deadline()))
    )


def _counted_by_query(cases, by, keys, now) -> dict[str, list[dict]]:
    """The GROUP BY rows of ``_case_sets``, each also by ``by``: one query each (any database)."""
    sets = _case_sets(keys)
    counted = {name: list(cases.values(*by, *sets[name]).annotate(n=Count("pk"))) for name in ("seekers", *keys)}
    counted["kpi"] = list(_decided_by(cases, by, now))
    return counted


def _counted_in_one_scan(cases, keys, now) -> dict[str, list[dict]]:
    """The rows of ``_counted_by_query(cases, (), keys, now)`` from one pass over the
    cases with PostgreSQL's GROUPING SETS (the bench's busiest year: 37 ms, not 97)."""
    sets = _case_sets(keys)
    inner = (
        cases.annotate(
            judged_priority=JUDGED_PRIORITY,
            is_decided=ExpressionWrapper(decided(now or timezone.now()), output_field=BooleanField()),
            is_kept=ExpressionWrapper(kept_within_deadline(), output_field=BooleanField()),
        )
        .order_by()
        .values_list("gender", *keys, "judged_priority", "is_decided", "is_kept")
    )
    compiler = inner.query.get_compiler(using=cases.db)
    inner_sql, params = compiler.as_sql()
    names = [alias for _expression, _sql, alias in compiler.select]  # values_list's order
    grouped = names[:-2]  # all but is_decided and is_kept, which are counted
    # GROUPING() sets a bit, first column highest, for each column a row is not grouped on.
    masks = {
        sum(1 << (len(grouped) - 1 - i) for i, name in enumerate(grouped) if name not in on): set_name
        for set_name, on in sets.items()
    }
    quote = connections[cases.db].ops.quote_name
    group_by = ", ".join("(" + ", ".join(quote(name) for name in on) + ")" for on in sets.values())
    # Only the ORM's own SQL and quoted field names go in; the values are in params.
    sql = (
        f"SELECT {', '.join(quote(name) for name in grouped)}, GROUPING({', '.join(quote(name) for name in grouped)}),"  # noqa: S608
        " COUNT(*), COUNT(*) FILTER (WHERE is_decided), COUNT(*) FILTER (WHERE is_decided AND is_kept)"
        f" FROM ({inner_sql}) AS period_cases ({', '.join(quote(name) for name in names)})"
        f" GROUP BY GROUPING SETS ({group_by})"
    )
    with connections[cases.db].cursor() as cursor:
        cursor.execute(sql, params)
        # The ORM's conversions of the grouped columns (EXTRACT gives a numeric, the month is an int).
        converters = compiler.get_converters([expression for expression, _sql, _alias in compiler.select[:-2]])
        found = list(compiler.apply_converters(cursor.fetchall(), converters))
    counted = {set_name: [] for set_name in sets}
    for *values, mask, n, decided_n, kept_n in found:
        set_name = masks[mask]
        row = {name: value for name, value in zip(grouped, values, strict=True) if name in sets[set_name]}
        if set_name != "kpi":
            counted[set_name].append({**row, "n": n})
        elif decided_n:  # the KPI counts decided cases only: a priority with none has no row
            counted[set_name].append({**row, "decided": decided_n, "kept": kept_n})
    return counted


def case_counts(cases, keys: list[str], now: datetime | None) -> dict[str, list[dict]]:
    """The cases counted by each of ``_case_sets(keys)``: {set: rows as .values()
    gives them}, in one query on PostgreSQL (SQLite has no GROUPING SETS)."""
    if connections[cases.db].vendor == "postgresql":
        return _counted_in_one_scan(cases, keys, now)
    return _counted_by_query(cases, (), keys, now)


def _table(dimension: Dimension, found: list[dict]) -> Table:
    """A fixed dimension's table from its GROUP BY rows."""
    table = Table(dimension.key, str(dimension.title), [(v, str(label)) for v, label in dimension.rows])
    for row in found:
        table.counts[row[dimension.key], row["gender"]] = row["n"]
    return table


def _kpi_lines(found) -> list[KpiLine]:
    rows = {row["judged_priority"]: row for row in found}
    lines = [
        KpiLine(value, str(label), rows.get(value, {}).get("decided", 0), rows.get(value, {}).get("kept", 0))
        for value, label in Priority.choices
    ]
    lines.append(KpiLine("all", str(_("All")), sum(x.decided for x in lines), sum(x.kept for x in lines)))
    return lines


def _marked(period: Period, marker_pks: list[int], **by):
    """The period's cases with each marker, by crime type and gender (and ``by``,
    expressions on the marker's row): one query over the markers set on the
    period's cases instead of one pass over the cases per marker."""
    marked = Case.circumstances.through.objects.filter(
        circumstance_id__in=marker_pks, case__received_at__gte=period.start_at, case__received_at__lt=period.end_at
    )
    if period.municipality:
        marked = marked.filter(case__municipality=period.municipality)
    return (
        marked.annotate(**by).values("circumstance_id", *by, "case__crime_type", "case__gender").annotate(n=Count("pk"))
    )


def marker_breakdowns(period: Period, markers: list[Dimension], seekers: Table) -> list[Table]:
    """The tables of the special circumstances (``marker_dimension``): the marked
    cases by crime type and gender, and the rest of the seekers in the row without it."""
    tables = {d.marker_pk: Table(d.key, str(d.title), [(v, str(label)) for v, label in d.rows]) for d in markers}
    if not tables:
        return []
    for row in _marked(period, list(tables)):
        tables[row["circumstance_id"]].counts[row["case__crime_type"], row["case__gender"]] = row["n"]
    for table in tables.values():
        for (_row, gender), n in seekers.counts.items():
            without = n - sum(count for (_value, g), count in table.counts.items() if g == gender)
            if without:
                table.counts[WITHOUT, gender] = without
    return list(tables.values())


SUPPORT_ROWS = [
    ("attempts", _("Contact attempts")),
    (AppointmentKind.MEETING.value, _("Meetings with a seeker")),
    (AppointmentKind.COURT.value, _("Court hearings accompanied")),
    ("referrals", _("Referrals to partners")),
    ("actions", _("Other actions")),  # recorded on the case (cases.Action), by the day they were done
]


def _attempts_made(period: Period) -> list[dict]:
    """The period's contact attempts by the seeker's gender and by who made them:
    the support given and the volunteers read them in one pass (it was two)."""
    attempts = ContactAttempt.objects.filter(made_at__gte=period.start_at, made_at__lt=period.end_at)
    if period.municipality:
        attempts = attempts.filter(case__municipality=period.municipality)
    # COUNT(*), not of the id: the attempts are read from attempt_made_idx alone (migration 0020).
    return list(attempts.values("case__gender", "made_by_id").annotate(n=Count("*")))


def support_given(period: Period, attempts: list[dict] | None = None) -> Table:
    """Support by the seeker's gender. A hearing without a case counts as "not known".
    ``attempts``: what ``_attempts_made(period)`` gives, when the caller has it."""
    table = Table(
        "support",
        str(_("Support given")),
        [(value, str(label)) for value, label in SUPPORT_ROWS],
    )
    appointments = Appointment.objects.filter(
        kind__in=(AppointmentKind.MEETING, AppointmentKind.COURT),
        cancelled_at__isnull=True,  # only what was held counts
        starts_at__gte=period.start_at,
        starts_at__lt=period.end_at,
    )
    if period.municipality:
        appointments = appointments.filter(case__municipality=period.municipality)
    for row in _attempts_made(period) if attempts is None else attempts:
        cell = ("attempts", row["case__gender"])
        table.counts[cell] = table.counts.get(cell, 0) + row["n"]
    referrals = Referral.objects.filter(direction=Direction.OUT, made_on__gte=period.start, made_on__lt=period.end)
    if period.municipality:
        referrals = referrals.filter(case__municipality=period.municipality)
    for row in referrals.values("case__gender").annotate(n=Count("pk")):
        table.counts["referrals", row["case__gender"]] = row["n"]
    for row in appointments.values("kind", "case__gender").annotate(n=Count("pk")):
        gender = row["case__gender"] or Gender.UNKNOWN
        table.counts[row["kind"], gender] = table.counts.get((row["kind"], gender), 0) + row["n"]
    actions = Action.objects.filter(done_on__gte=period.start, done_on__lt=period.end)
    if period.municipality:
        actions = actions.filter(case__municipality=period.municipality)
    for row in actions.values("case__gender").annotate(n=Count("pk")):
        table.counts["actions", row["case__gender"]] = row["n"]
    return table


CONTACTS_AND_ACTIONS_ROWS = [
    (contacts_actions.CONTACT, _("Contacts")),
    (contacts_actions.ACTION, _("Actions taken")),
]


def contacts_and_actions(period: Period, now: datetime | None = None) -> Table:
    """The federation's "antal kontakter och insatser" in the period, by the
    seeker's gender: two rows, counted by cases/contacts_actions.py (its
    docstring is the definition). Unlike "support given", a meeting or hearing
    counts only once it has started, and a hearing on no case is not counted."""
    table = Table(
        "contacts_actions",
        str(_("Contacts and actions")),
        [(value, str(label)) for value, label in CONTACTS_AND_ACTIONS_ROWS],
    )
    cases = Case.objects.filter(municipality=period.municipality) if period.municipality else None
    counted = contacts_actions.counts_by(
        by="gender", cases=cases, start_at=period.start_at, end_at=period.end_at, now=now
    )
    for gender, counts in counted.items():
        table.counts[contacts_actions.CONTACT, gender] = counts.contacts
        table.counts[contacts_actions.ACTION, gender] = counts.actions
    return table


def first_contact(period: Period, now: datetime | None = None) -> list[KpiLine]:
    """Cases decided (first attempt made, or deadline passed) and kept within it, by the
    priority they are judged by (cases.selectors.decided_cases). A contact made at
    registration had no deadline to keep and is not counted."""
    return _kpi_lines(_decided_by(cases_in(period), (), now))


@dataclass
class Volunteering:
    active: int
    hours: float


def _going(period: Period):
    """Who went to which meeting or hearing in the period (the participant rows)."""
    return Appointment.participants.through.objects.filter(
        appointment__kind__in=(AppointmentKind.MEETING, AppointmentKind.COURT),
        appointment__cancelled_at__isnull=True,
        appointment__starts_at__gte=period.start_at,
        appointment__starts_at__lt=period.end_at,
    )


def _hours(going) -> float:
    """Person-hours of those participations, from the calendar's times."""
    total = going.aggregate(total=Sum(F("appointment__ends_at") - F("appointment__starts_at")))["total"]
    return round(total.total_seconds() / 3600, 1) if total else 0.0


def volunteering(period: Period, attempts: list[dict] | None = None) -> Volunteering:
    """Volunteers active (logged an attempt or went to a meeting or hearing) and
    the hours of the meetings and hearings they went to (the calendar's times).
    ``attempts``: what ``_attempts_made(period)`` gives, when the caller has it."""
    roles = access.may_be_assigned_cases.roles
    going = _going(period).filter(user__role__in=roles)
    if period.municipality:
        going = going.filter(appointment__case__municipality=period.municipality)
    made = {row["made_by_id"] for row in (_attempts_made(period) if attempts is None else attempts)}
    # The makers' roles are looked up here, for a few people, not joined to every attempt.
    went = going.values("user_id")
    active = get_user_model().objects.filter(Q(pk__in=made) | Q(pk__in=went), role__in=roles).count()
    return Volunteering(active=active, hours=_hours(going))


@dataclass
class Report:
    period: Period
    seekers: Table
    tables: list[Table]
    support: Table
    first_contact: list[KpiLine]
    volunteering: Volunteering


def report(period: Period, now: datetime | None = None) -> Report:
    every = dimensions()
    fixed = [d for d in every if d.marker_pk is None]
    counted = case_counts(cases_in(period), [d.key for d in fixed], now)
    seekers = Table("seekers", str(_("Seekers")), [("all", str(_("Seekers (one per case)")))])
    for row in counted["seekers"]:
        seekers.counts["all", row["gender"]] = row["n"]
    tables = {d.key: _table(d, counted[d.key]) for d in fixed}
    tables |= {t.key: t for t in marker_breakdowns(period, [d for d in every if d.marker_pk is not None], seekers)}
    attempts = _attempts_made(period)
    return Report(
        period=period,
        seekers=seekers,
        tables=[tables[d.key] for d in every],
        support=support_given(period, attempts),
        first_contact=_kpi_lines(counted["kpi"]),
        volunteering=volunteering(period, attempts),
    )


# The distinct municipalities by stepping through their index, one probe per
# municipality: a DISTINCT over the column read every case, on every statistics
# page (29 ms at 50,000 cases). PostgreSQL's wiki calls this a loose index scan.
_MUNICIPALITIES = """
WITH RECURSIVE found (code) AS (
  SELECT (SELECT {column} FROM {table} WHERE {column} > '' ORDER BY {column} LIMIT 1)
  UNION ALL
  SELECT (SELECT {column} FROM {table} WHERE {column} > found.code ORDER BY {column} LIMIT 1)
  FROM found WHERE found.code IS NOT NULL
)
SELECT code FROM found WHERE code IS NOT NULL
"""


def municipalities() -> list[tuple[str, str]]:
    """(code, name) of the municipalities the jour's cases come from, by name."""
    connection = connections[Case.objects.db]
    quote = connection.ops.quote_name
    sql = _MUNICIPALITIES.format(table=quote(Case._meta.db_table), column=quote("municipality"))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        codes = [code for (code,) in cursor.fetchall()]
    found = [(code, official.name(code)) for code in codes if official.name(code)]
    return sorted(found, key=lambda choice: official.swedish_order(choice[1]))


# --- a year in parts -------------------------------------------------------------------

NOT_KNOWN = ""  # the municipality of a case without one, or of a hearing without a case


@dataclass
class Parts:
    """A year's counts by month (1-12) and municipality code: every table's
    cells as {(month, municipality, row, column): n}. Any month, quarter or
    the year, for one municipality or all, adds up from them."""

    year: int
    counts: dict[str, Counter] = field(default_factory=dict)
    dimensions: tuple[Dimension, ...] = ()
    # Set when kept in the statistics cache (stats.year_cache): the same version, the same counts.
    version: str | None = None

    def municipalities(self) -> list[str]:
        """The codes that have a case or support given in the year."""
        found = {place for counts in self.counts.values() for (_month, place, _row, _column) in counts}
        return sorted(found - {NOT_KNOWN})

    def table(self, key: str, title, rows, months, municipality: str | None) -> Table:
        """``municipality`` None: all of them, the not known included."""
        table = Table(key, str(title), [(value, str(label)) for value, label in rows])
        for (month, place, row, column), n in self.counts[key].items():
            if month in months and (municipality is None or place == municipality):
                table.counts[row, column] = table.counts.get((row, column), 0) + n
        return table

    def report(self, months, municipality: str = "") -> "Report":
        """The report of some months of the year, for one municipality or ("") all;
        without the volunteers, which are people rather than parts."""
        place = municipality or None
        tables = [self.table(d.key, d.title, d.rows, months, place) for d in self.dimensions]
        seekers = Table("seekers", str(_("Seekers")), [("all", str(_("Seekers (one per case)")))])
        for (_row, gender), n in tables[0].counts.items():
            seekers.counts["all", gender] = seekers.counts.get(("all", gender), 0) + n
        kpi = self.table("kpi", "", Priority.choices, months, place)
        lines = [
            KpiLine(value, str(label), kpi.counts.get((value, "decided"), 0), kpi.counts.get((value, "kept"), 0))
            for value, label in Priority.choices
        ]
        lines.append(KpiLine("all", str(_("All")), sum(x.decided for x in lines), sum(x.kept for x in lines)))
        first = date(self.year, min(months), 1)
        after = date(self.year + 1, 1, 1) if max(months) == 12 else date(self.year, max(months) + 1, 1)
        return Report(
            period=Period(first, after, municipality),
            seekers=seekers,
            tables=tables,
            support=self.table("support", _("Support given"), SUPPORT_ROWS, months, place),
            first_contact=lines,
            volunteering=None,
        )


def _count(counts: Counter, rows, place: str, row, gender: str) -> None:
    """Add GROUP BY rows to ``counts``; ``row`` names the grouped field, or is a callable."""
    for found in rows:
        value = row(found) if callable(row) else found[row]
        # A hearing without a case: the seeker's gender "not known", in no municipality.
        counts[found["month"], found[place] or NOT_KNOWN, value, found[gender] or Gender.UNKNOWN] += found["n"]


def _marker_parts(counts: Counter, marked: list[dict], seekers: Counter) -> None:
    """A marker's table by month and municipality (``marker_breakdowns``'s, in parts)."""
    _count(counts, marked, "municipality", "case__crime_type", "case__gender")
    with_it = Counter()
    for (month, place, _value, gender), n in counts.items():
        with_it[month, place, gender] += n
    for (month, place, _all, gender), n in seekers.items():
        if n - with_it[month, place, gender]:
            counts[month, place, WITHOUT, gender] = n - with_it[month, place, gender]


def parts(year: int, now: datetime | None = None) -> Parts:
    """The year's tables by month and municipality, in a fixed number of queries."""
    period = Period(date(year, 1, 1), date(year + 1, 1, 1))
    result = Parts(year, dimensions=tuple(dimensions()))
    cases = cases_in(period).annotate(month=ExtractMonth("received_at", tzinfo=STOCKHOLM))
    fixed = [d.key for d in result.dimensions if d.marker_pk is None]
    # One query per table here: by month and municipality the grouping sets are too many
    # for PostgreSQL to hash in work_mem, and sorting for them was slower (316 ms, not 246).
    counted = _counted_by_query(cases, ("month", "municipality"), fixed, now)
    seekers = Counter()
    _count(seekers, counted["seekers"], "municipality", lambda _row: "all", "gender")
    markers = [d.marker_pk for d in result.dimensions if d.marker_pk is not None]
    by_month = {"month": ExtractMonth("case__received_at", tzinfo=STOCKHOLM), "municipality": F("case__municipality")}
    marked = list(_marked(period, markers, **by_month)) if markers else []
    for dimension in result.dimensions:
        counts = result.counts.setdefault(dimension.key, Counter())
        if dimension.marker_pk is None:
            _count(counts, counted[dimension.key], "municipality", dimension.key, "gender")
        else:
            _marker_parts(counts, [row for row in marked if row["circumstance_id"] == dimension.marker_pk], seekers)
    support = result.counts["support"] = Counter()
    by_case = ("month", "case__municipality", "case__gender")
    attempts = ContactAttempt.objects.filter(made_at__gte=period.start_at, made_at__lt=period.end_at)
    attempts = attempts.annotate(month=ExtractMonth("made_at", tzinfo=STOCKHOLM))
    _count(support, attempts.values(*by_case).annotate(n=Count("pk")), by_case[1], lambda _row: "attempts", by_case[2])
    referrals = Referral.objects.filter(direction=Direction.OUT, made_on__gte=period.start, made_on__lt=period.end)
    referrals = referrals.annotate(month=ExtractMonth("made_on"))
    rows = referrals.values(*by_case).annotate(n=Count("pk"))
    _count(support, rows, by_case[1], lambda _row: "referrals", by_case[2])
    appointments = Appointment.objects.filter(
        kind__in=(AppointmentKind.MEETING, AppointmentKind.COURT),
        cancelled_at__isnull=True,  # only what was held counts
        starts_at__gte=period.start_at,
        starts_at__lt=period.end_at,
    ).annotate(month=ExtractMonth("starts_at", tzinfo=STOCKHOLM))
    _count(support, appointments.values(*by_case, "kind").annotate(n=Count("pk")), by_case[1], "kind", by_case[2])
    actions = Action.objects.filter(done_on__gte=period.start, done_on__lt=period.end)
    actions = actions.annotate(month=ExtractMonth("done_on"))
    _count(support, actions.values(*by_case).annotate(n=Count("pk")), by_case[1], lambda _row: "actions", by_case[2])
    kpi = result.counts["kpi"] = Counter()
    for found in counted["kpi"]:
        for column in ("decided", "kept"):
            kpi[found["month"], found["municipality"] or NOT_KNOWN, found["judged_priority"], column] += found[column]
    return result


def own_work(user, period: Period) -> dict:
    """A support person's own work in the period: no seeker data, only counts."""
    attempts = ContactAttempt.objects.filter(made_by=user, made_at__gte=period.start_at, made_at__lt=period.end_at)
    going = _going(period).filter(user=user)
    by_kind = dict(going.values_list("appointment__kind").annotate(n=Count("pk")))
    # One filter() call: all three conditions hold for the same assignment of this person.
    cases = (
        Case.objects.filter(
            Q(assignments__person=user, assignments__assigned_at__lt=period.end_at)
            & (Q(assignments__ended_at__isnull=True) | Q(assignments__ended_at__gte=period.start_at))
        )
        .distinct()
        .count()
    )
    return {
        "cases": cases,
        "attempts": attempts.count(),
        "meetings": by_kind.get(AppointmentKind.MEETING, 0),
        "hearings": by_kind.get(AppointmentKind.COURT, 0),
        "hours": _hours(going),
    }
