"""The opinion map at a million participants: ours against the plain sketch, same run.

1M participants x 10k statements x 50M votes (three planted groups), generated once into
bench/out/million.npz. Each contender runs in a child process of its own, so its peak
memory (ru_maxrss: the input arrays included, the same for both) is its own:

- ours: the whole `compute_map` (map, groups, representative statements, consensus,
  bridging);
- sketch: the brief's plain baseline, a sparse PCA (column-mean imputation, scipy svds)
  and mini-batch k-means base clusters with k chosen by silhouette: the map and the groups
  only.

    .venv/bin/python bench/opinion_million.py
"""

import json
import resource
import subprocess
import sys
import time

import numpy as np
from common import OUT, machine, save

DATA = OUT / "million.npz"
PARTICIPANTS, STATEMENTS, VOTES = 1_000_000, 10_000, 50_000_000


def generate() -> None:
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, PARTICIPANTS).astype(np.int8)
    stance = rng.choice([-1, 1], size=(3, STATEMENTS)).astype(np.int8)
    keys = rng.integers(0, PARTICIPANTS * STATEMENTS, int(VOTES * 1.01), dtype=np.int64)
    keys = np.unique(keys)  # distinct (participant, statement) pairs, then a random subset
    keys = keys[np.sort(rng.choice(len(keys), VOTES, replace=False))]
    rng.shuffle(keys)  # votes arrive in no particular order
    rows, cols = (keys // STATEMENTS).astype(np.int32), (keys % STATEMENTS).astype(np.int32)
    del keys
    flip = np.where(rng.random(len(rows)) < 0.1, -1, 1).astype(np.int8)
    values = stance[truth[rows], cols] * flip
    values[rng.random(len(rows)) < 0.15] = 0
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez(DATA, rows=rows, cols=cols, values=values, truth=truth)


def ours(rows, cols, values) -> np.ndarray:
    from globaldialogue.opinion import compute_map

    result = compute_map(rows, cols, values)
    groups = np.full(PARTICIPANTS, -1)
    groups[result.participants] = result.groups
    return groups


def sketch(rows, cols, values) -> np.ndarray:
    from scipy import sparse
    from scipy.sparse.linalg import svds
    from sklearn.cluster import KMeans, MiniBatchKMeans
    from sklearn.metrics import silhouette_score

    shape = (PARTICIPANTS, STATEMENTS)
    matrix = sparse.csr_matrix((values.astype(float), (rows, cols)), shape=shape)
    seen = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    counts = np.asarray(seen.sum(axis=0)).ravel()
    means = np.asarray(matrix.sum(axis=0)).ravel() / np.maximum(counts, 1)
    centred = sparse.csr_matrix(seen.multiply(-means) + matrix)
    _u, _s, vt = svds(centred, k=2, random_state=0)
    voted = np.asarray(seen.sum(axis=1)).ravel()
    where = np.asarray(centred @ vt.T) * np.sqrt(STATEMENTS / np.maximum(voted, 1))[:, None]
    base = MiniBatchKMeans(n_clusters=100, random_state=0, n_init=1).fit(where)
    best, score = None, -np.inf
    for k in range(2, 6):
        labels = KMeans(n_clusters=k, random_state=0, n_init=10).fit_predict(base.cluster_centers_)
        candidate = silhouette_score(base.cluster_centers_, labels)
        if candidate > score:
            best, score = labels, candidate
    return best[base.labels_]


def child(which: str) -> None:
    """Run one contender on the stored votes; print seconds, peak memory and ARI."""
    from sklearn.metrics import adjusted_rand_score

    data = np.load(DATA)
    rows, cols, values, truth = data["rows"], data["cols"], data["values"], data["truth"]
    start = time.perf_counter()
    groups = {"ours": ours, "sketch": sketch}[which](rows, cols, values)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024  # GiB
    placed = groups >= 0
    ari = adjusted_rand_score(truth[placed], groups[placed])
    print(
        json.dumps({"seconds": round(seconds, 1), "peak_gib": round(peak, 2), "ari": round(ari, 3)})
    )


def run(which: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, which], check=True, capture_output=True, text=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    if len(sys.argv) > 1:
        child(sys.argv[1])
        sys.exit()
    if not DATA.exists():
        generate()
    results = {"ours": run("ours"), "sketch": run("sketch")}
    save(
        "opinion_million",
        {
            "machine": machine(),
            "participants": PARTICIPANTS,
            "statements": STATEMENTS,
            "votes": VOTES,
            **results,
            "time_ratio_ours_over_sketch": round(
                results["ours"]["seconds"] / results["sketch"]["seconds"], 2
            ),
        },
    )
