"""Population margins from the shipped WPP 2019 data, for any survey's age groups."""

import pytest

from globaldialogue.weighting.population import age_bounds, age_shares, world_population

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
