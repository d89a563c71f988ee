"""form_groups: registrants -> groups that share a language, within size limits, as mixed
in countries and age groups as possible, deterministic for a seed.

1. **A language for everyone.** Languages are ranked by how many registrants speak them;
   each person joins the pool of the most widely spoken language they speak, so
   multilingual people make the big pools bigger (more room to mix). A pool too small for
   one group first pulls in people who also speak its language from pools that can spare
   them; if it still cannot make a group, its members move to another language they speak,
   or stay unplaced with the reason.
2. **Sizes.** A pool of n people makes g = ceil(n / max_size) groups of n // g or n // g + 1
   (as even as possible). If even g groups of min_size are more than n (only when the limits
   are tight, e.g. min = max), it makes n // min_size groups and the people left over are
   unplaced ("no room").
3. **Mixing.** Within a pool, people are sorted by country (the most common first, ties by
   a seeded random key) and dealt round-robin to the pool's groups, so people of one country
   go to different groups before any group gets two of them; within a country, each person
   takes the turn of a group that has nobody of their age group yet where one is left.
   100,000 registrants take about a second.
"""

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

NO_LANGUAGE = "no language given"
TOO_FEW = "too few registrants share a language with you ({languages})"
NO_ROOM = "every group in your language is full"


@dataclass(frozen=True)
class Group:
    members: list[Any]  # ids
    language: str  # the code every member speaks


@dataclass(frozen=True)
class Grouping:
    groups: list[Group]
    unplaced: dict[Any, str] = field(default_factory=dict)  # id -> reason


@dataclass(frozen=True)
class _Person:
    id: Any
    languages: tuple[str, ...]
    country: str
    age_group: str


def form_groups(
    people: Iterable[Mapping[str, Any]], *, min_size: int, max_size: int, seed: int = 0
) -> Grouping:
    return _form(people, min_size, max_size, seed, mix=True)


def random_grouping(
    people: Iterable[Mapping[str, Any]], *, min_size: int, max_size: int, seed: int = 0
) -> Grouping:
    """The chance baseline organizers compare with: the same language pools and group sizes
    as form_groups, members in random order."""
    return _form(people, min_size, max_size, seed, mix=False)


def _form(
    people: Iterable[Mapping[str, Any]], min_size: int, max_size: int, seed: int, mix: bool
) -> Grouping:
    if not 2 <= min_size <= max_size:
        raise ValueError("sizes must satisfy 2 <= min_size <= max_size")
    persons = _persons(people)
    unplaced = {p.id: NO_LANGUAGE for p in persons if not p.languages}
    pools = _pools([p for p in persons if p.languages], min_size, max_size, unplaced)
    rng = random.Random(seed)  # noqa: S311 - tie-breaking, not security
    tiebreak = {p.id: rng.random() for p in persons}
    groups = []
    for language in sorted(pools):
        members = pools[language]
        sizes = _sizes(len(members), min_size, max_size)
        if mix:
            ordered = _mixed(members, tiebreak)
        else:
            ordered = sorted(members, key=lambda p: tiebreak[p.id])
        for person in ordered[sum(sizes) :]:
            unplaced[person.id] = NO_ROOM
        chunks = _deal(ordered[: sum(sizes)], sizes) if mix else _chunks(ordered, sizes)
        groups += [Group([p.id for p in chunk], language) for chunk in chunks]
    return Grouping(groups, unplaced)


def _chunks(ordered: Sequence[_Person], sizes: Sequence[int]) -> list[list[_Person]]:
    count = len(sizes)
    return [list(ordered[: sum(sizes)][i::count]) for i in range(count)]


def _persons(people: Iterable[Mapping[str, Any]]) -> list[_Person]:
    persons = [
        _Person(
            id=p["id"],
            languages=tuple(dict.fromkeys(str(code) for code in p.get("languages") or ())),
            country=str(p.get("country") or ""),
            age_group=str(p.get("age_group") or ""),
        )
        for p in people
    ]
    ids = [p.id for p in persons]
    if len(set(ids)) != len(ids):
        raise ValueError("every person needs a distinct id")
    # The same people in any order give the same groups.
    return sorted(persons, key=lambda p: (str(type(p.id)), str(p.id)))


def _pools(
    persons: list[_Person], min_size: int, max_size: int, unplaced: dict[Any, str]
) -> dict[str, list[_Person]]:
    speakers = Counter(code for p in persons for code in p.languages)
    rank = {code: i for i, (code, _n) in enumerate(sorted(speakers.items(), key=_by_count))}
    pools: dict[str, list[_Person]] = defaultdict(list)
    for person in persons:
        pools[min(person.languages, key=rank.__getitem__)].append(person)
    for language in sorted(pools, key=rank.__getitem__, reverse=True):  # smallest first
        if 0 < len(pools[language]) < min_size:
            _top_up(language, pools, min_size, max_size)
        if 0 < len(pools[language]) < min_size:
            _disband(language, pools, rank, min_size, unplaced)
    return {code: members for code, members in pools.items() if members}


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _top_up(language: str, pools: dict[str, list[_Person]], min_size: int, max_size: int) -> None:
    """Pull people who also speak `language` from pools that stay workable without them."""
    for other in sorted(pools, key=lambda code: -len(pools[code])):
        if other == language:
            continue
        for person in [p for p in pools[other] if language in p.languages]:
            if len(pools[language]) >= min_size or not _can_spare(
                len(pools[other]), min_size, max_size
            ):
                return
            pools[other].remove(person)
            pools[language].append(person)


def _can_spare(size: int, min_size: int, max_size: int) -> bool:
    """Whether a pool of `size` can give one away and still place everyone."""
    remaining = size - 1
    return (
        remaining >= min_size
        and _fits(remaining, min_size, max_size) >= _fits(size, min_size, max_size) - 1
    )


def _fits(n: int, min_size: int, max_size: int) -> int:
    return sum(_sizes(n, min_size, max_size))


def _disband(
    language: str,
    pools: dict[str, list[_Person]],
    rank: dict[str, int],
    min_size: int,
    unplaced: dict[Any, str],
) -> None:
    for person in list(pools[language]):
        others = [c for c in person.languages if c != language and len(pools.get(c, ())) >= 1]
        pools[language].remove(person)
        if others:
            pools[min(others, key=rank.__getitem__)].append(person)
        else:
            unplaced[person.id] = TOO_FEW.format(languages=", ".join(person.languages))


def _sizes(n: int, min_size: int, max_size: int) -> list[int]:
    """Group sizes for a pool of n: as few and as even as the limits allow."""
    if n < min_size:
        return []
    count = math.ceil(n / max_size)
    if count * min_size > n:  # tight limits: fewer groups, some people left over
        count = n // min_size
        return [min(max_size, n // count)] * count
    base, extra = divmod(n, count)
    return [base + 1] * extra + [base] * (count - extra)


def _mixed(members: Sequence[_Person], tiebreak: Mapping[Any, float]) -> list[_Person]:
    """Most common country first, so its people are spread before anyone else's."""
    countries = Counter(p.country for p in members)
    return sorted(members, key=lambda p: (-countries[p.country], p.country, tiebreak[p.id]))


def _deal(ordered: Sequence[_Person], sizes: Sequence[int]) -> list[list[_Person]]:
    """Deal in turn (person k to group k mod count: with `sizes` from _sizes, the larger
    first and differing by at most one, this fills each group to exactly its size). People
    of one country take consecutive turns, so they land in different groups; which of them
    takes which of those turns is free, and is chosen so that each goes, where possible, to
    a group that has nobody of their age group yet."""
    count = len(sizes)
    groups: list[list[_Person]] = [[] for _ in range(count)]
    ages: list[set[str]] = [set() for _ in range(count)]
    start = 0
    for block in _country_blocks(ordered):
        turns = [(start + k) % count for k in range(len(block))]
        start += len(block)
        rarest_first = Counter(p.age_group for p in block)
        for person in sorted(block, key=lambda p: rarest_first[p.age_group]):
            pick = next((i for i, g in enumerate(turns) if person.age_group not in ages[g]), 0)
            group = turns.pop(pick)
            groups[group].append(person)
            ages[group].add(person.age_group)
    return groups


def _country_blocks(ordered: Sequence[_Person]) -> list[list[_Person]]:
    blocks: list[list[_Person]] = []
    for person in ordered:
        if blocks and blocks[-1][0].country == person.country:
            blocks[-1].append(person)
        else:
            blocks.append([person])
    return blocks


def place_late(grouping: Grouping, person: Mapping[str, Any], *, max_size: int) -> Group | None:
    """A late arrival joins the smallest group with room that shares one of their languages
    (None: open a new group for late arrivals)."""
    languages = set(person.get("languages") or ())
    fitting = [g for g in grouping.groups if g.language in languages and len(g.members) < max_size]
    if not fitting:
        return None
    chosen = min(fitting, key=lambda g: (len(g.members), g.language))
    chosen.members.append(person["id"])
    return chosen


def diversity(grouping: Grouping, people: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """Mean distinct countries and age groups per group (higher is more mixed)."""
    by_id = {p["id"]: p for p in people}
    if not grouping.groups:
        return {"countries": 0.0, "age_groups": 0.0, "groups": 0}
    countries = [len({by_id[m].get("country") for m in g.members}) for g in grouping.groups]
    ages = [len({by_id[m].get("age_group") for m in g.members}) for g in grouping.groups]
    return {
        "countries": round(sum(countries) / len(countries), 3),
        "age_groups": round(sum(ages) / len(ages), 3),
        "groups": len(grouping.groups),
    }
