"""Every write of RapidPro connections: connecting a partner's flow to a survey with its
result mapping, taking in runs (from the flow's webhook or from polling RapidPro's runs
with the `after` cursor), each stored once under an id derived from the run's uuid."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import httpx
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from globaldialogue.audit.actions import record
from globaldialogue.lib.hooks import Hook
from globaldialogue.messaging.models import RapidProFlow, RapidProRun
from globaldialogue.messaging.rapidpro import (
    Run,
    Unreadable,
    answers_of,
    kept,
    parse_time,
    run_from_api,
)
from globaldialogue.surveys import actions as survey_actions
from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.intake import Outcome, Submission
from globaldialogue.surveys.models import Response, Survey

FLOW_SETTINGS = ("name", "api_url", "api_token", "language", "mapping", "is_active")
MAX_PAGES = 200  # a poll reads at most this many pages (RapidPro's: 250 runs each)
TIMEOUT = httpx.Timeout(30.0)


# After the commit: a flow was connected or changed (tasks.py plans its polling).
flow_saved = Hook("messaging.flow_saved")


class Refused(ValueError):
    """A flow connection that cannot be saved as asked (one sentence)."""


def connect_flow(*, survey: Survey, flow_uuid: Any, **settings: Any) -> RapidProFlow:
    flow = RapidProFlow(survey=survey, flow_uuid=flow_uuid)
    return _save(flow, settings, "connect_flow")


def update_flow(*, flow: RapidProFlow, **settings: Any) -> RapidProFlow:
    return _save(flow, settings, "update_flow")


def _save(flow: RapidProFlow, settings: dict[str, Any], action: str) -> RapidProFlow:
    for name, value in settings.items():
        if name not in FLOW_SETTINGS:
            raise TypeError(f"Not a flow setting: {name}")
        setattr(flow, name, value)
    if problem := flow_problem(flow):
        raise Refused(problem)
    with transaction.atomic():
        flow.save()
        summary = {"survey": flow.survey.slug, "flow": str(flow.flow_uuid), "mapping": flow.mapping}
        record(action=action, obj=flow, consultation=flow.survey.consultation, summary=summary)
        flow_saved.fire(flow.pk)
    return flow


def flow_problem(flow: RapidProFlow) -> str:
    """Why a connection cannot be saved as it is ("" when it can)."""
    survey = flow.survey
    if flow.language not in survey.languages:
        return f"The survey is offered in {', '.join(survey.languages)}: choose one of them."
    if not isinstance(flow.mapping, dict):
        return 'The mapping is an object: {"result key": "question key"}.'
    questions = set(_question_keys(survey))
    unknown = sorted(str(v) for v in flow.mapping.values() if v not in questions)
    if unknown:
        return f"The survey has no question {', '.join(unknown)}."
    if flow.api_url and not flow.api_token:
        return "Polling RapidPro needs an API token."
    taken = RapidProFlow.objects.filter(survey=survey, flow_uuid=flow.flow_uuid)
    if taken.exclude(pk=flow.pk).exists():
        return "This flow is already connected to this survey."
    return ""


def _question_keys(survey: Survey) -> list[str]:
    version = survey.current_version
    return [q["key"] for q in version.definition["questions"]] if version else []


# --- runs in -------------------------------------------------------------------------------


def receive_runs(
    *, flow: RapidProFlow, runs: Sequence[Run], via: str, payloads: Sequence[dict[str, Any]]
) -> list[Outcome]:
    """Store each run (once, whichever way it comes first); what became of each."""
    return [_receive(flow, run, via, payload) for run, payload in zip(runs, payloads, strict=True)]


def _receive(flow: RapidProFlow, run: Run, via: str, payload: dict[str, Any]) -> Outcome:
    known = RapidProRun.objects.filter(flow=flow, run_uuid=run.run_uuid).first()
    if known is not None and known.outcome in ("created", "duplicate"):
        return Outcome(id=str(run.response_id), status="duplicate")
    answers, unread = answers_of(definition_for(flow.survey.current_version), run, flow.mapping)
    # Partial whatever its end: the partner's flow may ask fewer questions than the survey,
    # or stop early (interrupted, expired); what it asked is checked as on every channel.
    submission = Submission(
        id=run.response_id, language=flow.language, answers=answers, partial=True
    )
    with translation.override(flow.language), transaction.atomic():
        [outcome] = survey_actions.submit_responses(
            survey=flow.survey, submissions=[submission], channel=Response.Channel.RAPIDPRO
        )
        _note(flow, run, via, payload, outcome, unread, known)
    return outcome


def _note(
    flow: RapidProFlow,
    run: Run,
    via: str,
    payload: dict[str, Any],
    outcome: Outcome,
    unread: list[str],
    known: RapidProRun | None,
) -> None:
    stored = outcome.status in ("created", "duplicate")
    fields = {
        "via": via,
        "outcome": outcome.status,
        "response_id": run.response_id if stored else None,
        "unread": unread,
        "payload": kept(payload),
        "received_at": timezone.now(),
    }
    if known is not None:
        RapidProRun.objects.filter(pk=known.pk).update(**fields)
        return
    try:
        with transaction.atomic():
            RapidProRun.objects.create(flow=flow, run_uuid=run.run_uuid, **fields)
    except IntegrityError:  # the webhook and the poller at once: the response is stored once
        pass


# --- polling -------------------------------------------------------------------------------


def poll_flow(*, flow: RapidProFlow) -> dict[str, int]:
    """Take in the runs modified since the cursor that have ended (an active run comes again
    when it ends: ending modifies it); move the cursor. Counts by outcome."""
    counts: dict[str, int] = {}
    try:
        items, newest = _fetch(flow)
    except (httpx.HTTPError, ValueError) as problem:
        _polled(flow, flow.cursor, f"{type(problem).__name__}: {problem}"[:300])
        return {"error": 1}
    for item in items:
        try:
            run = run_from_api(item)
        except Unreadable:
            counts["unreadable"] = counts.get("unreadable", 0) + 1
            continue
        [outcome] = receive_runs(flow=flow, runs=[run], via=RapidProRun.Via.POLL, payloads=[item])
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    _polled(flow, newest or flow.cursor, "")
    return counts


def _fetch(flow: RapidProFlow) -> tuple[list[dict[str, Any]], datetime | None]:
    """Every ended run modified after the cursor (all pages), and the newest modified_on."""
    url: str | None = f"{flow.api_url.rstrip('/')}/api/v2/runs.json"
    params: dict[str, str] | None = {"flow": str(flow.flow_uuid)}
    if flow.cursor and params is not None:
        params["after"] = flow.cursor.isoformat().replace("+00:00", "Z")
    headers = {"Authorization": f"Token {flow.api_token}"}
    found: list[dict[str, Any]] = []
    newest: datetime | None = None
    for _page in range(MAX_PAGES):
        if url is None:
            break
        response = httpx.get(url, params=params, headers=headers, timeout=TIMEOUT)
        response.raise_for_status()
        body = response.json()
        ended = [i for i in body.get("results") or [] if isinstance(i, dict) and i.get("exited_on")]
        found += ended
        for modified in filter(None, (parse_time(item.get("modified_on")) for item in ended)):
            newest = modified if newest is None else max(newest, modified)
        url, params = body.get("next"), None  # the next page's URL carries its cursor
    return found, newest


def _polled(flow: RapidProFlow, cursor: datetime | None, error: str) -> None:
    flow.cursor, flow.polled_at, flow.poll_error = cursor, timezone.now(), error
    flow.save(update_fields=["cursor", "polled_at", "poll_error"])
