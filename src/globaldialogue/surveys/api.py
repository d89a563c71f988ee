"""Survey endpoints: the definition, single responses, and partner batches."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Router, Schema, Status

from globaldialogue.accounts.access import PartnerKey
from globaldialogue.accounts.models import ApiKey
from globaldialogue.lib.apierrors import ApiError, errors_json, problems, refuse_if_limited
from globaldialogue.lib.languages import choose_language, ui_language
from globaldialogue.lib.ratelimit import client_ip
from globaldialogue.lib.threads import in_thread
from globaldialogue.lib.translated import normalize_language
from globaldialogue.surveys import access, actions
from globaldialogue.surveys.presenters import definition_json

router = Router(tags=["surveys"])
BUSY = "Too many submissions; try again later."


class ResponseIn(Schema):
    id: str = Field(description="A UUID chosen by the client; resending it is a safe retry.")
    language: str = Field(description="Language code the participant answered in, e.g. fr.")
    answers: dict[str, Any] = Field(
        description=(
            "Question key -> answer. Single choice and scale: an option key. Multiple choice: "
            'a list of option keys. Text: a string. "Other": {"option": "other", "text": "..."}.'
        )
    )


class Receipt(Schema):
    id: str
    receipt: str


class BatchIn(Schema):
    responses: list[Any] = Field(description="Up to 1,000 responses, each shaped as ResponseIn.")


class ItemResult(Schema):
    id: str
    status: str = Field(description="created, duplicate, conflict or invalid")
    receipt: str | None = None
    errors: dict[str, list[dict[str, str]]] | None = None


class BatchOut(Schema):
    results: list[ItemResult]
    counts: dict[str, int]


@router.get(
    "/{slug}",
    response={200: dict[str, Any], **problems(404, 422)},
    summary="Survey definition in one language",
)
def get_survey(request: HttpRequest, slug: str, lang: str = "") -> dict[str, Any]:
    survey = access.public_survey(slug)
    language = choose_language(request, survey.languages) if not lang else normalize_language(lang)
    if language not in survey.languages:
        raise ApiError(
            422,
            "Unsupported language.",
            {
                "lang": [
                    {
                        "code": "unsupported_language",
                        "message": f"Offered languages: {', '.join(survey.languages)}.",
                    }
                ]
            },
        )
    return definition_json(survey, language)


@router.post(
    "/{slug}/responses",
    response={200: Receipt, 201: Receipt, **problems(404, 409, 413, 422, 429)},
    summary="Submit one response (idempotent by id)",
)
async def post_response(request: HttpRequest, slug: str, payload: ResponseIn) -> Status[Receipt]:
    # Async, with the work in the thread pool: many submissions wait on commits at once.
    return await in_thread(_post_response, request, slug, payload)


def _post_response(request: HttpRequest, slug: str, payload: ResponseIn) -> Status[Receipt]:
    survey = access.intake_survey(slug)
    refuse_if_limited("submit-ip", client_ip(request), settings.RATE_SUBMIT_PER_IP, BUSY)
    submission = actions.Submission(
        id=payload.id, language=payload.language, answers=payload.answers
    )
    with translation.override(ui_language(normalize_language(payload.language))):
        outcome = _submit(survey, [submission], "api", None)[0]
        if outcome.status == "invalid":
            raise ApiError(
                422,
                translation.gettext("The response has errors; nothing was stored."),
                errors_json(outcome.errors),
            )
        if outcome.status == "conflict":
            raise ApiError(
                409, translation.gettext("A different response was already stored with this id.")
            )
    status = 201 if outcome.status == "created" else 200
    return Status(status, Receipt(id=outcome.id, receipt=outcome.receipt))


@router.post(
    "/{slug}/responses/batch",
    response={200: BatchOut, **problems(401, 403, 404, 409, 413, 422, 429)},
    auth=PartnerKey(),
    summary="Submit up to 1,000 responses from a partner platform",
)
async def post_batch(request: HttpRequest, slug: str, payload: BatchIn) -> BatchOut:
    return await in_thread(_post_batch, request, slug, payload)


def _post_batch(request: HttpRequest, slug: str, payload: BatchIn) -> BatchOut:
    key: ApiKey = request.auth  # type: ignore[attr-defined]
    survey = access.partner_intake_survey(slug, key)
    refuse_if_limited("batch-key", str(key.pk), settings.RATE_BATCH_PER_KEY, BUSY)
    if len(payload.responses) > settings.BATCH_MAX_ITEMS:
        raise ApiError(422, f"Send at most {settings.BATCH_MAX_ITEMS} responses per batch.")
    submissions = [_batch_item(item) for item in payload.responses]
    outcomes = _submit(survey, submissions, "partner", key)
    results = [
        ItemResult(
            id=o.id,
            status=o.status,
            receipt=o.receipt or None,
            errors=errors_json(o.errors) if o.errors else None,
        )
        for o in outcomes
    ]
    counts = {
        status: sum(1 for o in outcomes if o.status == status)
        for status in ("created", "duplicate", "conflict", "invalid")
    }
    return BatchOut(results=results, counts=counts)


def _batch_item(item: Any) -> actions.Submission:
    if not isinstance(item, dict):
        item = {}
    return actions.Submission(
        id=item.get("id"), language=item.get("language"), answers=item.get("answers")
    )


def _submit(
    survey: Any, submissions: list[actions.Submission], channel: str, key: ApiKey | None
) -> list[actions.Outcome]:
    try:
        return actions.submit_responses(
            survey=survey, submissions=submissions, channel=channel, api_key=key
        )
    except actions.SurveyClosed as closed:
        raise ApiError(409, str(closed)) from None
