"""POST /api/surveys/{slug}/responses: one response, exactly once."""

import json
import uuid

import pytest
from django.test import Client, override_settings

from globaldialogue.surveys import actions
from globaldialogue.surveys.models import Response
from globaldialogue.testing import answers_pierre, payload

URL = "/api/surveys/un75/responses"


def post(client: Client, body: object, url: str = URL, **extra: str):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **extra)


@pytest.fixture
def client() -> Client:
    return Client()


def test_it_stores_a_response_and_returns_a_receipt(client, un75):
    body = payload()
    response = post(client, body)
    assert response.status_code == 201
    stored = Response.objects.get(id=body["id"])
    assert response.json() == {"id": body["id"], "receipt": stored.receipt}
    assert stored.version == un75.current_version
    assert stored.language == "fr"
    assert stored.channel == "api"
    assert stored.answers["world_2045"] == [
        "less_conflict",
        {"option": "other", "text": "La paix partout"},
    ]


def test_an_identical_resend_returns_the_same_receipt_and_counts_once(client, un75):
    body = payload()
    first = post(client, body)
    again = post(client, body)
    assert again.status_code == 200
    assert again.json()["receipt"] == first.json()["receipt"]
    assert Response.objects.filter(id=body["id"]).count() == 1


def test_choice_order_does_not_make_a_resend_different(client, un75):
    body = payload()
    post(client, body)
    body["answers"]["world_2045"].reverse()
    assert post(client, body).status_code == 200


def test_the_same_id_with_other_answers_is_a_conflict(client, un75):
    body = payload()
    post(client, body)
    body["answers"]["future_outlook"] = "worse"
    response = post(client, body)
    assert response.status_code == 409
    assert Response.objects.get(id=body["id"]).answers["future_outlook"] == "better"


def test_invalid_answers_list_one_error_per_field_and_store_nothing(client, un75):
    answers = {
        "future_outlook": "maybe",
        "world_2045": ["peace", "less_conflict"],
        "trends": ["climate", "health", "corruption", "terrorism"],
        "advice": "x" * 281,
        "cooperation": 5,
        "nonsense": "1",
        "country": "XX",
    }
    response = post(client, payload(answers))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {field: [e["code"] for e in items] for field, items in errors.items()} == {
        "future_outlook": ["unknown_option"],
        "world_2045": ["unknown_option"],
        "trends": ["too_many_choices"],
        "advice": ["too_long"],
        "cooperation": ["invalid_choice"],
        "nonsense": ["unknown_question"],
        "country": ["unknown_option"],
    }
    assert not Response.objects.exists()


def test_no_answers_at_all_is_refused(client, un75):
    response = post(client, payload({}, language="fr"))
    assert response.status_code == 422
    [error] = response.json()["errors"]["answers"]
    assert error["code"] == "too_few_answers"
    assert error["message"] == "Répondez à au moins une question avant d’envoyer."
    assert not Response.objects.exists()


def test_the_organizer_sets_how_many_answers_a_response_needs(client, un75):
    un75.min_answers = 3
    un75.save(update_fields=["min_answers"])
    actions.record_survey_edit(survey=un75)
    two = {"future_outlook": "better", "cooperation": "essential"}
    [error] = post(client, payload(two, language="en")).json()["errors"]["answers"]
    assert error["message"] == "Answer at least 3 questions before sending."
    three = {**two, "covid_views": "more"}
    assert post(client, payload(three, language="en")).status_code == 201


def test_errors_come_in_the_language_of_the_response(client, un75):
    response = post(client, payload({"trends": ["climate", "health", "corruption", "terrorism"]}))
    assert response.json()["errors"]["trends"][0]["message"] == "Choisissez au plus 3 options."


def test_other_needs_its_text(client, un75):
    response = post(client, payload({"world_2045": ["other"]}))
    assert response.json()["errors"]["world_2045"][0]["code"] == "other_text_required"


@pytest.mark.parametrize("bad_id", ["nope", "", 12, None])
def test_an_id_must_be_a_uuid(client, un75, bad_id):
    body = payload()
    body["id"] = bad_id
    response = post(client, body)
    assert response.status_code == 422
    assert "id" in response.json()["errors"]


def test_an_unsupported_language_is_refused(client, un75):
    response = post(client, payload(language="tlh"))
    assert response.status_code == 422
    assert response.json()["errors"]["language"][0]["code"] == "unsupported_language"


def test_chinese_aliases_are_accepted(client, un75):
    body = payload(language="zh-CN")
    assert post(client, body).status_code == 201
    assert Response.objects.get(id=body["id"]).language == "zh-hans"


@pytest.mark.parametrize(
    "body", ['{"id":', "[1, 2]", '"text"', "{}", '{"id": "x", "language": "fr", "answers": "all"}']
)
def test_malformed_bodies_are_refused_with_422(client, un75, body):
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["errors"]
    assert not Response.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversized_body_is_refused_with_413(client, un75):
    body = payload({"advice": "x" * 2000})
    assert post(client, body).status_code == 413
    assert not Response.objects.exists()


def test_an_unknown_survey_is_404(client, un75):
    assert post(client, payload(), url="/api/surveys/nope/responses").status_code == 404


def test_a_closed_survey_refuses_with_409_and_a_message(client, un75):
    actions.close_survey(survey=un75)
    response = post(client, payload())
    assert response.status_code == 409
    assert response.json()["detail"] == "Cette enquête est close et n'accepte plus de réponses."


@override_settings(RATE_SUBMIT_PER_IP=(3, 60))
def test_too_many_submissions_from_one_address_get_429_with_retry_after(client, un75):
    for _ in range(3):
        assert post(client, payload()).status_code == 201
    refused = post(client, payload())
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert Response.objects.count() == 3


@override_settings(RATE_SUBMIT_PER_IP=(1, 60))
def test_the_limit_is_per_address(client, un75):
    assert post(client, payload(), REMOTE_ADDR="10.0.0.1").status_code == 201
    assert post(client, payload(), REMOTE_ADDR="10.0.0.2").status_code == 201
    assert post(client, payload(), REMOTE_ADDR="10.0.0.1").status_code == 429


def test_required_questions_must_be_answered(client, un75):
    question = un75.questions.get(key="country")
    question.required = True
    question.save(update_fields=["required"])
    actions.record_survey_edit(survey=un75)
    answers = answers_pierre()
    del answers["country"]
    response = post(client, payload(answers))
    assert response.json()["errors"] == {
        "country": [{"code": "required", "message": "Cette question demande une réponse."}]
    }


def test_every_response_records_its_version(client, un75):
    first = payload()
    post(client, first)
    option = un75.questions.get(key="future_outlook").options.get(key="same")
    option.label = {**option.label, "en": "About the same as now"}
    option.save(update_fields=["label"])
    actions.record_survey_edit(survey=un75)
    second = payload()
    post(client, second)
    versions = dict(Response.objects.values_list("id", "version__number"))
    assert versions == {uuid.UUID(first["id"]): 1, uuid.UUID(second["id"]): 2}
