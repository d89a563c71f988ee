"""Publishing, closing and versions (actions used by the admin, the CLI and the demo)."""

import pytest
from django.core.exceptions import ValidationError

from globaldialogue.consultations.actions import save_consultation
from globaldialogue.surveys import actions
from globaldialogue.surveys.models import Question, Survey


@pytest.fixture
def draft(db) -> Survey:
    consultation = save_consultation(slug="city", title={"en": "City"}, languages=["en"])
    return Survey.objects.create(
        consultation=consultation, slug="parks", title={"en": "Parks"}, languages=["en", "fr"]
    )


def test_a_survey_without_questions_cannot_be_published(draft):
    with pytest.raises(ValidationError) as problem:
        actions.publish_survey(survey=draft)
    assert "Add at least one question." in problem.value.messages


def test_a_choice_question_needs_options_and_text_in_the_default_language(draft):
    Question.objects.create(survey=draft, key="parks", type="single", label={"fr": "Parcs ?"})
    with pytest.raises(ValidationError) as problem:
        actions.publish_survey(survey=draft)
    assert problem.value.messages == [
        "Question parks: write its text in en.",
        "Question parks: add its options.",
    ]
    draft.refresh_from_db()
    assert draft.status == Survey.Status.DRAFT


def test_publishing_freezes_version_one(draft):
    Question.objects.create(survey=draft, key="visits", type="integer", label={"en": "Visits?"})
    version = actions.publish_survey(survey=draft)
    assert (version.number, draft.status) == (1, Survey.Status.PUBLISHED)
    assert version.definition["questions"][0]["key"] == "visits"


def test_saving_without_changes_keeps_the_version(un75):
    assert actions.record_survey_edit(survey=un75) == un75.current_version


def test_editing_a_published_survey_makes_a_new_version(un75):
    question = un75.questions.get(key="advice")
    question.max_length = 500
    question.save(update_fields=["max_length"])
    version = actions.record_survey_edit(survey=un75)
    assert version is not None and version.number == 2
    assert un75.versions.count() == 2


def test_drafts_are_edited_without_versions(draft):
    assert actions.record_survey_edit(survey=draft) is None
