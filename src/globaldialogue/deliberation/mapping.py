"""The opinion map: reading the votes it is computed from, packing what is stored, reading
it back. actions.recompute_map computes and stores it."""

import io
from typing import Any

import numpy as np
from django.db import connections

from globaldialogue.deliberation.models import Conversation, Statement, Vote
from globaldialogue.opinion import OpinionMap
from globaldialogue.opinion.polis import PolisState

KEEP_MAPS = 3  # older maps are deleted: pages only read the latest


# One vote in PostgreSQL's binary COPY format: a field count, then each field's length and
# value, big-endian: (int16 3) (int32 8, int64 participant) (int32 8, int64 statement)
# (int32 2, int16 value). Fixed size, so numpy reads a whole block at once.
COPY_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("n1", ">i4"),
        ("participant", ">i8"),
        ("n2", ">i4"),
        ("statement", ">i8"),
        ("n3", ">i4"),
        ("value", ">i2"),
    ]
)
COPY_HEADER = 19  # signature (11), flags (4), header extension length (4)
FETCH = 100_000


def read_votes(conversation: Conversation) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The votes on accepted, non-meta statements as three arrays (participant, statement,
    value), read in blocks: at 50M votes a list of row tuples would not fit in memory."""
    votes = Vote.objects.filter(
        conversation=conversation,
        statement__status=Statement.Status.ACCEPTED,
        statement__is_meta=False,
    ).values_list("participant_id", "statement_id", "value")
    sql, params = votes.query.sql_with_params()
    connection = connections[votes.db]
    if connection.vendor == "postgresql":
        return _copied(connection, sql, params)
    blocks = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            blocks.append(np.array(rows, dtype=np.int64))
    table = np.concatenate(blocks) if blocks else np.zeros((0, 3), dtype=np.int64)
    return table[:, 0], table[:, 1], table[:, 2]


def _copied(connection: Any, sql: str, params: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with connection.cursor() as cursor:
        query = cursor.mogrify(sql, params)
        query = query.decode() if isinstance(query, bytes) else query
        buffer = bytearray()
        with cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT binary)") as copy:
            for block in copy:
                buffer += block
    extension = int.from_bytes(buffer[COPY_HEADER - 4 : COPY_HEADER], "big")
    body = memoryview(buffer)[COPY_HEADER + extension :]
    count = (len(body) - 2) // COPY_ROW.itemsize  # the trailer is an int16 -1
    rows = np.frombuffer(body, dtype=COPY_ROW, count=count)
    if count and not ((rows["fields"] == 3) & (rows["n3"] == 2)).all():
        raise RuntimeError("unexpected COPY row layout")  # a column type changed
    return (
        rows["participant"].astype(np.int64),
        rows["statement"].astype(np.int64),
        rows["value"].astype(np.int8),
    )


def summary(result: OpinionMap) -> dict[str, Any]:
    sizes = np.bincount(result.groups[result.groups >= 0]) if result.k else np.array([])
    return {
        "groups": [{"id": g, "size": int(sizes[g])} for g in result.group_ids],
        "participants": len(result.participants),
        "repness": {str(g): [vars(r) for r in reps] for g, reps in result.repness.items()},
        "consensus": result.consensus[:20],
        "consensus_disagree": result.consensus_disagree[:20],
        "bridging": sorted(result.bridging.items(), key=lambda item: -item[1])[:20],
        "statements": [int(s) for s in result.statements],
        # For routing: [agree, disagree, seen, extremity] per statement id.
        "statement_stats": {
            str(int(s)): [int(a), int(d), int(n), round(float(e), 5)]
            for s, a, d, n, e in zip(
                result.statements,
                result.statement_votes["agree"],
                result.statement_votes["disagree"],
                result.statement_votes["seen"],
                result.extremity,
                strict=True,
            )
        },
        # For reports: per statement id, [agree, disagree, seen] for each group in `groups` order.
        "group_stats": group_stats(result),
        "keys": cell_keys(result),
        # What the next update starts from (opinion/polis.py); the participants in the
        # conversation and their base clusters are arrays in `positions`.
        "polis": result.polis_state.as_json() if result.polis_state else {},
    }


def cell_keys(result: OpinionMap) -> dict[str, Any]:
    """Which participants each count of the summary counts (opinion's id sums), for the
    conversation's disclosure policy (published.py): per statement id, [agree, disagree,
    seen] for each group in `groups` order and everyone last; per group, its members, and
    everyone last."""
    sums = result.id_sums
    if not sums:
        return {"statements": {}, "members": []}
    table = np.stack([sums["agree"], sums["disagree"], sums["seen"]], axis=2)  # rows x s x 3
    return {
        "statements": {
            str(int(s)): table[:, i, :].tolist() for i, s in enumerate(result.statements)
        },
        "members": sums["members"].tolist(),
    }


def group_stats(result: OpinionMap) -> dict[str, list[list[int]]]:
    columns = [
        np.stack([votes["agree"], votes["disagree"], votes["seen"]], axis=1).astype(np.int64)
        for _group, votes in sorted(result.group_votes.items())
    ]
    if not columns:
        return {}
    table = np.stack(columns, axis=1)  # statements x groups x 3
    return {str(int(s)): table[i].tolist() for i, s in enumerate(result.statements)}


def pack_positions(result: OpinionMap) -> bytes:
    buffer = io.BytesIO()
    state = result.polis_state or PolisState()
    np.savez_compressed(
        buffer,
        participants=result.participants.astype(np.int64),
        groups=result.groups.astype(np.int16),
        positions=result.positions.astype(np.float32),
        members=state.members.astype(np.int64),
        bases=state.bases.astype(np.int32),
    )
    return buffer.getvalue()


def unpack_positions(data: bytes | memoryview, *, state: bool = False) -> dict[str, np.ndarray]:
    """The map's arrays; with `state`, also the Pol.is clusters' (empty for a map stored
    before they were kept)."""
    names = ("participants", "groups", "positions", *(("members", "bases") if state else ()))
    with np.load(io.BytesIO(bytes(data))) as arrays:
        empty = np.zeros(0, dtype=np.int64)
        return {name: arrays.get(name, empty) for name in names}


def latest_state(conversation: Conversation) -> PolisState | None:
    """Where the last map's Pol.is clustering stood, for the next update to start from."""
    stored = conversation.maps.order_by("-computed_at").only("positions", "summary").first()
    if stored is None:
        return None
    arrays = unpack_positions(stored.positions, state=True)
    return PolisState.from_json(stored.summary.get("polis"), arrays["members"], arrays["bases"])


def latest_groups(conversation: Conversation) -> dict[int, int] | None:
    """The last map's participant id -> group, for `previous=` (numbers stay stable)."""
    stored = conversation.maps.order_by("-computed_at").only("positions").first()
    if stored is None:
        return None
    arrays = unpack_positions(stored.positions)
    return {
        int(p): int(g)
        for p, g in zip(arrays["participants"], arrays["groups"], strict=True)
        if g >= 0
    }
