"""An XLSForm's logic, imported and honoured: skip logic, conditional requirement,
constraints with their messages, calculations and cascading choices, decided the same way
for every channel (here the API; the web form and OpenRosa go through the same checks)."""

import json
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from globaldialogue.surveys.models import Response, Survey
from globaldialogue.surveys.tests.test_import_xlsform import workbook

HEAD = ["type", "name", "label::English (en)", "label::Français (fr)", "required"]
HEAD += ["relevant", "constraint", "constraint_message::English (en)"]
HEAD += ["constraint_message::Français (fr)", "calculation", "choice_filter"]


def row(kind, name, label="", required="", relevant="", constraint="", messages=("", "")):
    return [kind, name, label, label, required, relevant, constraint, *messages, "", ""]


YOUTH = [
    HEAD,
    row("integer", "age", "Age", "yes", constraint=". >= 0 and . <= 120"),
    [*row("calculate", "decade")[:9], "int(${age} div 10)", ""],
    row("select_one yesno", "studies", "Studying?", "yes", relevant="${age} < 30"),
    row(
        "text",
        "school",
        "Which school?",
        "${age} < 18",
        relevant="selected(${studies}, 'yes')",
        constraint="regex(., '[A-Za-z ]{2,40}')",
        messages=("Letters only", "Des lettres seulement"),
    ),
    row("begin_group", "family", relevant="${decade} >= 2"),
    row("integer", "children", "Children"),
    row("end_group", ""),
    row("select_one region", "region", "Region"),
    [*row("select_one city", "city", "City")[:10], "region = ${region}"],
]
CHOICES = [
    ["list_name", "name", "label::English (en)", "region"],
    ["yesno", "yes", "Yes", ""],
    ["yesno", "no", "No", ""],
    ["region", "west", "West", ""],
    ["region", "east", "East", ""],
    ["city", "lyon", "Lyon", "east"],
    ["city", "nantes", "Nantes", "west"],
]


def import_youth(folder):
    """The youth form, imported and published (its slug comes from the shared settings)."""
    path = workbook(folder / "youth.xlsx", survey=YOUTH, choices=CHOICES)
    call_command("import_xlsform", str(path), consultation="youth")
    return Survey.objects.get(slug="city_priorities")


@pytest.fixture
def youth(db, tmp_path):
    return import_youth(tmp_path)


def send(answers, language="en"):
    body = {"id": str(uuid.uuid4()), "language": language, "answers": answers}
    response = Client().post(
        "/api/surveys/city_priorities/responses",
        json.dumps(body),
        content_type="application/json",
    )
    stored = Response.objects.filter(id=body["id"]).first()
    return response, (stored.answers if stored else None)


def errors(response):
    return {key: [e["code"] for e in found] for key, found in response.json()["errors"].items()}


def test_a_question_not_asked_is_neither_required_nor_kept(youth):
    response, stored = send({"age": 40, "studies": "yes", "children": 2})
    assert response.status_code == 201
    assert stored == {"age": 40, "children": 2}  # studies is not asked at 40


def test_a_question_is_required_only_while_its_condition_holds(youth):
    response, stored = send({"age": 15, "studies": "yes"})
    assert response.status_code == 422 and errors(response) == {"school": ["required"]}
    assert stored is None
    assert send({"age": 20, "studies": "yes"})[0].status_code == 201
    assert send({"age": 20})[1] is None  # studies is required while asked


def test_a_constraint_speaks_in_the_readers_language(youth):
    response, _stored = send({"age": 16, "studies": "yes", "school": "Lycée 4"}, "fr")
    assert response.json()["errors"]["school"][0]["message"] == "Des lettres seulement"
    assert send({"age": 16, "studies": "yes", "school": "Jules Verne"})[0].status_code == 201


def test_a_calculation_feeds_a_groups_skip_logic(youth):
    assert send({"age": 15, "studies": "no", "children": 1})[1] == {"age": 15, "studies": "no"}
    assert send({"age": 25, "studies": "no", "children": 1})[1]["children"] == 1


def test_cascading_choices_offer_only_the_region_s_cities(youth):
    response, _stored = send({"age": 40, "region": "west", "city": "lyon"})
    assert errors(response) == {"city": ["unknown_option"]}
    assert send({"age": 40, "region": "west", "city": "nantes"})[0].status_code == 201


def test_the_definition_api_gives_the_logic_to_partners(youth):
    body = Client().get("/api/surveys/city_priorities?lang=fr").json()
    school = {q["key"]: q for q in body["questions"]}["school"]
    assert school["relevant"] == "selected(${studies}, 'yes')"
    assert school["required_when"] == "${age} < 18"
    assert school["constraint_message"] == "Des lettres seulement"
    assert body["calculations"] == [{"key": "decade", "expression": "int(${age} div 10)"}]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (row("begin_repeat", "kids"), "row 11, column 'type': repeats are not supported"),
        (row("text", "x", relevant="now() > 1"), "row 11, column 'relevant': the function"),
        (row("text", "x", relevant="${nobody} = 1"), "'relevant': \\$\\{nobody\\}: no such"),
        (row("text", "x", constraint=". >"), "row 11, column 'constraint': the expression ends"),
        ([*row("text", "x")[:5], "", "", "", "", "", "a = 1"], "'choice_filter':.*\\$\\{name\\}"),
        ([*row("text", "x"), "5"], "row 11, column 'default': this column is not supported"),
    ],
)
def test_logic_the_import_cannot_honour_is_refused_with_row_and_column(
    db, tmp_path, change, message
):
    survey = [
        [*HEAD, "default"],
        *([*r, ""] for r in YOUTH[1:]),
        change + [""] * (12 - len(change)),
    ]
    path = workbook(tmp_path / "bad.xlsx", survey=survey, choices=CHOICES)
    with pytest.raises(CommandError, match=message):
        call_command("import_xlsform", str(path), consultation="youth")
    assert not Survey.objects.exists()
