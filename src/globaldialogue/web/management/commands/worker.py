"""Run background tasks: the database queue embedded, RQ on Redis in production."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from globaldialogue.results.tasks import tally_task


class Command(BaseCommand):
    help = "Run the background task worker (as many as you like, on any machine)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--max-tasks", type=int, default=None, help="Stop after this many.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Catch up on anything committed while no worker ran (e.g. a web process was killed
        # between a commit and queueing its tally job).
        tally_task.enqueue()
        if settings.TASKS_BACKEND == "database":
            call_command(
                "db_worker",
                queue_name="*",
                interval=0.5,
                reload=False,
                max_tasks=options["max_tasks"],
                startup_delay=False,
            )
        elif settings.TASKS_BACKEND == "rq":
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                max_jobs=options["max_tasks"],
            )
        else:
            raise CommandError(f"The {settings.TASKS_BACKEND} task backend needs no worker.")
