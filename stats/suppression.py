"""Small-number protection for tables of people.

A cell counting fewer than ``minimum`` people (but more than none) is shown
as "<3" (primary suppression). The totals must not give it away, so more
cells are hidden (secondary suppression, shown as "·") until a reader who
knows how this works cannot pin down any hidden cell:

1. no row or column (totals included) has exactly one hidden cell;
2. no hidden cell is fixed by all the rows and columns together (exact
   linear algebra over the shown numbers);
3. no hidden cell is fixed by its bounds: "<3" is 1 or 2 (zeros stay
   visible: a zero identifies nobody), a "·" is at least 1, and each row and
   column narrows its cells' ranges until nothing changes.

Each time a check finds a cell given away, a small total in its row or
column becomes a "·" (so that "1 + 1 = <3" no longer pins both ones down), or
else the smallest visible non-zero cell beside it is hidden, and the checks
run again.
"""

from dataclasses import dataclass
from fractions import Fraction

SECONDARY = "·"
Pos = tuple[int, int]


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


def _lines(height: int, width: int) -> list[list[Pos]]:
    """Every row and column; the total is each line's last cell."""
    return [[(r, c) for c in range(width)] for r in range(height)] + [
        [(r, c) for r in range(height)] for c in range(width)
    ]


def _fixed_by_algebra(cells, lines) -> set[Pos]:
    """Hidden cells whose value follows from the line equations (Gauss-Jordan)."""
    hidden = [(r, c) for r, row in enumerate(cells) for c, cell in enumerate(row) if cell.hidden]
    index = {pos: i for i, pos in enumerate(hidden)}
    rows = []
    for line in lines:
        equation = [Fraction(0)] * (len(hidden) + 1)
        for pos in line:
            sign = -1 if pos == line[-1] else 1  # the inner cells minus the total is zero
            if pos in index:
                equation[index[pos]] += sign
            else:
                equation[-1] -= sign * cells[pos[0]][pos[1]].value
        if any(equation[:-1]):
            rows.append(equation)
    pivots, top = [], 0
    for column in range(len(hidden)):
        found = next((r for r in range(top, len(rows)) if rows[r][column]), None)
        if found is None:
            continue
        rows[top], rows[found] = rows[found], rows[top]
        lead = rows[top][column]
        rows[top] = [value / lead for value in rows[top]]
        for r in range(len(rows)):
            if r != top and rows[r][column]:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[top], strict=True)]
        pivots.append((top, column))
        top += 1
    return {
        hidden[column]
        for row, column in pivots
        if not any(value for i, value in enumerate(rows[row][:-1]) if i != column)
    }


def _fixed_by_bounds(cells, lines, minimum: int) -> set[Pos]:
    """Hidden cells whose range narrows to one value, line by line."""
    grand = cells[-1][-1]
    cap = 10**9 if grand.hidden else grand.value
    low, high = {}, {}
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            if not cell.hidden:
                low[r, c] = high[r, c] = cell.value
            elif cell.primary:
                low[r, c], high[r, c] = 1, minimum - 1
            else:
                low[r, c], high[r, c] = 1, cap
    changed = True
    while changed:
        changed = False
        for line in lines:
            inner, total = line[:-1], line[-1]
            ranges = {total: (sum(low[p] for p in inner), sum(high[p] for p in inner))}
            for p in inner:
                others_low = sum(low[q] for q in inner if q != p)
                others_high = sum(high[q] for q in inner if q != p)
                ranges[p] = (low[total] - others_high, high[total] - others_low)
            for pos, (lo, hi) in ranges.items():
                if lo > low[pos]:
                    low[pos], changed = lo, True
                if hi < high[pos]:
                    high[pos], changed = hi, True
    return {pos for pos in low if cells[pos[0]][pos[1]].hidden and low[pos] >= high[pos]}


def _hide_smallest(cells, positions) -> bool:
    """Hide the smallest visible non-zero cell among ``positions``, an inner
    cell before a total (readers need the totals most)."""
    height, width = len(cells), len(cells[0])
    candidates = [pos for pos in positions if not cells[pos[0]][pos[1]].hidden and cells[pos[0]][pos[1]].value > 0]
    if not candidates:
        return False
    r, c = min(candidates, key=lambda pos: (pos[0] == height - 1 or pos[1] == width - 1, cells[pos[0]][pos[1]].value))
    cells[r][c].secondary = True
    return True


def _loosen(cells, lines, pos: Pos, everywhere) -> bool:
    """One more step to hide the exposed cell at ``pos``; False if none is left."""
    small_totals = [line[-1] for line in lines if pos in line and cells[line[-1][0]][line[-1][1]].primary]
    if small_totals:
        r, c = small_totals[0]
        cells[r][c].primary, cells[r][c].secondary = False, True
        return True
    beside = [p for line in lines if pos in line for p in line]
    if _hide_smallest(cells, beside) or _hide_smallest(cells, everywhere):
        return True
    cell = cells[pos[0]][pos[1]]
    if cell.primary:  # e.g. a minimum of 2, where "<2" can only be 1
        cell.primary, cell.secondary = False, True
        return True
    return False


def protect(cells: list[list[Cell]], minimum: int) -> list[list[Cell]]:
    """Mark primary and secondary suppression in place; returns ``cells``."""
    for row in cells:
        for cell in row:
            cell.primary = 0 < cell.value < minimum
            cell.secondary = False
    if not cells or not cells[0]:
        return cells
    lines = _lines(len(cells), len(cells[0]))
    everywhere = [(r, c) for r in range(len(cells)) for c in range(len(cells[0]))]
    while True:
        # 1. A line with a single hidden cell: hide another cell of that line.
        alone = next((line for line in lines if sum(cells[r][c].hidden for r, c in line) == 1), None)
        if alone is not None:
            if _hide_smallest(cells, alone) or _hide_smallest(cells, everywhere):
                continue
            return cells
        # 2. and 3. A cell pinned down by the whole table: hide another cell beside it.
        exposed = _fixed_by_algebra(cells, lines) or _fixed_by_bounds(cells, lines, minimum)
        if not exposed:
            return cells
        if not any(_loosen(cells, lines, pos, everywhere) for pos in sorted(exposed)):
            return cells
