"""Held-out likelihood choice among groups that does not degenerate at a handful of snapshots.

The held-out Gaussian likelihood of a group average ``Φ_H(S_train)`` (see
:func:`algdiv.select_group`) judges the estimate from the *training* folds, and at a handful of
snapshots that estimate can be singular or nearly so although the one from all ``n`` snapshots
is not.  In the matched basis ``Φ_H(S)`` is block diagonal, one ``m_ρ × m_ρ`` block per
irreducible representation ``ρ`` of ``H`` (``m_ρ`` its multiplicity, ``d_ρ`` its dimension),
each estimated from ``n d_ρ`` vectors; for complex Gaussian data the expected Stein loss of a
block is ``m_ρ N / (N − m_ρ)`` with ``N = n d_ρ``, infinite for ``N <= m_ρ``.  A group whose
average is right but has a block of multiplicity ``m_ρ >= n_train`` (the trivial block of a
group with three point orbits, from three training snapshots) then loses to a larger, wrong
group whose blocks are small: twelve 30 dB jammers on a 48-sensor circle, ``D_12`` against
``D_24`` at three and four snapshots, where the wrong group's phantom jammers cost 20 dB of
beamformer output.

**The choice (ours).**  Each candidate's training estimate is scored with its best loading:
``min_α Σ_folds NLL(S_test; Φ_H(S_train) + α (tr S_train / M) I)`` over
``α ∈ {0} ∪ {10⁻⁷ … 1}`` (29 log-spaced values; one ``α`` per candidate, shared by its folds).
Every candidate gets the same one extra parameter, so the comparison stays fair; the loading
caps what an under-determined block costs (its small eigenvalues are lifted to the noise
floor), while a wrong group's bias (variance put where the held-out data have none) is still
paid in full.  Among the candidates whose score is within one standard error of the best
(the standard error of the per-fold score difference), the one with the fewest pair orbits is
taken (the one-standard-error rule: many small, unbiased subgroups compete, and the best of
their noisy scores is biased low).  On the 48-sensor circle (24 trials) this picks ``D_12``
in every trial from three snapshots on, where the plain likelihood picked it in none at three
and 19 at four; on a 16-sensor circle with four jammers (40 trials) it picks ``D_4`` in 38 at
four and five snapshots and in 39 or 40 from six on (the plain likelihood: 40 from five on).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..commutant import project_unchecked
from ..groups import PermutationGroup

__all__ = ["LOADINGS", "LoadedChoice", "loaded_likelihood_choice"]

#: Relative loadings ``α`` (times ``tr S_train / M``) each candidate is scored with.
LOADINGS = np.concatenate([[0.0], 10.0 ** np.linspace(-7.0, 0.0, 29)])


@dataclass(frozen=True)
class LoadedChoice:
    """What :func:`loaded_likelihood_choice` found.

    Attributes
    ----------
    index : int
        The chosen candidate.
    scores : ndarray (n_candidates,)
        Held-out negative log-likelihood per snapshot (complex normalization, up to a
        constant) at each candidate's best loading; ``inf`` when singular at every loading.
    loadings : ndarray (n_candidates,)
        The best ``α`` of each candidate.
    standard_errors : ndarray (n_candidates,)
        Standard error of each score minus the best (``nan`` with one fold or an infinite
        score).
    """

    index: int
    scores: NDArray[np.float64]
    loadings: NDArray[np.float64]
    standard_errors: NDArray[np.float64] = field(repr=False)


def loaded_likelihood_choice(
    z: NDArray[Any], groups: Sequence[PermutationGroup], cv: int
) -> LoadedChoice:
    """Choose among ``groups`` by loaded held-out likelihood and one standard error (internal API).

    ``z``: centred snapshots in rows (at least 2); ``cv``: contiguous folds (at most ``n``).
    See the module notes.

    >>> import numpy as np
    >>> from algdiv.groups import cyclic, trivial
    >>> rng = np.random.default_rng(0)
    >>> z = rng.standard_normal((40, 6))            # white: every shift is a symmetry
    >>> groups = [trivial(6), cyclic(6)]
    >>> loaded_likelihood_choice(z, groups, 5).index
    1
    """
    n, m = z.shape
    folds = np.array_split(np.arange(n), min(int(cv), n))
    k = len(folds)
    per_fold = np.zeros((len(groups), k, LOADINGS.size))
    for f, test in enumerate(folds):
        train = np.setdiff1d(np.arange(n), test)
        s_tr = z[train].T @ z[train].conj() / train.size
        s_te = z[test].T @ z[test].conj() / test.size
        s_tr, s_te = (s_tr + s_tr.conj().T) / 2, (s_te + s_te.conj().T) / 2
        scale = max(float(np.real(np.trace(s_tr))) / m, np.finfo(float).tiny)
        lam = LOADINGS * scale
        for c, G in enumerate(groups):
            w, v = np.linalg.eigh(project_unchecked(s_tr, G))
            q = np.real(np.einsum("ia,ij,ja->a", v.conj(), s_te, v))
            W = w[None, :] + lam[:, None]
            singular = W.min(axis=1) <= 1e-12 * np.maximum(W.max(axis=1), np.finfo(float).tiny)
            with np.errstate(divide="ignore", invalid="ignore"):
                nll = np.sum(np.log(np.abs(W)), axis=1) + np.sum(q[None, :] / W, axis=1)
            nll[singular] = np.inf
            per_fold[c, f] = nll * test.size / n
    total = per_fold.sum(axis=1)
    best_alpha = np.argmin(total, axis=1)
    rows = np.arange(len(groups))
    scores = total[rows, best_alpha]
    chosen = per_fold[rows, :, best_alpha]  # (candidates, folds) at each one's loading
    b = int(np.argmin(scores))
    se = np.full(len(groups), np.nan)
    if not np.isfinite(scores[b]):
        return LoadedChoice(b, scores, LOADINGS[best_alpha], se)
    finite = np.isfinite(scores)
    if k > 1:
        with np.errstate(invalid="ignore"):
            diff = (chosen[finite] - chosen[b]) * k  # per-fold differences of the mean
            se[finite] = np.std(diff, axis=1, ddof=1) / np.sqrt(k)
    tol = 1e-9 * max(abs(float(scores[b])), 1.0)
    within = [
        int(c) for c in np.flatnonzero(finite)
        if scores[c] <= scores[b] + max(tol, se[c] if np.isfinite(se[c]) else 0.0)
    ]
    index = min(within, key=lambda c: (groups[c].n_pair_orbits, float(scores[c]), c))
    return LoadedChoice(int(index), scores, LOADINGS[best_alpha], se)
