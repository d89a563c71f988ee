from globaldialogue.lib.suppression import suppress, suppress_table


def test_small_counts_are_hidden_and_zero_is_shown():
    assert suppress({"a": 50, "b": 3, "c": 0, "d": 10}, 10, additive=False) == {
        "a": 50,
        "b": None,
        "c": 0,
        "d": 10,
    }


def test_a_lone_hidden_cell_in_a_total_takes_the_next_smallest_with_it():
    shown = suppress({"a": 50, "b": 3, "c": 12, "d": 40}, 10, additive=True)
    assert shown == {"a": 50, "b": None, "c": None, "d": 40}


def test_two_hidden_cells_adding_up_to_the_threshold_need_no_more():
    shown = suppress({"a": 50, "b": 3, "c": 7, "d": 40}, 10, additive=True)
    assert shown == {"a": 50, "b": None, "c": None, "d": 40}


def test_hidden_cells_adding_up_to_fewer_than_the_threshold_take_the_next_smallest():
    """3 and 4 hidden beside a total: subtraction says the two make 7, so each is small."""
    shown = suppress({"a": 50, "b": 3, "c": 4, "d": 40}, 10, additive=True)
    assert shown == {"a": 50, "b": None, "c": None, "d": None}


def test_a_table_line_whose_hidden_cells_are_few_hides_more():
    counts = [[40, 3, 4], [30, 20, 25]]
    cells, _rows, _columns = suppress_table(
        counts, 10, row_totals=[True, True], column_totals=[True, True, True]
    )
    lines = [[(r, c) for c in range(3)] for r in range(2)]
    lines += [[(r, c) for r in range(2)] for c in range(3)]
    for line in lines:
        inside = sum(counts[r][c] for r, c in line if cells[r][c] is None)
        assert inside == 0 or inside >= 10, (line, cells)


def test_nothing_hidden_when_all_are_large():
    assert suppress({"a": 10, "b": 11}, 10, additive=True) == {"a": 10, "b": 11}


def _range(table, shown, row_totals, column_totals, cell):
    """The least and greatest value a hidden cell can take, given everything published."""
    import numpy as np
    from scipy.optimize import linprog

    hidden = [(r, c) for r, row in enumerate(shown) for c, v in enumerate(row) if v is None]
    equations, sums = [], []
    lines = [("row", r) for r, shown_total in enumerate(row_totals) if shown_total]
    lines += [("column", c) for c, shown_total in enumerate(column_totals) if shown_total]
    for kind, i in lines:
        on_line = [(r, c) for r in range(len(table)) for c in range(len(table[0]))]
        on_line = [(r, c) for r, c in on_line if (r if kind == "row" else c) == i]
        equations.append([1.0 if h in on_line else 0.0 for h in hidden])
        sums.append(sum(table[r][c] for r, c in on_line if shown[r][c] is None))
    goal = np.array([1.0 if h == cell else 0.0 for h in hidden])
    low = linprog(goal, A_eq=equations or None, b_eq=sums or None, bounds=(0, None))
    high = linprog(-goal, A_eq=equations or None, b_eq=sums or None, bounds=(0, None))
    return low.fun, -high.fun


def test_no_hidden_cell_of_a_cross_table_can_be_worked_out():
    """Exhaustively on 400 small random tables: every hidden non-zero cell can take at
    least two values given the shown cells and every published total (a linear programme per cell;
    the constraints are totally unimodular, so its bounds are whole numbers)."""
    import random

    rng = random.Random(5)
    for _ in range(400):
        rows, columns = rng.randint(2, 4), rng.randint(2, 4)
        table = [
            [rng.choice([0, 1, 2, 4, 7, 12, 25, 40]) for _ in range(columns)] for _ in range(rows)
        ]
        row_totals = [rng.random() > 0.15 for _ in range(rows)]
        column_totals = [rng.random() > 0.1 for _ in range(columns)]
        shown, published, columns_shown = suppress_table(
            table, 10, row_totals=row_totals, column_totals=column_totals
        )
        assert all(row_totals[r] or not published[r] for r in range(rows))
        assert all(column_totals[c] or not columns_shown[c] for c in range(columns))
        for r in range(rows):
            assert published[r] or all(v is None for v in shown[r])
            for c in range(columns):
                assert shown[r][c] is None or not 0 < shown[r][c] < 10
                if shown[r][c] is None and table[r][c] and (published[r] or columns_shown[c]):
                    low, high = _range(table, shown, published, columns_shown, (r, c))
                    assert high - low >= 1 - 1e-9, (table, shown, (r, c), low, high)


def test_a_lone_small_cell_takes_a_rectangle_with_it():
    table = [[50, 3, 20], [30, 40, 25], [60, 70, 80]]
    shown, rows, columns = suppress_table(
        table, 10, row_totals=[True] * 3, column_totals=[True] * 3
    )
    assert shown == [[50, None, None], [30, None, None], [60, 70, 80]]
    assert all(rows) and all(columns)


def test_where_zeros_leave_no_rectangle_the_row_goes():
    """Column 2 is all zeros, so row 2's total would give away its small count."""
    shown, published, _columns = suppress_table(
        [[25, 0], [4, 0]], 10, row_totals=[True, True], column_totals=[True, True]
    )
    assert published == [False, False] and shown == [[None, None], [None, None]]


def test_multiple_choice_tables_protect_through_their_columns():
    """Rows of a multiple-choice question do not add up; only its columns do (the overall
    page shows each option's count). Every hidden non-zero cell still has two values."""
    import random

    import numpy as np
    from scipy.optimize import linprog

    rng = random.Random(8)
    for _ in range(150):
        rows, columns = rng.randint(2, 4), rng.randint(2, 4)
        table = [[rng.choice([0, 2, 5, 12, 30, 45]) for _ in range(columns)] for _ in range(rows)]
        shown, published, columns_shown = suppress_table(
            table,
            10,
            row_totals=[True] * rows,
            column_totals=[True] * columns,
            additive_rows=False,
        )
        hidden = [(r, c) for r in range(rows) for c in range(columns) if shown[r][c] is None]
        assert all(shown[r][c] is None or not 0 < shown[r][c] < 10 for r, c in hidden)
        assert all(published[r] or all(v is None for v in shown[r]) for r in range(rows))
        equations = [
            [1.0 if h[1] == c else 0.0 for h in hidden] for c in range(columns) if columns_shown[c]
        ]
        sums = [
            sum(table[r][c] for r in range(rows) if shown[r][c] is None)
            for c in range(columns)
            if columns_shown[c]
        ]
        for cell in hidden:
            if not table[cell[0]][cell[1]] or not columns_shown[cell[1]]:
                continue  # zeros protect no one; nothing pins a cell of a hidden column
            goal = np.array([1.0 if h == cell else 0.0 for h in hidden])
            low = linprog(goal, A_eq=equations, b_eq=sums, bounds=(0, None)).fun
            high = -linprog(-goal, A_eq=equations, b_eq=sums, bounds=(0, None)).fun
            assert high - low >= 1 - 1e-9, (table, shown, cell)


def test_a_table_with_no_rows_hides_nothing():
    assert suppress_table([], 10, row_totals=[], column_totals=[True, True]) == (
        [],
        [],
        [True, True],
    )
