"""GET /api/surveys/{slug}/results and the public results page."""

from django.test import Client

from globaldialogue.results.tests.helpers import option, question, submit
from globaldialogue.surveys import actions


def test_it_counts_every_closed_question(crowd):
    body = Client().get("/api/surveys/un75/results?lang=en").json()
    assert body["total"] == 52
    outlook = question(body, "future_outlook")
    assert outlook["answered"] == 52
    better = option(outlook, "better")
    assert {k: better[k] for k in ("key", "label", "count", "suppressed", "share")} == {
        "key": "better",
        "label": "Better off",
        "count": 30,
        "suppressed": False,
        "share": 0.5769,
    }
    # 7 is under the threshold; alone it could be worked out from the total, so 15 goes too.
    assert option(outlook, "same")["suppressed"] is True
    assert option(outlook, "worse")["suppressed"] is True
    assert "advice" not in {q["key"] for q in body["questions"]}


def test_breakdowns_are_cross_tables_that_hide_small_groups(crowd):
    body = Client().get("/api/surveys/un75/results?by=country&lang=fr").json()
    breakdown = body["breakdown"]
    assert [g["key"] for g in breakdown["groups"]] == ["FR", "NG", "KE", "JO"]  # largest first
    france, nigeria, kenya, jordan = breakdown["groups"]
    assert (france["label"], france["total"]) == ("France", 30)
    assert nigeria["label"] == "Nigeria"
    assert kenya["suppressed"] and jordan["suppressed"]
    outlook = question(breakdown, "future_outlook")
    assert [o["key"] for o in outlook["options"]] == ["better", "same", "worse"]
    assert outlook["answered"] == [30, 15, None, None]
    assert outlook["counts"] == [[30, 0, 0], [0, 0, 15], None, None]
    assert "country" not in {q["key"] for q in breakdown["questions"]}


def test_totals_include_responses_not_yet_tallied(crowd):
    submit(crowd, 2)  # no tally run yet
    body = Client().get("/api/surveys/un75/results").json()
    assert body["total"] == 54


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
    assert 'data-total aria-live="polite">52<' in html


def test_the_page_breaks_down_by_country(crowd, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        html = Client().get("/s/un75/results?lang=en&by=country").content.decode()
    assert "Nigeria" in html
    assert 'data-cell="future_outlook:JO:better">–<' in html  # a suppressed group


def test_the_page_refuses_unknown_breakdowns(crowd):
    assert Client().get("/s/un75/results?by=nonsense").status_code == 404


def test_a_new_version_is_not_shown_stale_snapshots(crowd):
    option = crowd.questions.get(key="future_outlook").options.get(key="worse")
    option.key = "much_worse"
    option.save(update_fields=["key"])
    actions.record_survey_edit(survey=crowd)
    crowd.refresh_from_db()
    body = Client().get("/api/surveys/un75/results?lang=en").json()
    outlook = next(q for q in body["questions"] if q["key"] == "future_outlook")
    keys = [o["key"] for o in outlook["options"]]
    assert keys == ["better", "same", "much_worse", "worse"]  # old answers keep their key
