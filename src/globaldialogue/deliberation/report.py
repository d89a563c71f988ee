"""The conversation report: what the last map says, statement by statement, and who took part
when. Read by the report page and its CSV download; computes no map. Every count is as
published under the conversation's disclosure policy (published.py): None where hidden.
"""

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

from globaldialogue.deliberation.models import (
    Conversation,
    ConversationMap,
    Participant,
    Statement,
    Vote,
)
from globaldialogue.deliberation.presenters import group_letter
from globaldialogue.deliberation.published import Figures, policy_for, published_map
from globaldialogue.deliberation.translated import conversation_translations, shown_text
from globaldialogue.lib import csvsafe
from globaldialogue.lib.disclosure import Policy
from globaldialogue.lib.perturb import KEY_RANGE
from globaldialogue.lib.suppression import suppress

PARTICIPATION_CACHE_SECONDS = 60  # a day-by-day count of every vote is not worth redoing per view


def statement_counts(conversation: Conversation) -> dict[str, int | None]:
    """Statements by status (a count's key: the sum of its statements' ids)."""
    rows = Statement.objects.filter(conversation=conversation).values("status")
    rules = policy_for(conversation)
    counts: dict[str, int | None] = dict.fromkeys(Statement.Status.values, 0)
    for row in rows.annotate(n=Count("id"), key=Sum("id")):
        counts[row["status"]] = rules.count(row["n"], row["key"] % KEY_RANGE)
    return counts


def people(conversation: Conversation) -> int | None:
    """How many people took part (voted or wrote), as published."""
    found = Participant.objects.filter(conversation=conversation).aggregate(
        n=Count("id"), key=Sum("id")
    )
    return policy_for(conversation).count(found["n"], (found["key"] or 0) % KEY_RANGE)


def participation(conversation: Conversation) -> list[dict[str, Any]]:
    """Per day: votes cast and people who joined, as published (cached for a minute)."""
    key = f"deliberation:participation:{conversation.pk}"
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    rules = policy_for(conversation)
    votes = _per_day(Vote.objects.filter(conversation=conversation), "voted_at", rules)
    # Newcomers per day add up to the people taking part, shown beside them.
    newcomers = Participant.objects.filter(conversation=conversation)
    joined = _per_day(newcomers, "created_at", rules, additive=True)
    days = sorted(set(votes) | set(joined))
    peak = max((n or 0 for n in votes.values()), default=0) or 1
    series = [
        {
            "day": day,
            "votes": votes.get(day, 0),
            "joined": joined.get(day, 0),
            "width": round(100 * (votes.get(day) or 0) / peak),
        }
        for day in days
    ]
    cache.set(key, series, PARTICIPATION_CACHE_SECONDS)
    return series


def _per_day(
    queryset: Any, field: str, rules: Policy, *, additive: bool = False
) -> dict[date, int | None]:
    """Rows per day as published (a day's key: the sum of its rows' ids); `additive`: the
    days add up to a total that is shown, so no hidden day may be left to subtraction."""
    rows = queryset.annotate(day=TruncDate(field)).values("day")
    found = {
        row["day"]: (row["n"], row["key"] % KEY_RANGE)
        for row in rows.annotate(n=Count("id"), key=Sum("id")).order_by("day")
    }
    counts = {day: n for day, (n, _key) in found.items()}
    total = sum(counts.values())
    shown = suppress(counts, rules.threshold, additive=additive and total >= rules.threshold)
    return {day: None if shown[day] is None else rules.shown(*found[day]) for day in found}


def statement_table(
    conversation: Conversation, stored: ConversationMap | None, languages: Sequence[str] = ()
) -> tuple[list[str], list[dict[str, Any]]]:
    """Every accepted statement (as a reader of `languages` sees it) with everyone's and
    each group's agree / disagree / pass counts from the last map, as published (group
    letters as column headings)."""
    summary = stored.summary if stored is not None else {}
    public = published_map(stored) if stored is not None else None
    letters = [group_letter(group["id"]) for group in summary.get("groups", ())]
    rows: list[dict[str, Any]] = []
    translations = conversation_translations(conversation, languages)
    accepted = Statement.objects.filter(conversation=conversation, status=Statement.Status.ACCEPTED)
    for statement in accepted.filter(is_meta=False).only("pk", "text", "language", "is_seed"):
        figures = public.statement(statement.pk) if public is not None else None
        everyone = figures.everyone if figures is not None else Figures(0, 0, 0, 0)
        rows.append(
            {
                "statement": statement,
                "shown": shown_text(
                    statement.text, statement.language, languages, translations, statement.pk
                ),
                "agree": everyone.agree,
                "disagree": everyone.disagree,
                "passed": everyone.passed,
                "seen": everyone.seen,
                "groups": [_shares(group) for group in figures.groups] if figures else [],
                "order": _seen(summary, statement.pk),
            }
        )
    rows.sort(key=lambda row: -row["order"])
    return letters, rows


def _seen(summary: dict[str, Any], pk: int) -> int:
    """How many saw a statement: the table's order (an order, not a published count)."""
    return int(summary.get("statement_stats", {}).get(str(pk), (0, 0, 0))[2])


def _shares(group: Figures) -> dict[str, int | None]:
    return {
        "agree": group.percent("agree"),
        "disagree": group.percent("disagree"),
        "seen": group.seen,
    }


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
