"""Small-cell suppression for public results (pure).

Primary: a count from 1 to threshold-1 is hidden. Complementary: where the hidden cells of a
set that adds up to a shown total could be worked out by subtraction (exactly one hidden),
the next smallest non-zero cell is hidden too; and where the hidden cells of such a set
add up to fewer than the threshold, so that subtraction would say each is that small, more
are hidden until they add up to at least the threshold. Zero is shown: it discloses no one.
"""

from collections.abc import Collection, Hashable, Mapping
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)


def suppress(
    counts: Mapping[Key, int],
    threshold: int,
    *,
    additive: bool,
    forced: Collection[Key] = (),
) -> dict[Key, int | None]:
    """Counts with hidden cells as None. `additive`: the cells sum to a total that is shown.
    `forced`: cells to hide whatever their count (another table's suppression needs it)."""
    shown: dict[Key, int | None] = {
        key: (None if 0 < count < threshold or key in forced else count)
        for key, count in counts.items()
    }
    while additive and _exposed(
        [counts[key] for key, value in shown.items() if value is None], threshold
    ):
        candidates = [key for key, value in shown.items() if value]
        if not candidates:
            break
        shown[min(candidates, key=lambda key: counts[key])] = None
    return shown


def _exposed(hidden: list[int], threshold: int) -> bool:
    """Whether hidden cells of one line that adds up to a shown total give too much away:
    one alone (it is the total minus the rest), or together fewer than the threshold
    (each is then known to be that small)."""
    found = [count for count in hidden if count > 0]
    return len(hidden) == 1 or 0 < sum(found) < threshold


FREE = ("free", -1)  # every row or column whose total is not published


def suppress_table(
    counts: list[list[int]],
    threshold: int,
    *,
    row_totals: list[bool],
    column_totals: list[bool],
    additive_rows: bool = True,
) -> tuple[list[list[int | None]], list[bool], list[bool]]:
    """A cross-table with hidden cells as None, such that no hidden cell can be worked out
    from the shown cells and the published totals, and which row and column totals may be
    shown (`row_totals[r]`: row r's total would be shown, and its cells add up to it;
    `column_totals[c]` likewise). A row whose total is hidden is hidden whole.

    Primary suppression hides counts from 1 to threshold - 1. A hidden cell is derivable
    exactly when, in the graph whose vertices are the published rows and columns (all the
    others merged into one free vertex) and whose edges are the hidden cells, it lies on no
    cycle (a bridge; see _bridges for zeros). Each bridge is put on a cycle by hiding the
    cheapest rectangle of non-zero cells through it (zeros protect nothing); where
    there is none, the smallest row with a count in that column is hidden whole, or, if no
    shown row has one, the column's total.
    """
    rows, columns = len(counts), len(counts[0]) if counts else 0
    published, columns_published = list(row_totals), list(column_totals)
    hidden = {(r, c) for r in range(rows) for c in range(columns) if 0 < counts[r][c] < threshold}
    while True:
        hidden |= {(r, c) for r in range(rows) if not published[r] for c in range(columns)}
        linked = published if additive_rows else [False] * rows
        bridges = _bridges(counts, hidden, linked, columns_published)
        if not bridges:
            thin = _thin_line(counts, hidden, linked, columns_published, threshold)
            if thin is None:
                break
            hidden.add(thin)
            continue
        r, c = min(bridges, key=lambda cell: (counts[cell[0]][cell[1]], cell))
        corners = _cheapest_rectangle(counts, hidden, r, c, linked, columns_published)
        if corners:
            hidden |= corners
        elif (row := _smallest_row(counts, published, c)) is not None:
            published[row] = False
        else:
            columns_published[c] = False
    cells = [
        [None if (r, c) in hidden else counts[r][c] for c in range(columns)] for r in range(rows)
    ]
    return cells, published, columns_published


def _cheapest_rectangle(
    counts: list[list[int]],
    hidden: set[tuple[int, int]],
    r: int,
    c: int,
    row_totals: list[bool],
    column_totals: list[bool],
) -> set[tuple[int, int]]:
    """The other corners (r, c2), (r2, c2), (r2, c), all non-zero, that cost the least to
    hide (the sum of the counts newly hidden); empty if there is no such rectangle. Where
    column c's total is not published, one more cell (r, c2) of another such column closes
    a cycle through the free vertex too (likewise for rows), and is considered alike."""
    best: tuple[int, set[tuple[int, int]]] | None = None
    pairs = []
    if not column_totals[c]:
        pairs += [{(r, c2)} for c2 in range(len(counts[0])) if c2 != c and not column_totals[c2]]
    if not row_totals[r]:
        pairs += [{(r2, c)} for r2 in range(len(counts)) if r2 != r and not row_totals[r2]]
    for corners in pairs:
        if any(counts[x][y] == 0 for x, y in corners):
            continue
        cost = sum(counts[x][y] for x, y in corners - hidden)
        if best is None or cost < best[0]:
            best = (cost, corners - hidden)
    for r2 in range(len(counts)):
        for c2 in range(len(counts[0])):
            corners = {(r, c2), (r2, c2), (r2, c)}
            if r2 == r or c2 == c or any(counts[x][y] == 0 for x, y in corners):
                continue
            cost = sum(counts[x][y] for x, y in corners - hidden)
            if best is None or cost < best[0]:
                best = (cost, corners - hidden)
    return best[1] if best is not None else set()


def _thin_line(
    counts: list[list[int]],
    hidden: set[tuple[int, int]],
    row_totals: list[bool],
    column_totals: list[bool],
    threshold: int,
) -> tuple[int, int] | None:
    """The smallest shown non-zero cell of a line (a row or column whose total is shown)
    whose hidden cells add up to more than zero but fewer than the threshold: subtracting
    the shown cells from the total would say each of them is that small."""
    height, width = len(row_totals), len(column_totals)  # a table may have no rows
    lines = [[(r, c) for c in range(width)] for r in range(height) if row_totals[r]]
    lines += [[(r, c) for r in range(height)] for c in range(width) if column_totals[c]]
    for line in lines:
        inside = sum(counts[r][c] for r, c in line if (r, c) in hidden)
        shown = [(r, c) for r, c in line if (r, c) not in hidden and counts[r][c] > 0]
        if 0 < inside < threshold and shown:
            return min(shown, key=lambda cell: (counts[cell[0]][cell[1]], cell))
    return None


def _smallest_row(counts: list[list[int]], published: list[bool], column: int) -> int | None:
    candidates = [r for r in range(len(counts)) if published[r] and counts[r][column] > 0]
    return min(candidates, key=lambda r: (sum(counts[r]), r), default=None)


def _bridges(
    counts: list[list[int]],
    hidden: set[tuple[int, int]],
    row_totals: list[bool],
    column_totals: list[bool],
) -> list[tuple[int, int]]:
    """Hidden non-zero cells on no cycle of the graph of hidden non-zero cells (Tarjan's
    bridge-finding, parallel edges kept). Hidden zeros are left out: a cell can go up from
    0 but not down, so a cycle through a zero may not move; zeros themselves disclose no
    one and are not protected."""
    edges = sorted(cell for cell in hidden if counts[cell[0]][cell[1]] > 0)
    adjacent: dict[tuple[str, int], list[tuple[tuple[str, int], int]]] = {}
    for index, (r, c) in enumerate(edges):
        a = ("row", r) if row_totals[r] else FREE
        b = ("column", c) if column_totals[c] else FREE
        if a == b:  # both free: nothing links this cell to anything published
            continue
        adjacent.setdefault(a, []).append((b, index))
        adjacent.setdefault(b, []).append((a, index))
    order: dict[tuple[str, int], int] = {}
    low: dict[tuple[str, int], int] = {}
    found: list[tuple[int, int]] = []

    def visit(vertex: tuple[str, int], through: int) -> None:
        order[vertex] = low[vertex] = len(order)
        for neighbour, index in adjacent.get(vertex, []):
            if index == through:
                continue
            if neighbour not in order:
                visit(neighbour, index)
                low[vertex] = min(low[vertex], low[neighbour])
                if low[neighbour] > order[vertex]:
                    found.append(edges[index])
            else:
                low[vertex] = min(low[vertex], order[neighbour])

    for vertex in adjacent:
        if vertex not in order:
            visit(vertex, -1)
    return found
