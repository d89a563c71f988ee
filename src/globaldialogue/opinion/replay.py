"""A conversation's map as Pol.is would have it after its history: the votes replayed in
the order they came, the map updated `updates` times along the way (each update starting
from the last one's clusters and k smoothing, polis.py), the last update returned.

Pol.is recomputes while people vote, so its groups depend on that history as well as on
the final votes; a single computation on the final votes has no history to smooth k over.
Used for imported Pol.is conversations and to measure fidelity (docs/benchmarks.md).
"""

from collections.abc import Sequence
from typing import Any

import numpy as np

from globaldialogue.opinion.map import OpinionMap, compute_map

UPDATES = 100  # an update every 1% of the votes


def replay_map(
    participant_ids: Any,
    statement_ids: Any,
    values: Any,
    *,
    excluded_statements: Sequence[int] = (),
    updates: int = UPDATES,
    **options: Any,
) -> OpinionMap:
    """The map after replaying the votes, given in the order they were cast (repeats
    allowed: a later vote on the same statement replaces the earlier)."""
    participants = np.asarray(participant_ids, dtype=np.int64)
    statements = np.asarray(statement_ids, dtype=np.int64)
    votes = np.asarray(values)
    every = max(1, -(-len(votes) // max(updates, 1)))
    state, result = None, None
    for stop in [*range(every, len(votes), every), len(votes)]:
        rows = _latest(participants[:stop], statements[:stop])
        result = compute_map(
            participants[rows],
            statements[rows],
            votes[rows],
            excluded_statements=excluded_statements,
            state=state,
            previous=result,
            **options,
        )
        state = result.polis_state
    if result is None:
        return compute_map(participants, statements, votes, **options)
    return result


def _latest(participants: np.ndarray, statements: np.ndarray) -> np.ndarray:
    """Indices of the last vote of each (participant, statement) pair."""
    span = int(statements.max(initial=0)) + 1
    keys = participants * span + statements
    _unique, last_from_end = np.unique(keys[::-1], return_index=True)
    return np.sort(len(keys) - 1 - last_from_end)
