"""Dashboard latency at 10M responses: the consultation dashboard over HTTP with filters.

The dashboard reads only the roll-up (results.Tally), never responses, so this sets up the
roll-up 10 million responses leave: their answers simulated with NumPy (countries Zipf-like
over 193, opinions that differ by country and age so weighting moves them), counted per
country x age group x gender x education cell and per breakdown exactly as the tally worker
counts, and written with COPY. Then it times the snapshot refresh (cells read, raked,
stored) and 200 dashboard requests with random filters (region, country, age group, gender,
education; weighted or counted) over HTTP, two uvicorn workers, results cache irrelevant
(the dashboard has none). Baseline in the same run: the same filtered counts summed by
PostgreSQL from the roll-up's counters (GROUP BY over the cell counters matching the filter)
for the same filters, the query a dashboard without the stored cell table would run.

    .venv/bin/python bench/dashboard.py [--size 10000000]
"""

import argparse
import io
import random
import statistics
import time

import httpx
import numpy as np
import psycopg
from common import (
    Server,
    environment,
    fresh_database,
    globaldialogue,
    machine,
    save,
    setup_django,
    shell_output,
)

AGES = ["under_16", "16_30", "31_45", "46_60", "61_75", "over_75", ""]
GENDERS = ["female", "male", "another", "prefer_not", ""]
EDUCATION = ["none", "primary", "secondary", "tertiary", "prefer_not", ""]


def definition_questions(env: dict[str, str]) -> list[tuple[str, str, list[str]]]:
    """(key, type, option keys) of the demo survey's closed questions."""
    setup_django(env)
    from globaldialogue.surveys.definition import definition_for
    from globaldialogue.surveys.models import Survey

    survey = Survey.objects.select_related("current_version").get(slug="un75")
    definition = definition_for(survey.current_version)
    return [
        (q.key, q.type, [o.key for o in q.options])
        for q in definition.questions
        if q.is_choice and q.type != "country"
    ]


def simulate(size: int, questions: list, seed: int = 5) -> dict[tuple[str, str, str], int]:
    """(cell, question, option) -> count for `size` responses."""
    from globaldialogue.weighting.population import world_population

    rng = np.random.default_rng(seed)
    countries = sorted(world_population().countries)[:193]
    share = 1 / np.arange(1, len(countries) + 1)
    rng.shuffle(share)
    cells = [(c, a, g, e) for c in countries for a in AGES for g in GENDERS for e in EDUCATION]
    weights = np.array(
        [share[countries.index(c)] * (0.3 if "" in (a, g, e) else 1.0) for c, a, g, e in cells]
    )
    sizes = rng.multinomial(size, weights / weights.sum())
    counts: dict[tuple[str, str, str], int] = {}
    for (country, age, gender, education), n in zip(cells, sizes, strict=True):
        if n == 0:
            continue
        cell = f"{country}|{age}|{gender}|{education}"
        counts[(cell, "", "")] = int(n)
        lean = (hash(country) % 7) / 10 + AGES.index(age) / 20
        for key, kind, options in questions:
            given = {"age_group": age, "gender": gender, "education": education}.get(key)
            if given is not None:
                if given:
                    counts[(cell, key, "")] = int(n)
                    counts[(cell, key, given)] = int(n)
                continue
            answered = int(rng.binomial(n, 0.94))
            counts[(cell, key, "")] = answered
            probabilities = np.array([1 + lean * i for i in range(len(options))], dtype=float)
            probabilities /= probabilities.sum()
            if kind == "multiple":
                for option, p in zip(options, probabilities, strict=True):
                    counts[(cell, key, option)] = int(rng.binomial(answered, min(1, 2.5 * p)))
            else:
                for option, k in zip(
                    options, rng.multinomial(answered, probabilities), strict=True
                ):
                    counts[(cell, key, option)] = int(k)
    return counts


def tally_rows(survey_id: int, cells: dict[tuple[str, str, str], int]) -> io.StringIO:
    """The roll-up's rows: every cell counter, plus overall and per-breakdown sums."""
    sums: dict[tuple[str, str, str, str], int] = {}
    for (cell, question, option), count in cells.items():
        country, age, gender, education = cell.split("|")
        groups = [("", ""), ("country", country), ("age_group", age), ("gender", gender)]
        groups += [("education", education), ("*cell", cell)]
        for dimension, value in groups:
            key = (dimension, value, question, option)
            sums[key] = sums.get(key, 0) + count
    # Responses ever counted: a release is due (results.releases).
    sums[("*tallied", "", "", "")] = sums[("", "", "", "")]
    keys = np.random.default_rng(11).integers(0, 1 << 32, size=len(sums))  # sums of record keys
    out = io.StringIO()
    for ((dimension, value, question, option), count), key in zip(sums.items(), keys, strict=True):
        if count:
            row = f"{survey_id}\t{question}\t{option}\t{dimension}\t{value}\tf\t{count}\t{key}"
            out.write(row + "\n")
    out.seek(0)
    return out


def load_rollup(database: str, cells: dict) -> int:
    with psycopg.connect(database) as connection:
        survey_id = connection.execute(
            "SELECT id FROM surveys_survey WHERE slug='un75'"
        ).fetchone()[0]
        columns = "survey_id, question, option, dimension, value, is_synthetic, count, cell_key"
        with connection.cursor().copy(f"COPY results_tally ({columns}) FROM STDIN") as copy:
            copy.write(tally_rows(survey_id, cells).read())
        rows = connection.execute("SELECT count(*) FROM results_tally").fetchone()[0]
    return int(rows)


def refresh(env: dict[str, str]) -> float:
    code = (
        "import time;from globaldialogue.results.actions import refresh_snapshots;"
        "from globaldialogue.surveys.models import Survey;"
        "s=Survey.objects.get(slug='un75');t=time.perf_counter();"
        "refresh_snapshots(survey_ids={s.pk});print(time.perf_counter()-t)"
    )
    return float(shell_output(env, code).strip().splitlines()[-1])


def queries(count: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    regions = ["Southern Asia", "Western Africa", "Eastern Asia", "Western Europe", "South America"]
    countries = ["IN", "NG", "CN", "FR", "BR", "US", "KE", "DE", "ID", "MX"]
    chosen = []
    for _ in range(count):
        query: dict[str, str] = {"lang": rng.choice(["en", "fr", "ar", "zh-hans"])}
        if rng.random() < 0.5:
            query["region"] = rng.choice(regions)
        elif rng.random() < 0.6:
            query["country"] = rng.choice(countries)
        if rng.random() < 0.4:
            query["age_group"] = rng.choice(AGES[:6])
        if rng.random() < 0.3:
            query["gender"] = rng.choice(["female", "male"])
        if rng.random() < 0.2:
            query["education"] = rng.choice(EDUCATION[:4])
        if rng.random() < 0.3:
            query["view"] = "counted"
        chosen.append(query)
    return chosen


def over_http(url: str, chosen: list[dict[str, str]]) -> dict:
    timings = []
    with httpx.Client(base_url=url, timeout=30) as client:
        client.get("/r/un75/")  # each worker loads the table once per refresh
        client.get("/r/un75/")
        for query in chosen:
            start = time.perf_counter()
            response = client.get("/r/un75/", params=query)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 200, (query, response.status_code)
    return _percentiles(timings)


def baseline(database: str, chosen: list[dict[str, str]]) -> dict:
    """The filtered counts summed by PostgreSQL from the cell counters, per request."""
    from globaldialogue.results.regions import countries_in

    timings = []
    with psycopg.connect(database) as connection:
        for query in chosen:
            pattern = [query.get(k, "%") for k in ("country", "age_group", "gender", "education")]
            countries = countries_in(query["region"]) if "region" in query else None
            sql = (
                "SELECT question, option, sum(count) FROM results_tally "
                "WHERE dimension = '*cell' AND value LIKE %s"
                + (" AND split_part(value, '|', 1) = ANY(%s)" if countries else "")
                + " GROUP BY question, option"
            )
            params = ["|".join(pattern), *([countries] if countries else [])]
            start = time.perf_counter()
            connection.execute(sql, params).fetchall()
            timings.append(time.perf_counter() - start)
    return _percentiles(timings)


def _percentiles(timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {
        "p50_ms": round(1000 * statistics.median(ordered), 1),
        "p95_ms": round(1000 * ordered[int(0.95 * len(ordered)) - 1], 1),
        "requests": len(ordered),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000_000)
    parser.add_argument("--requests", type=int, default=200)
    arguments = parser.parse_args()
    size = arguments.size
    database = fresh_database("gd_bench_dashboard")
    env = environment(database)
    globaldialogue(env, "migrate", "--verbosity", "0")
    globaldialogue(env, "demo", "--no-sample")
    questions = definition_questions(env)
    started = time.perf_counter()
    cells = simulate(size, questions)
    simulated = time.perf_counter() - started
    rows = load_rollup(database, cells)
    refreshed = refresh(env)
    chosen = queries(arguments.requests)
    server = Server(env, workers=2)
    try:
        ours = over_http(server.url, chosen)
    finally:
        server.stop()
    theirs = baseline(database, chosen)
    save(
        "dashboard",
        {
            "machine": machine(),
            "responses": size,
            "tally_rows": rows,
            "cells": sum(1 for cell, q, o in cells if not q),
            "simulate_seconds": round(simulated, 1),
            "snapshot_refresh_seconds": round(refreshed, 2),
            "dashboard_http": ours,
            "baseline_sql_on_counters": theirs,
            "p95_ratio_baseline_to_ours": round(theirs["p95_ms"] / ours["p95_ms"], 2),
        },
    )


if __name__ == "__main__":
    main()
