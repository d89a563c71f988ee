"""What a person may read of paper forms: an upload's rows as they stand now (the preview).
The surveys they may print for: surveys.access.open_surveys_for."""

from globaldialogue.paper.checking import Checked, check_columns, check_rows
from globaldialogue.paper.models import PaperUpload
from globaldialogue.paper.reading import read_rows


def upload_rows(upload: PaperUpload) -> list[Checked]:
    """Each row of an upload not yet stored, as it would be stored now (none once stored or
    discarded: its summary says what became of them)."""
    if upload.status != PaperUpload.Status.PREVIEWED:
        return []
    rows = read_rows(upload.name, bytes(upload.content))
    check_columns(upload.survey, rows)
    return check_rows(upload.survey, rows, upload.language)
