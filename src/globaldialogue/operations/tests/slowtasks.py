"""A task that takes its time, for killing a worker in the middle of it."""

import time
from pathlib import Path

from django_tasks import task


@task()
def slow_mark(path: str, seconds: float) -> str:
    """Writes `started` lines as it starts and `done` when it ends, to `path`."""
    marker = Path(path)
    with marker.open("a") as out:
        out.write("started\n")
    time.sleep(seconds)
    with marker.open("a") as out:
        out.write("done\n")
    return "done"
