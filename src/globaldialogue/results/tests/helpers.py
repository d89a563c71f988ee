"""Data builders shared by the results tests (fixtures are in conftest.py)."""

from django_tasks_db.models import DBTaskResult

from globaldialogue.lib.perturb import MOST
from globaldialogue.results import actions, tasks
from globaldialogue.results.models import Quote
from globaldialogue.surveys import actions as survey_actions
from globaldialogue.testing import answers_pierre, payload

COUNTRIES = ["FR", "NG", "IN"]  # where the planted open answers come from
SECRET = "Fiji should lead the world on ocean protection"  # said once, alone in its cell


def submit(survey, count, **changes):
    """`count` responses with Pierre's answers, changed as asked."""
    answers = {**answers_pierre(), **changes}
    subs = [survey_actions.Submission(**payload(answers)) for _ in range(count)]
    survey_actions.submit_responses(survey=survey, submissions=subs, channel="api")


def submit_advice(survey, texts, *, country, language="fr"):
    """One response per text, each giving it as its advice, from `country`."""
    submissions = [
        survey_actions.Submission(
            **payload({**answers_pierre(), "country": country, "advice": text}, language)
        )
        for text in texts
    ]
    survey_actions.submit_responses(survey=survey, submissions=submissions, channel="api")


def option(question, key):
    return next(o for o in question["options"] if o["key"] == key)


def question(body, key):
    return next(q for q in body["questions"] if q["key"] == key)


def run_queued_reports():
    """Do what a worker would: make the reports that were queued, once each."""
    for job in DBTaskResult.objects.filter(task_path__endswith="report_task"):
        tasks.report_task.call(*job.args_kwargs["args"])
        job.delete()


def near(shown, exact):
    """Whether a published count is the exact one changed as the disclosure policy allows."""
    return shown is not None and abs(shown - exact) <= MOST


def approve_quotes(survey):
    """What an organizer does before quotes are published: approve them all, as found."""
    for quote in Quote.objects.filter(survey=survey).select_related("survey__consultation"):
        actions.review_quote(quote=quote, status=Quote.Status.APPROVED)
