"""The demo dialogue events and their clearly labelled synthetic registrations."""

import json
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from globaldialogue.consultations.actions import save_consultation
from globaldialogue.consultations.ages import AGE_BANDS
from globaldialogue.consultations.models import Consultation
from globaldialogue.dialogues import actions, room_actions
from globaldialogue.dialogues.models import Event

DATA_FILE = Path(__file__).parent / "data" / "events.json"
# Who signs up: a first language (share), and English as a second for some.
FIRST_LANGUAGES = {"en": 35, "fr": 15, "es": 20, "ar": 12, "zh-hans": 10, "ru": 8}
COUNTRIES = {
    "en": ["NG", "IN", "KE", "US", "PH", "GB", "ZA"],
    "fr": ["FR", "SN", "CI", "CD", "CA", "MA"],
    "es": ["MX", "CO", "AR", "ES", "PE", "CL"],
    "ar": ["EG", "JO", "MA", "SA", "IQ", "TN"],
    "zh-hans": ["CN", "SG"],
    "ru": ["RU", "KZ", "UA", "BY"],
}


LIVE_PEOPLE = ["Amina", "Li Wei", "Pierre", "Kofi"]  # one group, Amina hosting


AGE_KEYS = [band["key"] for band in AGE_BANDS]  # under 16 is left out below


def load_demo_events(
    registrants: int = 60, seed: int = 75, links_file: Path | None = None
) -> list[Event]:
    """The events (left as they are if they exist) and, for new ones, synthetic
    registrations and groups. The live event always starts five minutes before now (it is
    demo data: whenever the demo runs, its room is open); the personal links of its group,
    made only once, are kept in `links_file`."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    consultation = save_consultation(
        slug=data["consultation"], title={"en": "UN75"}, languages=["en"], replace=False
    )
    events = []
    for spec in data["events"]:
        event = Event.objects.filter(slug=spec["slug"]).first()
        if event is None:
            event = _create(consultation, data["languages"], spec)
            if spec.get("live"):
                _live_group(event, links_file)
            elif spec.get("groups"):
                _held(event, spec)
            else:
                _register_crowd(event, registrants, seed)
                actions.form_groups(event=event)
        if spec.get("live"):
            actions.reschedule_event(event=event, starts_at=timezone.now() - timedelta(minutes=5))
        events.append(event)
    return events


def _live_group(event: Event, links_file: Path | None) -> None:
    tokens = []
    for name in LIVE_PEOPLE:
        _registration, token = actions.register(
            event=event,
            display_name=name,
            languages=["en"],
            country={"Amina": "JO", "Li Wei": "CN", "Pierre": "FR", "Kofi": "GH"}[name],
            age_group="16_30",
            accepted_rules=True,
            is_synthetic=True,
        )
        tokens.append((name, token))
    actions.form_groups(event=event)
    host = event.registrations.get(display_name=LIVE_PEOPLE[0])
    actions.set_host(group=event.groups.get(), registration=host)
    actions.start_event(event=event, early=True)  # settled: the room links work at once
    if links_file is not None:
        lines = [f"{name}: /d/{event.slug}/you/{token}/room/" for name, token in tokens]
        links_file.write_text("\n".join(lines) + "\n")


def _held(event: Event, spec: dict[str, Any]) -> None:
    """A past dialogue: its groups met (attendance noted) and most sent their report."""
    for number, group in enumerate(spec["groups"], start=1):
        for n, country in enumerate(group["countries"], start=1):
            actions.register(
                event=event,
                display_name=f"Demo participant {number}.{n}",
                languages=[group["language"]],
                country=country,
                age_group=AGE_KEYS[1 + n % 4],
                accepted_rules=True,
                is_synthetic=True,
            )
    actions.form_groups(event=event)
    actions.start_event(event=event, early=True)
    for registration in event.registrations.all():
        room_actions.note_joined(registration=registration)
    reports = {g["language"]: g["report"] for g in spec["groups"] if g["report"]}
    for group in event.groups.all():
        if group.language in reports:
            report = reports[group.language]
            room_actions.file_report(
                group=group,
                registration=group.members.order_by("pk")[0],
                summaries=report["summaries"],
                ideas=report["ideas"],
                message=report["message"],
            )
    held = timezone.now() - timedelta(days=spec["held_days_ago"])
    actions.reschedule_event(event=event, starts_at=held.replace(minute=0, second=0, microsecond=0))
    actions.publish_reports(event=event)


def _create(consultation: Consultation, languages: list[str], spec: dict[str, Any]) -> Event:
    starts = timezone.now().replace(minute=0, second=0, microsecond=0)
    return actions.create_event(
        consultation=consultation,
        slug=spec["slug"],
        title=spec["title"],
        description=spec["description"],
        languages=languages,
        starts_at=starts + timedelta(days=spec.get("starts_in_days", 1)),
        time_zone=spec["time_zone"],
        agenda=spec["agenda"],
        min_group_size=4,
        max_group_size=6,
        capacity=500,
        status=Event.Status.PUBLISHED,
    )


def _register_crowd(event: Event, count: int, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - made-up demo data
    for n in range(count):
        first = rng.choices(list(FIRST_LANGUAGES), list(FIRST_LANGUAGES.values()))[0]
        spoken = [first] + (["en"] if first != "en" and rng.random() < 0.4 else [])
        actions.register(
            event=event,
            display_name=f"Demo participant {n + 1}",
            languages=spoken,
            country=rng.choice(COUNTRIES[first]),
            age_group=rng.choice(AGE_KEYS[1:5]),
            accepted_rules=True,
            is_synthetic=True,
        )
