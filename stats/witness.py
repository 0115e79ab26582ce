"""Witness support at the courts, as the federation counts it: the people
supported in a calendar year, by their role at the trial and by court, with
gender across (gender first, as in every table).

The records are calendars.WitnessSupport, counted apart from the cases: a
person supported at court is not a seeker, and may be supported with or
without a case. Both tables add up to one total, the people supported by
gender, so they are protected together as one layout (stats.suppression):
one shared line (the people by gender and their total) and two blocks, role
by gender and court by gender, the shape stats.selection builds for a
report.

Why no tree of selections (stats/selection.py) is needed: these figures
exist per calendar year only. There are no months or quarters of them and no
municipalities (a record has none), so no two selections overlap and none
can be subtracted from another; one year is protected on its own, and a year
of fewer than JOUR_STATS_MIN_SEEKERS people supported is withheld whole. The
same year read twice, before and after a record is added, differs by that
record, as every live figure does.

Three tables in one GROUP BY query, however many records the year holds.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from calendars.models import WitnessRole, WitnessSupport

from .display import ShownTable, from_grid, minimum
from .figures import Table
from .selection import COLUMNS, TOTAL, _grid_lines, min_seekers
from .suppression import Layout, Pattern, protect_together

PERSONS, ROLE, COURT, ALL = "witness_persons", "witness_role", "witness_court", "all"

TOO_FEW = _("Too few people were supported at court in the year to show figures without pointing at anyone.")
CANNOT_PROTECT = _("The witness-support figures of the year cannot be shown without pointing at anyone.")


@dataclass
class WitnessTables:
    """The exact counts of a year: the people by gender, by role and gender, by court and gender."""

    year: int
    persons: Table
    by_role: Table
    by_court: Table

    @property
    def total(self) -> int:
        return sum(self.persons.counts.values())


def tables(year: int) -> WitnessTables:
    """The year's exact counts, in one query. Courts are the rows that have
    anyone supported in the year (out of use or not), by name."""
    first, after = date(year, 1, 1), date(year + 1, 1, 1)
    rows = (
        WitnessSupport.objects.filter(supported_on__gte=first, supported_on__lt=after)
        .values("role", "court_id", "court__name", "gender")
        .annotate(n=Count("pk"))
        .order_by()
    )
    persons = Table(PERSONS, str(_("People supported at court")), [(ALL, str(_("People supported")))])
    by_role = Table(
        ROLE, str(_("Witness support by role")), [(value, str(label)) for value, label in WitnessRole.choices]
    )
    courts: dict[int, str] = {}
    by_court = Table(COURT, str(_("Witness support by court")), [])
    for row in rows:
        gender, n = row["gender"], row["n"]
        persons.counts[ALL, gender] = persons.counts.get((ALL, gender), 0) + n
        by_role.counts[row["role"], gender] = by_role.counts.get((row["role"], gender), 0) + n
        court = str(row["court_id"])
        courts[court] = row["court__name"]
        by_court.counts[court, gender] = by_court.counts.get((court, gender), 0) + n
    by_court.rows = sorted(courts.items(), key=lambda item: (item[1], item[0]))
    return WitnessTables(year, persons, by_role, by_court)


# --- protection -------------------------------------------------------------------------


def layout(found: WitnessTables) -> Layout:
    """One shared line (the people by gender, then their total) and two blocks,
    role by gender and court by gender, each adding up to the shared line."""
    persons = [(PERSONS, ALL, column) for column in COLUMNS] + [(PERSONS, ALL, TOTAL)]
    lines, blocks = [tuple(persons)], []
    for table in (found.by_role, found.by_court):
        start = len(lines)
        lines += _grid_lines(table.key, [value for value, _label in table.rows], COLUMNS, persons)
        blocks.append(tuple(range(start, len(lines))))
    return Layout(lines=tuple(lines), blocks=tuple(blocks), shared_line=0)


def cells(found: WitnessTables) -> dict:
    """Every position of the layout with its count, totals included."""
    result = {}
    for table in (found.persons, found.by_role, found.by_court):
        for row, _label in table.rows:
            for column in COLUMNS:
                result[table.key, row, column] = table.counts.get((row, column), 0)
            result[table.key, row, TOTAL] = sum(result[table.key, row, column] for column in COLUMNS)
    return result


@dataclass
class WitnessReport:
    """The year's witness support as one reader gets it.

    ``protected``: as the board gets it, and as anything that leaves the site
    (a yearly report) must (small numbers hidden, or everything withheld with
    the reason in ``withheld``); otherwise exact, for coordinators' pages. The tables are display.ShownTable: rows of
    (label, cells as shown: the genders, then the total), ``total`` the column
    totals. ``exact`` holds the counts, and only when not protected."""

    year: int
    protected: bool
    withheld: str = ""
    persons: ShownTable | None = None
    by_role: ShownTable | None = None
    by_court: ShownTable | None = None
    exact: WitnessTables | None = None
    hidden: set = field(default_factory=set)  # the positions hidden (protected only)

    @property
    def tables(self) -> list[ShownTable]:
        return [table for table in (self.persons, self.by_role, self.by_court) if table is not None]


def _shown(table: Table, values: dict, pattern: Pattern | None) -> ShownTable:
    """A ShownTable from the layout's cells: its rows, then the people by gender
    as its total row; every cell exact (no ``pattern``) or as the pattern shows it."""
    grid_rows = [(table.key, row) for row, _label in table.rows]
    if table.key != PERSONS:
        grid_rows.append((PERSONS, ALL))
    positions = [[(key, row, column) for column in [*COLUMNS, TOTAL]] for key, row in grid_rows]

    def text(pos) -> str:
        return str(values[pos]) if pattern is None else pattern.shown(0, pos, values[pos], minimum())

    return from_grid(
        table, [[values[pos] for pos in line] for line in positions], [[text(p) for p in line] for line in positions]
    )


def report(year: int, protected: bool) -> WitnessReport:
    """The year's witness support, exact or protected (see WitnessReport)."""
    found = tables(year)
    values = cells(found)
    if not protected:
        result, pattern = WitnessReport(year, protected=False, exact=found), None
    else:
        if found.total < min_seekers():
            return WitnessReport(year, protected=True, withheld=str(TOO_FEW))
        pattern = protect_together(layout(found), [values], minimum())
        if pattern.failed:
            return WitnessReport(year, protected=True, withheld=str(CANNOT_PROTECT))
        result = WitnessReport(year, protected=True, hidden=set(pattern.hidden))
    for name in ("persons", "by_role", "by_court"):
        setattr(result, name, _shown(getattr(found, name), values, pattern))
    return result
