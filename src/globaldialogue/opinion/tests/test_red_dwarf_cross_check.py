"""Cross-check with red-dwarf (a Python re-implementation of the Pol.is pipeline; a
development dependency only) on the same real conversations: the same number of groups and
clearly the same grouping where the groups are well separated. On scoop-hivemind the k
differs (3 here, 4 there, 2 in Pol.is): see docs/benchmarks.md."""

import warnings

import pytest
from sklearn.metrics import adjusted_rand_score

from globaldialogue.opinion.tests.polis_data import load, mapped

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


@pytest.mark.parametrize("name", WELL_SEPARATED)
def test_same_k_and_a_similar_grouping_as_red_dwarf(name):
    conversation = load(name)
    ours = mapped(conversation).group_of()
    theirs = red_dwarf_groups(conversation)
    assert len(set(ours.values())) == len(set(theirs.values()))
    common = sorted(set(ours) & set(theirs))
    assert len(common) > 0.8 * len(theirs)
    assert adjusted_rand_score([ours[p] for p in common], [theirs[p] for p in common]) >= 0.5
