"""The public dataset's k-anonymity: checked exhaustively on small random tables, every
released combination is shared by at least k records, nothing is generalised further than
it must be, and only a remainder under k is left out."""

import random
from collections import Counter
from itertools import product

import pytest

from globaldialogue.surveys.anonymise import QUASI_IDENTIFIERS, RELEASED, generalise

REGIONS = {
    "FR": "Western Europe",
    "DE": "Western Europe",
    "NG": "Western Africa",
    "FJ": "Melanesia",
}
VALUES = {
    "country": ["FR", "DE", "NG", "FJ", ""],
    "age_group": ["16_30", "31_45", ""],
    "gender": ["female", "male"],
    "education": ["primary", "tertiary"],
    "disability": ["no", "yes"],
    "language": ["fr", "en"],
}


def table(seed, records):
    rng = random.Random(seed)
    everything = list(product(*(VALUES[key] for key in QUASI_IDENTIFIERS)))
    weights = [rng.random() ** 4 for _ in everything]  # a few large cells, many tiny ones
    return Counter(rng.choices(everything, weights=weights, k=records))


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("k", [2, 5, 10])
def test_every_released_combination_is_shared_by_k_records(seed, k):
    counts = table(seed, 300)
    plan = generalise(counts, k, REGIONS.get)
    released = Counter()
    for combination, count in counts.items():
        if plan[combination] is not None:
            released[plan[combination]] += count
    assert min(released.values()) >= k
    left_out = sum(n for c, n in counts.items() if plan[c] is None)
    assert left_out < k  # only the remainder with nothing to hide among
    assert sum(released.values()) + left_out == sum(counts.values())


def test_large_groups_are_released_as_answered_and_regions_follow_countries():
    big = ("FR", "16_30", "female", "tertiary", "no", "fr")
    small = ("FR", "16_30", "male", "primary", "yes", "en")
    plan = generalise(
        {big: 12, small: 1, ("FR", "16_30", "male", "tertiary", "no", "fr"): 9}, 10, REGIONS.get
    )
    assert plan[big] == ("Western Europe", *big)
    # The two smaller groups together make 10 once education and the rest are set aside.
    assert plan[small] == ("Western Europe", "FR", "16_30", "male", "", "", "")
    assert len(RELEASED) == len(QUASI_IDENTIFIERS) + 1


def test_a_lone_record_is_left_out_rather_than_shown():
    plan = generalise({("FJ", "31_45", "male", "primary", "yes", "en"): 1}, 10, REGIONS.get)
    assert list(plan.values()) == [None]
