"""Export speed and memory: export-responses of the results bench's 1M responses.

Runs `globaldialogue export-responses` to CSV and to Parquet as child processes and reads
their wall time and peak memory (wait4). Baseline in the same run: PostgreSQL's own
`COPY (SELECT ...) TO STDOUT` of the same rows, the raw JSON answers unflattened, through psql.
Run bench/results.py first (it loads the data).

    .venv/bin/python bench/export.py
"""

import os
import subprocess
import time

from common import BIN, OUT, PG_ADMIN, environment, machine, save

DATABASE = PG_ADMIN.rsplit("/", 1)[0] + "/gd_bench_results"


def measured(command: list[str], env: dict[str, str], stdout: object = None) -> dict:
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=stdout or subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{command[0]} failed with status {status}")
    return {"seconds": round(elapsed, 1), "peak_memory_mb": round(usage.ru_maxrss / 1024)}


def export(env: dict[str, str], kind: str) -> dict:
    path = OUT / f"export.{kind}"
    command = [
        str(BIN / "globaldialogue"),
        "export-responses",
        "--survey",
        "un75",
        "--format",
        kind,
        "--output",
        str(path),
        "--include-synthetic",
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
    env = environment(DATABASE)
    rows = subprocess.run(
        ["psql", DATABASE, "-tAc", "SELECT count(*) FROM surveys_response"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    base = copy_baseline(env)
    csv_result = export(env, "csv")
    parquet = export(env, "parquet")
    save(
        "export",
        {
            "machine": machine(),
            "responses": int(rows),
            "baseline_psql_copy": base,
            "csv": csv_result,
            "parquet": parquet,
            "ratio_csv_seconds_to_copy": round(csv_result["seconds"] / base["seconds"], 1),
        },
    )


if __name__ == "__main__":
    main()
