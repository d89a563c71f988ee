"""Cell-key perturbation (results/perturb.py): changes of at most MOST that average zero,
the same for the same counts, new when a count changes, unknowable without the secret."""

import numpy as np

from globaldialogue.results import perturb

NAMES = [f"C{i}|16_30|female|" for i in range(300)]
COLUMNS = [("", ""), ("future_outlook", ""), ("future_outlook", "better")]


def keys(counts, secret=b"s" * 32):
    return perturb.cell_keys(NAMES, COLUMNS, counts, secret=secret)


def test_changes_follow_the_noise_table_and_average_zero():
    uniform = np.random.default_rng(1).random(200_000)
    changes = np.array([perturb.perturbed(100, float(k)) - 100 for k in uniform])
    assert changes.min() == -perturb.MOST and changes.max() == perturb.MOST
    assert abs(changes.mean()) < 0.02
    for change, probability in perturb.NOISE.items():
        assert abs(np.mean(changes == change) - probability) < 0.005


def test_keys_are_uniform_and_the_same_for_the_same_counts():
    counts = np.random.default_rng(2).integers(0, 50, size=(len(NAMES), len(COLUMNS)))
    first = keys(counts)
    assert np.array_equal(first, keys(counts.copy()))
    assert first.min() >= 0 and first.max() < 1
    assert abs(first.mean() - 0.5) < 0.03 and abs(np.median(first) - 0.5) < 0.05
    more = counts.copy()
    more[0, 2] += 1  # one more response in one cell: only that count's key moves
    moved = keys(more) != first
    assert moved[0, 2] and moved.sum() == 1


def test_without_the_secret_the_keys_are_other_keys():
    counts = np.ones((len(NAMES), len(COLUMNS)), dtype=np.int64)
    assert np.mean(keys(counts) == keys(counts, secret=b"t" * 32)) < 0.01


def test_a_figure_sums_its_cells_keys_and_a_shown_count_stays_shown():
    cell_keys = np.array([0.4, 0.7, 0.2])
    assert perturb.figure_key(cell_keys) == np.sum(cell_keys) % 1.0
    assert all(perturb.perturbed(10, k, floor=10) >= 10 for k in np.linspace(0, 0.999, 50))
