"""Writes to the results roll-up. Only the tally worker and organizer actions call these."""

import io
import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from globaldialogue.audit.actions import record
from globaldialogue.consultations.models import Consultation, TranslatableText
from globaldialogue.consultations.translation_actions import offer_texts
from globaldialogue.lib.countries import country_codes
from globaldialogue.lib.errors import FieldError
from globaldialogue.lib.hooks import Hook
from globaldialogue.lib.perturb import record_key
from globaldialogue.results import opentext, published, store
from globaldialogue.results.cells import cell_table, cells_snapshot
from globaldialogue.results.disclosure import policy_for
from globaldialogue.results.models import (
    Analysis,
    PopulationMargins,
    Quote,
    Release,
    Snapshot,
    Tally,
    Theme,
)
from globaldialogue.results.public_themes import quote_digest, quoted
from globaldialogue.results.queries import Tallies, compute_results, read_tallies
from globaldialogue.results.releases import Due, last_release, release_due
from globaldialogue.results.rollup import Increments
from globaldialogue.surveys.actions import responses_stored
from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.intake import Outcome, Submission, prepare_response
from globaldialogue.surveys.models import Response, Survey, SurveyVersion
from globaldialogue.weighting.population import Population, PopulationError, read_population

# Subscribed to by tasks.py (see apps.py): a queued analysis is run in the background.
analysis_queued = Hook("results: an analysis was queued (analysis id)")

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
    for response_id, survey_id, version_id, answers, synthetic in rows:
        definition = definition_for(versions[version_id])
        counts.add(survey_id, definition, answers, synthetic, record_key(response_id))
    return counts


def tally_all() -> int:
    """Tally the whole backlog now (imports, the demo sample, tests); publish releases
    where due."""
    total = 0
    while done := tally_responses():
        total += len(done)
    # Every survey counted, not only those of this call: the worker may have tallied some
    # and queued their release for later.
    counted = set(Tally.objects.values_list("survey_id", flat=True).distinct())
    refresh_snapshots(survey_ids=counted)
    return total


def refresh_snapshots(*, survey_ids: set[int], relayout: bool = False) -> dict[int, datetime]:
    """Publish a release of each survey where one is due (results.releases): its figures
    overall and per breakdown, and its cell table, for pages to read. `relayout`: the
    weighting changed, so a release with no new responses is made too. Returns, for each
    survey whose release waits for the organizers' cadence, when it may be made."""
    waiting = {}
    surveys = Survey.objects.filter(pk__in=survey_ids, current_version__isnull=False)
    for survey in surveys.select_related("current_version"):
        due = _publish(survey, relayout=relayout)
        if due.later is not None:
            waiting[survey.pk] = due.later
    return waiting


def _publish(survey: Survey, *, relayout: bool) -> Due:
    assert survey.current_version is not None
    tallies = read_tallies(survey)  # one statement: every table counts the same responses
    last, now = last_release(survey), timezone.now()
    relayout = relayout or _layout_changed(survey)
    due = release_due(survey, last, tallies.counted, now, relayout=relayout)
    if not due.now:
        return due
    number = (last.number if last else 0) + 1
    snapshots = _snapshots(survey, tallies, now, {"number": number, "published_at": now})
    try:
        with transaction.atomic():
            Snapshot.objects.bulk_create(
                snapshots,
                update_conflicts=True,
                unique_fields=["survey", "by"],
                update_fields=["data", "arrays", "computed_at"],
            )
            counted = tallies.counted
            Release.objects.create(
                survey=survey,
                number=number,
                tallied=counted.tallied,
                responses=counted.responses,
                published_at=now,
            )
    except IntegrityError:  # another worker published this release first
        return Due(False)
    return due


def _snapshots(
    survey: Survey, tallies: Tallies, now: datetime, release: dict[str, Any]
) -> list[Snapshot]:
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    policy = policy_for(survey)
    cells = cell_table(survey, definition, tallies.cells, policy)
    figures = {
        q.key: compute_results(survey, tallies, policy, by=q.key, cells=cells)
        for q in definition.breakdowns
    }
    hidden: dict[str, set[str]] = defaultdict(set)
    for data in figures.values():
        for table in data["breakdown"]["questions"]:
            hidden[table["key"]].update(table["hidden_totals"])
    figures[""] = compute_results(survey, tallies, policy, cells=cells, hidden_totals=hidden)
    release = {**release, "published_at": release["published_at"].isoformat()}
    snapshots = [
        Snapshot(survey=survey, by=by, data={**data, "release": release}, computed_at=now)
        for by, data in figures.items()
    ]
    if cells is not None:
        snapshots.append(cells_snapshot(survey, cells, now))
    return snapshots


def _layout_changed(survey: Survey) -> bool:
    """Whether the last release was laid out for another version or threshold."""
    data = Snapshot.objects.filter(survey=survey, by="").values_list("data", flat=True).first()
    current = (survey.current_version_id, survey.suppression_threshold)
    return data is not None and (data["version"], data["threshold"]) != current


# --- a respondent takes their answers back ------------------------------------------------------

# Subscribed to by tasks.py (see apps.py): a survey's stored results are recomputed.
response_withdrawn = Hook("results: a response was withdrawn (survey id)")


def withdraw_response(*, survey: Survey, receipt: str) -> bool:
    """Remove the response with this receipt code, and its counts if they were counted, in
    one transaction (the row is locked: the tally worker, which skips locked rows, either
    counted it before, and its counts are taken back, or never will). False if no response
    of this survey has that code."""
    code = normalized_receipt(receipt)
    with transaction.atomic():
        found = Response.objects.filter(survey=survey, receipt=code).select_for_update()
        response = found.first()
        if response is None:
            return False
        _take_back_counts(survey, response)
        response.delete()
        # No response id or code in the trail: it would tie the entry to a person's receipt.
        record(action="withdraw_response", consultation=survey.consultation)
        transaction.on_commit(lambda: response_withdrawn.fire(survey.pk))
    return True


def _take_back_counts(survey: Survey, response: Response) -> None:
    """Take a response's counts out of the roll-up if the tally counted it (the caller holds
    the row's lock, so the tally worker cannot be counting it now)."""
    if response.tallied_at is None:
        return
    counts = Increments(sign=-1)
    definition = definition_for(response.version)
    counts.add(
        survey.pk, definition, response.answers, response.is_synthetic, record_key(response.id)
    )
    store.add_counts(counts)


# --- a paper form typed again after a mistake -----------------------------------------------------


def correct_response(*, survey: Survey, submission: Submission) -> Outcome:
    """Replace the answers stored under the submission's id with these, only when asked (a
    paper upload that says so): the old counts are taken back in the same transaction and
    the tally counts the new answers. The receipt and the time of answering stay."""
    outcome, row = prepare_response(survey=survey, submission=submission)
    if row is None:
        return outcome
    with transaction.atomic():
        response = Response.objects.select_for_update().filter(pk=row["id"], survey=survey).first()
        if response is None:
            message = "Nothing is stored under this id to correct."
            return Outcome(
                id=outcome.id, status="invalid", errors={"id": [FieldError("not_stored", message)]}
            )
        outcome.receipt = response.receipt
        if response.content_hash == row["content_hash"]:
            outcome.status = "duplicate"
            return outcome
        _take_back_counts(survey, response)
        fields = {k: row[k] for k in ("language", "answers", "content_hash")}
        Response.objects.filter(pk=response.pk).update(
            **fields, version_id=row["version"], tallied_at=None
        )
        record(action="correct_response", obj=response, consultation=survey.consultation)
        responses_stored.fire()
    outcome.status = "corrected"
    return outcome


def normalized_receipt(text: str) -> str:
    """A receipt code as people type it back: any case, spaces or dashes, and the letters
    Crockford's alphabet reads as digits (I and L as 1, O as 0)."""
    plain = "".join(ch for ch in text.upper() if ch.isalnum())
    plain = plain.translate(str.maketrans("ILO", "110"))
    return f"{plain[:5]}-{plain[5:10]}" if len(plain) == 10 else plain


def rebuild_tallies(*, survey: Survey) -> None:
    """Recount a survey from scratch, e.g. after responses were removed."""
    with transaction.atomic():
        # The published figures stay until the recount makes a release (results.releases).
        Tally.objects.filter(survey=survey).delete()
        Response.objects.filter(survey=survey).update(tallied_at=None)
    tally_all()


def delete_synthetic_responses(*, survey: Survey) -> int:
    """Remove the demo's synthetic sample, e.g. before opening a survey for real, and
    recount what is left."""
    with transaction.atomic():
        deleted, _ = Response.objects.filter(survey=survey, is_synthetic=True).delete()
        rebuild_tallies(survey=survey)
    return deleted


# --- themes in open answers -------------------------------------------------------------------

# Fewer answers than this give no themes worth showing.
MIN_ANSWERS_FOR_THEMES = 50
# A finished analysis is redone once its question has this many times the answers it read.
REFRESH_GROWTH = 1.1


def text_questions(survey: Survey) -> list[str]:
    assert survey.current_version is not None
    return [q.key for q in definition_for(survey.current_version).questions if q.type == "text"]


def request_themes(*, survey: Survey, question: str) -> Analysis:
    """Queue a themes analysis of `question`, or return the one already queued or running."""
    if question not in text_questions(survey):
        raise ValidationError({"question": "Themes are found in open (text) questions only."})
    return _request(survey, Analysis.Kind.THEMES, question)


def request_open_data(*, survey: Survey) -> Analysis:
    """Queue a fresh public dataset (CSV, Parquet, codebook) of `survey`."""
    return _request(survey, Analysis.Kind.OPEN_DATA, "")


def _request(survey: Survey, kind: str, question: str) -> Analysis:
    with transaction.atomic():
        pending = Analysis.objects.select_for_update().filter(
            survey=survey,
            kind=kind,
            question=question,
            status__in=[Analysis.Status.QUEUED, Analysis.Status.RUNNING],
        )
        analysis = pending.first() or Analysis.objects.create(
            survey=survey, kind=kind, question=question
        )
    if analysis.status == Analysis.Status.QUEUED:
        analysis_queued.fire(analysis.pk)
    return analysis


def run_analysis(*, analysis_id: int, encoder: Any = None) -> Analysis | None:
    """Do a queued analysis (the task calls this); a failure is recorded, not raised."""
    claimed = Analysis.objects.filter(pk=analysis_id, status=Analysis.Status.QUEUED).update(
        status=Analysis.Status.RUNNING, started_at=timezone.now(), progress=0.0
    )
    if not claimed:
        return None  # already done, or taken by another worker
    analysis = Analysis.objects.select_related("survey__current_version").get(pk=analysis_id)
    try:
        if analysis.kind == Analysis.Kind.OPEN_DATA:
            _open_data(analysis)
        else:
            _themes(analysis, encoder)
    except Exception as error:
        analysis.error = f"{type(error).__name__}: {error}"
        _finish(analysis, Analysis.Status.FAILED)
    return analysis


def _themes(analysis: Analysis, encoder: Any) -> None:
    # Outside a transaction, so the progress it writes is seen while it runs.
    found, answers = opentext.analyse(analysis, encoder=encoder)
    with transaction.atomic():
        earlier = _finished(analysis)
        opentext.store_themes(analysis, found, answers)
        _note_quotes(analysis)
        opentext.carry_over(analysis, earlier.order_by("-finished_at").first())
        analysis.answers = len(answers.texts)
        _finish(analysis, Analysis.Status.DONE)
        earlier.delete()  # their themes too; names and merges were carried over


def _open_data(analysis: Analysis) -> None:
    analysis.answers = published.write_open_data(analysis, opentext.Progress(analysis))
    with transaction.atomic():
        earlier = list(_finished(analysis))
        _finish(analysis, Analysis.Status.DONE)
        Analysis.objects.filter(pk__in=[a.pk for a in earlier]).delete()
    transaction.on_commit(lambda: published.remove_files(earlier))


def _finished(analysis: Analysis) -> Any:
    return Analysis.objects.filter(
        survey=analysis.survey_id,
        kind=analysis.kind,
        question=analysis.question,
        status=Analysis.Status.DONE,
    ).exclude(pk=analysis.pk)


def _finish(analysis: Analysis, status: str) -> None:
    analysis.status, analysis.finished_at = status, timezone.now()
    analysis.progress = 1.0 if status == Analysis.Status.DONE else analysis.progress
    analysis.save(update_fields=["status", "finished_at", "progress", "answers", "error"])


def refresh_analyses(*, survey_ids: set[int]) -> list[Analysis]:
    """Queue themes for open questions, and a new public dataset, where the answers have
    grown by a tenth since the last run."""
    queued = []
    for survey in Survey.objects.filter(pk__in=survey_ids, current_version__isnull=False):
        if _open_data_due(survey):
            queued.append(request_open_data(survey=survey))
        for question in text_questions(survey):
            if _due(survey, Analysis.Kind.THEMES, question, answered_key=question):
                queued.append(request_themes(survey=survey, question=question))
    return queued


def _open_data_due(survey: Survey) -> bool:
    """Whether a release newer than the public dataset counts a tenth more responses."""
    release = last_release(survey)
    runs = Analysis.objects.filter(survey=survey, kind=Analysis.Kind.OPEN_DATA)
    if release is None or runs.filter(status__in=_PENDING).exists():
        return False
    last = runs.exclude(status=Analysis.Status.QUEUED).order_by("-requested_at").first()
    if last is None:
        return True
    grown = release.responses >= REFRESH_GROWTH * max(last.answers, 1)
    return last.requested_at < release.published_at and grown


_PENDING = [Analysis.Status.QUEUED, Analysis.Status.RUNNING]


def _due(survey: Survey, kind: str, question: str, *, answered_key: str) -> bool:
    """Whether an analysis has enough new answers (the roll-up's count of responses, or of
    answers to `answered_key`) to be worth running again."""
    answered = Tally.objects.filter(
        survey=survey, dimension="", question=answered_key, option=""
    ).aggregate(n=Sum("count"))["n"]
    least = MIN_ANSWERS_FOR_THEMES if kind == Analysis.Kind.THEMES else 1
    if (answered or 0) < least:
        return False
    runs = Analysis.objects.filter(survey=survey, kind=kind, question=question)
    if runs.filter(status__in=[Analysis.Status.QUEUED, Analysis.Status.RUNNING]).exists():
        return False
    last = runs.exclude(status=Analysis.Status.QUEUED).order_by("-requested_at").first()
    if last is None:
        return True
    # Like a release (results.releases): at least the threshold of new answers, so two runs
    # compared show a group's answers, never one person's.
    grown = last.answers + survey.suppression_threshold
    return answered >= max(REFRESH_GROWTH * max(last.answers, 1), grown)


def _note_quotes(analysis: Analysis) -> None:
    """Put every quote the analysis found in the review queue (those found before keep
    their review)."""
    found = {
        (language, text)
        for theme in Theme.objects.filter(analysis=analysis)
        for language, text in quoted(theme)
    }
    Quote.objects.bulk_create(
        [
            Quote(
                survey=analysis.survey,
                question=analysis.question,
                language=language,
                digest=quote_digest(language, text),
                found=text,
                text=text,
            )
            for language, text in sorted(found)
        ],
        ignore_conflicts=True,
    )


def review_quote(*, quote: Quote, status: str, text: str | None = None) -> Quote:
    """Approve (perhaps edited), drop, or send back to review a quote; audited."""
    if status not in Quote.Status.values:
        raise ValidationError({"status": "Choose approved, dropped or pending."})
    if text is not None and not text.strip():
        raise ValidationError({"text": "A quote cannot be empty; drop it instead."})
    with transaction.atomic():
        quote.status, quote.reviewed_at = status, timezone.now()
        quote.text = text.strip() if text is not None else quote.text
        quote.save(update_fields=["status", "text", "reviewed_at"])
        edited = quote.text != quote.found
        consultation = quote.survey.consultation
        summary = {"status": status, "edited": edited}
        record(action="review_quote", obj=quote, consultation=consultation, summary=summary)
        if status == Quote.Status.APPROVED:  # published: readers of other languages want it
            offer_texts(
                consultation=consultation,
                kind=TranslatableText.Kind.QUOTE,
                texts=[(quote.language, quote.text)],
                languages=quote.survey.languages,
            )
    return quote


def rename_theme(*, theme: Theme, name: dict[str, str]) -> Theme:
    with transaction.atomic():
        before = theme.name
        theme.name = {code: text.strip() for code, text in name.items() if text.strip()}
        theme.save(update_fields=["name"])
        _record_theme("rename_theme", theme, {"from": before, "to": theme.name})
    return theme


def set_theme_hidden(*, theme: Theme, hidden: bool) -> Theme:
    with transaction.atomic():
        theme.hidden = hidden
        theme.save(update_fields=["hidden"])
        _record_theme("set_theme_hidden", theme, {"hidden": hidden})
    return theme


def separate_theme(*, theme: Theme) -> Theme:
    """Undo a merge: the theme is counted on its own again."""
    with transaction.atomic():
        theme.merged_into = None
        theme.save(update_fields=["merged_into"])
        _record_theme("separate_theme", theme, {})
    return theme


def _record_theme(action: str, theme: Theme, summary: dict[str, Any]) -> None:
    consultation = theme.analysis.survey.consultation
    record(action=action, obj=theme, consultation=consultation, summary=summary)


def merge_themes(*, into: Theme, themes: list[Theme]) -> Theme:
    """Count `themes` as part of `into` in public results (undone by separate_theme)."""
    others = [theme for theme in themes if theme.pk != into.pk]
    if any(t.analysis_id != into.analysis_id or t.parent_id or into.parent_id for t in others):
        raise ValidationError("Only top-level themes of the same analysis can be merged.")
    with transaction.atomic():
        Theme.objects.filter(merged_into__in=others).update(merged_into=into)
        Theme.objects.filter(pk__in=[t.pk for t in others]).update(merged_into=into)
        if into.merged_into_id:
            into.merged_into = None
            into.save(update_fields=["merged_into"])
        _record_theme("merge_themes", into, {"merged": [t.pk for t in others]})
    return into


# --- organizers' population margins ----------------------------------------------------------


def upload_margins(*, consultation: Consultation, name: str, text: str) -> PopulationMargins:
    """Store a consultation's own population figures and reweigh its surveys with them.
    A file with any wrong row is refused whole, each problem named."""
    people = read_margins(text)
    summary = {
        "countries": len(people.countries),
        "people": round(sum(people.countries.values())),
        "education": sorted({key for _country, key in people.education}),
    }
    with transaction.atomic():
        margins, _created = PopulationMargins.objects.update_or_create(
            consultation=consultation,
            defaults={
                "name": name.strip(),
                "source": text,
                "summary": summary,
                "uploaded_at": timezone.now(),
            },
        )
        record(action="upload_margins", obj=margins, consultation=consultation, summary=summary)
    _reweigh(consultation)
    return margins


def read_margins(text: str) -> Population:
    """The figures in a margins file, or a ValidationError listing its problems."""
    try:
        people = read_population(io.StringIO(text, newline=""))  # csv reads every line end
    except PopulationError as refused:
        raise ValidationError({"source": refused.problems}) from refused
    unknown = sorted(set(people.countries) - country_codes())
    if unknown:
        raise ValidationError({"source": [f"unknown country codes: {', '.join(unknown)}"]})
    return people


def remove_margins(*, consultation: Consultation) -> None:
    """Back to the world's population figures."""
    with transaction.atomic():
        PopulationMargins.objects.filter(consultation=consultation).delete()
        record(action="remove_margins", consultation=consultation)
    _reweigh(consultation)


def _reweigh(consultation: Consultation) -> None:
    surveys = set(Survey.objects.filter(consultation=consultation).values_list("pk", flat=True))
    transaction.on_commit(lambda: refresh_snapshots(survey_ids=surveys, relayout=True))
