"""XLSForm expressions: the XPath 1.0 subset that `relevant`, `constraint`, `required`,
`calculate` and `choice_filter` cells are written in, parsed once and evaluated alike on the
server (this module, which decides) and in the browser (static/surveys/logic.js, which
evaluates the same parsed tree, so the two never parse differently).

Values follow XForms: every answer is a string ("" when unanswered; a multiple choice is its
option keys separated by spaces); `=` and `!=` compare as numbers when one side is a number,
as booleans when one is a boolean, else as strings; `<`, `<=`, `>`, `>=` always as numbers,
so anything that is not a number compares false. `regex()` must match the whole answer, as
in ODK Collect, with \\d and \\w ASCII only, as in Java's and JavaScript's patterns.

A parsed expression is JSON: ["num", 1.5], ["str", "yes"], ["ref", "age"], ["cur"] (the
question's own answer, `.`), ["col", "region"] (a column of the option a choice filter is
deciding on), ["op", "and", a, b], ["neg", a], ["call", "selected", [a, b]].
"""

import math
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

Node = list[Any]
Value = str | float | bool

NO_COLUMNS: Mapping[str, str] = MappingProxyType({})
MAX_LENGTH = 2000  # characters of one expression
MAX_DEPTH = 40  # nesting: deeper is refused rather than risking the interpreter's stack
OPERATORS = ("or", "and", ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"))
TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>\d+(?:\.\d*)?|\.\d+)
    | (?P<str>'[^']*'|"[^"]*")
    | \$\{(?P<ref>[A-Za-z_][A-Za-z0-9_.-]*)\}
    | (?P<op><=|>=|!=|[=<>+\-*(),])
    | (?P<name>[A-Za-z_][A-Za-z0-9_.:-]*)
    | (?P<dots>\.\.?)
    | (?P<path>/[A-Za-z0-9_./:-]*)
    )""",
    re.VERBOSE,
)


class ExpressionError(ValueError):
    """An expression we cannot read: `message` says why, `position` is a character offset."""

    def __init__(self, message: str, position: int = 0) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


def parse(text: str, columns: frozenset[str] = frozenset()) -> Node:
    """The parsed tree of `text`; raises ExpressionError. `columns`: the names a choice filter
    may read bare (the options' filter columns)."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"longer than {MAX_LENGTH} characters")
    parser = _Parser(_tokens(text), columns)
    node = parser.expression(0, 0)
    if (extra := parser.peek()) is not None:
        raise ExpressionError(f"unexpected “{extra[1]}”", extra[2])
    _check_calls(node)
    return node


def _tokens(text: str) -> list[tuple[str, str, int]]:
    found, position = [], 0
    while position < len(text):
        if text[position:].isspace():
            break
        match = TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            start = len(text) - len(text[position:].lstrip())
            raise ExpressionError(f"cannot read “{text[start : start + 10]}”", start)
        found.append((match.lastgroup, match.group(match.lastgroup), match.start(match.lastgroup)))
        position = match.end()
    return found


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, int]], columns: frozenset[str]) -> None:
        self.tokens, self.index, self.columns = tokens, 0, columns

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def next_is(self, text: str) -> bool:
        token = self.peek()
        return token is not None and token[1] == text

    def take(self) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise ExpressionError("the expression ends too early", self._end())
        self.index += 1
        return token

    def _end(self) -> int:
        last = self.tokens[-1] if self.tokens else ("", "", 0)
        return last[2] + len(last[1])

    def operator(self, level: int) -> str | None:
        token, names = self.peek(), OPERATORS[level]
        if token is None or token[0] not in ("op", "name"):
            return None
        return token[1] if token[1] in (names if isinstance(names, tuple) else (names,)) else None

    def expression(self, level: int, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise ExpressionError("nested too deeply", self._end())
        if level == len(OPERATORS):
            return self.unary(depth)
        node = self.expression(level + 1, depth + 1)
        while (op := self.operator(level)) is not None:
            self.take()
            node = ["op", op, node, self.expression(level + 1, depth + 1)]
        return node

    def unary(self, depth: int) -> Node:
        kind, text, position = self.take()
        if (kind, text) == ("op", "-"):
            return ["neg", self.unary(depth + 1)]
        if kind == "num":
            return ["num", float(text)]
        if kind == "str":
            return ["str", text[1:-1]]
        if kind == "ref":
            return ["ref", text]
        if (kind, text) == ("dots", "."):
            return ["cur"]
        if (kind, text) == ("op", "("):
            node = self.expression(0, depth + 1)
            self.expect(")")
            return node
        if kind == "name" and self.next_is("("):
            return ["call", text, self.arguments(depth)]
        if kind == "name" and text in self.columns:
            return ["col", text]
        if kind in ("name", "dots", "path"):
            raise ExpressionError(f"“{text}”: refer to questions as ${{name}}", position)
        raise ExpressionError(f"unexpected “{text}”", position)

    def arguments(self, depth: int) -> list[Node]:
        self.expect("(")
        found: list[Node] = []
        if self.next_is(")"):
            self.take()
            return found
        while True:
            found.append(self.expression(0, depth + 1))
            if self.take()[1] == ")":
                return found
            if self.tokens[self.index - 1][1] != ",":
                raise ExpressionError("expected “,” or “)”", self.tokens[self.index - 1][2])

    def expect(self, text: str) -> None:
        _kind, got, position = self.take()
        if got != text:
            raise ExpressionError(f"expected “{text}”, not “{got}”", position)


# --- values ------------------------------------------------------------------------------------


def to_number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    text = value.strip()
    if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", text):
        return math.nan
    return float(text)


def to_string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value == int(value) else repr(value)
    return value


def to_boolean(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not math.isnan(value) and value != 0
    return value != ""


def _equal(a: Value, b: Value) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return to_boolean(a) == to_boolean(b)
    if isinstance(a, float) or isinstance(b, float):
        return to_number(a) == to_number(b)
    return a == b


def _arithmetic(op: str, a: float, b: float) -> float:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "div":
        if b == 0:
            return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a)
        return a / b
    if b == 0 or math.isinf(a) or math.isnan(a) or math.isnan(b):
        return math.nan
    return math.fmod(a, b)  # XPath's mod keeps the sign of the dividend, like fmod


COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _operate(op: str, a: Value, b: Value) -> Value:
    if op == "=":
        return _equal(a, b)
    if op == "!=":
        return not _equal(a, b)
    if op in COMPARE:
        return COMPARE[op](to_number(a), to_number(b))
    return _arithmetic(op, to_number(a), to_number(b))


# --- functions ---------------------------------------------------------------------------------


def _round(x: Value, digits: Value = 0.0) -> float:
    number, places = to_number(x), to_number(digits)
    if math.isnan(number) or math.isinf(number) or math.isnan(places):
        return number
    scale = 10 ** int(places)
    return math.floor(number * scale + 0.5) / scale  # half up, as XPath and JavaRosa


def _int(x: Value) -> float:
    number = to_number(x)
    return number if math.isnan(number) or math.isinf(number) else float(math.trunc(number))


def _regex(text: Value, pattern: Value) -> bool:
    try:
        return re.fullmatch(to_string(pattern), to_string(text), re.ASCII) is not None
    except re.error:
        return False


FUNCTIONS: dict[str, tuple[int, int, Callable[..., Value]]] = {
    # name: (fewest arguments, most arguments, function of the argument values)
    "not": (1, 1, lambda a: not to_boolean(a)),
    "true": (0, 0, lambda: True),
    "false": (0, 0, lambda: False),
    "boolean": (1, 1, to_boolean),
    "number": (1, 1, to_number),
    "string": (1, 1, to_string),
    "int": (1, 1, _int),
    "round": (1, 2, _round),
    "selected": (2, 2, lambda a, b: to_string(b).strip() in to_string(a).split()),
    "count-selected": (1, 1, lambda a: float(len(to_string(a).split()))),
    "regex": (2, 2, _regex),
    "string-length": (1, 1, lambda a: float(len(to_string(a)))),
    "concat": (1, 20, lambda *a: "".join(to_string(x) for x in a)),
    "contains": (2, 2, lambda a, b: to_string(b) in to_string(a)),
    "starts-with": (2, 2, lambda a, b: to_string(a).startswith(to_string(b))),
    "ends-with": (2, 2, lambda a, b: to_string(a).endswith(to_string(b))),
    "if": (3, 3, lambda c, a, b: a if to_boolean(c) else b),
    "coalesce": (2, 2, lambda a, b: a if to_string(a) != "" else b),
}


def _check_calls(node: Node) -> None:
    if node[0] == "call":
        name, arguments = node[1], node[2]
        if name not in FUNCTIONS:
            raise ExpressionError(f"the function “{name}()” is not supported")
        fewest, most, _function = FUNCTIONS[name]
        if not fewest <= len(arguments) <= most:
            raise ExpressionError(f"“{name}()” takes {_how_many(fewest, most)}")
    for child in _children(node):
        _check_calls(child)


def _how_many(fewest: int, most: int) -> str:
    if fewest == most:
        return f"{fewest} argument{'s' if fewest != 1 else ''}"
    return f"{fewest} to {most} arguments"


def _children(node: Node) -> list[Node]:
    if node[0] == "op":
        return [node[2], node[3]]
    if node[0] == "neg":
        return [node[1]]
    if node[0] == "call":
        return list(node[2])
    return []


def references(node: Node) -> set[str]:
    """The question keys an expression reads (`${name}`)."""
    found = {node[1]} if node[0] == "ref" else set()
    for child in _children(node):
        found |= references(child)
    return found


def evaluate(
    node: Node, values: Mapping[str, str], current: str = "", choice: Mapping[str, str] = NO_COLUMNS
) -> Value:
    """The value of a parsed expression; `values` are the answers as XForms strings, `choice`
    the columns of the option a choice filter is deciding on."""
    kind = node[0]
    if kind in ("num", "str"):
        return node[1]
    if kind == "ref":
        return values.get(node[1], "")
    if kind == "cur":
        return current
    if kind == "col":
        return choice.get(node[1], "")
    if kind == "neg":
        return -to_number(evaluate(node[1], values, current, choice))
    if kind == "op":
        return _evaluate_operator(node, values, current, choice)
    arguments = [evaluate(child, values, current, choice) for child in node[2]]
    return FUNCTIONS[node[1]][2](*arguments)


def _evaluate_operator(
    node: Node, values: Mapping[str, str], current: str, choice: Mapping[str, str]
) -> Value:
    op, left = node[1], evaluate(node[2], values, current, choice)
    if op == "and":  # both short-circuit, as XPath's
        return to_boolean(left) and to_boolean(evaluate(node[3], values, current, choice))
    if op == "or":
        return to_boolean(left) or to_boolean(evaluate(node[3], values, current, choice))
    return _operate(op, left, evaluate(node[3], values, current, choice))


def holds(
    node: Node | None,
    values: Mapping[str, str],
    current: str = "",
    choice: Mapping[str, str] = NO_COLUMNS,
) -> bool:
    """Whether a condition holds; no condition always does."""
    return node is None or to_boolean(evaluate(node, values, current, choice))
