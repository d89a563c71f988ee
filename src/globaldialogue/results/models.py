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
