"""The bridging score against Community Notes' own model, written out plainly below from
twitter/communitynotes (scoring/src/scoring/matrix_factorization/): their loss (mean squared
error, then 0.03 x the mean square of each side's factors and 0.15 x that of each side's
intercepts and of the global one), their initialisation (factors Xavier-uniform, intercepts
and the global one 0), their optimiser (full-batch Adam, learning rate 1.0) and stopping
(the loss changes by less than 1e-7, or rose after epoch 100), and their filter (notes with
5 ratings, then raters with 10, then notes with 5). On real Pol.is votes (agree helpful,
disagree not, passes no rating) our fast fit must reach their loss and rank statements as
they do."""

import itertools

import numpy as np
import pytest
from scipy.stats import spearmanr

from globaldialogue.opinion import bridging
from globaldialogue.opinion.tests.polis_data import CONVERSATIONS, load
from globaldialogue.opinion.votes import build_votes

LAMBDA_F, LAMBDA_I = 0.03, 0.03 * 5


def community_notes_filter(users, notes):
    """Notes with >= 5 ratings, then raters with >= 10, then notes with >= 5 again."""
    keep = np.ones(len(users), dtype=bool)
    for column, least in ((notes, 5), (users, 10), (notes, 5)):
        counts = np.bincount(column[keep], minlength=column.max() + 1)
        keep &= counts[column] >= least
    return keep


def loss(params, users, notes, y):
    """Their loss, term by term."""
    mu, user_b, user_f, note_b, note_f = params
    prediction = mu + user_b[users] + note_b[notes] + user_f[users] * note_f[notes]
    return (
        np.mean((prediction - y) ** 2)
        + LAMBDA_F * np.mean(user_f**2)
        + LAMBDA_I * np.mean(user_b**2)
        + LAMBDA_F * np.mean(note_f**2)
        + LAMBDA_I * np.mean(note_b**2)
        + LAMBDA_I * mu**2
    )


def gradient(params, users, notes, y):
    mu, user_b, user_f, note_b, note_f = params
    n_users, n_notes = len(user_b), len(note_b)
    error = 2 * (mu + user_b[users] + note_b[notes] + user_f[users] * note_f[notes] - y) / len(y)
    return [
        error.sum() + 2 * LAMBDA_I * mu,
        np.bincount(users, error, n_users) + 2 * LAMBDA_I * user_b / n_users,
        np.bincount(users, error * note_f[notes], n_users) + 2 * LAMBDA_F * user_f / n_users,
        np.bincount(notes, error, n_notes) + 2 * LAMBDA_I * note_b / n_notes,
        np.bincount(notes, error * user_f[users], n_notes) + 2 * LAMBDA_F * note_f / n_notes,
    ]


def community_notes_fit(users, notes, y, seed=0, lr=1.0, convergence=1e-7):
    """Their training loop, in NumPy (float64 where they use float32)."""
    rng = np.random.default_rng(seed)
    n_users, n_notes = users.max() + 1, notes.max() + 1
    params = [
        0.0,
        np.zeros(n_users),
        rng.uniform(-1, 1, n_users) * np.sqrt(6 / (1 + n_users)),  # xavier_uniform_
        np.zeros(n_notes),
        rng.uniform(-1, 1, n_notes) * np.sqrt(6 / (1 + n_notes)),
    ]
    first = [np.zeros_like(np.asarray(p, dtype=float)) for p in params]
    second = [np.zeros_like(np.asarray(p, dtype=float)) for p in params]
    previous, current, epoch = 1e10, loss(params, users, notes, y), 0
    while abs(current - previous) > convergence and not (epoch > 100 and current > previous):
        previous = current
        for i, g in enumerate(gradient(params, users, notes, y)):  # Adam, torch's defaults
            first[i] = 0.9 * first[i] + 0.1 * g
            second[i] = 0.999 * second[i] + 0.001 * g * g
            step = lr * (first[i] / (1 - 0.9 ** (epoch + 1)))
            params[i] = params[i] - step / (np.sqrt(second[i] / (1 - 0.999 ** (epoch + 1))) + 1e-8)
        current = loss(params, users, notes, y)
        epoch += 1
    return params, current


def fit_from(rated, helpful, notes_kept, note_f):
    """Our fit started where theirs ended for notes (and 0.1 for raters)."""
    masked_rated, masked_helpful, rows, cols = bridging.scored(rated, helpful)
    start = np.zeros(rated.shape[1])
    start[notes_kept] = note_f
    return bridging.fit(masked_rated, masked_helpful, (np.full(len(rows), 0.1), start), rows, cols)


def ratings_of(name):
    c = load(name)
    votes = build_votes(c.participants, c.statements, c.values, np.array(c.moderated_out))
    rated_mask = votes.coded.data != 2
    rows = np.repeat(np.arange(votes.shape[0]), np.diff(votes.coded.indptr))[rated_mask]
    cols = votes.coded.indices[rated_mask]
    y = (votes.coded.data[rated_mask] == 3).astype(float)
    return votes, rows, cols, y


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_our_fit_reaches_community_notes_loss_and_ranks_as_they_do(name):
    votes, rows, cols, y = ratings_of(name)
    keep = community_notes_filter(rows, cols)
    users = np.unique(rows[keep], return_inverse=True)[1]
    notes_kept, notes = np.unique(cols[keep], return_inverse=True)
    theirs, their_loss = community_notes_fit(users, notes, y[keep])

    rated = votes.view((votes.coded.data != 2).astype(float))
    scores = bridging.bridging_scores(rated, votes.agree, seed=0)
    assert set(np.flatnonzero(~np.isnan(scores))) == set(notes_kept)  # the same left unscored
    ours = fit_from(rated, votes.agree, notes_kept, theirs[4])
    assert ours.loss <= their_loss + 1e-6
    rows = np.unique(rows[keep])
    found = [ours.mu, ours.rater_b[rows], ours.rater_f[rows], ours.note_b[notes_kept]]
    assert np.isclose(ours.loss, loss([*found, ours.note_f[notes_kept]], users, notes, y[keep]))
    rho = spearmanr(scores[notes_kept], theirs[3]).statistic
    assert rho >= 0.9, rho


def test_a_statement_with_too_few_ratings_gets_no_score():
    rng = np.random.default_rng(0)
    people, statements = 40, 12
    rows = np.repeat(np.arange(people), statements)
    cols = np.tile(np.arange(statements), people)
    values = rng.choice([-1, 1], size=len(rows))
    few = (cols == 5) & (rows >= 4)  # statement 5: rated by four people only
    votes = build_votes(rows[~few], cols[~few], values[~few], np.zeros(0, dtype=np.int64))
    rated = votes.view((votes.coded.data != 2).astype(float))
    scores = bridging.bridging_scores(rated, votes.agree, seed=0)
    assert np.isnan(scores[5]) and np.isnan(scores).sum() == 1


def test_the_loss_never_rises_from_sweep_to_sweep():
    votes, _rows, _cols, _y = ratings_of(CONVERSATIONS[0])
    rated = votes.view((votes.coded.data != 2).astype(float))
    masked_rated, masked_helpful, rows, cols = bridging.scored(rated, votes.agree)
    start = np.random.default_rng(1).normal(0, 0.1, len(rows)), np.full(len(cols), 0.1)
    losses = []
    for sweeps in range(1, 8):
        bridging.MAX_SWEEPS, saved = sweeps, bridging.MAX_SWEEPS
        try:
            losses.append(bridging.fit(masked_rated, masked_helpful, start, rows, cols).loss)
        finally:
            bridging.MAX_SWEEPS = saved
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(losses))
