"""What the operator's tools read: which processes are alive."""

from django.db import models


class Heartbeat(models.Model):
    """A web or worker process saying it is alive, every few seconds. Readiness wants a
    worker that beat recently; tasks claimed by a worker that stopped beating are handed
    back to the queue; a web process refuses to share a database with other hosts when
    nothing else (Redis) is shared."""

    class Kind(models.TextChoices):
        WEB = "web"
        WORKER = "worker"

    name = models.CharField(max_length=64, unique=True, help_text="host-pid, the worker id.")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"
