"""Writes to the results roll-up. Only the tally worker and organizer actions call these."""

import uuid
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from globaldialogue.results import store
from globaldialogue.results.models import Snapshot, Tally
from globaldialogue.results.queries import compute_results
from globaldialogue.results.rollup import Increments
from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.models import Response, Survey, SurveyVersion

BATCH_SIZE = 2000


def tally_responses(*, limit: int = BATCH_SIZE) -> list[int]:
    """Add up to `limit` untallied responses to the roll-up; return their survey ids.

    The claim (tallied_at set where it is still NULL) and the counter increments commit
    together, so a response is counted exactly once however many workers run. On PostgreSQL
    workers skip rows another worker has locked, so they share the backlog.
    """
    with transaction.atomic():
        claimed = _claim(limit)
        if claimed:
            store.add_counts(_count(claimed))
    return [row[1] for row in claimed]


def _claim(limit: int) -> list[tuple[uuid.UUID, int, int, Any, bool]]:
    pending = Response.objects.filter(tallied_at__isnull=True).order_by("submitted_at")
    if connection.features.has_select_for_update_skip_locked:
        pending = pending.select_for_update(skip_locked=True)
    rows = list(
        pending.values_list("id", "survey_id", "version_id", "answers", "is_synthetic")[:limit]
    )
    ids = [row[0] for row in rows]
    updated = Response.objects.filter(id__in=ids, tallied_at__isnull=True).update(
        tallied_at=timezone.now()
    )
    # Rows are locked (PostgreSQL) or the whole database is (SQLite's IMMEDIATE transactions).
    assert updated == len(ids), "claimed responses changed under the lock"
    return rows


def _count(rows: list[tuple[uuid.UUID, int, int, Any, bool]]) -> Increments:
    versions = SurveyVersion.objects.in_bulk({row[2] for row in rows})
    counts = Increments()
    for _id, survey_id, version_id, answers, synthetic in rows:
        counts.add(survey_id, definition_for(versions[version_id]), answers, synthetic)
    return counts


def tally_all() -> int:
    """Tally the whole backlog now (imports, the demo sample, tests); refresh snapshots."""
    total, surveys = 0, set()
    while done := tally_responses():
        total += len(done)
        surveys.update(done)
    refresh_snapshots(survey_ids=surveys)
    return total


def refresh_snapshots(*, survey_ids: set[int]) -> None:
    """Store each survey's computed results (overall and per breakdown) for pages to read."""
    surveys = Survey.objects.filter(pk__in=survey_ids, current_version__isnull=False)
    for survey in surveys.select_related("current_version"):
        assert survey.current_version is not None
        breakdowns = [q.key for q in definition_for(survey.current_version).breakdowns]
        now = timezone.now()
        snapshots = [
            Snapshot(survey=survey, by=by, data=compute_results(survey, by=by), computed_at=now)
            for by in ["", *breakdowns]
        ]
        Snapshot.objects.bulk_create(
            snapshots,
            update_conflicts=True,
            unique_fields=["survey", "by"],
            update_fields=["data", "computed_at"],
        )


def rebuild_tallies(*, survey: Survey) -> None:
    """Recount a survey from scratch, e.g. after responses were removed."""
    with transaction.atomic():
        Tally.objects.filter(survey=survey).delete()
        Snapshot.objects.filter(survey=survey).delete()
        Response.objects.filter(survey=survey).update(tallied_at=None)
    tally_all()
