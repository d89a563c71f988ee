"""What an event's groups reported, gathered for the public results page and the API: how
many groups met and reported, each agenda item's summaries, the ideas by how much the
groups agreed, and the groups' messages. No names: reports speak for a group, and personal
data a group's text may still hold (an email, a phone number, a name someone gave) is taken
out (lib.scrub). How many people joined is published under the one disclosure policy
(lib.disclosure); groups are counted exactly, a group being several people.
"""

from typing import Any

from django.db.models import Count, Sum

from globaldialogue.dialogues.models import REPORT_AGREEMENT, Event, GroupReport
from globaldialogue.lib.disclosure import THRESHOLD, Policy, policy
from globaldialogue.lib.perturb import KEY_RANGE
from globaldialogue.lib.scrub import scrub


def policy_for(event: Event) -> Policy:
    return policy(f"event|{event.pk}", THRESHOLD)


def joined(event: Event) -> int | None:
    """How many people joined a room, as published (a count's key: its registrations' ids)."""
    found = event.registrations.filter(joined_at__isnull=False).aggregate(
        n=Count("id"), key=Sum("id")
    )
    return policy_for(event).count(found["n"], (found["key"] or 0) % KEY_RANGE)


def event_outcome(event: Event, language: str) -> dict[str, Any]:
    reports = list(
        GroupReport.objects.filter(group__event=event)
        .select_related("group")
        .order_by("group__number")
    )
    groups = event.groups.count()
    return {
        "groups": groups,
        "reports": len(reports),
        "rate": round(100 * len(reports) / groups) if groups else 0,
        "joined": joined(event),
        "threshold": THRESHOLD,
        "items": _items(event, reports, language),
        "ideas": _ideas(reports),
        "messages": [
            {"group": r.group.number, "language": r.group.language, "text": scrub(r.message)}
            for r in reports
        ],
    }


def _items(event: Event, reports: list[GroupReport], language: str) -> list[dict[str, Any]]:
    return [
        {
            **item,
            "summaries": [
                {"group": r.group.number, "language": r.group.language, "text": scrub(text)}
                for r in reports
                if (text := r.summaries.get(str(item["position"])))
            ],
        }
        for item in event.agenda_in(language)
    ]


def _ideas(reports: list[GroupReport]) -> dict[str, list[dict[str, Any]]]:
    """Ideas by agreement (most, some, few), each with its group and language."""
    ideas: dict[str, list[dict[str, Any]]] = {level: [] for level in REPORT_AGREEMENT}
    for report in reports:
        for idea in report.ideas:
            ideas[idea["agreement"]].append(
                {
                    "group": report.group.number,
                    "language": report.group.language,
                    "text": scrub(idea["text"]),
                }
            )
    return ideas
