"""The conversation report: Olga (and the public) read the groups, consensus, bridging and
every statement per group, and download the table."""

import csv
import io
import re

from django.test import Client

from globaldialogue.deliberation import actions
from globaldialogue.lib.perturb import MOST

PAGE = "/c/un75-priorities/report"


def test_the_report_shows_groups_statements_and_participation(
    crowded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = Client().get(PAGE + "?lang=en")
    html = response.content.decode()
    assert response.status_code == 200
    people = int(re.search(r'<td class="n" id="people">(\d+)</td>', html)[1])
    assert abs(people - 120) <= MOST  # published under the conversation's disclosure policy
    assert html.count("<tr><td><span lang=") == 16  # every accepted statement
    assert "What bridges the groups" in html and "What nearly everyone agrees on" in html
    assert "Group A" in html and "Over time" in html


def test_the_table_downloads_as_csv(crowded):
    actions.seed_statement(conversation=crowded, text="=1+2 more parks", language="en")
    response = Client().get(PAGE + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:8] == [
        "statement",
        "text",
        "language",
        "seed",
        "agree",
        "disagree",
        "pass",
        "seen",
    ]
    assert "group A agree %" in rows[0]
    assert len(rows) == 18
    assert "'=1+2 more parks" in [r[1] for r in rows]  # defused for spreadsheets
    water = next(r for r in rows if r[1].startswith("Access to clean water"))
    # Planted: every group agrees; so few disagree that it is hidden (empty) or far below.
    assert water[5] == "" or int(water[4]) > int(water[5])


def test_before_any_map_the_report_says_so(priorities):
    html = Client().get(PAGE + "?lang=fr").content.decode()
    assert "La carte des opinions apparaît" in html
