"""Run background tasks: the database queue embedded, RQ on Redis in production.

SIGTERM or SIGINT: the current task is finished, then the worker exits. Killed outright
(SIGKILL, a lost machine), its claimed task is handed back to the queue by another worker
once this one has missed its heartbeats (GLOBALDIALOGUE_WORKER_DEAD_SECONDS).
"""

import argparse
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from globaldialogue.messaging.tasks import plan_background
from globaldialogue.operations.heartbeat import Beater
from globaldialogue.results.tasks import tally_task


class Command(BaseCommand):
    help = "Run the background task worker (as many as you like, on any machine)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--max-tasks", type=int, default=None, help="Stop after this many.")
        # Set by `serve` for the worker it starts: stop when that process is gone.
        parser.add_argument("--parent", type=int, default=None, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TASKS_BACKEND not in ("database", "rq"):
            raise CommandError(f"The {settings.TASKS_BACKEND} task backend needs no worker.")
        beater = Beater(kind="worker", parent=options["parent"])
        beater.beat()  # alive before the first claim, and abandoned tasks handed back
        beater.start()
        try:
            # Catch up on anything committed while no worker ran (e.g. a web process was
            # killed between a commit and queueing its tally job).
            tally_task.enqueue()
            plan_background()  # text chats to follow up, RapidPro flows to poll
            _work(beater.name_, options["max_tasks"])
        finally:
            beater.stop()


def _work(name: str, max_tasks: int | None) -> None:
    if settings.TASKS_BACKEND == "database":
        call_command(
            "db_worker",
            queue_name="*",
            interval=0.5,
            reload=False,
            max_tasks=max_tasks,
            startup_delay=False,
            worker_id=name,
        )
    else:
        call_command(
            "rqworker",
            "default",
            job_class="django_tasks_rq.Job",
            with_scheduler=True,
            max_jobs=max_tasks,
            name=name,
        )
