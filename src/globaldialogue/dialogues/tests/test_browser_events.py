"""The dialogue pages in real Chromium: Amina finds the youth dialogue on her phone in
Arabic, fixes a mistake, registers, and her personal page is accessible."""

import re

import pytest

from globaldialogue.dialogues import actions, room_actions
from globaldialogue.dialogues.models import DialogueGroup, Registration
from globaldialogue.personas import registration_form
from globaldialogue.testing import accessibility_problems

pytestmark = pytest.mark.django_db(transaction=True)


def test_amina_registers_in_arabic_on_her_phone(phone, live_server, youth_dialogue):
    phone.context.set_extra_http_headers({"Accept-Language": "ar"})
    phone.goto(f"{live_server.url}/d/")
    assert phone.get_attribute("html", "dir") == "rtl"
    assert accessibility_problems(phone) == []
    phone.click("a[href='/d/youth-dialogue/']")
    phone.wait_for_url(re.compile(r"/d/youth-dialogue/"))
    assert phone.get_attribute("html", "lang") == "ar"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert accessibility_problems(phone) == []
    phone.fill("#display_name", "أمينة")
    phone.check("input[name=languages][value=en]")
    phone.select_option("#country", "JO")
    phone.check("input[name=age_group][value='16_30']")
    phone.click("form button")  # the rules are not accepted yet
    assert "يُرجى قبول قواعد الحوار" in phone.locator("#e-accept_rules").inner_text()
    assert accessibility_problems(phone) == []
    phone.check("input[name=accept_rules]")
    phone.click("form button")
    phone.wait_for_url(re.compile(r"/d/youth-dialogue/you/"))
    assert "لقد سُجّلت يا أمينة" in phone.locator("[role=status]").inner_text()
    assert accessibility_problems(phone) == []
    registration = Registration.objects.get()
    assert set(registration.languages) == {"ar", "en"} and registration.country == "JO"


def test_the_groups_reports_read_well_on_a_phone(phone, live_server, youth_dialogue):
    for n in range(4):
        actions.register(
            **registration_form(youth_dialogue, display_name=f"A{n}", languages=["ar"])
        )
    actions.form_groups(event=youth_dialogue)
    group = DialogueGroup.objects.get()
    room_actions.file_report(
        group=group,
        registration=group.members.first(),
        summaries={"1": "خمسة مشاركين من خمسة بلدان."},
        ideas=[{"text": "فرص عمل للشباب", "agreement": "most"}],
        message="أوقفوا الحروب واستثمروا في الشباب.",
    )
    actions.publish_reports(event=youth_dialogue)
    phone.goto(f"{live_server.url}/d/youth-dialogue/results?lang=fr")
    assert phone.get_attribute("html", "lang") == "fr"
    # The idea and the summary, as written, each saying it is not translated yet.
    assert phone.locator("li > span[lang=ar]").count() == 2
    assert "(en arabe ; pas encore traduit)" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert accessibility_problems(phone) == []


def test_the_start_is_also_shown_in_the_readers_own_time_zone(
    chromium, live_server, youth_dialogue
):
    """Li Wei in Tokyo sees the Nairobi event's start in his own time too; someone in
    Nairobi sees it once."""
    from datetime import UTC, datetime

    actions.reschedule_event(
        event=youth_dialogue, starts_at=datetime(2030, 12, 10, 12, 0, tzinfo=UTC)
    )
    shown = {}
    for zone in ("Asia/Tokyo", "Africa/Nairobi"):
        context = chromium.new_context(timezone_id=zone, locale="en-GB")
        page = context.new_page()
        page.goto(f"{live_server.url}/d/youth-dialogue/?lang=en")
        shown[zone] = page.locator("dl.facts").inner_text()
        if zone == "Asia/Tokyo":
            assert accessibility_problems(page) == []
        context.close()
    assert "Your time:" in shown["Asia/Tokyo"] and "9:00" in shown["Asia/Tokyo"]  # 21:00 there
    assert "Your time" not in shown["Africa/Nairobi"]
