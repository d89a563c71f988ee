"""Queue a background task at most once per window, however often it is asked for."""

from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone


def enqueue_debounced(task: Any, key: str, seconds: int, *args: Any) -> None:
    """Enqueue `task(*args)` unless it was already asked for in the last `seconds`.

    The job runs after the window closes, so whatever was committed while the key was set
    (and therefore queued no job of its own) is still there when the job starts.
    """
    if not cache.add(key, 1, timeout=seconds):
        return
    if task.get_backend().supports_defer:
        run_after = timezone.now() + timedelta(seconds=seconds + 0.5)
        task.using(run_after=run_after).enqueue(*args)
    else:
        task.enqueue(*args)
