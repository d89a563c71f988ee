"""The server's XLSForm expression evaluator, on the table the browser's is also played on."""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from globaldialogue.lib.expressions import (
    ExpressionError,
    evaluate,
    holds,
    parse,
    references,
    to_string,
)
from globaldialogue.lib.tests.expression_cases import CASES, FILTER_CASES, REFUSED


def comparable(value):
    return round(value, 9) if isinstance(value, float) else value


@pytest.mark.parametrize(("expression", "answers", "current", "expected"), CASES)
def test_an_expression_has_the_value_xforms_gives_it(expression, answers, current, expected):
    value = evaluate(parse(expression), answers, current)
    assert type(value) is type(expected) or isinstance(expected, int)
    assert comparable(value) == comparable(float(expected) if type(expected) is int else expected)


@pytest.mark.parametrize(("expression", "columns", "answers", "choice", "expected"), FILTER_CASES)
def test_a_choice_filter_reads_the_options_columns(expression, columns, answers, choice, expected):
    assert evaluate(parse(expression, columns), answers, "", choice) is expected


@pytest.mark.parametrize(("expression", "words"), REFUSED)
def test_an_expression_we_cannot_honour_is_refused_saying_why(expression, words):
    with pytest.raises(ExpressionError) as refused:
        parse(expression)
    assert words in refused.value.message


def test_a_parsed_expression_is_json_and_names_what_it_reads():
    tree = parse("${age} >= 18 and selected(${fruit}, 'pear') or . = ''")
    assert json.loads(json.dumps(tree)) == tree
    assert references(tree) == {"age", "fruit"}


def test_no_condition_always_holds():
    assert holds(None, {})
    assert not holds(parse("${x} = 'y'"), {})


def test_numbers_print_as_xpath_prints_them():
    assert [to_string(x) for x in (3.0, 0.5, -2.0, math.nan, math.inf)] == [
        "3",
        "0.5",
        "-2",
        "NaN",
        "Infinity",
    ]


@given(st.text(alphabet="${}()'\" .,=<>!+-*/abcdiorvmn0123456789_", max_size=40))
def test_any_text_parses_or_is_refused_and_a_parse_evaluates(text):
    try:
        tree = parse(text)
    except ExpressionError:
        return
    evaluate(tree, {"a": "1", "b": "x y"}, "2")  # never raises
