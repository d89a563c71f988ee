"""Bridging: what people on different sides both endorse, by Community Notes' model.

Community Notes (twitter/communitynotes, scoring/src/scoring/matrix_factorization/) fits

    rating ~ mu + b_rater + b_note + f_rater * f_note

to helpful (1) / not helpful (0) ratings, minimising

    mean over ratings of (rating - prediction)^2
    + 0.03 * (mean f_rater^2 + mean f_note^2)
    + 0.15 * (mean b_rater^2 + mean b_note^2 + mu^2)

(l2_lambda 0.03; intercepts, the global one included, regularised 5 times more), after
keeping only notes with at least 5 ratings, then raters with at least 10, then notes with 5
again; other notes get no score. A statement is a note, a participant a rater, agree is
helpful and disagree not helpful (a pass is no rating). The factor takes up the main
division, so a statement's intercept b_note is the support it gets beyond what its side of
the divide explains: its bridging score.

Community Notes fits with Adam from random factors until the loss changes by less than
1e-7. We minimise the same loss by alternating exact minimisations (each participant's
(b, f) is a 2 x 2 ridge solve given the statements', all at once with sparse products; then
the statements'; then mu), which never raises the loss, from the map's first principal
component, with the same stopping rule: tens of sweeps instead of hundreds of epochs.
tests/test_bridging.py checks it against a plain NumPy transcription of their model.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

LAMBDA_FACTOR = 0.03
LAMBDA_INTERCEPT = 0.15
MIN_RATINGS_PER_RATER = 10
MIN_RATINGS_PER_NOTE = 5
CONVERGENCE = 1e-7  # stop when the loss changes by less than this in a sweep
MAX_SWEEPS = 60


@dataclass(frozen=True)
class Fit:
    mu: float
    rater_b: np.ndarray
    rater_f: np.ndarray
    note_b: np.ndarray
    note_f: np.ndarray
    loss: float
    sweeps: int


def kept(rated: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Community Notes' filter: masks of the raters (rows) and notes (columns) scored."""
    rows = np.ones(rated.shape[0], dtype=bool)
    cols = rated.T @ rows.astype(float) >= MIN_RATINGS_PER_NOTE
    rows &= rated @ cols.astype(float) >= MIN_RATINGS_PER_RATER
    cols &= rated.T @ rows.astype(float) >= MIN_RATINGS_PER_NOTE
    return rows, cols


def bridging_scores(
    rated: sparse.csr_matrix,
    helpful: sparse.csr_matrix,
    seed: int,
    start: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Each statement's intercept, NaN for those Community Notes would leave unscored.

    `rated`: participants x statements, 1 where a participant agreed or disagreed, 0 or
    absent elsewhere; `helpful`: 1 where they agreed, 0 elsewhere, on the same structure
    (indices and indptr). `start`: initial (participant, statement) factors.
    """
    scores = np.full(rated.shape[1], np.nan)
    scored_rated, scored_helpful, rows, cols = scored(rated, helpful)
    if not rows.any() or not cols.any():
        return scores
    if start is None:
        rng = np.random.default_rng(seed)
        start = rng.normal(0, 0.1, rated.shape[0]), rng.normal(0, 0.1, rated.shape[1])
    found = fit(scored_rated, scored_helpful, start, rows, cols)
    scores[cols] = found.note_b[cols]
    return scores


def scored(
    rated: sparse.csr_matrix, helpful: sparse.csr_matrix
) -> tuple[sparse.csr_matrix, sparse.csr_matrix, np.ndarray, np.ndarray]:
    """Both matrices with the ratings Community Notes would leave out set to 0 (the
    structure, and so every index array, is shared, not copied), and the masks of the
    raters and notes kept."""
    rows, cols = kept(rated)
    if rows.all() and cols.all():
        return rated, helpful, rows, cols
    keep = cols[rated.indices]
    if not rows.all():
        owner = np.repeat(np.arange(rated.shape[0], dtype=np.int32), np.diff(rated.indptr))
        keep &= rows[owner]
    return _like(rated, rated.data * keep), _like(rated, helpful.data * keep), rows, cols


def fit(
    rated: sparse.csr_matrix,
    labels: sparse.csr_matrix,
    start: tuple[np.ndarray, np.ndarray],
    rows: np.ndarray | None = None,
    cols: np.ndarray | None = None,
) -> Fit:
    """Community Notes' loss minimised from `start` factors (intercepts and mu from 0),
    over the ratings where `rated` is 1, for the raters `rows` and notes `cols` (default:
    all); the others keep parameters of 0 and count in no mean."""
    rows = np.ones(rated.shape[0], dtype=bool) if rows is None else rows
    cols = np.ones(rated.shape[1], dtype=bool) if cols is None else cols
    count = rated.data.sum()
    by_row = _Side(rated, labels, count / rows.sum())
    by_col = _Side(rated.T, labels.T, count / cols.sum())
    row_f = np.where(rows, np.asarray(start[0], dtype=float), 0.0)
    col_f = np.where(cols, np.asarray(start[1], dtype=float), 0.0)
    row_b, col_b, mu = np.zeros(rated.shape[0]), np.zeros(rated.shape[1]), 0.0
    loss, sweeps = np.inf, 0
    while sweeps < MAX_SWEEPS:
        sweeps += 1
        row_b, row_f, _sums = by_row.solve(mu, col_b, col_f)
        col_b, col_f, sums = by_col.solve(mu, row_b, row_f, extra=True)
        mu = by_col.global_intercept(sums, col_b, col_f, (row_b * by_row.n).sum())
        new = by_col.loss(sums, mu, col_b, col_f)
        mu = _rebalance(mu, row_b, row_f, col_b, col_f, rows, cols)
        new += _penalties(row_b[rows], row_f[rows], col_b[cols], col_f[cols], mu)
        done = abs(loss - new) < CONVERGENCE
        loss = new
        if done:
            break
    return Fit(mu, row_b, row_f, col_b, col_f, float(loss), sweeps)


def _rebalance(
    mu: float,
    row_b: np.ndarray,
    row_f: np.ndarray,
    col_b: np.ndarray,
    col_f: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
) -> float:
    """Moves along which the predictions, and so the squared error, stay the same, taken as
    far as lowers the penalties the most (in place; returns the new mu): f_rater + c with
    b_note - c f_note; f_note + d with b_rater - d f_rater; and intercepts traded between
    raters, notes and mu. Alternating minimisation crawls along exactly these, held only by
    the weak penalties; these exact steps cost no pass over the ratings and save most of
    the sweeps."""
    rf, nf, rb, nb = row_f[rows], col_f[cols], row_b[rows], col_b[cols]
    c = (LAMBDA_INTERCEPT * np.mean(nb * nf) - LAMBDA_FACTOR * np.mean(rf)) / (
        LAMBDA_FACTOR + LAMBDA_INTERCEPT * np.mean(nf * nf)
    )
    rf, nb = rf + c, nb - c * nf
    d = (LAMBDA_INTERCEPT * np.mean(rb * rf) - LAMBDA_FACTOR * np.mean(nf)) / (
        LAMBDA_FACTOR + LAMBDA_INTERCEPT * np.mean(rf * rf)
    )
    nf, rb = nf + d, rb - d * rf
    level = (mu + rb.mean() + nb.mean()) / 3
    rb, nb = rb + level - rb.mean(), nb + level - nb.mean()
    row_f[rows], col_f[cols], row_b[rows], col_b[cols] = rf, nf, rb, nb
    return float(level)


def _penalties(
    row_b: np.ndarray, row_f: np.ndarray, col_b: np.ndarray, col_f: np.ndarray, mu: float
) -> float:
    factors = LAMBDA_FACTOR * (np.mean(row_f**2) + np.mean(col_f**2))
    intercepts = LAMBDA_INTERCEPT * (np.mean(row_b**2) + np.mean(col_b**2) + mu * mu)
    return float(factors + intercepts)


def _like(matrix: sparse.csr_matrix, data: np.ndarray) -> sparse.csr_matrix:
    return sparse.csr_matrix((data, matrix.indices, matrix.indptr), shape=matrix.shape)


class _Side:
    """The exact minimisation for one side (participants, or statements) given the other's
    parameters and mu. Multiplied by the number of ratings R, the loss is a sum of squares
    plus, per owner, 0.03 R/owners f^2 + 0.15 R/owners b^2: a 2 x 2 ridge system per owner,
    solved in closed form for all of them at once. Two sparse products a side per sweep:
    the sums over each owner's ratings of the other side's parameters, and of the labels
    times them; mu and the loss are worked out from the same sums."""

    def __init__(self, rated: sparse.spmatrix, labels: sparse.spmatrix, per_owner: float):
        self.rated, self.labels = rated, labels
        self.count = rated.data.sum()
        self.penalty_b = LAMBDA_INTERCEPT * per_owner
        self.penalty_f = LAMBDA_FACTOR * per_owner
        self.n = np.asarray(rated.sum(axis=1)).ravel()
        self.sum_y = np.asarray(labels.sum(axis=1)).ravel()

    def solve(
        self, mu: float, other_b: np.ndarray, other_f: np.ndarray, *, extra: bool = False
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        columns = [other_f, other_f * other_f, other_b, other_b * other_f]
        sums = self.rated @ np.column_stack([*columns, other_b * other_b] if extra else columns)
        by_labels = self.labels @ np.column_stack([other_f, other_b] if extra else [other_f])
        sf, sff = sums[:, 0], sums[:, 1] + self.penalty_f
        n = self.n + self.penalty_b
        sy = self.sum_y - mu * self.n - sums[:, 2]  # the target: y less mu and the other's b
        syf = by_labels[:, 0] - mu * sums[:, 0] - sums[:, 3]
        det = n * sff - sf * sf
        b, f = (sff * sy - sf * syf) / det, (n * syf - sf * sy) / det
        return b, f, np.column_stack([sums, by_labels])

    def global_intercept(
        self, sums: np.ndarray, b: np.ndarray, f: np.ndarray, other_b_total: float
    ) -> float:
        """mu minimising sum (r - mu)^2 + 0.15 R mu^2 over the residuals r."""
        residual = self.sum_y.sum() - (self.n * b).sum() - other_b_total
        residual -= (f * sums[:, 0]).sum()
        return float(residual / (self.count * (1 + LAMBDA_INTERCEPT)))

    def loss(self, sums: np.ndarray, mu: float, b: np.ndarray, f: np.ndarray) -> float:
        """The mean squared error, from the sums of `solve(extra=True)`: with a = mu + b
        per owner, sum (y - a - b' - f f')^2 over an owner's ratings expands into sums of
        y, y b', y f', b', f', b'^2, f'^2 and b' f' (y is 0 or 1, so y^2 = y)."""
        s_f, s_ff, s_b, s_bf, s_bb, y_f, y_b = sums.T
        a = mu + b
        squares = self.n * a * a + s_bb + f * f * s_ff + 2 * a * s_b + 2 * a * f * s_f
        squares += 2 * f * s_bf
        cross = a * self.sum_y + y_b + f * y_f
        return float((self.sum_y.sum() - 2 * cross.sum() + squares.sum()) / self.count)
