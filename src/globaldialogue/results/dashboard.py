"""A consultation's public dashboard: a survey's figures for everyone or a filtered part
(region, country, age group, gender, education), counted or weighted, with charts; the
themes in its open answers; its conversations and dialogue events.

Survey figures are sums over the stored cell table (results.cells), never over responses,
so a page costs the same at 10 million responses. Counts under the survey's threshold are
hidden, with a second count where one could be worked out from the total (suppress), and
no weighted figure is shown where its count is hidden.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from numpy.typing import NDArray

from globaldialogue.consultations.models import Consultation
from globaldialogue.deliberation.access import consultation_conversations, latest_map
from globaldialogue.deliberation.presenters import map_context
from globaldialogue.dialogues.access import reported_events
from globaldialogue.dialogues.outcome import event_outcome
from globaldialogue.lib.countries import country_names
from globaldialogue.lib.translated import pick
from globaldialogue.results import perturb
from globaldialogue.results.cells import CellTable, estimates, stored_cells
from globaldialogue.results.charts import Bar, bar_chart
from globaldialogue.results.opentext import theme_results
from globaldialogue.results.queries import live_total, weighting_summary
from globaldialogue.results.regions import countries_in, region_name, region_of
from globaldialogue.results.rollup import CELL_KEYS
from globaldialogue.results.suppression import suppress
from globaldialogue.surveys.definition import Definition, QuestionDef, definition_for
from globaldialogue.surveys.models import Survey

FILTERS = ("region", *CELL_KEYS)  # region, country, age_group, gender, education


@dataclass
class Selection:
    """The filters chosen (key -> value) and how figures are shown."""

    chosen: dict[str, str] = field(default_factory=dict)
    weighted: bool = True
    problems: list[Any] = field(default_factory=list)  # lazy: shown in the page's language


def read_selection(query: QueryDict, choices: dict[str, list[tuple[str, str]]]) -> Selection:
    """The filters in a query string; unknown values are dropped with a problem to show."""
    selection = Selection(weighted=query.get("view", "weighted") != "counted")
    for key in FILTERS:
        value = query.get(key, "")
        if not value:
            continue
        if value in {option for option, _label in choices.get(key, [])}:
            selection.chosen[key] = value
        else:
            selection.problems.append(_("There is no such choice for this filter; it is off."))
    return selection


def filter_choices(
    table: CellTable | None, definition: Definition, language: str, fallbacks: list[str]
) -> dict[str, list[tuple[str, str]]]:
    """For each filter the survey supports, its values with labels, in display order."""
    choices: dict[str, list[tuple[str, str]]] = {}
    present = set(table.part("country").tolist()) - {""} if table is not None else set()
    if "country" in definition.questions_by_key:
        names = dict(country_names(language))
        countries = sorted(present, key=lambda code: names.get(code, code))
        choices["country"] = [(code, names.get(code, code)) for code in countries]
        regions = sorted({region_of(code) for code in present} - {""}, key=region_name)
        choices["region"] = [(region, region_name(region)) for region in regions]
    for key in CELL_KEYS[1:]:
        question = definition.questions_by_key.get(key)
        if question is not None:
            choices[key] = [(o.key, pick(o.label, language, fallbacks)) for o in question.options]
    return {key: choices[key] for key in FILTERS if key in choices}


def cell_mask(table: CellTable, chosen: dict[str, str]) -> NDArray[np.bool_]:
    mask = np.ones(len(table.names), dtype=bool)
    for key, value in chosen.items():
        if key == "region":
            mask &= np.isin(table.part("country"), countries_in(value))
        else:
            mask &= table.part(key) == value
    return mask


def survey_figures(
    survey: Survey,
    selection: Selection,
    *,
    stored: tuple[CellTable, datetime] | None,
    choices: dict[str, list[tuple[str, str]]],
    language: str,
    rtl: bool,
) -> dict[str, Any]:
    """Headline figures and one chart per closed question for the selected cells of the
    stored table (results.cells.stored_cells)."""
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    table = stored[0] if stored else None
    figures: dict[str, Any] = {
        "total": live_total(survey),
        "computed_at": stored[1] if stored else None,
        "weighable": table is not None and table.fit is not None,
    }
    if table is None:
        return {**figures, "selected": 0, "questions": []}
    mask = cell_mask(table, selection.chosen)
    counted = Counted(
        table, mask, survey.suppression_threshold, _secret(survey) if selection.chosen else None
    )
    selected = counted.exact("", "")
    if selected < counted.threshold:
        return {**figures, "selected": None, "too_few": True, "questions": []}
    weighted = estimates(table, definition, mask) if selection.weighted else None
    return {
        **figures,
        "selected": counted.shown("", "", selected),
        "perturbed": counted.perturbed,
        "countries": len(set(table.part("country")[mask & (table.column("", "") > 0)]) - {""}),
        "weighting": weighting_summary(weighted),
        "questions": [
            _question(q, counted, weighted, language, survey.languages, rtl)
            for q in definition.questions
            if q.is_choice and q.type != "country" and q.key not in choices
        ],
    }


@dataclass
class Counted:
    """Counts among the selected cells: exact for everyone (the figures the results page
    shows too); with filters, which combine freely, each changed a little by its cell key
    (results.perturb), so one view taken from another does not give away a small group.
    Whether a count is shown is decided on the exact counts."""

    table: CellTable
    mask: NDArray[np.bool_]
    threshold: int
    secret: bytes | None  # None: exact

    @property
    def perturbed(self) -> bool:
        return self.secret is not None

    def exact(self, question: str, option: str = "") -> int:
        return int(self.table.column(question, option)[self.mask].sum())

    def shown(self, question: str, option: str, count: int) -> int:
        """`count` (the exact one) as this view shows it."""
        index = self.table.index(question, option)
        if self.secret is None or index is None or count < self.threshold:
            return count
        key = perturb.figure_key(self.table.keys(self.secret)[self.mask, index])
        return perturb.perturbed(count, key, floor=self.threshold)


def _secret(survey: Survey) -> bytes:
    """The cell keys' secret: the server's, per survey (a new survey, new keys)."""
    return hashlib.sha256(f"{settings.SECRET_KEY}|cell-keys|{survey.pk}".encode()).digest()


def _question(
    question: QuestionDef,
    counted: Counted,
    weighted: dict[str, Any] | None,
    language: str,
    fallbacks: list[str],
    rtl: bool,
) -> dict[str, Any]:
    threshold = counted.threshold
    exact = counted.exact(question.key)
    raw = {o.key: counted.exact(question.key, o.key) for o in question.options}
    kept = suppress(raw, threshold, additive=question.type != "multiple")
    hidden = exact < threshold
    shown = {
        key: None if hidden or kept[key] is None else counted.shown(question.key, key, count)
        for key, count in raw.items()
    }
    answered = 0 if hidden else counted.shown(question.key, "", exact)
    estimates_ = (weighted or {}).get("questions", {}).get(question.key, {})
    rows = [
        _row(pick(o.label, language, fallbacks), shown[o.key], answered, estimates_.get(o.key))
        for o in question.options
    ]
    if question.type == "multiple":  # a list with no order of its own: largest figure first
        rows.sort(key=lambda row: (row["bar"] is None, -(row["bar"] or 0.0)))
    bars = [Bar(row["label"], row["bar"], row["low"], row["high"]) for row in rows]
    return {
        "key": question.key,
        "label": pick(question.label, language, fallbacks),
        "answered": answered if exact >= threshold else None,
        "rows": rows,
        "chart": bar_chart(bars, rtl=rtl),
    }


def _row(label: str, count: int | None, answered: int, estimate: list[Any] | None) -> dict:
    weighted, low, high = estimate if count is not None and estimate else (None, None, None)
    # Perturbed, a count may pass its question's: a share stays a share.
    share = min(count / answered, 1.0) if count is not None and answered else None
    return {
        "label": label,
        "count": count,
        "share": share,
        "weighted": weighted,
        "low": low,
        "high": high,
        "bar": weighted if estimate else share,  # what a chart draws
    }


def themes_for(
    survey: Survey, selection: Selection, *, language: str, rtl: bool
) -> tuple[list[dict[str, Any]], bool]:
    """The themes of each open question among the selection, with a chart; and whether they
    could follow the filters (one filter at most: themes are counted per breakdown)."""
    chosen = selection.chosen
    group: tuple[str, set[str]] | None = None
    if len(chosen) == 1:
        key, value = next(iter(chosen.items()))
        group = ("country", set(countries_in(value))) if key == "region" else (key, {value})
    questions = theme_results(survey, language=language, group=group)
    for question in questions:
        question["chart"] = bar_chart(
            [Bar(theme["name"], theme["share"]) for theme in question["themes"]], rtl=rtl
        )
    return questions, len(chosen) <= 1


@dataclass
class SurveyView:
    """Everything the dashboard (and, unfiltered, the report) shows of one survey."""

    choices: dict[str, list[tuple[str, str]]]
    selection: Selection
    figures: dict[str, Any]
    themes: list[dict[str, Any]]
    themes_follow: bool


def survey_view(survey: Survey, query: QueryDict | None, *, language: str, rtl: bool) -> SurveyView:
    """A survey's figures and themes for the filters in `query` (None: everyone, weighted)."""
    assert survey.current_version is not None
    stored = stored_cells(survey)
    definition = definition_for(survey.current_version)
    choices = filter_choices(stored[0] if stored else None, definition, language, survey.languages)
    selection = Selection() if query is None else read_selection(query, choices)
    figures = survey_figures(
        survey, selection, stored=stored, choices=choices, language=language, rtl=rtl
    )
    themes, follow = themes_for(survey, selection, language=language, rtl=rtl)
    return SurveyView(choices, selection, figures, themes, follow)


def conversations_for(consultation: Consultation, language: str) -> list[dict[str, Any]]:
    """Each conversation's size and what nearly everyone agreed on (its latest map)."""
    found = []
    for conversation in consultation_conversations(consultation):
        summary = map_context(latest_map(conversation), None, list_length=3)
        found.append(
            {"conversation": conversation, "topic": conversation.topic_in(language), **summary}
        )
    return found


def events_for(consultation: Consultation, language: str) -> list[dict[str, Any]]:
    """Dialogue events with public reports: how many groups met and reported, top ideas."""
    return [
        {"event": event, "title": event.title_in(language), **event_outcome(event, language)}
        for event in reported_events(consultation)
    ]
