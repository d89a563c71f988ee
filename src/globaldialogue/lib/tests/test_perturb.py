"""Cell-key perturbation (results/perturb.py): changes of at most MOST that average zero,
the same for the same responses however a figure is put together, new when its responses
change, unknowable without the secret."""

import uuid

import numpy as np

from globaldialogue.lib import perturb
from globaldialogue.lib.disclosure import Policy

SECRET = b"s" * 32


def record_keys(n, seed=1):
    rng = np.random.default_rng(seed)
    ids = [uuid.UUID(bytes=rng.bytes(16), version=4) for _ in range(n)]
    return np.array([perturb.record_key(i) for i in ids], dtype=np.int64)


def test_record_keys_are_uniform_and_fixed_by_the_id():
    keys = record_keys(50_000)
    assert keys.min() >= 0 and keys.max() < perturb.KEY_RANGE
    assert abs(keys.mean() / perturb.KEY_RANGE - 0.5) < 0.01
    same = uuid.UUID("12345678-1234-4234-8234-123456789abc")
    assert perturb.record_key(same) == perturb.record_key(uuid.UUID(str(same)))


def test_changes_follow_the_noise_table_and_average_zero():
    keys = record_keys(200_000, seed=2)
    changes = perturb.changes(np.full(len(keys), 100), keys, secret=SECRET)
    assert changes.min() == -perturb.MOST and changes.max() == perturb.MOST
    assert abs(changes.mean()) < 0.02
    for change, probability in perturb.NOISE.items():
        assert abs(np.mean(changes == change) - probability) < 0.005


def test_a_figure_has_the_same_key_however_its_counters_are_summed():
    keys = record_keys(30, seed=3)
    whole = perturb.figure_key(keys)
    in_parts = perturb.figure_key([perturb.figure_key(keys[:10]), perturb.figure_key(keys[10:])])
    assert whole == in_parts == int(keys.sum() % perturb.KEY_RANGE)


def test_one_more_response_draws_a_new_change_and_nothing_is_drawn_for_zero():
    keys = record_keys(2_000, seed=4)
    before = perturb.changes(np.full(1_000, 40), keys[:1_000], secret=SECRET)
    after = perturb.changes(
        np.full(1_000, 41), (keys[:1_000] + keys[1_000:]) % perturb.KEY_RANGE, secret=SECRET
    )
    assert np.mean(before == after) < 0.5  # independent draws agree ~0.3 of the time
    assert not perturb.changes(np.zeros(5, dtype=np.int64), keys[:5], secret=SECRET).any()


def test_without_the_secret_the_changes_are_other_changes():
    keys = record_keys(10_000, seed=5)
    counts = np.full(len(keys), 50)
    mine = perturb.changes(counts, keys, secret=SECRET)
    theirs = perturb.changes(counts, keys, secret=b"t" * 32)
    assert np.mean(mine == theirs) < 0.4


def test_the_policy_hides_small_counts_keeps_zero_and_never_shows_under_the_threshold():
    policy = Policy(10, SECRET)
    keys = record_keys(500, seed=6)
    assert policy.count(0, 0) == 0
    assert all(policy.count(n, int(keys[n])) is None for n in range(1, 10))
    shown = [policy.count(10 + n % 5, int(key)) for n, key in enumerate(keys)]
    assert min(shown) == 10 and max(shown) <= 14 + perturb.MOST
    cells = policy.cells(np.array([0, 1, 2, 50]), keys[:4])
    assert cells[0] == 0 and (cells >= 0).all() and abs(int(cells[3]) - 50) <= perturb.MOST
