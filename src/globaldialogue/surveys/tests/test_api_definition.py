"""GET /api/surveys/{slug}: the survey definition in one language."""

from django.test import Client

from globaldialogue.surveys.models import Survey


def test_it_shows_questions_and_options_in_the_asked_language(un75):
    body = Client().get("/api/surveys/un75?lang=fr").json()
    assert body["language"] == "fr"
    assert body["title"] == "L'avenir que nous voulons, l'ONU dont nous avons besoin"
    first = body["questions"][0]
    assert first["key"] == "future_outlook"
    assert first["type"] == "single"
    assert first["options"][0] == {"key": "better", "label": "Mieux", "other": False}
    world = next(q for q in body["questions"] if q["key"] == "world_2045")
    assert world["max_choices"] == 3
    assert world["options"][-1]["other"] is True


def test_country_options_are_iso_codes_named_in_the_language(un75):
    body = Client().get("/api/surveys/un75?lang=zh").json()
    country = next(q for q in body["questions"] if q["key"] == "country")
    names = {o["key"]: o["label"] for o in country["options"]}
    assert len(names) == 249
    assert names["CN"] == "中国"


def test_without_lang_it_follows_accept_language(un75):
    body = Client().get("/api/surveys/un75", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9").json()
    assert body["language"] == "ru"


def test_an_unsupported_language_is_422(un75):
    assert Client().get("/api/surveys/un75?lang=tlh").status_code == 422


def test_unknown_and_draft_surveys_are_404(un75):
    assert Client().get("/api/surveys/nope").status_code == 404
    Survey.objects.filter(pk=un75.pk).update(status=Survey.Status.DRAFT)
    assert Client().get("/api/surveys/un75").status_code == 404


def test_the_openapi_schema_lists_the_contract(un75):
    schema = Client().get("/api/openapi.json").json()
    assert {
        "/api/surveys/{slug}",
        "/api/surveys/{slug}/responses",
        "/api/surveys/{slug}/responses/batch",
        "/api/surveys/{slug}/results",
    } <= set(schema["paths"])
    assert Client().get("/api/docs").status_code == 200
