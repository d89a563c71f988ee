"""The roll-up: every stored response is counted once, by whichever worker claims it."""

import threading

import pytest
from django.db import connection

from globaldialogue.results.actions import (
    delete_synthetic_responses,
    rebuild_tallies,
    tally_all,
    tally_responses,
)
from globaldialogue.results.models import Tally
from globaldialogue.surveys import actions
from globaldialogue.surveys.models import Response
from globaldialogue.testing import payload


def submit(survey, count: int, answers=None, language="fr"):
    subs = [actions.Submission(**payload(answers, language)) for _ in range(count)]
    outcomes = actions.submit_responses(survey=survey, submissions=subs, channel="api")
    tally_all()  # what the worker does after the commit
    return outcomes


def cell(survey, question="", option="", dimension="", value=""):
    rows = Tally.objects.filter(
        survey=survey, question=question, option=option, dimension=dimension, value=value
    )
    return sum(rows.values_list("count", flat=True))


def test_submissions_are_tallied_after_commit(un75, django_capture_on_commit_callbacks):
    # The test settings run tasks at once, so the roll-up is current after the commit.
    subs = [actions.Submission(**payload()) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.submit_responses(survey=un75, submissions=subs, channel="api")
    assert len(callbacks) == 1
    assert cell(un75) == 3
    assert cell(un75, "future_outlook", "better") == 3
    assert cell(un75, "world_2045", "other") == 3
    assert cell(un75, "future_outlook", "better", "country", "FR") == 3
    assert cell(un75, "", "", "gender", "male") == 3
    assert not Response.objects.filter(tallied_at__isnull=True).exists()


def test_a_second_pass_counts_nothing_again(un75):
    submit(un75, 2)
    assert tally_responses() == []
    assert cell(un75) == 2


def test_unanswered_breakdowns_count_as_not_stated(un75):
    submit(un75, 1, {"future_outlook": "worse"})
    assert cell(un75, "future_outlook", "worse", "country", "") == 1


def test_text_questions_count_who_answered(un75):
    submit(un75, 2)
    assert cell(un75, "advice") == 2


def test_rebuilding_gives_the_same_counts(un75):
    submit(un75, 4)
    before = sorted(Tally.objects.values_list("question", "option", "dimension", "value", "count"))
    rebuild_tallies(survey=un75)
    after = sorted(Tally.objects.values_list("question", "option", "dimension", "value", "count"))
    assert before == after


def test_removing_the_synthetic_sample_recounts(un75):
    subs = [actions.Submission(**payload()) for _ in range(3)]
    actions.submit_responses(survey=un75, submissions=subs, channel="synthetic", is_synthetic=True)
    submit(un75, 2)
    assert delete_synthetic_responses(survey=un75) == 3
    assert cell(un75) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_count_each_response_once(un75):
    for _ in range(6):
        submit(un75, 50)
    Tally.objects.all().delete()
    Response.objects.update(tallied_at=None)

    def work():
        try:
            tally_all()
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cell(un75) == 300
    assert cell(un75, "future_outlook", "better") == 300


def test_tallying_stores_results_snapshots_for_every_breakdown(un75):
    from globaldialogue.results.models import Snapshot

    submit(un75, 10)  # a release needs the threshold of responses (results.releases)
    stored = dict(Snapshot.objects.filter(survey=un75).values_list("by", "data"))
    assert set(stored) == {
        "",
        "age_group",
        "gender",
        "country",
        "education",
        "disability",
        "*cells",
    }
    outlook = stored[""]["questions"][0]
    assert outlook["key"] == "future_outlook" and 10 <= outlook["answered"] <= 13
    assert outlook["options"][1:] == [["same", 0], ["worse", 0]]
