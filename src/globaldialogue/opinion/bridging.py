"""Bridging: what people on different sides both endorse (the Community Notes model).

vote ~ mu + b_participant + b_statement + f_participant * f_statement, fitted on agree (+1)
and disagree (-1) votes (passes are not endorsements either way) by alternating least
squares: with the statements' parameters fixed, each participant's (b, f) is a 2 x 2 ridge
solve, and all of them are done at once with sparse products; then the same for statements.
Sweeps stop when no statement's intercept moves more than TOLERANCE (at most MAX_SWEEPS);
started from the map's first principal component, that takes a few.
The factor absorbs the main division, so a statement's intercept b is the support it gets
beyond what its side of the divide explains: its bridging score. Intercepts are
regularised more than factors (Community Notes uses 5x), so a statement needs broad support,
not a few enthusiastic votes, to score high.
"""

import numpy as np
from scipy import sparse

LAMBDA_INTERCEPT = 0.15
LAMBDA_FACTOR = 0.03
MAX_SWEEPS = 30
TOLERANCE = 1e-4  # stop when no statement's intercept moves more than this in a sweep


def bridging_scores(
    rated: sparse.csr_matrix,
    ratings: sparse.csr_matrix,
    seed: int,
    start: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Statement intercepts (the bridging score).

    `rated`: participants x statements, 1 where a participant agreed or disagreed, 0 (or
    absent) elsewhere; `ratings`: the rating (+1 / -1), 0 where not rated, on the same
    structure (indices and indptr). Every sum the ridge solves need is a sparse product with
    these (by the transpose for statements: scipy scatters into the short statement-length
    result, which stays in cache), so a sweep over 50M votes is a handful of passes over the
    matrices and no per-vote temporaries.

    `start`: initial (participant, statement) factors. The map's first principal component
    already describes the main divide, so starting there settles in a few sweeps instead of
    twenty or more from random factors.
    """
    n_rows, n_cols = rated.shape
    total = rated.data.sum()
    if total == 0:
        return np.zeros(n_cols)
    if start is None:
        rng = np.random.default_rng(seed)
        start = rng.normal(0, 0.1, n_rows), rng.normal(0, 0.1, n_cols)
    row_f, col_f = start
    col_b = np.zeros(n_cols)
    mu = ratings.data.sum() / total  # kept: the intercepts absorb any remaining offset
    centred = _like(rated, ratings.data - rated.data * mu)
    by_row = _Side(rated, centred)
    by_col = _Side(rated.T, centred.T)
    for _ in range(MAX_SWEEPS):
        row_b, row_f = by_row.solve(col_b, col_f)
        new_b, col_f = by_col.solve(row_b, row_f)
        moved = np.abs(new_b - col_b).max()
        col_b = new_b
        if moved < TOLERANCE:
            break
    return col_b


def _like(matrix: sparse.csr_matrix, data: np.ndarray) -> sparse.csr_matrix:
    return sparse.csr_matrix((data, matrix.indices, matrix.indptr), shape=matrix.shape)


class _Side:
    """The ridge solves for one side (participants, or statements) given the other's
    parameters: per owner, minimise sum (y - b - f * other_f)^2 + penalties over the
    owner's ratings y (centred), a 2 x 2 system per owner solved in closed form."""

    def __init__(self, rated: sparse.spmatrix, centred: sparse.spmatrix) -> None:
        self.rated, self.centred = rated, centred
        self.n = np.asarray(rated.sum(axis=1)).ravel() + LAMBDA_INTERCEPT
        self.sum_y = np.asarray(centred.sum(axis=1)).ravel()

    def solve(self, other_b: np.ndarray, other_f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sums = self.rated @ np.column_stack(
            [other_f, other_f * other_f, other_b, other_b * other_f]
        )
        sf, sff = sums[:, 0], sums[:, 1] + LAMBDA_FACTOR
        sy = self.sum_y - sums[:, 2]  # the target is y minus the other side's intercept
        syf = self.centred @ other_f - sums[:, 3]
        det = self.n * sff - sf * sf
        return (sff * sy - sf * syf) / det, (self.n * syf - sf * sy) / det
