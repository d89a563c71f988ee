"""The opinion map against red-dwarf (a Python re-implementation of Pol.is), same run.

1. The four real Pol.is conversations: k, and agreement (ARI) with Pol.is' own groups of
   - ours: the Pol.is pipeline (opinion/polis.py) replaying the votes in time order with an
     update every 1% of them (opinion/replay.py), as Pol.is recomputed while people voted;
   - ours, one update: the same pipeline on the final votes only (no history);
   - k-means: our earlier pipeline (groups.py: k-means++ base clusters, no history);
   - red-dwarf (one computation; it has no history either);
   and how much ours moves with the cadence of updates (25 to 400 of them).
2. Bridging: our scores against a plain NumPy transcription of Community Notes' model and
   training (opinion/tests/test_bridging.py): Spearman correlation of the statements'
   scores, and both final losses.
3. Scale: a synthetic conversation the size of Pol.is' largest (33,422 participants x 783
   statements, about 2.0M votes, three planted groups): time for each.

    .venv/bin/python bench/opinion.py
"""

import time
import warnings

import numpy as np
from common import machine, save
from sklearn.metrics import adjusted_rand_score

from globaldialogue.opinion import compute_map
from globaldialogue.opinion.tests.polis_data import (
    CONVERSATIONS,
    in_conversation_votes,
    load,
    replayed,
)

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
        start = time.perf_counter()
        replay = replayed(c).group_of()
        replay_time = time.perf_counter() - start
        once = compute_map(
            c.participants,
            c.statements,
            c.values,
            excluded_statements=c.moderated_out,
            min_votes=in_conversation_votes(c),
        ).group_of()
        kmeans = compute_map(
            c.participants,
            c.statements,
            c.values,
            excluded_statements=c.moderated_out,
            pipeline="kmeans",
        ).group_of()
        rd_time, rd_groups = red_dwarf(c.participants, c.statements, c.values, c.moderated_out)
        found = {"ours": replay, "ours_one_update": once, "kmeans": kmeans, "red_dwarf": rd_groups}
        rows[name] = {
            "votes": len(c.values),
            "k": {
                **{key: len(set(groups.values())) for key, groups in found.items()},
                "polis": len(set(c.polis_groups.values())),
            },
            "ari_with_polis": {key: agreement(g, c.polis_groups) for key, g in found.items()},
            "ari_ours_red_dwarf": agreement(replay, rd_groups),
            "ari_with_polis_by_updates": {
                updates: agreement(replayed(c, updates=updates).group_of(), c.polis_groups)
                for updates in (25, 50, 100, 200, 400)
            },
            "seconds": {"ours_replay": round(replay_time, 2), "red_dwarf": round(rd_time, 3)},
        }
    return rows


def bridging_against_community_notes() -> dict:
    from scipy.stats import spearmanr

    from globaldialogue.opinion import bridging
    from globaldialogue.opinion.tests import test_bridging as reference

    rows = {}
    for name in CONVERSATIONS:
        votes, users_all, notes_all, y = reference.ratings_of(name)
        keep = reference.community_notes_filter(users_all, notes_all)
        users = np.unique(users_all[keep], return_inverse=True)[1]
        notes_kept, notes = np.unique(notes_all[keep], return_inverse=True)
        start = time.perf_counter()
        theirs, their_loss = reference.community_notes_fit(users, notes, y[keep])
        their_time = time.perf_counter() - start
        rated = votes.view((votes.coded.data != 2).astype(float))
        start = time.perf_counter()
        scores = bridging.bridging_scores(rated, votes.agree, seed=0)
        our_time = time.perf_counter() - start
        fitted = reference.fit_from(rated, votes.agree, notes_kept, theirs[4])
        rows[name] = {
            "statements_scored": len(notes_kept),
            "statements": votes.shape[1],
            "spearman": round(float(spearmanr(scores[notes_kept], theirs[3]).statistic), 4),
            "loss": {"ours": round(fitted.loss, 6), "community_notes": round(their_loss, 6)},
            "seconds": {"ours": round(our_time, 3), "community_notes_numpy": round(their_time, 3)},
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
    save(
        "opinion",
        {
            "machine": machine(),
            "real": real_conversations(),
            "bridging": bridging_against_community_notes(),
            "scale": scale(),
        },
    )
