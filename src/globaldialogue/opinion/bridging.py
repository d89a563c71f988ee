"""Bridging: what people on different sides both endorse (the Community Notes model).

vote ~ mu + b_participant + b_statement + f_participant * f_statement, fitted on agree (+1)
and disagree (-1) votes (passes are not endorsements either way) by alternating least
squares: with the statements' parameters fixed, each participant's (b, f) is a 2 x 2 ridge
solve, and all of them are done at once with np.bincount; then the same for statements.
The factor absorbs the main division, so a statement's intercept b is the support it gets
beyond what its side of the divide explains: its bridging score. Intercepts are
regularised more than factors (Community Notes uses 5x), so a statement needs broad support,
not a few enthusiastic votes, to score high.
"""

import numpy as np

LAMBDA_INTERCEPT = 0.15
LAMBDA_FACTOR = 0.03
SWEEPS = 30


def bridging_scores(
    rows: np.ndarray, cols: np.ndarray, ratings: np.ndarray, n_rows: int, n_cols: int, seed: int
) -> np.ndarray:
    """Statement intercepts (the bridging score) for ratings at (rows, cols)."""
    if len(ratings) == 0:
        return np.zeros(n_cols)
    rng = np.random.default_rng(seed)
    row_b, row_f = np.zeros(n_rows), rng.normal(0, 0.1, n_rows)
    col_b, col_f = np.zeros(n_cols), rng.normal(0, 0.1, n_cols)
    mu = float(ratings.mean())
    for _ in range(SWEEPS):
        row_b, row_f = _solve(rows, ratings - mu - col_b[cols], col_f[cols], n_rows)
        col_b, col_f = _solve(cols, ratings - mu - row_b[rows], row_f[rows], n_cols)
        residual = ratings - row_b[rows] - col_b[cols] - row_f[rows] * col_f[cols]
        mu = float(residual.sum() / (len(ratings) + LAMBDA_INTERCEPT))
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
