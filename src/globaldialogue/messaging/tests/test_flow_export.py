"""An operator exports UN75 as RapidPro flows for U-Report: one flow per language in
RapidPro's export format, valid against the flow definition's schema, asking what our own
text chats ask; the results of a run through it come back by its webhook without a
mapping."""

import copy
import json
import uuid
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from globaldialogue.accounts import actions as account_actions
from globaldialogue.accounts.models import Scope
from globaldialogue.messaging import flowcheck, rapidpro_actions
from globaldialogue.messaging.tests.runs import result, webhook_body
from globaldialogue.surveys.models import Response, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(un75: Survey, tmp_path: Any) -> dict[str, Any]:
    target = tmp_path / "un75-flows.json"
    call_command("export_rapidpro_flow", "--survey", "un75", "--output", str(target))
    return json.loads(target.read_text(encoding="utf-8"))


def test_the_export_is_one_valid_flow_per_language(exported: dict[str, Any]) -> None:
    assert flowcheck.problems(exported) == []
    flows = exported["flows"]
    assert [f["language"] for f in flows] == ["eng", "fra", "spa", "rus", "zho", "ara"]
    english = flows[0]
    assert len(english["nodes"]) == 12  # eleven questions, then the webhook and thanks
    first = english["nodes"][0]
    assert first["router"]["result_name"] == "future_outlook"
    assert first["actions"][0]["text"].startswith("In 2045, will people be better off")
    assert (
        "\n1 Better off\n2 About the same\n3 Worse off\nReply with a number from 1 to 3."
        in (first["actions"][0]["text"])
    )
    names = [c["name"] for c in first["router"]["categories"]]
    assert names == ["Skipped", "Better off", "About the same", "Worse off", "Other"]
    webhook = english["nodes"][-1]["actions"][0]
    assert webhook["type"] == "call_webhook" and webhook["url"].endswith(
        "/api/surveys/un75/rapidpro"
    )
    assert webhook["headers"]["Authorization"] == "Bearer @globals.globaldialogue_key"
    assert "Votre reçu" in flows[1]["nodes"][-1]["actions"][1]["text"]


def test_the_checker_refuses_what_would_not_import(exported: dict[str, Any]) -> None:
    broken = copy.deepcopy(exported)
    node = broken["flows"][0]["nodes"][0]
    node["exits"][0]["destination_uuid"] = str(uuid.uuid4())
    node["router"]["categories"][1]["name"] = "x" * 40
    assert any("maxLength" in p or "longer than 36" in p for p in flowcheck.problems(broken))
    node["router"]["categories"][1]["name"] = "Skipped"
    said = flowcheck.problems(broken)
    assert any("leads to no node" in p for p in said)
    assert any("'skipped' is there twice" in p for p in said)
    broken["flows"][0]["nodes"][1]["uuid"] = node["uuid"]
    assert any("is used 2 times" in p for p in flowcheck.problems(broken))


def test_a_run_through_the_exported_flow_comes_back_without_a_mapping(
    un75: Survey, exported: dict[str, Any]
) -> None:
    english = exported["flows"][0]
    rapidpro_actions.connect_flow(survey=un75, flow_uuid=english["uuid"], language="en")
    _key, secret = account_actions.create_api_key(
        name="U-Report", consultation=un75.consultation, scopes=[Scope.RESPONSES]
    )
    # What RapidPro records: each result under its node's result name, with the category
    # the reply fell in (the second option of each choice) or the text.
    results = {}
    for node in english["nodes"][:-1]:
        router = node["router"]
        key, categories = router["result_name"], [c["name"] for c in router["categories"]]
        if categories[1] in ("Has Text", "Has Number"):
            results[key] = result(key, "Kenya" if key == "country" else "2 3", categories[1])
        else:
            results[key] = result(key, "2", categories[2])
    body = webhook_body(english["uuid"], str(uuid.uuid4()), results)
    posted = Client().post(
        "/api/surveys/un75/rapidpro",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert posted.status_code == 201, posted.content
    answers = Response.objects.get().answers
    assert answers["future_outlook"] == "same" and answers["country"] == "KE"
    assert answers["world_2045"] == ["basic_services", "less_conflict"]
    assert answers["advice"] == "2 3"


def test_an_unknown_survey_or_language_is_refused(un75: Survey, tmp_path: Any) -> None:
    with pytest.raises(CommandError, match="No published survey"):
        call_command("export_rapidpro_flow", "--survey", "nope", "--output", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="offered in"):
        call_command(
            "export_rapidpro_flow",
            "--survey",
            "un75",
            "--language",
            "de",
            "--output",
            str(tmp_path / "x"),
        )
