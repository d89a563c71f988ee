"""Opinion groups the way Pol.is finds them, step by step, carried from one map to the next.

Pol.is (compdemocracy/polis, math/src/polismath/math/conversation.clj and clusters.clj)
recomputes a conversation as votes arrive, and each update starts from the last:

1. In the conversation: a participant who has voted (passes count) on at least
   min(7, statements) statements is in, and stays in; while fewer than 15 are in, the
   most active others are added (`in_conversation`).
2. Base clusters: k-means with k = 100 over the in-conversation participants' map
   positions. A first update starts from the first 100 distinct positions, in the order
   participants arrived; later ones from the last update's clusters, recentred on their
   members' new positions, identical ones merged, and the most distant participant split
   off into a new cluster while fewer than 100 (`base_clusters`). Lloyd steps until no
   centre moves by 0.01, at most 100.
3. Groups: for each k from 2 to min(5, 2 + base clusters // 12), k-means over the base
   centres weighted by their sizes, again from the last update's groups for that k (their
   member base clusters' new centres), else the first k distinct centres.
4. k by silhouette over the base centres (a base cluster alone in its group scores 0),
   smoothed: the k shown changes only once another k has been best 4 updates running.

State between updates (PolisState) is plain data, kept with each stored map. Pol.is' PCA,
projection and sparsity scaling are the map's own (pca.py), computed the same way.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from sklearn.cluster import kmeans_plusplus

BASE_K = 100
MAX_ITERS = 100
MOVED = 0.01  # a centre moving less than this counts as converged
GREEDY_N = 15
K_BUFFER = 4
FIT_SAMPLE = 50_000  # above this many participants, centres are fitted on a sample


@dataclass(frozen=True)
class PolisState:
    """What one update leaves for the next. The participants in the conversation and
    their base clusters are arrays (a million of them is megabytes, kept with the map's
    positions); the rest is small JSON (as_json / from_json)."""

    members: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    bases: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # k -> (base ids, the group id of each), the last grouping tried for each k
    groupings: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    last_k: int = 0
    last_k_count: int = 0
    smoothed_k: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "groupings": {
                str(k): [[int(b), int(g)] for b, g in zip(*pair, strict=True)]
                for k, pair in self.groupings.items()
            },
            "k": [self.last_k, self.last_k_count, self.smoothed_k],
        }

    @classmethod
    def from_json(
        cls, data: Mapping[str, Any] | None, members: np.ndarray, bases: np.ndarray
    ) -> "PolisState":
        data = data or {}
        last_k, count, smoothed = data.get("k", [0, 0, 0])
        groupings = {}
        for k, pairs in data.get("groupings", {}).items():
            table = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
            groupings[int(k)] = (table[:, 0], table[:, 1])
        return cls(
            members=np.asarray(members, dtype=np.int64),
            bases=np.asarray(bases, dtype=np.int64),
            groupings=groupings,
            last_k=int(last_k),
            last_k_count=int(count),
            smoothed_k=int(smoothed),
        )


@dataclass(frozen=True)
class Clusters:
    ids: np.ndarray  # cluster ids
    centres: np.ndarray  # one row per id
    labels: np.ndarray  # index into ids, per point


def in_conversation(
    participants: np.ndarray,
    vote_counts: np.ndarray,
    n_statements: int,
    before: np.ndarray,
    min_votes: int = 7,
) -> np.ndarray:
    """Mask of the participants in the conversation (step 1)."""
    inside = np.isin(participants, before)
    inside |= vote_counts >= min(min_votes, n_statements)
    missing = GREEDY_N - int(inside.sum())
    if missing > 0:
        order = np.argsort(-vote_counts, kind="stable")
        extra = order[~inside[order]][:missing]
        inside[extra] = True
    return inside


def find_groups(
    participants: np.ndarray,
    positions: np.ndarray,
    vote_counts: np.ndarray,
    n_statements: int,
    state: PolisState,
    *,
    max_k: int = 5,
    min_votes: int = 7,
) -> tuple[np.ndarray, PolisState]:
    """Group per participant (-1: not in the conversation) and the state for next time.

    `participants`: ids in the order people joined (ids are given in that order), which
    is the order of Pol.is' rating matrix and so of its first clusters.
    """
    inside = in_conversation(participants, vote_counts, n_statements, state.members, min_votes)
    rows = np.flatnonzero(inside)
    groups = np.full(len(participants), -1, dtype=np.int64)
    if len(rows) < 2:
        return groups, replace(state, members=participants[rows], bases=np.zeros(len(rows), int))
    points = positions[rows]
    base = base_clusters(participants[rows], points, (state.members, state.bases))
    new_state = replace(state, members=participants[rows], bases=base.ids[base.labels])
    labels, new_state = _group_base_clusters(base, new_state, max_k)
    if labels is not None:
        groups[rows] = labels[base.labels]
    return groups, new_state


def base_clusters(
    ids: np.ndarray, points: np.ndarray, last: tuple[np.ndarray, np.ndarray]
) -> Clusters:
    """Step 2: k-means with k = BASE_K, from the last clusters when there are some
    (`last`: the participants then in the conversation, and each one's base cluster)."""
    fit = np.arange(len(points))
    if len(points) > FIT_SAMPLE:
        fit = np.sort(np.random.default_rng(0).choice(len(points), FIT_SAMPLE, replace=False))
    weights = np.ones(len(points))
    if len(last[0]):
        start_ids, start = _clean_start(ids, points, last, BASE_K)
    else:
        start_ids, start = _first_distinct(points[fit], BASE_K)
    found = kmeans(points[fit], start, start_ids, weights[fit])
    labels = _nearest(points, found.centres)
    return Clusters(found.ids, found.centres, labels)


def kmeans(
    points: np.ndarray, centres: np.ndarray, ids: np.ndarray, weights: np.ndarray
) -> Clusters:
    """Lloyd steps from `centres` (Pol.is' kmeans): a cluster left empty is dropped; stops
    when every centre moved less than MOVED, or after MAX_ITERS steps."""
    for _ in range(MAX_ITERS + 1):
        labels = _nearest(points, centres)
        used = np.unique(labels)
        mass = np.bincount(labels, weights=weights, minlength=len(centres))
        totals = np.stack(
            [
                np.bincount(labels, weights=weights * points[:, d], minlength=len(centres))
                for d in range(points.shape[1])
            ],
            axis=1,
        )
        moved = totals[used] / mass[used, None]
        done = len(used) == len(centres) and _close(moved, centres[used])
        centres, ids = moved, ids[used]
        if done:
            break
    return Clusters(ids, centres, _nearest(points, centres))


def _close(new: np.ndarray, old: np.ndarray) -> bool:
    """Pol.is compares sorted centres: the same clustering if each moved under MOVED."""
    a, b = np.array(sorted(map(tuple, new))), np.array(sorted(map(tuple, old)))
    return bool(np.all(np.linalg.norm(a - b, axis=1) < MOVED))


def _nearest(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of the nearest centre: |x - c|^2 = |x|^2 - 2 x.c + |c|^2, and |x|^2 is the
    same for every c, so a matrix product decides."""
    labels = np.empty(len(points), dtype=np.int64)
    squares = (centres**2).sum(axis=1)
    for start in range(0, len(points), 100_000):  # bounded memory at a million points
        chunk = points[start : start + 100_000]
        labels[start : start + 100_000] = (squares - 2 * chunk @ centres.T).argmin(axis=1)
    return labels


def _first_distinct(points: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    _values, first = np.unique(points, axis=0, return_index=True)
    chosen = np.sort(first)[:k]
    return np.arange(len(chosen)), points[chosen]


def _clean_start(
    ids: np.ndarray,
    points: np.ndarray,
    last: tuple[np.ndarray, np.ndarray],
    k: int,
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Last update's clusters on today's points (Pol.is' clean-start-clusters): each
    recentred on its members still here (`last`: member ids and their cluster ids; `ids`:
    the points' ids, sorted), identical centres merged, then the point farthest from every
    centre split off into a new cluster while there are fewer than k and points left."""
    weights = np.ones(len(points)) if weights is None else weights
    members, clusters = last
    where = np.minimum(np.searchsorted(ids, members), len(ids) - 1)
    here = ids[where] == members
    rows, owner = where[here], clusters[here]
    cluster_ids, slot = np.unique(owner, return_inverse=True)
    mass = np.bincount(slot, weights=weights[rows], minlength=len(cluster_ids))
    centres = (
        np.stack(
            [
                np.bincount(slot, weights=weights[rows] * points[rows, d])
                for d in range(points.shape[1])
            ],
            axis=1,
        ).reshape(-1, points.shape[1])
        / mass[:, None]
    )
    cluster_ids, centres = _merge_identical(cluster_ids, centres, mass)
    possible = min(k, len(np.unique(points, axis=0)))
    next_id = int(max(clusters.max(initial=-1), cluster_ids.max(initial=-1))) + 1
    while len(centres) < possible:
        if not len(centres):
            cluster_ids, centres = np.array([next_id]), points[:1].copy()
            next_id += 1
            continue
        distance = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2).min(axis=1)
        far = int(distance.argmax())
        if distance[far] <= 0:
            break
        centres = np.vstack([centres, points[far]])
        cluster_ids = np.append(cluster_ids, next_id)
        next_id += 1
    return cluster_ids, centres


def _merge_identical(
    ids: np.ndarray, centres: np.ndarray, mass: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One cluster per distinct centre, under the id of the one with most weight."""
    _values, first, which = np.unique(centres, axis=0, return_index=True, return_inverse=True)
    if len(first) == len(centres):
        return ids, centres
    which = which.ravel()
    heaviest = []
    for group in range(len(first)):
        rows = np.flatnonzero(which == group)
        heaviest.append(rows[np.argmax(mass[rows])])
    keep = np.sort(np.array(heaviest))
    return ids[keep], centres[keep]


def _group_base_clusters(
    base: Clusters, state: PolisState, max_k: int
) -> tuple[np.ndarray | None, PolisState]:
    """Steps 3 and 4: group per base cluster (index into base.ids), state updated."""
    sizes = np.bincount(base.labels, minlength=len(base.ids)).astype(float)
    top = min(max_k, 2 + len(base.ids) // 12)
    candidates: dict[int, Clusters] = {}
    for k in range(2, top + 1):
        if len(base.ids) < k:
            continue
        last = state.groupings.get(k)
        if last is not None and len(last[0]):
            order = np.argsort(last[0])
            last = (last[0][order], last[1][order])
            start_ids, start = _clean_start(base.ids, base.centres, last, k, sizes)
        else:
            start_ids, start = _first_distinct(base.centres, k)
        candidates[k] = _better(
            kmeans(base.centres, start, start_ids, sizes),
            _from_plus_plus(base.centres, sizes, k, start_ids),
            base.centres,
            sizes,
        )
    if not candidates:
        return None, state
    scores = {k: silhouette(base.centres, found.labels) for k, found in candidates.items()}
    this_k = max(scores, key=lambda k: (scores[k], -k))
    count = state.last_k_count + 1 if this_k == state.last_k else 1
    smoothed = this_k if count >= K_BUFFER or not state.smoothed_k else state.smoothed_k
    smoothed = smoothed if smoothed in candidates else this_k
    chosen = candidates[smoothed]
    new_state = replace(
        state,
        groupings={k: (base.ids, found.ids[found.labels]) for k, found in candidates.items()},
        last_k=this_k,
        last_k_count=count,
        smoothed_k=smoothed,
    )
    return chosen.labels, new_state


def _from_plus_plus(points: np.ndarray, weights: np.ndarray, k: int, ids: np.ndarray) -> Clusters:
    """The same Lloyd steps from a k-means++ start (seeded: the same every time)."""
    start, _chosen = kmeans_plusplus(points, k, sample_weight=weights, random_state=0)
    fresh = np.arange(k) + int(ids.max(initial=-1)) + 1
    return kmeans(points, start, np.concatenate([ids, fresh])[:k], weights)


def _better(a: Clusters, b: Clusters, points: np.ndarray, weights: np.ndarray) -> Clusters:
    """The grouping with the lower weighted within-group sum of squares (k-means' own
    objective). Pol.is' start alone can leave k-means in a poor local optimum, two opinion
    groups merged while another is split (docs/benchmarks.md); ties keep Pol.is'."""

    def cost(found: Clusters) -> float:
        return float((weights * ((points - found.centres[found.labels]) ** 2).sum(axis=1)).sum())

    return b if cost(b) < cost(a) - 1e-9 else a


def silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    """The mean silhouette of `points` (Pol.is: unweighted; a point alone in its cluster
    scores 0); -1 for a single cluster."""
    clusters = np.unique(labels)
    if len(clusters) < 2:
        return -1.0
    distance = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    sums = np.stack([distance[:, labels == c].sum(axis=1) for c in clusters], axis=1)
    sizes = np.array([(labels == c).sum() for c in clusters], dtype=float)
    own = np.searchsorted(clusters, labels)
    alone = sizes[own] == 1
    a = sums[np.arange(len(points)), own] / np.maximum(sizes[own] - 1, 1)
    means = sums / sizes[None, :]
    means[np.arange(len(points)), own] = np.inf
    b = means.min(axis=1)
    scores = np.where(alone, 0.0, (b - a) / np.maximum(np.maximum(a, b), 1e-300))
    return float(scores.mean())
