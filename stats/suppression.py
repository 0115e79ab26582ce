"""Small-number protection for tables of people.

A cell counting fewer than ``minimum`` people (but more than none) is shown
as "<3" (primary suppression). More cells are hidden, shown as "·", until a
reader who knows how this works cannot pin down any hidden cell. That reader
knows that every line (row or column) adds up to its total, that "<3" is 1 or
2 and that "·" is 0 or more; they solve all lines together exactly, and they
narrow each hidden cell's range line by line. The rules:

0. Zeros are knowledge. Beside a small total, a zero says what its few people
   are not ("Sexual offence <3" with 0 in every gender column but one names
   their gender). So in a line whose total is small, the zeros are hidden too,
   unless every reader knows them already: the same cell of the larger table
   is a shown 0 (``known``), or its other line shows a total of 0. A zero in
   a line whose total is 0 or at least the minimum stays: it speaks of nobody,
   or of a group large enough. (Tables protected together hide alike: where
   one shows a line's total as 0 and another does not, that total is hidden,
   or the first table's hidden cells in the line would be known zeros.)
1. No line (totals included) has exactly one hidden cell.
2. No hidden cell is fixed by all the lines together (exact linear algebra;
   tables that share their total row, like the breakdowns of one report that
   all add up to the same seekers by gender, are solved together:
   ``exposed_by_algebra``).
3. No hidden cell is fixed by its bounds: "<3" is 1 or 2, "·" 0 or more, and
   each line narrows its cells' ranges until nothing changes.

Each time a check finds a cell given away, a small total in its line shows as
"·" instead of "<3" (so that "1 + 1 = <3" no longer pins both ones down), or
else the smallest shown cell beside it is hidden (a non-zero one before a zero,
a cell inside the table before a total), or else the smallest anywhere, and
the checks run again.

``protect_together`` protects several tables of one layout at once, as the
parts of a larger table (the months of a quarter, the municipalities of a
year): they get one set of hidden positions, checked against every part, so
that no part can be worked out from the others and their sum.
stats/selection.py says why that is enough, and checks the bounds across the
parts and the whole.
"""

import math
from collections import defaultdict, deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

SECONDARY = "·"
Pos = Hashable
# What "·" may be, before the lines narrow it: any number of people. Infinite, not
# a large number: narrowing a cycle of lines around a large finite bound lowers it
# by a little each round, and would take that many rounds to stop.
UNBOUNDED = math.inf


@dataclass
class Cell:
    value: int
    primary: bool = False
    secondary: bool = False

    @property
    def hidden(self) -> bool:
        return self.primary or self.secondary

    def shown(self, minimum: int) -> str:
        if self.primary:
            return f"<{minimum}"
        if self.secondary:
            return SECONDARY
        return str(self.value)


def grid(rows: list[list[int]]) -> list[list[Cell]]:
    """The table with a total column on the right and a total row at the bottom."""
    width = len(rows[0]) if rows else 0
    cells = [[Cell(v) for v in row] + [Cell(sum(row))] for row in rows]
    totals = [sum(row[i] for row in rows) for i in range(width)]
    cells.append([Cell(v) for v in totals] + [Cell(sum(totals))])
    return cells


# --- layouts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Which cells add up: each line is its inner cells, then its total.

    ``blocks`` groups the lines into tables (line indexes); inside a block each
    cell lies in exactly two lines (its row and its column). ``shared_line``
    is a line whose cells are the total row of several blocks (the seekers by
    gender, which every breakdown of a report adds up to)."""

    lines: tuple[tuple[Pos, ...], ...]
    blocks: tuple[tuple[int, ...], ...]
    shared_line: int | None = None

    @cached_property
    def positions(self) -> tuple[Pos, ...]:
        return tuple(dict.fromkeys(pos for line in self.lines for pos in line))

    @cached_property
    def order(self) -> dict[Pos, int]:
        return {pos: n for n, pos in enumerate(self.positions)}

    @cached_property
    def totals(self) -> frozenset:
        return frozenset(line[-1] for line in self.lines)

    @cached_property
    def through(self) -> dict[Pos, tuple[int, ...]]:
        """The lines each cell lies in."""
        found = defaultdict(list)
        for n, line in enumerate(self.lines):
            for pos in line:
                found[pos].append(n)
        return {pos: tuple(lines) for pos, lines in found.items()}

    @cached_property
    def shared(self) -> frozenset:
        return frozenset(self.lines[self.shared_line]) if self.shared_line is not None else frozenset()


def grid_layout(height: int, width: int) -> Layout:
    """The layout of grid(): positions (row, column), the totals last."""
    rows = [tuple((r, c) for c in range(width)) for r in range(height)]
    columns = [tuple((r, c) for r in range(height)) for c in range(width)]
    lines = tuple(rows + columns)
    return Layout(lines=lines, blocks=(tuple(range(len(lines))),))


# --- what a reader can work out --------------------------------------------------------


def _reduced(rows: list[dict[int, int]], count: int) -> list[list[Fraction]]:
    """The rows in reduced row echelon form (exact Gauss-Jordan), zero rows dropped."""
    matrix = [[Fraction(row.get(i, 0)) for i in range(count)] for row in rows if row]
    top = 0
    for column in range(count):
        found = next((r for r in range(top, len(matrix)) if matrix[r][column]), None)
        if found is None:
            continue
        matrix[top], matrix[found] = matrix[found], matrix[top]
        lead = matrix[top][column]
        matrix[top] = [value / lead for value in matrix[top]]
        for r in range(len(matrix)):
            if r != top and matrix[r][column]:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[top], strict=True)]
        top += 1
    return matrix[:top]


def _in_span(reduced: list[list[Fraction]], vector: dict[int, int], count: int) -> bool:
    """Whether ``vector`` is a combination of the ``reduced`` rows."""
    rest = [Fraction(vector.get(i, 0)) for i in range(count)]
    for row in reduced:
        lead = next(i for i, value in enumerate(row) if value)
        if rest[lead]:
            factor = rest[lead]
            rest = [a - factor * b for a, b in zip(rest, row, strict=True)]
    return not any(rest)


def _sign(line: Sequence[Pos], pos: Pos) -> int:
    """A line's equation: its inner cells minus its total is zero."""
    return -1 if pos == line[-1] else 1


def _bridges(edges: dict) -> set:
    """The edges on no cycle of the graph ``{edge: (node, node)}`` (iterative depth-first search)."""
    adjacency = defaultdict(list)
    for edge, (a, b) in edges.items():
        adjacency[a].append((b, edge))
        adjacency[b].append((a, edge))
    order, low, bridges = {}, {}, set()
    for start in adjacency:
        if start in order:
            continue
        order[start] = low[start] = len(order)
        stack = [(start, None, iter(adjacency[start]))]
        while stack:
            node, via, edges_out = stack[-1]
            for other, edge in edges_out:
                if edge == via:
                    continue
                if other in order:
                    low[node] = min(low[node], order[other])
                else:
                    order[other] = low[other] = len(order)
                    stack.append((other, edge, iter(adjacency[other])))
                    break
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        bridges.add(via)
    return bridges


class _Block:
    """One table of a layout as a graph: its lines are the nodes, its hidden cells
    (those not shared) the edges, each joining the two lines it lies in. Every
    line gets a sign that makes the cells' signs cancel along any path, so that
    the equations of a group of connected lines add up to an equation in the
    shared cells alone."""

    def __init__(self, layout: Layout, block: tuple[int, ...], hidden: set):
        self.layout = layout
        ends = defaultdict(list)
        for n in block:
            for pos in layout.lines[n]:
                if pos in hidden and pos not in layout.shared:
                    ends[pos].append(n)
        self.edges = {pos: tuple(lines) for pos, lines in ends.items()}
        self.next = defaultdict(list)
        for pos, (a, b) in self.edges.items():
            self.next[a].append((b, pos))
            self.next[b].append((a, pos))
        self.sign, self.group = {}, {}
        for start in block:
            if start in self.sign:
                continue
            self.sign[start], self.group[start] = 1, start
            queue = deque([start])
            while queue:
                n = queue.popleft()
                for other, pos in self.next[n]:
                    wanted = -self.sign[n] * _sign(layout.lines[n], pos) * _sign(layout.lines[other], pos)
                    if other not in self.sign:
                        self.sign[other], self.group[other] = wanted, start
                        queue.append(other)
                    elif self.sign[other] != wanted:
                        raise ValueError("a block whose lines do not form a table")

    def outflow(self, lines, index: dict) -> dict[int, int]:
        """What the equations of ``lines``, added with their signs, say of the shared cells."""
        equation = {}
        for n in lines:
            for pos in self.layout.lines[n]:
                if pos in index:
                    value = equation.get(index[pos], 0) + self.sign[n] * _sign(self.layout.lines[n], pos)
                    equation[index[pos]] = value
        return {i: v for i, v in equation.items() if v}

    def groups(self) -> list[list[int]]:
        found = defaultdict(list)
        for n, group in self.group.items():
            found[group].append(n)
        return list(found.values())

    def side(self, start: int, without: Pos) -> set[int]:
        """The lines reached from ``start`` without crossing the cell ``without``."""
        seen, queue = {start}, deque([start])
        while queue:
            n = queue.popleft()
            for other, pos in self.next[n]:
                if pos != without and other not in seen:
                    seen.add(other)
                    queue.append(other)
        return seen


def exposed_by_algebra(layout: Layout, hidden: set) -> set:
    """Hidden cells whose value follows from the line equations and the shown cells.

    Only which cells are hidden matters, not their values. Changes to the hidden
    cells that keep every line adding up are flows around the cycles of each
    block's graph (``_Block``), plus flows through the shared cells that every
    block and the shared line allow. So a shared cell is fixed when those flows
    never move it, and any other hidden cell when it lies on no cycle of its
    block (a bridge) and no allowed flow through the shared cells crosses it."""
    shared = [pos for pos in layout.positions if pos in layout.shared and pos in hidden]
    index = {pos: i for i, pos in enumerate(shared)}
    blocks = [_Block(layout, block, hidden) for block in layout.blocks]
    constraints = []
    if shared:
        line = layout.lines[layout.shared_line]
        constraints.append({index[pos]: _sign(line, pos) for pos in line if pos in index})
        constraints += [block.outflow(group, index) for block in blocks for group in block.groups()]
    reduced = _reduced(constraints, len(shared))
    exposed = {pos for pos in shared if _in_span(reduced, {index[pos]: 1}, len(shared))}
    for block in blocks:
        for pos in _bridges(block.edges):
            flow = block.outflow(block.side(block.edges[pos][0], without=pos), index)
            if not flow or _in_span(reduced, flow, len(shared)):
                exposed.add(pos)
    return exposed


def lines_through(lines: Sequence[Sequence[Pos]], start: int = 0, into: dict | None = None) -> dict:
    """{cell: the indexes of the lines it lies in}, for ``lines[start:]`` (added to ``into``)."""
    through = defaultdict(list) if into is None else into
    for n in range(start, len(lines)):
        for pos in lines[n]:
            through[pos].append(n)
    return through


def narrow(
    low: dict, high: dict, lines: Sequence[Sequence[Pos]], todo: Sequence[int] | None = None, through=None
) -> None:
    """Narrow every cell's range [low, high] with the lines (the inner cells add
    up to the total), until no line narrows any further. In place; ``todo``
    names the lines to start from (all by default); ``through`` may say which
    lines each cell lies in (``lines_through``), if the caller keeps it."""
    through = lines_through(lines) if through is None else through
    queue = deque(range(len(lines)) if todo is None else todo)
    queued = set(queue)
    while queue:
        n = queue.popleft()
        queued.discard(n)
        line = lines[n]
        total = line[-1]
        lows, highs = [low[p] for p in line], [high[p] for p in line]
        low_sum = sum(lows[:-1])
        # The inner highs without subtracting infinities: how many are infinite, and the sum of the rest.
        infinite = sum(h == math.inf for h in highs[:-1])
        finite = sum(h for h in highs[:-1] if h != math.inf)
        for i, pos in enumerate(line):
            if pos == total:
                lo, hi = low_sum, math.inf if infinite else finite
            else:
                own = highs[i] == math.inf
                others_high = math.inf if infinite - own else finite - (0 if own else highs[i])
                lo, hi = lows[-1] - others_high, highs[-1] - (low_sum - lows[i])
            if lo > low[pos] or hi < high[pos]:
                low[pos], high[pos] = max(lo, low[pos]), min(hi, high[pos])
                for other in through.get(pos, ()):
                    if other not in queued:
                        queued.add(other)
                        queue.append(other)


def ranges(values: dict, hidden, demoted, minimum: int, positions) -> tuple[dict, dict]:
    """What the shown text tells of each cell: a shown number exactly, "<3" 1 to 2, "·" 0 or more."""
    low, high = {}, {}
    for pos in positions:
        value = values.get(pos, 0)
        if pos not in hidden:
            low[pos] = high[pos] = value
        elif 0 < value < minimum and pos not in demoted:
            low[pos], high[pos] = 1, minimum - 1
        else:
            low[pos], high[pos] = 0, UNBOUNDED
    return low, high


def exposed_by_bounds(layout: Layout, values: dict, hidden, demoted, minimum: int) -> set:
    """Hidden cells whose range narrows to a single value (only lines with a hidden
    cell can narrow anything: the others hold shown numbers only)."""
    low, high = ranges(values, hidden, demoted, minimum, layout.positions)
    narrow(low, high, [line for line in layout.lines if any(pos in hidden for pos in line)])
    return {pos for pos in hidden if low[pos] >= high[pos]}


# --- protecting ------------------------------------------------------------------------


@dataclass
class Pattern:
    """The hidden positions, shared by all the tables protected together, and
    per table the small cells shown as "·" rather than "<3"."""

    hidden: set
    demoted: list[set] = field(default_factory=list)
    failed: bool = False  # no more cell could be hidden, and one is still given away

    def shown(self, member: int, pos: Pos, value: int, minimum: int) -> str:
        if pos not in self.hidden:
            return str(value)
        if 0 < value < minimum and pos not in self.demoted[member]:
            return f"<{minimum}"
        return SECONDARY


class _Protection:
    """One run of the rules over tables of one layout (``members``)."""

    def __init__(self, layout: Layout, members: list[dict], minimum: int, start, known):
        self.layout, self.members, self.minimum, self.known = layout, members, minimum, frozenset(known)
        small = {pos for pos in layout.positions if any(0 < m.get(pos, 0) < minimum for m in members)}
        self.pattern = Pattern(hidden=(set(start) | small) - self.known, demoted=[set() for _ in members])
        self.sums = {pos: sum(m.get(pos, 0) for m in members) for pos in layout.positions}

    @property
    def hidden(self) -> set:
        return self.pattern.hidden

    def small(self, member: int, pos: Pos) -> bool:
        return 0 < self.members[member].get(pos, 0) < self.minimum

    def is_known(self, pos: Pos) -> bool:
        """Every reader knows the cell already: the whole shows it as 0, or a line
        through it shows a total of 0 in every table. It stays shown."""
        if pos in self.known:
            return True
        for n in self.layout.through[pos]:
            total = self.layout.lines[n][-1]
            if total != pos and total not in self.hidden and all(m.get(total, 0) == 0 for m in self.members):
                return True
        return False

    def zeros(self) -> None:
        """Rule 0: hide the zeros of a line with a small total. And where tables
        protected together differ, one showing a line's total as 0 and another
        not, hide that total: the first table's hidden cells in the line would
        be known to be 0, and the tables must hide alike."""
        while True:
            again = False
            for line in self.layout.lines:
                inner, total = line[:-1], line[-1]
                if total in self.hidden:
                    few = [m for m in self.members if 0 < m.get(total, 0) < self.minimum]
                    for pos in inner:
                        if pos in self.hidden or not any(m.get(pos, 0) == 0 for m in few):
                            continue
                        if not self.is_known(pos):
                            self.hidden.add(pos)
                            again = True
                elif (
                    total not in self.known
                    and any(pos in self.hidden for pos in inner)
                    and any(m.get(total, 0) == 0 for m in self.members)
                ):
                    self.hidden.add(total)
                    again = True
            if not again:
                return

    def hide_best(self, candidates) -> bool:
        """Hide the smallest shown cell among ``candidates``: a non-zero one before
        a zero, an inner cell before a total (readers need the totals most)."""
        pool = [pos for pos in dict.fromkeys(candidates) if pos not in self.hidden and not self.is_known(pos)]
        if not pool:
            return False
        best = min(
            pool,
            key=lambda pos: (
                self.sums[pos] == 0,
                pos in self.layout.totals,
                self.sums[pos],
                self.layout.order[pos],
            ),
        )
        self.hidden.add(best)
        return True

    def beside(self, pos: Pos) -> list:
        return [other for n in self.layout.through[pos] for other in self.layout.lines[n]]

    def loosen(self, pos: Pos, member: int | None) -> bool:
        """One more step to hide the exposed cell at ``pos`` (of ``member``, for the bounds)."""
        if member is not None:
            demoted = self.pattern.demoted[member]
            for n in self.layout.through[pos]:
                total = self.layout.lines[n][-1]
                if total in self.hidden and self.small(member, total) and total not in demoted:
                    demoted.add(total)
                    return True
        if self.hide_best(self.beside(pos)) or self.hide_best(self.layout.positions):
            return True
        if member is not None and self.small(member, pos) and pos not in self.pattern.demoted[member]:
            self.pattern.demoted[member].add(pos)  # e.g. a minimum of 2, where "<2" can only be 1
            return True
        return False

    def lone(self):
        """Rule 1: a line with exactly one hidden cell."""
        for line in self.layout.lines:
            hidden = [pos for pos in line if pos in self.hidden]
            if len(hidden) == 1:
                return line
        return None

    def run(self) -> Pattern:
        while True:
            self.zeros()
            line = self.lone()
            if line is not None:
                if self.hide_best(line) or self.hide_best(self.layout.positions):
                    continue
                return self.give_up()
            exposed = exposed_by_algebra(self.layout, self.hidden)
            if exposed:
                if any(self.loosen(pos, None) for pos in sorted(exposed, key=self.layout.order.get)):
                    continue
                return self.give_up()
            for member, values in enumerate(self.members):
                exposed = exposed_by_bounds(
                    self.layout, values, self.hidden, self.pattern.demoted[member], self.minimum
                )
                if exposed:
                    break
            else:
                return self.pattern
            if not any(self.loosen(pos, member) for pos in sorted(exposed, key=self.layout.order.get)):
                return self.give_up()

    def give_up(self) -> Pattern:
        self.pattern.failed = True
        return self.pattern


def protect_together(
    layout: Layout, members: list[dict], minimum: int, *, start=frozenset(), known=frozenset()
) -> Pattern:
    """The protection of tables of one layout as parts of one whole.

    ``start``: positions hidden whatever the parts hold (those hidden in the
    whole); ``known``: positions every reader knows (0 in the whole), never
    hidden."""
    return _Protection(layout, members, minimum, start, known).run()


def protect(cells: list[list[Cell]], minimum: int) -> list[list[Cell]]:
    """Mark primary and secondary suppression in place; returns ``cells``."""
    if not cells or not cells[0]:
        return cells
    layout = grid_layout(len(cells), len(cells[0]))
    values = {(r, c): cell.value for r, row in enumerate(cells) for c, cell in enumerate(row)}
    pattern = protect_together(layout, [values], minimum)
    for (r, c), value in values.items():
        cell = cells[r][c]
        hidden = (r, c) in pattern.hidden
        cell.primary = hidden and 0 < value < minimum and (r, c) not in pattern.demoted[0]
        cell.secondary = hidden and not cell.primary
    return cells
