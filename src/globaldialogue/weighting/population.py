"""Population margins from the package data (UN World Population Prospects 2019; see
data/README.md): shares by country, and within each country by age group and by sex, for
whatever age groups a survey uses.

Age groups are read from their keys: "16_30" is 16 to 30 years, "under_16" 0 to 15,
"61_plus" 61 and over, "over_75" 76 and over. A five-year group that a survey group cuts
across is split evenly over its years.
"""

import csv
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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
    """People (any unit: shares are what count) by country, by (country, sex), by (country,
    single year) and, where given, by (country, education option key)."""

    countries: dict[str, float]
    by_sex: dict[tuple[str, str], float]
    by_year: dict[tuple[str, int], float]
    regions: dict[str, str]
    education: dict[tuple[str, str], float] = field(default_factory=dict)


class PopulationError(ValueError):
    """A margins file that cannot be read; `problems` says where and why, row by row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@cache
def world_population(path: Path = DATA) -> Population:
    with path.open(newline="", encoding="utf-8") as rows:
        return read_population(rows)


def read_population(lines: Iterable[str], *, most_problems: int = 20) -> Population:
    """A population from CSV: a header with country (ISO alpha-2), sex (female, male), age
    (five-year groups such as 25-29, or 100+, or single years), population (or
    population_thousands) and optionally region; and rows with an education option key in
    an `education` column (sex and age left empty) for education margins."""
    try:
        return _read(csv.DictReader(lines), most_problems)
    except csv.Error as error:  # a stray quote or line break the csv module cannot place
        raise PopulationError([f"not a readable CSV file: {error}"]) from None


def _read(reader: "csv.DictReader[str]", most_problems: int) -> Population:
    fields = set(reader.fieldnames or [])
    amount = "population" if "population" in fields else "population_thousands"
    missing = {"country", amount} - fields
    if missing:
        raise PopulationError([f"the header lacks {', '.join(sorted(missing))}"])
    found = _Reading()
    problems: list[str] = []
    for number, row in enumerate(reader, start=2):
        problem = found.add(row, amount)
        if problem:
            problems.append(f"row {number}: {problem}")
        if len(problems) >= most_problems:
            break
    if not problems and not found.countries:
        problems.append("no rows of people by country, sex and age")
    if problems:
        raise PopulationError(problems)
    return found.population()


class _Reading:
    def __init__(self) -> None:
        self.countries: dict[str, float] = defaultdict(float)
        self.by_sex: dict[tuple[str, str], float] = defaultdict(float)
        self.by_year: dict[tuple[str, int], float] = defaultdict(float)
        self.education: dict[tuple[str, str], float] = defaultdict(float)
        self.regions: dict[str, str] = {}

    def add(self, row: dict[str, str], amount: str) -> str:
        """Take one row; a problem in plain words, or "" when it is fine."""
        country = (row.get("country") or "").strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            return f"country {country!r} is not a two-letter ISO code"
        try:
            people = float(row.get(amount) or "")
        except ValueError:
            return f"population {row.get(amount)!r} is not a number"
        if not math.isfinite(people):
            return f"population {row.get(amount)!r} is not a number"
        if people < 0:
            return "population cannot be negative"
        if education := (row.get("education") or "").strip():
            self.education[country, education] += people
            return ""
        return self._person_row(row, country, people)

    def _person_row(self, row: dict[str, str], country: str, people: float) -> str:
        sex, age = (row.get("sex") or "").strip(), (row.get("age") or "").strip()
        if sex not in SEXES:
            return f"sex {sex!r} is not female or male"
        try:
            first, last = _years(age)
        except ValueError:
            return f"age {age!r} is not like 25-29, 100+ or 40"
        self.countries[country] += people
        self.by_sex[country, sex] += people
        self.regions[country] = (row.get("region") or "").strip() or REGION_GAPS.get(country, "")
        for year in range(first, last + 1):  # split evenly over the group's years
            self.by_year[country, year] += people / (last - first + 1)
        return ""

    def population(self) -> Population:
        return Population(
            dict(self.countries),
            dict(self.by_sex),
            dict(self.by_year),
            self.regions,
            dict(self.education),
        )


def _years(age: str) -> tuple[int, int]:
    if age.endswith("+"):
        return int(age[:-1]), OLDEST - 1
    if age.isdigit():
        return int(age), int(age)
    first, last = age.split("-")
    if int(first) > int(last):
        raise ValueError(age)
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
    educations: Sequence[str] | None = None,
    education_keys: list[str] | None = None,
) -> list[Margin]:
    """Margins for a survey's responses (one entry per response in each sequence): each
    country's share of the world, and within each country the age groups and the sexes.
    Countries without figures, unknown age groups and other genders are unknown (-1) on
    the margins they concern; thin categories are merged within their country (collapse).
    With `sizes`, each entry stands for that many responses (cells of a roll-up). Where the
    population has education figures and `educations` (each entry's option key, among
    `education_keys`) are given, each such country's education shares are a margin too;
    entries of countries without them are unknown to it."""
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
    if population.education and educations is not None and education_keys:
        margins.append(_education_margin(population, names, country, educations, education_keys))
    weights = None if sizes is None else np.asarray(sizes, dtype=float)
    return [collapse(margin, min_count=min_count, sizes=weights) for margin in margins]


def _education_margin(
    population: Population,
    names: list[str],
    country: NDArray[np.int64],
    educations: Sequence[str],
    keys: list[str],
) -> Margin:
    people = np.array([population.countries[name] for name in names])
    within = np.array([[population.education.get((n, k), 0.0) for k in keys] for n in names])
    totals = within.sum(axis=1, keepdims=True)
    within = np.divide(within, totals, out=np.zeros_like(within), where=totals > 0)
    covered = totals[:, 0] > 0
    code = np.array([_index(keys, key) for key in educations], dtype=np.int64)
    code = np.where((country >= 0) & covered[np.maximum(country, 0)], code, -1)
    shares = (people / people.sum())[:, None] * within
    return Margin(
        "country x education",
        joint(country, code, len(keys)),
        (shares / shares.sum()).ravel(),
        np.repeat(np.arange(len(names)), len(keys)),
    )


def _index(keys: list[str], key: str) -> int:
    return keys.index(key) if key in keys else -1
