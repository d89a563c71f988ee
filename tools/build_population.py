"""Rebuild weighting/data/population_2020.csv from the shared WPP 2019 extract.

Maps ISO 3166-1 numeric codes to alpha-2 (what surveys store) with pycountry, which is not
a dependency: `pip install pycountry` in a scratch environment, then
`python tools/build_population.py ../shared/data/wpp2019/population_2020_by_country_sex_age.csv`.
Figures are copied unchanged.
"""

import csv
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "src/globaldialogue/weighting/data/population_2020.csv"
# Areas WPP lists by their own numeric code that pycountry files under another one.
EXTRA = {"830": "JE"}  # Channel Islands: reported together, kept under Jersey's code


def alpha2(numeric: str) -> str | None:
    found = pycountry.countries.get(numeric=numeric.zfill(3))
    return found.alpha_2 if found else EXTRA.get(numeric)


def main(source: str) -> None:
    skipped = set()
    with Path(source).open(newline="", encoding="utf-8") as given, OUT.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["country", "region", "sex", "age", "population_thousands"])
        for row in csv.DictReader(given):
            code = alpha2(row["iso_numeric"])
            if code is None:
                skipped.add(row["country"])
                continue
            age = row["age"]
            writer.writerow([code, row["region"], row["sex"], age, row["population_thousands"]])
    print(f"wrote {OUT}; skipped (no ISO code): {sorted(skipped) or 'none'}")


if __name__ == "__main__":
    main(sys.argv[1])
