"""Votes through the API, and the next-statement pick at 10,000 statements.

1. Votes per second: `globaldialogue serve --workers 2` on PostgreSQL (durable commit, rate
   limits off), wrk with 64 connections posting votes from 100,000 signed partner ids on the
   demo conversation's 16 statements, on the same 2 cores. Baseline, same run and database: one
   client upserting the same kind of vote row, INSERT ... ON CONFLICT + COMMIT, as fast as
   it goes.
2. Next statement: GET /api/conversations/{slug}/next-statement for a participant who has
   voted on 1,000 of 10,000 statements, with a stored map holding every statement's counts;
   sequential requests, latency percentiles. Baseline, same run: the simplest correct pick
   in SQL (a random statement the participant has not voted on), timed on the same database.

    .venv/bin/python bench/votes.py [--seconds 20]
"""

import argparse
import hashlib
import hmac
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
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

STATEMENTS = 10_000
VOTED = 1_000


def statement_ids(url: str, slug: str) -> list[int]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT s.id FROM deliberation_statement s JOIN deliberation_conversation c "
            "ON c.id = s.conversation_id WHERE c.slug = %s ORDER BY s.id",
            (slug,),
        ).fetchall()
    return [row[0] for row in rows]


def baseline_votes(url: str, statements: list[int], seconds: float) -> float:
    """One client: INSERT ... ON CONFLICT DO UPDATE + COMMIT per vote."""
    with psycopg.connect(url) as conn:
        conversation, participant = conn.execute(
            "SELECT conversation_id, id FROM deliberation_participant LIMIT 1"
        ).fetchone()
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            conn.execute(
                "INSERT INTO deliberation_vote (conversation_id, participant_id, statement_id, "
                "value, voted_at) VALUES (%s, %s, %s, 1, now()) ON CONFLICT "
                "(participant_id, statement_id) DO UPDATE SET value = excluded.value, "
                "voted_at = excluded.voted_at",
                (conversation, participant, statements[count % len(statements)]),
            )
            conn.commit()
            count += 1
        return count / (time.perf_counter() - start)


def embed_secret(url: str, slug: str) -> bytes:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT embed_secret FROM deliberation_conversation WHERE slug = %s", (slug,)
        ).fetchone()
    return str(row[0]).encode()


def signed(secret: bytes, slug: str, xid: str) -> str:
    """A partner's signature of its user's id (docs/embedding.md)."""
    return hmac.new(secret, f"{slug}:{xid}".encode(), hashlib.sha256).hexdigest()


def people_file(secret: bytes, slug: str, count: int = 100_000) -> Path:
    """One signed id per line, as the JSON fragment votes.lua puts in each body."""
    path = Path(tempfile.gettempdir()) / "gd-bench-people.txt"
    xids = (f"bench-{n}" for n in range(count))
    lines = (f'"xid":"{xid}","xid_sig":"{signed(secret, slug, xid)}"' for xid in xids)
    path.write_text("\n".join(lines) + "\n")
    return path


def vote_load(server: Server, statements: list[int], people: Path, seconds: int) -> dict:
    def command(duration: int) -> list[str]:
        script = str(ROOT / "bench" / "votes.lua")
        ids = ",".join(map(str, statements))
        options = ["-t2", "-c64", f"-d{duration}s", "--latency", "-s", script]
        return ["wrk", *options, server.url, "--", ids, str(people)]

    subprocess.run(command(3), capture_output=True, check=True)  # warm up
    output = subprocess.run(command(seconds), capture_output=True, text=True, check=True)
    return wrk_result(output.stdout)


def big_conversation(env: dict) -> None:
    """10,000 statements, 300 synthetic voters, one participant with 1,000 votes, a map."""
    code = f"""
import numpy as np
from globaldialogue.consultations.models import Consultation
from globaldialogue.deliberation import actions
from globaldialogue.deliberation.actions import recompute_map
from globaldialogue.deliberation.models import Statement, Vote
conversation = actions.create_conversation(
    consultation=Consultation.objects.get(slug="un75"), slug="bench-10k",
    topic={{"en": "Ten thousand statements"}}, languages=["en"], status="open")
Statement.objects.bulk_create([
    Statement(conversation=conversation, text=f"Statement {{i}}",
              normalized=f"statement {{i}}", language="en", status="accepted")
    for i in range({STATEMENTS})])
ids = list(conversation.statements.values_list("pk", flat=True))
rng = np.random.default_rng(0)
def person(xid):
    return actions.join_conversation(conversation=conversation, xid=xid)
def vote(p, s, v):
    return Vote(conversation=conversation, participant=p, statement_id=s, value=v)
votes = [vote(person(f"crowd-{{i}}"), s, int(rng.integers(-1, 2)))
         for i in range(300) for s in rng.choice(ids, 200, replace=False)]
me = person("reader")
votes += [vote(me, s, 1) for s in ids[:{VOTED}]]
Vote.objects.bulk_create(votes, batch_size=5000)
recompute_map(conversation=conversation)
"""
    subprocess.run(
        [str(ROOT / ".venv/bin/globaldialogue"), "shell", "-c", code], env=env, check=True
    )


def next_statement_latency(server: Server, secret: bytes, requests: int = 300) -> dict:
    query = f"xid=reader&xid_sig={signed(secret, 'bench-10k', 'reader')}"
    url = f"{server.url}/api/conversations/bench-10k/next-statement?{query}"
    times = []
    with httpx.Client() as client:
        for _ in range(20):
            client.get(url)
        for _ in range(requests):
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append((time.perf_counter() - start) * 1000)
    return percentiles(times)


def baseline_pick_sql(url: str, requests: int = 300) -> dict:
    """A random statement the reader has not voted on, in one SQL query per pick."""
    sql = (
        "SELECT s.id FROM deliberation_statement s JOIN deliberation_conversation c ON "
        "c.id = s.conversation_id WHERE c.slug = 'bench-10k' AND s.status = 'accepted' AND "
        "NOT EXISTS (SELECT 1 FROM deliberation_vote v JOIN deliberation_participant p ON "
        "p.id = v.participant_id WHERE v.statement_id = s.id AND p.key_hash = %s) "
        "ORDER BY random() LIMIT 1"
    )
    key = hmac.new(b"bench-secret", b"xid:reader", hashlib.sha256).hexdigest()
    times = []
    with psycopg.connect(url) as conn:
        for _ in range(requests):
            start = time.perf_counter()
            assert conn.execute(sql, (key,)).fetchone() is not None
            times.append((time.perf_counter() - start) * 1000)
    return percentiles(times)


def percentiles(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    url = fresh_database("gd_bench_votes")
    env = environment(url, GLOBALDIALOGUE_RATE_VOTE_IP="0/1")
    globaldialogue(env, "migrate", "--verbosity", "0")
    globaldialogue(env, "demo", "--no-sample")
    seeds = statement_ids(url, "un75-priorities")
    big_conversation(env)
    people = people_file(embed_secret(url, "un75-priorities"), "un75-priorities")
    server = Server(env, workers=2)
    try:
        votes = vote_load(server, seeds, people, args.seconds)
        latency = next_statement_latency(server, embed_secret(url, "bench-10k"))
    finally:
        server.stop()
    with psycopg.connect(url) as conn:
        stored = conn.execute(
            "SELECT count(*) FROM deliberation_vote v JOIN deliberation_participant p "
            "ON p.id = v.participant_id"
        ).fetchone()[0]
    base = baseline_votes(url, seeds, seconds=10)
    save(
        "votes",
        {
            "machine": machine(),
            "votes_api": votes,
            "baseline_single_upsert_commit_per_second": round(base),
            "ratio_to_baseline": round(votes["per_second"] / base, 2),
            "votes_stored": stored,
            "next_statement_10k": latency,
            "next_statement_baseline_sql_random_unvoted": baseline_pick_sql(url),
        },
    )


if __name__ == "__main__":
    main()
