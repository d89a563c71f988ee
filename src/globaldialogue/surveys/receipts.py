"""Receipt codes: short, readable over the phone, derived from the response id.

A keyed hash (HMAC with the secret key) so nobody can compute the receipt of someone else's
response id; Crockford's alphabet leaves out letters people confuse (I, L, O, U).
"""

import hashlib
import hmac
import uuid

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def receipt_for(response_id: uuid.UUID) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), response_id.bytes, hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(10))
    return f"{chars[:5]}-{chars[5:]}"
