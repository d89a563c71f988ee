"""The public dashboard of a consultation (/r/{slug}/): headline figures, one chart with a
table per closed question, filters, a weighted / counted switch, themes, and small cells
hidden. Its figures are sums over the stored cell table, checked here against responses."""

import re
from collections import Counter

import pytest
from django.test import Client

from globaldialogue.results.actions import request_themes, tally_all
from globaldialogue.results.regions import countries_in
from globaldialogue.results.tests.helpers import approve_quotes, near, submit_advice
from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.demo import load_synthetic_sample
from globaldialogue.surveys.models import Response
from globaldialogue.themes.tests.planted import planted_answers


@pytest.fixture
def sampled(un75):
    load_synthetic_sample(un75, 400)
    tally_all()
    return un75


def figures(path):
    response = Client().get(path)
    assert response.status_code == 200, response.content[:300]
    return response.context["figures"], response.content.decode()


def answered(country=None, countries=None, key="future_outlook", option=None):
    responses = Response.objects.all()
    if country:
        responses = responses.filter(answers__country=country)
    if countries:
        responses = responses.filter(answers__country__in=countries)
    responses = responses.filter(answers__has_key=key)
    return responses.filter(**{f"answers__{key}": option}) if option else responses


def exact_count(query, question, option):
    """The exact count behind a filtered dashboard figure, from the responses."""
    key, value = query.split("=")
    responses = Response.objects.filter(**{f"answers__{question}": option})
    if key == "region":
        return responses.filter(answers__country__in=countries_in("Western Africa")).count()
    return responses.filter(**{f"answers__{key}": value}).count()


def test_headlines_and_a_chart_with_a_table_per_closed_question(sampled):
    shown, page = figures("/r/un75/?lang=en")
    assert shown["total"] == shown["selected"] and near(shown["total"], 400)
    countries = {r.answers.get("country") for r in Response.objects.all()} - {None}
    assert shown["countries"] == len(countries)
    closed = shown["questions"]
    assert {q["key"] for q in closed} == {
        "future_outlook",
        "world_2045",
        "trends",
        "cooperation",
        "covid_views",
        "disability",
    }
    assert page.count('<svg class="chart"') >= len(closed)
    assert page.count("<table>") == len(closed)
    assert "Weighted %" in page and "effective sample size" in page


def test_lists_without_an_order_of_their_own_are_ordered_by_the_figure_shown(sampled):
    """Weighted or counted, a chart of a multiple-choice list reads from its largest bar
    down; single-choice and scale answers keep their own order (better, same, worse)."""
    for view in ("", "&view=counted"):
        shown, _page = figures(f"/r/un75/?lang=en{view}")
        questions = {q["key"]: q for q in shown["questions"]}
        for key in ("world_2045", "trends"):
            drawn = [row["bar"] for row in questions[key]["rows"] if row["bar"] is not None]
            assert drawn == sorted(drawn, reverse=True), (key, view)
        outlook = [row["label"] for row in questions["future_outlook"]["rows"]]
        assert outlook[0] == "Better off"


def test_counted_figures_match_the_responses(sampled):
    shown, page = figures("/r/un75/?lang=en&view=counted")
    outlook = next(q for q in shown["questions"] if q["key"] == "future_outlook")
    better = outlook["rows"][0]
    assert near(better["count"], answered(option="better").count())
    assert near(outlook["answered"], answered().count())
    assert better["weighted"] is None and "Weighted %" not in page
    assert f">{round(100 * better['count'] / outlook['answered'])}%<" in page  # the bar's label


def test_a_country_filter_counts_that_country_only(sampled):
    shown, page = figures("/r/un75/?lang=fr&country=IN")
    exact = Response.objects.filter(answers__country="IN").count()
    assert near(shown["selected"], exact)
    outlook = next(q for q in shown["questions"] if q["key"] == "future_outlook")
    assert near(outlook["answered"], answered("IN").count())
    assert near(outlook["rows"][2]["count"], answered("IN", option="worse").count())
    assert "modifié au hasard" in page or "modifié aléatoirement" in page


def test_a_region_is_its_countries(sampled):
    shown, _page = figures("/r/un75/?lang=en&region=Southern+Asia&view=counted")
    south_asia = ["IN", "PK", "BD"]  # those the synthetic sample has
    exact = Response.objects.filter(answers__country__in=south_asia).count()
    assert near(shown["selected"], exact)


def test_filtered_figures_change_a_little_and_the_same_way_each_time(sampled):
    """So subtracting one view from another does not give a small group away, and asking
    again does not average the change out; everyone's figures too."""
    definition = definition_for(sampled.current_version)
    changed, compared = [], 0
    for query in ("country=IN", "region=Western+Africa", "gender=female", "age_group=31_45"):
        shown, _page = figures(f"/r/un75/?lang=en&view=counted&{query}")
        again, _page = figures(f"/r/un75/?lang=en&view=counted&{query}")
        assert again["questions"] == shown["questions"] and again["selected"] == shown["selected"]
        for question in shown["questions"]:
            asked = definition.questions_by_key[question["key"]]
            if asked.type != "single":
                continue
            for row, option in zip(question["rows"], [o.key for o in asked.options], strict=True):
                if row["count"] is None or row["count"] == 0:
                    continue
                exact = exact_count(query, question["key"], option)
                assert near(row["count"], exact), (query, question["key"], option)
                changed.append(row["count"] != exact)
                compared += 1
    assert compared >= 15 and 0.3 <= sum(changed) / compared <= 0.8  # 56% expected
    everyone, _page = figures("/r/un75/?lang=en&view=counted")
    assert near(everyone["selected"], 400)


def test_weighted_figures_without_filters_are_the_results_pages(sampled):
    shown, _page = figures("/r/un75/?lang=en")
    api = Client().get("/api/surveys/un75/results?lang=en").json()
    ours = next(q for q in shown["questions"] if q["key"] == "future_outlook")["rows"]
    theirs = next(q for q in api["questions"] if q["key"] == "future_outlook")["options"]
    assert [row["weighted"] for row in ours] == [o["weighted_share"] for o in theirs]
    assert shown["weighting"]["effective_n"] == api["weighting"]["effective_n"]


def test_small_counts_are_hidden_in_any_selection(sampled):
    for query in ("country=IN&gender=female", "country=NG&age_group=16_30", "education=none"):
        shown, _page = figures(f"/r/un75/?lang=en&{query}")
        for question in shown["questions"]:
            counts = [row["count"] for row in question["rows"]]
            assert all(count is None or count == 0 or count >= 10 for count in counts), query
            hidden = [row for row in question["rows"] if row["count"] is None]
            assert all(row["weighted"] is None and row["low"] is None for row in hidden)


def test_a_selection_under_the_threshold_shows_nothing(sampled):
    countries = Counter(r.answers.get("country") for r in Response.objects.all())
    smallest = min((c for c in countries if c), key=lambda c: countries[c])
    assert countries[smallest] < 10
    shown, page = figures(f"/r/un75/?lang=en&country={smallest}")
    assert shown["too_few"] and shown["questions"] == []
    assert "Fewer than 10 people answered in this selection" in page


def test_an_unknown_filter_value_is_refused_clearly(sampled):
    response = Client().get("/r/un75/?lang=en&country=XX")
    assert response.status_code == 400
    assert "There is no such choice for this filter" in response.content.decode()
    everyone = Client().get("/r/un75/?lang=en").context["figures"]["selected"]
    assert response.context["figures"]["selected"] == everyone  # the filter is off


def test_the_refusal_is_in_the_readers_language(sampled):
    response = Client().get("/r/un75/?lang=fr&gender=robot")
    assert response.status_code == 400
    assert "Ce choix n’existe pas pour ce filtre" in response.content.decode()


def test_no_consultation_no_dashboard(db):
    assert Client().get("/r/nowhere/").status_code == 404


def test_the_dashboard_reads_a_bounded_number_of_queries(sampled, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        Client().get("/r/un75/?lang=en&region=Western+Africa&gender=male")


@pytest.fixture
def with_themes(un75, django_capture_on_commit_callbacks):
    """Each planted answer four times from France, Nigeria and India: 12 said each."""
    texts = planted_answers()[0]
    for country in ("FR", "NG", "IN"):
        submit_advice(un75, texts * 4, country=country)
    tally_all()
    with django_capture_on_commit_callbacks(execute=True):
        request_themes(survey=un75, question="advice")
    approve_quotes(un75)
    return un75


def test_themes_show_what_was_said_most_under_each(with_themes):
    """The theme -> sub-theme -> claims -> quotes tree: claims with how many said them."""
    page = Client().get("/r/un75/?lang=fr").content.decode()
    assert "Ce qui a été dit le plus souvent" in page and "Part de ce thème" in page
    claim = r'<li><span lang="([\w-]+)" dir="auto">([^<]+)</span>(?:(?!</li>).)*?'
    claims = re.findall(claim + r'<span class="note">\((\d+)\)', page, re.S)
    assert claims and all(int(count) >= 10 for _language, _text, count in claims)
