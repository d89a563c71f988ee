"""One JSON log line per task queued and per task run, carrying the id of the request that
queued it (nginx's X-Request-ID, lib/requestlog.py), and the task counter of /metrics.

The id travels beside the task, in the cache, for a day: with Redis (production) the worker
finds it and every line the task logs carries it; embedded, the worker is another process
with its own memory, and the queued line (request id and task id) is the link.
"""

import contextlib
import contextvars
import logging
from typing import Any

from django.core.cache import cache
from django.dispatch import receiver
from django_tasks.signals import task_enqueued, task_finished, task_started

from globaldialogue.lib.metrics import TASKS
from globaldialogue.lib.requestlog import REQUEST_ID

log = logging.getLogger("globaldialogue.tasks")
KEPT_SECONDS = 24 * 3600
_running: dict[str, contextvars.Token[str]] = {}


def _key(task_result: Any) -> str:
    return f"task-request:{task_result.id}"


@receiver(task_enqueued)
def log_enqueued(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if request_id := REQUEST_ID.get():
        cache.set(_key(task_result), request_id, timeout=KEPT_SECONDS)
    fields = {"task": task_result.task.name, "task_id": str(task_result.id)}
    log.info("task queued", extra={"fields": fields})


@receiver(task_started)
def take_request_id(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """The task's own log lines carry the request id from here to its end."""
    request_id = cache.get(_key(task_result)) or REQUEST_ID.get()
    _running[str(task_result.id)] = REQUEST_ID.set(request_id)


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
    if token := _running.pop(str(task_result.id), None):
        # ValueError: set in another context (a backend that ends tasks elsewhere).
        with contextlib.suppress(ValueError):
            REQUEST_ID.reset(token)
