import hashlib

from django.db import models
from django.utils import timezone


def hash_key(secret: str) -> str:
    # Keys are 256-bit random strings, so a fast hash is enough; a slow KDF would only
    # cost every partner request time without protecting anything guessable.
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKey(models.Model):
    """A partner system's key for bulk intake. Only its hash is stored."""

    name = models.CharField(max_length=200, help_text="Partner and purpose, e.g. U-Report Nigeria.")
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text="Limit the key to one consultation's surveys; empty means all.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
