"""Pat's partner platform signs the ids of its users, as docs/embedding.md shows."""

import hashlib
import hmac

from globaldialogue.deliberation.models import Conversation


def as_partner(xid: str, slug: str = "priorities") -> dict[str, str]:
    """The `xid` and `xid_sig` Pat's platform sends for its user `xid`, computed the way a
    partner does (not with our own code), from the secret organizers gave it."""
    secret = Conversation.objects.get(slug=slug).embed_secret
    signature = hmac.new(secret.encode(), f"{slug}:{xid}".encode(), hashlib.sha256).hexdigest()
    return {"xid": xid, "xid_sig": signature}
