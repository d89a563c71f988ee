"""The JSON API: one NinjaAPI, routers from each app, errors in one shape."""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from globaldialogue.deliberation.api import router as conversations_router
from globaldialogue.dialogues.api import router as dialogues_router
from globaldialogue.lib import jsonbody
from globaldialogue.lib.apierrors import ApiError
from globaldialogue.messaging.api import router as messaging_router
from globaldialogue.results.api import router as results_router
from globaldialogue.surveys.api import router as surveys_router


class LimitedJson(Parser):
    """Request bodies through lib/jsonbody.py: too deep is invalid JSON, not a crash."""

    def parse_body(self, request: HttpRequest) -> Any:
        return jsonbody.loads(request.body)


api = NinjaAPI(
    parser=LimitedJson(),
    title="Global Dialogue API",
    version="1",
    description=(
        "Surveys: definitions, response intake (single and partner batches) and results. "
        "Conversations: statements, votes (single and partner batches), the next statement "
        "to show and the opinion map. Dialogues: events partners register and follow, and "
        "the groups' reports once public. Public endpoints need no key; partner endpoints "
        "need `Authorization: Bearer <key>`."
    ),
    urls_namespace="api",
)
api.add_router("/surveys", surveys_router)
api.add_router("/surveys", results_router)
api.add_router("/surveys", messaging_router)
api.add_router("/conversations", conversations_router)
api.add_router("/dialogues", dialogues_router)


@api.exception_handler(ApiError)
def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = api.create_response(request, exc.body(), status=exc.status)
    for name, value in exc.headers.items():
        response[name] = value
    return response


@api.exception_handler(NinjaValidationError)
def on_invalid_shape(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[dict[str, str]]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        field = ".".join(location) or "body"
        errors.setdefault(field, []).append(
            {"code": str(error.get("type", "invalid")), "message": str(error.get("msg", ""))}
        )
    body = {"detail": "The request is not valid; nothing was stored.", "errors": errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    body = {"detail": "The request body is too large."}
    return api.create_response(request, body, status=413)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja reports a body it cannot parse as 400; to clients it is invalid input like any other.
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        body = {
            "detail": "The request body is not valid JSON; nothing was stored.",
            "errors": {"body": [{"code": "invalid_json", "message": str(exc.__cause__)}]},
        }
        return api.create_response(request, body, status=422)
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)
