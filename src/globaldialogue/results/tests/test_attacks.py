"""The known attacks on published statistics, tried against a real server (`globaldialogue
serve` with its worker) on a small synthetic survey: each asserts the attacker learns
nothing beyond the published noise (docs/disclosure.md).

- Across pages and filters: every cell a breakdown hides stays hidden on the dashboard,
  and a linear programme over everything published (overall counts, the breakdown, the
  dashboard's views of each group and of each group split by a second filter, each known
  only to within the noise) cannot narrow a small hidden cell to less than the threshold.
- Across time: one new response changes nothing public; the release that follows shows no
  cell of fewer than the threshold, so its +1 is never seen.
- Across columns: in the open dataset no combination of the columns it has is shared by
  fewer than the threshold of rows.
- Small groups and free text: a group's themes hide no count that subtraction would give,
  and no quote carries an email address, phone number or name.
- Conversations: per statement, everything published about everyone and each opinion group
  (counts, totals, shares, representative statements) cannot narrow a small hidden count.
"""

import csv
import io
import itertools
import time
import uuid

import httpx
import pytest
from scipy.optimize import linprog

from globaldialogue.deliberation.actions import recompute_map
from globaldialogue.deliberation.demo import load_demo_conversation, load_synthetic_crowd
from globaldialogue.deliberation.presenters import group_letter
from globaldialogue.lib.perturb import MOST
from globaldialogue.results import actions
from globaldialogue.results.models import Tally
from globaldialogue.results.tests.helpers import approve_quotes, submit_advice
from globaldialogue.surveys.anonymise import RELEASED
from globaldialogue.surveys.demo import load_synthetic_sample
from globaldialogue.surveys.models import Response
from globaldialogue.testing import answers_pierre
from globaldialogue.themes.tests.planted import planted_answers

pytestmark = pytest.mark.django_db(transaction=True)
K = 10  # the survey's threshold
SECOND = {"gender": "age_group", "age_group": "gender", "education": "gender"}
FILTERS = {"country", "age_group", "gender", "education"}  # the dashboard's, not its charts


@pytest.fixture
def sampled(un75):
    load_synthetic_sample(un75, 400)
    actions.tally_all()
    return un75


@pytest.fixture
def site(start_server, sampled):
    return start_server(worker=True)


def read(site, path):
    response = httpx.get(site.url + path, timeout=60)
    assert response.status_code == 200, (path, response.text[:300])
    return response.json()


def dashboard(site, **filters):
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return read(site, f"/r/un75/?format=json&lang=en&view=counted&{query}")


# --- across pages and filters -------------------------------------------------------------------


class Attack:
    """What the attacker knows, as a linear programme over the true counts."""

    def __init__(self, noise=MOST):
        self.names, self.bounds, self.rows, self.limits = {}, [], [], []
        self.noise = noise  # how far a published count may be from the true one

    def count(self, name, published):
        """A cell as published: its true count lies within the noise (or is 0, or hidden)."""
        if name not in self.names:
            self.names[name] = len(self.bounds)
            self.bounds.append((0, None))
        low, high = self.bounds[self.names[name]]
        if published == 0:
            low, high = 0, 0
        elif published is not None:
            low, high = max(low, K, published - self.noise), published + self.noise
        self.bounds[self.names[name]] = (low, high)

    def total(self, names, low, high):
        for name in names:
            self.count(name, None)
        row = [0.0] * len(self.bounds)
        for name in names:
            row[self.names[name]] += 1.0
        self.rows.append(row)
        self.limits.append(high)
        if low:
            self.rows.append([-x for x in row])
            self.limits.append(-low)

    def published_total(self, names, published):
        if published is not None:
            self.total(names, max(0, published - self.noise), published + self.noise)

    def width(self, name):
        width = len(self.bounds)
        rows = [row + [0.0] * (width - len(row)) for row in self.rows]
        goal = [0.0] * width
        goal[self.names[name]] = 1.0
        solve = {"A_ub": rows, "b_ub": self.limits, "bounds": self.bounds}
        low = linprog(goal, **solve)
        high = linprog([-g for g in goal], **solve)
        assert low.status == 0, "the published figures contradict each other"
        return float("inf") if high.status == 3 else -high.fun - low.fun


def test_the_attack_pins_a_hidden_cell_where_a_page_undoes_the_suppression():
    """The leak this suite guards against, as it was: exact margins on one page and the
    hidden cell's partner shown (within 3) on another pin the small cell to within 3."""
    attack = Attack(noise=0)  # exact figures
    cells = [("female", "better"), ("female", "same"), ("female", "worse")]
    attack.count(cells[0], 40)
    attack.count(cells[1], None)  # 4: under the threshold
    attack.count(cells[2], None)  # 16: hidden too, so 4 cannot be worked out
    attack.published_total(cells, 60)
    assert attack.width(cells[1]) >= K
    attack.total([cells[2]], 16 - MOST, 16 + MOST)  # the dashboard shows it, changed a little
    assert attack.width(cells[1]) <= 2 * MOST < K


def true_counts(survey, by, question):
    found = {}
    rows = Tally.objects.filter(survey=survey, dimension=by, question=question)
    for value, option, count in rows.values_list("value", "option", "count"):
        found[(value, option)] = found.get((value, option), 0) + count
    return found


@pytest.mark.parametrize("by", ["gender", "age_group", "education"])
def test_no_page_or_filter_pins_a_cell_another_hides(site, sampled, by):
    overall = read(site, "/api/surveys/un75/results?lang=en")
    breakdown = read(site, f"/api/surveys/un75/results?lang=en&by={by}")["breakdown"]
    second = SECOND[by]
    seconds = read(site, "/r/un75/?format=json&lang=en")["filters"][second]
    checked = 0
    for table in breakdown["questions"]:
        if table["type"] == "multiple" or table["key"] in FILTERS:
            continue
        options = [o["key"] for o in table["options"]]
        attack, hidden = Attack(), []
        for r, group in enumerate(breakdown["groups"]):
            value = group["key"] or ""
            row = table["counts"][r] or [None] * len(options)
            names = [(value, o) for o in options]
            for name, published in zip(names, row, strict=True):
                attack.count(name, published)
                if published is None:
                    hidden.append(name)
            attack.published_total(names, table["answered"][r])
            if group["key"] is not None:
                _same_on_the_dashboard(site, by, value, table, row, table["answered"][r])
                _split(site, attack, table["key"], names, {by: value}, second, seconds)
        shown = {o["key"]: o["count"] for o in _question(overall, table["key"])["options"]}
        for option in options:
            column = [(g["key"] or "", option) for g in breakdown["groups"]]
            attack.published_total(column, shown.get(option))
        truth = true_counts(sampled, by, table["key"])
        for name in hidden:
            if 0 < truth.get(name, 0) < K:
                assert attack.width(name) >= K, (by, table["key"], name)
                checked += 1
    assert checked > 0


def _question(published, key):
    return next(q for q in published["questions"] if q["key"] == key)


def _same_on_the_dashboard(site, by, value, table, row, answered):
    """The dashboard's view of one group is the breakdown's row: hidden alike, same noise."""
    view = dashboard(site, **{by: value})
    if answered is None and view["too_few"]:
        return
    shown = {o["key"]: o["count"] for o in _question(view, table["key"])["options"]}
    assert [shown[o["key"]] for o in table["options"]] == row, (by, value, table["key"])
    assert _question(view, table["key"])["answered"] == answered


def _split(site, attack, question, names, chosen, second, values):
    """Add what the dashboard shows of a group split by a second filter."""
    parts = {name: [] for name in names}
    for value in values:
        view = dashboard(site, **chosen, **{second: value})
        sub = [(*name, second, value) for name in names]
        for name, part in zip(names, sub, strict=True):
            parts[name].append(part)
        if view["too_few"]:  # fewer than the threshold in the view: each cell under it
            attack.total(sub, 0, K - 1)
            continue
        shown = {o["key"]: o["count"] for o in _question(view, question)["options"]}
        for part, (_group, option) in zip(sub, names, strict=True):
            attack.count(part, shown[option])
        attack.published_total(sub, _question(view, question)["answered"])
    for name, pieces in parts.items():  # a group's cell holds its parts (and the unstated)
        attack.rows.append(_difference(attack, pieces, name))
        attack.limits.append(0.0)


def _difference(attack, pieces, whole):
    """The row of sum(pieces) - whole, at most 0."""
    row = [0.0] * len(attack.bounds)
    for piece in pieces:
        row[attack.names[piece]] += 1.0
    row[attack.names[whole]] -= 1.0
    return row


# --- across time --------------------------------------------------------------------------------

PUBLIC = [
    "/api/surveys/un75/results?lang=en",
    "/api/surveys/un75/results?lang=en&by=gender",
    "/api/surveys/un75/results?lang=en&by=disability",
    "/r/un75/?format=json&lang=en",
    "/r/un75/?format=json&lang=en&gender=another",
    "/r/un75/?format=json&lang=en&country=FR&gender=another",
]
VICTIM = {**answers_pierre(), "gender": "another", "disability": "yes", "education": "none"}


def post(site, answers):
    body = {"id": str(uuid.uuid4()), "language": "fr", "answers": answers}
    response = httpx.post(f"{site.url}/api/surveys/un75/responses", json=body, timeout=30)
    assert response.status_code == 201, response.text


def counted_by_the_worker(site):
    deadline = time.monotonic() + 60
    while Response.objects.filter(tallied_at__isnull=True).exists():
        assert time.monotonic() < deadline, "the worker did not count the responses"
        time.sleep(0.2)
    time.sleep(4)  # the release check runs after a short debounce (results/tasks.py)


def test_one_response_changes_nothing_public(site, sampled):
    before = {path: read(site, path) for path in PUBLIC}
    post(site, VICTIM)
    counted_by_the_worker(site)
    assert {path: read(site, path) for path in PUBLIC} == before
    for age in ["31_45", "46_60", "61_75"] * 3:  # nine others: a release
        post(site, {**answers_pierre(), "age_group": age, "country": "NG"})
    counted_by_the_worker(site)
    after = read(site, PUBLIC[0])
    assert after["release"]["number"] == before[PUBLIC[0]]["release"]["number"] + 1
    for by in ("gender", "disability"):
        breakdown = read(site, f"/api/surveys/un75/results?lang=en&by={by}")["breakdown"]
        keys = [g["key"] for g in breakdown["groups"]]
        row = keys.index(VICTIM[by])
        for table in breakdown["questions"]:
            truth = true_counts(sampled, by, table["key"])
            for column, option in enumerate(o["key"] for o in table["options"]):
                small = 0 < truth.get((VICTIM[by], option), 0) < K
                cells = table["counts"][row]
                assert not small or cells is None or cells[column] is None, (by, option)


# --- across columns -----------------------------------------------------------------------------


def test_no_combination_of_the_open_datasets_columns_singles_anyone_out(
    site, sampled, settings, server_data_dir, django_capture_on_commit_callbacks
):
    settings.DATA_DIR = server_data_dir  # written here, downloaded from the server
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_open_data(survey=sampled)
    response = httpx.get(f"{site.url}/s/un75/open-data.csv", timeout=60)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) > 300 and not {"row", "date", "id"} & set(rows[0])
    for size in range(1, len(RELEASED) + 1):
        for columns in itertools.combinations(RELEASED, size):
            groups = {}
            for row in rows:
                key = tuple(row[c] for c in columns)
                groups[key] = groups.get(key, 0) + 1
            assert min(groups.values()) >= K, columns


# --- small groups and free text -----------------------------------------------------------------

PERSONAL = [
    "My name is Amina Diallo and the climate worries me",
    "Call me on +33 6 12 34 56 78 about climate action",
    "Write to amina.diallo@example.org about the climate",
]


def test_a_small_groups_themes_hide_what_subtraction_gives_and_quotes_name_no_one(
    site, sampled, django_capture_on_commit_callbacks
):
    texts = planted_answers()[0]
    for country in ("FR", "NG", "IN"):
        submit_advice(sampled, texts * 4, country=country)
    submit_advice(sampled, PERSONAL * 12, country="FR", language="en")
    submit_advice(sampled, texts[:3], country="FJ", language="en")
    actions.tally_all()
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_themes(survey=sampled, question="advice")
    approve_quotes(sampled)  # as found: what the scrubbing left is what would be published
    views = [dashboard(site)] + [dashboard(site, country=c) for c in ("FR", "NG", "IN", "FJ")]
    assert any(theme["quotes"] for theme in views[0]["themes"][0]["themes"])
    for view in views:
        for question in view["themes"]:
            counts = [theme["count"] for theme in question["themes"]]
            if question["answered"] is not None:
                assert counts.count(None) != 1, view["chosen"]  # else: answered - the rest
            for theme in question["themes"]:
                said = " ".join(q["text"] for q in theme["quotes"] + theme["claims"])
                assert theme["count"] is not None or not theme["quotes"]
                for personal in ("Amina", "Diallo", "12 34", "example.org"):
                    assert personal not in said, said


# --- conversations ------------------------------------------------------------------------------

SIDES = ("agree", "disagree", "pass")


@pytest.fixture
def deliberated(db):
    conversation = load_demo_conversation()
    load_synthetic_crowd(conversation, 300)
    recompute_map(conversation=conversation)
    return conversation


def test_no_conversation_figure_is_the_difference_of_others(start_server, deliberated):
    """Per statement, everything the report's CSV and the opinion map's JSON publish about
    everyone and each group (counts, group totals, shares, representative statements' counts)
    as one linear programme: no count of 1 to k - 1 people can be narrowed below k."""
    site = start_server()
    slug = deliberated.slug
    report = httpx.get(f"{site.url}/c/{slug}/report?format=csv", timeout=60)
    published = {int(row["statement"]): row for row in csv.DictReader(io.StringIO(report.text))}
    body = read(site, f"/api/conversations/{slug}/opinion-map")
    summary = deliberated.maps.latest().summary
    groups = [g["id"] for g in summary["groups"]]
    letters = [group_letter(g) for g in groups]  # the CSV's column headings
    checked = 0
    for pk, row in published.items():
        attack, truth = Attack(), _exact_cells(summary, pk, groups)
        rows = [*groups, "none"]
        for side in SIDES:
            attack.published_total([(g, side) for g in rows], _number(row[side]))
        attack.published_total(list(truth), _number(row["seen"]))
        for g, letter in zip(groups, letters, strict=True):
            seen = _number(row[f"group {letter} seen"])
            attack.published_total([(g, side) for side in SIDES], seen)
            for side in ("agree", "disagree"):
                _share(attack, (g, side), _number(row[f"group {letter} {side} %"]), seen)
        for group, reps in body["repness"].items():
            for r in reps:
                if r["statement"] == pk:
                    attack.count((int(group), "agree"), r["agree"])
                    attack.count((int(group), "disagree"), r["disagree"])
        for name, count in truth.items():
            if 0 < count < K and name[0] != "none":
                assert attack.width(name) >= K, (pk, name, truth)
                checked += 1
    assert checked > 0


def _exact_cells(summary, pk, groups):
    a, d, s = summary["statement_stats"][str(pk)][:3]
    cells = {("none", "agree"): a, ("none", "disagree"): d, ("none", "pass"): s - a - d}
    for g, (ga, gd, gs) in zip(groups, summary["group_stats"][str(pk)], strict=True):
        for side, count in zip(SIDES, (ga, gd, gs - ga - gd), strict=True):
            cells[(g, side)] = count
            cells[("none", side)] -= count
    return cells


def _number(text):
    return int(text) if text != "" else None


def _share(attack, name, percent, seen):
    """A share of a published total: the published count lies within half a percent of
    it, and the true one within the noise of that."""
    if percent is None or seen is None:
        return
    low, high = (percent - 0.5) * seen / 100, (percent + 0.5) * seen / 100
    attack.total([name], max(0, low - MOST), high + MOST)
