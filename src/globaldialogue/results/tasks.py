"""Background work for results: keep the roll-up current while responses arrive."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from globaldialogue.results.actions import refresh_snapshots, tally_responses

# At most one tally job per this many seconds, however fast responses arrive.
DEBOUNCE_SECONDS = 2
# Stop after this many batches and queue a fresh job, so one job never runs for long.
BATCHES_PER_JOB = 20


@task()
def tally_task() -> int:
    done, surveys = 0, set()
    for _ in range(BATCHES_PER_JOB):
        batch = tally_responses()
        done += len(batch)
        surveys.update(batch)
        if not batch:
            break
    else:
        tally_task.enqueue()
    refresh_snapshots(survey_ids=surveys)
    return done


def request_tally() -> None:
    """Called after responses commit: queue a tally job unless one is already due.

    The job runs after the debounce window closes, so responses committed while the key was
    set (and therefore not queued a job of their own) are still in the job's first claim.
    """
    if not cache.add("results:tally-requested", 1, timeout=DEBOUNCE_SECONDS):
        return
    backend = tally_task.get_backend()
    if backend.supports_defer:
        run_after = timezone.now() + timedelta(seconds=DEBOUNCE_SECONDS + 0.5)
        tally_task.using(run_after=run_after).enqueue()
    else:
        tally_task.enqueue()
