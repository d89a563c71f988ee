"""Dialogue endpoints: the groups' reports of an event, once its organizers make them public
(the same rows as the organizers' export, without names)."""

from django.http import HttpRequest
from ninja import Router, Schema

from globaldialogue.dialogues import access
from globaldialogue.dialogues.models import Event
from globaldialogue.dialogues.reports import report_rows

router = Router(tags=["dialogues"])


class IdeaOut(Schema):
    text: str
    agreement: str


class GroupReportOut(Schema):
    event: str
    group: int
    language: str
    members: int
    filed: bool
    filed_at: str
    summaries: dict[str, str]
    ideas: list[IdeaOut]
    message: str


@router.get("/{slug}/reports", response=list[GroupReportOut])
def group_reports(request: HttpRequest, slug: str) -> list[dict]:
    """One entry per group, filed or not (the report-back rate is part of the result);
    summaries are keyed by the agenda item's English title."""
    event: Event = access.reported_event(slug)
    return report_rows([event])
