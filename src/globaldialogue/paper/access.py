"""What a person may read of paper forms: the surveys they may print for, and an upload's
rows as they stand now (the preview)."""

from typing import Any

from django.db.models import QuerySet

from globaldialogue.consultations import access
from globaldialogue.paper.checking import Checked, check_columns, check_rows
from globaldialogue.paper.models import PaperUpload
from globaldialogue.paper.reading import read_rows
from globaldialogue.surveys.models import Survey


def surveys_for(user: Any, action: str) -> QuerySet[Survey]:
    """Open surveys of the consultations where `user` may do `action` (a form's choices)."""
    found = Survey.objects.filter(status=Survey.Status.PUBLISHED).order_by("slug")
    ids = access.consultation_ids(user, action)
    return found if ids is None else found.filter(consultation_id__in=ids)


def upload_rows(upload: PaperUpload) -> list[Checked]:
    """Each row of an upload not yet stored, as it would be stored now (none once stored or
    discarded: its summary says what became of them)."""
    if upload.status != PaperUpload.Status.PREVIEWED:
        return []
    rows = read_rows(upload.name, bytes(upload.content))
    check_columns(upload.survey, rows)
    return check_rows(upload.survey, rows, upload.language)
