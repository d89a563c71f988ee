"""Raking 10 million responses to 4 margins: country (193), country x age group (6 groups),
country x gender and education (4 levels), with a sample biased like an opt-in web survey.

Ours (`globaldialogue.weighting.rake`, NumPy bincount passes over code vectors) against,
in the same run on the same data:
- baseline: the usual pandas implementation, each pass a groupby-transform of the weights;
- peer: `ipfn` (classic IPF on the contingency table; then each response takes its cell's
  weight). It fits cells, not responses, so it is fast when the table is small, and cannot
  take margins on answers that are missing for some (ours leaves those out per margin).
Thin cells (under 5 responses) are merged within their country first (`collapse`) for ours
and the baseline; ipfn works on the full table. Weights are compared (largest relative
difference). Trimming off for all three.

    .venv/bin/python bench/raking.py [rows]
"""

import sys

import numpy as np
import pandas as pd
from common import machine, save, timed
from ipfn import ipfn

from globaldialogue.weighting import Margin, rake
from globaldialogue.weighting.raking import collapse, joint, reachable_targets

COUNTRIES, AGES, GENDERS, EDUCATION = 193, 6, 2, 4
TOLERANCE = 1e-6


def population(rng: np.random.Generator) -> np.ndarray:
    countries = 1 / np.arange(1, COUNTRIES + 1) ** 0.8
    cells = rng.dirichlet(np.full(AGES * GENDERS * EDUCATION, 5.0), size=COUNTRIES)
    cells = cells.reshape(COUNTRIES, AGES, GENDERS, EDUCATION)
    return cells * (countries / countries.sum())[:, None, None, None]


def sample(rng: np.random.Generator, truth: np.ndarray, rows: int) -> tuple[np.ndarray, ...]:
    bias = np.ones_like(truth)
    bias *= rng.lognormal(0, 1, COUNTRIES)[:, None, None, None]
    bias *= np.array([1, 4, 3, 2, 1, 0.5])[None, :, None, None]
    bias *= np.array([1, 2])[None, None, :, None]
    bias *= np.array([0.3, 0.7, 1, 3])[None, None, None, :]
    p = (truth * bias).ravel()
    cells = rng.choice(p.size, size=rows, p=p / p.sum())
    return np.unravel_index(cells, truth.shape)


def margins(truth: np.ndarray, country, age, gender, education) -> list[Margin]:
    return [
        Margin("country", country.astype(np.int64), truth.sum(axis=(1, 2, 3))),
        Margin(
            "country x age",
            joint(country, age, AGES),
            truth.sum(axis=(2, 3)).ravel(),
            np.repeat(np.arange(COUNTRIES), AGES),
        ),
        Margin(
            "country x gender",
            joint(country, gender, GENDERS),
            truth.sum(axis=(1, 3)).ravel(),
            np.repeat(np.arange(COUNTRIES), GENDERS),
        ),
        Margin("education", education.astype(np.int64), truth.sum(axis=(0, 1, 2))),
    ]


def pandas_rake(given: list[Margin], targets: list[np.ndarray]) -> tuple[np.ndarray, int]:
    frame = pd.DataFrame({m.name: m.codes for m in given})
    weights = pd.Series(np.ones(len(frame)))
    for iteration in range(1, 201):
        for margin, target in zip(given, targets, strict=True):
            totals = weights.groupby(frame[margin.name]).transform("sum")
            wanted = pd.Series(target[frame[margin.name].to_numpy()]) * weights.sum()
            weights = weights * wanted / totals
        gaps = [
            np.abs(weights.groupby(frame[m.name]).sum().to_numpy() / weights.sum() - t[t > 0]).max()
            for m, t in zip(given, targets, strict=True)
        ]
        if max(gaps) <= TOLERANCE:
            return (weights / weights.mean()).to_numpy(), iteration
    return (weights / weights.mean()).to_numpy(), 200


def ipfn_rake(truth: np.ndarray, codes: tuple[np.ndarray, ...]) -> np.ndarray:
    counts = np.zeros(truth.shape)
    np.add.at(counts, codes, 1)
    whole = truth * len(codes[0])
    aggregates = [
        whole.sum(axis=(1, 2, 3)),
        whole.sum(axis=(2, 3)),
        whole.sum(axis=(1, 3)),
        whole.sum(axis=(0, 1, 2)),
    ]
    fitted = ipfn.ipfn(
        counts, aggregates, [[0], [0, 1], [0, 2], [3]], convergence_rate=TOLERANCE
    ).iteration()
    per_cell = np.divide(fitted, counts, out=np.zeros_like(counts), where=counts > 0)
    weights = per_cell[codes]
    return weights / weights.mean()


def main(rows: int) -> None:
    rng = np.random.default_rng(2020)
    truth = population(rng)
    codes = sample(rng, truth, rows)
    given = [collapse(margin) for margin in margins(truth, *codes)]  # thin cells merged
    ours, ours_s = timed(lambda: rake(given, cap=None, tolerance=TOLERANCE))
    targets, _empty = reachable_targets(given)
    (baseline, passes), baseline_s = timed(lambda: pandas_rake(given, targets))
    peer, peer_s = timed(lambda: ipfn_rake(truth, codes))
    save(
        "raking",
        {
            "machine": machine(),
            "rows": rows,
            "margins": [m.name for m in given],
            "ours_s": round(ours_s, 2),
            "ours_iterations": ours.iterations,
            "ours_converged": ours.converged,
            "empty_cells": {k: len(v) for k, v in ours.empty.items()},
            "pandas_s": round(baseline_s, 2),
            "pandas_iterations": passes,
            "ipfn_table_s": round(peer_s, 2),
            "ratio_pandas_to_ours": round(baseline_s / ours_s, 1),
            "ratio_ipfn_to_ours": round(peer_s / ours_s, 2),
            "max_relative_difference_pandas": float(np.abs(baseline / ours.weights - 1).max()),
            "max_relative_difference_ipfn": float(np.abs(peer / ours.weights - 1).max()),
        },
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000)
