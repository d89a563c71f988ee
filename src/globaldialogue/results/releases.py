"""When a survey's public figures may move. They move in releases, never response by
response: a release is made once at least the survey's threshold of responses were counted
since the one before (and, where the organizers set a cadence, no sooner than it allows),
so comparing two releases shows what a group of at least that many said, never one person.
A release with nothing new since the last (only laid out anew, after an edit of the
questions or the weighting) is made at any time: the same responses give the same figures.
Exact live counts stay in the back office.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from globaldialogue.results.models import Release
from globaldialogue.surveys.models import Survey


@dataclass(frozen=True)
class Counted:
    tallied: int  # responses ever tallied (withdrawn ones too): rollup.TALLIED
    responses: int  # responses counted now


@dataclass(frozen=True)
class Due:
    now: bool
    later: datetime | None = None  # when the cadence allows the release that is waiting


def release_due(
    survey: Survey, last: Release | None, counted: Counted, now: datetime, *, relayout: bool
) -> Due:
    """Whether to release now, or when; `relayout`: the figures' layout changed."""
    if last is None:
        return Due(counted.tallied >= survey.suppression_threshold)
    new = counted.tallied - last.tallied
    if new < 0:  # counted again from scratch (results.actions.rebuild_tallies)
        new = abs(counted.responses - last.responses)
    if new == 0 and counted.responses == last.responses:
        return Due(relayout)
    if new < survey.suppression_threshold:
        return Due(False)
    allowed = last.published_at + timedelta(minutes=survey.release_minutes)
    return Due(True) if now >= allowed else Due(False, later=allowed)


def last_release(survey: Survey) -> Release | None:
    return Release.objects.filter(survey=survey).order_by("-number").first()
