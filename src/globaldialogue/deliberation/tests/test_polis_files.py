"""import-polis and export-polis with the four real Pol.is conversations (CC BY 4.0), and
the files that must be refused whole."""

import csv
import shutil
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from globaldialogue.deliberation.models import Conversation, Statement, Vote
from globaldialogue.deliberation.polis import latest_votes
from globaldialogue.opinion.tests.polis_data import CONVERSATIONS, DATA, load

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_a_real_conversation_imports_maps_and_reports(name, django_assert_max_num_queries):
    output = run("import_polis", str(DATA / name), "--conversation", "imported")
    conversation = Conversation.objects.get(slug="imported")
    polis = load(name)
    with (DATA / name / "comments.csv").open(newline="") as handle:
        comments = list(csv.DictReader(handle))
    assert Statement.objects.filter(conversation=conversation).count() == len(comments)
    rejected = sum(row["moderated"] == "-1" for row in comments)
    assert Statement.objects.filter(status="rejected").count() == rejected
    assert Vote.objects.filter(conversation=conversation).count() == len(polis.values)
    stored = conversation.maps.latest()
    assert stored.k >= 2 and "Agreement with Pol.is' groups (adjusted Rand index)" in output
    with django_assert_max_num_queries(12):
        report = Client().get("/c/imported/report?lang=en")
    assert report.status_code == 200 and b"Group B" in report.content


def test_the_latest_vote_counts_and_ties_go_to_the_later_line():
    voters = np.array([1, 1, 2, 1, 2])
    comments = np.array([7, 7, 7, 8, 7])
    values = np.array([1, -1, 1, 0, -1])
    times = np.array([10, 20, 30, 5, 30])
    kept = latest_votes(voters, comments, values, times)
    assert sorted(zip(*(a.tolist() for a in kept[:3]), strict=True)) == [
        (1, 7, -1),
        (1, 8, 0),
        (2, 7, -1),
    ]


def test_an_export_imports_again_to_the_same_votes(tmp_path):
    source = "15-per-hour-seattle"
    run("import_polis", str(DATA / source), "--conversation", "first")
    run("export_polis", "--conversation", "first", "--output", str(tmp_path / "out"))
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["comments.csv", "participants-votes.csv", "summary.csv", "votes.csv"]
    with (tmp_path / "out" / "participants-votes.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["group-id"] for row in rows} >= {"0", "1"}  # our groups, in Pol.is' column
    run("import_polis", str(tmp_path / "out"), "--conversation", "second")

    def tallies(slug: str) -> dict[str, tuple[int, int, int]]:
        votes = Vote.objects.filter(conversation__slug=slug)
        return {
            text: tuple(votes.filter(statement__text=text, value=v).count() for v in (1, 0, -1))
            for text in Statement.objects.filter(conversation__slug=slug).values_list(
                "text", flat=True
            )
        }

    assert tallies("first") == tallies("second")
    assert Conversation.objects.get(slug="second").topic == {"en": "$15/hour"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: _rewrite(f / "votes.csv", "vote", "2"), "vote must be 1, 0 or -1"),
        (lambda f: _rewrite(f / "votes.csv", "comment-id", "9999"), "comment-id 9999 is not"),
        (lambda f: _rewrite(f / "votes.csv", "voter-id", "x"), "voter-id is 'x'"),
        (lambda f: _drop_column(f / "comments.csv", "moderated"), "missing column(s) moderated"),
        (lambda f: (f / "votes.csv").unlink(), "needs comments.csv and votes.csv"),
    ],
)
def test_a_bad_folder_is_refused_whole(tmp_path, change, message):
    folder = tmp_path / "bad"
    shutil.copytree(DATA / "15-per-hour-seattle", folder)
    change(folder)
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("import_polis", str(folder), "--conversation", "bad")
    assert not Conversation.objects.exists() and not Vote.objects.exists()


def test_an_existing_conversation_is_not_overwritten():
    run("import_polis", str(DATA / "15-per-hour-seattle"), "--conversation", "taken", "--no-map")
    votes = Vote.objects.count()
    with pytest.raises(CommandError, match="exists already"):
        run("import_polis", str(DATA / "15-per-hour-seattle"), "--conversation", "taken")
    assert Vote.objects.count() == votes


def _rewrite(path, column: str, value: str) -> None:
    """Set `column` of the last row to `value`."""
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[-1][column] = value
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _drop_column(path, column: str) -> None:
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = [f for f in rows[0] if f != column]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
