"""Population margins from the package data (UN World Population Prospects 2019; see
data/README.md): shares by country, and within each country by age group and by sex, for
whatever age groups a survey uses.

Age groups are read from their keys: "16_30" is 16 to 30 years, "under_16" 0 to 15,
"61_plus" 61 and over, "over_75" 76 and over. A five-year group that a survey group cuts
across is split evenly over its years.
"""

import csv
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from globaldialogue.weighting.raking import Margin, collapse, joint

DATA = Path(__file__).parent / "data" / "population_2020.csv"
OLDEST = 105  # the last WPP group, 100+, counts as 100 to 104


# WPP files these without a sub-region (only their area): the UN M49 names.
REGION_GAPS = {
    "US": "Northern America",
    "CA": "Northern America",
    "AU": "Australia and New Zealand",
    "NZ": "Australia and New Zealand",
}


@dataclass(frozen=True)
class Population:
    """Thousands of people by country, by (country, sex) and by (country, single year)."""

    countries: dict[str, float]
    by_sex: dict[tuple[str, str], float]
    by_year: dict[tuple[str, int], float]
    regions: dict[str, str]


@cache
def world_population(path: Path = DATA) -> Population:
    countries: dict[str, float] = defaultdict(float)
    by_sex: dict[tuple[str, str], float] = defaultdict(float)
    by_year: dict[tuple[str, int], float] = defaultdict(float)
    regions: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            country, people = row["country"], float(row["population_thousands"])
            countries[country] += people
            by_sex[country, row["sex"]] += people
            regions[country] = row["region"] or REGION_GAPS.get(country, "")
            first, last = _years(row["age"])
            for year in range(first, last + 1):  # split evenly over the group's years
                by_year[country, year] += people / (last - first + 1)
    return Population(dict(countries), dict(by_sex), dict(by_year), regions)


def _years(age: str) -> tuple[int, int]:
    if age.endswith("+"):
        return int(age[:-1]), OLDEST - 1
    first, last = age.split("-")
    return int(first), int(last)


def age_bounds(key: str) -> tuple[int, int]:
    """The years an age-group key covers, both included."""
    if match := re.fullmatch(r"(\d+)_(\d+)", key):
        return int(match[1]), int(match[2])
    if match := re.fullmatch(r"(?:under|below)_(\d+)", key):
        return 0, int(match[1]) - 1
    if match := re.fullmatch(r"(\d+)_(?:plus|over|and_over)", key):
        return int(match[1]), OLDEST - 1
    if match := re.fullmatch(r"(?:over|above)_(\d+)", key):
        return int(match[1]) + 1, OLDEST - 1
    raise ValueError(f"cannot read the ages of group {key!r} (use e.g. 16_30, under_16, 61_plus)")


def age_shares(population: Population, country: str, groups: list[str]) -> list[float]:
    """Each age group's share of the country's people in the groups' combined range."""
    people = []
    for key in groups:
        first, last = age_bounds(key)
        people.append(
            sum(population.by_year.get((country, y), 0.0) for y in range(first, last + 1))
        )
    total = sum(people)
    return [p / total if total else 0.0 for p in people]


SEXES = ("female", "male")  # the sexes WPP counts; other answers are unknown to the margin


def world_margins(
    population: Population,
    *,
    countries: Sequence[str],
    ages: Sequence[str],
    genders: Sequence[str],
    age_groups: list[str],
    min_count: int = 5,
    sizes: Sequence[float] | NDArray[np.float64] | None = None,
) -> list[Margin]:
    """Margins for a survey's responses (one entry per response in each sequence): each
    country's share of the world, and within each country the age groups and the sexes.
    Countries without figures, unknown age groups and other genders are unknown (-1) on
    the margins they concern; thin categories are merged within their country (collapse).
    With `sizes`, each entry stands for that many responses (cells of a roll-up)."""
    names = sorted(population.countries)
    where = {name: i for i, name in enumerate(names)}
    country = np.array([where.get(code, -1) for code in countries], dtype=np.int64)
    age = np.array([_index(age_groups, key) for key in ages], dtype=np.int64)
    sex = np.array([_index(list(SEXES), key) for key in genders], dtype=np.int64)
    people = np.array([population.countries[name] for name in names])
    shares = people / people.sum()
    within_age = np.array([age_shares(population, name, age_groups) for name in names])
    within_sex = np.array([[population.by_sex.get((n, s), 0.0) for s in SEXES] for n in names])
    within_sex = within_sex / within_sex.sum(axis=1, keepdims=True)
    margins = [
        Margin("country", country, shares),
        Margin(
            "country x age group",
            joint(country, age, len(age_groups)),
            (shares[:, None] * within_age).ravel(),
            np.repeat(np.arange(len(names)), len(age_groups)),
        ),
        Margin(
            "country x gender",
            joint(country, sex, len(SEXES)),
            (shares[:, None] * within_sex).ravel(),
            np.repeat(np.arange(len(names)), len(SEXES)),
        ),
    ]
    weights = None if sizes is None else np.asarray(sizes, dtype=float)
    return [collapse(margin, min_count=min_count, sizes=weights) for margin in margins]


def _index(keys: list[str], key: str) -> int:
    return keys.index(key) if key in keys else -1
