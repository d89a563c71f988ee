"""Opinion groups: base clusters, then k groups over them chosen by silhouette (as Pol.is).

Participants with fewer than `min_votes` votes (or than every statement, when there are
fewer) stay unclustered (-1): their position rests on too little. The eligible ones are cut
into up to 100 base clusters by k-means; k-means over the base centres (weighted by size) for
k = 2..max_k gives candidate groupings, and the one with the best silhouette over the base
centres wins. Groups are then numbered by size, or to match the previous map when given.
"""

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

BASE_CLUSTERS = 100
FIT_SAMPLE = 50_000


def eligible(seen_counts: np.ndarray, n_statements: int, min_votes: int) -> np.ndarray:
    return seen_counts >= min(min_votes, n_statements)


def find_groups(positions: np.ndarray, mask: np.ndarray, *, max_k: int, seed: int) -> np.ndarray:
    """Group index per participant (-1 where not eligible or too few to group)."""
    groups = np.full(len(positions), -1, dtype=np.int64)
    points = positions[mask]
    if len(points) < 4 or np.allclose(points, points[0]):
        return groups
    base_labels, centres, sizes = _base_clusters(points, seed)
    if len(centres) < 2:
        return groups
    # Two distinct opinions (perfectly split votes) are two groups; silhouette needs three.
    best = np.arange(2) if len(centres) == 2 else _best_grouping(centres, sizes, max_k, seed)
    groups[mask] = best[base_labels]
    return number_by_size(groups)


def _base_clusters(points: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    k = min(BASE_CLUSTERS, len(np.unique(points[: FIT_SAMPLE * 4], axis=0)))
    # Above FIT_SAMPLE participants the centres are fitted on a random sample of them (in two
    # dimensions 50,000 points place 100 centres as well as a million do), then everyone is
    # assigned to the nearest: seconds at a million instead of a minute.
    sample = points
    if len(points) > FIT_SAMPLE:
        chosen = np.random.default_rng(seed).choice(len(points), FIT_SAMPLE, replace=False)
        sample = points[np.sort(chosen)]
    model = KMeans(n_clusters=k, random_state=seed, n_init=1).fit(sample)
    labels = model.predict(points) if sample is not points else model.labels_
    sizes = np.bincount(labels, minlength=k).astype(float)
    used = sizes > 0
    remap = np.cumsum(used) - 1
    return remap[labels], model.cluster_centers_[used], sizes[used]


def _best_grouping(centres: np.ndarray, sizes: np.ndarray, max_k: int, seed: int) -> np.ndarray:
    best_labels, best_score = np.zeros(len(centres), dtype=np.int64), -np.inf
    for k in range(2, min(max_k, len(centres) - 1) + 1):
        model = KMeans(n_clusters=k, random_state=seed, n_init=10)
        labels = model.fit_predict(centres, sample_weight=sizes)
        if len(np.unique(labels)) < 2:
            continue
        score = silhouette_score(centres, labels)
        if score > best_score + 1e-9:
            best_labels, best_score = labels, score
    return best_labels


def number_by_size(groups: np.ndarray) -> np.ndarray:
    clustered = groups[groups >= 0]
    counts = np.bincount(clustered)
    order = np.argsort(-counts, kind="stable")
    mapping = np.empty_like(order)
    mapping[order] = np.arange(len(order))
    renumbered = groups.copy()
    renumbered[groups >= 0] = mapping[clustered]
    return renumbered


def match_previous(
    groups: np.ndarray, participants: np.ndarray, previous_groups: dict[int, int]
) -> np.ndarray:
    """Renumber groups to keep the previous map's numbers where the members mostly agree."""
    k = int(groups.max()) + 1 if (groups >= 0).any() else 0
    if k == 0 or not previous_groups:
        return groups
    old = np.array([previous_groups.get(int(p), -1) for p in participants])
    k_old = max(int(old.max()) + 1, k)
    overlap = np.zeros((k, k_old))
    both = (groups >= 0) & (old >= 0)
    np.add.at(overlap, (groups[both], old[both]), 1)
    rows, cols = linear_sum_assignment(-overlap)
    mapping = np.arange(k)
    mapping[rows] = cols
    renumbered = groups.copy()
    # Numbers may now have gaps (a previous group that vanished keeps its number free), so
    # that a group is called the same from one map to the next.
    renumbered[groups >= 0] = mapping[groups[groups >= 0]]
    return renumbered
