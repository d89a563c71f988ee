"""Conversation endpoints: statements, votes and the opinion map."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from globaldialogue.accounts.access import api_key_from_header, key_actor
from globaldialogue.accounts.models import Scope
from globaldialogue.audit.context import set_actor
from globaldialogue.deliberation import access, actions
from globaldialogue.deliberation.identity import signed_xid
from globaldialogue.deliberation.mapping import unpack_positions
from globaldialogue.deliberation.presenters import public_repness, statement_texts
from globaldialogue.deliberation.published import published_map
from globaldialogue.deliberation.routing import next_statement
from globaldialogue.deliberation.translated import shown_texts, statement_shown
from globaldialogue.lib.apierrors import ApiError, problems, refuse_if_limited
from globaldialogue.lib.languages import match_language
from globaldialogue.lib.ratelimit import client_ip

router = Router(tags=["conversations"])
STATUS_FOR = {
    "empty": 422,
    "too_long": 422,
    "invalid_vote": 422,
    "closed": 409,
    "not_votable": 409,
    "duplicate": 409,
    "flood": 429,
    "busy": 503,
}
PAGE_SIZE = 10_000
LIST_LIMIT = 1000  # statements per page of the statement list


XID = Field(min_length=1, max_length=200, description="Your platform's id for the person.")
XID_SIG = Field(
    "",
    max_length=128,
    description='Hex HMAC-SHA256 of "{slug}:{xid}" under the conversation\'s embed secret '
    "(docs/embedding.md); not needed with a partner key that has the deliberation scope.",
)
HOW_TO_PROVE = (
    'Prove who the participant is: send xid_sig, the hex HMAC-SHA256 of "{slug}:{xid}" '
    "under the conversation's embed secret (organizers see it in the back office), or "
    "a partner key with the deliberation scope as Authorization: Bearer <key>."
)


class StatementIn(Schema):
    xid: str = XID
    xid_sig: str = XID_SIG
    text: str
    language: str = Field(min_length=2, max_length=16)
    allow_duplicate: bool = False


class StatementOut(Schema):
    id: int
    text: str
    language: str
    status: str


class Counts(Schema):
    agree: int | None
    disagree: int | None
    passed: int | None
    seen: int | None


class StatementListed(Schema):
    id: int
    text: str = Field(description="In the language asked for where a translation exists.")
    language: str = Field(description="The language of `text`.")
    original_language: str
    original_text: str
    machine_translated: bool = Field(description="`text` is a machine's, unreviewed.")
    seed: bool
    counts: Counts | None = Field(
        description="As of the last opinion map, under the disclosure policy (null: not yet "
        "counted; a null count: hidden)."
    )


class StatementPage(Schema):
    language: str
    counted_at: Any = None
    statements: list[StatementListed]
    next_after: int | None = Field(description="Pass as `after` for the next page.")


class VoteIn(Schema):
    xid: str = XID
    xid_sig: str = XID_SIG
    statement: int = Field(strict=True)
    vote: int = Field(strict=True, description="1 agree, 0 pass, -1 disagree")


class VoteOut(Schema):
    statement: int
    vote: int


@router.post(
    "/{slug}/statements",
    response={201: StatementOut, **problems(403, 404, 409, 413, 415, 422, 429, 503)},
    summary="Add a statement (hidden until accepted under pre-moderation)",
)
def post_statement(request: HttpRequest, slug: str, payload: StatementIn) -> Status[StatementOut]:
    conversation = access.public_conversation(slug)
    xid = _proven(request, conversation, payload.xid, payload.xid_sig, body=True)
    _limit(request)
    with transaction.atomic():  # a refused statement leaves no participant behind either
        participant = actions.join_conversation(conversation=conversation, xid=xid)
        statement = _refusing(
            lambda: actions.add_statement(
                conversation=conversation,
                participant=participant,
                text=payload.text,
                language=payload.language,
                allow_duplicate=payload.allow_duplicate,
            )
        )
    return Status(
        201,
        StatementOut(
            id=statement.pk,
            text=statement.text,
            language=statement.language,
            status=statement.status,
        ),
    )


@router.post(
    "/{slug}/votes",
    response={200: VoteOut, **problems(403, 404, 409, 413, 415, 422, 429, 503)},
    summary="Vote on a statement; voting again replaces the earlier vote",
)
def post_vote(request: HttpRequest, slug: str, payload: VoteIn) -> VoteOut:
    conversation = access.public_conversation(slug)
    xid = _proven(request, conversation, payload.xid, payload.xid_sig, body=True)
    _limit(request)
    try:
        statement = access.conversation_statement(conversation, payload.statement)
    except Http404:
        raise ApiError(404, "There is no such statement here.") from None
    with transaction.atomic():
        participant = actions.join_conversation(conversation=conversation, xid=xid)
        vote = _refusing(
            lambda: actions.cast_vote(
                participant=participant, statement=statement, value=payload.vote
            )
        )
    return VoteOut(statement=statement.pk, vote=vote.value)


class ForgetIn(Schema):
    xid: str = XID
    xid_sig: str = XID_SIG


class ForgottenOut(Schema):
    votes: int
    statements_deleted: int
    statements_kept: int


@router.post(
    "/{slug}/forget",
    response={200: ForgottenOut, **problems(403, 404, 413, 415, 422)},
    summary="Delete a participant's votes and statements (at their request)",
)
def post_forget(request: HttpRequest, slug: str, payload: ForgetIn) -> dict[str, int]:
    """Statements others voted on keep their text without an author; the rest go."""
    conversation = access.public_conversation(slug)
    xid = _proven(request, conversation, payload.xid, payload.xid_sig, body=True)
    participant = access.known_participant(conversation, xid)
    if participant is None:
        return {"votes": 0, "statements_deleted": 0, "statements_kept": 0}
    return actions.forget_participant(participant=participant)


@router.get(
    "/{slug}/statements",
    response={200: StatementPage, **problems(404, 422)},
    summary="The accepted statements, in a language of your choice",
)
def get_statements(
    request: HttpRequest,
    slug: str,
    lang: str = "",
    after: int = 0,
    limit: int = LIST_LIMIT,
) -> dict[str, Any]:
    """Accepted statements by id, `limit` (at most 1000) at a time from after `after`: each
    in `lang` where it was written or translated in it (else as written; a language the
    conversation does not offer gives its first), with its original and its counts as
    published. Partners use it to show the conversation in their own apps."""
    conversation = access.public_conversation(slug)
    language = match_language(lang[:35], conversation.languages) or conversation.languages[0]
    limit = min(max(limit, 1), LIST_LIMIT)
    ids = access.accepted_statement_ids(conversation, after=after, limit=limit)
    shown = shown_texts(ids, [language])
    stored = access.latest_map(conversation)
    public = published_map(stored) if stored is not None else None
    counted = set(map(int, stored.summary.get("statement_stats", {}))) if stored else set()
    seeds = access.seed_ids(conversation, ids)
    rows = [
        _listed(pk, shown[pk], pk in seeds, public if pk in counted else None)
        for pk in ids
        if pk in shown
    ]
    return {
        "language": language,
        "counted_at": stored.computed_at if stored is not None else None,
        "statements": rows,
        "next_after": ids[-1] if len(ids) == limit else None,
    }


def _listed(pk: int, shown: Any, seed: bool, public: Any) -> dict[str, Any]:
    figures = public.statement(pk).everyone if public is not None else None
    return {
        "id": pk,
        **shown.as_dict(),
        "seed": seed,
        "counts": figures.__dict__ if figures is not None else None,
    }


@router.get(
    "/{slug}/opinion-map",
    response={200: dict[str, Any], **problems(403, 404, 422)},
    summary="Groups, what they stand for, consensus, bridging",
)
def get_opinion_map(
    request: HttpRequest,
    slug: str,
    page: int = 1,
    xid: str = "",
    xid_sig: str = "",
    lang: str = "",
) -> dict[str, Any]:
    """Participant positions come PAGE_SIZE at a time (`page`, from 1); with a proven `xid`,
    `you` says where that participant stands. Counts are published under the conversation's
    disclosure policy (docs/disclosure.md): null where fewer than `threshold` people would
    be counted, the others changed a little at random, the same way every time. With
    `lang`, `statements` are in that language where they were translated into it."""
    conversation = access.public_conversation(slug)
    xid = _proven(request, conversation, xid, xid_sig) if xid else ""
    stored = access.latest_map(conversation)
    if stored is None:
        return {
            "votes": 0,
            "threshold": conversation.suppression_threshold,
            "k": 0,
            "groups": [],
            "repness": {},
            "consensus": [],
            "consensus_disagree": [],
            "bridging": [],
            "positions": [],
            "pages": 0,
        }
    arrays = unpack_positions(stored.positions)
    start = (max(page, 1) - 1) * PAGE_SIZE
    ids, groups, xy = (
        arrays[name][start : start + PAGE_SIZE] for name in ("participants", "groups", "positions")
    )
    texts = _texts(stored.summary, _languages(conversation, lang))
    public = published_map(stored)
    found = stored.summary["groups"]
    return {
        "votes": public.votes,
        "threshold": public.threshold,
        "k": stored.k,
        "computed_at": stored.computed_at,
        "groups": [{"id": g["id"], "size": public.sizes.get(g["id"])} for g in found],
        "repness": {
            str(g["id"]): public_repness(stored.summary, public, row) for row, g in enumerate(found)
        },
        "consensus": stored.summary["consensus"],
        "consensus_disagree": stored.summary["consensus_disagree"],
        "bridging": [
            {"statement": s, "score": round(score, 4)} for s, score in stored.summary["bridging"]
        ],
        "statements": texts,
        # Positions are by map participant number; ids stay server-side (they identify no one,
        # but there is no need to publish them).
        "positions": [
            [int(g), round(float(x), 4), round(float(y), 4)]
            for g, (x, y) in zip(groups, xy, strict=True)
        ],
        "page": max(page, 1),
        "pages": -(-len(arrays["participants"]) // PAGE_SIZE),
        "you": _where_you_stand(conversation, arrays, xid),
        "participants_on_page": len(ids),
    }


def _where_you_stand(conversation: Any, arrays: dict[str, Any], xid: str) -> dict[str, Any] | None:
    known = access.known_participant(conversation, xid)
    found = (arrays["participants"] == known.pk).nonzero()[0] if known is not None else []
    if not len(found):
        return None
    index = int(found[0])
    x, y = arrays["positions"][index]
    return {"group": int(arrays["groups"][index]), "x": round(float(x), 4), "y": round(float(y), 4)}


@router.get(
    "/{slug}/next-statement",
    response={200: dict[str, Any], **problems(403, 404, 422)},
    summary="The next statement for a participant to vote on",
)
def get_next_statement(
    request: HttpRequest, slug: str, xid: str = "", xid_sig: str = "", lang: str = ""
) -> dict[str, Any]:
    """Seed statements first, then by priority (see deliberation/routing.py); never one the
    (proven) participant has voted on. `statement` is null when there is nothing left. With
    `lang`, statements readable in it come first, and `text` is in it where it can be."""
    conversation = access.public_conversation(slug)
    xid = _proven(request, conversation, xid, xid_sig) if xid else ""
    known = access.known_participant(conversation, xid)
    languages = _languages(conversation, lang)
    statement = next_statement(conversation, known, languages=languages)
    if statement is None:
        return {"statement": None}
    shown = statement_shown(statement, languages)
    return {
        "statement": {
            "id": statement.pk,
            "text": shown.text,
            "language": shown.language,
            "original_language": shown.original_language,
            "original_text": shown.original_text,
            "machine_translated": shown.machine,
            "seed": statement.is_seed,
        }
    }


def _languages(conversation: Any, lang: str) -> list[str]:
    """[the offered language `lang` stands for], or [] (statements as written)."""
    found = match_language(lang[:35], conversation.languages)
    return [found] if found else []


def _proven(
    request: HttpRequest, conversation: Any, xid: str, signature: str, *, body: bool = False
) -> str:
    """The xid, if signed for this conversation or sent with a key allowed to (else 403);
    a body must be JSON, so no other site's page can send one without asking (415)."""
    if body and request.content_type != "application/json":
        raise ApiError(415, "Send the body as JSON, with Content-Type: application/json.")
    if signed_xid(conversation, xid, signature):
        return xid
    key = api_key_from_header(request.headers.get("Authorization", ""))
    if key is not None and key.allows(Scope.DELIBERATION, conversation.consultation_id):
        set_actor(key_actor(key))
        return xid
    raise ApiError(403, HOW_TO_PROVE)


def _texts(summary: dict[str, Any], languages: list[str]) -> dict[str, str]:
    return {str(pk): shown.text for pk, shown in statement_texts(summary, languages).items()}


def _refusing(write: Any) -> Any:
    try:
        return write()
    except actions.Duplicate as duplicate:
        raise ApiError(
            409,
            duplicate.message,
            {
                "statement": [
                    {
                        "code": "duplicate",
                        "message": duplicate.message,
                        "existing": str(duplicate.existing.pk),
                    }
                ]
            },
        ) from None
    except actions.Refused as refused:
        raise ApiError(
            STATUS_FOR.get(refused.code, 422),
            refused.message,
            {"body": [{"code": refused.code, "message": refused.message}]},
        ) from None


def _limit(request: HttpRequest) -> None:
    refuse_if_limited(
        "vote-ip",
        client_ip(request),
        settings.RATE_VOTE_PER_IP,
        "Too many requests; try again later.",
    )
