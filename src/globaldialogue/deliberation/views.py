"""The participant's conversation page: vote on statements, add one, see where you stand.

Everything works without JS (plain forms, redirect after POST). With JS, conversation.js
posts the same forms and swaps in one part of the page (`part=card|map`), and a WebSocket
says when a new map is ready.

Who is voting: a partner's signed `xid` when the page was opened with one, else an
anonymous random token in a signed cookie (identity.py). Only a keyed hash of either is
stored. Forms are exempt from CSRF tokens but refuse other sites (lib/origin.py).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from globaldialogue.deliberation import access, actions, report
from globaldialogue.deliberation.api import STATUS_FOR
from globaldialogue.deliberation.identity import COOKIE, Identity, identity_of, remember
from globaldialogue.deliberation.models import Conversation, Participant, Statement
from globaldialogue.deliberation.presenters import map_context
from globaldialogue.deliberation.routing import next_statement
from globaldialogue.deliberation.translated import statement_shown
from globaldialogue.lib.languages import (
    choose_language,
    page_frame,
    page_language,
    reader_languages,
    remember_language,
    ui_language,
)
from globaldialogue.lib.origin import same_origin
from globaldialogue.lib.ratelimit import client_ip, retry_after
from globaldialogue.lib.translated import pick

PARTS = {"card": "deliberation/_card.html", "map": "deliberation/_map.html"}


def _as_participant(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view gets the conversation, the page's language and who is taking part; a link
    with a wrong signature, or a POST from another site, gets a page saying so (403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str) -> HttpResponse:
        conversation = access.public_conversation(slug)
        language = page_language(request, conversation.languages)
        with translation.override(ui_language(language)):
            try:
                if request.method == "POST" and not same_origin(request):
                    raise actions.Refused("cross_site", _("This form was sent from another site."))
                identity = identity_of(request, conversation)
            except actions.Refused as refused:
                return _framable(_problem(request, conversation, language, refused.message))
            return _framable(view(request, conversation, language, identity))

    return wrapped


def _framable(response: HttpResponse) -> HttpResponse:
    """Partners' sites named in settings.EMBED_ORIGINS may show the page in a frame; no
    other site may (a framed voting page under a decoy is a clickjacking trap)."""
    if settings.EMBED_ORIGINS:
        # Read by web/csp.py when it writes the page's Content-Security-Policy.
        response.frame_ancestors = " ".join(["'self'", *settings.EMBED_ORIGINS])  # type: ignore[attr-defined]
        response.xframe_options_exempt = True
    return response


def _problem(
    request: HttpRequest, conversation: Conversation, language: str, message: str
) -> HttpResponse:
    url = reverse("deliberation:conversation", args=[conversation.slug])
    context = {
        **page_frame(url, conversation.topic_in(language), language, conversation.languages),
        "heading": conversation.topic_in(language),
        "message": message,
        "link": f"{url}?lang={language}",
        "link_text": _("Take part without the id"),
    }
    return render(request, "web/problem.html", context, status=403)


@require_GET
@_as_participant
def conversation_page(
    request: HttpRequest, conversation: Conversation, language: str, identity: Identity
) -> HttpResponse:
    part = request.GET.get("part", "")
    if part and part not in PARTS:
        raise Http404("No such part of the page")
    response = _render(request, conversation, language, identity, part=part)
    remember_language(request, response, language)
    return remember(request, response, identity)


@csrf_exempt  # refuses other sites itself (_as_participant), so cookieless phones still vote
@require_POST
@_as_participant
def vote(
    request: HttpRequest, conversation: Conversation, language: str, identity: Identity
) -> HttpResponse:
    part = "card" if request.POST.get("part") == "card" else ""
    try:
        _limit(request)
        _cast(conversation, identity, request.POST)
    except actions.Refused as refused:
        status, extra = STATUS_FOR.get(refused.code, 422), {"vote_error": refused.message}
        page = _render(
            request, conversation, language, identity, part=part, status=status, extra=extra
        )
        return remember(request, page, identity)
    return remember(request, _back(conversation, language, identity, part=part), identity)


@csrf_exempt
@require_POST
@_as_participant
def add_statement(
    request: HttpRequest, conversation: Conversation, language: str, identity: Identity
) -> HttpResponse:
    text = str(request.POST.get("text", ""))
    try:
        _limit(request)
        statement = _add(conversation, identity, text, language, request.POST)
    except actions.Duplicate as duplicate:
        languages = reader_languages(request, language, conversation.languages)
        extra = {
            "draft": text,
            "duplicate": duplicate.existing,
            "duplicate_shown": statement_shown(duplicate.existing, languages),
            "add_error": duplicate.message,
        }
        response = _render(request, conversation, language, identity, status=409, extra=extra)
        return remember(request, response, identity)
    except actions.Refused as refused:
        extra = {"draft": text, "add_error": refused.message}
        status = STATUS_FOR.get(refused.code, 422)
        response = _render(request, conversation, language, identity, status=status, extra=extra)
        return remember(request, response, identity)
    added = "pending" if statement.status == Statement.Status.PENDING else "accepted"
    back = _back(conversation, language, identity, added=added)
    return remember(request, back, identity)


@csrf_exempt
@require_POST
@_as_participant
def forget(
    request: HttpRequest, conversation: Conversation, language: str, identity: Identity
) -> HttpResponse:
    """The participant deletes their votes and statements (actions.forget_participant); a
    browser's cookie goes too, so the next visit starts afresh."""
    participant = access.known_participant(conversation, identity.xid, token=identity.token)
    if participant is not None:
        actions.forget_participant(participant=participant)
    response = _back(conversation, language, identity, forgotten="1")
    response.delete_cookie(COOKIE)
    return response


def _cast(conversation: Conversation, identity: Identity, form: Any) -> None:
    try:
        statement = access.conversation_statement(conversation, int(form.get("statement", "")))
    except (ValueError, Http404):
        raise actions.Refused("unknown_statement", _("There is no such statement here.")) from None
    try:
        value = int(form.get("vote", ""))
    except ValueError:
        raise actions.Refused(
            "invalid_vote", _("A vote is 1 (agree), 0 (pass) or -1 (disagree).")
        ) from None
    with transaction.atomic():  # a refused vote leaves no participant behind
        participant = _join(conversation, identity)
        actions.cast_vote(participant=participant, statement=statement, value=value)


def _add(
    conversation: Conversation, identity: Identity, text: str, language: str, form: Any
) -> Statement:
    with transaction.atomic():
        participant = _join(conversation, identity)
        return actions.add_statement(
            conversation=conversation,
            participant=participant,
            text=text,
            language=language,
            allow_duplicate=form.get("allow_duplicate") == "1",
        )


def _join(conversation: Conversation, identity: Identity) -> Participant:
    return actions.join_conversation(
        conversation=conversation,
        xid=identity.xid,
        token=identity.token if not identity.xid else "",
    )


def _limit(request: HttpRequest) -> None:
    if retry_after("vote-ip", client_ip(request), settings.RATE_VOTE_PER_IP):
        raise actions.Refused(
            "flood", _("Too many votes from your network just now; wait a minute.")
        )


def _back(
    conversation: Conversation, language: str, identity: Identity, **query: str
) -> HttpResponse:
    """Redirect after POST, so reloading never votes twice."""
    who = {"xid": identity.xid, "xid_sig": identity.xid_sig} if identity.xid else {}
    params = {"lang": language, **who, **query}
    params = {key: value for key, value in params.items() if value}
    url = reverse("deliberation:conversation", args=[conversation.slug])
    anchor = "" if query.get("part") else ("#add" if "added" in query else "#vote")
    anchor = "#yours" if "forgotten" in query else anchor
    return HttpResponseRedirect(f"{url}?{urlencode(params)}{anchor}", status=303)


def _render(
    request: HttpRequest,
    conversation: Conversation,
    language: str,
    identity: Identity,
    *,
    part: str = "",
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {**_context(request, conversation, language, identity, part), **(extra or {})}
    template = PARTS.get(part, "deliberation/conversation.html")
    return render(request, template, context, status=status)


def _context(
    request: HttpRequest, conversation: Conversation, language: str, identity: Identity, part: str
) -> dict[str, Any]:
    participant = access.known_participant(conversation, identity.xid, token=identity.token)
    title = conversation.topic_in(language)
    context: dict[str, Any] = {
        "conversation": conversation,
        "xid": identity.xid,
        "xid_sig": identity.xid_sig,
        "topic": title,
        "description": pick(conversation.description, language, conversation.languages),
        "added": request.GET.get("added", ""),
        "forgotten": request.GET.get("forgotten") == "1",
        **page_frame(request.path, title, language, conversation.languages),
    }
    languages = reader_languages(request, language, conversation.languages)
    if part != "map":
        context.update(_card(conversation, participant, languages))
    if part != "card":  # the card alone needs no map (the next pick has its own table)
        stored = access.latest_map(conversation)
        context["map"] = map_context(stored, participant, languages=languages)
        context["map_id"] = stored.pk if stored is not None else 0
    return context


def _card(
    conversation: Conversation, participant: Participant | None, languages: list[str]
) -> dict[str, Any]:
    statement = (
        next_statement(conversation, participant, languages=languages)
        if conversation.is_open
        else None
    )
    return {
        "statement": statement,
        "shown": statement_shown(statement, languages) if statement else None,
        "remaining": access.unvoted_count(conversation, participant),
    }


@require_GET
def report_page(request: HttpRequest, slug: str) -> HttpResponse:
    """For organizers and the public: the groups, consensus, bridging, every statement and
    participation over time; `?format=csv` downloads the statement table."""
    conversation = access.public_conversation(slug)
    language = choose_language(request, conversation.languages)
    stored = access.latest_map(conversation)
    languages = reader_languages(request, language, conversation.languages)
    if request.GET.get("format") == "csv":
        response = HttpResponse(
            report.statement_csv(conversation, stored), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{conversation.slug}-statements.csv"'
        )
        return response
    letters, rows = report.statement_table(conversation, stored, languages)
    context = {
        **page_frame(
            request.path, conversation.topic_in(language), language, conversation.languages
        ),
        "conversation": conversation,
        "topic": conversation.topic_in(language),
        "map": map_context(stored, None, list_length=20, languages=languages),
        "map_id": stored.pk if stored is not None else 0,
        "letters": letters,
        "rows": rows,
        "counts": report.statement_counts(conversation),
        "people": report.people(conversation),
        "threshold": conversation.suppression_threshold,
        "participation": report.participation(conversation),
    }
    with translation.override(ui_language(language)):
        return render(request, "deliberation/report.html", context)
