"""Hints for the moderation queue: possible duplicates, spam and abuse signs, floods."""

from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone

from globaldialogue.deliberation import meaning
from globaldialogue.deliberation.duplicates import closest_statements
from globaldialogue.deliberation.hints import spam_signals
from globaldialogue.deliberation.models import Statement

FLOOD_HOUR = 10  # an author with this many statements in the last hour is flagged


def attach_hints(statements: list[Statement]) -> None:
    """Set `moderation_hints` (a list of short texts) on each statement of a queue page."""
    by_conversation: dict[int, list[Statement]] = defaultdict(list)
    for statement in statements:
        statement.moderation_hints = []  # type: ignore[attr-defined]
        by_conversation[statement.conversation_id].append(statement)
    for group in by_conversation.values():
        _duplicates(group)
    _floods(statements)
    for statement in statements:
        blocked = statement.conversation.blocked_word_list
        statement.moderation_hints += spam_signals(statement.text, blocked)  # type: ignore[attr-defined]


def _duplicates(statements: list[Statement]) -> None:
    """The same words (3-grams), else the same meaning in another language (meaning.py)."""
    conversation = statements[0].conversation
    matches = closest_statements(conversation, {s.pk: s.normalized for s in statements})
    for statement in statements:
        if statement.pk in matches:
            other, score = matches[statement.pk]
            statement.moderation_hints.append(  # type: ignore[attr-defined]
                f"{score:.0%} like #{other.pk} ({other.status}): {other.text[:80]}"
            )
    for statement, (other, score) in _meant(conversation, statements, set(matches)):
        statement.moderation_hints.append(  # type: ignore[attr-defined]
            f"{score:.0%} same meaning as #{other.pk} ({other.status}, {other.language}): "
            f"{other.text[:80]}"
        )


def _meant(
    conversation: Any, statements: list[Statement], found: set[int]
) -> list[tuple[Statement, tuple[Statement, float]]]:
    rest = [s for s in statements if s.pk not in found and s.meaning is not None]
    if not rest or not meaning.wanted(conversation):
        return []
    items = {s.pk: (s.language, meaning.vector_of(s.meaning)) for s in rest}
    close = meaning.closest_in_other_languages(conversation, items, threshold=meaning.NEAR)
    return [(s, close[s.pk]) for s in rest if s.pk in close]


def _floods(statements: list[Statement]) -> None:
    authors = {s.author_id for s in statements if s.author_id is not None}
    if not authors:
        return
    since = timezone.now() - timedelta(hours=1)
    recent = dict(
        Statement.objects.filter(author_id__in=authors, created_at__gte=since)
        .values("author_id")
        .annotate(n=Count("id"))
        .values_list("author_id", "n")
    )
    for statement in statements:
        count = recent.get(statement.author_id, 0) if statement.author_id is not None else 0
        if count >= FLOOD_HOUR:
            statement.moderation_hints.append(  # type: ignore[attr-defined]
                f"author wrote {count} statements in the last hour"
            )
