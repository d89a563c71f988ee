"""Background work for results: keep the roll-up current while responses arrive."""

import time
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django_tasks import task

from globaldialogue.consultations.models import Consultation
from globaldialogue.lib.debounce import enqueue_debounced
from globaldialogue.results.actions import (
    refresh_analyses,
    refresh_snapshots,
    run_analysis,
    tally_responses,
)
from globaldialogue.results.report import stored_pdf

# At most one tally job per this many seconds, however fast responses arrive.
DEBOUNCE_SECONDS = 2
# Stop after this many batches and queue a fresh job, so one job never runs for long.
BATCHES_PER_JOB = 20
# Whether a release is due is checked at most every this many seconds per survey, or every
# REFRESH_COST_FACTOR times what the last check took, whichever is longer.
REFRESH_SECONDS = 2
REFRESH_COST_FACTOR = 4


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
    for survey_id in surveys:
        request_refresh(survey_id)
    return done


@task()
def refresh_task(survey_id: int) -> float:
    """Publish a survey's release if one is due (and queue analyses that are due); one
    waiting for the organizers' cadence is checked again when the cadence allows."""
    started = time.monotonic()
    waiting = refresh_snapshots(survey_ids={survey_id})
    if settings.ANALYSES_AUTO_REFRESH:
        refresh_analyses(survey_ids={survey_id})
    cost = time.monotonic() - started
    cache.set(f"results:refresh-cost:{survey_id}", cost, timeout=3600)
    if survey_id in waiting:
        _check_at(survey_id, waiting[survey_id])
    return cost


def _check_at(survey_id: int, when: datetime) -> None:
    """One deferred check per survey and moment (where the task backend can defer)."""
    if refresh_task.get_backend().supports_defer and cache.add(
        f"results:release-at:{survey_id}:{when.isoformat()}", 1, timeout=7 * 24 * 3600
    ):
        refresh_task.using(run_after=when).enqueue(survey_id)


def request_refresh(survey_id: int) -> None:
    """At most one refresh per window; the window grows with what a refresh costs (seconds
    at ten million responses), so the worker keeps time for tallying."""
    cost = cache.get(f"results:refresh-cost:{survey_id}") or 0.0
    window = max(REFRESH_SECONDS, round(REFRESH_COST_FACTOR * cost))
    enqueue_debounced(refresh_task, f"results:refresh-requested:{survey_id}", window, survey_id)


def request_tally() -> None:
    """Called after responses commit: queue a tally job unless one is already due."""
    enqueue_debounced(tally_task, "results:tally-requested", DEBOUNCE_SECONDS)


@task()
def analysis_task(analysis_id: int) -> str:
    analysis = run_analysis(analysis_id=analysis_id)
    return analysis.status if analysis else "skipped"


# A report asked for is made once per data change; asked again within this many seconds
# while it is being made, nothing more is queued (and after it, a failed one is tried again).
REPORT_ONCE_SECONDS = 600


@task()
def report_task(consultation_id: int, language: str) -> str:
    return str(stored_pdf(Consultation.objects.get(pk=consultation_id), language))


def request_report(consultation_id: int, language: str, stamp_path: str) -> None:
    """Queue the report for the results as they are now (`stamp_path`) unless it is queued."""
    if cache.add(f"results:report:{stamp_path}", 1, timeout=REPORT_ONCE_SECONDS):
        report_task.enqueue(consultation_id, language)
