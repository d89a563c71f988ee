"""What XLSForm expressions evaluate to: one table, played against the server's evaluator
(lib/expressions.py) and the browser's (surveys/static/surveys/logic.js), so the two agree.
Each case: expression, the answers (XForms strings), the question's own answer, the value."""

from typing import Any

ANSWERS = {"age": "17", "fruit": "apple pear", "country": "FR", "name": "Ana Silva", "none": ""}

CASES: list[tuple[str, dict[str, str], str, Any]] = [
    # comparisons: numbers when one side is a number, else strings
    ("${age} > 16", ANSWERS, "", True),
    ("${age} >= 18", ANSWERS, "", False),
    ("${age} = 17", ANSWERS, "", True),
    ("${age} = '17'", ANSWERS, "", True),
    ("${age} = '17.0'", ANSWERS, "", False),
    ("${age} = 17.0", ANSWERS, "", True),
    ("${country} = 'FR'", ANSWERS, "", True),
    ("${country} != 'FR'", ANSWERS, "", False),
    ("${none} = ''", ANSWERS, "", True),
    ("${missing} = ''", ANSWERS, "", True),
    ("${none} > 3", ANSWERS, "", False),
    ("${none} <= 3", ANSWERS, "", False),
    ("${country} < 3", ANSWERS, "", False),
    ("'10' < '9'", {}, "", False),  # always as numbers
    ("true() = 'x'", {}, "", True),  # as booleans when one side is one
    ("false() = ''", {}, "", True),
    # the question's own answer
    (". >= 0 and . <= 120", {}, "45", True),
    (". >= 0 and . <= 120", {}, "121", False),
    (". >= 0 and . <= 120", {}, "", False),
    ("string-length(.) <= 5", {}, "héllo", True),
    ("string-length(.)", {}, "héllo!", 6),
    # choices
    ("selected(${fruit}, 'pear')", ANSWERS, "", True),
    ("selected(${fruit}, 'pea')", ANSWERS, "", False),
    ("selected(${country}, 'FR')", ANSWERS, "", True),
    ("count-selected(${fruit})", ANSWERS, "", 2),
    ("count-selected(.) <= 3", {}, "a b c d", False),
    ("count-selected(${none})", ANSWERS, "", 0),
    # boolean logic, precedence, short circuits
    ("not(${age} > 16)", ANSWERS, "", False),
    ("${age} > 16 or 1 div 0", ANSWERS, "", True),
    ("1 = 1 and 2 = 3 or 4 = 4", {}, "", True),
    ("1 = 1 and (2 = 3 or 4 = 5)", {}, "", False),
    ("${age} > 16 and selected(${fruit}, 'apple') and ${country} = 'FR'", ANSWERS, "", True),
    # arithmetic
    ("1 + 2 * 3", {}, "", 7),
    ("(1 + 2) * 3", {}, "", 9),
    ("7 div 2", {}, "", 3.5),
    ("7 mod 3", {}, "", 1),
    ("-7 mod 3", {}, "", -1),
    ("${age} * 12 + 6", ANSWERS, "", 210),
    ("- ${age}", ANSWERS, "", -17),
    ("${age} - -3", ANSWERS, "", 20),
    ("10 - 2 - 3", {}, "", 5),
    ("1 div 0 > 100000", {}, "", True),
    ("0 div 0 = 0 div 0", {}, "", False),  # NaN equals nothing
    ("${name} + 1 = ${name} + 1", ANSWERS, "", False),
    ("int(7.9)", {}, "", 7),
    ("int(-7.9)", {}, "", -7),
    ("round(2.5)", {}, "", 3),
    ("round(-2.5)", {}, "", -2),
    ("round(3.14159, 2)", {}, "", 3.14),
    ("number(' 42 ')", {}, "", 42),
    ("number('4 2') = number('4 2')", {}, "", False),
    # strings
    ("concat(${name}, ' (', ${age}, ')')", ANSWERS, "", "Ana Silva (17)"),
    ("concat(1 div 2, '|', 3 * 1)", {}, "", "0.5|3"),
    ("string(1 = 1)", {}, "", "true"),
    ("contains(${name}, 'Sil')", ANSWERS, "", True),
    ("starts-with(${name}, 'Ana')", ANSWERS, "", True),
    ("ends-with(${name}, 'Ana')", ANSWERS, "", False),
    ("if(${age} >= 18, 'adult', 'young')", ANSWERS, "", "young"),
    ("coalesce(${none}, ${country})", ANSWERS, "", "FR"),
    ("coalesce(${name}, ${country})", ANSWERS, "", "Ana Silva"),
    ('"it\'s" = "it\'s"', {}, "", True),
    # regex: the whole answer must match; \\d is ASCII only
    ("regex(., '[0-9]{3}')", {}, "123", True),
    ("regex(., '[0-9]{3}')", {}, "1234", False),
    ("regex(., '^[0-9]{3}$')", {}, "123", True),
    (r"regex(., '\d+')", {}, "١٢٣", False),
    ("regex(., 'keyword')", {}, "a keyword here", False),
    ("regex(., '.*keyword.*')", {}, "a keyword here", True),
    ("regex(., '[')", {}, "x", False),  # a broken pattern matches nothing
    ("regex(., '^$') or .", {}, "", True),
]

# Choice filters: expression, the options' filter columns, answers, one option's columns, value.
FILTER_CASES: list[tuple[str, frozenset[str], dict[str, str], dict[str, str], Any]] = [
    ("region = ${region}", frozenset({"region"}), {"region": "west"}, {"region": "west"}, True),
    ("region = ${region}", frozenset({"region"}), {"region": "west"}, {"region": "east"}, False),
    ("region = ${region}", frozenset({"region"}), {}, {"region": "east"}, False),
    ("${region} = '' or region = ${region}", frozenset({"region"}), {}, {"region": "e"}, True),
    ("min_age <= ${age}", frozenset({"min_age"}), {"age": "30"}, {"min_age": "18"}, True),
    ("min_age <= ${age}", frozenset({"min_age"}), {"age": "30"}, {}, False),
]

# Expressions refused, with a word of what the message says.
REFUSED: list[tuple[str, str]] = [
    ("${age} >", "ends too early"),
    ("${age} > > 3", "unexpected"),
    ("age > 3", "${name}"),
    ("region = ${region}", "${name}"),  # a bare name only where a choice filter reads columns
    ("../age", "${name}"),
    ("now()", "not supported"),
    ("selected(${fruit})", "2 arguments"),
    ("round()", "1 to 2 arguments"),
    ("(1 + 2", "ends too early"),
    ("1 + 2)", "unexpected"),
    ("concat(1 2)", "“,” or “)”"),
    ("'open", "cannot read"),
    ("${age} # 3", "cannot read"),
    ("(" * 60 + "1" + ")" * 60, "nested too deeply"),
    ("1" + " + 1" * 1000, "longer than"),
]
