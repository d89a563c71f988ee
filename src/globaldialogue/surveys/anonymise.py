"""The public dataset's protection (pure: no Django): k-anonymity by generalisation.

Quasi-identifiers are what someone could know about a person from outside: their answers
on country, age group, gender, education and disability, the language they answered in,
the channel (web, partner, SMS ...), the survey version (which tells roughly when) and the
week and month they answered in. In the released table every combination of them (with the
region, derived from the country, and one period: the week or the month) is shared by at least k
records, so nobody known to have some combination can be told apart from k - 1 others.
Records are generalised group by group along a fixed ladder, the finest step a group of k
or more reaches being kept:

    0. everything, the day as its ISO week (2026-W48)
    1. everything, the day as its month (2026-11)
    2. region, country, age group, gender and month only
    3. ... and without the month
    4. ... and without gender
    5. ... and without age group
    6. the region only
    7. nothing

A step groups the records not yet placed by what that step keeps; a group of k or more is
released at that step, the rest go on to the next. Fewer than k records left at the end
have nothing to hide among and are left out of the public dataset.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date

ANSWERED = ("country", "age_group", "gender", "education", "disability")
QUASI_IDENTIFIERS = (*ANSWERED, "language", "channel", "version", "week", "month")
RELEASED = ("region", *QUASI_IDENTIFIERS[:-2], "period")  # the columns the dataset shows
_EVERYTHING = RELEASED[:-1]
_PERSON = ("region", "country", "age_group", "gender")
LADDER: tuple[tuple[tuple[str, ...], str], ...] = (  # (what is kept, how the day shows)
    (_EVERYTHING, "week"),
    (_EVERYTHING, "month"),
    (_PERSON, "month"),
    (_PERSON, ""),
    (_PERSON[:3], ""),
    (_PERSON[:2], ""),
    (_PERSON[:1], ""),
    ((), ""),
)
Combination = tuple[str, ...]  # values in QUASI_IDENTIFIERS order, "" when unanswered
Released = tuple[str, ...]  # values in RELEASED order


def generalise(
    counts: Mapping[Combination, int], k: int, region_of: Callable[[str], str]
) -> dict[Combination, Released | None]:
    """For every combination, the one to release (None: left out, see above)."""
    plan: dict[Combination, Released | None] = {}
    unplaced = dict(counts)
    for keep, period in LADDER:
        groups: dict[Released, list[Combination]] = defaultdict(list)
        for combination in unplaced:
            groups[_coarsen(combination, keep, period, region_of)].append(combination)
        for coarse, members in groups.items():
            if sum(unplaced[member] for member in members) >= k:
                plan.update(dict.fromkeys(members, coarse))
        unplaced = {c: n for c, n in unplaced.items() if c not in plan}
    plan.update(dict.fromkeys(unplaced))
    return plan


def _coarsen(
    combination: Combination, keep: tuple[str, ...], period: str, region_of: Callable[[str], str]
) -> Released:
    values = dict(zip(QUASI_IDENTIFIERS, combination, strict=True))
    values["region"] = region_of(values["country"]) if values["country"] else ""
    values["period"] = values[period] if period else ""
    return tuple(values[key] if key in keep or key == "period" else "" for key in RELEASED)


def week_and_month(day: date) -> tuple[str, str]:
    """A day's ISO week (2026-W48) and month (2026-11), as the dataset shows them."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}", f"{day:%Y-%m}"
