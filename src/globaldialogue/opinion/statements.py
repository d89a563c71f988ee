"""What groups stand for and share: Pol.is representativeness and group-aware consensus.

Per group g and statement c: na, nd, ns (agreed, disagreed, saw, pass included).
pa = (na + 1) / (ns + 2), the agree rate with Laplace smoothing; pat, its one-proportion z
against 1/2; ra = pa / pa among everyone else; rat, the two-proportion z of the group against
everyone else (Pol.is' `prop-test` and `two-prop-test`). The disagree side likewise.
A statement represents a group when both z pass 90% significance (z > 1.2816), ranked by
ra * rat * pa * pat. Group-aware consensus: the product over groups of each group's
smoothed agree rate (and, for shared rejection, disagree rate).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

Z_90 = 1.2816
TOP = 5


@dataclass(frozen=True)
class GroupCounts:
    agree: np.ndarray  # groups x statements
    disagree: np.ndarray
    seen: np.ndarray


def group_counts(
    groups: np.ndarray,
    agree: sparse.csr_matrix,
    disagree: sparse.csr_matrix,
    seen: sparse.csr_matrix,
    labels: np.ndarray,
) -> GroupCounts:
    rows = np.flatnonzero(groups >= 0)
    index = np.searchsorted(labels, groups[rows])
    member = sparse.csr_matrix(
        (np.ones(len(rows)), (index, rows)), shape=(len(labels), len(groups))
    )
    return GroupCounts(
        np.asarray((member @ agree).todense()),
        np.asarray((member @ disagree).todense()),
        np.asarray((member @ seen).todense()),
    )


ID_SUM_RANGE = 1 << 32


def id_sums(
    groups: np.ndarray,
    participants: np.ndarray,
    matrices: Sequence[sparse.csr_matrix],
    labels: np.ndarray,
) -> tuple[list[np.ndarray], np.ndarray]:
    """Which participants each count counts, as the sum of their ids modulo ID_SUM_RANGE:
    for each matrix (agree, disagree, seen) a (groups + 1) x statements table, one row per
    group in `labels` and a last row for everyone; and the same per group of the members
    themselves. A publisher draws each count's random change from it (docs/disclosure.md),
    so the same people counted get the same change wherever they are counted. Summed in
    16-bit halves, so floating-point products stay exact."""
    everyone = np.arange(len(groups))
    rows = np.flatnonzero(groups >= 0)
    index = np.concatenate(
        [np.searchsorted(labels, groups[rows]), np.full(len(groups), len(labels))]
    )
    columns = np.concatenate([rows, everyone])
    ids = participants.astype(np.int64)[columns] % ID_SUM_RANGE
    shape = (len(labels) + 1, len(groups))
    halves = [
        sparse.csr_matrix((((ids >> shift) & 0xFFFF).astype(np.float64), (index, columns)), shape)
        for shift in (0, 16)
    ]
    tables = [_joined([np.asarray((half @ m).todense()) for half in halves]) for m in matrices]
    members = _joined([np.asarray(half.sum(axis=1)).ravel() for half in halves])
    return tables, members


def _joined(halves: list[np.ndarray]) -> np.ndarray:
    low, high = (np.rint(half).astype(np.int64) for half in halves)
    return (low + ((high % (1 << 16)) << 16)) % ID_SUM_RANGE


def prop_test(successes: np.ndarray, n: np.ndarray) -> np.ndarray:
    return 2 * np.sqrt(n + 1) * ((successes + 1) / (n + 1) - 0.5)


def two_prop_test(s1: np.ndarray, n1: np.ndarray, s2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    s1, s2, n1, n2 = s1 + 1, s2 + 1, n1 + 2, n2 + 2
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(np.maximum(pooled * (1 - pooled) * (1 / n1 + 1 / n2), 1e-12))
    return np.where(pooled >= 1, 0.0, (p1 - p2) / spread)


def representativeness(counts: GroupCounts) -> dict[str, np.ndarray]:
    """Per group x statement: rates, z-scores and the repness metric, both directions."""
    stats: dict[str, np.ndarray] = {}
    for side, hits in (("agree", counts.agree), ("disagree", counts.disagree)):
        others_hits = hits.sum(axis=0) - hits
        others_seen = counts.seen.sum(axis=0) - counts.seen
        rate = (hits + 1) / (counts.seen + 2)
        rate_others = (others_hits + 1) / (others_seen + 2)
        stats[f"{side}_rate"] = rate
        stats[f"{side}_z"] = prop_test(hits, counts.seen)
        stats[f"{side}_ratio"] = rate / rate_others
        stats[f"{side}_ratio_z"] = two_prop_test(hits, counts.seen, others_hits, others_seen)
        stats[f"{side}_metric"] = (
            stats[f"{side}_ratio"] * stats[f"{side}_ratio_z"] * rate * stats[f"{side}_z"]
        )
    return stats


def top_statements(stats: dict[str, np.ndarray], group: int) -> list[tuple[int, str]]:
    """(statement index, "agree" | "disagree") that best represent one group, best first."""
    candidates: list[tuple[float, int, str]] = []
    for side in ("agree", "disagree"):
        significant = (stats[f"{side}_z"][group] > Z_90) & (stats[f"{side}_ratio_z"][group] > Z_90)
        for column in np.flatnonzero(significant):
            candidates.append((float(stats[f"{side}_metric"][group, column]), int(column), side))
    candidates.sort(key=lambda item: (-item[0], item[1]))
    chosen: list[tuple[int, str]] = []
    used: set[int] = set()
    for _metric, index, side in candidates:
        if index not in used:
            chosen.append((index, side))
            used.add(index)
        if len(chosen) == TOP:
            break
    if not chosen and stats["agree_rate"].shape[1]:
        # Nothing significant yet (few votes): show the group's most distinctive agreement.
        chosen.append((int(np.argmax(stats["agree_metric"][group])), "agree"))
    return chosen


def consensus(counts: GroupCounts) -> tuple[np.ndarray, np.ndarray]:
    """Group-aware consensus per statement: (agree side, disagree side)."""
    agree = np.prod((counts.agree + 1) / (counts.seen + 2), axis=0)
    disagree = np.prod((counts.disagree + 1) / (counts.seen + 2), axis=0)
    return agree, disagree
