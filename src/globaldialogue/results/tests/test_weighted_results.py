"""Weighted results: the crowd of test_results_api (30 French, 15 Nigerian, 3 Jordanian,
4 Kenyan respondents, all men aged 16-30 like Pierre) weighted to the four countries'
populations. Only the French are "better off", so weighted that share is France's share
of the four countries' people."""

import re

import pytest
from django.test import Client

from globaldialogue.lib.perturb import MOST
from globaldialogue.results.tests.helpers import near, option, question, submit
from globaldialogue.weighting.population import world_population


@pytest.fixture
def big_crowd(un75):
    """The crowd ten times over: enough for intervals, whatever the cells' small changes."""
    from globaldialogue.results.actions import tally_all

    for country, count, outlook in (("FR", 300, "better"), ("NG", 150, "worse")):
        submit(un75, count, country=country, future_outlook=outlook)
    submit(un75, 30, country="JO", future_outlook="same")
    submit(un75, 40, country="KE", future_outlook="same")
    tally_all()
    return un75


def test_shares_are_weighted_to_the_population_with_intervals(big_crowd):
    body = Client().get("/api/surveys/un75/results?lang=en").json()
    people = world_population().countries
    france = people["FR"] / sum(people[c] for c in ("FR", "NG", "JO", "KE"))
    better = option(question(body, "future_outlook"), "better")
    outlook = question(body, "future_outlook")
    assert better["share"] == round(better["count"] / outlook["answered"], 4)  # counted
    # Weighted from each cell's count changed by its key (results.disclosure): near France's.
    assert better["weighted_share"] == pytest.approx(france, rel=0.05)
    assert better["low"] < better["weighted_share"] < better["high"]
    assert body["weighting"]["design_effect"] > 1  # weights cost precision
    assert body["weighting"]["effective_n"] < 520


def test_nothing_weighted_is_shown_where_the_count_is_hidden(crowd):
    body = Client().get("/api/surveys/un75/results?lang=en").json()
    same = option(question(body, "future_outlook"), "same")
    assert same["suppressed"] and same["weighted_share"] is None and same["low"] is None


def test_no_interval_under_thirty_effective_answers(un75):
    from globaldialogue.results.actions import tally_all

    submit(un75, 12)
    submit(un75, 12, country="NG")
    tally_all()
    body = Client().get("/api/surveys/un75/results?lang=en").json()
    better = option(question(body, "future_outlook"), "better")
    assert better["weighted_share"] is not None and better["low"] is None


def test_the_page_explains_the_weighted_figures(crowd):
    page = Client().get("/s/un75/results?lang=fr").content.decode()
    assert "pondéré" in page.lower()
    assert "Perspectives mondiales de la population" in page


def test_the_fit_is_reported_to_everyone(un75):
    """A crowd with a country WPP lacks and without women: organizers and readers see it."""
    from globaldialogue.results.actions import tally_all

    submit(un75, 40)
    submit(un75, 5, country="AQ")  # Antarctica: no population figures
    tally_all()
    body = Client().get("/api/surveys/un75/results?lang=en").json()
    fit = body["weighting"]
    # Counted from the cells' perturbed counts (results.disclosure): 5, changed a little.
    assert fit["converged"] is True and near(fit["outside"], 5)
    assert "country x gender" in fit["empty_cells"]  # no women answered
    page = Client().get("/s/un75/results?lang=en").content.decode()
    said = f"{fit['outside']} answers come from places without population figures"
    assert said in page
    assert "their people are counted through the others in that country" in page


def test_breakdown_tables_carry_weighted_shares_where_counts_are_shown(big_crowd):
    """All the crowd are men: among men, "better off" weighs as France's share of people."""
    body = Client().get("/api/surveys/un75/results?lang=en&by=gender").json()
    people = world_population().countries
    france = people["FR"] / sum(people[c] for c in ("FR", "NG", "JO", "KE"))
    groups = [group["key"] for group in body["breakdown"]["groups"]]
    table = next(t for t in body["breakdown"]["questions"] if t["key"] == "future_outlook")
    options = [o["key"] for o in table["options"]]
    men = groups.index("male")
    share, low, high = table["weighted"][men][options.index("better")]
    assert share == pytest.approx(france, rel=0.05) and low < share < high
    for counts, weighted in zip(table["counts"], table["weighted"], strict=True):
        for count, estimate in zip(counts or [None] * len(options), weighted or [], strict=False):
            assert estimate is None or count is not None  # nothing weighted where hidden


def test_the_breakdown_page_shows_the_weighted_share_in_each_cell(crowd):
    page = Client().get("/s/un75/results?lang=en&by=gender").content.decode()
    assert "the weighted share (≈)" in page
    people = world_population().countries
    france = people["FR"] / sum(people[c] for c in ("FR", "NG", "JO", "KE"))
    # Among men, "better off" weighs as France's share of people, give or take the changes
    # to the French cells' counts (at most perturb.MOST of 30: results.disclosure).
    shown = [int(percent) for percent in re.findall(r"≈(\d+)%", page)]
    assert any(abs(percent - 100 * france) <= 100 * MOST / 30 for percent in shown), shown
    assert "None%" not in page


def test_no_weighted_shares_for_a_breakdown_the_cells_do_not_hold(crowd):
    body = Client().get("/api/surveys/un75/results?lang=en&by=disability").json()
    assert all(table["weighted"] is None for table in body["breakdown"]["questions"])


def test_the_cell_note_reads_in_the_readers_language(crowd):
    page = Client().get("/s/un75/results?lang=fr&by=gender").content.decode()
    assert "intervalle à 95 % lorsqu" in page


def test_the_figures_come_first_and_the_method_is_folded_under_them(crowd):
    html = Client().get("/s/un75/results?lang=en").content.decode()
    first_table = html.index("<table")
    method = html.index('id="weighting-note"')
    assert first_table < method
    assert html.rfind("<details", 0, method) > first_table  # folded, opened on demand
    assert "How the weighted figures are made" in html


def test_a_share_stays_a_share_where_changed_counts_pass_their_total(un75):
    """Each cell's counts are changed apart: in a cell of one, the option's count may come
    out above the question's. Tiny cells everywhere: every share between 0 and 1."""
    from globaldialogue.results.actions import tally_all

    for index, country in enumerate(["FR", "NG", "KE", "JO", "IN", "BR", "CN", "US"] * 3):
        submit(un75, 1, country=country, age_group=["16_30", "31_45", "46_60"][index % 3])
    tally_all()
    body = Client().get("/api/surveys/un75/results?lang=en").json()
    shares = [
        option["weighted_share"]
        for question in body["questions"]
        for option in question["options"]
        if option["weighted_share"] is not None
    ]
    assert all(0 <= share <= 1 for share in shares)
