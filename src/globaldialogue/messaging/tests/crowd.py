"""A simulated crowd of phones taking a survey by text message, each with its own habit:
answering straight through, replying nonsense first, pausing and coming back after the
reminder, stopping, or going silent for good. Each phone knows what it answered, so a test
can say exactly which responses must be stored and what they hold. Used by the tests and by
bench/messaging.py."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from globaldialogue.surveys.definition import Definition, QuestionDef

HABITS = ("straight", "nonsense", "pause", "stop", "silent")
WEIGHTS = (40, 15, 15, 10, 20)
QUITTERS = ("stop", "pause", "silent")


@dataclass
class Phone:
    number: str
    habit: str
    quit_after: int  # questions answered before a stop, a pause or silence
    answers: dict[str, Any] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)

    def reply_to(self, question: QuestionDef, country: str) -> str:
        """A reply to `question` (its answer kept as the store will have it)."""
        if question.type == "country":
            self.answers[question.key] = country
            return "1"
        if question.type == "text":
            self.answers[question.key] = f"Words from {self.number[-4:]}"
            return self.answers[question.key]
        plain = [n for n, o in enumerate(question.options, 1) if not o.is_other]
        if question.type == "multiple":
            chosen = sorted(self.rng.sample(plain, self.rng.randint(1, min(3, len(plain)))))
            self.answers[question.key] = sorted(question.options[n - 1].key for n in chosen)
            return " ".join(map(str, chosen))
        number = self.rng.choice(plain)
        self.answers[question.key] = question.options[number - 1].key
        return str(number)


def crowd(size: int, seed: int = 20) -> list[Phone]:
    rng = random.Random(seed)
    return [
        Phone(
            number=f"+2547{10000000 + i:08d}",  # Kenya
            habit=rng.choices(HABITS, WEIGHTS)[0],
            quit_after=rng.randint(0, 6),
            rng=random.Random(seed * 100_000 + i),
        )
        for i in range(size)
    ]


def take_part(
    phone: Phone, definition: Definition, send: Callable[[str], str], reminder: str = ""
) -> None:
    """Text the survey until the phone's habit says to stop; or, given the reminder it got
    after a pause, from there to the end. `send` texts one message, returns the replies."""
    labels = {q.label["en"]: q for q in definition.questions}
    said = reminder
    if not reminder:
        send("Hi")  # the number offers one language: asked to take part at once
        said = send("1")
    while (question := _asked(said, labels)) is not None:
        if not reminder and len(phone.answers) == phone.quit_after and phone.habit in QUITTERS:
            if phone.habit == "stop":
                send("STOP")
                phone.answers.clear()
            return
        if phone.habit == "nonsense" and phone.rng.random() < 0.5:
            junk = phone.rng.choice(["???", "99", "maybe later", "0"])
            said = send(junk)
            if question.type == "text":  # any words answer a free-text question
                phone.answers[question.key] = junk
                continue
            assert _asked(said, labels) is question, said  # told why, and asked again
        said = send(phone.reply_to(question, "KE"))


def _asked(said: str, labels: dict[str, QuestionDef]) -> QuestionDef | None:
    for line in said.split("\n"):
        if line in labels:
            return labels[line]
    return None


def expected(phones: list[Phone]) -> dict[str, dict[str, Any]]:
    """What must be stored, by number: each phone that answered anything and did not STOP."""
    return {p.number: p.answers for p in phones if p.answers and p.habit != "stop"}
