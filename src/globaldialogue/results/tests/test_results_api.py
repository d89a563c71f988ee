"""GET /api/surveys/{slug}/results and the public results page."""

from django.core.cache import cache
from django.test import Client

from globaldialogue.results.actions import tally_all
from globaldialogue.results.tests.helpers import near, option, question, submit
from globaldialogue.surveys import actions


def test_it_counts_every_closed_question(crowd):
    body = Client().get("/api/surveys/un75/results?lang=en").json()
    assert near(body["total"], 52)
    assert body["release"]["number"] == 1
    outlook = question(body, "future_outlook")
    assert near(outlook["answered"], 52)
    better = option(outlook, "better")
    assert {k: better[k] for k in ("key", "label", "suppressed")} == {
        "key": "better",
        "label": "Better off",
        "suppressed": False,
    }
    assert near(better["count"], 30)
    assert better["share"] == round(better["count"] / outlook["answered"], 4)
    # 7 is under the threshold; alone it could be worked out from the total, so 15 goes too.
    assert option(outlook, "same")["suppressed"] is True
    assert option(outlook, "worse")["suppressed"] is True
    assert "advice" not in {q["key"] for q in body["questions"]}


def test_breakdowns_are_cross_tables_that_hide_small_groups(crowd):
    body = Client().get("/api/surveys/un75/results?by=country&lang=fr").json()
    breakdown = body["breakdown"]
    # Largest first as published; hidden groups after, by code (not by their exact size).
    # Jordan and Kenya are under the threshold and add up to fewer than it: Nigeria's 15
    # are hidden too, or its total subtracted from the whole would say both are that small.
    assert [g["key"] for g in breakdown["groups"]] == ["FR", "JO", "KE", "NG"]
    france, jordan, kenya, nigeria = breakdown["groups"]
    assert france["label"] == "France" and near(france["total"], 30)
    assert nigeria["label"] == "Nigeria"
    assert kenya["suppressed"] and jordan["suppressed"] and nigeria["suppressed"]
    outlook = question(breakdown, "future_outlook")
    assert [o["key"] for o in outlook["options"]] == ["better", "same", "worse"]
    assert near(outlook["answered"][0], 30) and outlook["answered"][1:] == [None, None, None]
    fr_better, fr_same, fr_worse = outlook["counts"][0]
    assert near(fr_better, 30)
    assert fr_same == fr_worse == 0  # zero counts no one: shown as is
    assert outlook["counts"][1:] == [None, None, None]
    assert "country" not in {q["key"] for q in breakdown["questions"]}


def test_figures_move_only_once_the_threshold_of_new_responses_arrived(crowd):
    before = Client().get("/api/surveys/un75/results").json()
    submit(crowd, 9)  # one under the threshold: no release
    tally_all()
    assert Client().get("/api/surveys/un75/results").json() == before
    submit(crowd, 1)
    tally_all()
    cache.clear()  # pages may show a release a few seconds late (RESULTS_CACHE_SECONDS)
    after = Client().get("/api/surveys/un75/results").json()
    assert after["release"]["number"] == 2 and near(after["total"], 62)


def test_nothing_counted_is_public_before_the_first_release(un75):
    submit(un75, 9)
    tally_all()
    body = Client().get("/api/surveys/un75/results").json()
    assert body["total"] is None and body["release"] is None and body["questions"] == []


def test_an_unknown_breakdown_is_422(crowd):
    assert Client().get("/api/surveys/un75/results?by=advice").status_code == 422


def test_results_take_a_fixed_number_of_queries(crowd, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        Client().get("/api/surveys/un75/results?by=country")


def test_the_page_shows_counts_in_the_language(crowd):
    page = Client().get("/s/un75/results?lang=es")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Respuestas hasta ahora:" in html
    total = Client().get("/api/surveys/un75/results").json()["total"]
    assert f'data-total aria-live="polite">{total}<' in html


def test_the_page_breaks_down_by_country(crowd, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        html = Client().get("/s/un75/results?lang=en&by=country").content.decode()
    assert "Nigeria" in html
    assert 'data-cell="future_outlook:JO:better">–<' in html  # a suppressed group


def test_the_page_refuses_unknown_breakdowns(crowd):
    assert Client().get("/s/un75/results?by=nonsense").status_code == 404


def test_a_new_version_is_laid_out_anew_when_no_response_came_since(
    crowd, django_capture_on_commit_callbacks
):
    option = crowd.questions.get(key="future_outlook").options.get(key="worse")
    option.key = "much_worse"
    option.save(update_fields=["key"])
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_survey_edit(survey=crowd)
    crowd.refresh_from_db()
    body = Client().get("/api/surveys/un75/results?lang=en").json()
    outlook = next(q for q in body["questions"] if q["key"] == "future_outlook")
    keys = [o["key"] for o in outlook["options"]]
    assert keys == ["better", "same", "much_worse", "worse"]  # old answers keep their key
