"""What a reader can work out from a protected table, from its shown text alone.

A table here is the grid as shown: rows of strings, the total column last and
the total row at the bottom; a digit string is visible, anything else ("<3",
"·") hidden.
"""

import math
from fractions import Fraction


def is_hidden(text: str) -> bool:
    return not text.isdigit()


def lines(table: list[list]) -> list[list[tuple[int, int]]]:
    """Every row and every column of the grid, totals included; the total is each line's last cell."""
    height, width = len(table), len(table[0])
    return [[(r, c) for c in range(width)] for r in range(height)] + [
        [(r, c) for r in range(height)] for c in range(width)
    ]


def recovered_from_one_line(table: list[list[str]]) -> dict[tuple[int, int], int]:
    """What a reader works out by subtraction within single rows and columns, repeatedly,
    from the shown text alone: a line with exactly one unknown gives it away."""
    known = {(r, c): int(text) for r, row in enumerate(table) for c, text in enumerate(row) if not is_hidden(text)}
    found = {}
    progress = True
    while progress:
        progress = False
        for line in lines(table):
            unknown = [pos for pos in line if pos not in known]
            if len(unknown) != 1:
                continue
            inner, total = line[:-1], line[-1]
            (pos,) = unknown
            if pos == total:
                value = sum(known[p] for p in inner)
            else:
                value = known[total] - sum(known[p] for p in inner if p != pos)
            known[pos] = found[pos] = value
            progress = True
    return found


def determined_by_the_whole_table(table: list[list[str]]) -> dict[tuple[int, int], Fraction]:
    """The hidden cells fixed by the linear system of all rows and columns together
    (exact Gauss-Jordan elimination on the shown text)."""
    hidden = [(r, c) for r, row in enumerate(table) for c, text in enumerate(row) if is_hidden(text)]
    index = {pos: i for i, pos in enumerate(hidden)}
    equations = []
    for line in lines(table):
        coefficients = [Fraction(0)] * len(hidden)
        constant = Fraction(0)
        for pos in line:
            sign = -1 if pos == line[-1] else 1  # inner cells minus the total is zero
            text = table[pos[0]][pos[1]]
            if pos in index:
                coefficients[index[pos]] += sign
            else:
                constant -= sign * int(text)
        equations.append(coefficients + [constant])
    pivot_row = 0
    pivots = []
    for column in range(len(hidden)):
        row = next((r for r in range(pivot_row, len(equations)) if equations[r][column] != 0), None)
        if row is None:
            continue
        equations[pivot_row], equations[row] = equations[row], equations[pivot_row]
        lead = equations[pivot_row][column]
        equations[pivot_row] = [value / lead for value in equations[pivot_row]]
        for r in range(len(equations)):
            if r != pivot_row and equations[r][column] != 0:
                factor = equations[r][column]
                equations[r] = [a - factor * b for a, b in zip(equations[r], equations[pivot_row], strict=True)]
        pivots.append((pivot_row, column))
        pivot_row += 1
    found = {}
    for row, column in pivots:
        if all(value == 0 for i, value in enumerate(equations[row][:-1]) if i != column):
            found[hidden[column]] = equations[row][-1]
    return found


def determined_by_bounds(table: list[list[str]], minimum: int, dot_at_least: int = 0) -> dict[tuple[int, int], int]:
    """The hidden cells a reader pins down with what the page tells: "<n" is 1 to n-1
    and "·" is 0 or more (a zero beside a small total is hidden too). A reader who
    assumed more of a "·" sets ``dot_at_least``. Bounds are narrowed line by line
    until nothing changes."""
    low, high = {}, {}
    # No cell is above the grand total; when that is hidden too, a generous cap.
    unbounded = 10**4 if is_hidden(table[-1][-1]) else int(table[-1][-1])
    for r, row in enumerate(table):
        for c, text in enumerate(row):
            if not is_hidden(text):
                low[r, c] = high[r, c] = int(text)
            elif text.startswith("<"):
                low[r, c], high[r, c] = 1, minimum - 1
            else:
                low[r, c], high[r, c] = dot_at_least, unbounded
    changed = True
    while changed:
        changed = False
        for line in lines(table):
            inner, total = line[:-1], line[-1]
            # total = sum(inner): each side bounds the other.
            bounds = {
                total: (sum(low[p] for p in inner), sum(high[p] for p in inner)),
                **{
                    p: (
                        low[total] - sum(high[q] for q in inner if q != p),
                        high[total] - sum(low[q] for q in inner if q != p),
                    )
                    for p in inner
                },
            }
            for pos, (lo, hi) in bounds.items():
                if lo > low[pos]:
                    low[pos], changed = lo, True
                if hi < high[pos]:
                    high[pos], changed = hi, True
    return {
        (r, c): low[r, c]
        for r, row in enumerate(table)
        for c, text in enumerate(row)
        if is_hidden(text) and low[r, c] == high[r, c]
    }


# --- across reports ----------------------------------------------------------------------
#
# A reader who collects every protected report of a year (each month, quarter and
# the year, for all municipalities, and each municipality's year) knows more than
# any one table: the months add up to their quarter, the quarters to the year, the
# municipalities (and the cases whose municipality is not known) to all of them.
# The reader below writes each report as its grid of text (``report_grids``), takes
# every shown number as known, and then solves all the equations together, exactly,
# and narrows every unknown's range with them, as ``determined_by_bounds`` does for
# one table. It knows what a withheld page says, too: "too few seekers" is fewer
# than the minimum, and a selection withheld for the sake of others is not.

UNBOUNDED = math.inf  # not a large number: see stats.suppression.UNBOUNDED


def report_grids(tables: dict, kpi: list[list[str]]) -> dict[str, list[list[str]]]:
    """A report as grids of text: ``tables`` {key: (rows, total row or None)} in
    the page's order; ``kpi`` the first-contact rows [label, decided, kept, share]."""
    grids = {
        key: [list(row) for row in rows] + ([list(total)] if total else []) for key, (rows, total) in tables.items()
    }
    grids["kpi"] = [[line[1], line[2]] for line in kpi]
    return grids


def report_lines(grids: dict[str, list[list[str]]]) -> list[tuple]:
    """Which cells of one report add up, from the grids' shapes alone: every row
    to its last cell, every column to its total row; each breakdown's total row
    is the seekers row; the first-contact figures: kept and missed make decided,
    and the priorities make "all"."""
    lines = []
    for key, grid in grids.items():
        if key == "kpi":
            for column in (0, 1):
                lines.append(((key, 0, column), (key, 1, column), (key, 2, column)))
            for row in range(3):
                lines.append(((key, row, 1), (key, row, "missed"), (key, row, 0)))
            continue
        height, width = len(grid), len(grid[0])
        for r in range(height):
            lines.append(tuple((key, r, c) for c in range(width)))
        if key == "seekers":
            continue
        for c in range(width):
            lines.append(tuple((key, r, c) for r in range(height)))
        if key != "support":  # the total row of a breakdown is the seekers row
            lines += [((key, height - 1, c), ("seekers", 0, c)) for c in range(width)]
    return lines


def cells_of(grids: dict[str, list[list[str]]]) -> list:
    found = [(key, r, c) for key, grid in grids.items() for r, row in enumerate(grid) for c in range(len(row))]
    return found + [("kpi", row, "missed") for row in range(3)]


class Reader:
    """Everything shown for a year, as one system of equations over the cells of
    every selection (shown or withheld) and the cases of no known municipality."""

    def __init__(self, shape: dict[str, list[list[str]]], minimum: int, min_seekers: int):
        self.shape, self.minimum, self.min_seekers = shape, minimum, min_seekers
        self.cells = cells_of(shape)
        self.inside = report_lines(shape)
        self.nodes, self.lines = [], []
        self.low, self.high, self.known = {}, {}, {}

    def add(self, node, grids: dict | None, withheld: str = "", too_few: bool = False) -> None:
        """A report (``grids``), or a withheld one (``grids`` None): what the message says of its seekers."""
        self.nodes.append(node)
        self.lines += [tuple((node, cell) for cell in line) for line in self.inside]
        for cell in self.cells:
            self.low[node, cell], self.high[node, cell] = 0, UNBOUNDED
            text = grids[cell[0]][cell[1]][cell[2]] if grids and cell[2] != "missed" else None
            if text is None:
                continue
            if text.isdigit():
                self.known[node, cell] = self.low[node, cell] = self.high[node, cell] = int(text)
            elif text.startswith("<"):
                self.low[node, cell], self.high[node, cell] = 1, self.minimum - 1
        total = (node, ("seekers", 0, len(self.shape["seekers"][0]) - 1))
        if grids is None and withheld:
            if too_few:
                self.high[total] = self.min_seekers - 1
            else:
                self.low[total] = self.min_seekers

    def adds_up(self, whole, parts) -> None:
        """Every cell of ``whole`` is the sum of the same cell of ``parts``."""
        self.lines += [tuple((part, cell) for part in parts) + ((whole, cell),) for cell in self.cells]

    def solve(self) -> tuple[dict, dict]:
        """(cells fixed by the equations: {cell: value}, cells pinned by their ranges: {cell: value})."""
        # Solved with the cells numbered: the same equations, without hashing (node, cell) keys millions of times.
        cells = list(self.low)
        number = {cell: n for n, cell in enumerate(cells)}
        lines = [tuple(number[cell] for cell in line) for line in self.lines]
        known = {number[cell]: value for cell, value in self.known.items()}
        unknown = [n for n, cell in enumerate(cells) if cell not in self.known]
        fixed = {cells[n]: value for n, value in determined(lines, known, unknown).items()}
        low, high = [self.low[cell] for cell in cells], [self.high[cell] for cell in cells]
        narrow_all(low, high, lines, names=cells)
        pinned = {cells[n]: low[n] for n in unknown if low[n] == high[n]}
        return fixed, pinned


def determined(lines, known: dict, unknown: list) -> dict:
    """The unknowns the line equations fix, with their values (exact, sparse
    Gauss-Jordan: every pivot row mentions no other pivot's column).

    Exact in integers while they divide evenly, as they nearly always do (the
    lines' coefficients are 1 and -1), and in fractions only where they do not:
    the same answers as all in fractions, about 10 times faster (a year's
    reports are thousands of equations)."""
    index = {cell: i for i, cell in enumerate(unknown)}
    constant = -1  # the key of a row's constant
    pivots = {}  # pivot column -> {column: coefficient, constant: value}; the pivot's own coefficient is 1
    holders = {}  # column -> the pivots whose rows mention it
    for line in lines:
        row = {constant: 0}
        for cell in line:
            sign = -1 if cell == line[-1] else 1
            if cell in index:
                row[index[cell]] = row.get(index[cell], 0) + sign
            else:
                row[constant] -= sign * known[cell]
        for column in [c for c in row if c in pivots]:
            factor = row.pop(column)
            for other, value in pivots[column].items():
                if other != column:
                    row[other] = row.get(other, 0) - factor * value
        row = {c: v for c, v in row.items() if v or c == constant}
        if len(row) == 1:
            continue  # nothing new (or, for a contradiction, a reader who misread the page)
        lead = min((c for c in row if c != constant), key=lambda c: (len(holders.get(c, ())), c))
        scale = row[lead]
        new = {c: _divided(v, scale) for c, v in row.items()}
        for holder in holders.pop(lead, set()):
            target = pivots[holder]
            factor = target.pop(lead)
            for other, value in new.items():
                if other == lead:
                    continue
                target[other] = target.get(other, 0) - factor * value
                if other == constant:
                    continue
                if target[other]:
                    holders.setdefault(other, set()).add(holder)
                else:
                    del target[other]
                    holders.get(other, set()).discard(holder)
        pivots[lead] = new
        for other in new:
            if other not in (constant, lead):
                holders.setdefault(other, set()).add(lead)
    return {
        unknown[column]: row.get(constant, 0)
        for column, row in pivots.items()
        if all(other in (constant, column) for other in row)
    }


def _divided(value, by):
    """``value / by`` exactly: an int when it divides evenly, else a Fraction."""
    if isinstance(value, int) and isinstance(by, int) and value % by == 0:
        return value // by
    return Fraction(value) / by


def narrow_all(low, high, lines, names=None) -> None:
    """Narrow every range with every line until nothing changes (the bounds reader above, for many tables).
    ``low`` and ``high``: {cell: bound}, or lists when the cells are numbered (``names`` their names)."""
    through = {}
    for n, line in enumerate(lines):
        for cell in line:
            through.setdefault(cell, []).append(n)
    todo, queued = list(range(len(lines))), set(range(len(lines)))
    while todo:
        n = todo.pop()
        queued.discard(n)
        inner, total = lines[n][:-1], lines[n][-1]
        low_sum = sum(low[c] for c in inner)
        infinite = sum(high[c] == math.inf for c in inner)
        finite = sum(high[c] for c in inner if high[c] != math.inf)

        def others_high(c, infinite=infinite, finite=finite):
            own = high[c] == math.inf
            return math.inf if infinite - own else finite - (0 if own else high[c])

        updates = [(total, low_sum, math.inf if infinite else finite)]
        updates += [(c, low[total] - others_high(c), high[total] - (low_sum - low[c])) for c in inner]
        for cell, lo, hi in updates:
            if lo > low[cell] or hi < high[cell]:
                low[cell], high[cell] = max(low[cell], lo), min(high[cell], hi)
                # Bounds that cross mean the reader's facts contradict each other (a message misread):
                # say so at once instead of narrowing for ever.
                where = names[cell] if names else cell
                assert low[cell] <= high[cell], f"the reader's facts contradict each other at {where}"
                for other in through[cell]:
                    if other not in queued:
                        queued.add(other)
                        todo.append(other)
