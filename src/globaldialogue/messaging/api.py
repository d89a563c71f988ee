"""RapidPro's flow webhook: a partner's flow posts its default webhook body at its end, and
the run is stored once (its uuid is the key; the poller of RapidPro's runs fills what a
webhook missed, and recognises what it took)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from globaldialogue.accounts.access import PartnerKey
from globaldialogue.accounts.models import ApiKey
from globaldialogue.lib import jsonbody
from globaldialogue.lib.apierrors import ApiError, errors_json, problems, refuse_if_limited
from globaldialogue.lib.threads import in_thread
from globaldialogue.messaging import access, rapidpro_actions
from globaldialogue.messaging.models import RapidProRun
from globaldialogue.messaging.rapidpro import Unreadable, run_from_webhook
from globaldialogue.surveys.access import partner_intake_survey
from globaldialogue.surveys.actions import SurveyClosed

router = Router(tags=["surveys"])


class RunStored(Schema):
    id: str = Field(description="The response's id: derived from the run's uuid.")
    status: str = Field(description="created, or duplicate for a run already taken in")
    receipt: str


@router.post(
    "/{slug}/rapidpro",
    response={200: RunStored, 201: RunStored, **problems(401, 403, 404, 409, 413, 422, 429)},
    auth=PartnerKey(),
    summary="Take in a RapidPro flow's run (its default webhook body; idempotent by run uuid)",
    openapi_extra={
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}
    },
)
async def post_rapidpro_run(request: HttpRequest, slug: str) -> Status[RunStored]:
    return await in_thread(_post_run, request, slug)


def _post_run(request: HttpRequest, slug: str) -> Status[RunStored]:
    key: ApiKey = request.auth  # type: ignore[attr-defined]
    survey = partner_intake_survey(slug, key)
    refuse_if_limited("rapidpro-key", str(key.pk), settings.RATE_RAPIDPRO_PER_KEY, "Too many runs.")
    body = _body(request)
    try:
        run = run_from_webhook(body)
    except Unreadable as problem:
        raise ApiError(422, str(problem)) from None
    flow = access.connected_flow(survey, run.flow_uuid)
    if flow is None:
        raise ApiError(
            404, "This flow is not connected to this survey (back office: RapidPro flows)."
        )
    try:
        [outcome] = rapidpro_actions.receive_runs(
            flow=flow, runs=[run], via=RapidProRun.Via.WEBHOOK, payloads=[body]
        )
    except SurveyClosed as closed:
        raise ApiError(409, str(closed)) from None
    if outcome.status == "invalid":
        raise ApiError(
            422, "The run's answers have errors; nothing was stored.", errors_json(outcome.errors)
        )
    if outcome.status == "conflict":
        raise ApiError(409, "A different response was already stored for this run.")
    stored = RunStored(id=outcome.id, status=outcome.status, receipt=outcome.receipt)
    return Status(201 if outcome.status == "created" else 200, stored)


def _body(request: HttpRequest) -> Any:
    try:
        return jsonbody.loads(request.body)
    except ValueError as problem:
        raise ApiError(422, f"The body is not valid JSON: {problem}") from None
