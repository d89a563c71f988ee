"""Group commit (lib/groupcommit.py) for `POST /api/surveys/{slug}/responses`.

Answered here: 201 created and 200 identical retry. Everything else goes to the Django
endpoint.
"""

import json
import re

from django.conf import settings
from django.db import close_old_connections
from django.http import Http404

from globaldialogue.lib import jsonbody
from globaldialogue.lib.groupcommit import Reply, Route
from globaldialogue.lib.ratelimit import retry_after
from globaldialogue.surveys import access, actions


def _store(slug: str, work: list[tuple[actions.Submission, str]]) -> list[Reply]:
    close_old_connections()
    try:
        survey = access.intake_survey(slug)
        allowed = [
            i
            for i, (_, ip) in enumerate(work)
            if not retry_after("submit-ip", ip, settings.RATE_SUBMIT_PER_IP)
        ]
        outcomes = actions.submit_responses(
            survey=survey, submissions=[work[i][0] for i in allowed], channel="api"
        )
    except (Http404, actions.SurveyClosed):
        return [None] * len(work)
    finally:
        close_old_connections()
    replies: list[Reply] = [None] * len(work)
    for index, outcome in zip(allowed, outcomes, strict=True):
        replies[index] = _reply(outcome)
    return replies


def _reply(outcome: actions.Outcome) -> Reply:
    if outcome.status not in ("created", "duplicate"):
        return None
    body = json.dumps({"id": outcome.id, "receipt": outcome.receipt}).encode()
    return (201 if outcome.status == "created" else 200), body


def _submission(body: bytes) -> actions.Submission | None:
    try:
        data = jsonbody.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or set(data) != {"id", "language", "answers"}:
        return None
    if not (
        isinstance(data["id"], str)
        and isinstance(data["language"], str)
        and isinstance(data["answers"], dict)
    ):
        return None
    return actions.Submission(id=data["id"], language=data["language"], answers=data["answers"])


ROUTE = Route(
    path=re.compile(r"^/api/surveys/(?P<slug>[-a-zA-Z0-9_]+)/responses$"),
    parse=_submission,
    store=_store,
    max_bytes=lambda: int(settings.SINGLE_RESPONSE_MAX_BYTES),
)
