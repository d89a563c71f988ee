"""Two-dimensional map of participants: PCA with missing votes, projection, sparsity scaling.

Missing votes are imputed with the statement's mean vote (as Pol.is does). Centring then
leaves observed entries as (vote - mean) and missing ones as exactly 0, so the centred matrix
is as sparse as the votes and a truncated SVD (scipy `svds`) needs no dense copy.

Positions: each participant's centred votes projected on the two components, scaled by
sqrt(statements / statements voted on), as Pol.is does, so people who voted on little are
not all pulled to the centre. Pol.is keeps moderated-out statements as columns of zeros,
so they count in both (Votes.hidden).
"""

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import svds

from globaldialogue.opinion.votes import Votes


def components(votes: Votes, seed: int) -> tuple[np.ndarray, sparse.csr_matrix]:
    """(2 x statements) components and the centred sparse matrix."""
    values = votes.values
    counts = np.asarray(votes.seen.sum(axis=0)).ravel()
    means = np.asarray(values.sum(axis=0)).ravel() / np.maximum(counts, 1)
    # Centred on the same structure: every vote's value minus its statement's mean.
    centred = votes.view(values.data - means[values.indices])
    n_rows, n_cols = centred.shape
    # Too small, or everyone voted alike (nothing varies: ARPACK cannot start from zero).
    if min(n_rows, n_cols) < 3 or not np.any(centred.data):
        return np.zeros((2, n_cols)), centred
    _u, singular, vt = svds(centred, k=2, random_state=seed)
    order = np.argsort(-singular)
    vt = vt[order]
    # A component's sign is arbitrary; fix it so the same votes give the same map.
    signs = np.sign(vt[np.arange(2), np.abs(vt).argmax(axis=1)])
    return vt * signs[:, None], centred


def positions(votes: Votes, comps: np.ndarray, centred: sparse.csr_matrix) -> np.ndarray:
    projected = centred @ comps.T
    voted = np.asarray(votes.seen.sum(axis=1)).ravel() + votes.hidden
    scale = np.sqrt((votes.shape[1] + votes.hidden) / np.maximum(voted, 1))
    return np.asarray(projected) * scale[:, None]
