"""POST /api/surveys/{slug}/responses/batch: Pat's partner platform sends responses in bulk."""

import json

import pytest
from django.test import Client, override_settings

from globaldialogue.accounts.actions import create_api_key, revoke_api_key
from globaldialogue.accounts.models import Scope
from globaldialogue.consultations.actions import save_consultation
from globaldialogue.surveys.models import Response
from globaldialogue.testing import payload

URL = "/api/surveys/un75/responses/batch"


def send(body: object, key: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return Client().post(URL, json.dumps(body), content_type="application/json", **headers)


def test_it_stores_every_valid_item_and_reports_each(un75, pat_key):
    good = [payload(language="ar") for _ in range(3)]
    bad = payload({"future_outlook": "maybe"})
    response = send({"responses": [*good, bad]}, pat_key)
    assert response.status_code == 200
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["created"] * 3 + ["invalid"]
    assert body["results"][3]["errors"]["future_outlook"][0]["code"] == "unknown_option"
    assert body["counts"] == {"created": 3, "duplicate": 0, "conflict": 0, "invalid": 1}
    assert Response.objects.filter(channel="partner").count() == 3


def test_a_resent_batch_is_counted_once_with_the_same_receipts(un75, pat_key):
    items = [payload() for _ in range(5)]
    first = send({"responses": items}, pat_key).json()
    again = send({"responses": items}, pat_key).json()
    assert [r["status"] for r in again["results"]] == ["duplicate"] * 5
    assert [r["receipt"] for r in again["results"]] == [r["receipt"] for r in first["results"]]
    assert Response.objects.count() == 5


def test_a_changed_item_is_a_conflict_and_the_others_still_go_in(un75, pat_key):
    item = payload()
    send({"responses": [item]}, pat_key)
    changed = {**item, "answers": {"future_outlook": "worse"}}
    result = send({"responses": [changed, payload()]}, pat_key).json()
    assert [r["status"] for r in result["results"]] == ["conflict", "created"]


def test_the_same_id_twice_in_one_batch(un75, pat_key):
    item = payload()
    other = {**item, "answers": {"future_outlook": "worse"}}
    result = send({"responses": [item, item, other]}, pat_key).json()
    assert [r["status"] for r in result["results"]] == ["created", "duplicate", "conflict"]
    assert Response.objects.count() == 1


def test_items_that_are_not_objects_are_invalid_items(un75, pat_key):
    result = send({"responses": ["nonsense", payload()]}, pat_key).json()
    assert [r["status"] for r in result["results"]] == ["invalid", "created"]


def test_it_needs_a_key(un75):
    assert send({"responses": [payload()]}, None).status_code == 401
    assert send({"responses": [payload()]}, "gd_wrong_key").status_code == 401
    assert not Response.objects.exists()


def test_a_revoked_key_is_refused(un75):
    key, secret = create_api_key(name="old partner")
    revoke_api_key(key=key)
    assert send({"responses": [payload()]}, secret).status_code == 401


def test_a_key_without_the_responses_scope_is_refused(un75):
    _key, secret = create_api_key(
        name="events partner", consultation=un75.consultation, scopes=[Scope.EVENTS]
    )
    refused = send({"responses": [payload()]}, secret)
    assert refused.status_code == 403 and "responses" in refused.json()["detail"]
    assert not Response.objects.exists()


def test_a_key_for_another_consultation_cannot_see_the_survey(un75):
    elsewhere = save_consultation(slug="city-budget", title={"en": "City budget"}, languages=["en"])
    _key, secret = create_api_key(name="city partner", consultation=elsewhere)
    assert send({"responses": [payload()]}, secret).status_code == 404


@override_settings(BATCH_MAX_ITEMS=3)
def test_too_many_items_are_refused_whole(un75, pat_key):
    response = send({"responses": [payload() for _ in range(4)]}, pat_key)
    assert response.status_code == 422
    assert not Response.objects.exists()


@override_settings(RATE_BATCH_PER_KEY=(2, 60))
def test_batches_are_rate_limited_per_key(un75, pat_key):
    for _ in range(2):
        assert send({"responses": [payload()]}, pat_key).status_code == 200
    refused = send({"responses": [payload()]}, pat_key)
    assert refused.status_code == 429
    assert refused["Retry-After"]


def test_a_full_batch_of_1000_goes_in_with_one_result_each(un75, pat_key):
    items = [payload(language="zh-hans") for _ in range(1000)]
    result = send({"responses": items}, pat_key).json()
    assert result["counts"]["created"] == 1000
    assert {r["id"] for r in result["results"]} == {i["id"] for i in items}
    assert Response.objects.count() == 1000


@pytest.mark.parametrize("body", [{"responses": "all"}, {"items": []}, []])
def test_a_malformed_batch_is_refused(un75, pat_key, body):
    assert send(body, pat_key).status_code == 422


def test_unknown_ids_in_results_keep_what_the_client_sent(un75, pat_key):
    result = send({"responses": [{**payload(), "id": "x-1"}]}, pat_key).json()
    assert result["results"][0]["id"] == "x-1"
