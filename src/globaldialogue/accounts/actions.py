import secrets
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from globaldialogue.accounts.models import ApiKey, Scope, hash_key
from globaldialogue.audit.actions import record
from globaldialogue.consultations.models import Consultation


def create_api_key(
    *,
    name: str,
    consultation: Consultation | None = None,
    scopes: Sequence[str] = (Scope.RESPONSES,),
) -> tuple[ApiKey, str]:
    """Create a key and return it with the secret, which is shown once and never stored."""
    prefix = secrets.token_hex(4)
    secret = f"gd_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        key = ApiKey.objects.create(
            name=name,
            prefix=prefix,
            key_hash=hash_key(secret),
            consultation=consultation,
            scopes=_checked_scopes(scopes),
        )
        record(action="create_api_key", obj=key, consultation=consultation, summary=_said(key))
    return key, secret


def update_api_key(
    *, key: ApiKey, name: str, consultation: Consultation | None, scopes: Sequence[str]
) -> ApiKey:
    """Rename a key, change the consultation it is bound to or what it may do (its secret
    stays)."""
    key.name, key.consultation, key.scopes = name, consultation, _checked_scopes(scopes)
    with transaction.atomic():
        key.save(update_fields=["name", "consultation", "scopes"])
        record(action="update_api_key", obj=key, consultation=consultation, summary=_said(key))
    return key


def _said(key: ApiKey) -> dict[str, Any]:
    return {"scopes": key.scopes, "consultation": key.consultation.slug if key.consultation else ""}


def _checked_scopes(scopes: Sequence[str]) -> list[str]:
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise ValueError(f"Unknown scopes: {', '.join(sorted(unknown))}")
    return [scope for scope in Scope.values if scope in scopes]  # in a fixed order


def revoke_api_key(*, key: ApiKey) -> None:
    with transaction.atomic():
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        record(action="revoke_api_key", obj=key, consultation=key.consultation)


def pending_two_factor(*, user: Any) -> TOTPDevice:
    """The authenticator being set up for `user` (a new secret the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def check_code(*, device: TOTPDevice, code: str) -> bool:
    """Whether `code` (spaces allowed) is the app's current one; django-otp keeps on the
    device that it was used (each code counts once) and how many tries failed (throttle)."""
    digits = "".join(code.split())
    return digits.isdigit() and bool(device.verify_token(digits))


def confirm_two_factor(*, device: TOTPDevice, code: str) -> bool:
    """Turn two-factor sign-in on if `code` is the app's current one."""
    if not check_code(device=device, code=code):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(action="enable_two_factor", obj=device, summary={"user": device.user.get_username()})
    return True


def ensure_organizer(*, username: str) -> tuple[AbstractBaseUser, str | None]:
    """The organizer account, made with a random password if missing (password None if not)."""
    users = get_user_model().objects
    existing = users.filter(username=username).first()
    if existing is not None:
        return existing, None
    password = secrets.token_urlsafe(12)
    return users.create_superuser(username, "", password), password
