"""Maps of four real Pol.is conversations, their votes replayed in the order they came (Pol.is'
groups depend on that history: opinion/replay.py). Agreement with Pol.is' own groups against
red-dwarf's is test_red_dwarf_cross_check.py's and docs/benchmarks.md's; here only clearly
better than chance."""

import pytest
from sklearn.metrics import adjusted_rand_score

from globaldialogue.opinion.tests.polis_data import CONVERSATIONS, load, replayed


def test_the_data_is_there():
    assert len(CONVERSATIONS) == 4


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_each_real_conversation_gets_a_usable_map(name):
    conversation = load(name)
    result = replayed(conversation)
    assert 2 <= result.k <= 5
    assert all(result.repness[group] for group in result.group_ids)
    assert set(result.consensus) == {int(s) for s in result.statements}
    assert not set(conversation.moderated_out) & set(result.bridging)
    pairs = [
        (conversation.polis_groups[int(p)], int(g))
        for p, g in zip(result.participants, result.groups, strict=True)
        if g >= 0 and int(p) in conversation.polis_groups
    ]
    theirs, ours = zip(*pairs, strict=True)
    assert adjusted_rand_score(theirs, ours) > 0.1
