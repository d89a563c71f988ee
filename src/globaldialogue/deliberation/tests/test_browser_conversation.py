"""The conversation in real Chromium against a real server (uvicorn, WebSockets and the
background worker): Amina votes in Arabic on her phone and watches the map find her; Pierre
takes part without JavaScript; Olga reads the report."""

import re

import pytest

from globaldialogue.deliberation.actions import recompute_map
from globaldialogue.deliberation.models import Participant, Statement, Vote
from globaldialogue.testing import accessibility_problems

pytestmark = pytest.mark.django_db(transaction=True)
PAGE = "/c/un75-priorities/"


def test_amina_votes_in_arabic_on_her_phone_and_the_map_finds_her(phone, start_server, crowded):
    server = start_server(worker=True)
    phone.context.set_extra_http_headers({"Accept-Language": "ar"})
    phone.goto(server.url + PAGE)
    assert phone.get_attribute("html", "dir") == "rtl"
    assert phone.locator("h1").inner_text() == crowded.topic["ar"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert "صوّت على 7 عبارات أخرى لترى أين تقف." in phone.locator("#where").inner_text()
    assert not phone.locator(".keys").is_visible()  # no keyboard hints on a touch screen
    assert accessibility_problems(phone) == []
    agree = phone.get_by_role("button", name="أوافق", exact=True)
    box = agree.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a thumb-sized target
    for _ in range(6):
        shown = phone.locator("form.card").get_attribute("data-statement")
        agree.click()
        phone.wait_for_function(
            f"() => (document.querySelector('form.card') || {{}}).dataset?.statement !== '{shown}'"
        )
    # The keys vote while the statement has focus (the card keeps it after each vote).
    shown = phone.locator("form.card").get_attribute("data-statement")
    phone.keyboard.press("KeyD")
    phone.wait_for_function(
        f"() => document.querySelector('form.card').dataset.statement !== '{shown}'"
    )
    phone.keyboard.press("KeyP")
    assert phone.url == server.url + PAGE  # no page load: the script sent every vote
    phone.wait_for_function("() => document.querySelectorAll('[aria-busy]').length === 0")
    amina_participant = Participant.objects.latest("pk")  # the crowd joined before her
    assert (
        amina_participant.votes.count() == 8
        and amina_participant.votes.get(statement_id=int(shown)).value == -1
    )
    # The worker recomputes the map; the page hears of it and redraws "where you stand".
    phone.wait_for_function(
        "() => document.querySelector('#where').innerText.includes('أنت في المجموعة')",
        timeout=30000,
    )
    assert phone.locator("#where svg circle").count() == 1
    assert accessibility_problems(phone) == []


def test_pierre_votes_on_the_chinese_and_arabic_seeds_in_french_on_his_phone(
    phone, live_server, crowded
):
    """Every seed reaches Pierre in French; the Chinese and Arabic ones say so and show
    their originals on request; his place on the map is told in French."""
    phone.context.set_extra_http_headers({"Accept-Language": "fr-FR,fr;q=0.9"})
    phone.goto(live_server.url + PAGE)
    foreign = {
        s.pk: s
        for s in Statement.objects.filter(conversation=crowded, language__in=["zh-hans", "ar"])
    }
    agree = phone.get_by_role("button", name="D’accord", exact=True)
    opened = []
    for _ in range(16):
        shown = phone.locator("form.card").get_attribute("data-statement")
        assert phone.locator("#statement-text").get_attribute("lang") == "fr"
        if int(shown) in foreign:
            original = foreign[int(shown)]
            summary = phone.locator("#original summary")
            assert summary.inner_text().startswith("Traduit (original en ")
            summary.focus()
            phone.keyboard.press("Enter")  # opens the original, by keyboard
            quote = phone.locator(f'#original blockquote[lang="{original.language}"]')
            assert quote.is_visible() and quote.inner_text() == original.text
            assert accessibility_problems(phone) == []
            opened.append(original.language)
        agree.click()
        phone.wait_for_function(
            f"() => (document.querySelector('form.card') || {{}}).dataset?.statement !== '{shown}'"
        )
    assert sorted(opened) == ["ar", "zh-hans"]
    # Votes arriving within tasks.DEBOUNCE_SECONDS of a computation queue none of their own:
    # a worker runs the job at the window's end, the in-process tasks here at once. Run it.
    recompute_map(conversation=crowded)
    phone.reload()
    where = phone.locator("#where")
    assert "Vous êtes dans le groupe" in where.inner_text()
    langs = where.locator("li > span[lang]").evaluate_all("spans => spans.map(s => s.lang)")
    assert langs and set(langs) == {"fr"}
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert accessibility_problems(phone) == []


def test_pierre_takes_part_without_javascript(chromium, live_server, crowded):
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}{PAGE}?lang=fr")
    first = page.locator("form.card").get_attribute("data-statement")
    page.get_by_role("button", name="D’accord", exact=True).click()
    page.wait_for_url(re.compile(r"lang=fr"))
    assert page.locator("form.card").get_attribute("data-statement") != first
    page.fill("#text", "Taxer le kérosène des avions pour financer le climat.")
    page.get_by_role("button", name="Ajouter l’affirmation").click()
    assert "Merci." in page.locator("#add [role=status]").inner_text()
    assert Statement.objects.filter(language="fr", is_seed=False).count() == 1
    page.fill("#text", "x" * 281)  # maxlength stops typing past the limit in a browser...
    assert len(page.input_value("#text")) == 280
    context.close()


def test_a_duplicate_is_offered_in_chromium(desktop, live_server, crowded):
    desktop.goto(f"{live_server.url}{PAGE}?lang=es")
    assert desktop.locator(".keys").is_visible()  # a keyboard: the keys are told
    desktop.fill("#text", "access to CLEAN water is a human right that must come before profit")
    desktop.get_by_role("button", name="Añadir afirmación").click()
    assert "Alguien ya dijo casi lo mismo" in desktop.locator("#duplicate").inner_text()
    assert accessibility_problems(desktop) == []
    desktop.get_by_role("button", name="Estoy de acuerdo con ella").click()
    water = Statement.objects.get(text__startswith="Access to clean water")
    assert Vote.objects.filter(statement=water, value=1).count() >= 1
    assert not Statement.objects.filter(is_seed=False).exists()  # the duplicate was not added


def test_olgas_report_is_accessible(desktop, live_server, crowded):
    desktop.goto(f"{live_server.url}{PAGE}report?lang=ru")
    assert desktop.locator("#statements-table tbody tr").count() == 16
    assert "Группа A" in desktop.locator("#statements-table thead").inner_text()
    assert accessibility_problems(desktop) == []
