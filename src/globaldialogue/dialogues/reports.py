"""Group reports as files for organizers: one row (CSV) or object (JSON) per group."""

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from django.db.models import Count

from globaldialogue.dialogues.models import DialogueGroup, Event
from globaldialogue.lib import csvsafe
from globaldialogue.lib.scrub import scrub
from globaldialogue.lib.translated import pick


def report_rows(events: Iterable[Event], *, scrubbed: bool = False) -> list[dict[str, Any]]:
    """Every group of the events, with its report if it filed one (a group without a report
    is a row too: the report-back rate is part of the result). `scrubbed`: with personal
    data taken out of the texts (lib.scrub), as everything outside the back office is."""
    groups = (
        DialogueGroup.objects.filter(event__in=list(events))
        .select_related("event", "report")
        .prefetch_related("event__agenda")
        .annotate(member_count=Count("members"))
        .order_by("event__starts_at", "event__slug", "number")
    )
    rows = [_row(group) for group in groups]
    return [_scrubbed(row) for row in rows] if scrubbed else rows


def _scrubbed(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "summaries": {title: scrub(text) for title, text in row["summaries"].items()},
        "ideas": [{**idea, "text": scrub(idea["text"])} for idea in row["ideas"]],
        "message": scrub(row["message"]),
    }


def _row(group: DialogueGroup) -> dict[str, Any]:
    event = group.event
    report = getattr(group, "report", None)
    agenda = [pick(item.title, "en", event.languages) for item in event.agenda.all()]
    return {
        "event": event.slug,
        "group": group.number,
        "language": group.language,
        "members": group.member_count,  # type: ignore[attr-defined]
        "filed": report is not None,
        "filed_at": report.filed_at.isoformat() if report else "",
        "summaries": {
            agenda[int(position) - 1]: text
            for position, text in (report.summaries.items() if report else ())
            if 0 < int(position) <= len(agenda)
        },
        "ideas": report.ideas if report else [],
        "message": report.message if report else "",
    }


def reports_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)


COLUMNS = ["event", "group", "language", "members", "filed", "filed_at"]
COLUMNS += ["summaries", "ideas", "message"]


def reports_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csvsafe.SafeWriter(csv.DictWriter(out, fieldnames=COLUMNS))
    writer.writeheader()
    for row in rows:
        summaries = " | ".join(f"{title}: {text}" for title, text in row["summaries"].items())
        ideas = " | ".join(f"{idea['text']} ({idea['agreement']})" for idea in row["ideas"])
        writer.writerow({**row, "filed": int(row["filed"]), "summaries": summaries, "ideas": ideas})
    return out.getvalue()
