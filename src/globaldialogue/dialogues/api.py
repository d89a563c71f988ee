"""Dialogue endpoints: partners register events (with their partner key) and follow them;
anyone reads the groups' reports of an event once its organizers make them public (the
same rows as the organizers' export, without names)."""

from datetime import datetime
from typing import Literal

from django.db import IntegrityError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from globaldialogue.accounts.access import PartnerKey, api_key_from_header
from globaldialogue.accounts.models import ApiKey, Scope
from globaldialogue.dialogues import access, actions
from globaldialogue.dialogues.models import Event, event_counts
from globaldialogue.dialogues.reports import report_rows
from globaldialogue.lib.apierrors import ApiError, problems

router = Router(tags=["dialogues"])
SLUG = r"^[-a-zA-Z0-9_]+$"


class AgendaItemIn(Schema):
    title: dict[str, str] = Field(min_length=1, description="Per language code.")
    prompt: dict[str, str] = Field(default_factory=dict, description="The question, per language.")
    minutes: int = Field(ge=1, le=180)


class EventIn(Schema):
    consultation: str = Field(description="The consultation's slug (your key must allow it).")
    slug: str = Field(min_length=1, max_length=50, pattern=SLUG)
    title: dict[str, str] = Field(min_length=1)
    description: dict[str, str] = Field(default_factory=dict)
    languages: list[str] = Field(min_length=1, max_length=20, description="Default first.")
    starts_at: datetime = Field(description="With its UTC offset, e.g. 2026-12-10T15:00:00+03:00.")
    time_zone: str = Field(description="IANA name, e.g. Africa/Nairobi.")
    agenda: list[AgendaItemIn] = Field(min_length=1, max_length=20)
    min_group_size: int = 4
    max_group_size: int = 6
    capacity: int = Field(200, ge=1, le=100_000)
    registration: Literal["open", "invitation"] = "open"
    invitation_code: str = Field("", max_length=64)
    publish: bool = Field(
        False,
        description="List it at once, if the key has the events:publish scope; otherwise "
        "it waits for organizers to publish it.",
    )


class EventOut(Schema):
    slug: str
    status: str
    page: str
    registered: int
    groups: int
    reports: int


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


@router.post(
    "",
    response={201: EventOut, **problems(401, 403, 404, 409, 413, 422)},
    auth=PartnerKey(),
    summary="Register an event",
)
def register_event(request: HttpRequest, payload: EventIn) -> Status[EventOut]:
    key: ApiKey = request.auth  # type: ignore[attr-defined]
    consultation = access.partner_consultation(key, payload.consultation)
    fields = payload.dict(exclude={"consultation", "publish"})
    # Without the publish scope an event waits for an organizer, whatever was asked.
    publish = payload.publish and key.allows(Scope.PUBLISH_EVENTS, consultation.pk)
    status = Event.Status.PUBLISHED if publish else Event.Status.DRAFT
    try:
        event = actions.create_event(
            consultation=consultation, status=status, partner=key, **fields
        )
    except IntegrityError:
        raise ApiError(409, "An event with this slug exists already.") from None
    except (ValueError, LookupError) as error:  # zoneinfo raises LookupError subclasses
        raise ApiError(422, str(error) or "Invalid event.") from None
    return Status(201, _event_out(event))


@router.get(
    "/{slug}",
    response={200: EventOut, **problems(401, 404)},
    auth=PartnerKey(),
    summary="One of your events",
)
def get_event(request: HttpRequest, slug: str) -> EventOut:
    key: ApiKey = request.auth  # type: ignore[attr-defined]
    return _event_out(access.partner_event(key, slug))


def _event_out(event: Event) -> EventOut:
    counts = Event.objects.filter(pk=event.pk).aggregate(**event_counts())
    return EventOut(
        slug=event.slug,
        status=event.status,
        page=f"/d/{event.slug}/",
        registered=counts["registered_total"],
        groups=counts["groups_total"],
        reports=counts["reports_total"],
    )


@router.get("/{slug}/reports", response={200: list[GroupReportOut], **problems(401, 404)})
def group_reports(request: HttpRequest, slug: str) -> list[dict]:
    """One entry per group, filed or not (the report-back rate is part of the result);
    summaries are keyed by the agenda item's English title. Public once the organizers
    publish the reports; before that, to a partner key (`Authorization: Bearer`) with the
    `reports` scope in the event's consultation. Personal data a group's texts may hold (an
    email, a phone number, a name someone gave) is replaced by a bracketed word."""
    header = request.headers.get("Authorization", "")
    key = api_key_from_header(header) if header else None
    if header and key is None:
        raise ApiError(401, "This key is unknown or revoked.")
    return report_rows([access.reported_event(slug, key)], scrubbed=True)
