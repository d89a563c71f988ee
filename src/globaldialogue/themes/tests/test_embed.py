"""Embedding in worker processes gives what embedding here gives, in order, with progress."""

import numpy as np

from globaldialogue.themes.embed import embed
from globaldialogue.themes.tests.planted import planted_answers


def test_workers_embed_as_this_process_does():
    texts = planted_answers()[0] * 30  # 2,520 answers: two batches a worker
    calls = []
    here = embed(texts, processes=1)
    in_workers = embed(
        texts,
        processes=2,
        in_process_below=100,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert in_workers.shape == (len(texts), 512)
    np.testing.assert_allclose(in_workers, here, atol=1e-5)
    assert calls[-1] == (len(texts), len(texts)) and len(calls) == 2
