"""Survey intake: acknowledged submissions per second over HTTP, against a baseline.

Production set-up: `globaldialogue serve --workers 2` (uvicorn, ASGI) on PostgreSQL, rate
limits off, the load generator (wrk, 64 connections) on the same 2 cores. Baseline, same run,
same database: one Python client doing single-row INSERT + COMMIT of the same rows.

    .venv/bin/python bench/intake.py [--seconds 20]
"""

import argparse
import json
import subprocess
import time
import uuid

import psycopg
from common import (
    ROOT,
    Server,
    environment,
    fresh_database,
    globaldialogue,
    machine,
    save,
    wrk_result,
)

ANSWERS = {
    "future_outlook": "better",
    "world_2045": ["environment", "less_conflict"],
    "trends": ["climate", "health"],
    "cooperation": "essential",
    "covid_views": "more",
    "advice": "Listen to young people.",
    "age_group": "16_30",
    "gender": "female",
    "country": "NG",
}


def baseline(url: str, seconds: float) -> float:
    """One client, one row per transaction: INSERT + COMMIT, as fast as it goes."""
    with psycopg.connect(url) as conn:
        survey_id, version_id = conn.execute(
            "SELECT id, current_version_id FROM surveys_survey WHERE slug = 'un75'"
        ).fetchone()
        answers = json.dumps(ANSWERS)
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            conn.execute(
                "INSERT INTO surveys_response (id, survey_id, version_id, language, channel, "
                "answers, content_hash, receipt, submitted_at, is_synthetic) "
                "VALUES (%s, %s, %s, 'en', 'api', %s::jsonb, %s, %s, now(), false)",
                (uuid.uuid4(), survey_id, version_id, answers, "0" * 64, "XXXXX-XXXXX"),
            )
            conn.commit()
            count += 1
        elapsed = time.perf_counter() - start
        conn.execute("DELETE FROM surveys_response")
        conn.commit()
    return count / elapsed


def load(url: str, seconds: int, connections: int) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(ROOT / "bench" / "intake.lua"),
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return wrk_result(output)


def stored(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM surveys_response").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    url = fresh_database("gd_bench_intake")
    env = environment(url)
    globaldialogue(env, "migrate", "--verbosity", "0")
    globaldialogue(env, "demo", "--no-sample")
    base = baseline(url, seconds=10)
    server = Server(env, workers=args.workers)
    try:
        load(server.url, 3, args.connections)  # warm up the processes and the pool
        before = stored(url)
        result = load(server.url, args.seconds, args.connections)
        time.sleep(1)
        result["stored"] = stored(url) - before
    finally:
        server.stop()
    acknowledged = result["requests"] - result["non_2xx"]
    save(
        "intake",
        {
            "machine": machine(),
            "baseline_single_row_commit_per_second": round(base),
            "intake": result,
            "acknowledged_all_stored": result["stored"] >= acknowledged,
            "ratio_to_baseline": round(result["per_second"] / base, 2),
        },
    )


if __name__ == "__main__":
    main()
