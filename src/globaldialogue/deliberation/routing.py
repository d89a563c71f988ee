"""Which statement to show a participant next.

Seed statements (the organizers') come first, oldest first. After that a statement is drawn
at random with probability proportional to its priority, Pol.is' formula:

    importance = (1 - p) * (e + 1) * a
    priority   = (importance * (1 + 8 * 2 ** (-seen / 5))) ** 2

with a = (agree + 1) / (seen + 2) and p = (pass + 1) / (seen + 2) (Laplace-smoothed), e the
statement's distance from the centre of the opinion map (how much it divides opinion), and
the newness factor giving statements few people have seen (up to 9x, squared: 81x) a chance
to be seen and placed. Statements the participant can read (written or translated in one
of their languages) come before those they cannot. Counts come from the last stored map,
so choosing costs no scan of the votes; statements newer than the map count as unseen. A
participant never gets a statement they already voted on.
"""

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db import connections
from django.db.models import QuerySet

from globaldialogue.deliberation.models import (
    Conversation,
    ConversationMap,
    Participant,
    Statement,
    Vote,
)
from globaldialogue.deliberation.translated import readable


def priorities(stats: np.ndarray) -> np.ndarray:
    """stats: rows of [agree, disagree, seen, extremity] -> priority per row (pure)."""
    agree, disagree, seen, extremity = stats.T
    passed = seen - agree - disagree
    agree_rate = (agree + 1) / (seen + 2)
    pass_rate = (passed + 1) / (seen + 2)
    importance = (1 - pass_rate) * (extremity + 1) * agree_rate
    return (importance * (1 + 8 * 2 ** (-seen / 5))) ** 2


def next_statement(
    conversation: Conversation,
    participant: Participant | None,
    map_stats: dict[str, Any] | None = None,
    rng: np.random.Generator | None = None,
    *,
    languages: Sequence[str] = (),
) -> Statement | None:
    """The next statement for `participant` (None: someone who has not voted yet).

    With `languages` (the reader's, best first), statements written or translated in one
    of them come first; the others only once those are all voted on.

    `map_stats`: statement id -> [agree, disagree, seen, extremity]; by default those of the
    conversation's latest stored map (parsed once per map and process, so a pick at 10,000
    statements costs three small queries and some numpy, not a JSON document per request).
    """
    accepted = Statement.objects.filter(conversation=conversation, status=Statement.Status.ACCEPTED)
    chooser = rng or np.random.default_rng()
    if languages:
        found = _pick(conversation, readable(accepted, languages), participant, map_stats, chooser)
        if found is not None:
            return found
    return _pick(conversation, accepted, participant, map_stats, chooser)


def _pick(
    conversation: Conversation,
    accepted: QuerySet[Statement],
    participant: Participant | None,
    map_stats: dict[str, Any] | None,
    chooser: np.random.Generator,
) -> Statement | None:
    unvoted = accepted.exclude(votes__participant=participant) if participant else accepted
    seed = unvoted.filter(is_seed=True).order_by("created_at", "id").first()
    if seed is not None:
        return seed
    candidates = _ids(accepted.values_list("pk"))
    if participant is not None:
        voted = Vote.objects.filter(participant=participant).values_list("statement_id")
        candidates = np.setdiff1d(candidates, _ids(voted), assume_unique=True)
    if not len(candidates):
        return None
    ids, stats = _table(map_stats) if map_stats is not None else latest_stats(conversation)
    rows = np.tile(np.array([0, 0, 0, 0.0]), (len(candidates), 1))  # newer than the map: unseen
    if len(ids):
        where = np.minimum(np.searchsorted(ids, candidates), len(ids) - 1)
        known = ids[where] == candidates
        rows[known] = stats[where[known]]
    weights = priorities(rows)
    choice = int(chooser.choice(len(candidates), p=weights / weights.sum()))
    # Rejected since the list was read? Then ask again (rare; the list is a moment old).
    return accepted.filter(pk=int(candidates[choice])).first() or _pick(
        conversation, accepted, participant, map_stats, chooser
    )


def _ids(queryset: Any) -> np.ndarray:
    """One column of ids straight from the cursor (no model or tuple per row)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)


_tables: "OrderedDict[int, tuple[np.ndarray, np.ndarray]]" = OrderedDict()
_lock = threading.Lock()
TABLES = 32  # maps whose routing table stays parsed in this process


def latest_stats(conversation: Conversation) -> tuple[np.ndarray, np.ndarray]:
    """Sorted statement ids and their [agree, disagree, seen, extremity] rows, from the
    latest stored map."""
    latest = conversation.maps.order_by("-computed_at").values_list("pk", flat=True).first()
    if latest is None:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 4))
    with _lock:
        if latest in _tables:
            return _tables[latest]
    summary = ConversationMap.objects.filter(pk=latest).values_list("summary", flat=True).first()
    table = _table((summary or {}).get("statement_stats", {}))
    with _lock:
        _tables[latest] = table
        while len(_tables) > TABLES:
            _tables.popitem(last=False)
    return table


def _table(map_stats: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    ids = np.array([int(pk) for pk in map_stats], dtype=np.int64)
    stats = np.array(list(map_stats.values()), dtype=float).reshape(-1, 4)
    order = np.argsort(ids)
    return ids[order], stats[order]


def forget_tables() -> None:
    """Tests: map ids are reused across test databases."""
    with _lock:
        _tables.clear()
