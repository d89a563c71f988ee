"""Which statement to show a participant next.

Seed statements (the organizers') come first, oldest first. After that a statement is drawn
at random with probability proportional to its priority, Pol.is' formula:

    importance = (1 - p) * (e + 1) * a
    priority   = (importance * (1 + 8 * 2 ** (-seen / 5))) ** 2

with a = (agree + 1) / (seen + 2) and p = (pass + 1) / (seen + 2) (Laplace-smoothed), e the
statement's distance from the centre of the opinion map (how much it divides opinion), and
the newness factor giving statements few people have seen (up to 9x, squared: 81x) a chance
to be seen and placed. Counts come from the last stored map, so choosing costs no scan of
the votes; statements newer than the map count as unseen. A participant never gets a
statement they already voted on.
"""

from typing import Any

import numpy as np

from globaldialogue.deliberation.models import Conversation, Participant, Statement


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
    map_stats: dict[str, Any],
    rng: np.random.Generator | None = None,
) -> Statement | None:
    """The next statement for `participant` (None: someone who has not voted yet)."""
    unvoted = Statement.objects.filter(conversation=conversation, status=Statement.Status.ACCEPTED)
    if participant is not None:
        unvoted = unvoted.exclude(votes__participant=participant)
    seed = unvoted.filter(is_seed=True).order_by("created_at", "id").first()
    if seed is not None:
        return seed
    candidates = list(unvoted.values_list("pk", flat=True))
    if not candidates:
        return None
    unseen = [0, 0, 0, 0.0]
    stats = np.array([map_stats.get(str(pk), unseen) for pk in candidates], dtype=float)
    weights = priorities(stats)
    chooser = rng or np.random.default_rng()
    choice = int(chooser.choice(len(candidates), p=weights / weights.sum()))
    return Statement.objects.get(pk=candidates[choice])
