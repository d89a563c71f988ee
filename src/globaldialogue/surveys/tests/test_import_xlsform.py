"""globaldialogue import-xlsform: a multilingual KoboToolbox-style form becomes a survey."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import Workbook

from globaldialogue.surveys.models import Survey

LANGS = ["English (en)", "Français (fr)", "العربية (ar)", "中文 (zh)"]
SURVEY = [
    [
        "type",
        "name",
        *(f"label::{lang}" for lang in LANGS),
        "hint::English (en)",
        "required",
        "constraint",
        "relevant",
        "parameters",
        "demographic",
    ],
    ["start", "start", "", "", "", "", "", "", "", "", "", ""],
    [
        "begin_group",
        "about_city",
        "The city",
        "La ville",
        "المدينة",
        "城市",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    ["note", "welcome", "Welcome", "Bienvenue", "أهلا", "欢迎", "", "", "", "", "", ""],
    [
        "select_one priority or_other",
        "priority",
        "Top priority?",
        "Priorité ?",
        "الأولوية؟",
        "首要任务？",
        "",
        "yes",
        "",
        "",
        "randomize=true",
        "",
    ],
    [
        "select_multiple priority",
        "also",
        "What else?",
        "Quoi d'autre ?",
        "ماذا أيضا؟",
        "还有什么？",
        "Up to two",
        "",
        "count-selected(.) <= 2",
        "${priority} != ''",
        "",
        "",
    ],
    ["end_group", "", "", "", "", "", "", "", "", "", "", ""],
    ["integer", "age", "Age", "Âge", "العمر", "年龄", "", "no", ". >= 16 and . <= 120", "", "", ""],
    ["select_one gender", "gender", "Gender", "Genre", "الجنس", "性别", "", "", "", "", "", "yes"],
    [
        "text",
        "idea",
        "Your idea",
        "Votre idée",
        "فكرتك",
        "你的想法",
        "",
        "",
        "string-length(.) <= 140",
        "",
        "",
        "",
    ],
    ["end", "end", "", "", "", "", "", "", "", "", "", ""],
]
CHOICES = [
    ["list_name", "name", *(f"label::{lang}" for lang in LANGS)],
    ["priority", "housing", "Housing", "Logement", "السكن", "住房"],
    ["priority", "transport", "Transport", "Transports", "النقل", "交通"],
    ["priority", "parks", "Parks", "Parcs", "الحدائق", "公园"],
    ["gender", "female", "Female", "Femme", "أنثى", "女"],
    ["gender", "male", "Male", "Homme", "ذكر", "男"],
]
SETTINGS = [
    ["form_title", "form_id", "default_language", "version"],
    ["City priorities", "city_priorities", "English (en)", "2026-11"],
]


def workbook(path: Path, survey=SURVEY, choices=CHOICES) -> Path:
    book = Workbook()
    for index, (name, rows) in enumerate(
        [("survey", survey), ("choices", choices), ("settings", SETTINGS)]
    ):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_it_imports_questions_options_and_translations(db, tmp_path):
    call_command("import_xlsform", str(workbook(tmp_path / "form.xlsx")), consultation="city")
    survey = Survey.objects.get(slug="city_priorities")
    assert survey.status == Survey.Status.PUBLISHED
    assert survey.languages == ["en", "fr", "ar", "zh-hans"]
    body = Client().get("/api/surveys/city_priorities?lang=ar").json()
    by_key = {q["key"]: q for q in body["questions"]}
    assert list(by_key) == ["priority", "also", "age", "gender", "idea"]
    assert by_key["priority"]["label"] == "الأولوية؟"
    assert by_key["priority"]["required"] is True
    assert by_key["priority"]["shuffle"] is True
    assert [o["key"] for o in by_key["priority"]["options"]] == [
        "housing",
        "transport",
        "parks",
        "other",
    ]
    assert by_key["also"]["max_choices"] == 2
    assert (by_key["age"]["min_value"], by_key["age"]["max_value"]) == (16, 120)
    assert by_key["idea"]["max_length"] == 140
    assert by_key["gender"]["demographic"] is True
    zh = Client().get("/api/surveys/city_priorities?lang=zh").json()
    assert zh["questions"][3]["options"][0]["label"] == "女"


def test_the_imported_survey_takes_responses(db, tmp_path):
    call_command("import_xlsform", str(workbook(tmp_path / "form.xlsx")), consultation="city")
    body = {
        "id": "0b0a7a36-53a3-4a4c-9d27-6a0f7b5d9e11",
        "language": "fr",
        "answers": {"priority": {"option": "other", "text": "Écoles"}, "age": "200"},
    }
    response = Client().post(
        "/api/surveys/city_priorities/responses", json.dumps(body), content_type="application/json"
    )
    assert response.json()["errors"]["age"][0]["message"] == "Saisissez un nombre de 16 à 120."


def test_reimporting_makes_a_new_version(db, tmp_path):
    path = workbook(tmp_path / "form.xlsx")
    call_command("import_xlsform", str(path), consultation="city")
    changed = [row[:] for row in SURVEY]
    changed[8][2] = "Your gender"
    call_command(
        "import_xlsform", str(workbook(tmp_path / "v2.xlsx", survey=changed)), consultation="city"
    )
    survey = Survey.objects.get(slug="city_priorities")
    assert survey.current_version.number == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ["geopoint", "where", "Where?", "", "", "", "", "", "", "", "", ""],
            "survey row 12, column 'type': 'geopoint' is not supported",
        ),
        (
            ["select_one colours", "colour", "Colour?", "", "", "", "", "", "", "", "", ""],
            "survey row 12, column 'type': no choices named 'colours'",
        ),
    ],
)
def test_unsupported_forms_are_refused_with_the_row(db, tmp_path, row, message):
    path = workbook(tmp_path / "bad.xlsx", survey=[*SURVEY, row])
    with pytest.raises(CommandError, match=message):
        call_command("import_xlsform", str(path), consultation="city")
    assert not Survey.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(db, tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(CommandError, match=r"not a readable \.xlsx workbook"):
        call_command("import_xlsform", str(path), consultation="city")
