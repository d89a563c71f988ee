"""Olga uses the back office: consultations, surveys, questions, options, translations, keys."""

import re

from globaldialogue.accounts.models import ApiKey, hash_key
from globaldialogue.consultations.actions import save_consultation
from globaldialogue.surveys.models import Question, Survey
from globaldialogue.surveys.tests.editor import survey_form


def test_every_admin_list_and_form_opens(olga_client, un75):
    question = un75.questions.get(key="world_2045")
    pages = [
        "/admin/",
        "/admin/consultations/consultation/",
        "/admin/surveys/survey/",
        f"/admin/surveys/survey/{un75.pk}/change/",
        "/admin/surveys/survey/add/",
        "/admin/surveys/question/",
        f"/admin/surveys/question/{question.pk}/change/",
        "/admin/surveys/response/",
        "/admin/accounts/apikey/add/",
        f"/admin/consultations/consultation/{un75.consultation.pk}/change/",
    ]
    for page in pages:
        assert olga_client.get(page).status_code == 200, page


def test_translations_are_edited_one_field_per_language(olga_client, un75):
    question = un75.questions.get(key="future_outlook")
    html = olga_client.get(f"/admin/surveys/question/{question.pk}/change/").content.decode()
    assert 'name="label__ar"' in html
    assert "في عام 2045" in html


def test_olga_creates_and_publishes_a_survey(olga_client, db):
    consultation = save_consultation(slug="city", title={"en": "City"}, languages=["en", "fr"])
    visits = [("visits", "integer", "Visits a month?", "Visites par mois ?", "", "")]
    form = survey_form(consultation, rows=visits)
    assert olga_client.post("/admin/surveys/survey/add/", form).status_code == 302
    survey = Survey.objects.get(slug="parks")
    assert survey.title == {"en": "Parks", "fr": "Parcs"}
    assert survey.questions.get().label == {"en": "Visits a month?", "fr": "Visites par mois ?"}
    olga_client.post("/admin/surveys/survey/", {"action": "publish", "_selected_action": survey.pk})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.PUBLISHED
    assert survey.current_version.number == 1


def test_editing_a_published_question_makes_a_new_version(olga_client, un75):
    question = un75.questions.get(key="advice")
    page = f"/admin/surveys/question/{question.pk}/change/"
    form = {
        "survey": un75.pk,
        "key": "advice",
        "position": question.position,
        "type": "text",
        "max_length": 500,
        "options-TOTAL_FORMS": 0,
        "options-INITIAL_FORMS": 0,
        **{f"label__{code}": text for code, text in question.label.items()},
    }
    response = olga_client.post(page, form, follow=True)
    assert "Participants now see version 2." in response.content.decode()
    assert Question.objects.get(pk=question.pk).max_length == 500


def test_publishing_an_incomplete_survey_explains_why(olga_client, db):
    consultation = save_consultation(slug="c", title={"en": "C"}, languages=["en"])
    survey = Survey.objects.create(
        consultation=consultation, slug="empty", title={"en": "Empty"}, languages=["en"]
    )
    response = olga_client.post(
        "/admin/surveys/survey/", {"action": "publish", "_selected_action": survey.pk}, follow=True
    )
    assert "Empty: Add at least one question." in response.content.decode()


def test_a_new_api_key_is_shown_once_and_stored_hashed(olga_client, un75):
    response = olga_client.post(
        "/admin/accounts/apikey/add/",
        {"name": "U-Report", "consultation": un75.consultation.pk, "scopes": ["responses"]},
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    secret = re.search(r"(gd_[0-9a-f]{8}_[A-Za-z0-9_-]+)", response.content.decode()).group(1)
    key = ApiKey.objects.get()
    assert key.key_hash == hash_key(secret) and key.scopes == ["responses"]
    assert secret not in str(ApiKey.objects.values_list())
    # On the page itself, never in a cookie (the messages cookie is signed, not encrypted).
    assert not any(secret in morsel.value for morsel in response.cookies.values())
    assert secret not in olga_client.get("/admin/accounts/apikey/").content.decode()


def test_responses_cannot_be_added_or_edited_by_hand(olga_client, un75):
    assert olga_client.get("/admin/surveys/response/add/").status_code == 403


def test_the_back_office_needs_a_login(client, un75):
    assert client.get("/admin/surveys/survey/").status_code == 302


def test_olga_builds_a_bilingual_survey_on_one_page_and_publishes_it(olga_client, db):
    consultation = save_consultation(slug="city", title={"en": "City"}, languages=["en", "fr"])
    form = survey_form(consultation, _publish="Save and publish")
    response = olga_client.post("/admin/surveys/survey/add/", form, follow=True)
    survey = Survey.objects.get(slug="parks")
    assert survey.status == Survey.Status.PUBLISHED and survey.current_version.number == 1
    assert "published, version 1" in response.content.decode()
    wishes = survey.questions.get(key="wishes")
    assert [(o.key, o.label) for o in wishes.options.all()] == [
        ("trees", {"en": "Trees", "fr": "Des arbres"}),
        ("benches", {"en": "Benches", "fr": "Des bancs"}),
        ("toilets", {"en": "Toilets", "fr": "Des toilettes"}),
    ]
    page = olga_client.get(f"/admin/surveys/survey/{survey.pk}/change/").content.decode()
    assert "Ready to publish" in page and "/s/parks/?lang=en" in page  # checklist, preview
    assert "Des arbres\nDes bancs\nDes toilettes</textarea>" in page


def test_options_that_do_not_line_up_across_languages_are_refused(olga_client, db):
    consultation = save_consultation(slug="city", title={"en": "City"}, languages=["en", "fr"])
    form = survey_form(consultation, **{"questions-1-options__fr": "Des arbres"})
    response = olga_client.post("/admin/surveys/survey/add/", form)
    assert response.status_code == 200
    assert "one line per option in every language" in response.content.decode()
    assert not Survey.objects.filter(slug="parks").exists()


def test_an_option_without_a_label_in_one_language_keeps_its_place(olga_client, db):
    consultation = save_consultation(slug="city", title={"en": "City"}, languages=["en", "fr"])
    # Benches has no French label yet: its line is left blank.
    form = survey_form(consultation, **{"questions-1-options__fr": "Des arbres\n\nDes toilettes\n"})
    olga_client.post("/admin/surveys/survey/add/", form)
    survey = Survey.objects.get(slug="parks")
    wishes = survey.questions.get(key="wishes")
    assert [o.label for o in wishes.options.all()] == [
        {"en": "Trees", "fr": "Des arbres"},
        {"en": "Benches"},
        {"en": "Toilets", "fr": "Des toilettes"},
    ]
    page = olga_client.get(f"/admin/surveys/survey/{survey.pk}/change/").content.decode()
    assert "Des arbres\n\nDes toilettes</textarea>" in page  # saved again as it is shown


def test_an_option_with_no_label_at_all_is_refused(olga_client, db):
    consultation = save_consultation(slug="city", title={"en": "City"}, languages=["en", "fr"])
    form = survey_form(
        consultation,
        **{
            "questions-1-options__en": "Trees\n\nToilets",
            "questions-1-options__fr": "Des arbres\n\nDes toilettes",
        },
    )
    response = olga_client.post("/admin/surveys/survey/add/", form)
    assert "Option 2 has no label in any language." in response.content.decode()
    assert not Survey.objects.filter(slug="parks").exists()
