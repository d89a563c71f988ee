"""Group commit (lib/groupcommit.py) for `POST /api/conversations/{slug}/votes`.

Answered here: 200 for a well-formed vote with a signed xid on an accepted statement of an
open conversation, within the rate limit. Everything else (unsigned or wrongly signed ids,
partner keys, unknown or rejected statements, values outside {-1, 0, 1}, closed
conversations, floods, bad JSON) goes to the Django endpoint, which explains it; a vote
replaces the earlier one, so trying here first is safe.
"""

import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections

from globaldialogue.deliberation import actions
from globaldialogue.deliberation.identity import signed_xid
from globaldialogue.deliberation.models import Conversation
from globaldialogue.lib import jsonbody
from globaldialogue.lib.groupcommit import Reply, Route
from globaldialogue.lib.ratelimit import retry_after


@dataclass(frozen=True)
class VoteItem:
    xid: str
    xid_sig: str
    statement: int
    vote: int


def _vote(body: bytes) -> VoteItem | None:
    try:
        data = jsonbody.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or set(data) != {"xid", "xid_sig", "statement", "vote"}:
        return None
    xid, signature, statement, vote = (data[k] for k in ("xid", "xid_sig", "statement", "vote"))
    if not (isinstance(xid, str) and 1 <= len(xid) <= 200 and isinstance(signature, str)):
        return None
    if type(statement) is not int or type(vote) is not int or vote not in (-1, 0, 1):
        return None
    return VoteItem(xid, signature, statement, vote)


def _store(slug: str, work: list[tuple[VoteItem, str]]) -> list[Reply]:
    """The conversation is read once per batch (for its embed secret); which statements are
    votable is checked by the write itself (votestore.py)."""
    close_old_connections()
    try:
        conversation = Conversation.objects.filter(
            slug=slug, status=Conversation.Status.OPEN
        ).first()
        if conversation is None:
            return [None] * len(work)
        chosen = [
            item
            for item, ip in work
            if signed_xid(conversation, item.xid, item.xid_sig)
            and not retry_after("vote-ip", ip, settings.RATE_VOTE_PER_IP)
        ]
        votes = [(item.xid, item.statement, item.vote) for item in chosen]
        written = actions.cast_votes(conversation=conversation, votes=votes)
    finally:
        close_old_connections()
    return [_reply(item) if (item.xid, item.statement) in written else None for item, _ in work]


def _reply(item: VoteItem) -> Reply:
    return 200, json.dumps({"statement": item.statement, "vote": item.vote}).encode()


ROUTE = Route(
    path=re.compile(r"^/api/conversations/(?P<slug>[-a-zA-Z0-9_]+)/votes$"),
    parse=_vote,
    store=_store,
    max_bytes=lambda: 4096,
)
