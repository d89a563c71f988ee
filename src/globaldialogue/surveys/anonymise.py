"""The public dataset's protection (pure: no Django): k-anonymity by generalisation.

Quasi-identifiers are the answers someone could know about a person from outside (country,
age group, gender, education, disability, and the language they answered in). In the
released table every combination of them (with the region, derived from the country) is
shared by at least k records, so nobody known to have some combination can be told apart
from k - 1 others. Records are generalised group by group along a fixed ladder, the finest
step a group of k or more reaches being kept:

    0. everything as answered
    1. without education, disability and language
    2. ... and without gender
    3. ... and without age group
    4. the region only
    5. nothing

A step groups the records not yet placed by what that step keeps; a group of k or more is
released at that step, the rest go on to the next. Fewer than k records left at the end
have nothing to hide among and are left out of the public dataset.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping

QUASI_IDENTIFIERS = ("country", "age_group", "gender", "education", "disability", "language")
RELEASED = ("region", *QUASI_IDENTIFIERS)  # the columns the public dataset shows
LADDER: tuple[tuple[str, ...], ...] = (
    RELEASED,
    ("region", "country", "age_group", "gender"),
    ("region", "country", "age_group"),
    ("region", "country"),
    ("region",),
    (),
)
Combination = tuple[str, ...]  # values in QUASI_IDENTIFIERS order, "" when unanswered
Released = tuple[str, ...]  # values in RELEASED order


def generalise(
    counts: Mapping[Combination, int], k: int, region_of: Callable[[str], str]
) -> dict[Combination, Released | None]:
    """For every combination, the one to release (None: left out, see above)."""
    plan: dict[Combination, Released | None] = {}
    unplaced = dict(counts)
    for step in LADDER:
        groups: dict[Released, list[Combination]] = defaultdict(list)
        for combination in unplaced:
            groups[_coarsen(combination, step, region_of)].append(combination)
        for coarse, members in groups.items():
            if sum(unplaced[member] for member in members) >= k:
                plan.update(dict.fromkeys(members, coarse))
        unplaced = {c: n for c, n in unplaced.items() if c not in plan}
    plan.update(dict.fromkeys(unplaced))
    return plan


def _coarsen(
    combination: Combination, keep: tuple[str, ...], region_of: Callable[[str], str]
) -> Released:
    values = dict(zip(QUASI_IDENTIFIERS, combination, strict=True))
    values["region"] = region_of(values["country"]) if values["country"] else ""
    return tuple(values[key] if key in keep else "" for key in RELEASED)
