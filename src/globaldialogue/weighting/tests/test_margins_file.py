"""Organizers' own margins: a population CSV (country, sex, age, population; education rows
optional) read into a Population, refused row by row when wrong, and raking to it, education
included, recovers its shares from a biased sample."""

import io

import numpy as np
import pytest

from globaldialogue.weighting import rake
from globaldialogue.weighting.population import PopulationError, read_population, world_margins

CITY = """country,sex,age,education,population
FR,female,15-29,,300
FR,male,15-29,,300
FR,female,30-64,,250
FR,male,30-64,,150
FR,,,primary,200
FR,,,secondary,500
FR,,,tertiary,300
"""


def test_a_margins_file_is_read_with_education():
    people = read_population(io.StringIO(CITY))
    assert people.countries == {"FR": 1000.0}
    assert people.by_sex[("FR", "female")] == 550.0
    assert people.education[("FR", "tertiary")] == 300.0
    assert sum(v for (c, y), v in people.by_year.items() if 15 <= y <= 29) == pytest.approx(600)
    assert people.regions["FR"] == ""  # none given; the dashboard falls back on WPP's


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("land,people\nFR,1\n", "the header lacks country, population_thousands"),
        ("country,sex,age,population\nFRA,female,0-4,10\n", "row 2: country 'FRA'"),
        ("country,sex,age,population\nFR,female,0-4,many\n", "row 2: population 'many'"),
        ("country,sex,age,population\nFR,female,0-4,-3\n", "row 2: population cannot be"),
        ("country,sex,age,population\nFR,female,0-4,nan\n", "row 2: population 'nan' is not a"),
        ("country,sex,age,population\nFR,female,0-4,inf\n", "row 2: population 'inf' is not a"),
        ("country,sex,age,population\nFR,fe\rmale,0-4,1\n", "not a readable CSV file"),
        ("country,sex,age,population\nFR,other,0-4,3\n", "row 2: sex 'other'"),
        ("country,sex,age,population\nFR,male,old,3\n", "row 2: age 'old'"),
        ("country,sex,age,population\n", "no rows of people"),
    ],
)
def test_a_wrong_file_is_refused_saying_where(text, problem):
    with pytest.raises(PopulationError) as refused:
        read_population(io.StringIO(text))
    assert problem in str(refused.value)


def test_raking_to_the_file_recovers_its_education_shares():
    people = read_population(io.StringIO(CITY))
    rng = np.random.default_rng(3)
    n = 4000
    # A sample with far too many graduates and young women.
    education = rng.choice(["primary", "secondary", "tertiary"], n, p=[0.1, 0.3, 0.6])
    sex = rng.choice(["female", "male"], n, p=[0.7, 0.3])
    age = rng.choice(["15_29", "30_64"], n, p=[0.8, 0.2])
    margins = world_margins(
        people,
        countries=["FR"] * n,
        ages=age.tolist(),
        genders=sex.tolist(),
        age_groups=["15_29", "30_64"],
        educations=education.tolist(),
        education_keys=["primary", "secondary", "tertiary"],
    )
    assert [m.name for m in margins][-1] == "country x education"
    fit = rake(margins, cap=None)
    assert fit.converged
    for key, share in (("primary", 0.2), ("secondary", 0.5), ("tertiary", 0.3)):
        assert fit.weights[education == key].sum() / n == pytest.approx(share, abs=1e-4)
    assert fit.weights[sex == "female"].sum() / n == pytest.approx(0.55, abs=1e-4)
