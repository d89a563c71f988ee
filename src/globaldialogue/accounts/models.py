import hashlib

from django.db import models
from django.utils import timezone


def hash_key(secret: str) -> str:
    # Keys are 256-bit random strings, so a fast hash is enough; a slow KDF would only
    # cost every partner request time without protecting anything guessable.
    return hashlib.sha256(secret.encode()).hexdigest()


class Scope(models.TextChoices):
    """What a partner's key may do, each within the key's consultation (or any, if unbound)."""

    RESPONSES = "responses", "Submit survey responses"
    EVENTS = "events", "Register dialogue events (they wait for an organizer to publish them)"
    PUBLISH_EVENTS = "events:publish", "Publish the events it registers, without review"
    DELIBERATION = "deliberation", "Vote and add statements for its users (by their external id)"
    REPORTS = "reports", "Read the groups' reports of events before organizers publish them"
    # An enumerator's account in ODK Collect or Enketo: the key's prefix is the username,
    # the key the password (HTTP Basic, over HTTPS only).
    ODK = "odk", "Send ODK Collect / Enketo forms (an enumerator's account)"


class ApiKey(models.Model):
    """A partner system's key. Only its hash is stored."""

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
    scopes = models.JSONField(
        default=list, blank=True, help_text="What the key may do (Scope values)."
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

    def allows(self, scope: str, consultation_id: int | None) -> bool:
        """Whether the key may do `scope` in the consultation with this id."""
        bound = self.consultation_id is None or self.consultation_id == consultation_id
        return self.is_active and bound and scope in self.scopes
