"""Every write of paper forms: printing a batch (its serial numbers), receiving an upload of
typed-in answers (kept with its preview), storing or discarding it. Each is audited;
a correction of stored answers is results.actions.correct_response, audited per response."""

import hashlib
from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from globaldialogue.audit.actions import record
from globaldialogue.paper.checking import Checked, check_columns, check_rows
from globaldialogue.paper.models import PaperBatch, PaperUpload
from globaldialogue.paper.reading import Row, read_rows
from globaldialogue.results.actions import correct_response
from globaldialogue.surveys.actions import submit_responses
from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.models import Response, Survey

MAX_FORMS = 500  # one PDF; print more in several batches


class Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def print_batch(*, survey: Survey, language: str, count: int, user: Any = None) -> PaperBatch:
    """The next `count` serial numbers of the survey, for forms in `language`."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)  # one allocation at a time
    problem = printing_problem(survey=survey, language=language, count=count)
    if problem or survey.current_version is None:
        raise Refused(problem)
    last = PaperBatch.objects.filter(survey=survey).aggregate(last=Max(F("first") + F("count")))
    batch = PaperBatch.objects.create(
        survey=survey,
        version=survey.current_version,  # printing_problem: there is one
        language=language,
        first=last["last"] or 1,
        count=count,
        printed_by=user if getattr(user, "pk", None) else None,
    )
    summary = {"first": batch.first, "count": count, "language": language}
    record(action="print_batch", obj=batch, consultation=survey.consultation, summary=summary)
    return batch


def printing_problem(*, survey: Survey, language: str, count: int) -> str:
    """Why forms cannot be printed so ("" if they can)."""
    if survey.status != Survey.Status.PUBLISHED or survey.current_version is None:
        return "Publish the survey first: a printed form answers a published version."
    languages = definition_for(survey.current_version).languages
    if language not in languages:
        return f"The survey is offered in {', '.join(languages)}, not in “{language}”."
    if not 1 <= count <= MAX_FORMS:
        return f"Print between 1 and {MAX_FORMS} forms at a time."
    return ""


def receive_upload(
    *,
    survey: Survey,
    name: str,
    data: bytes,
    language: str,
    replace: bool = False,
    user: Any = None,
) -> tuple[PaperUpload, list[Checked]]:
    """Keep an uploaded file with what each row would be; nothing of it is stored as
    responses yet. Raises reading.Unreadable or checking.BadColumns for a file that cannot
    be read as the survey's rows."""
    rows = read_rows(name, data)
    check_columns(survey, rows)
    checked = check_rows(survey, rows, language)
    upload = PaperUpload.objects.create(
        survey=survey,
        name=name[:200],
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        language=language,
        replace=replace,
        summary=dict(Counter(c.status for c in checked)),
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    record(
        action="receive_upload",
        obj=upload,
        consultation=survey.consultation,
        summary=upload.summary,
    )
    return upload, checked


@transaction.atomic
def store_upload(*, upload: PaperUpload, good_rows_only: bool = False) -> dict[str, int]:
    """Store the upload's new rows, and its changed rows if it says to replace: all of them
    or none (one transaction). A file with errors stores nothing unless `good_rows_only`."""
    upload = PaperUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != PaperUpload.Status.PREVIEWED:
        raise Refused("This upload was already stored or discarded; upload the file again.")
    survey = upload.survey
    rows = read_rows(upload.name, bytes(upload.content))
    summary = _store_rows(survey, rows, upload.language, upload.replace, good_rows_only)
    upload.status, upload.stored_at = PaperUpload.Status.STORED, timezone.now()
    upload.summary = summary
    upload.save(update_fields=["status", "stored_at", "summary"])
    record(
        action="store_upload", obj=upload, consultation=survey.consultation, summary=upload.summary
    )
    return upload.summary


@transaction.atomic
def import_rows(
    *,
    survey: Survey,
    name: str,
    rows: list[Row],
    language: str,
    replace: bool = False,
    good_rows_only: bool = False,
) -> dict[str, int]:
    """The shell's import of a file (import-responses): the checks and the store of an
    upload, without keeping the file."""
    summary = _store_rows(survey, rows, language, replace, good_rows_only)
    said = {"file": name[:200], **summary}
    record(action="import_rows", consultation=survey.consultation, summary=said)
    return summary


def _store_rows(
    survey: Survey, rows: list[Row], language: str, replace: bool, good_rows_only: bool
) -> dict[str, int]:
    check_columns(survey, rows)
    checked = check_rows(survey, rows, language)
    errors = sum(1 for c in checked if c.errors)
    if errors and not good_rows_only:
        raise Refused(
            f"{errors} rows have errors: correct them and upload the file again, "
            "or store only the rows without errors."
        )
    return {**_store(survey, checked, replace), "error": errors}


def _store(survey: Survey, checked: list[Checked], replace: bool) -> dict[str, int]:
    new = [c.submission for c in checked if c.status == "new" and c.submission]
    outcomes = submit_responses(survey=survey, submissions=new, channel=Response.Channel.PAPER)
    counts: Counter[str] = Counter(o.status for o in outcomes)
    counts["duplicate"] += sum(1 for c in checked if c.status == "same")
    changed = [c.submission for c in checked if c.status == "changed" and c.submission]
    if not replace:
        counts["kept"] = len(changed)  # stored answers stay; the preview showed the changes
    for submission in changed if replace else []:
        counts[correct_response(survey=survey, submission=submission).status] += 1
    return dict(counts)


@transaction.atomic
def discard_upload(*, upload: PaperUpload) -> None:
    """Drop an upload that was previewed and not stored (its file with it)."""
    upload = PaperUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != PaperUpload.Status.PREVIEWED:
        raise Refused("Only an upload not yet stored can be discarded.")
    upload.status, upload.content = PaperUpload.Status.DISCARDED, b""
    upload.save(update_fields=["status", "content"])
    record(action="discard_upload", obj=upload, consultation=upload.survey.consultation)
