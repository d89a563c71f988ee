"""A server's start: the static files step that `serve` runs first, and the whole start.

`serve` runs collectstatic at every start. On a data folder whose static files are already
collected (every start after the first), timed in one process, alternating, 5 runs each:
collectstatic with our storage (`lib.staticfiles.ChangedFilesCompressedStorage`, which
compresses only files copied anew) and, as the baseline, with WhiteNoise's own
`CompressedStaticFilesStorage` (which compresses every file again). Then, for scale, the
whole start of `globaldialogue serve --no-worker` until /healthz answers, 3 runs.

    .venv/bin/python bench/startup.py
"""

import statistics
import subprocess
import time

import httpx
from common import BIN, embedded_django, free_port, machine, save, timed

OURS = "globaldialogue.lib.staticfiles.ChangedFilesCompressedStorage"
WHITENOISE = "whitenoise.storage.CompressedStaticFilesStorage"


def collect(storage: str) -> float:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": storage}}
    with override_settings(STORAGES=storages):
        return timed(lambda: call_command("collectstatic", interactive=False, verbosity=0))[1]


def serve_start() -> float:
    import os

    port = free_port()
    started = time.perf_counter()
    command = [str(BIN / "globaldialogue"), "serve", "--no-worker", "--port", str(port)]
    server = subprocess.Popen(command, env=dict(os.environ), stdout=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < 60:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError("serve did not answer /healthz within 60 s")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    embedded_django("gd-startup-", ALLOWED_HOSTS="127.0.0.1")
    first = collect(OURS)  # a fresh folder: everything copied and compressed
    runs: dict[str, list[float]] = {OURS: [], WHITENOISE: []}
    for _ in range(5):
        for storage in runs:
            runs[storage].append(collect(storage))
    ours, baseline = (statistics.median(runs[name]) for name in (OURS, WHITENOISE))
    starts = [serve_start() for _ in range(3)]
    save(
        "startup",
        {
            "machine": machine(),
            "first_collect_seconds": round(first, 2),
            "collect_seconds": round(ours, 2),
            "baseline_whitenoise_collect_seconds": round(baseline, 2),
            "collect_ratio_to_baseline": round(ours / baseline, 4),
            "serve_start_seconds": round(statistics.median(starts), 2),
        },
    )


if __name__ == "__main__":
    main()
