"""Walkthroughs as people take them, in real Chromium, each page checked with axe-core:
Amina on her phone in Arabic (home, survey, conversation, dashboard) and Li Wei on a desktop
in Chinese (a video dialogue: find it, register, see the time, cancel). Olga's (building a
survey in the back office) is surveys/tests/test_browser_admin.py; a group of three in a
room is dialogues/tests/test_browser_room.py."""

import re
from datetime import UTC, datetime

import pytest

from globaldialogue.consultations.actions import save_consultation
from globaldialogue.deliberation.actions import recompute_map
from globaldialogue.deliberation.demo import load_demo_conversation, load_synthetic_crowd
from globaldialogue.dialogues import actions as dialogue_actions
from globaldialogue.dialogues.models import Event, Registration
from globaldialogue.results.actions import tally_all
from globaldialogue.surveys.demo import load_synthetic_sample
from globaldialogue.surveys.models import Response
from globaldialogue.testing import PHONE, accessibility_problems, fill_core

pytestmark = pytest.mark.django_db(transaction=True)


def test_amina_on_her_phone_in_arabic(chromium, live_server, un75):
    load_synthetic_sample(un75, 120)
    tally_all()
    conversation = load_demo_conversation()
    load_synthetic_crowd(conversation, 60)
    recompute_map(conversation=conversation)
    context = chromium.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    amina_page = context.new_page()
    amina_page.goto(f"{live_server.url}/?lang=ar")
    assert amina_page.get_attribute("html", "dir") == "rtl"
    assert accessibility_problems(amina_page) == []
    amina_page.click("a.button")  # answer the survey
    amina_page.wait_for_url(re.compile(r"/s/un75/\?lang=ar$"))
    amina_page.click("button[type=submit]")  # nothing answered yet: refused, in Arabic
    assert "أجب عن سؤال واحد على الأقل قبل الإرسال." in amina_page.locator("#errors").inner_text()
    assert accessibility_problems(amina_page) == []
    fill_core(amina_page, "JO")
    amina_page.click("button[type=submit]")
    amina_page.wait_for_url(re.compile(r"/s/un75/thanks/"))
    receipt = amina_page.locator("#receipt").inner_text()
    assert Response.objects.get(receipt=receipt).language == "ar"
    amina_page.goto(f"{live_server.url}/c/{conversation.slug}/?lang=ar")
    assert "صوّت على 7 عبارات أخرى لترى أين تقف." in amina_page.locator("#where").inner_text()
    assert not amina_page.locator(".keys").is_visible()  # no keyboard hints on a phone
    assert accessibility_problems(amina_page) == []
    amina_page.goto(f"{live_server.url}/r/un75/?lang=ar")
    assert amina_page.get_attribute("html", "dir") == "rtl"
    assert amina_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert accessibility_problems(amina_page) == []
    context.close()


def test_li_wei_on_a_desktop_in_chinese(chromium, live_server, db):
    consultation = save_consultation(slug="un75", title={"en": "UN75"}, languages=["en"])
    dialogue_actions.create_event(
        consultation=consultation,
        slug="youth-dialogue",
        title={"en": "Youth dialogue", "zh-hans": "青年对话"},
        languages=["en", "zh-hans"],
        starts_at=datetime(2030, 12, 10, 12, 0, tzinfo=UTC),  # 15:00 in Nairobi
        time_zone="Africa/Nairobi",
        agenda=[{"title": {"en": "Priorities", "zh-hans": "优先事项"}, "minutes": 30}],
        status=Event.Status.PUBLISHED,
    )
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="Asia/Shanghai", locale="zh-CN"
    )
    li_wei_page = context.new_page()
    li_wei_page.goto(f"{live_server.url}/d/?lang=zh-hans")
    assert li_wei_page.locator("nav.langs").is_visible()  # the switcher, here too
    assert accessibility_problems(li_wei_page) == []
    li_wei_page.click("a[href='/d/youth-dialogue/']")
    li_wei_page.wait_for_url(re.compile(r"/d/youth-dialogue/"))
    facts = li_wei_page.locator("dl.facts").inner_text()
    assert "(Africa/Nairobi)" in facts and "您的时间" in facts  # and his own, Shanghai's
    assert "优先事项" in li_wei_page.locator("ol.agenda").inner_text()
    li_wei_page.fill("#display_name", "李伟")
    li_wei_page.check("input[name=languages][value=zh-hans]")
    li_wei_page.select_option("#country", "CN")
    li_wei_page.check("input[name=age_group][value='31_45']")
    li_wei_page.check("input[name=accept_rules]")
    li_wei_page.click("form button")
    li_wei_page.wait_for_url(re.compile(r"/d/youth-dialogue/you/"))
    assert accessibility_problems(li_wei_page) == []
    assert Registration.objects.get().age_group == "31_45"
    li_wei_page.get_by_role("button", name="取消我的报名").click()
    li_wei_page.wait_for_url(re.compile(r"cancelled=1"))
    assert "您的报名已取消。" in li_wei_page.locator("[role=status]").first.inner_text()
    assert not Registration.objects.exists()
    context.close()
