"""Kofi fills UN75's XForm in Enketo's form engine in Chromium, as a field team's Enketo
would, and it is sent to the consultation's OpenRosa server: it lands once, sending it again
is accepted without counting again, and other answers under the same instance are refused."""

import pytest

from globaldialogue.surveys.models import Response
from globaldialogue.surveys.tests.enketo import PREFIX, serve_enketo
from globaldialogue.surveys.tests.test_xlsform_logic import import_youth

pytestmark = pytest.mark.django_db(transaction=True)


def open_in_enketo(chromium, live_server, form_url):
    page = chromium.new_page()
    serve_enketo(page)
    errors = []  # a module that did not load says so in the console, not as a page error
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
    page.goto(f"{live_server.url}{PREFIX}index.html")
    page.wait_for_function("() => window.enketoReady || document.readyState === 'complete'")
    page.wait_for_timeout(200)  # the module script runs after the document completes
    assert page.evaluate("() => window.enketoReady") and not errors, errors
    load_errors = page.evaluate("url => window.openForm(url)", form_url)
    assert load_errors == [] and errors == []
    return page


def test_kofi_fills_un75_in_enketo_and_it_lands_once(chromium, live_server, un75):
    server = f"{live_server.url}/openrosa/un75"
    page = open_in_enketo(chromium, live_server, f"{server}/forms/un75.xml")
    page.check("input[name$='/future_outlook'][value='better']")
    page.check("input[name$='/trends'][value='climate']")
    page.check("input[name$='/trends'][value='health']")
    page.check("input[name$='/cooperation'][value='essential']")
    page.fill("textarea[name$='/advice'], input[name$='/advice']", "Listen to young people.")
    page.check("input[name$='/country'][value='GH']")
    assert page.evaluate("() => window.enketoForm.validate()") is True
    xml = page.evaluate("() => window.enketoForm.getDataStr()")
    assert "<instanceID>uuid:" in xml

    send = "([url, xml]) => window.sendForm(url, xml)"
    assert page.evaluate(send, [f"{server}/submission", xml]) == 201
    assert page.evaluate(send, [f"{server}/submission", xml]) == 202
    response = Response.objects.get()
    assert response.channel == "odk" and response.answers["country"] == "GH"
    assert sorted(response.answers["trends"]) == ["climate", "health"]
    assert response.answers["advice"] == "Listen to young people."

    other = xml.replace(">better<", ">worse<")
    assert other != xml
    assert page.evaluate(send, [f"{server}/submission", other]) == 409
    assert Response.objects.count() == 1
    page.close()


def typed(page, name, text):
    field = page.locator(f"input[name$='/{name}']")
    field.fill(text)
    field.press("Tab")  # Enketo reads a value on change


def test_pierre_meets_the_youth_forms_logic_in_enketo_as_on_the_web(
    chromium, live_server, tmp_path
):
    import_youth(tmp_path)
    server = f"{live_server.url}/openrosa/youth"
    page = open_in_enketo(chromium, live_server, f"{server}/forms/city_priorities.xml")
    question = "input[name$='/{}']"
    typed(page, "age", "25")
    assert page.locator(question.format("children")).is_enabled()  # decade 2: asked
    typed(page, "age", "15")
    assert page.locator(question.format("children")).is_disabled()  # decade 1: not asked
    page.check("input[name$='/studies'][value='yes']")
    typed(page, "school", "42")
    page.check("input[name$='/region'][value='east']")
    assert page.locator("input[name$='/city'][value='nantes']").is_visible() is False
    page.check("input[name$='/city'][value='lyon']")
    assert page.evaluate("() => window.enketoForm.validate()") is False  # letters only
    typed(page, "school", "Lycee du Parc")
    assert page.evaluate("() => window.enketoForm.validate()") is True
    xml = page.evaluate("() => window.enketoForm.getDataStr()")
    status = page.evaluate(
        "([url, xml]) => window.sendForm(url, xml)", [f"{server}/submission", xml]
    )
    assert status == 201
    assert Response.objects.get().answers == {
        "age": 15,
        "studies": "yes",
        "school": "Lycee du Parc",
        "region": "east",
        "city": "lyon",
    }
    page.close()
