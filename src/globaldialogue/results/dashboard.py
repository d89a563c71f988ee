"""A consultation's public dashboard: a survey's figures for everyone or a filtered part
(region, country, age group, gender, education), counted or weighted, with charts; the
themes in its open answers; its conversations and dialogue events.

Survey figures are those of the latest release (results.releases): everyone's and each
breakdown group's as the release stored them, other selections summed over its cell table
(results.cells, never over responses, so a page costs the same at 10 million responses) and
published through the same policy (results.disclosure). No weighted figure is shown where
its count is hidden.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from numpy.typing import NDArray

from globaldialogue.consultations.models import Consultation
from globaldialogue.deliberation.access import consultation_conversations, latest_map
from globaldialogue.deliberation.presenters import map_context
from globaldialogue.dialogues.access import reported_events
from globaldialogue.dialogues.outcome import event_outcome
from globaldialogue.lib.countries import country_names
from globaldialogue.lib.suppression import suppress
from globaldialogue.lib.translated import pick
from globaldialogue.results.cells import CellTable, estimates, stored_cells
from globaldialogue.results.charts import Bar, bar_chart
from globaldialogue.results.disclosure import Policy, policy_for
from globaldialogue.results.models import Snapshot
from globaldialogue.results.public_themes import theme_results
from globaldialogue.results.queries import weighting_summary
from globaldialogue.results.regions import countries_in, region_name, region_of
from globaldialogue.results.rollup import CELL_KEYS
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
    latest release (results.cells.stored_cells), as the disclosure policy publishes them."""
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    table = stored[0] if stored else None
    overall = released(survey, "")
    figures: dict[str, Any] = {
        "total": overall["total"] if overall else None,
        "release": overall.get("release") if overall else None,
        "computed_at": stored[1] if stored else None,
        "weighable": table is not None and table.fit is not None,
    }
    if table is None:
        return {**figures, "selected": 0, "questions": []}
    mask = cell_mask(table, selection.chosen)
    counted = counted_view(survey, selection.chosen, table, mask, overall)
    if counted.selected is None:
        return {**figures, "selected": None, "too_few": True, "questions": []}
    weighted = estimates(table, definition, mask) if selection.weighted else None
    return {
        **figures,
        "selected": counted.selected,
        "countries": len(set(table.part("country")[mask & (table.exact("", "") > 0)]) - {""}),
        "weighting": weighting_summary(weighted),
        "questions": [
            _question(q, counted, weighted, language, survey.languages, rtl)
            for q in definition.questions
            if q.is_choice and q.type != "country" and q.key not in choices
        ],
    }


@dataclass
class View:
    """The published counts of one view: everyone, a group, or a combination of filters."""

    selected: int | None  # None: too few to show anything
    answered: dict[str, int | None] = field(default_factory=dict)  # question -> count
    options: dict[str, dict[str, int | None]] = field(default_factory=dict)  # -> option -> count


def released(survey: Survey, by: str) -> dict[str, Any] | None:
    """The latest release's figures overall or per breakdown (queries.compute_results)."""
    return Snapshot.objects.filter(survey=survey, by=by).values_list("data", flat=True).first()


def counted_view(
    survey: Survey,
    chosen: dict[str, str],
    table: CellTable,
    mask: NDArray[np.bool_],
    overall: dict[str, Any] | None,
) -> View:
    """Where the release holds the view (everyone, or one group of a breakdown), its
    figures as they are, so every page shows a cell alike, hidden or not; otherwise summed
    over the selected cells and published through the policy."""
    if not chosen and overall is not None:
        return _snapshot_view(overall["total"], overall["questions"])
    if len(chosen) == 1 and (data := released(survey, next(iter(chosen)))) is not None:
        return _group_view(data["breakdown"], next(iter(chosen.values())))
    assert survey.current_version is not None
    questions = definition_for(survey.current_version).questions
    additive = {q.key for q in questions if q.type != "multiple"}
    return _summed_view(table, mask, policy_for(survey), additive)


def _snapshot_view(selected: int | None, questions: list[dict[str, Any]]) -> View:
    view = View(selected)
    for question in questions:
        view.answered[question["key"]] = question["answered"]
        view.options[question["key"]] = dict(question["options"])
    return view


def _group_view(breakdown: dict[str, Any], value: str) -> View:
    row = next((i for i, (v, _total) in enumerate(breakdown["groups"]) if v == value), None)
    if row is None or breakdown["groups"][row][1] is None:
        return View(None)
    view = View(breakdown["groups"][row][1])
    for table in breakdown["questions"]:
        counts = table["counts"][row] or [None] * len(table["options"])
        view.answered[table["key"]] = table["answered"][row]
        view.options[table["key"]] = dict(zip(table["options"], counts, strict=True))
    return view


def _summed_view(
    table: CellTable, mask: NDArray[np.bool_], policy: Policy, additive: set[str]
) -> View:
    """Counts summed over the cells in `mask`, hidden under the threshold (with a second
    where one could be worked out from the question's total), the rest changed by their
    cell keys."""

    def figure(question: str, option: str = "") -> tuple[int, int]:
        exact = int(table.exact(question, option)[mask].sum())
        return exact, table.key(question, option, mask)

    selected = policy.count(*figure("", ""))
    view = View(selected if selected != 0 else None)
    for question, option in table.columns:
        if question and not option:
            view.answered[question] = policy.count(*figure(question))
    for question, answered in view.answered.items():
        figures = {o: figure(question, o) for q, o in table.columns if q == question and o}
        exact = {o: count for o, (count, _key) in figures.items()}
        kept = suppress(exact, policy.threshold, additive=question in additive)
        view.options[question] = {
            o: None if kept[o] is None or answered is None else policy.shown(*f)
            for o, f in figures.items()
        }
    return view


def _question(
    question: QuestionDef,
    counted: View,
    weighted: dict[str, Any] | None,
    language: str,
    fallbacks: list[str],
    rtl: bool,
) -> dict[str, Any]:
    answered = counted.answered.get(question.key)
    shown = counted.options.get(question.key, {})
    estimates_ = (weighted or {}).get("questions", {}).get(question.key, {})
    rows = [
        {
            "key": o.key,
            **_row(
                pick(o.label, language, fallbacks),
                shown.get(o.key, 0 if answered is not None else None),
                answered,
                estimates_.get(o.key),
            ),
        }
        for o in question.options
    ]
    if question.type == "multiple":  # a list with no order of its own: largest figure first
        rows.sort(key=lambda row: (row["bar"] is None, -(row["bar"] or 0.0)))
    bars = [Bar(row["label"], row["bar"], row["low"], row["high"]) for row in rows]
    return {
        "key": question.key,
        "label": pick(question.label, language, fallbacks),
        "answered": answered,
        "rows": rows,
        "chart": bar_chart(bars, rtl=rtl),
    }


def _row(
    label: str, count: int | None, answered: int | None, estimate: list[Any] | None
) -> dict[str, Any]:
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
        summary = map_context(latest_map(conversation), None, list_length=3, languages=[language])
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


def as_json(context: dict[str, Any], language: str) -> dict[str, Any]:
    """The dashboard's figures as data, for data journalists and tests: the same filters,
    the same published (protected) figures, without the charts."""
    consultation, survey = context["consultation"], context.get("survey")
    data: dict[str, Any] = {
        "consultation": consultation.slug,
        "language": language,
        "surveys": [s.slug for s in context["surveys"]],
        "survey": survey.slug if survey else None,
        "conversations": [c["conversation"].slug for c in context["conversations"]],
        "events": [e["event"].slug for e in context["events"]],
    }
    if survey is None:
        return data
    selection, figures = context["selection"], context["figures"]
    questions = [
        {key: q[key] for key in ("key", "label", "answered")}
        | {"options": [{k: v for k, v in row.items() if k != "bar"} for row in q["rows"]]}
        for q in figures["questions"]
    ]
    return {
        **data,
        "filters": {f["key"]: [key for key, _label in f["options"]] for f in context["filters"]},
        "chosen": selection.chosen,
        "view": "weighted" if selection.weighted else "counted",
        "problems": [str(problem) for problem in selection.problems],
        "threshold": context["threshold"],
        "perturbed_most": context["perturbed_most"],
        "release": figures.get("release"),
        "total": figures["total"],
        "selected": figures.get("selected"),
        "too_few": figures.get("too_few", False),
        "countries": figures.get("countries"),
        "weighting": figures.get("weighting"),
        "questions": questions,
        "themes": [_themes_json(question) for question in context["themes"]],
        "themes_follow_filters": context["themes_follow"],
    }


def _themes_json(question: dict[str, Any]) -> dict[str, Any]:
    keep = ("name", "name_language", "count", "share", "quotes", "claims", "sub_themes")
    return {
        "question": question["question"],
        "label": question["label"],
        "answered": question["answered"],
        "themes": [{key: theme[key] for key in keep} for theme in question["themes"]],
    }
