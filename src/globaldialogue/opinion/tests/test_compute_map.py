"""compute_map on synthetic conversations with planted opinion groups (no database)."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from globaldialogue.opinion import compute_map

CONSENSUS, PARTISAN = 0, 1


def planted(
    groups: int,
    participants: int = 900,
    statements: int = 80,
    density: float = 0.3,
    noise: float = 0.05,
    seed: int = 7,
):
    """Votes from planted groups. Statement 0: everyone agrees. Statement 1: group 0 agrees,
    the rest disagree. Every other statement splits the groups in a random pattern."""
    rng = np.random.default_rng(seed)
    truth = np.arange(participants) % groups
    stance = rng.choice([-1, 1], size=(groups, statements))
    for j in range(2, statements):
        while abs(stance[:, j].sum()) == groups:  # no accidental consensus
            stance[:, j] = rng.choice([-1, 1], size=groups)
    stance[:, CONSENSUS] = 1
    stance[:, PARTISAN] = -1
    stance[0, PARTISAN] = 1
    rows, cols = np.nonzero(rng.random((participants, statements)) < density)
    values = stance[truth[rows], cols]
    flip = rng.random(len(values)) < noise
    values[flip] *= -1
    planted.stance = stance  # type: ignore[attr-defined]
    return truth, rows, cols, values


def ari(result, truth) -> float:
    clustered = result.groups >= 0
    return adjusted_rand_score(truth[result.participants[clustered]], result.groups[clustered])


@pytest.mark.parametrize("k", [2, 3, 4])
def test_planted_groups_are_recovered(k):
    truth, rows, cols, values = planted(k)
    result = compute_map(rows, cols, values)
    assert result.k == k
    assert ari(result, truth) >= 0.95
    assert (result.groups >= 0).mean() > 0.95


def test_shared_agreement_tops_consensus_and_bridging_and_partisanship_does_not():
    _truth, rows, cols, values = planted(3)
    result = compute_map(rows, cols, values)
    assert result.consensus[0] == CONSENSUS
    bridging = sorted(result.bridging, key=lambda s: -result.bridging[s])
    assert bridging[0] == CONSENSUS
    assert PARTISAN not in result.consensus[:5]
    assert PARTISAN not in bridging[:5]


def test_each_group_is_represented_by_what_sets_it_apart():
    truth, rows, cols, values = planted(3)
    stance = planted.stance  # type: ignore[attr-defined]
    result = compute_map(rows, cols, values)
    for group, reps in result.repness.items():
        members = truth[result.participants[result.groups == group]]
        planted_group = int(np.bincount(members).argmax())
        assert 1 <= len(reps) <= 5
        for rep in reps:
            sign = 1 if rep.direction == "agree" else -1
            assert stance[planted_group, rep.statement] == sign
            others = np.delete(stance[:, rep.statement], planted_group)
            assert (others != sign).any()  # it sets the group apart
            assert rep.ratio > 1 and rep.ratio_z > 1.2816


def test_it_is_deterministic_for_a_seed():
    _truth, rows, cols, values = planted(3)
    first, second = compute_map(rows, cols, values, seed=3), compute_map(rows, cols, values, seed=3)
    assert np.array_equal(first.groups, second.groups)
    assert np.allclose(first.positions, second.positions)
    assert first.consensus == second.consensus


def test_group_numbers_stay_with_their_members_across_updates():
    _truth, rows, cols, values = planted(3)
    before = compute_map(rows, cols, values, seed=1)
    more = planted(3, density=0.35, seed=8)
    after = compute_map(more[1], more[2], more[3], seed=5, previous=before)
    old = before.group_of()
    same = [
        old[int(p)] == int(g)
        for p, g in zip(after.participants, after.groups, strict=True)
        if int(p) in old and g >= 0
    ]
    assert np.mean(same) > 0.95


def test_participants_with_too_few_votes_are_not_grouped():
    _truth, rows, cols, values = planted(2)
    lurker_rows = np.full(3, 10_000)
    result = compute_map(np.r_[rows, lurker_rows], np.r_[cols, [2, 3, 4]], np.r_[values, [1, 1, 0]])
    lurker = int(np.flatnonzero(result.participants == 10_000)[0])
    assert result.groups[lurker] == -1
    assert result.positions.shape == (len(result.participants), 2)


def test_excluded_statements_leave_the_map():
    _truth, rows, cols, values = planted(2)
    result = compute_map(rows, cols, values, excluded_statements=[CONSENSUS])
    assert CONSENSUS not in set(result.statements)
    assert CONSENSUS not in result.bridging
    assert result.votes == int((cols != CONSENSUS).sum())


def test_more_groups_are_allowed_when_asked():
    # Seven groups around a circle of opinion (each statement cuts the circle at an angle),
    # so the two-dimensional map can separate them all.
    rng = np.random.default_rng(11)
    groups, participants, statements = 7, 1400, 120
    truth = np.arange(participants) % groups
    angles = 2 * np.pi * truth / groups
    cuts = rng.uniform(0, 2 * np.pi, statements)
    rows, cols = np.nonzero(rng.random((participants, statements)) < 0.5)
    values = np.where(np.cos(angles[rows] - cuts[cols]) > 0, 1, -1)
    result = compute_map(rows, cols, values, max_k=8)
    assert result.k == 7
    assert ari(result, truth) >= 0.9


def test_a_tiny_conversation_has_no_groups_but_still_a_map():
    result = compute_map([1, 1, 2], [10, 11, 10], [1, -1, 0])
    assert result.k == 0 and list(result.groups) == [-1, -1]
    assert result.repness == {}


@pytest.mark.parametrize(
    ("values", "message"), [([1, 2], "values must be -1, 0 or 1"), ([1], "same length")]
)
def test_bad_votes_are_refused(values, message):
    with pytest.raises(ValueError, match=message):
        compute_map([1, 2], [1, 1], values)


def test_repeated_votes_must_be_resolved_first():
    with pytest.raises(ValueError, match="repeated"):
        compute_map([1, 1], [5, 5], [1, -1])


def test_sparse_and_large_ids_give_the_same_map():
    _truth, rows, cols, values = planted(2, participants=300)
    small = compute_map(rows, cols, values)
    large = compute_map(rows * 1_000_003 + 17, cols * 999_983, values)
    assert np.array_equal(small.groups, large.groups)
    assert small.consensus == [c // 999_983 for c in large.consensus]


def test_two_perfectly_split_camps_are_two_groups():
    people, statements = 30, 8
    rows = np.repeat(np.arange(people), statements)
    cols = np.tile(np.arange(statements), people)
    values = np.where((rows % 2) == (cols % 2), 1, -1)
    result = compute_map(rows, cols, values)
    assert result.k == 2
    assert adjusted_rand_score(result.participants % 2, result.groups) == 1.0


def test_a_conversation_where_everyone_votes_alike_still_has_a_map():
    people, statements = np.repeat(np.arange(6), 3), np.tile(np.arange(3), 6)
    result = compute_map(people, statements, np.ones(18, dtype=int))
    assert not result.positions.any() and result.statement_votes["agree"].tolist() == [6, 6, 6]
