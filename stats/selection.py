"""Which selections protected readers get, and why no two of them can be
subtracted to point at anyone.

The board, auditors and every download see protected figures. A protected
reader chooses a *selection*: a calendar year, quarter or month, for all
municipalities; or a whole year for one municipality. Together the
selections of a year form a tree: the year, its quarters, their months; and
beside the quarters the year's municipalities. Every part adds up to its
whole: a quarter is its three months, the year its quarters, and all
municipalities are each municipality plus the *rest* (the cases whose
municipality is not known). Nothing else can be subtracted: a period is
never a custom span, and a municipality never comes with less than a year
(its quarters would be a second, crossing tree: quarter by municipality).

The rules, applied from the year down (a whole is decided before its parts,
and never changed by them):

A. A selection of fewer than ``JOUR_STATS_MIN_SEEKERS`` seekers is withheld,
   whole: no table, no first-contact figures, no download.
B. Complements. Within a family (a whole and its parts), the parts withheld
   plus the rest must hold no seeker or at least ``JOUR_STATS_MIN_SEEKERS``;
   otherwise the smallest part still shown is withheld too, until they do.
   "The year minus its other eleven months", "the quarter minus two of its
   months" and "all municipalities minus every other one" then give a group
   at least as large as the threshold, never a few people. The messages say
   why a part is withheld (too few seekers, or for the others' sake), so the
   reader knows a part "too few" holds less than the threshold and any other
   at least as many: where that pins down how many a part too few holds (two
   months at most 9 each, 18 together), one more part is withheld. The parts
   of a withheld selection are withheld.
C. One pattern per family. The parts shown, and the rest (worked out as the
   whole minus the parts shown), hide the same positions, chosen by
   stats.suppression.protect_together against every one of them: everything
   the whole hides, every small cell of any part or of the rest, the zeros
   beside their small totals, and what the rules 1-3 of stats.suppression
   add. A position the whole shows as 0 is 0 in every part and stays shown.
   (C') Among municipalities, the small ones join the rest when that shows
   more numbers in all: one small municipality's few seekers would otherwise
   hide much of every large one's table.
D. The bounds across the tree. A reader can also narrow ranges across
   parts and whole (three "<3" months in a quarter showing 3 are 1 each).
   After each family, every line of the tree so far is narrowed together; a
   hidden cell pinned down makes the family's small cells show as "·" at
   that position (0 or more), then all of them, and if that is not enough
   the family's parts are withheld.

Why this is enough for the algebra (rule 2 across reports). Take a family
with parts P1..Pk (the rest among them) sharing the hidden positions H, and
its whole W hiding H_W, a subset of H. Any change n to the hidden cells of
one table that keeps all its lines adding up (a "null change" of the layout
with H hidden) can be added to P1 and subtracted from P2: every line of
either part and every sum over the parts still adds up, and nothing shown
moves. So a part's hidden cell is fixed across the family only if it is
fixed within one table with H hidden, which rule 2 rules out. A change of
the whole's hidden cells that keeps the whole adding up is supported on H_W,
within H: add it to one part and the whole stays consistent with its parts,
and with its own whole one level up by the same argument. So what the
family tells about the whole is what the whole tells alone. Families meet
only at a shared whole (the year has two: its quarters and its
municipalities), and each adds nothing about that whole, so the tree as a
whole tells no more than its tables one by one: no hidden cell, no withheld
selection's count and no small cell of the rest is fixed by any combination
of the figures shown. Bounds do not decompose like that; rule D checks them
on the whole tree.

Everything is computed for the whole year at once (stats.figures.parts, a
fixed number of queries) and in a fixed order, so every reader gets the same
answer for the same selection, whatever they asked first; the result is kept
for as long as the year's counts do not change. tests/stats/test_attacks_selection.py
reads every protected report of many years together and finds nothing.

What this does not cover: the same selection read twice, before and after a
case is registered (figures are live; the difference is that case), and the
volunteers' figures (people and hours of the jour, not of seekers).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cases.models import Priority

from . import figures, year_cache
from .figures import GENDERS, SUPPORT_ROWS, Dimension, Report
from .suppression import SECONDARY, Layout, Pattern, lines_through, narrow, protect_together, ranges

TOO_FEW = _(
    "Too few seekers in this selection to show figures without pointing at anyone: "
    "choose a longer period or all municipalities."
)
WITH_OTHERS = _(
    "These figures are withheld: with the other months, quarters or municipalities of the year they would point "
    "at the few seekers of another one. Choose a longer period or all municipalities."
)
FOR_OTHERS = _(
    "These figures are withheld so that the larger municipalities can show more: the few seekers here would "
    "hide much of theirs. Choose all municipalities."
)
YEAR_TOO_FEW = _(
    "Too few seekers this year to show figures without pointing at anyone; they are shown once the year has more."
)
A_WHOLE_YEAR = _("Figures for one municipality cover a whole year: choose the year, or all municipalities.")

QUARTERS = [tuple(range(3 * q - 2, 3 * q + 1)) for q in range(1, 5)]
YEAR = tuple(range(1, 13))


# --- the layout of a report ------------------------------------------------------------

SEEKERS, ALL, TOTAL = "seekers", "all", "total"
COLUMNS = [value for value, _label in GENDERS]
KPI_COLUMNS = ["kept", "missed"]


def _grid_lines(key: str, rows: list, columns: list, total_row: list | None = None) -> list[tuple]:
    """Rows, columns and the total column of one table; its total row is ``total_row``, or its own."""
    total_row = total_row or [(key, TOTAL, column) for column in columns] + [(key, TOTAL, TOTAL)]
    lines = [tuple((key, row, column) for column in columns) + ((key, row, TOTAL),) for row in rows]
    lines += [tuple((key, row, column) for row in rows) + (total_row[n],) for n, column in enumerate(columns)]
    lines.append(tuple((key, row, TOTAL) for row in rows) + (total_row[-1],))
    if total_row[0][0] == key:
        lines.append(tuple(total_row))
    return lines


@lru_cache(maxsize=32)
def layout(dimensions: tuple[Dimension, ...]) -> Layout:
    """The report's cells and the lines they add up along; the breakdowns (one
    per dimension: the special circumstances make them the jour's own) all add
    up to the seekers by gender."""
    seekers = [(SEEKERS, ALL, column) for column in COLUMNS] + [(SEEKERS, ALL, TOTAL)]
    lines, blocks = [tuple(seekers)], []
    for dimension in dimensions:
        start = len(lines)
        lines += _grid_lines(dimension.key, [value for value, _label in dimension.rows], COLUMNS, seekers)
        blocks.append(tuple(range(start, len(lines))))
    for key, rows, columns in (
        ("support", [value for value, _label in SUPPORT_ROWS], COLUMNS),
        ("kpi", [value for value, _label in Priority.choices], KPI_COLUMNS),
    ):
        start = len(lines)
        lines += _grid_lines(key, rows, columns)
        blocks.append(tuple(range(start, len(lines))))
    return Layout(lines=tuple(lines), blocks=tuple(blocks), shared_line=0)


def values(report: Report) -> dict:
    """Every cell of the report's layout, totals included."""
    result = {}

    def add(key, table_counts: dict, rows, columns, totals=True):
        for row in rows:
            for column in columns:
                result[key, row, column] = table_counts.get((row, column), 0)
            result[key, row, TOTAL] = sum(result[key, row, column] for column in columns)
        if totals:
            for column in [*columns, TOTAL]:
                result[key, TOTAL, column] = sum(result[key, row, column] for row in rows)

    add(SEEKERS, report.seekers.counts, [ALL], COLUMNS, totals=False)
    for table in report.tables:
        add(table.key, table.counts, [value for value, _label in table.rows], COLUMNS, totals=False)
    add("support", report.support.counts, [value for value, _label in report.support.rows], COLUMNS)
    kpi = {}
    for line in report.first_contact:
        kpi[line.priority, "kept"], kpi[line.priority, "missed"] = line.kept, line.decided - line.kept
    add("kpi", kpi, [value for value, _label in Priority.choices], KPI_COLUMNS)
    return result


def seekers(cells: dict) -> int:
    return cells[SEEKERS, ALL, TOTAL]


def sorted_positions(layout: Layout, positions) -> list:
    """Positions in the layout's order (a fixed order: the same answers every time)."""
    return sorted(positions, key=layout.order.get)


# --- selections ------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    year: int
    months: tuple[int, ...] = YEAR
    municipality: str = ""  # a code; "" is all municipalities

    @property
    def kind(self) -> str:
        return {12: "year", 3: "quarter", 1: "month"}[len(self.months)]

    def families(self, municipalities: list[str]) -> list[list["Selection"]]:
        """The parts of this selection that protected readers may choose, family by family."""
        if self.municipality:
            return []
        if self.kind == "year":
            return [
                [Selection(self.year, months) for months in QUARTERS],
                [Selection(self.year, YEAR, code) for code in municipalities],
            ]
        if self.kind == "quarter":
            return [[Selection(self.year, (month,)) for month in self.months]]
        return []


@dataclass
class Protected:
    """A selection as protected readers get it: shown (with what it hides) or withheld (and why)."""

    selection: Selection
    report: Report | None = None
    cells: dict = field(default_factory=dict)  # every cell of the layout, exact
    hidden: set = field(default_factory=set)
    demoted: set = field(default_factory=set)  # small cells shown as "·"
    withheld: str = ""

    def shown(self, pos, value: int, minimum: int) -> str:
        if pos not in self.hidden:
            return str(value)
        return f"<{minimum}" if 0 < value < minimum and pos not in self.demoted else SECONDARY


@dataclass
class _Node:
    key: object  # a Selection, or ("rest", whole, family) for the parts not shown
    cells: dict
    hidden: set = field(default_factory=set)
    demoted: set = field(default_factory=set)
    report: Report | None = None
    id: int = 0  # for the tree's cells: (id, position)


class Tree:
    """The protection of every selection of one year (rules A-D above)."""

    def __init__(self, parts: figures.Parts, minimum: int, min_seekers: int):
        self.parts, self.minimum, self.min_seekers = parts, minimum, min_seekers
        self.layout = layout(parts.dimensions)
        self.nodes: dict = {}
        self.withheld: dict[Selection, str] = {}
        self.low, self.high, self.lines, self.hidden_cells = {}, {}, [], set()
        self.through = defaultdict(list)
        self._count = 0
        self._build()

    # -- the tree, from the year down --

    def node(self, selection: Selection) -> _Node:
        report = self.parts.report(selection.months, selection.municipality)
        return self._numbered(_Node(selection, values(report), report=report))

    def _numbered(self, node: _Node) -> _Node:
        self._count += 1
        node.id = self._count
        return node

    def _build(self) -> None:
        root = self.node(Selection(self.parts.year))
        if seekers(root.cells) < self.min_seekers:
            self.withheld[root.key] = YEAR_TOO_FEW  # there is no longer period to suggest
            return
        pattern = protect_together(self.layout, [root.cells], self.minimum)
        root.hidden, root.demoted = pattern.hidden, pattern.demoted[0]
        state = self._with([root], [])
        if pattern.failed or state is None:
            self.withheld[root.key] = WITH_OTHERS
            return
        self._commit([root], state)
        queue = [root]
        while queue:
            whole = queue.pop(0)
            for family in whole.key.families(self.parts.municipalities()):
                queue += self._family(whole, family)

    def _family(self, whole: _Node, family: list[Selection]) -> list[_Node]:
        """Rules A to D for the parts of ``whole``: the parts shown."""
        parts = [self.node(selection) for selection in family]
        shown = []
        for part in parts:
            if seekers(part.cells) < self.min_seekers:
                self.withheld[part.key] = TOO_FEW
            else:
                shown.append(part)
        rest = seekers(whole.cells) - sum(seekers(part.cells) for part in shown)
        unknown_rest = bool(family[0].municipality)  # cases of no known municipality belong to no part
        while shown and (0 < rest < self.min_seekers or self._counted(family, rest, unknown_rest)):
            smallest = min(shown, key=lambda part: (seekers(part.cells), -parts.index(part)))
            shown.remove(smallest)
            self.withheld[smallest.key] = WITH_OTHERS
            rest += seekers(smallest.cells)
        if not shown:
            return []
        members, pattern = self._together(whole, family, shown)
        if unknown_rest and len(shown) > 1:
            # Rule C': the small municipalities whose small numbers would hide much in the
            # larger ones join the rest instead, as many as makes most numbers shown (not
            # months or quarters: the current one is always small, and its months go with it).
            largest = sorted(shown, key=lambda part: (-seekers(part.cells), parts.index(part)))
            best = (_numbers_shown(self.layout, shown, pattern), len(shown))
            for count in range(len(shown) - 1, 0, -1):
                trial_members, trial = self._together(whole, family, largest[:count])
                if trial is not None and (_numbers_shown(self.layout, largest[:count], trial), count) > best:
                    shown_now = _numbers_shown(self.layout, largest[:count], trial)
                    best, members, pattern = (shown_now, count), trial_members, trial
            for part in shown[:]:
                if part not in members:
                    shown.remove(part)
                    self.withheld[part.key] = FOR_OTHERS
        if pattern is None:
            return self._withhold(shown)
        for member, demoted in zip(members, pattern.demoted, strict=True):
            member.hidden, member.demoted = set(pattern.hidden), set(demoted)
        # The parts add up to the whole, cell by cell; where nothing is hidden that says nothing new.
        hidden = sorted_positions(self.layout, members[0].hidden)
        lines = [tuple((m.id, pos) for m in members) + ((whole.id, pos),) for pos in hidden]
        everywhere = False
        while True:
            state = self._with(members, lines)
            if state is not None:
                self._commit(members, state)
                return shown
            # Rule D: show the small cells at the pinned positions as "·"; then all of them; then withhold.
            positions = {pos for _key, pos in self._pinned}
            before = sum(len(m.demoted) for m in members)
            for m in members:
                m.demoted |= {pos for pos in (m.hidden if everywhere else positions) if pos in m.hidden}
            if sum(len(m.demoted) for m in members) == before:
                if everywhere:
                    return self._withhold(shown)
                everywhere = True

    def _together(self, whole: _Node, family: list[Selection], shown: list[_Node]):
        """Rule C: the parts shown and the rest (the whole minus them), and their one pattern
        (None when it cannot be had)."""
        rest = self._numbered(
            _Node(
                ("rest", whole.key, family[0]),
                {pos: value - sum(part.cells[pos] for part in shown) for pos, value in whole.cells.items()},
            )
        )
        members = shown + ([rest] if any(rest.cells.values()) else [])
        if len(members) == 1:  # the one part is the whole: the same table, the same cells hidden
            return members, Pattern(hidden=set(whole.hidden), demoted=[set(whole.demoted)])
        known = {pos for pos, value in whole.cells.items() if value == 0 and pos not in whole.hidden}
        cells = [m.cells for m in members]
        pattern = protect_together(self.layout, cells, self.minimum, start=whole.hidden, known=known)
        return members, (None if pattern.failed else pattern)

    def _counted(self, family: list[Selection], rest: int, unknown_rest: bool) -> bool:
        """Rule B, with what the messages say: a part withheld as too few holds fewer
        than the minimum, one withheld with the others at least as many. Could the
        rest pin down how many seekers a part withheld as too few has?"""
        if unknown_rest:
            return False
        few = sum(self.withheld.get(part) == TOO_FEW for part in family)
        others = sum(self.withheld.get(part) == WITH_OTHERS for part in family)
        highest = (self.min_seekers - 1) * few + (rest if others else 0)
        lowest = self.min_seekers * others
        # A part too few: at least the rest minus the others at their highest, at most minus them at their lowest.
        low = max(0, rest - (highest - (self.min_seekers - 1)))
        high = min(self.min_seekers - 1, rest - lowest)
        return few > 0 and low == high and low > 0

    def _withhold(self, shown: list[_Node]) -> list:
        for part in shown:
            self.withheld[part.key] = WITH_OTHERS
        return []

    # -- rule D: the bounds of the whole tree --

    def _with(self, nodes: list[_Node], cross: list[tuple]):
        """The tree's ranges with ``nodes`` and their ``cross`` lines added, or None
        when a hidden cell gets pinned down (``self._pinned`` says which)."""
        low, high = dict(self.low), dict(self.high)
        new_lines = []
        for node in nodes:
            shown = not isinstance(node.key, tuple)  # the rest is not shown: no "<3" to read
            node_low, node_high = ranges(
                node.cells, node.hidden, node.demoted if shown else node.hidden, self.minimum, self.layout.positions
            )
            for pos in self.layout.positions:
                low[node.id, pos], high[node.id, pos] = node_low[pos], node_high[pos]
            lines = {n for pos in node.hidden for n in self.layout.through[pos]}
            new_lines += [tuple((node.id, pos) for pos in self.layout.lines[n]) for n in sorted(lines)]
        new_lines += cross
        lines = self.lines + new_lines
        through = _Through(self.through, lines_through(lines, start=len(self.lines), into=defaultdict(list)))
        narrow(low, high, lines, todo=range(len(self.lines), len(lines)), through=through)
        hidden = self.hidden_cells | {(node.id, pos) for node in nodes for pos in node.hidden}
        self._pinned = {cell for cell in hidden if low[cell] >= high[cell]}
        return None if self._pinned else (low, high, new_lines, hidden)

    def _commit(self, nodes: list[_Node], state) -> None:
        self.low, self.high, new_lines, self.hidden_cells = state
        start = len(self.lines)
        self.lines += new_lines
        lines_through(self.lines, start=start, into=self.through)
        for node in nodes:
            self.nodes[node.key] = node

    # -- answers --

    def protected(self, selection: Selection) -> Protected:
        """The selection as decided: shown with its pattern, or withheld with its reason."""
        node = self.nodes.get(selection)
        if node is not None:
            # A copy: the caller adds the volunteers, and the tree may serve the next request.
            return Protected(selection, replace(node.report), node.cells, node.hidden, node.demoted)
        reason = self.withheld.get(selection)
        if reason is None:  # below a withheld selection, or no case at all
            report = self.parts.report(selection.months, selection.municipality)
            reason = TOO_FEW if seekers(values(report)) < self.min_seekers else WITH_OTHERS
        return Protected(selection, withheld=str(reason))


def _numbers_shown(layout: Layout, parts: list, pattern: Pattern | None) -> int:
    return -1 if pattern is None else len(parts) * (len(layout.positions) - len(pattern.hidden))


class _Through:
    """The lines through a cell: those of the tree so far, and those being tried."""

    def __init__(self, kept: dict, tried: dict):
        self.kept, self.tried = kept, tried

    def get(self, cell, default=()):
        return [*self.kept.get(cell, default), *self.tried.get(cell, default)]


def minimum() -> int:
    return settings.JOUR_STATS_MINIMUM


def min_seekers() -> int:
    return settings.JOUR_STATS_MIN_SEEKERS


@lru_cache(maxsize=16)
def _tree(year: int, counts: tuple, dimensions: tuple, minimum: int, min_seekers: int) -> Tree:
    """The tree is a function of the year's counts alone: the same counts, the same answers."""
    parts = figures.Parts(year, {key: Counter(dict(items)) for key, items in counts}, dimensions)
    return Tree(parts, minimum, min_seekers)


def protected(selection: Selection, now=None, *, parts: figures.Parts | None = None) -> Protected:
    """The selection as the board, auditors and every download get it. A caller that
    protects several selections of one year passes the year's `parts`, counted once."""
    if selection.municipality and selection.kind != "year":
        return Protected(selection, withheld=str(A_WHOLE_YEAR))
    return _tree_of(_parts_for(selection, now, parts)).protected(selection)


def exact(selection: Selection, now=None, *, parts: figures.Parts | None = None) -> figures.Report:
    """The selection's exact figures, as coordinators see them: figures.report of its
    period, added up from the year's counts, with its volunteers. `parts` as for protected()."""
    report = _parts_for(selection, now, parts).report(selection.months, selection.municipality)
    report.volunteering = year_cache.volunteering(report.period) if now is None else figures.volunteering(report.period)
    return report


def year_counts(year: int, now=None) -> figures.Parts:
    """The year's counts: kept between requests (stats.year_cache), or counted at ``now``."""
    return year_cache.year_parts(year) if now is None else figures.parts(year, now=now)


def _parts_for(selection: Selection, now, parts: figures.Parts | None) -> figures.Parts:
    if parts is None:
        return year_counts(selection.year, now)
    if parts.year != selection.year:
        raise ValueError(f"parts of {parts.year} given for a selection of {selection.year}")
    return parts


def _tree_of(parts: figures.Parts) -> Tree:
    if parts.version is not None:  # kept counts: the version names them, no need to sort them into a key
        return _kept_tree(parts.year, parts.version, minimum(), min_seekers(), parts)
    counts = tuple((key, tuple(sorted(found.items()))) for key, found in sorted(parts.counts.items()))
    return _tree(parts.year, counts, parts.dimensions, minimum(), min_seekers())


_kept_trees: dict[tuple, Tree] = {}


def _kept_tree(year: int, version: str, minimum: int, min_seekers: int, parts: figures.Parts) -> Tree:
    key = (year, version, minimum, min_seekers)
    tree = _kept_trees.get(key)
    if tree is None:
        if len(_kept_trees) >= 16:  # old versions are never asked for again
            _kept_trees.clear()
        tree = _kept_trees[key] = Tree(parts, minimum, min_seekers)
    return tree
