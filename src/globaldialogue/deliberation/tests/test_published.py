"""A conversation's figures under the one disclosure policy (published.py, docs/disclosure.md):
the report page, its CSV, the opinion map's JSON and the live channel print the same
protected counts; small counts are hidden, none can be worked out from the others by
subtraction, the rest are the exact ones changed by at most MOST."""

import csv
import io
from datetime import timedelta

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone

from globaldialogue.deliberation import actions, mapping, report
from globaldialogue.deliberation.live import map_event
from globaldialogue.deliberation.models import Participant
from globaldialogue.deliberation.published import publish, published_map
from globaldialogue.lib.disclosure import policy
from globaldialogue.lib.perturb import MOST
from globaldialogue.opinion import compute_map

SIDES = ("agree", "disagree", "passed")


def exact_rows(summary, pk):
    """[agree, disagree, passed, seen] for everyone, each group, and the people in none."""
    a, d, s = summary["statement_stats"][str(pk)][:3]
    everyone = [a, d, s - a - d, s]
    groups = [[a, d, s - a - d, s] for a, d, s in summary["group_stats"].get(str(pk), [])]
    rest = [everyone[i] - sum(g[i] for g in groups) for i in range(4)]
    return everyone, groups, rest


def as_list(figures):
    return [figures.agree, figures.disagree, figures.passed, figures.seen]


def check_protected(shown, exact, threshold):
    if 0 < exact < threshold:
        assert shown is None, (shown, exact)
    elif shown is not None:
        assert abs(shown - exact) <= MOST and (shown == 0) == (exact == 0)
        assert exact == 0 or shown >= threshold


def check_statement(figures, exact, threshold):
    everyone, groups, rest = exact
    published = [as_list(figures.everyone), *(as_list(g) for g in figures.groups)]
    for row, counts in zip(published, [everyone, *groups], strict=True):
        for shown, count in zip(row, counts, strict=True):
            check_protected(shown, count, threshold)
        hidden = [i for i in range(3) if row[i] is None and counts[i]]
        # With the total shown, one hidden non-zero side alone would be the total minus the rest.
        assert row[3] is None or len(hidden) != 1, (row, counts)
    for side in range(3):
        shown_groups = [row[side] is not None for row in published[1:]]
        if published[0][side] is not None and all(shown_groups):
            # Everyone's count minus the groups' is the people in no group: never small.
            assert rest[side] == 0 or rest[side] >= threshold, (side, rest, groups)


def test_every_figure_of_a_real_conversation_is_protected():
    rng = np.random.default_rng(7)
    people, statements = 400, 30
    lean = rng.integers(0, 3, people)
    participant, statement, value = [], [], []
    for p in range(people):
        for s in rng.choice(statements, rng.integers(3, statements), replace=False):
            participant.append(1000 + p)
            statement.append(s)
            likes = (s % 3 == lean[p]) or s == 0
            value.append(
                int(rng.choice([1, 0, -1], p=[0.8, 0.1, 0.1] if likes else [0.1, 0.2, 0.7]))
            )
    result = compute_map(participant, statement, value)
    summary = mapping.summary(result)
    public = publish(policy("test", 10), summary, result.votes)
    assert result.k >= 2
    for pk in summary["statement_stats"]:
        check_statement(public.statement(int(pk)), exact_rows(summary, pk), 10)
    for group in summary["groups"]:
        check_protected(public.sizes[group["id"]], group["size"], 10)
    check_protected(public.votes, result.votes, 10)
    check_protected(public.participants, people, 10)


def test_the_same_people_counted_get_the_same_change_whatever_else_changes():
    """A figure's change follows the participants it counts: a new vote on another
    statement leaves it alone, so re-reading the map does not wash the noise out."""
    votes = (list(range(100, 130)), [20] * 30, [1] * 30)
    one = compute_map(votes[0], votes[1], votes[2])
    more = compute_map([*votes[0], 999], [*votes[1], 21], [*votes[2], -1])
    rules = policy("test", 10)
    first = publish(rules, mapping.summary(one), one.votes).statement(20).everyone
    second = publish(rules, mapping.summary(more), more.votes).statement(20).everyone
    assert first == second and first.agree is not None
    # The key: the sum of the ids of the 30 who agreed, whoever else voted.
    assert mapping.summary(more)["keys"]["statements"]["20"][-1][0] == sum(range(100, 130))


@pytest.mark.django_db
def test_report_csv_api_and_live_channel_print_the_same_protected_figures(crowded):
    stored = crowded.maps.latest()
    public = published_map(stored)
    summary = stored.summary
    for pk in summary["statement_stats"]:
        check_statement(public.statement(int(pk)), exact_rows(summary, pk), 10)
    body = Client().get("/api/conversations/un75-priorities/opinion-map").json()
    assert [g["size"] for g in body["groups"]] == [public.sizes[g["id"]] for g in summary["groups"]]
    assert body["votes"] == public.votes == map_event(stored)["votes"]
    for group, reps in body["repness"].items():
        row = [g["id"] for g in summary["groups"]].index(int(group))
        for r in reps:
            figures = public.statement(r["statement"]).groups[row]
            assert (r["agree"], r["disagree"], r["seen"]) == (
                figures.agree,
                figures.disagree,
                figures.seen,
            )
    rows = list(
        csv.DictReader(io.StringIO(Client().get("/c/un75-priorities/report?format=csv").text))
    )
    for row in rows:
        figures = public.statement(int(row["statement"])).everyone
        assert [row["agree"], row["disagree"], row["pass"], row["seen"]] == [
            "" if n is None else str(n) for n in as_list(figures)
        ]


@pytest.mark.django_db
def test_a_small_conversation_publishes_no_small_count(make_conversation):
    conversation = make_conversation()
    seeds = [
        actions.seed_statement(conversation=conversation, text=f"Idea {n}", language="en")
        for n in range(3)
    ]
    for person in range(6):
        participant = actions.join_conversation(conversation=conversation, xid=f"p{person}")
        for seed in seeds:
            actions.cast_vote(participant=participant, statement=seed, value=1)
    actions.recompute_map(conversation=conversation)
    html = Client().get("/c/priorities/report?lang=en").content.decode()
    assert '<td class="n" id="people">–</td>' in html  # 6 people
    assert "counts under 10 are hidden" in html
    page = Client().get("/c/priorities/?lang=en").content.decode()
    assert "Based on the votes of fewer than 10 people." in page
    body = Client().get("/api/conversations/priorities/opinion-map").json()
    assert abs(body["votes"] - 18) <= MOST  # 18 votes: enough to show
    rows = csv.DictReader(io.StringIO(Client().get("/c/priorities/report?format=csv").text))
    assert {(row["agree"], row["disagree"], row["seen"]) for row in rows} == {("", "0", "")}


@pytest.mark.django_db
def test_a_statement_loses_the_personal_data_its_author_put_in_it(make_conversation):
    conversation = make_conversation()
    participant = actions.join_conversation(conversation=conversation, xid="amina")
    statement = actions.add_statement(
        conversation=conversation,
        participant=participant,
        text="My name is Amina Haddad, write to amina@example.org or call +962 6 555 0199",
        language="en",
    )
    assert statement.text == "My name is [name], write to [email] or call [phone]"


@pytest.mark.django_db
def test_a_map_stored_by_an_earlier_version_is_published_too(crowded):
    """Maps stored before cell keys were kept: no keys, no count of people in the summary."""
    stored = crowded.maps.latest()
    stored.summary = {k: v for k, v in stored.summary.items() if k not in ("keys", "participants")}
    stored.save(update_fields=["summary"])
    public = published_map(crowded.maps.latest())
    assert abs(public.participants - 120) <= MOST and public.votes is not None
    assert all(size is None or size >= 10 for size in public.sizes.values())


@pytest.mark.django_db
def test_a_day_with_few_newcomers_is_not_left_to_subtraction(make_conversation):
    """Three people joined on Monday, thirty on Tuesday; the report shows how many took part
    in all, so Tuesday is hidden beside Monday or Monday would be the total minus Tuesday."""
    conversation = make_conversation()
    for person in range(33):
        actions.join_conversation(conversation=conversation, xid=f"p{person}")
    monday = timezone.now() - timedelta(days=1)
    first = Participant.objects.order_by("pk")[:3].values_list("pk", flat=True)
    Participant.objects.filter(pk__in=list(first)).update(created_at=monday)
    days = {day["day"]: day["joined"] for day in report.participation(conversation)}
    assert list(days.values()) == [None, None]
    assert report.people(conversation) is not None
