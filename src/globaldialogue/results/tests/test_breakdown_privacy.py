"""No hidden count of a breakdown page can be worked out from what the results pages and
the API publish: each group's total who answered, the shown cells, and every option's
overall count on the overall page. Checked with a linear programme per hidden cell over
synthetic samples, for every breakdown and question."""

import numpy as np
import pytest
from django.test import Client
from scipy.optimize import linprog

from globaldialogue.results.actions import tally_all
from globaldialogue.results.models import Tally
from globaldialogue.surveys.demo import load_synthetic_sample


@pytest.fixture
def sampled(un75):
    load_synthetic_sample(un75, 180)
    tally_all()
    return un75


def true_counts(survey, by, question):
    rows = Tally.objects.filter(survey=survey, dimension=by, question=question)
    found = {}
    for value, option, count in rows.values_list("value", "option", "count"):
        found.setdefault(value, {})[option] = found.get(value, {}).get(option, 0) + count
    return found


def published(by):
    overall = Client().get("/api/surveys/un75/results?lang=en").json()
    broken = Client().get(f"/api/surveys/un75/results?lang=en&by={by}").json()["breakdown"]
    return overall, broken


@pytest.mark.parametrize("by", ["age_group", "gender", "education", "disability"])
def test_no_hidden_cell_can_be_worked_out(sampled, by):
    overall, breakdown = published(by)
    totals = {q["key"]: {o["key"]: o["count"] for o in q["options"]} for q in overall["questions"]}
    keys = [g["key"] or "" for g in breakdown["groups"]]
    checked = 0
    for table in breakdown["questions"]:
        truth = true_counts(sampled, by, table["key"])
        options = [o["key"] for o in table["options"]]
        additive = table["type"] != "multiple"
        hidden = [
            (r, c)
            for r, row in enumerate(table["counts"])
            for c in range(len(options))
            if row is None or row[c] is None
        ]
        if not hidden:
            continue
        equations, sums = [], []
        for c, option in enumerate(options):  # every group adds up to the overall count
            if totals[table["key"]].get(option) is not None:
                equations.append([1.0 if h[1] == c else 0.0 for h in hidden])
                shown = sum(row[c] for row in table["counts"] if row and row[c] is not None)
                sums.append(totals[table["key"]][option] - shown)
        for r, answered in enumerate(table["answered"]):  # single choice: rows add up
            if additive and answered is not None:
                equations.append([1.0 if h[0] == r else 0.0 for h in hidden])
                row = table["counts"][r]
                sums.append(answered - sum(v for v in row if v is not None))
        for cell in hidden:
            value = truth.get(keys[cell[0]], {}).get(options[cell[1]], 0)
            if not value:
                continue  # zeros disclose no one
            goal = np.array([1.0 if h == cell else 0.0 for h in hidden])
            low = linprog(goal, A_eq=equations or None, b_eq=sums or None, bounds=(0, None))
            high = linprog(-goal, A_eq=equations or None, b_eq=sums or None, bounds=(0, None))
            assert high.status == 3 or -high.fun - low.fun >= 1 - 1e-9, (by, table["key"], cell)
            checked += 1
    assert checked > 0
