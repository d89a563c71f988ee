from globaldialogue.accounts.models import ApiKey, hash_key


def api_key_from_header(authorization: str) -> ApiKey | None:
    """The active key named by an `Authorization: Bearer <key>` header, or None."""
    scheme, _, secret = authorization.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return ApiKey.objects.filter(key_hash=hash_key(secret.strip()), revoked_at=None).first()
