"""Small-number protection for tables of people.

A cell counting fewer than ``minimum`` people (but more than none) is shown
as "<3" (primary suppression). A total next to a single hidden cell would
give it away by subtraction, so every row and column (totals included) that
holds exactly one hidden cell gets a second one: the smallest other non-zero
cell is hidden too (secondary suppression, shown as "·"). This repeats until
no row or column has exactly one hidden cell, so no single line of the table
can be subtracted to reveal a hidden value.
"""

from dataclasses import dataclass

SECONDARY = "·"


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


def protect(cells: list[list[Cell]], minimum: int) -> list[list[Cell]]:
    """Mark primary and secondary suppression in place; returns ``cells``."""
    for row in cells:
        for cell in row:
            cell.primary = 0 < cell.value < minimum
    height, width = len(cells), len(cells[0]) if cells else 0
    lines = [[(r, c) for c in range(width)] for r in range(height)]
    lines += [[(r, c) for r in range(height)] for c in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [pos for pos in line if cells[pos[0]][pos[1]].hidden]
            if len(hidden) != 1:
                continue
            candidates = [pos for pos in line if not cells[pos[0]][pos[1]].hidden and cells[pos[0]][pos[1]].value > 0]
            if not candidates:
                continue  # the rest is all zeros: then the hidden cell equals a hidden total
            # The smallest cell hides the least; an inner cell before a total.
            r, c = min(
                candidates, key=lambda pos: (cells[pos[0]][pos[1]].value, pos[0] == height - 1 or pos[1] == width - 1)
            )
            cells[r][c].secondary = True
            changed = True
    return cells
