"""Every write to surveys and responses. Views, the API, the CLI and tasks all call these."""

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from globaldialogue.accounts.models import ApiKey
from globaldialogue.audit.actions import record
from globaldialogue.lib.hooks import Hook
from globaldialogue.lib.metrics import RESPONSES
from globaldialogue.surveys import access, store
from globaldialogue.surveys.definition import (
    QUESTION_SETTINGS,
    QUESTION_TEXTS,
)
from globaldialogue.surveys.intake import Outcome, Submission, prepare_response
from globaldialogue.surveys.models import Option, Question, Survey, SurveyVersion
from globaldialogue.surveys.snapshot import build_definition, check_definition

# Fired once new responses have committed, whatever the channel. results subscribes to it to
# count them (results/apps.py); surveys itself never imports results.
responses_stored = Hook("surveys: new responses committed")
# Fired when a survey's questions or publication settings changed (survey id): results
# publishes its figures again, laid out anew, where no response arrived since.
survey_changed = Hook("surveys: a survey's questions or settings changed (survey id)")


class SurveyClosed(Exception):
    """The survey no longer accepts responses."""


# --- survey life cycle -------------------------------------------------------------------------


@transaction.atomic
def freeze_version(*, survey: Survey) -> SurveyVersion:
    """Freeze the edited questions into a new version, unless they match the current one."""
    definition = build_definition(survey)
    current = survey.current_version
    if current is not None and current.definition == definition:
        return current
    number = (current.number if current else 0) + 1
    version = SurveyVersion.objects.create(survey=survey, number=number, definition=definition)
    survey.current_version = version
    survey.save(update_fields=["current_version"])
    record(
        action="freeze_version",
        obj=survey,
        consultation=survey.consultation,
        summary={"version": number},
    )
    transaction.on_commit(lambda: survey_changed.fire(survey.pk))
    access.forget_survey(survey.slug)
    return version


def publish_survey(*, survey: Survey) -> SurveyVersion:
    problems = check_definition(build_definition(survey))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        version = freeze_version(survey=survey)
        survey.status = Survey.Status.PUBLISHED
        survey.save(update_fields=["status"])
        record(
            action="publish_survey",
            obj=survey,
            consultation=survey.consultation,
            summary={"version": version.number},
        )
    access.forget_survey(survey.slug)
    return version


def close_survey(*, survey: Survey) -> None:
    with transaction.atomic():
        survey.status = Survey.Status.CLOSED
        survey.save(update_fields=["status"])
        record(action="close_survey", obj=survey, consultation=survey.consultation)
    access.forget_survey(survey.slug)


def edit_survey(*, survey: Survey, save_rows: Callable[[], object]) -> SurveyVersion | None:
    """An organizer's edit in the back office, where Django's forms hold the changed rows:
    `save_rows` saves them (the survey's fields, its questions, their options) in one
    transaction, then record_survey_edit (which may raise; the rows stay saved)."""
    with transaction.atomic():
        save_rows()
        record(action="edit_survey", obj=survey, consultation=survey.consultation)
        transaction.on_commit(lambda: survey_changed.fire(survey.pk))
    access.forget_survey(survey.slug)
    return record_survey_edit(survey=survey)


def check_option_labels(labels: dict[str, list[str]]) -> int:
    """The number of options these labels give (per language, a line per option in the same
    order; a blank line is no label in that language), or ValidationError."""
    counts = {code: len(lines) for code, lines in labels.items() if lines}
    if len(set(counts.values())) > 1:
        said = ", ".join(f"{code}: {n}" for code, n in counts.items())
        raise ValidationError(
            f"Type one line per option in every language, in the same order ({said})."
        )
    count = max(counts.values(), default=0)
    for position in range(count):
        if not any(lines[position] for lines in labels.values() if lines):
            raise ValidationError(f"Option {position + 1} has no label in any language.")
    return count


def set_question_options(*, question: Question, labels: dict[str, list[str]]) -> None:
    """Make a question's options these labels (see check_option_labels): an option keeps
    the key of the one at its place, a new one gets a key made from its first label, options
    past the end go. For the back office's survey page, inside edit_survey."""
    count = check_option_labels(labels)
    existing = list(question.options.order_by("position", "id"))
    taken = {option.key for option in existing[:count]}
    for position in range(count):
        typed = {code: lines[position] for code, lines in labels.items() if lines}
        label = {code: text for code, text in typed.items() if text}
        if position < len(existing):
            option = existing[position]
            # Labels in languages not typed here (no longer offered, say) are kept; one
            # typed blank is removed.
            kept = {code: text for code, text in option.label.items() if code not in typed}
            option.position, option.label = position, {**kept, **label}
            option.save(update_fields=["position", "label"])
        else:
            key = _option_key(label, position, taken)
            Option.objects.create(question=question, key=key, position=position, label=label)
    Option.objects.filter(pk__in=[option.pk for option in existing[count:]]).delete()


def _option_key(label: dict[str, str], position: int, taken: set[str]) -> str:
    base = (
        slugify(next(iter(label.values()), ""))[:60].replace("-", "_") or f"option_{position + 1}"
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    taken.add(key)
    return key


def delete_question(*, question: Question) -> SurveyVersion | None:
    """Remove a question (its options with it), then record_survey_edit."""
    survey = question.survey
    with transaction.atomic():
        record(action="delete_question", obj=question, consultation=survey.consultation)
        question.delete()
    return record_survey_edit(survey=survey)


def delete_survey(*, survey: Survey) -> None:
    """Remove it with its questions and versions. One with responses cannot be deleted
    (they are protected; the back office says so before asking)."""
    with transaction.atomic():
        record(action="delete_survey", obj=survey, consultation=survey.consultation)
        survey.delete()
    access.forget_survey(survey.slug)


def note_export(*, survey: Survey, public: bool, rows: int, output: str) -> None:
    """An export of the responses was written: who took which answers out is on record."""
    summary = {"public": public, "rows": rows, "output": output}
    record(action="export_responses", obj=survey, consultation=survey.consultation, summary=summary)


def record_survey_edit(*, survey: Survey) -> SurveyVersion | None:
    """After an organizer edits a published survey: freeze a new version if anything changed."""
    if survey.status == Survey.Status.DRAFT:
        return None
    problems = check_definition(build_definition(survey))
    if problems:
        raise ValidationError(problems)
    return freeze_version(survey=survey)


# --- intake ------------------------------------------------------------------------------------


def submit_response(
    *,
    survey: Survey,
    submission: Submission,
    channel: str,
    api_key: ApiKey | None = None,
    is_synthetic: bool = False,
) -> Outcome:
    outcomes = submit_responses(
        survey=survey,
        submissions=[submission],
        channel=channel,
        api_key=api_key,
        is_synthetic=is_synthetic,
    )
    return outcomes[0]


def submit_responses(
    *,
    survey: Survey,
    submissions: Sequence[Submission],
    channel: str,
    api_key: ApiKey | None = None,
    is_synthetic: bool = False,
) -> list[Outcome]:
    """Check and store responses; valid ones are committed before this returns.

    Each submission gets its own outcome: created, duplicate (identical retry: same receipt),
    conflict (same id, other content), or invalid (errors per field; nothing stored).
    """
    if survey.status != Survey.Status.PUBLISHED or survey.current_version is None:
        raise SurveyClosed(_("This survey is closed and no longer accepts responses."))
    now = timezone.now()
    prepared = [prepare_response(survey=survey, submission=s) for s in submissions]
    rows = [row for _, row in prepared if row is not None]
    for row in rows:
        row.update(channel=channel, api_key=api_key and api_key.pk, is_synthetic=is_synthetic)
        row.setdefault("submitted_at", now)
    _store(survey, rows, prepared)
    return [outcome for outcome, _ in prepared]


def _store(
    survey: Survey,
    rows: list[dict[str, Any]],
    prepared: list[tuple[Outcome, dict[str, Any] | None]],
) -> None:
    if not rows:
        return
    first_rows = list({row["id"]: row for row in reversed(rows)}.values())
    with transaction.atomic():
        inserted = store.insert_new(first_rows)
        stored = store.stored_hashes({row["id"] for row in rows} - inserted)
        if inserted:
            responses_stored.fire()
    RESPONSES.labels(rows[0]["channel"]).inc(len(inserted))
    for outcome, row in prepared:
        if row is not None:
            _settle(outcome, row, inserted, stored, survey)


def _settle(
    outcome: Outcome,
    row: dict[str, Any],
    inserted: set[uuid.UUID],
    stored: dict[uuid.UUID, tuple[int, str, str]],
    survey: Survey,
) -> None:
    """Created if this item's row went in; else compare with what is stored under its id."""
    response_id = row["id"]
    if response_id in inserted:
        inserted.discard(response_id)  # later items with this id compare against this one
        stored[response_id] = (survey.pk, row["content_hash"], row["receipt"])
        return
    stored_survey, stored_hash, stored_receipt = stored[response_id]
    same = stored_survey == survey.pk and stored_hash == row["content_hash"]
    outcome.status = "duplicate" if same else "conflict"
    outcome.receipt = stored_receipt if same else ""


# --- import ------------------------------------------------------------------------------------


@transaction.atomic
def import_survey(
    *, consultation: Any, slug: str, definition: dict[str, Any], publish: bool = True
) -> Survey:
    """Create or replace a survey's questions from a definition (the API's JSON shape).

    Used by XLSForm import and the demo. Re-importing replaces the questions; a published
    survey then gets a new version, and earlier responses keep the version they answered.
    """
    problems = check_definition(definition)
    if problems:
        raise ValidationError(problems)
    survey, _created = Survey.objects.get_or_create(
        slug=slug, defaults={"consultation": consultation}
    )
    survey.consultation = consultation
    survey.title, survey.intro = definition["title"], definition.get("intro", {})
    survey.languages = definition["languages"]
    survey.min_answers = definition.get("min_answers", 1)
    survey.calculations = definition.get("calculations", [])
    survey.save(
        update_fields=["consultation", "title", "intro", "languages", "min_answers", "calculations"]
    )
    survey.questions.all().delete()
    for position, item in enumerate(definition["questions"]):
        _create_question(survey, position, item)
    record(
        action="import_survey",
        obj=survey,
        consultation=consultation,
        summary={"questions": len(definition["questions"])},
    )
    if publish or survey.status != Survey.Status.DRAFT:
        publish_survey(survey=survey)
    return survey


def _create_question(survey: Survey, position: int, item: dict[str, Any]) -> None:
    question = Question.objects.create(
        survey=survey,
        key=item["key"],
        position=position,
        type=item["type"],
        **{name: item.get(name, {}) for name in QUESTION_TEXTS},
        **{field: item.get(name, absent) for name, field, absent in QUESTION_SETTINGS},
    )
    Option.objects.bulk_create(
        Option(
            question=question,
            key=o["key"],
            position=i,
            label=o.get("label", {}),
            is_other=o.get("other", False),
            filters=o.get("filters", {}),
        )
        for i, o in enumerate(item.get("options", ()))
    )
