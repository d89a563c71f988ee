"""Finding statements someone already made: for the author (before adding) and for the
moderation queue. The math is in hints.py; this module feeds it from the database.

Each process keeps a similarity index per conversation (the most recent CONVERSATIONS of
them) and adds only statements newer than it has seen, so a check at 10,000 statements
costs one small query and one sparse product, not vectorising them all again.
"""

import threading
from collections import OrderedDict

from globaldialogue.deliberation.hints import NEAR_DUPLICATE, SimilarityIndex
from globaldialogue.deliberation.models import Conversation, Statement

CONVERSATIONS = 64
_indexes: "OrderedDict[int, SimilarityIndex]" = OrderedDict()
_lock = threading.Lock()


def _index(conversation_id: int) -> SimilarityIndex:
    with _lock:
        index = _indexes.pop(conversation_id, None) or SimilarityIndex()
        _indexes[conversation_id] = index
        while len(_indexes) > CONVERSATIONS:
            _indexes.popitem(last=False)
        newer = Statement.objects.filter(conversation_id=conversation_id, pk__gt=index.last_id)
        rows = list(newer.order_by("pk").values_list("pk", "normalized"))
        index.add([pk for pk, _ in rows], [text for _, text in rows])
        return index


def closest_statement(
    conversation: Conversation, normalized: str, *, threshold: float = NEAR_DUPLICATE
) -> tuple[Statement, float] | None:
    """The most similar statement that is not rejected, if close enough."""
    found = closest_statements(conversation, {0: normalized}, threshold=threshold)
    return found.get(0)


def closest_statements(
    conversation: Conversation, texts: dict[int, str], *, threshold: float = NEAR_DUPLICATE
) -> dict[int, tuple[Statement, float]]:
    """For statements of the conversation (id -> normalised text): the most similar other
    statement that is not rejected, where one is close enough. Three queries in all."""
    index = _index(conversation.pk)
    rejected = list(
        Statement.objects.filter(
            conversation=conversation, status=Statement.Status.REJECTED
        ).values_list("pk", flat=True)
    )
    matches = {}
    for pk, text in texts.items():
        found = index.closest(text, [*rejected, pk])
        if found is not None and found[1] >= threshold:
            matches[pk] = found
    statements = Statement.objects.in_bulk([found[0] for found in matches.values()])
    return {
        pk: (statements[found[0]], found[1])
        for pk, found in matches.items()
        if found[0] in statements
    }


def forget_indexes() -> None:
    """Tests: start from empty indexes (ids are reused across test databases)."""
    with _lock:
        _indexes.clear()
