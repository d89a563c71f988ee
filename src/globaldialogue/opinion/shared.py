"""Which statements earn the words a page puts above them. The rankings (group-aware
consensus, bridging) order every statement; these rules decide which may be listed:

- "What nearly everyone agrees on": in every opinion group at least MIN_GROUP_VOTES people
  saw it and at least AGREED_BY_EACH_GROUP of them agreed.
- "What bridges the groups": a positive bridging score, at least MIN_BRIDGING_VOTES agree or
  disagree votes, and at least AGREED_OVERALL of those who saw it agreed.

So a statement seen by one person, or one that a single group rejects, is never shown as
shared, however it ranks.
"""

from collections.abc import Sequence

AGREED_BY_EACH_GROUP = 0.6
MIN_GROUP_VOTES = 3
MIN_BRIDGING_VOTES = 10
AGREED_OVERALL = 0.5


def agreed_by_every_group(groups: Sequence[Sequence[int]]) -> bool:
    """`groups`: (agree, disagree, seen) for each opinion group."""
    return bool(groups) and all(
        seen >= MIN_GROUP_VOTES and agree >= AGREED_BY_EACH_GROUP * seen
        for agree, _disagree, seen in groups
    )


def bridges(score: float, agree: int, disagree: int, seen: int) -> bool:
    """Whether a statement with this bridging score and these votes may be listed."""
    voted = agree + disagree >= MIN_BRIDGING_VOTES
    return score > 0 and voted and agree >= AGREED_OVERALL * seen > 0
