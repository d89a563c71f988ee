"""The conversation report: what the last map says, statement by statement, and who took part
when. Read by the report page and its CSV download; computes no map."""

import io
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncDate

from globaldialogue.deliberation.models import (
    Conversation,
    ConversationMap,
    Participant,
    Statement,
    Vote,
)
from globaldialogue.deliberation.presenters import group_letter
from globaldialogue.lib import csvsafe

PARTICIPATION_CACHE_SECONDS = 60  # a day-by-day count of every vote is not worth redoing per view


def statement_counts(conversation: Conversation) -> dict[str, int]:
    rows = (
        Statement.objects.filter(conversation=conversation).values("status").annotate(n=Count("id"))
    )
    counts = dict.fromkeys(Statement.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def participation(conversation: Conversation) -> list[dict[str, Any]]:
    """Per day: votes cast and people who joined (cached for a minute)."""
    key = f"deliberation:participation:{conversation.pk}"
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    votes = _per_day(Vote.objects.filter(conversation=conversation), "voted_at")
    joined = _per_day(Participant.objects.filter(conversation=conversation), "created_at")
    days = sorted(set(votes) | set(joined))
    peak = max(votes.values(), default=0) or 1
    series = [
        {
            "day": day,
            "votes": votes.get(day, 0),
            "joined": joined.get(day, 0),
            "width": round(100 * votes.get(day, 0) / peak),
        }
        for day in days
    ]
    cache.set(key, series, PARTICIPATION_CACHE_SECONDS)
    return series


def _per_day(queryset: Any, field: str) -> dict[date, int]:
    rows = queryset.annotate(day=TruncDate(field)).values("day").annotate(n=Count("id"))
    return {row["day"]: row["n"] for row in rows.order_by("day")}


def statement_table(
    conversation: Conversation, stored: ConversationMap | None
) -> tuple[list[str], list[dict[str, Any]]]:
    """Every accepted statement with everyone's and each group's agree / disagree / pass
    counts from the last map (group letters as column headings)."""
    summary = stored.summary if stored is not None else {}
    stats = summary.get("statement_stats", {})
    by_group = summary.get("group_stats", {})
    letters = [group_letter(group["id"]) for group in summary.get("groups", ())]
    rows = []
    accepted = Statement.objects.filter(conversation=conversation, status=Statement.Status.ACCEPTED)
    for statement in accepted.filter(is_meta=False).only("pk", "text", "language", "is_seed"):
        agree, disagree, seen, _extremity = stats.get(str(statement.pk), (0, 0, 0, 0))
        groups = by_group.get(str(statement.pk), [])
        rows.append(
            {
                "statement": statement,
                "agree": agree,
                "disagree": disagree,
                "passed": seen - agree - disagree,
                "seen": seen,
                "groups": [_shares(*counts) for counts in groups],
            }
        )
    rows.sort(key=lambda row: -row["seen"])
    return letters, rows


def _shares(agree: int, disagree: int, seen: int) -> dict[str, int]:
    def percent(count: int) -> int:
        return round(100 * count / seen) if seen else 0

    return {"agree": percent(agree), "disagree": percent(disagree), "seen": seen}


def statement_csv(conversation: Conversation, stored: ConversationMap | None) -> str:
    letters, rows = statement_table(conversation, stored)
    out = io.StringIO()
    writer = csvsafe.writer(out)
    header = ["statement", "text", "language", "seed", "agree", "disagree", "pass", "seen"]
    for letter in letters:
        header += [f"group {letter} agree %", f"group {letter} disagree %", f"group {letter} seen"]
    writer.writerow(header)
    for row in rows:
        statement = row["statement"]
        line = [statement.pk, statement.text, statement.language, int(statement.is_seed)]
        line += [row["agree"], row["disagree"], row["passed"], row["seen"]]
        for shares in row["groups"]:
            line += [shares["agree"], shares["disagree"], shares["seen"]]
        writer.writerow(line)
    return out.getvalue()
