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
    participants, rows = np.unique(participant_ids, return_inverse=True)
    statements, cols = np.unique(statement_ids, return_inverse=True)
    shape = (len(participants), len(statements))

    def matrix(mask: np.ndarray) -> sparse.csr_matrix:
        ones = np.ones(int(mask.sum()), dtype=np.float64)
        built = sparse.csr_matrix((ones, (rows[mask], cols[mask])), shape=shape)
        built.data[:] = 1.0  # a repeated pair counts once; callers resolve repeats first
        return built

    return Votes(
        participants,
        statements,
        matrix(values == 1),
        matrix(values == -1),
        matrix(np.ones(len(values), dtype=bool)),
    )
