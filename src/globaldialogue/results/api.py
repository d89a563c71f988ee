"""Public results of a survey, as the results page shows them."""

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja import Router

from globaldialogue.lib.apierrors import ApiError, problems
from globaldialogue.lib.languages import choose_language
from globaldialogue.lib.translated import normalize_language
from globaldialogue.results.queries import survey_results
from globaldialogue.surveys import access
from globaldialogue.surveys.definition import definition_for

router = Router(tags=["results"])


@router.get(
    "/{slug}/results",
    url_name="survey_results",
    response={200: dict[str, Any], **problems(404, 422)},
    summary="Counts per option, optionally per breakdown group",
    description=(
        "The figures of the survey's latest `release` (null, with `total` null and no "
        "questions, before the first): a new one is made once `threshold` more responses "
        "were counted. Every count is changed at random by at most 3, the same way on every "
        "page (docs/disclosure.md). Counts under "
        "the survey's `threshold` are hidden: `count: null, suppressed: true` for options, "
        "`total: null, suppressed: true` for groups, and `null` inside a breakdown's "
        "`counts` (one list per group, options in the order given; `null` for a whole hidden "
        "group). A second cell is hidden where a single one could be worked out from a total. "
        "`by` takes a key from `breakdowns`. Where `by` is country, age group, gender or "
        "education, each table's `weighted` holds, like `counts`, `[share, low, high]` per "
        "group and option (weighted to the population, 95% range; `low`/`high` null under 30 "
        "effective answers), null where the count is hidden."
    ),
)
def get_results(request: HttpRequest, slug: str, by: str = "", lang: str = "") -> dict[str, Any]:
    survey = access.public_survey(slug)
    assert survey.current_version is not None
    breakdowns = {q.key for q in definition_for(survey.current_version).breakdowns}
    if by and by not in breakdowns:
        raise ApiError(
            422,
            "Unknown breakdown.",
            {
                "by": [
                    {
                        "code": "unknown_breakdown",
                        "message": f"Choose one of: {', '.join(sorted(breakdowns))}.",
                    }
                ]
            },
        )
    language = normalize_language(lang) if lang else choose_language(request, survey.languages)
    return cached_results(survey, language=language, by=by)


def cached_results(survey: Any, *, language: str, by: str) -> dict[str, Any]:
    if not settings.RESULTS_CACHE_SECONDS:
        return survey_results(survey, language=language, by=by)
    key = f"results:{survey.pk}:{survey.current_version_id}:{by}:{language}"
    result = cache.get(key)
    if result is None:
        result = survey_results(survey, language=language, by=by)
        cache.set(key, result, settings.RESULTS_CACHE_SECONDS)
    return result
