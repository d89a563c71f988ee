"""Writes of the operations app: heartbeats and handing back abandoned tasks.

Heartbeats are machine state written every few seconds, not decisions of a person: they
leave no audit entry (the audit trail would be nothing else). Handing back a task does.
"""

import logging
import os
import socket
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from globaldialogue.audit.actions import record
from globaldialogue.operations.access import alive_names, dead_before
from globaldialogue.operations.models import Heartbeat

log = logging.getLogger(__name__)


def process_name() -> str:
    """This process, as heartbeats and task claims name it (at most 64 characters)."""
    return f"{socket.gethostname()[:50]}-{os.getpid()}"


def record_heartbeat(*, kind: str, name: str = "") -> None:
    now = timezone.now()
    beat = {"kind": kind, "host": socket.gethostname(), "pid": os.getpid(), "beat_at": now}
    Heartbeat.objects.update_or_create(
        name=name or process_name(),
        defaults=beat,
        create_defaults={**beat, "started_at": now},
    )


def forget_heartbeat(*, name: str = "") -> None:
    """A process stopping cleanly says so, rather than leaving readiness to time it out."""
    Heartbeat.objects.filter(name=name or process_name()).delete()


def hand_back_abandoned_tasks() -> int:
    """Tasks claimed by a worker that has stopped beating (killed, or its machine lost) go
    back to the queue, to be run again by whichever worker is free. Our tasks are written to
    be run twice safely (a tally claims its rows in the transaction that counts them)."""
    alive, grace = alive_names(Heartbeat.Kind.WORKER), dead_before()
    if settings.TASKS_BACKEND == "database":
        handed = _hand_back_database(alive, grace)
    elif settings.TASKS_BACKEND == "rq":
        handed = _hand_back_rq(alive, grace)
    else:
        return 0
    if handed:
        log.warning("handed back %d task(s) of workers that stopped beating", len(handed))
        record(action="hand_back_tasks", summary={"count": len(handed), "tasks": handed[:100]})
    return len(handed)


def _hand_back_database(alive: set[str], grace: datetime) -> list[str]:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    handed = []
    for result in DBTaskResult.objects.running().filter(started_at__lt=grace):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        updated = DBTaskResult.objects.filter(pk=result.pk, status=result.status).update(
            status=TaskResultStatus.READY, started_at=None
        )
        if updated:
            handed.append(str(result.pk))
    return handed


def _hand_back_rq(alive: set[str], grace: datetime) -> list[str]:
    import django_rq
    from rq.job import Job, JobStatus
    from rq.registry import StartedJobRegistry

    queue = django_rq.get_queue("default")
    registry = StartedJobRegistry(queue=queue)
    handed = []
    for job_id, _execution in registry.get_job_and_execution_ids(cleanup=False):
        job = Job.fetch(job_id, connection=queue.connection)
        if job.get_status() != JobStatus.STARTED or job.worker_name in alive:
            continue
        if job.started_at and job.started_at > grace:  # its worker may not have beaten yet
            continue
        registry.remove_executions(job)
        queue.enqueue_job(job)
        handed.append(job_id)
    return handed
