import base64
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja.security import HttpBearer

from globaldialogue.accounts.models import ApiKey, Scope, hash_key
from globaldialogue.audit.context import Actor, set_actor
from globaldialogue.lib.apierrors import ApiError
from globaldialogue.lib.threads import in_thread


def api_key_from_header(authorization: str) -> ApiKey | None:
    """The active key named by an `Authorization: Bearer <key>` header, or None."""
    scheme, _, secret = authorization.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return ApiKey.objects.filter(key_hash=hash_key(secret.strip()), revoked_at=None).first()


def api_key_from_basic(authorization: str, *, secure: bool) -> ApiKey | None:
    """The active key of an `Authorization: Basic` header (username: the key's prefix,
    password: the key), or None; never over plain HTTP, where the password is readable."""
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic" or not secure:
        return None
    try:
        username, _, password = base64.b64decode(encoded.strip()).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    key = ApiKey.objects.filter(key_hash=hash_key(password), revoked_at=None).first()
    return key if key is not None and key.prefix == username.strip() else None


class PartnerKey(HttpBearer):
    """API authentication for partner systems: `request.auth` is their ApiKey."""

    async def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        key = await in_thread(api_key_from_header, f"Bearer {token}")
        if key is not None:  # the audit trail names the key for what this request does
            set_actor(key_actor(key))
        return key


def key_actor(key: ApiKey) -> Actor:
    return Actor("key", str(key.pk), key.name)


def require_scope(key: ApiKey, scope: Scope, consultation_id: int | None) -> None:
    """403 unless the key may do `scope` in that consultation (the caller has already
    answered 404 for a consultation the key is not bound to)."""
    if not key.allows(scope, consultation_id):
        raise ApiError(
            403, f"This key may not do this: it needs the scope '{scope.value}' ({scope.label})."
        )


# --- the back office's second factor (accounts.twofactor asks for it) -----------------------


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def needs_two_factor(user: Any) -> bool:
    return bool(settings.REQUIRE_TWO_FACTOR) or confirmed_device(user) is not None


def may_enter(user: Any) -> bool:
    """Whether a signed-in staff user has given what the back office asks of them."""
    verified = getattr(user, "is_verified", None)
    return not needs_two_factor(user) or bool(verified and verified())


def must_set_up(user: Any) -> bool:
    return bool(settings.REQUIRE_TWO_FACTOR) and confirmed_device(user) is None
