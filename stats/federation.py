"""The yearly statistics the federation asks of every jour, in its terms.

The federation's method counts each seeker once per case by the basic fields
(home municipality, gender, age group, crime type, special circumstances,
reported to the police, kind of seeker, who made the first contact), the
special circumstances beside the crime types (a case with two markers counts
under each), and contacts and actions per case; witness support at the
courts is counted apart, by the supported person's role.

This module only arranges what stats.figures counts and stats.selection
protects: one report for a calendar year, exact for coordinators on the page,
protected (small numbers hidden, the year withheld under the threshold) for
the board and in every download, like every other statistic. Before it is
shown it is checked against the live data: every table of the seekers must add
up, gender by gender, to the cases counted directly with one more query.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import municipalities as official

from . import charts, display, figures, selection, witness
from .display import ShownTable
from .figures import GENDERS, Period
from .selection import ALL, COLUMNS, SEEKERS, TOTAL, YEAR, Selection
from .witness import WitnessReport

# The fields of the federation's basic statistics, in its order (the channel is the jour's own).
FIELDS = ("age_group", "crime_type", "reported_to_police", "seeker_role", "first_contact_by")


@dataclass
class Cross:
    """Crime types down, special circumstances across: how many cases of each type carry each marker."""

    columns: list[str]
    rows: list[tuple[str, list[str]]]
    without: list[str]  # per marker: the cases without it


@dataclass
class FederationReport:
    year: int
    protected: bool
    withheld: str = ""
    seekers: ShownTable | None = None
    municipalities: ShownTable | None = None
    tables: list[ShownTable] = field(default_factory=list)
    markers: list[ShownTable] = field(default_factory=list)
    cross: Cross | None = None
    support: ShownTable | None = None
    contacts_actions: ShownTable | None = None
    witness: WitnessReport | None = None
    checked_at: datetime | None = None
    checks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def minimum(self) -> int:
        return display.minimum()

    def all_tables(self) -> list[ShownTable]:
        tables = [self.seekers, self.municipalities, *self.tables, *self.markers, self.contacts_actions, self.support]
        if self.witness and not self.witness.withheld:
            tables += self.witness.tables
        return [t for t in tables if t]


def _period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year + 1, 1, 1))


def _municipality_table(rows: list[tuple[str, list[int], list[str]]], seekers: ShownTable) -> ShownTable:
    table = figures.Table("municipality", _("Home municipality"), [(code, label) for code, label, *_x in rows])
    values = [row[2] for row in rows] + [[0] * (len(COLUMNS) + 1)]
    texts = [row[3] for row in rows] + [seekers.rows[0][1]]
    return display.from_grid(table, values, texts)


def _exact_municipalities(period: Period, seekers: ShownTable) -> ShownTable:
    counts = {}
    for row in figures.cases_in(period).values("municipality", "gender").annotate(n=Count("pk")):
        counts[row["municipality"], row["gender"]] = row["n"]
    codes = sorted({code for code, _gender in counts if code}, key=lambda c: official.swedish_order(official.name(c)))
    rows = []
    for code in [*codes, ""]:
        cells = [counts.get((code, gender), 0) for gender in COLUMNS]
        if code or any(cells):
            label = official.name(code) if code else _("Not known")
            rows.append((code, label, [*cells, sum(cells)], [str(v) for v in [*cells, sum(cells)]]))
    return _municipality_table(rows, seekers)


def _protected_municipalities(
    year: int, whole: selection.Protected, seekers: ShownTable, parts: figures.Parts
) -> ShownTable:
    """Each municipality as its own protected year shows it; the others and the not known
    together as the rest, hiding where the municipalities hide (stats.selection, rule C).
    `parts` are the year's counts, made once for the whole report."""
    rows, shown_cells, hidden = [], [], set()
    for code in sorted(parts.municipalities(), key=lambda c: official.swedish_order(official.name(c))):
        part = selection.protected(Selection(year, YEAR, code), parts=parts)
        if part.withheld:
            continue
        positions = [(SEEKERS, ALL, column) for column in [*COLUMNS, TOTAL]]
        values = [part.cells[pos] for pos in positions]
        texts = [part.shown(pos, part.cells[pos], display.minimum()) for pos in positions]
        rows.append((code, official.name(code), values, texts))
        shown_cells.append(values)
        hidden = part.hidden
    positions = [(SEEKERS, ALL, column) for column in [*COLUMNS, TOTAL]]
    rest = [whole.cells[pos] - sum(values[n] for values in shown_cells) for n, pos in enumerate(positions)]
    if not rows:  # no municipality shown on its own: the year's row, as the year shows it
        rows.append(("", _("All municipalities"), rest, list(seekers.rows[0][1])))
    elif rest[-1]:
        texts = [selection.SECONDARY if pos in hidden else str(n) for pos, n in zip(positions, rest, strict=True)]
        rows.append(("", _("Other municipalities or not known"), rest, texts))
    return _municipality_table(rows, seekers)


def _without_empty_rows(table: ShownTable) -> ShownTable:
    """A marker's table without the crime types nobody with the marker had (a row of
    zeros says nothing; the row of those without the marker always stays)."""
    rows = [(label, cells) for label, cells in table.rows[:-1] if cells[-1] != "0"] + table.rows[-1:]
    chart = charts.bars([(label, int(c[-1]) if c[-1].isdigit() else None, c[-1]) for label, c in rows])
    return replace(table, rows=rows, chart=chart)


def marker_tables(shown: display.ShownReport) -> list[ShownTable]:
    """The special circumstances' tables of a report, each named by its marker."""
    dimensions = {dimension.key: dimension for dimension in figures.dimensions()}
    markers = [table for table in shown.tables if table.key.startswith("marker_")]
    for table in markers:
        table.marker = str(dimensions[table.key].marker)
    return markers


def crime_types_by_marker(shown: display.ShownReport) -> "Cross | None":
    """The crime types beside the special circumstances, as the report shows them."""
    crime_types = next(table for table in shown.tables if table.key == "crime_type")
    return _cross(marker_tables(shown), crime_types)


def _cross(shown: list[ShownTable], crime_types: ShownTable) -> Cross | None:
    if not shown:
        return None
    nobody = {label for label, cells in crime_types.rows if cells[-1] == "0"}
    by_marker = [dict(table.rows) for table in shown]
    labels = [label for label, _cells in shown[0].rows[:-1] if label not in nobody]
    return Cross(
        columns=[table.marker for table in shown],
        rows=[(label, [rows[label][-1] for rows in by_marker]) for label in labels],
        without=[table.rows[-1][1][-1] for table in shown],
    )


# The federation's "contacts and actions", from the rows of support given (cases/contacts_actions.py).
CONTACT_ROWS = ("attempts", "meeting")
ACTION_ROWS = ("court", "referrals", "actions")


def _contacts_and_actions(support: ShownTable) -> ShownTable:
    """Two rows summed from the support table as shown: a sum is shown only where every
    part of it is, so a protected reader learns nothing the support table does not say."""
    shown = dict(
        zip([value for value, _label in figures.SUPPORT_ROWS], [cells for _l, cells in support.rows], strict=True)
    )

    def add(rows):
        columns = zip(*[shown[row] for row in rows], strict=True)
        return [
            str(sum(int(v) for v in cells)) if all(v.isdigit() for v in cells) else selection.SECONDARY
            for cells in columns
        ]

    table = figures.Table(
        "contacts_actions", _("Contacts and actions"), [("contacts", _("Contacts")), ("actions", _("Actions taken"))]
    )
    texts = [add(CONTACT_ROWS), add(ACTION_ROWS)]
    values = [[int(v) if v.isdigit() else 0 for v in row] for row in texts]
    shown_table = display.from_grid(table, values + [[0] * len(values[0])], texts + [[""] * len(texts[0])])
    shown_table.total = None
    shown_table.note = _(
        "Contacts: contact attempts and meetings with the seeker. Actions: court hearings accompanied, referrals and "
        "other recorded actions. A hearing with no case counts under gender not known."
    )
    return shown_table


def _check(report: FederationReport, exact: figures.Report, period: Period) -> None:
    """Every table of the seekers adds up to the cases counted directly, gender by gender."""
    direct = dict(figures.cases_in(period).values_list("gender").annotate(n=Count("pk")))
    counted = {gender: direct.get(gender, 0) for gender, _label in GENDERS}
    report.checked_at = timezone.now()
    seekers = {gender: exact.seekers.counts.get(("all", gender), 0) for gender, _label in GENDERS}
    if seekers != counted:
        report.problems.append(_("The seekers by gender differ from the cases counted directly."))
    for table in exact.tables:
        sums = {gender: sum(table.counts.get((row, gender), 0) for row, _label in table.rows) for gender in counted}
        if sums != counted:
            report.problems.append(_("“%(table)s” does not add up to the seekers.") % {"table": table.title})
    report.checks.append(
        _("Every table adds up to the %(n)s seekers counted directly in the live data.") % {"n": sum(counted.values())}
    )


def build(year: int, *, protected: bool, now: datetime | None = None) -> FederationReport:
    period = _period(year)
    # Witness support is a population of its own, protected on its own (stats/witness.py).
    report = FederationReport(year=year, protected=protected, witness=witness.report(year, protected=protected))
    # The year's counts by month and municipality, once: the exact year, the protected
    # year and each municipality all come from them (each used to count them again).
    parts = selection.year_counts(year, now)
    exact = selection.exact(Selection(year), now, parts=parts)
    _check(report, exact, period)
    if protected:
        whole = selection.protected(Selection(year), parts=parts)
        if whole.withheld:
            report.withheld = whole.withheld
            return report
        whole.report.volunteering = exact.volunteering
        shown = display.show_protected(whole)
    else:
        shown = display.show(exact, protected=False)
    by_key = {table.key: table for table in shown.tables}
    report.seekers = shown.seekers
    report.tables = [by_key[key] for key in FIELDS]
    markers = marker_tables(shown)
    report.cross = _cross(markers, by_key["crime_type"])
    report.markers = [_without_empty_rows(table) for table in markers]
    report.support = shown.support
    report.contacts_actions = _contacts_and_actions(shown.support)
    if protected:
        report.municipalities = _protected_municipalities(year, whole, shown.seekers, parts)
    else:
        report.municipalities = _exact_municipalities(period, shown.seekers)
    return report
