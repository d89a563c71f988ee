"""What readiness and the metrics read from the shared stores: the database, Redis, the
task queue, the workers' heartbeats and the tally's backlog."""

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Min
from django.utils import timezone

from globaldialogue.dialogues.models import Room
from globaldialogue.operations.access import alive_names
from globaldialogue.operations.models import Heartbeat
from globaldialogue.surveys.models import Response

ROOM_ACTIVE_SECONDS = 15 * 60
_migrated = False  # once migrated, stays so for this process's code


@dataclass(frozen=True)
class Backlog:
    responses: int
    lag_seconds: float  # how long the oldest uncounted response has waited


@dataclass(frozen=True)
class Queue:
    name: str
    depth: int
    age_seconds: float  # how long the oldest waiting task has waited


def check_database() -> dict[str, Any]:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True, "vendor": connections[DEFAULT_DB_ALIAS].vendor}


def check_migrated() -> dict[str, Any]:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        _migrated = not plan
        if plan:
            return {"ok": False, "unapplied": len(plan)}
    return {"ok": True}


def check_redis() -> dict[str, Any]:
    if not settings.REDIS_URL:
        return {"ok": True, "configured": False}
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return {"ok": True, "configured": True}


def check_worker() -> dict[str, Any]:
    if settings.TASKS_BACKEND == "immediate":
        return {"ok": True, "needed": False}
    last = Heartbeat.objects.filter(kind=Heartbeat.Kind.WORKER).order_by("-beat_at").first()
    age = (timezone.now() - last.beat_at).total_seconds() if last else None
    alive = len(alive_names(Heartbeat.Kind.WORKER))
    return {"ok": alive > 0, "alive": alive, "last_beat_seconds": age and round(age, 1)}


def check_backlog() -> dict[str, Any]:
    backlog = tally_backlog()
    return {
        "ok": backlog.responses < settings.READY_BACKLOG_LIMIT,
        "responses": backlog.responses,
        "lag_seconds": round(backlog.lag_seconds, 1),
        "limit": settings.READY_BACKLOG_LIMIT,
    }


CHECKS = {
    "database": check_database,
    "migrated": check_migrated,
    "redis": check_redis,
    "worker": check_worker,
    "backlog": check_backlog,
}


def readiness() -> dict[str, dict[str, Any]]:
    """Every check, each {"ok": ...} with what it saw; one failing does not hide the rest."""
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            results[name] = check()
        except Exception as problem:
            results[name] = {"ok": False, "error": f"{type(problem).__name__}: {problem}"[:300]}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return results


def tally_backlog() -> Backlog:
    waiting = Response.objects.filter(tallied_at__isnull=True)
    oldest = waiting.order_by("submitted_at").values_list("submitted_at", flat=True).first()
    return Backlog(waiting.count(), _age(oldest))


def task_queues() -> list[Queue]:
    if settings.TASKS_BACKEND == "rq":
        return _rq_queues()
    if settings.TASKS_BACKEND != "database":
        return []
    from django_tasks_db.models import DBTaskResult

    rows = (
        DBTaskResult.objects.ready()
        .values("queue_name")
        .annotate(depth=Count("id"), oldest=Min("enqueued_at"))
    )
    return [Queue(row["queue_name"], row["depth"], _age(row["oldest"])) for row in rows]


def _rq_queues() -> list[Queue]:
    import django_rq
    from rq.job import Job

    queue = django_rq.get_queue("default")
    first = queue.get_job_ids(0, 0)
    job = Job.fetch(first[0], connection=queue.connection) if first else None
    return [Queue("default", queue.count, _age(job.enqueued_at if job else None))]


def rooms_active() -> int:
    since = timezone.now() - timedelta(seconds=ROOM_ACTIVE_SECONDS)
    return Room.objects.filter(updated_at__gte=since).count()


def _age(moment: datetime | None) -> float:
    if moment is None:
        return 0.0
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (timezone.now() - moment).total_seconds())
