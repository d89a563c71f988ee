"""Errors the API raises, and their JSON shape: {"detail": "...", "errors": {field: [...]}}."""

from typing import Any

from ninja import Schema

from globaldialogue.lib.errors import Errors
from globaldialogue.lib.ratelimit import retry_after


class Problem(Schema):
    """What every refusal answers: a sentence, and per field what was wrong."""

    detail: str
    errors: dict[str, list[dict[str, str]]] | None = None


def problems(*statuses: int) -> dict[int, type[Problem]]:
    """The refusals an operation may answer, for its `response=` (and so the OpenAPI)."""
    return dict.fromkeys(statuses, Problem)


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        detail: str,
        errors: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.detail}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def errors_json(errors: Errors) -> dict[str, list[dict[str, str]]]:
    return {
        field: [{"code": error.code, "message": error.message} for error in items]
        for field, items in errors.items()
    }


def refuse_if_limited(scope: str, ident: str, limit: tuple[int, int], message: str) -> None:
    """429 with Retry-After when `ident` is over `limit` (see lib.ratelimit)."""
    if wait := retry_after(scope, ident, limit):
        raise ApiError(429, message, headers={"Retry-After": str(wait)})
