"""A submission checked before anything is stored, whatever the channel: its id, language,
time and answers against the version it answers. Reads only: actions.submit_responses
stores what this finds valid, and previews (paper uploads) show what it would do."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _

from globaldialogue.lib.errors import Errors, FieldError
from globaldialogue.lib.translated import normalize_language
from globaldialogue.surveys import access, store
from globaldialogue.surveys.definition import Definition
from globaldialogue.surveys.models import Survey
from globaldialogue.surveys.receipts import receipt_for
from globaldialogue.surveys.validation import content_hash, too_few, validate_answers


@dataclass(frozen=True)
class Submission:
    """One response as a client sent it, not yet checked."""

    id: Any
    language: Any
    answers: Any
    submitted_at: datetime | str | None = None  # files carry ISO 8601 text
    # The version the client's form was (offline forms answer an older one for a while);
    # None: the current one.
    version: int | None = None
    # Ended before its last question, or asked only some (a text-message chat gone silent,
    # a partner's RapidPro flow): questions not reached may be required and go unanswered.
    partial: bool = False


@dataclass
class Outcome:
    id: str
    status: Literal["created", "duplicate", "conflict", "invalid", "corrected"]
    receipt: str = ""
    errors: Errors = field(default_factory=dict)


def check_responses(*, survey: Survey, submissions: Sequence[Submission]) -> list[Outcome]:
    """What submit_responses would answer for each submission, storing nothing (a preview):
    created for an id not stored yet, duplicate, conflict or invalid as there."""
    prepared = [prepare_response(survey=survey, submission=s) for s in submissions]
    stored = store.stored_hashes({row["id"] for _, row in prepared if row is not None})
    for outcome, row in prepared:
        if row is not None and row["id"] in stored:
            stored_survey, stored_hash, stored_receipt = stored[row["id"]]
            same = stored_survey == survey.pk and stored_hash == row["content_hash"]
            outcome.status = "duplicate" if same else "conflict"
            outcome.receipt = stored_receipt if same else ""
    return [outcome for outcome, _ in prepared]


def prepare_response(
    *, survey: Survey, submission: Submission
) -> tuple[Outcome, dict[str, Any] | None]:
    """A submission checked against the version it answers: its outcome if stored now, and
    the row to store (None when invalid)."""
    return _prepare(survey, access.answered_definition(survey, submission.version), submission)


def _prepare(
    survey: Survey, definition: Definition, submission: Submission
) -> tuple[Outcome, dict[str, Any] | None]:
    errors: Errors = {}
    response_id = _parse_id(submission.id, errors)
    language = _parse_language(definition, submission.language, errors)
    submitted_at = _parse_time(submission.submitted_at, errors)
    answers, answer_errors = validate_answers(definition, submission.answers)
    if submission.partial:
        answer_errors = _reached(definition, answers, answer_errors)
    errors.update(answer_errors)
    shown_id = str(response_id or submission.id)
    if errors or response_id is None:
        return Outcome(id=shown_id, status="invalid", errors=errors), None
    receipt = receipt_for(response_id)
    row: dict[str, Any] = {
        "id": response_id,
        "survey": survey.pk,
        "version": definition.version_id,
        "language": language,
        "answers": answers,
        "content_hash": content_hash(language, answers),
        "receipt": receipt,
    }
    if submission.submitted_at is not None:
        row["submitted_at"] = submitted_at
    return Outcome(id=shown_id, status="created", receipt=receipt), row


def _reached(definition: Definition, answers: dict[str, Any], errors: Errors) -> Errors:
    """A partial response's errors without "needs an answer" (not reached, not refused);
    it still needs the survey's least number of answers."""
    kept = {key: [e for e in found if e.code != "required"] for key, found in errors.items()}
    kept = {key: found for key, found in kept.items() if found}
    if not kept and len(answers) < definition.min_answers:
        kept["answers"] = [too_few(definition.min_answers)]
    return kept


def _parse_id(raw: Any, errors: Errors) -> uuid.UUID | None:
    try:
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except (ValueError, AttributeError, TypeError):
        errors["id"] = [FieldError("invalid_id", _("The id must be a UUID."))]
        return None


def _parse_time(raw: datetime | str | None, errors: Errors) -> datetime | None:
    if raw is None or isinstance(raw, datetime):
        return raw
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        message = _("Give the time as ISO 8601, e.g. 2020-09-21T14:30:00Z.")
        errors["submitted_at"] = [FieldError("invalid_time", message)]
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def _parse_language(definition: Definition, raw: Any, errors: Errors) -> str:
    language = normalize_language(raw) if isinstance(raw, str) else ""
    if language not in definition.languages:
        offered = ", ".join(definition.languages)
        message = _("This survey is offered in: %(languages)s.") % {"languages": offered}
        errors["language"] = [FieldError("unsupported_language", message)]
    return language
