"""Results fixtures: surveys with answers to count, analyse and report on."""

import pytest
from django.core.cache import cache

from globaldialogue.results import actions
from globaldialogue.results.tests.helpers import COUNTRIES, SECRET, submit, submit_advice
from globaldialogue.surveys.demo import load_synthetic_sample
from globaldialogue.themes.tests.planted import planted_answers


@pytest.fixture
def crowd(un75):
    """30 French, 15 Nigerian, 3 Jordanian and 4 Kenyan respondents, counted."""
    submit(un75, 30)
    submit(un75, 15, country="NG", future_outlook="worse")
    submit(un75, 3, country="JO", future_outlook="same")
    submit(un75, 4, country="KE", future_outlook="same")
    actions.tally_all()
    return un75


@pytest.fixture
def answered(un75):
    """Each planted answer from France, Nigeria and India; one from Fiji, alone in its cell."""
    texts, _languages, _truth = planted_answers()
    for country in COUNTRIES:
        submit_advice(un75, texts, country=country)
    submit_advice(un75, [SECRET], country="FJ", language="en")
    actions.tally_all()
    return un75


@pytest.fixture
def analysed(answered, django_capture_on_commit_callbacks):
    """The themes analysis of the answered survey's advice, done."""
    with django_capture_on_commit_callbacks(execute=True):  # the task runs after commit
        analysis = actions.request_themes(survey=answered, question="advice")
    analysis.refresh_from_db()
    return analysis


@pytest.fixture
def queued_reports(un75, settings, tmp_path):
    """Results to report on, and a task queue that no worker empties during the test."""
    settings.DATA_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    load_synthetic_sample(un75, 60)
    actions.tally_all()
    cache.clear()
    return un75.consultation
