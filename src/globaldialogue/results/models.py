from django.db import models


class Tally(models.Model):
    """One counter of the results roll-up, advanced by the tally worker.

    question="" and option="" count responses; option="" counts those who answered the
    question; otherwise those who chose the option. dimension="" is the whole survey; else the
    key of a breakdown question, with value the option chosen there ("" when unanswered).
    """

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    question = models.CharField(max_length=64, blank=True)
    option = models.CharField(max_length=64, blank=True)
    dimension = models.CharField(max_length=64, blank=True)
    value = models.CharField(max_length=64, blank=True)
    is_synthetic = models.BooleanField(default=False)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "dimension", "value", "question", "option", "is_synthetic"],
                name="tally_cell_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}/{self.option} [{self.dimension}={self.value}]: {self.count}"


class Snapshot(models.Model):
    """A survey's results for one breakdown as of the last tally run: counted and suppressed,
    keyed by question and option keys, not yet labelled (results.queries.compute_results)."""

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    by = models.CharField(max_length=64, blank=True)
    data = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "by"], name="snapshot_unique")]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.by or 'all'} at {self.computed_at:%Y-%m-%d %H:%M:%S}"
