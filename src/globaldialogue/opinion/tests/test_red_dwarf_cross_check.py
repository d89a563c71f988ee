"""Cross-check with red-dwarf (a Python re-implementation of the Pol.is pipeline; a
development dependency only) on the same real conversations, and the target: our Pol.is
pipeline, replaying each conversation's history (opinion/replay.py), agrees with Pol.is'
own groups at least as well as red-dwarf does in the same run, and at 0.85 or more where
red-dwarf reaches 0.9 (docs/benchmarks.md)."""

import warnings

import pytest
from sklearn.metrics import adjusted_rand_score

from globaldialogue.opinion.tests.polis_data import CONVERSATIONS, load, replayed

WELL_SEPARATED = ["15-per-hour-seattle", "canadian-electoral-reform", "vtaiwan.uberx"]


def red_dwarf_groups(conversation) -> dict[int, int]:
    with warnings.catch_warnings():  # red-dwarf's own pydantic models warn on import
        warnings.simplefilter("ignore")
        from reddwarf.implementations.polis import run_pipeline

    votes = [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": i}
        for i, (p, s, v) in enumerate(
            zip(
                conversation.participants, conversation.statements, conversation.values, strict=True
            )
        )
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_pipeline(
            votes=votes, mod_out_statement_ids=list(conversation.moderated_out), random_state=0
        )
    clusters = result.participants_df["cluster_id"].dropna()
    return {int(p): int(g) for p, g in clusters.items()}


def agreement(a: dict[int, int], b: dict[int, int]) -> float:
    common = sorted(set(a) & set(b))
    return float(adjusted_rand_score([a[p] for p in common], [b[p] for p in common]))


@pytest.mark.parametrize("name", WELL_SEPARATED)
def test_same_k_and_a_similar_grouping_as_red_dwarf(name):
    conversation = load(name)
    ours = replayed(conversation).group_of()
    theirs = red_dwarf_groups(conversation)
    assert len(set(ours.values())) == len(set(theirs.values()))
    common = sorted(set(ours) & set(theirs))
    assert len(common) > 0.8 * len(theirs)
    assert agreement(ours, theirs) >= 0.5


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_closer_to_polis_than_red_dwarf(name):
    conversation = load(name)
    ours = agreement(replayed(conversation).group_of(), conversation.polis_groups)
    theirs = agreement(red_dwarf_groups(conversation), conversation.polis_groups)
    assert ours >= (min(theirs, 0.85) if theirs >= 0.9 else theirs)
