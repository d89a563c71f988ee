"""The Pol.is steps one by one (opinion/polis.py): who is in the conversation, the first
clusters, Lloyd steps, the silhouette, and k smoothed over updates."""

import numpy as np
from sklearn.metrics import silhouette_score

from globaldialogue.opinion import compute_map, polis
from globaldialogue.opinion.polis import PolisState


def test_in_conversation_needs_seven_votes_keeps_who_was_in_and_fills_up_to_fifteen():
    people = np.arange(20)
    counts = np.array([7] * 3 + [1] * 17)
    inside = polis.in_conversation(people, counts, 40, before=np.array([10]))
    assert set(people[inside]) >= {0, 1, 2, 10}
    assert inside.sum() == 15  # the most active others fill up to 15
    few = polis.in_conversation(people, np.full(20, 3), 3, before=np.zeros(0, int))
    assert few.all()  # three statements in all: three votes are enough


def test_first_clusters_are_the_first_distinct_points_in_arrival_order():
    points = np.array([[0.0, 0], [0, 0], [5, 5], [0, 0], [9, 9], [5, 5]])
    ids, centres = polis._first_distinct(points, 2)
    assert ids.tolist() == [0, 1] and centres.tolist() == [[0, 0], [5, 5]]


def test_lloyd_steps_weigh_points_and_drop_empty_clusters():
    points = np.array([[0.0, 0], [1, 0], [10, 0]])
    found = polis.kmeans(
        points, np.array([[0.0, 0], [10, 0], [50, 50]]), np.array([4, 7, 9]), np.array([1, 3, 1])
    )
    assert found.ids.tolist() == [4, 7]  # nothing was nearest 9: dropped
    assert np.allclose(found.centres, [[0.75, 0], [10, 0]])  # (0 x 1 + 1 x 3) / 4


def test_silhouette_is_sklearns_with_lone_points_at_zero():
    rng = np.random.default_rng(1)
    points = np.vstack([rng.normal(0, 1, (10, 2)), rng.normal(6, 1, (10, 2))])
    labels = np.repeat([0, 1], 10)
    assert np.isclose(polis.silhouette(points, labels), silhouette_score(points, labels))
    lone = np.append(labels, 2)
    with_lone = np.vstack([points, [[30.0, 30]]])
    assert np.isclose(polis.silhouette(with_lone, lone), silhouette_score(with_lone, lone))
    assert polis.silhouette(points, np.zeros(20, int)) == -1.0


def three_camps(people_per_camp: int = 40, statements: int = 12, seed: int = 0):
    rng = np.random.default_rng(seed)
    stance = np.array([[1] * 6 + [-1] * 6, [-1] * 6 + [1] * 6, [1, -1] * 6])
    camp = np.repeat(np.arange(3), people_per_camp)
    rows = np.repeat(np.arange(len(camp)), statements)
    cols = np.tile(np.arange(statements), len(camp))
    values = stance[camp[rows], cols] * np.where(rng.random(len(rows)) < 0.05, -1, 1)
    return camp, rows, cols, values


def test_k_changes_only_after_another_k_is_best_four_updates_running():
    _camp, rows, cols, values = three_camps()
    state = PolisState(last_k=2, last_k_count=9, smoothed_k=2)  # two groups shown so far
    shown = []
    for _update in range(4):
        result = compute_map(rows, cols, values, state=state)
        state = result.polis_state
        shown.append((state.last_k, state.smoothed_k, result.k))
    assert shown == [(3, 2, 2), (3, 2, 2), (3, 2, 2), (3, 3, 3)]


def test_an_update_starts_from_the_last_clusters_and_keeps_their_ids():
    _camp, rows, cols, values = three_camps()
    first = compute_map(rows, cols, values)
    again = compute_map(rows, cols, values, state=first.polis_state)
    assert np.array_equal(first.polis_state.bases, again.polis_state.bases)
    assert set(np.unique(first.polis_state.bases)) == set(np.unique(again.polis_state.bases))
    assert len(np.unique(first.polis_state.bases)) <= polis.BASE_K


def test_the_state_survives_json_and_arrays():
    _camp, rows, cols, values = three_camps()
    state = compute_map(rows, cols, values).polis_state
    back = PolisState.from_json(state.as_json(), state.members, state.bases)
    assert back.as_json() == state.as_json()
    assert np.array_equal(back.members, state.members)


def test_the_kmeans_pipeline_stays_available():
    _camp, rows, cols, values = three_camps()
    result = compute_map(rows, cols, values, pipeline="kmeans")
    assert result.k == 3 and result.polis_state is None
