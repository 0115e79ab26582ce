"""What a reader can work out from a protected table, from its shown text alone.

A table here is the grid as shown: rows of strings, the total column last and
the total row at the bottom; a digit string is visible, anything else ("<3",
"·") hidden.
"""

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


def determined_by_bounds(table: list[list[str]], minimum: int, dot_at_least: int = 1) -> dict[tuple[int, int], int]:
    """The hidden cells a reader pins down with what the page tells: "<n" is 1 to n-1
    and "·" is not zero (zeros are never hidden). A reader who knows how
    stats.suppression works also knows that a "·" was not small: ``dot_at_least=n``.
    Bounds are narrowed line by line until nothing changes."""
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
