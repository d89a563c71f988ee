"""The opinion map against red-dwarf (a Python re-implementation of Pol.is), same run.

1. The four real Pol.is conversations: time, k, and agreement (ARI) between our groups,
   red-dwarf's and Pol.is' own.
2. Scale: a synthetic conversation the size of Pol.is' largest (33,422 participants x 783
   statements, about 2.0M votes, three planted groups): time for each.

    .venv/bin/python bench/opinion.py
"""

import time
import warnings

import numpy as np
from common import machine, save
from sklearn.metrics import adjusted_rand_score

from globaldialogue.opinion import compute_map
from globaldialogue.opinion.tests.polis_data import CONVERSATIONS, load

warnings.filterwarnings("ignore")


def red_dwarf(participants, statements, values, excluded):
    from reddwarf.implementations.polis import run_pipeline

    votes = [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": i}
        for i, (p, s, v) in enumerate(zip(participants, statements, values, strict=True))
    ]
    start = time.perf_counter()
    result = run_pipeline(votes=votes, mod_out_statement_ids=list(excluded), random_state=0)
    seconds = time.perf_counter() - start
    clusters = result.participants_df["cluster_id"].dropna()
    return seconds, {int(p): int(g) for p, g in clusters.items()}


def ours(participants, statements, values, excluded, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = compute_map(participants, statements, values, excluded_statements=excluded)
        times.append(time.perf_counter() - start)
    return min(times), result.group_of()


def agreement(a: dict[int, int], b: dict[int, int]) -> float:
    common = sorted(set(a) & set(b))
    return round(adjusted_rand_score([a[p] for p in common], [b[p] for p in common]), 2)


def real_conversations() -> dict:
    rows = {}
    for name in CONVERSATIONS:
        c = load(name)
        our_time, our_groups = ours(c.participants, c.statements, c.values, c.moderated_out)
        rd_time, rd_groups = red_dwarf(c.participants, c.statements, c.values, c.moderated_out)
        rows[name] = {
            "votes": len(c.values),
            "k": {
                "ours": len(set(our_groups.values())),
                "red_dwarf": len(set(rd_groups.values())),
                "polis": len(set(c.polis_groups.values())),
            },
            "ari": {
                "ours_red_dwarf": agreement(our_groups, rd_groups),
                "ours_polis": agreement(our_groups, c.polis_groups),
                "red_dwarf_polis": agreement(rd_groups, c.polis_groups),
            },
            "seconds": {"ours": round(our_time, 3), "red_dwarf": round(rd_time, 3)},
        }
    return rows


def synthetic(n: int, m: int, votes: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 3, n)
    stance = rng.choice([-1, 1], size=(3, m))
    keys = np.unique(rng.integers(0, n, votes).astype(np.int64) * m + rng.integers(0, m, votes))
    rows, cols = keys // m, keys % m
    values = stance[truth[rows], cols] * np.where(rng.random(len(rows)) < 0.1, -1, 1)
    values[rng.random(len(rows)) < 0.15] = 0
    return truth, rows, cols, values


def scale() -> dict:
    truth, rows, cols, values = synthetic(33_422, 783, 2_100_000)
    our_time, our_groups = ours(rows, cols, values, [])
    rd_time, rd_groups = red_dwarf(rows, cols, values, [])
    planted = {int(p): int(truth[p]) for p in np.unique(rows)}
    return {
        "participants": 33_422,
        "statements": 783,
        "votes": len(values),
        "seconds": {"ours": round(our_time, 2), "red_dwarf": round(rd_time, 2)},
        "speedup": round(rd_time / our_time, 1),
        "ari_with_planted": {
            "ours": agreement(our_groups, planted),
            "red_dwarf": agreement(rd_groups, planted),
        },
    }


if __name__ == "__main__":
    save("opinion", {"machine": machine(), "real": real_conversations(), "scale": scale()})
