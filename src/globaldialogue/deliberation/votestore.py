"""Many votes in as few statements as the database allows (the vote API's group commit).

PostgreSQL: one statement per batch, as survey intake's: the statements still votable
(accepted, of this conversation, while it is open) are picked, new participants inserted,
and votes inserted or replaced, in one INSERT ... ON CONFLICT fed by data-modifying CTEs.
RETURNING says which votes were written; the caller sends the others the long way (a
participant another transaction was adding at that moment is not visible to this one).
SQLite, which has no INSERT in a CTE: the same with the ORM, a few statements.
Both run inside the caller's transaction.
"""

from datetime import datetime
from typing import Any

from django.db import connection

from globaldialogue.deliberation.models import Conversation, Participant, Statement, Vote

Key = tuple[str, int]  # (participant key hash, statement id)

UPSERT = """
WITH incoming(key_hash, statement_id, value) AS (
    SELECT * FROM unnest(%(keys)s::varchar[], %(statements)s::bigint[], %(values)s::smallint[])
),
wanted AS (
    SELECT i.* FROM incoming i
    JOIN deliberation_statement s ON s.id = i.statement_id
    JOIN deliberation_conversation c ON c.id = s.conversation_id
    WHERE s.conversation_id = %(conversation)s AND s.status = %(accepted)s AND c.status = %(open)s
),
joined AS (
    INSERT INTO deliberation_participant (conversation_id, key_hash, created_at)
    SELECT DISTINCT %(conversation)s, key_hash, %(now)s::timestamptz FROM wanted ORDER BY 2
    ON CONFLICT (conversation_id, key_hash) DO NOTHING
    RETURNING id, key_hash
),
people AS (
    SELECT id, key_hash FROM joined
    UNION ALL
    SELECT p.id, p.key_hash FROM deliberation_participant p
    WHERE p.conversation_id = %(conversation)s AND p.key_hash IN (SELECT key_hash FROM wanted)
)
INSERT INTO deliberation_vote (conversation_id, participant_id, statement_id, value, voted_at)
SELECT %(conversation)s, p.id, w.statement_id, w.value, %(now)s FROM wanted w
JOIN people p ON p.key_hash = w.key_hash
ORDER BY p.id, w.statement_id
ON CONFLICT (participant_id, statement_id)
DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at
RETURNING (SELECT key_hash FROM people WHERE people.id = participant_id), statement_id
"""


def upsert_votes(*, conversation: Conversation, latest: dict[Key, int], now: datetime) -> set[Key]:
    """Write each (key, statement) -> value on a votable statement; return the keys written.
    Sorted, so concurrent batches take their row locks in one order (no deadlock)."""
    if not latest:
        return set()
    if connection.vendor == "postgresql":
        return _in_one_statement(conversation, latest, now)
    return _with_the_orm(conversation, latest, now)


def _in_one_statement(
    conversation: Conversation, latest: dict[Key, int], now: datetime
) -> set[Key]:
    items = sorted(latest.items())
    params: dict[str, Any] = {
        "conversation": conversation.pk,
        "keys": [key for (key, _statement), _value in items],
        "statements": [statement for (_key, statement), _value in items],
        "values": [value for _pair, value in items],
        "now": now,
        "accepted": Statement.Status.ACCEPTED.value,
        "open": Conversation.Status.OPEN.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, params)
        return {(key, statement) for key, statement in cursor.fetchall()}


def _with_the_orm(conversation: Conversation, latest: dict[Key, int], now: datetime) -> set[Key]:
    if not conversation.is_open:
        return set()
    votable = set(
        Statement.objects.filter(
            conversation=conversation,
            status=Statement.Status.ACCEPTED,
            pk__in={statement for _key, statement in latest},
        ).values_list("pk", flat=True)
    )
    wanted = {pair: value for pair, value in latest.items() if pair[1] in votable}
    keys = sorted({key for key, _statement in wanted})
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, key_hash=key) for key in keys],
        ignore_conflicts=True,
    )
    ids = dict(
        Participant.objects.filter(conversation=conversation, key_hash__in=keys).values_list(
            "key_hash", "pk"
        )
    )
    Vote.objects.bulk_create(
        [
            Vote(
                conversation=conversation,
                participant_id=ids[key],
                statement_id=statement,
                value=value,
                voted_at=now,
            )
            for (key, statement), value in sorted(wanted.items())
        ],
        update_conflicts=True,
        unique_fields=["participant", "statement"],
        update_fields=["value", "voted_at"],
    )
    return set(wanted)
