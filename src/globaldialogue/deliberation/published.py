"""A conversation's figures as the public sees them: every count of its last map (group
sizes, each statement's agree / disagree / pass for everyone and per group, votes, people)
through the one disclosure policy (lib.disclosure, docs/disclosure.md).

Per statement, the groups' counts form one table whose margins are everyone's counts (the
people not in a group make a row of their own that is never shown): complementary
suppression is decided on that table and on everyone's row with its total, and each shown
count is changed by its cell key, the sum of the ids of the participants it counts (kept with
the map, mapping.cell_keys). A stored map never changes, so what is published of it is
worked out once and cached.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

from globaldialogue.deliberation.mapping import unpack_positions
from globaldialogue.deliberation.models import Conversation, ConversationMap
from globaldialogue.lib.disclosure import Policy, policy
from globaldialogue.lib.perturb import KEY_RANGE
from globaldialogue.lib.suppression import suppress, suppress_table

SIDES = ("agree", "disagree", "passed")
CACHE_SECONDS = 3600


def policy_for(conversation: Conversation) -> Policy:
    return policy(f"conversation|{conversation.pk}", conversation.suppression_threshold)


@dataclass(frozen=True)
class Figures:
    """One row of a statement's table as published (None: hidden)."""

    agree: int | None = None
    disagree: int | None = None
    passed: int | None = None
    seen: int | None = None

    def percent(self, side: str) -> int | None:
        """The share of those who saw the statement on `side`, from published counts."""
        part = getattr(self, side)
        if part is None or not self.seen:
            return None
        return min(round(100 * part / self.seen), 100)


@dataclass(frozen=True)
class StatementFigures:
    everyone: Figures
    groups: list[Figures] = field(default_factory=list)  # in the map's group order


@dataclass(frozen=True)
class PublishedMap:
    threshold: int
    votes: int | None
    participants: int | None
    sizes: dict[int, int | None]  # group id -> members
    statements: dict[int, StatementFigures]

    @property
    def grouped(self) -> int:
        return sum(size or 0 for size in self.sizes.values())

    def statement(self, pk: int) -> StatementFigures:
        """A statement's figures; all zero for one the map has no votes on."""
        return self.statements.get(pk, StatementFigures(Figures(0, 0, 0, 0)))


def published_map(stored: ConversationMap) -> PublishedMap:
    """What the public sees of a stored map (worked out once per map and threshold)."""
    conversation = stored.conversation
    key = f"deliberation:published:{stored.pk}:{conversation.suppression_threshold}"
    found = cache.get(key)
    if found is None:
        summary = stored.summary
        if "participants" not in summary:  # a map stored by an earlier version
            people = len(unpack_positions(stored.positions)["participants"])
            summary = {**summary, "participants": people}
        found = publish(policy_for(conversation), summary, stored.votes)
        cache.set(key, found, CACHE_SECONDS)
    return found


def publish(rules: Policy, summary: dict[str, Any], votes: int) -> PublishedMap:
    """What a map summary (mapping.summary) publishes under `rules`. A map stored before
    cell keys were kept has none: its counts are changed by their counts alone (the same
    way each time) until the next map."""
    keys = summary.get("keys", {})
    members = keys.get("members") or [0] * (len(summary["groups"]) + 1)
    everyone_seen = [rows[-1][2] for rows in keys.get("statements", {}).values()]
    return PublishedMap(
        threshold=rules.threshold,
        votes=rules.count(votes, sum(everyone_seen) % KEY_RANGE),
        participants=rules.count(summary.get("participants", 0), members[-1]),
        sizes={
            g["id"]: rules.count(g["size"], key)
            for g, key in zip(summary["groups"], members, strict=False)
        },
        statements={
            int(pk): _statement(rules, pk, summary) for pk in summary.get("statement_stats", {})
        },
    )


def _statement(rules: Policy, pk: str, summary: dict[str, Any]) -> StatementFigures:
    everyone = _sides(*summary["statement_stats"][pk][:3])
    groups = [_sides(*counts) for counts in summary.get("group_stats", {}).get(pk, [])]
    rest = [everyone[i] - sum(group[i] for group in groups) for i in range(4)]  # in no group
    sides, cells, rows = _suppressed(rules.threshold, everyone, [*groups, rest])
    keys = [_sides(*key) for key in summary.get("keys", {}).get("statements", {}).get(pk, [])]
    keys = keys or [[0] * 4] * (len(groups) + 1)
    return StatementFigures(
        everyone=_figures(
            rules, everyone, keys[-1], sides, _publishable(everyone[3], rules.threshold)
        ),
        groups=[
            _figures(rules, counts, keys[r], cells[r], rows[r]) for r, counts in enumerate(groups)
        ],
    )


def _sides(agree: int, disagree: int, seen: int, *_rest: Any) -> list[int]:
    """[agree, disagree, passed, seen] (counts, or their keys modulo KEY_RANGE)."""
    return [agree, disagree, (seen - agree - disagree) % KEY_RANGE, seen]


def _suppressed(
    threshold: int, everyone: list[int], cells: list[list[int]]
) -> tuple[list[bool], list[list[bool]], list[bool]]:
    """Which of everyone's sides, which cells and which row totals may be shown, such that
    no hidden count can be worked out from what is: everyone's sides add up to the number who
    saw the statement, the rows' sides to each row's, the rows' to everyone's."""
    forced: set[str] = set()
    rows = [_publishable(row[3], threshold) for row in cells]
    while True:
        counts = dict(zip(SIDES, everyone[:3], strict=True))
        shown = suppress(counts, threshold, additive=everyone[3] >= threshold, forced=forced)
        columns = [shown[side] is not None for side in SIDES]
        table, shown_rows, after = suppress_table(
            [row[:3] for row in cells], threshold, row_totals=rows, column_totals=columns
        )
        newly = {side for side, was, now in zip(SIDES, columns, after, strict=True) if was > now}
        if not newly:
            return after, [[cell is not None for cell in row] for row in table], shown_rows
        forced |= newly


def _publishable(count: int, threshold: int) -> bool:
    return count == 0 or count >= threshold


def _figures(
    rules: Policy, counts: list[int], keys: list[int], shown: list[bool], total: bool
) -> Figures:
    agree, disagree, passed = (
        rules.shown(counts[i], keys[i]) if shown[i] else None for i in range(3)
    )
    seen = rules.count(counts[3], keys[3]) if total else None
    return Figures(agree, disagree, passed, seen)
