"""Population margins from the shipped WPP 2019 data, for any survey's age groups."""

import numpy as np
import pytest

from globaldialogue.weighting import rake
from globaldialogue.weighting.population import (
    age_bounds,
    age_shares,
    world_margins,
    world_population,
)

UN75_AGES = ["under_16", "16_30", "31_45", "46_60", "61_75", "over_75"]


def test_the_world_adds_up():
    world = world_population()
    assert len(world.countries) == 201
    assert 7_700_000 < sum(world.countries.values()) < 7_900_000  # thousands: 7.8 billion
    assert world.regions["KE"] == "Eastern Africa"
    assert world.by_sex["NG", "female"] + world.by_sex["NG", "male"] == pytest.approx(
        world.countries["NG"]
    )


def test_age_groups_are_read_from_their_keys():
    assert [age_bounds(k) for k in UN75_AGES] == [
        (0, 15),
        (16, 30),
        (31, 45),
        (46, 60),
        (61, 75),
        (76, 104),
    ]
    assert age_bounds("60_plus") == (60, 104)
    with pytest.raises(ValueError, match="cannot read the ages of group 'young'"):
        age_bounds("young")


def test_a_survey_group_across_five_year_groups_takes_an_even_split():
    world = world_population()
    shares = age_shares(world, "JP", UN75_AGES)
    assert sum(shares) == pytest.approx(1.0)
    assert shares[-1] > 0.12  # Japan: many over 75
    niger = age_shares(world, "NE", UN75_AGES)
    assert niger[0] > 0.45 and niger[-1] < 0.02
    # 16-30 takes 4/5 of 15-19, all of 20-24 and 25-29, and 1/5 of 30-34.
    one = age_shares(world, "FR", ["16_30"])
    assert one == [1.0]


def test_margins_for_responses_weigh_a_skewed_sample_to_the_world():
    """Mostly young Indian men answered; weighted, India is India's share of the world and
    its women count as half."""
    rng = np.random.default_rng(4)
    n = 6_000
    countries = rng.choice(["IN", "NG", "US", "FR", "XX"], size=n, p=[0.6, 0.2, 0.1, 0.09, 0.01])
    ages = rng.choice(UN75_AGES[1:], size=n, p=[0.6, 0.2, 0.1, 0.07, 0.03])
    genders = rng.choice(["male", "female", "another"], size=n, p=[0.7, 0.28, 0.02])
    world = world_population()
    margins = world_margins(
        world, countries=countries, ages=ages, genders=genders, age_groups=UN75_AGES
    )
    result = rake(margins, cap=None)
    assert result.converged
    weights = result.weights
    india = countries == "IN"
    people = {c: world.countries[c] for c in ("IN", "NG", "US", "FR")}
    assert weights[india].sum() / weights[countries != "XX"].sum() == pytest.approx(
        people["IN"] / sum(people.values()), abs=1e-4
    )
    women = india & (genders == "female")
    known = india & (genders != "another")
    assert weights[women].sum() / weights[known].sum() == pytest.approx(
        world.by_sex["IN", "female"] / world.countries["IN"], abs=1e-4
    )
    assert "country x age group" in result.empty  # nobody under 16 answered: reported
