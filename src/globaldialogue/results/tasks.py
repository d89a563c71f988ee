"""Background work for results: keep the roll-up current while responses arrive."""

from django.conf import settings
from django_tasks import task

from globaldialogue.lib.debounce import enqueue_debounced
from globaldialogue.results.actions import (
    refresh_analyses,
    refresh_snapshots,
    run_analysis,
    tally_responses,
)

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
    if settings.ANALYSES_AUTO_REFRESH:
        refresh_analyses(survey_ids=surveys)
    return done


def request_tally() -> None:
    """Called after responses commit: queue a tally job unless one is already due."""
    enqueue_debounced(tally_task, "results:tally-requested", DEBOUNCE_SECONDS)


@task()
def analysis_task(analysis_id: int) -> str:
    analysis = run_analysis(analysis_id=analysis_id)
    return analysis.status if analysis else "skipped"
