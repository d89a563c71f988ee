"""The audit trail: one entry per change to a consultation's state, appended, never changed.

Who acted is kept as text (kind, id, label) and the consultation by its slug, not as
foreign keys: an entry outlives the user, key or consultation it names, and the app sits
below every other (any app's actions may record).
"""

from typing import Any

from django.db import models
from django.utils import timezone


class AppendOnly(Exception):
    pass


class EntryQuerySet(models.QuerySet["Entry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("Audit entries are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries are never deleted.")


class Entry(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_kind = models.CharField(max_length=16)
    actor_id = models.CharField(max_length=64, blank=True)
    actor = models.CharField(max_length=200, blank=True, help_text="Who, in words.")
    role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object = models.CharField(max_length=200, blank=True, help_text="What, in words.")
    consultation = models.CharField(max_length=50, blank=True, db_index=True)
    summary = models.JSONField(default=dict, blank=True, help_text="What changed.")

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or self.actor_kind} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries are never deleted.")

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor or self.actor_kind,
            "actor_kind": self.actor_kind,
            "actor_id": self.actor_id,
            "role": self.role,
            "action": self.action,
            "object": self.object,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "consultation": self.consultation,
            "summary": self.summary,
        }
