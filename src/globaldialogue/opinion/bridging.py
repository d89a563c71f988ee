"""Bridging: what people on different sides both endorse (the Community Notes model).

vote ~ mu + b_participant + b_statement + f_participant * f_statement, fitted on agree (+1)
and disagree (-1) votes (passes are not endorsements either way) by alternating least
squares: with the statements' parameters fixed, each participant's (b, f) is a 2 x 2 ridge
solve, and all of them are done at once with np.bincount; then the same for statements.
Sweeps stop when no statement's intercept moves more than TOLERANCE (at most MAX_SWEEPS);
started from the map's first principal component, that takes a few.
The factor absorbs the main division, so a statement's intercept b is the support it gets
beyond what its side of the divide explains: its bridging score. Intercepts are
regularised more than factors (Community Notes uses 5x), so a statement needs broad support,
not a few enthusiastic votes, to score high.
"""

import numpy as np

LAMBDA_INTERCEPT = 0.15
LAMBDA_FACTOR = 0.03
MAX_SWEEPS = 30
TOLERANCE = 1e-4  # stop when no statement's intercept moves more than this in a sweep


def bridging_scores(
    rows: np.ndarray,
    cols: np.ndarray,
    ratings: np.ndarray,
    n_rows: int,
    n_cols: int,
    seed: int,
    start: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Statement intercepts (the bridging score) for ratings at (rows, cols).

    `start`: initial (participant, statement) factors. The map's first principal component
    already describes the main divide, so starting there settles in a few sweeps instead of
    twenty or more from random factors.
    """
    if len(ratings) == 0:
        return np.zeros(n_cols)
    if start is None:
        rng = np.random.default_rng(seed)
        start = rng.normal(0, 0.1, n_rows), rng.normal(0, 0.1, n_cols)
    row_f, col_f = start
    col_b = np.zeros(n_cols)
    # mu stays the mean rating: the intercepts absorb any remaining offset, and not refitting
    # it saves four gathers over every rating in each sweep.
    centred = ratings - ratings.mean()
    for _ in range(MAX_SWEEPS):
        row_b, row_f = _solve(rows, centred - col_b[cols], col_f[cols], n_rows)
        new_b, col_f = _solve(cols, centred - row_b[rows], row_f[rows], n_cols)
        moved = np.abs(new_b - col_b).max()
        col_b = new_b
        if moved < TOLERANCE:
            break
    return col_b


def _solve(
    owner: np.ndarray, target: np.ndarray, other_f: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Ridge for (b, f) per owner: minimise sum (target - b - f * other_f)^2 + penalties."""
    n = np.bincount(owner, minlength=size) + LAMBDA_INTERCEPT
    sf = np.bincount(owner, weights=other_f, minlength=size)
    sff = np.bincount(owner, weights=other_f * other_f, minlength=size) + LAMBDA_FACTOR
    sy = np.bincount(owner, weights=target, minlength=size)
    syf = np.bincount(owner, weights=target * other_f, minlength=size)
    det = n * sff - sf * sf
    b = (sff * sy - sf * syf) / det
    f = (n * syf - sf * sy) / det
    return b, f
