"""One JSON log line per task queued (with the request that queued it) and per task run
(with how it ended and how long it took), and the task counter of /metrics."""

import logging
from typing import Any

from django.dispatch import receiver
from django_tasks.signals import task_enqueued, task_finished

from globaldialogue.lib.metrics import TASKS

log = logging.getLogger("globaldialogue.tasks")


@receiver(task_enqueued)
def log_enqueued(sender: Any, task_result: Any, **kwargs: Any) -> None:
    # The line carries the queuing request's id (lib/jsonlog.py): request -> task id.
    fields = {"task": task_result.task.name, "task_id": str(task_result.id)}
    log.info("task queued", extra={"fields": fields})


@receiver(task_finished)
def log_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    outcome = str(task_result.status).lower().rsplit(".", 1)[-1]
    started, finished = task_result.started_at, task_result.finished_at
    seconds = (finished - started).total_seconds() if started and finished else None
    TASKS.labels(task_result.task.name, outcome).inc()
    fields = {
        "task": task_result.task.name,
        "task_id": str(task_result.id),
        "outcome": outcome,
        "seconds": seconds and round(seconds, 3),
    }
    log.info("task", extra={"fields": fields})
