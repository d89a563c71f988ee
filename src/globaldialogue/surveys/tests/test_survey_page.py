"""/s/{slug}/: the participant's page, used here as a browser without JavaScript would."""

import gzip
import re
import uuid

import pytest
from django.test import Client, override_settings

from globaldialogue.surveys import actions
from globaldialogue.surveys.models import Response

PAGE = "/s/un75/"


def response_id(html: str) -> str:
    match = re.search(r'name="response_id" value="([0-9a-f-]{36})"', html)
    assert match
    return match.group(1)


def amina_form(html: str) -> dict[str, object]:
    return {
        "response_id": response_id(html),
        "language": "ar",
        "future_outlook": "better",
        "world_2045": ["environment", "education"],
        "trends": ["climate"],
        "cooperation": "essential",
        "age_group": "16_30",
        "country": "JO",
        "advice": "استمعوا إلى الشباب",
    }


@pytest.fixture
def amina_client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="ar-JO,ar;q=0.9,en;q=0.5")


def test_it_speaks_the_browsers_language_right_to_left(amina_client, un75):
    page = amina_client.get(PAGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "المستقبل الذي نصبو إليه" in html
    assert "أرسل إجاباتي" in html  # the button, from the interface translations


def test_the_switcher_changes_and_remembers_the_language(amina_client, un75):
    page = amina_client.get(PAGE + "?lang=zh-hans")
    assert '<html lang="zh-hans" dir="ltr">' in page.content.decode()
    assert amina_client.get(PAGE).content.decode().count('lang="zh-hans" dir="ltr"') == 1


def test_every_field_has_a_label(amina_client, un75):
    html = amina_client.get(PAGE).content.decode()
    for field_id in re.findall(r'<(?:select|textarea|input)[^>]* id="([^"]+)"', html):
        assert f'for="{field_id}"' in html
    assert html.count("<legend>") == 9  # each choice question is a fieldset with a legend


def test_amina_submits_and_gets_a_receipt(amina_client, un75):
    form = amina_form(amina_client.get(PAGE).content.decode())
    sent = amina_client.post(PAGE, form)
    assert sent.status_code == 303
    stored = Response.objects.get(id=form["response_id"])
    assert stored.channel == "web"
    assert stored.language == "ar"
    assert stored.answers["world_2045"] == ["education", "environment"]
    thanks = amina_client.get(sent["Location"])
    assert stored.receipt in thanks.content.decode()
    assert "شكرًا لك" in thanks.content.decode()


def test_an_empty_form_is_refused_in_her_language_and_not_counted(amina_client, un75):
    html = amina_client.get(PAGE).content.decode()
    form = {k: v for k, v in amina_form(html).items() if k in ("response_id", "language")}
    sent = amina_client.post(PAGE, form)
    assert sent.status_code == 422
    assert "أجب عن سؤال واحد على الأقل قبل الإرسال." in sent.content.decode()
    assert not Response.objects.exists()


def test_sending_the_same_form_twice_counts_once(amina_client, un75):
    form = amina_form(amina_client.get(PAGE).content.decode())
    first = amina_client.post(PAGE, form)
    again = amina_client.post(PAGE, form)
    assert again.status_code == 303
    assert again["Location"] == first["Location"]
    assert Response.objects.count() == 1


def test_errors_show_next_to_fields_in_arabic_and_keep_what_was_typed(amina_client, un75):
    form = amina_form(amina_client.get(PAGE).content.decode())
    form["trends"] = ["climate", "health", "corruption", "terrorism"]
    page = amina_client.post(PAGE, form)
    html = page.content.decode()
    assert page.status_code == 422
    assert 'id="e-trends"' in html
    assert "اختر 3 خيارات كحد أقصى." in html
    assert "استمعوا إلى الشباب</textarea>" in html
    assert 'value="environment" checked' in html
    assert response_id(html) == form["response_id"]  # fixing and resending stays one response
    assert not Response.objects.exists()


def test_typing_in_other_means_other(amina_client, un75):
    form = amina_form(amina_client.get(PAGE).content.decode())
    form["world_2045"] = ["environment"]
    form["world_2045__other"] = "مدن أكثر خضرة"
    assert amina_client.post(PAGE, form).status_code == 303
    stored = Response.objects.get()
    assert stored.answers["world_2045"] == [
        "environment",
        {"option": "other", "text": "مدن أكثر خضرة"},
    ]


def test_options_are_shuffled_per_respondent_but_stable_for_one(un75):
    def order(html: str) -> list[str]:
        return re.findall(r'name="trends" value="([a-z_]+)"', html)

    pages = [Client().get(PAGE).content.decode() for _ in range(6)]
    assert len({tuple(order(p)) for p in pages}) > 1
    assert all(order(p)[-1] == "other" for p in pages)
    form = {"response_id": response_id(pages[0]), "language": "en", "trends": ["a", "b", "c", "d"]}
    again = Client().post(PAGE, form).content.decode()
    assert order(again) == order(pages[0])


def test_a_changed_resend_of_the_same_form_is_explained(amina_client, un75):
    form = amina_form(amina_client.get(PAGE).content.decode())
    amina_client.post(PAGE, form)
    form["future_outlook"] = "worse"
    page = amina_client.post(PAGE, form)
    assert page.status_code == 409
    assert "سبق إرسال هذه الإجابات" in page.content.decode()


def test_a_closed_survey_says_so(amina_client, un75):
    actions.close_survey(survey=un75)
    assert "هذا الاستطلاع مغلق" in amina_client.get(PAGE).content.decode()
    form = {"response_id": str(uuid.uuid4()), "language": "ar", "future_outlook": "better"}
    assert amina_client.post(PAGE, form).status_code == 409
    assert not Response.objects.exists()


@override_settings(RATE_SUBMIT_PER_IP=(1, 60))
def test_a_flood_from_one_address_is_slowed_down(amina_client, un75):
    html = amina_client.get(PAGE).content.decode()
    amina_client.post(PAGE, amina_form(html))
    page = amina_client.post(PAGE, amina_form(amina_client.get(PAGE).content.decode()))
    assert page.status_code == 429
    assert page["Retry-After"]


def test_it_works_without_cookies_or_csrf_token(un75):
    browser = Client(enforce_csrf_checks=True)
    form = amina_form(browser.get(PAGE).content.decode())
    assert browser.post(PAGE, form).status_code == 303


def test_unknown_survey_is_404(un75):
    assert Client().get("/s/nope/").status_code == 404


def test_the_options_keep_their_order_on_the_page_shown_after_an_error(amina_client, un75):
    html = amina_client.get(PAGE).content.decode()
    options = r'name="(\w+)" value="(\w+)"'
    order = re.findall(options, html)
    form = amina_form(html)
    form["world_2045"] = [v for k, v in order if k == "world_2045"][:4]  # more than allowed
    again = amina_client.post(PAGE, form)
    assert again.status_code == 422
    assert re.findall(options, again.content.decode()) == order


FIRST_VIEW_BUDGET = 30 * 1024  # bytes, compressed: a 2G phone's first view of a survey


@pytest.mark.parametrize("language", ["ar", "zh-hans", "en", "fr", "ru", "es"])
def test_the_first_view_is_one_response_within_its_budget(un75, language):
    """Everything needed to answer comes in the page (CSS and scripts inline, no web font,
    no image), so its compressed size is the first view's (bench/firstview.py reports it)."""
    page = Client().get(f"/s/un75/?lang={language}", HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    assert len(page.content) < FIRST_VIEW_BUDGET
    html = gzip.decompress(page.content).decode()
    fetched = re.findall(r'<(?:script|link|img)\b([^>]*(?:src|href)="[^"]+")', html)
    # The manifest is read only when the phone installs the survey, not to show it.
    assert [tag for tag in fetched if 'rel="manifest"' not in tag] == []
