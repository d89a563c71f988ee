"""Votes as sparse matrices over dense row and column indices."""

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class Votes:
    """The votes as one sparse matrix with an entry for every vote (1 disagree, 2 pass,
    3 agree); the views below share its index arrays, so at 50M votes each costs only its
    data array, and none needs sorting or copying of the structure."""

    participants: np.ndarray  # ids, sorted; row i of every matrix
    statements: np.ndarray  # ids, sorted; column j
    coded: sparse.csr_matrix
    hidden: int = 0  # excluded (moderated-out) statements that had votes: Pol.is zeroes them

    def view(self, data: np.ndarray) -> sparse.csr_matrix:
        """A matrix with this structure and `data` (aligned with `coded.data`)."""
        coded = self.coded
        return sparse.csr_matrix((data, coded.indices, coded.indptr), shape=coded.shape, copy=False)

    @cached_property
    def agree(self) -> sparse.csr_matrix:
        """1 where the participant agreed (0 stored where they did not)."""
        return self.view((self.coded.data == 3).astype(np.float64))

    @cached_property
    def disagree(self) -> sparse.csr_matrix:
        return self.view((self.coded.data == 1).astype(np.float64))

    @cached_property
    def seen(self) -> sparse.csr_matrix:
        """1 where they voted at all (pass included)."""
        return self.view(np.ones(len(self.coded.data)))

    @cached_property
    def values(self) -> sparse.csr_matrix:
        """+1 agree, -1 disagree, 0 pass; missing votes are absent (use `seen` to tell)."""
        return self.view((self.coded.data - 2).astype(np.float64))

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.statements)

    @property
    def count(self) -> int:
        return int(self.coded.nnz)


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
    hidden = 0
    if len(excluded_statements):
        keep = ~np.isin(statement_ids, excluded_statements)
        hidden = len(np.unique(statement_ids[~keep]))
        participant_ids, statement_ids, values = (
            participant_ids[keep],
            statement_ids[keep],
            values[keep],
        )
    participants, rows = _index(participant_ids)
    statements, cols = _index(statement_ids)
    shape = (len(participants), len(statements))
    return Votes(participants, statements, compressed(rows, cols, values + 2, shape), hidden)


def compressed(
    rows: np.ndarray, cols: np.ndarray, codes: np.ndarray, shape: tuple[int, int]
) -> sparse.csr_matrix:
    """A CSR matrix (sorted indices, int8 data) from (row, col, code) triples, codes 1..3.

    Row, column and code are packed into one int64 and sorted: numpy sorts plain integers
    with SIMD, several times faster than an argsort or scipy's scatter from COO at 50M votes
    (memory-bound, random writes), and the sorted keys yield indices, data and indptr in
    order, and any repeated (row, col) pair side by side.
    """
    n_rows, n_cols = shape
    if n_rows * n_cols * 4 >= 2**62:  # too wide to pack (never for real conversations)
        matrix = sparse.csr_matrix((codes.astype(np.int8), (rows, cols)), shape=shape)
        if matrix.nnz != len(codes):
            raise ValueError("repeated (participant, statement) pairs: pass the latest of each")
        return matrix
    key = np.asarray(rows, dtype=np.int64) * (n_cols * 4)
    key += np.asarray(cols, dtype=np.int64) * 4
    key += codes
    key.sort()
    data = (key & 3).astype(np.int8)
    key >>= 2  # now row * n_cols + col
    if len(key) > 1 and (key[1:] == key[:-1]).any():
        raise ValueError("repeated (participant, statement) pairs: pass the latest vote of each")
    indices = (key % n_cols).astype(np.int32)
    key //= n_cols  # now the row
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(key, minlength=n_rows), out=indptr[1:])
    return sparse.csr_matrix((data, indices, indptr), shape=shape)


def _index(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct ids and each id's position among them (linear time for compact ids)."""
    if len(ids) and ids.min() >= 0 and ids.max() < 4 * len(ids) + 1024:
        present = np.zeros(int(ids.max()) + 1, dtype=bool)
        present[ids] = True
        return np.flatnonzero(present), (np.cumsum(present) - 1)[ids]
    return np.unique(ids, return_inverse=True)
