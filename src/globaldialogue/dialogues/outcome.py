"""What an event's groups reported, gathered for the public results page and the API: how
many groups met and reported, each agenda item's summaries, the ideas by how much the
groups agreed, and the groups' messages. No names: reports speak for a group, and personal
data a group's text may still hold (an email, a phone number, a name someone gave) is taken
out (lib.scrub). Texts are shown in the reader's languages where translated
(consultations.translated), with their originals. How many people joined is published
under the one disclosure policy (lib.disclosure); groups are counted exactly, a group
being several people.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Sum

from globaldialogue.consultations.models import TranslatableText
from globaldialogue.consultations.translated import Translations, shown, translations_of
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


def event_outcome(event: Event, language: str, languages: Sequence[str] = ()) -> dict[str, Any]:
    """What the groups reported, for a reader of `languages` (best first; [language] when
    not given)."""
    reports = list(
        GroupReport.objects.filter(group__event=event)
        .select_related("group")
        .order_by("group__number")
    )
    said = _Said(event, languages or [language])
    groups = event.groups.count()
    return {
        "groups": groups,
        "reports": len(reports),
        "rate": round(100 * len(reports) / groups) if groups else 0,
        "joined": joined(event),
        "threshold": THRESHOLD,
        "items": _items(event, reports, language, said),
        "ideas": _ideas(reports, said),
        "messages": [said(report, report.message) for report in reports],
    }


class _Said:
    """A report's text as published (scrubbed) for the reader, with its group's number."""

    KINDS = (
        TranslatableText.Kind.SUMMARY,
        TranslatableText.Kind.IDEA,
        TranslatableText.Kind.MESSAGE,
    )

    def __init__(self, event: Event, languages: Sequence[str]) -> None:
        self.languages = languages
        self.translations: Translations = translations_of(
            event.consultation_id, languages, kinds=self.KINDS
        )

    def __call__(self, report: GroupReport, text: str) -> dict[str, Any]:
        language = report.group.language
        seen = shown(self.translations, language, scrub(text), self.languages)
        return {"group": report.group.number, **seen.as_dict()}


def _items(
    event: Event, reports: list[GroupReport], language: str, said: _Said
) -> list[dict[str, Any]]:
    return [
        {
            **item,
            "summaries": [
                said(r, text) for r in reports if (text := r.summaries.get(str(item["position"])))
            ],
        }
        for item in event.agenda_in(language)
    ]


def _ideas(reports: list[GroupReport], said: _Said) -> dict[str, list[dict[str, Any]]]:
    """Ideas by agreement (most, some, few), each with its group and language."""
    ideas: dict[str, list[dict[str, Any]]] = {level: [] for level in REPORT_AGREEMENT}
    for report in reports:
        for idea in report.ideas:
            ideas[idea["agreement"]].append(said(report, idea["text"]))
    return ideas
