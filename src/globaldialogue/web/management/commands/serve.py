"""Serve the site with uvicorn; in the embedded default, also run the background worker."""

import os
import signal
import subprocess
import sys
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

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
        _default_site_url(options["host"], options["port"])
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if settings.TASKS_BACKEND == "database" and not options["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "globaldialogue", "worker"])
        self.stdout.write(f"Serving at http://{options['host']}:{options['port']}/")
        try:
            uvicorn.run(
                "globaldialogue.asgi:application",
                host=options["host"],
                port=options["port"],
                workers=options["workers"],
                proxy_headers=settings.TRUSTED_PROXY_COUNT > 0,
                log_level="warning",
                lifespan="off",
            )
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=30)


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
