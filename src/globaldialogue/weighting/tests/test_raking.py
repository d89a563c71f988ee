"""Raking on a synthetic world of three countries whose shares, age groups and genders are
known: a sample biased towards young men in the largest country is weighted back."""

import numpy as np
import pytest

from globaldialogue.weighting import Margin, estimate_share, kish, rake
from globaldialogue.weighting.estimates import bootstrap_interval
from globaldialogue.weighting.raking import collapse, joint

COUNTRIES = np.array([0.6, 0.3, 0.1])  # population shares
AGES = np.array([[0.3, 0.3, 0.25, 0.15], [0.2, 0.3, 0.3, 0.2], [0.4, 0.3, 0.2, 0.1]])
FEMALE = np.array([0.5, 0.52, 0.49])
# Answer "yes" more often when young, male, or in country 0: those the sample favours.
YES = 0.15 + 0.3 * np.arange(4)[::-1][None, :] / 3 + 0.1 * np.array([[1], [0], [0]])
MALE_MORE = 0.15


def population() -> np.ndarray:
    """P(country, age, gender) as a 3 x 4 x 2 array (gender 0 female, 1 male)."""
    sex = np.stack([FEMALE, 1 - FEMALE], axis=1)
    return COUNTRIES[:, None, None] * AGES[:, :, None] * sex[:, None, :]


def truth() -> float:
    p = population()
    yes = YES[:, :, None] + MALE_MORE * np.array([0, 1])[None, None, :]
    return float((p * yes).sum())


def biased_sample(rng: np.random.Generator, n: int):
    """Selection multiplies a country, an age and a gender factor: young men in country 0
    answer far more often, as on an opt-in web survey."""
    selection = population() * np.array([3.0, 1.0, 0.5])[:, None, None]
    selection = selection * np.array([4.0, 2.0, 1.0, 0.5])[None, :, None]
    selection = selection * np.array([1.0, 2.5])[None, None, :]
    cells = rng.choice(selection.size, size=n, p=(selection / selection.sum()).ravel())
    country, age, gender = np.unravel_index(cells, selection.shape)
    yes = YES[country, age] + MALE_MORE * (gender == 1)
    answered = rng.random(n) < yes
    return country, age, gender, answered


def margins(country, age, gender) -> list[Margin]:
    sex = np.stack([FEMALE, 1 - FEMALE], axis=1)
    by_age = (COUNTRIES[:, None] * AGES).ravel()
    by_gender = (COUNTRIES[:, None] * sex).ravel()
    return [
        Margin("country", country, COUNTRIES),
        Margin("country x age", joint(country, age, 4), by_age, np.repeat(np.arange(3), 4)),
        Margin(
            "country x gender", joint(country, gender, 2), by_gender, np.repeat(np.arange(3), 2)
        ),
    ]


def test_raking_matches_every_margin_and_removes_the_bias():
    country, age, gender, answered = biased_sample(np.random.default_rng(1), 20_000)
    result = rake(margins(country, age, gender), cap=None)
    assert result.converged and result.max_error < 1e-6 and result.empty == {}
    weights = result.weights
    assert np.isclose(weights.mean(), 1.0)
    shares = np.bincount(country, weights=weights) / weights.sum()
    assert np.allclose(shares, COUNTRIES, atol=1e-6)
    raw_bias = abs(answered.mean() - truth())
    weighted_bias = abs(estimate_share(answered, weights).share - truth())
    assert raw_bias > 0.03
    assert weighted_bias <= 0.1 * raw_bias  # bias reduced by at least 90%


def test_intervals_cover_the_truth_about_95_percent_of_the_time():
    """Untrimmed weights: trimming (the default cap of 5) trades a little bias for less
    variance, and at this sample's extreme selection covers about 91% (docs/weighting.md)."""
    rng = np.random.default_rng(7)
    covered, runs = 0, 300
    for _ in range(runs):
        country, age, gender, answered = biased_sample(rng, 2_000)
        weights = rake(margins(country, age, gender), cap=None).weights
        share = estimate_share(answered, weights)
        covered += share.low <= truth() <= share.high
    assert 0.92 <= covered / runs <= 0.99


def test_trimming_caps_weights_and_kish_reports_their_cost():
    country, age, gender, _answered = biased_sample(np.random.default_rng(3), 5_000)
    free = rake(margins(country, age, gender), cap=None)
    capped = rake(margins(country, age, gender), cap=3.0)
    assert free.weights.max() > 3.0 >= capped.weights.max() - 1e-3
    assert capped.trimmed > 0 and 0 < capped.max_error < 0.2  # the price, reported
    assert rake(margins(country, age, gender), cap=6.0).max_error < capped.max_error
    effective, deff = kish(capped.weights)
    assert effective == pytest.approx(5_000 / deff)
    assert kish(free.weights)[1] > deff > 1.0  # trimming costs less precision


def test_an_empty_cell_is_reported_and_its_people_spread_over_the_rest():
    country, age, gender, _answered = biased_sample(np.random.default_rng(5), 3_000)
    keep = ~((country == 2) & (age == 3))  # nobody over 60 in country 2 answered
    result = rake(margins(country[keep], age[keep], gender[keep]))
    assert result.empty == {"country x age": [2 * 4 + 3]}
    assert result.converged


def test_unknown_answers_stay_out_of_a_margin_only():
    country = np.array([0, 0, 1, 1, -1])
    result = rake([Margin("country", country, np.array([0.5, 0.5]))], cap=None)
    assert result.converged and len(result.weights) == 5


def test_share_below_thirty_effective_responses_has_no_interval():
    share = estimate_share(np.array([True] * 10 + [False] * 10), np.ones(20))
    assert share.share == 0.5 and share.low is None and share.high is None


def test_weights_agree_with_the_ipfn_library():
    """The same fit by the classic table-based implementation (ipfn, a dev dependency)."""
    from ipfn import ipfn

    country, age, gender, _answered = biased_sample(np.random.default_rng(11), 10_000)
    ours = rake(margins(country, age, gender), cap=None, tolerance=1e-10).weights
    counts = np.zeros((3, 4, 2))
    np.add.at(counts, (country, age, gender), 1)
    whole = population() * len(country)
    fitted = ipfn.ipfn(
        counts.copy(),
        [whole.sum(axis=2), whole.sum(axis=1)],
        [[0, 1], [0, 2]],
        convergence_rate=1e-12,
        max_iteration=2000,
    ).iteration()
    per_cell = np.divide(fitted, counts, out=np.zeros_like(counts), where=counts > 0)
    theirs = per_cell[country, age, gender]
    assert np.allclose(ours, theirs / theirs.mean(), rtol=1e-6)


def test_thin_categories_merge_within_their_country_so_the_fit_exists():
    # Country 1 has three answers: a woman and a man aged 0, a man aged 1; women are 80%
    # of its population, which no weights can give without merging its age groups.
    country = np.array([0] * 40 + [1, 1, 1])
    age = np.array([0, 1] * 20 + [0, 0, 1])
    gender = np.array([0, 1, 1, 0] * 10 + [0, 1, 1])
    by_age = np.array([0.3, 0.3, 0.2, 0.2])
    by_gender = np.array([0.3, 0.3, 0.32, 0.08])
    groups_age, groups_gender = np.array([0, 0, 1, 1]), np.array([0, 0, 1, 1])
    raw = [
        Margin("country", country, np.array([0.6, 0.4])),
        Margin("country x age", joint(country, age, 2), by_age, groups_age),
        Margin("country x gender", joint(country, gender, 2), by_gender, groups_gender),
    ]
    assert not rake(raw, cap=None).converged
    merged = [collapse(margin, min_count=5) for margin in raw]
    assert len(merged[1].shares) == 3 and merged[1].shares.sum() == pytest.approx(1.0)
    assert set(merged[1].codes[country == 1]) == {2}  # country 1's ages: one category
    result = rake(merged, cap=None)
    assert result.converged
    assert np.bincount(country, weights=result.weights)[1] / len(country) == pytest.approx(0.4)


def test_a_re_raking_bootstrap_agrees_with_the_kish_interval():
    country, age, gender, answered = biased_sample(np.random.default_rng(21), 3_000)
    weights = rake(margins(country, age, gender), cap=None).weights
    kish_share = estimate_share(answered, weights)

    def reweigh(rows):
        return rake(margins(country[rows], age[rows], gender[rows]), cap=None).weights

    low, high = bootstrap_interval(answered, reweigh, runs=100)
    assert low < kish_share.share < high
    kish_width, boot_width = kish_share.high - kish_share.low, high - low
    assert 0.6 < boot_width / kish_width < 1.4  # the same uncertainty, within sampling noise


def test_raking_cells_with_their_counts_is_raking_their_responses():
    """What results/cells.py does at scale: one entry per country x age x gender cell."""
    country, age, gender, _answered = biased_sample(np.random.default_rng(8), 4_000)
    per_response = rake(margins(country, age, gender), cap=3.0).weights
    cells, inverse, sizes = np.unique(
        np.stack([country, age, gender], axis=1), axis=0, return_inverse=True, return_counts=True
    )
    inverse = inverse.ravel()
    sizes = sizes.astype(float)
    masses = rake(margins(*cells.T), base=sizes, sizes=sizes, cap=3.0).weights
    per_cell = masses / sizes
    from_cells = per_cell[inverse] / per_cell[inverse].mean()
    assert np.allclose(from_cells, per_response, rtol=1e-4)
    assert from_cells.max() <= 3.0 + 1e-3
