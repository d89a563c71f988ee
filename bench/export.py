"""Export speed and memory: export-responses of 1.5M responses, for analysts and public.

Loads N synthetic responses of the demo survey (the demo's own answer generator, canonical
answers as intake stores them) straight into a fresh PostgreSQL database with COPY, then
runs `globaldialogue export-responses` to CSV and Parquet, for analysts and `--public`, as
child processes and reads their wall time and peak memory (wait4). Baseline in the same
run: PostgreSQL's own `COPY (SELECT ...) TO STDOUT` of the same rows, the raw JSON answers
unflattened, through psql.

    .venv/bin/python bench/export.py [--size 1500000]
"""

import argparse
import json
import os
import random
import subprocess
import time
import uuid

import psycopg
from common import (
    BIN,
    OUT,
    PG_ADMIN,
    environment,
    fresh_database,
    globaldialogue,
    machine,
    save,
    setup_django,
)

DATABASE = ""  # set by main()


def measured(command: list[str], env: dict[str, str], stdout: object = None) -> dict:
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=stdout or subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{command[0]} failed with status {status}")
    return {"seconds": round(elapsed, 1), "peak_memory_mb": round(usage.ru_maxrss / 1024)}


def load(env: dict[str, str], size: int) -> dict:
    """N responses of the demo survey, generated as the demo generates them, via COPY."""
    setup_django(env)
    from globaldialogue.surveys.definition import definition_for
    from globaldialogue.surveys.demo import COUNTRY_WEIGHTS, _synthetic
    from globaldialogue.surveys.models import Survey

    survey = Survey.objects.select_related("current_version").get(slug="un75")
    definition = definition_for(survey.current_version)
    started = time.perf_counter()
    columns = "id, survey_id, version_id, language, channel, answers, content_hash, receipt, "
    columns += "submitted_at, is_synthetic"
    statement = f"COPY surveys_response ({columns}) FROM STDIN"
    with psycopg.connect(DATABASE) as connection, connection.cursor().copy(statement) as copy:
        rows = _synthetic(definition, random.Random(1), size, COUNTRY_WEIGHTS)
        for index, row in enumerate(rows):
            answers = json.dumps(row.answers, ensure_ascii=False)
            copy.write_row(
                (
                    row.id or uuid.uuid4(),
                    survey.pk,
                    survey.current_version_id,
                    row.language,
                    "web" if index % 3 else "partner",
                    answers,
                    f"{index:064x}",
                    f"R{index:010d}"[:11],
                    row.submitted_at,
                    False,
                )
            )
    return {"load_seconds": round(time.perf_counter() - started, 1)}


def export(env: dict[str, str], kind: str, *, public: bool = False) -> dict:
    path = OUT / f"export{'-public' if public else ''}.{kind}"
    command = [
        str(BIN / "globaldialogue"),
        "export-responses",
        "--survey",
        "un75",
        "--format",
        kind,
        "--output",
        str(path),
        *(["--public"] if public else []),
    ]
    result = measured(command, env)
    result["megabytes"] = round(path.stat().st_size / 1e6)
    return result


def copy_baseline(env: dict[str, str]) -> dict:
    path = OUT / "copy.csv"
    sql = (
        "COPY (SELECT id, submitted_at, language, channel, version_id, answers "
        "FROM surveys_response ORDER BY submitted_at, id) TO STDOUT WITH CSV HEADER"
    )
    with path.open("wb") as handle:
        result = measured(["psql", DATABASE, "-q", "-c", sql], env, stdout=handle)
    result["megabytes"] = round(path.stat().st_size / 1e6)
    return result


def main() -> None:
    global DATABASE
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_500_000)
    parser.add_argument(
        "--reuse", action="store_true", help="Export the responses a previous run loaded."
    )
    arguments = parser.parse_args()
    size = arguments.size
    if arguments.reuse:
        DATABASE = PG_ADMIN.rsplit("/", 1)[0] + "/gd_bench_export"
        env = environment(DATABASE)
        loaded: dict = {}
    else:
        DATABASE = fresh_database("gd_bench_export")
        env = environment(DATABASE)
        globaldialogue(env, "migrate", "--verbosity", "0")
        globaldialogue(env, "demo", "--no-sample")
        loaded = load(env, size)
    base = copy_baseline(env)
    results = {
        "csv": export(env, "csv"),
        "parquet": export(env, "parquet"),
        "public_csv": export(env, "csv", public=True),
        "public_parquet": export(env, "parquet", public=True),
    }
    save(
        "export",
        {
            "machine": machine(),
            "responses": size,
            **loaded,
            "baseline_psql_copy": base,
            **results,
            "ratio_csv_seconds_to_copy": round(results["csv"]["seconds"] / base["seconds"], 1),
        },
    )


if __name__ == "__main__":
    main()
