"""Serve the site with uvicorn; in the embedded default, also run the background worker.

SIGTERM or SIGINT stops the web process(es) and the worker it started (which finishes its
current task first); killed outright, the worker notices within a second and stops too.
"""

import os
import signal
import subprocess
import sys
from types import FrameType
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from globaldialogue.operations.heartbeat import Beater
from globaldialogue.operations.shape import unsafe_shape

SITE_URL_VARIABLE = "GLOBALDIALOGUE_SITE_URL"


class Command(BaseCommand):
    help = "Serve Global Dialogue over HTTP (ASGI), with the task worker in the embedded setup."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=1, help="Web processes.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start a background worker (run `globaldialogue worker` yourself).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if problem := unsafe_shape(web_processes=options["workers"]):
            raise CommandError(problem)
        _default_site_url(options["host"], options["port"])
        call_command("collectstatic", interactive=False, verbosity=0)
        # uvicorn re-raises the signal that stopped it: exit through `finally` below.
        for stop_signal in (signal.SIGTERM, signal.SIGINT):
            signal.signal(stop_signal, _exit)
        worker = _start_worker() if not options["no_worker"] else None
        beater = Beater(kind="web")
        beater.start()
        self.stdout.write(f"Serving at http://{options['host']}:{options['port']}/")
        try:
            _run(options)
        finally:
            beater.stop()
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=60)


def _exit(signum: int, frame: FrameType | None) -> None:
    sys.exit(128 + signum)


def _start_worker() -> subprocess.Popen[bytes] | None:
    if settings.TASKS_BACKEND != "database":
        return None
    command = [sys.executable, "-m", "globaldialogue", "worker", "--parent", str(os.getpid())]
    return subprocess.Popen(command)  # noqa: S603 - our own interpreter and arguments


def _run(options: dict[str, Any]) -> None:
    uvicorn.run(
        "globaldialogue.asgi:application",
        host=options["host"],
        port=options["port"],
        workers=options["workers"],
        proxy_headers=settings.TRUSTED_PROXY_COUNT > 0,
        log_level="warning",
        access_log=False,  # one JSON line per request comes from operations.requestlog
        lifespan="off",
        timeout_graceful_shutdown=20,
    )


def _default_site_url(host: str, port: int) -> None:
    """Links in emails lead where this server answers unless GLOBALDIALOGUE_SITE_URL says
    otherwise (behind a proxy it must): for this process, and through the environment for
    the worker and web processes started below."""
    if os.environ.get(SITE_URL_VARIABLE):
        return
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - a name, not a bind
    url = f"http://{shown}:{port}"
    os.environ[SITE_URL_VARIABLE] = url
    settings.SITE_URL = url
