"""Votes as sparse matrices over dense row and column indices."""

from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class Votes:
    participants: np.ndarray  # ids, sorted; row i of every matrix
    statements: np.ndarray  # ids, sorted; column j
    agree: sparse.csr_matrix  # 1 where the participant agreed
    disagree: sparse.csr_matrix  # 1 where they disagreed
    seen: sparse.csr_matrix  # 1 where they voted at all (pass included)

    @property
    def values(self) -> sparse.csr_matrix:
        """+1 agree, -1 disagree; pass and missing are both absent (use `seen` to tell)."""
        return (self.agree - self.disagree).tocsr()

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.statements)


def build_votes(
    participant_ids: np.ndarray,
    statement_ids: np.ndarray,
    values: np.ndarray,
    excluded_statements: np.ndarray,
) -> Votes:
    participant_ids = np.asarray(participant_ids, dtype=np.int64)
    statement_ids = np.asarray(statement_ids, dtype=np.int64)
    values = np.asarray(values, dtype=np.int8)
    if not (len(participant_ids) == len(statement_ids) == len(values)):
        raise ValueError("participant_ids, statement_ids and values must have the same length")
    if np.any((values < -1) | (values > 1)):
        raise ValueError("values must be -1, 0 or 1")
    keep = ~np.isin(statement_ids, excluded_statements)
    participant_ids, statement_ids, values = (
        participant_ids[keep],
        statement_ids[keep],
        values[keep],
    )
    participants, rows = _index(participant_ids)
    statements, cols = _index(statement_ids)
    # One matrix with the vote in its data (1 disagree, 2 pass, 3 agree); the three views
    # share its structure, so nothing is sorted twice.
    coded = sparse.csr_matrix(
        ((values + 2).astype(np.float64), (rows, cols)), shape=(len(participants), len(statements))
    )
    if coded.nnz != len(values) or (coded.data > 3).any():
        raise ValueError("repeated (participant, statement) pairs: pass the latest vote of each")
    return Votes(participants, statements, _where(coded, 3), _where(coded, 1), _where(coded, None))


def _index(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct ids and each id's position among them (linear time for compact ids)."""
    if len(ids) and ids.min() >= 0 and ids.max() < 4 * len(ids) + 1024:
        present = np.zeros(int(ids.max()) + 1, dtype=bool)
        present[ids] = True
        return np.flatnonzero(present), (np.cumsum(present) - 1)[ids]
    return np.unique(ids, return_inverse=True)


def _where(coded: sparse.csr_matrix, code: int | None) -> sparse.csr_matrix:
    view = coded.copy()
    view.data = np.ones_like(view.data) if code is None else (view.data == code).astype(float)
    view.eliminate_zeros()
    return view
