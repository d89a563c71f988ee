"""What the one disclosure policy costs a conversation, same run:

1. Utility, on the four real Pol.is conversations (k = 10, and 5 as an organizer of a small
   conversation might set it): of a map's statement cells
   (agree, disagree, pass for everyone and each group), how many are hidden because they
   count 1 to k - 1 people, how many more so that no hidden one can be worked out by
   subtraction, and of the groups' agree shares (what the pages lead with) how many are
   hidden where the group's count of those who saw the statement is shown.
2. Time: computing the map (`compute_map`, the baseline) against the part of it that keeps
   which participants each count counts (`statements.id_sums`), and against working out
   what is published from a stored summary (`published.publish`), at Pol.is' largest scale
   (33,422 participants x 783 statements, about 2M votes).

    .venv/bin/python bench/conversation_disclosure.py
"""

import os
import time

import django
import numpy as np
from common import machine, save
from opinion import synthetic

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "globaldialogue.settings")
os.environ.setdefault("SECRET_KEY", "bench")
django.setup()

from globaldialogue.deliberation import mapping  # noqa: E402
from globaldialogue.deliberation.published import publish  # noqa: E402
from globaldialogue.lib.disclosure import policy  # noqa: E402
from globaldialogue.opinion import compute_map, statements  # noqa: E402
from globaldialogue.opinion.tests.polis_data import CONVERSATIONS, load, mapped  # noqa: E402
from globaldialogue.opinion.votes import build_votes  # noqa: E402

K = 10


def hidden_cells(name: str, k: int = K) -> dict:
    result = mapped(load(name))
    summary = mapping.summary(result)
    public = publish(policy("bench", k), summary, result.votes)
    cells = small = beside = shares = shares_hidden = 0
    for pk, (agree, disagree, seen, _e) in summary["statement_stats"].items():
        exact = [[agree, disagree, seen - agree - disagree]]
        exact += [[a, d, s - a - d] for a, d, s in summary["group_stats"][pk]]
        figures = public.statement(int(pk))
        shown = [figures.everyone, *figures.groups]
        for counts, row in zip(exact, shown, strict=True):
            for count, value in zip(counts, (row.agree, row.disagree, row.passed), strict=True):
                cells += 1
                small += value is None and 0 < count < k
                beside += value is None and not 0 < count < k
        for group in figures.groups:
            if group.seen is not None:
                shares += 1
                shares_hidden += group.percent("agree") is None
    return {
        "statements": len(summary["statement_stats"]),
        "groups": result.k,
        "cells": cells,
        "hidden_small": small,
        "hidden_beside": beside,
        "group_agree_shares": shares,
        "group_agree_shares_hidden": shares_hidden,
    }


def best(run, repeat: int = 3) -> tuple[float, object]:
    times, found = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        found = run()
        times.append(time.perf_counter() - start)
    return min(times), found


def timing() -> dict:
    _truth, rows, cols, values = synthetic(33_422, 783, 2_100_000)  # as bench/opinion.py
    whole, result = best(lambda: compute_map(rows, cols, values))
    votes = build_votes(rows, cols, values, np.zeros(0, dtype=np.int64))
    matrices = (votes.agree, votes.disagree, votes.seen)
    labels = result.groups  # type: ignore[attr-defined]
    ids = np.asarray(result.group_ids)  # type: ignore[attr-defined]
    sums, _found = best(lambda: statements.id_sums(labels, votes.participants, matrices, ids))
    summary = mapping.summary(result)
    published, _map = best(lambda: publish(policy("bench", K), summary, len(values)))
    return {
        "votes": len(values),
        "seconds": {
            "compute_map": round(whole, 3),
            "id_sums": round(sums, 3),
            "publish": round(published, 3),
        },
        "share_of_map": {
            "id_sums": round(sums / whole, 3),
            "publish": round(published / whole, 3),
        },
    }


if __name__ == "__main__":
    save(
        "conversation_disclosure",
        {
            "machine": machine(),
            "hidden": {name: hidden_cells(name) for name in CONVERSATIONS},
            "hidden_at_5": {name: hidden_cells(name, 5) for name in CONVERSATIONS},
            "timing": timing(),
        },
    )
