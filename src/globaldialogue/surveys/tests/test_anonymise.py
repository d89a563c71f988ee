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
    "channel": ["web", "sms"],
    "version": ["1", "2"],
    "week": ["2026-W45", "2026-W46", "2026-W49"],
    "month": ["2026-11", "2026-12"],
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
    big = ("FR", "16_30", "female", "tertiary", "no", "fr", "web", "1", "2026-W45", "2026-11")
    small = ("FR", "16_30", "male", "primary", "yes", "en", "sms", "2", "2026-W45", "2026-11")
    plan = generalise(
        {
            big: 12,
            small: 1,
            ("FR", "16_30", "male", "tertiary", "no", "fr", "web", "1", "2026-W47", "2026-11"): 9,
        },
        10,
        REGIONS.get,
    )
    assert plan[big] == ("Western Europe", *big[:-2], "2026-W45")  # the week it was given in
    # The two smaller groups together make 10 once education and the rest are set aside,
    # the day shown as its month.
    assert plan[small] == ("Western Europe", "FR", "16_30", "male", "", "", "", "", "", "2026-11")
    assert len(RELEASED) == len(QUASI_IDENTIFIERS)  # + region, week and month as one period


def test_a_week_is_shown_where_it_hides_k_records_else_the_month():
    first = ("FR", "16_30", "female", "tertiary", "no", "fr", "web", "1", "2026-W45", "2026-11")
    later = (*first[:-2], "2026-W48", "2026-11")
    other = (*first[:-2], "2026-W46", "2026-11")
    plan = generalise({first: 10, later: 6, other: 4}, 10, REGIONS.get)
    assert plan[first][-1] == "2026-W45"
    assert plan[later][-1] == plan[other][-1] == "2026-11"  # ten together in the month


def test_a_lone_record_is_left_out_rather_than_shown():
    lone = ("FJ", "31_45", "male", "primary", "yes", "en", "web", "1", "2026-W45", "2026-11")
    plan = generalise({lone: 1}, 10, REGIONS.get)
    assert list(plan.values()) == [None]
