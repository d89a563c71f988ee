"""Results at scale: 1M stored responses; tally speed; results API and page latency.

Loads N synthetic responses (countries spread over all 249, Zipf-like) into a fresh
PostgreSQL database through the normal intake action, times the tally worker's roll-up, then
measures p50/p95 of the results API and page over HTTP with the results cache off.
Baseline in the same run: the same counts computed straight from the responses with SQL
GROUP BY over the JSON answers (what a page would cost without the roll-up).

    .venv/bin/python bench/results.py [--size 1000000]
"""

import argparse
import statistics
import sys
import time

import httpx
from common import (
    PG_ADMIN,
    Server,
    environment,
    fresh_database,
    globaldialogue,
    machine,
    save,
    setup_django,
)

BASELINE_SQL = """
SELECT e.key, CASE jsonb_typeof(v) WHEN 'object' THEN v->>'option' ELSE v #>> '{}' END, count(*)
FROM surveys_response r
CROSS JOIN LATERAL jsonb_each(r.answers) e
CROSS JOIN LATERAL jsonb_array_elements(
  CASE jsonb_typeof(e.value) WHEN 'array' THEN e.value ELSE jsonb_build_array(e.value) END) v
WHERE r.survey_id = %s AND e.key NOT IN ('advice')
GROUP BY 1, 2 EXTRA
"""


def load(size: int) -> dict:
    from globaldialogue.lib.countries import country_codes
    from globaldialogue.surveys.demo import load_synthetic_sample
    from globaldialogue.surveys.models import Survey

    survey = Survey.objects.select_related("current_version").get(slug="un75")
    codes = sorted(country_codes())
    countries = {code: 1 / (rank + 1) for rank, code in enumerate(codes)}
    start = time.perf_counter()
    load_synthetic_sample(survey, size, countries=countries, batch_size=2000)
    loaded = time.perf_counter() - start
    return {"load_seconds": round(loaded, 1), "intake_action_per_second": round(size / loaded)}


def tally() -> dict:
    """The whole backlog through the tally worker's step, from an empty roll-up."""
    from django.db import connection

    from globaldialogue.results.actions import tally_all
    from globaldialogue.surveys.models import Survey

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM results_tally")
        cursor.execute("UPDATE surveys_response SET tallied_at = NULL")
        cursor.execute("VACUUM ANALYZE surveys_response")
    start = time.perf_counter()
    tallied = tally_all()
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE surveys_response")
    return {
        "survey_id": Survey.objects.get(slug="un75").pk,
        "tallied": tallied,
        "tally_seconds": round(seconds, 1),
        "tally_per_second": round(tallied / seconds),
    }


def refresh(survey_id: int) -> float:
    """The worker's extra step after each tally run: every breakdown's results, stored."""
    from globaldialogue.results.actions import refresh_snapshots

    start = time.perf_counter()
    refresh_snapshots(survey_ids={survey_id})
    return round((time.perf_counter() - start) * 1000)


def stored_count(url: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT count(*) FROM surveys_response").fetchone()[0]
    except psycopg.Error:
        return 0


def baseline(survey_id: int, by: str) -> float:
    from django.db import connection

    extra = f", r.answers->>'{by}'" if by else ""
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL.replace("EXTRA", extra), [survey_id])
        cursor.fetchall()
        cursor.execute("SELECT count(*) FROM surveys_response WHERE survey_id = %s", [survey_id])
    return (time.perf_counter() - start) * 1000


def latency(url: str, path: str, count: int) -> dict:
    times = []
    with httpx.Client(base_url=url, timeout=60) as http:
        http.get(path).raise_for_status()
        for _ in range(count):
            start = time.perf_counter()
            http.get(path).raise_for_status()
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--reuse", action="store_true", help="Keep the responses of an earlier run; re-tally them."
    )
    parser.add_argument(
        "--keep-tallies", action="store_true", help="With --reuse: keep the roll-up as well."
    )
    args = parser.parse_args()
    url = PG_ADMIN.rsplit("/", 1)[0] + "/gd_bench_results"
    reuse = args.reuse and stored_count(url) == args.size
    if not reuse:
        url = fresh_database("gd_bench_results")
    env = environment(url, GLOBALDIALOGUE_RESULTS_CACHE_SECONDS="0")
    globaldialogue(env, "migrate", "--verbosity", "0")
    globaldialogue(env, "demo", "--no-sample")
    setup_django(env)
    loaded = {} if reuse else load(args.size)
    if reuse and args.keep_tallies:
        from globaldialogue.surveys.models import Survey

        loaded["survey_id"] = Survey.objects.get(slug="un75").pk
    else:
        loaded.update(tally())
    loaded["snapshot_refresh_ms"] = refresh(loaded["survey_id"])
    server = Server(env, workers=2)
    try:
        pages = {
            "api_overall": "/api/surveys/un75/results?lang=en",
            "api_by_country": "/api/surveys/un75/results?lang=en&by=country",
            "page_overall": "/s/un75/results?lang=fr",
            "page_by_age_group": "/s/un75/results?lang=ar&by=age_group",
        }
        measured = {name: latency(server.url, path, args.requests) for name, path in pages.items()}
    finally:
        server.stop()
    base = {
        "overall": baseline(loaded["survey_id"], ""),
        "by_country": baseline(loaded["survey_id"], "country"),
    }
    save(
        "results",
        {
            "machine": machine(),
            "responses": args.size,
            **loaded,
            "uncached": measured,
            "baseline_sql_group_by_ms": {k: round(v) for k, v in base.items()},
            "ratio_baseline_to_api_p95": {
                "overall": round(base["overall"] / measured["api_overall"]["p95_ms"], 1),
                "by_country": round(base["by_country"] / measured["api_by_country"]["p95_ms"], 1),
            },
        },
    )


if __name__ == "__main__":
    sys.exit(main())
