"""The browser's XLSForm evaluator (surveys/logic.js, inlined in the survey page) gives
every expression of the shared table the value the server's gives it; a form's skip logic,
conditions, constraints and cascading choices on the page, with and without JavaScript."""

import math
import re
from pathlib import Path

import pytest

from globaldialogue.lib.expressions import evaluate, parse
from globaldialogue.lib.tests.expression_cases import CASES, FILTER_CASES
from globaldialogue.surveys.models import Response
from globaldialogue.surveys.tests.test_xlsform_logic import import_youth
from globaldialogue.testing import accessibility_problems

pytestmark = pytest.mark.django_db(transaction=True)

LOGIC_JS = Path(__file__).resolve().parents[1] / "templates" / "surveys" / "logic.js"


def server_value(value):
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return str(value)  # JSON has neither: both sides are compared as text
    return round(value, 9) if isinstance(value, float) else value


def test_the_browser_evaluates_every_expression_as_the_server_does(desktop):
    desktop.set_content("<!doctype html><title>logic</title>")
    desktop.add_script_tag(content=LOGIC_JS.read_text())
    cases = [[parse(text), answers, current, {}] for text, answers, current, _value in CASES]
    cases += [
        [parse(text, columns), answers, "", choice]
        for text, columns, answers, choice, _v in FILTER_CASES
    ]
    texts = [case[0] for case in CASES] + [case[0] for case in FILTER_CASES]
    got = desktop.evaluate(
        """cases => cases.map(([tree, answers, current, choice]) => {
          const v = window.globalDialogueLogic.evaluate(tree, answers, current, choice);
          if (typeof v === "number" && !isFinite(v)) return String(v) === "NaN" ? "nan"
            : (v > 0 ? "inf" : "-inf");
          return typeof v === "number" ? Math.round(v * 1e9) / 1e9 : v;
        })""",
        cases,
    )
    expected = [server_value(evaluate(*case)) for case in cases]
    assert list(zip(texts, got, strict=True)) == list(zip(texts, expected, strict=True))


@pytest.fixture
def youth_form(transactional_db, tmp_path):
    import_youth(tmp_path)


def shown(page, selector):
    return page.locator(selector).is_visible()


def test_amina_s_answers_decide_what_she_is_asked_on_her_phone(phone, live_server, youth_form):
    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(f"{live_server.url}/s/city_priorities/?lang=fr")
    assert errors == []
    assert not shown(phone, "#q-studies") and not shown(phone, "#q-school")
    assert not shown(phone, "label.opt:has(input[value=lyon])")  # no region yet, no city
    phone.fill("input[name=age]", "16")
    assert shown(phone, "#q-studies") and not shown(phone, "#q-children")
    phone.check("input[name=studies][value=yes]")
    assert shown(phone, "#q-school") and shown(phone, "#q-school [data-when]")  # under 18
    phone.fill("textarea[name=school]", "Lycée 4")
    assert phone.locator("#q-school .err-live").inner_text() == "Des lettres seulement"
    phone.fill("textarea[name=school]", "Jules Verne")
    assert phone.locator("#q-school .err-live").inner_text() == ""
    phone.check("input[name=region][value=west]")
    assert shown(phone, "label.opt:has(input[value=nantes])")
    assert not shown(phone, "label.opt:has(input[value=lyon])")
    phone.check("input[name=city][value=nantes]")
    phone.check("input[name=region][value=east]")  # Nantes is not in the east: unticked
    assert not phone.is_checked("input[name=city][value=nantes]")
    assert accessibility_problems(phone) == []
    phone.fill("input[name=age]", "25")  # studying, not under 18: school no longer required
    assert not shown(phone, "#q-school [data-when]") and shown(phone, "#q-children")
    phone.fill("input[name=children]", "1")
    phone.click("button[type=submit]")
    phone.wait_for_url(re.compile(r"/thanks/"))
    assert Response.objects.get().answers == {
        "age": 25,
        "studies": "yes",
        "school": "Jules Verne",
        "children": 1,
        "region": "east",
    }


def test_without_javascript_every_question_shows_and_the_server_drops_what_is_not_asked(
    chromium, live_server, youth_form
):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/city_priorities/?lang=en")
    assert shown(page, "#q-studies") and shown(page, "#q-children")
    page.fill("input[name=age]", "15")
    page.check("input[name=studies][value=yes]")
    page.fill("input[name=children]", "2")  # not asked at 15
    page.click("button[type=submit]")
    # School is required under 18: the page comes back saying so, and hides what is not asked.
    assert "This question needs an answer." in page.locator("#errors").inner_text()
    assert not shown(page, "#q-children") and shown(page, "#q-school")
    page.fill("textarea[name=school]", "Jules Verne")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/thanks/"))
    assert Response.objects.get().answers == {"age": 15, "studies": "yes", "school": "Jules Verne"}
    context.close()
