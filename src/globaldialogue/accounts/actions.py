import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from globaldialogue.accounts.models import ApiKey, hash_key
from globaldialogue.consultations.models import Consultation


def create_api_key(*, name: str, consultation: Consultation | None = None) -> tuple[ApiKey, str]:
    """Create a key and return it with the secret, which is shown once and never stored."""
    prefix = secrets.token_hex(4)
    secret = f"gd_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        name=name, prefix=prefix, key_hash=hash_key(secret), consultation=consultation
    )
    return key, secret


def update_api_key(*, key: ApiKey, name: str, consultation: Consultation | None) -> ApiKey:
    """Rename a key or change the consultation it is bound to (its secret stays)."""
    key.name, key.consultation = name, consultation
    key.save(update_fields=["name", "consultation"])
    return key


def revoke_api_key(*, key: ApiKey) -> None:
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])


def ensure_organizer(*, username: str) -> tuple[AbstractBaseUser, str | None]:
    """The organizer account, made with a random password if missing (password None if not)."""
    users = get_user_model().objects
    existing = users.filter(username=username).first()
    if existing is not None:
        return existing, None
    password = secrets.token_urlsafe(12)
    return users.create_superuser(username, "", password), password
