"""Reads for the webhooks and the back office."""

import uuid

from django.db.models import QuerySet

from globaldialogue.messaging.models import Channel


def channel_for_webhook(channel_id: str) -> Channel | None:
    """An active channel by the id in its webhook's address (None for anything else)."""
    try:
        key = uuid.UUID(channel_id)
    except ValueError:
        return None
    return Channel.objects.select_related("survey").filter(uuid=key, is_active=True).first()


def channels_of(survey_ids: QuerySet) -> QuerySet[Channel]:
    return Channel.objects.filter(survey__in=survey_ids).select_related("survey")
