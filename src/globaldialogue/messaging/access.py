"""Reads for the webhooks and the back office."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from globaldialogue.messaging.models import Channel, Chat, Message, RapidProFlow


def channel_for_webhook(channel_id: str) -> Channel | None:
    """An active channel by the id in its webhook's address (None for anything else)."""
    try:
        key = uuid.UUID(channel_id)
    except ValueError:
        return None
    found = Channel.objects.select_related("survey__current_version")
    return found.filter(uuid=key, is_active=True).first()


def webhook_url(channel: Channel, kind: str = "receive") -> str:
    """The address a provider is given for `kind` (receive, status, sent, ...)."""
    path = reverse("messaging_webhook", kwargs={"channel_id": str(channel.uuid), "kind": kind})
    return settings.SITE_URL + path


@dataclass(frozen=True)
class Figures:
    """A channel's delivery and completion, for the back office (exact: not published)."""

    messages: dict[str, int]  # received, queued, sent, delivered, failed
    chats: dict[str, int]  # by step: open ones by where they are, ended ones by how
    asked: list[tuple[str, int]]  # (step, chats asked it), in the survey's order
    dropped: list[tuple[str, int]]  # (question, chats that stopped or went silent there)


def channel_figures(channel: Channel) -> Figures:
    messages = dict.fromkeys(["received", "queued", "sent", "delivered", "failed"], 0)
    rows = Message.objects.filter(channel=channel).values("status").annotate(n=Count("pk"))
    messages.update({row["status"]: row["n"] for row in rows})
    chats = dict(Chat.objects.filter(channel=channel).values_list("step").annotate(Count("pk")))
    reached = (
        Message.objects.filter(channel=channel, direction=Message.Direction.OUT)
        .exclude(chat=None)
        .values("step")
        .annotate(n=Count("chat", distinct=True))
    )
    by_step = {row["step"]: row["n"] for row in reached}
    order = ["language", "consent", *_question_keys(channel), "done"]
    ended = Chat.objects.filter(channel=channel, step__in=["stopped", "expired"])
    dropped = dict(ended.values_list("question").annotate(Count("pk")))
    return Figures(
        messages=messages,
        chats=chats,
        asked=[(step, by_step[step]) for step in order if step in by_step],
        # "": before the first question (at the language or the consent)
        dropped=[(key, dropped[key]) for key in ["", *order] if key in dropped],
    )


def _question_keys(channel: Channel) -> list[str]:
    version = channel.survey.current_version
    return [q["key"] for q in version.definition["questions"]] if version else []


def connected_flow(survey: Any, flow_uuid: str) -> RapidProFlow | None:
    """The survey's active connection to a RapidPro flow (None for any other flow)."""
    try:
        key = uuid.UUID(flow_uuid)
    except ValueError:
        return None
    found = RapidProFlow.objects.select_related("survey__current_version", "survey__consultation")
    return found.filter(survey=survey, flow_uuid=key, is_active=True).first()


def rapidpro_webhook_url(survey: Any) -> str:
    return settings.SITE_URL + reverse("api:post_rapidpro_run", kwargs={"slug": survey.slug})


def run_outcomes(flow: RapidProFlow) -> list[tuple[str, str, int]]:
    """(via, outcome, runs) of the runs taken in for a flow."""
    rows = (
        flow.runs.values_list("via", "outcome").annotate(n=Count("pk")).order_by("via", "outcome")
    )
    return [(via, outcome, n) for via, outcome, n in rows]
