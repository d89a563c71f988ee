"""form_groups over many random registrations, and the cases organizers will meet."""

import random

import pytest

from globaldialogue.grouping import diversity, form_groups, place_late, random_grouping
from globaldialogue.grouping.form import NO_LANGUAGE, NO_ROOM

LANGUAGES = ["en", "fr", "es", "ar", "zh-hans", "ru", "sw"]
AGES = ["16_30", "31_45", "46_60", "61_plus"]


def registrants(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    people = []
    for i in range(n):
        spoken = rng.sample(LANGUAGES, rng.choice([1, 1, 1, 2, 3]))
        country = rng.choices(
            ["IN", "CN", "NG", "BR", "FR", "EG", "FJ"], [30, 25, 15, 10, 8, 8, 4]
        )[0]
        people.append(
            {"id": f"r{i}", "languages": spoken, "country": country, "age_group": rng.choice(AGES)}
        )
    return people


@pytest.mark.parametrize("seed", range(40))
def test_every_group_shares_a_language_and_fits_the_limits(seed):
    rng = random.Random(seed)
    min_size = rng.randint(2, 8)
    max_size = rng.randint(min_size, 12)
    people = registrants(rng.randint(0, 400), seed)
    result = form_groups(people, min_size=min_size, max_size=max_size, seed=seed)
    by_id = {p["id"]: p for p in people}
    placed = [m for g in result.groups for m in g.members]
    assert len(placed) == len(set(placed))
    assert set(placed) | set(result.unplaced) == set(by_id)  # everyone placed or told why
    assert not set(placed) & set(result.unplaced)
    assert all(result.unplaced.values())
    for group in result.groups:
        assert min_size <= len(group.members) <= max_size
        assert all(group.language in by_id[m]["languages"] for m in group.members)


@pytest.mark.parametrize("seed", range(5))
def test_the_same_people_give_the_same_groups_in_any_order(seed):
    people = registrants(300, seed)
    first = form_groups(people, min_size=4, max_size=8, seed=7)
    shuffled = people[:]
    random.Random(seed).shuffle(shuffled)
    assert form_groups(shuffled, min_size=4, max_size=8, seed=7) == first


def test_groups_mix_countries_and_ages_more_than_chance():
    people = registrants(2000, 1)
    ours = diversity(form_groups(people, min_size=6, max_size=8), people)
    chance = diversity(random_grouping(people, min_size=6, max_size=8), people)
    assert ours["countries"] > chance["countries"] + 0.3
    assert ours["age_groups"] > chance["age_groups"] + 0.1


def test_a_bilingual_person_tops_up_a_small_language():
    people = [
        {"id": i, "languages": ["en"], "country": "KE", "age_group": "16_30"} for i in range(10)
    ]
    people += [
        {"id": 10 + i, "languages": ["sw"], "country": "TZ", "age_group": "31_45"} for i in range(3)
    ]
    people.append({"id": 99, "languages": ["en", "sw"], "country": "KE", "age_group": "46_60"})
    result = form_groups(people, min_size=4, max_size=8)
    swahili = next(g for g in result.groups if g.language == "sw")
    assert sorted(swahili.members) == [10, 11, 12, 99] and not result.unplaced


def test_people_who_share_no_language_with_enough_others_are_told_why():
    people = [
        {"id": i, "languages": ["en"], "country": "US", "age_group": "16_30"} for i in range(6)
    ]
    people += [
        {"id": "fj", "languages": ["fj"], "country": "FJ", "age_group": "16_30"},
        {"id": "none", "languages": [], "country": "FR", "age_group": "16_30"},
    ]
    result = form_groups(people, min_size=4, max_size=8)
    assert "share a language" in result.unplaced["fj"] and "fj" in result.unplaced["fj"]
    assert result.unplaced["none"] == NO_LANGUAGE


def test_tight_limits_leave_the_overflow_unplaced():
    people = [
        {"id": i, "languages": ["en"], "country": "US", "age_group": "16_30"} for i in range(12)
    ]
    result = form_groups(people, min_size=8, max_size=8)
    assert [len(g.members) for g in result.groups] == [8]
    assert list(result.unplaced.values()) == [NO_ROOM] * 4


@pytest.mark.parametrize(("low", "high"), [(1, 8), (6, 4)])
def test_impossible_limits_are_refused(low, high):
    with pytest.raises(ValueError):
        form_groups([], min_size=low, max_size=high)


def test_ids_must_be_distinct():
    person = {"id": 1, "languages": ["en"], "country": "US", "age_group": "16_30"}
    with pytest.raises(ValueError):
        form_groups([person, person], min_size=2, max_size=4)


def test_a_late_arrival_joins_the_smallest_group_with_room_in_their_language():
    people = [
        {"id": i, "languages": ["en"], "country": "US", "age_group": "16_30"} for i in range(9)
    ]
    result = form_groups(people, min_size=4, max_size=5)
    late = {"id": "late", "languages": ["fr", "en"], "country": "FR", "age_group": "31_45"}
    group = place_late(result, late, max_size=5)
    assert group is not None and "late" in group.members and len(group.members) == 5
    assert place_late(result, {"id": "x", "languages": ["fr"]}, max_size=5) is None
