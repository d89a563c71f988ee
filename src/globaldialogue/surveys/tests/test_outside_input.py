"""Whatever a client sends as answers or as a request body, the answer is canonical answers
or errors per question, never a crash (Hypothesis tries shapes nobody thought of)."""

import io
import json
from pathlib import Path

from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from globaldialogue.surveys import fastpath
from globaldialogue.surveys.definition import parse_definition
from globaldialogue.surveys.validation import validate_answers
from globaldialogue.testing import payload

UN75 = parse_definition(
    1, 1, json.loads((Path(__file__).parents[1] / "data" / "un75.json").read_text())
)
# Any character but NUL: a body holding one is refused whole (test below), before any item.
TEXT = st.characters(blacklist_characters="\x00")
OPTION_KEYS = [o.key for q in UN75.questions for o in q.options] + ["other", "KE", "ZZ"]
leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(TEXT, max_size=30)
    | st.sampled_from(OPTION_KEYS)
)
json_values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["option", "text"]) | st.text(TEXT, max_size=6), inner, max_size=3
        )
    ),
    max_leaves=12,
)
question_keys = st.sampled_from([q.key for q in UN75.questions]) | st.text(TEXT, max_size=10)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(question_keys, json_values, max_size=8) | json_values)
def test_any_json_gives_answers_or_errors(answers):
    with translation.override("ar"):
        canonical, errors = validate_answers(UN75, answers)
    assert isinstance(canonical, dict) and isinstance(errors, dict)
    assert not (canonical and errors) or errors  # errors win: nothing half-accepted


def test_an_other_answer_of_the_wrong_shape_is_an_error():
    for value in (
        {"option": ["other"], "text": "x"},
        {"option": {"k": 1}, "text": "x"},
        {"option": "other", "text": ["x"]},
        {"option": "other", "text": {"t": 1}},
    ):
        _canonical, errors = validate_answers(UN75, {"future_outlook": value})
        assert "future_outlook" in errors, value


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_the_fast_path_takes_any_body_without_crashing(body):
    fastpath._submission(body)


def test_deeply_nested_json_is_handed_on_not_crashed_on():
    deep = (
        b'{"id": "a", "language": "en", "answers": {"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    )
    assert fastpath._submission(deep) is None


def test_the_api_refuses_deeply_nested_json_clearly(client, un75):
    deep = '{"id": "a", "language": "en", "answers": ' + "[" * 50_000 + "]" * 50_000 + "}"
    reply = client.post("/api/surveys/un75/responses", deep, content_type="application/json")
    assert reply.status_code == 422 and "nested" in reply.json()["errors"]["body"][0]["message"]


batch_items = (
    st.dictionaries(
        st.sampled_from(["id", "language", "answers", "extra"]), json_values, max_size=4
    )
    | json_values
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch_items)
def test_one_odd_item_never_fails_a_partners_whole_batch(un75, pat_key, item):
    good = payload()
    body = json.dumps({"responses": [item, good]})
    reply = Client().post(
        "/api/surveys/un75/responses/batch",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {pat_key}",
    )
    assert reply.status_code == 200, reply.content
    assert reply.json()["results"][1]["status"] == "created"


def test_a_nul_character_anywhere_is_refused_clearly(client, un75, pat_key):
    """PostgreSQL can neither store nor compare text holding NUL: such a body is invalid
    input (422), on every API path, before it reaches the database."""
    body = '{"consultation": "\\u0000un75", "slug": "x"}'
    reply = client.post(
        "/api/dialogues",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {pat_key}",
    )
    assert reply.status_code == 422 and "NUL" in reply.json()["errors"]["body"][0]["message"]
    assert (
        fastpath._submission(b'{"id": "a", "language": "en", "answers": {"k\\u0000": 1}}') is None
    )


# --- files: XLSForm workbooks and paper forms typed into CSV -----------------------------------

# Workbooks cannot hold control characters (openpyxl refuses to write them).
CELL_TEXT = st.characters(blacklist_categories=("Cc", "Cs"))
CELL = (
    st.none()
    | st.integers(-5, 5)
    | st.text(CELL_TEXT, max_size=12)
    | st.sampled_from(
        [
            "select_one yes_no",
            "select_multiple yes_no",
            "text",
            "integer",
            "begin group",
            "note",
            "yes_no",
            "label::fr",
            "label",
            "name",
            "type",
            "list_name",
            "constraint",
            ". <= 10",
        ]
    )
)
SURVEY_HEADER = ["type", "name", "label", "label::fr", "required", "constraint", "hint"]
CHOICES_HEADER = ["list_name", "name", "label", "label::fr"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.lists(CELL, min_size=7, max_size=7), max_size=6),
    st.lists(st.lists(CELL, min_size=4, max_size=4), max_size=6),
    st.booleans(),
)
def test_any_xlsform_gives_a_definition_or_says_what_is_wrong(tmp_path, survey, choices, keep):
    from openpyxl import Workbook

    from globaldialogue.surveys.snapshot import check_definition
    from globaldialogue.surveys.xlsform import XLSFormError, read_xlsform

    book = Workbook()
    sheet = book.active
    sheet.title = "survey" if keep else "questions"
    for row in [SURVEY_HEADER, *survey]:
        sheet.append(row)
    extra = book.create_sheet("choices")
    for row in [CHOICES_HEADER, *choices]:
        extra.append(row)
    path = tmp_path / "form.xlsx"
    book.save(path)
    try:
        definition = read_xlsform(path)
    except XLSFormError as refused:
        assert str(refused)
        return
    assert isinstance(check_definition(definition), list)  # publishing says what is wrong


def test_a_file_that_is_not_a_workbook_is_refused_by_name(tmp_path):
    from globaldialogue.surveys.xlsform import XLSFormError, read_xlsform

    path = tmp_path / "form.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    try:
        read_xlsform(path)
    except XLSFormError as refused:
        assert "form.xlsx is not a readable .xlsx workbook" in str(refused)
    else:
        raise AssertionError("read a broken workbook")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400) | st.text(CELL_TEXT | st.just("\n"), max_size=300).map(str.encode))
def test_any_paper_csv_is_imported_row_by_row_or_refused_in_a_line(tmp_path_factory, un75, body):
    from django.core.management import CommandError, call_command

    path = tmp_path_factory.mktemp("paper") / "forms.csv"
    path.write_bytes(b"id,language,future_outlook,country\n" + body)  # a file is UTF-8 text
    try:
        call_command(
            "import_responses", str(path), survey="un75", stdout=io.StringIO(), stderr=io.StringIO()
        )
    except CommandError as refused:
        assert str(refused)
