"""Ledoit–Wolf-like shrinkage with the group average as a second target (ours).

``Ĉ = a S + b Φ_G(S) + c (tr S / M) I`` with the convex weights that minimize the unbiased
Frobenius risk estimate of :mod:`algdiv.estimation.risk`.  With ``b = 0`` it is shrinkage toward
the scaled identity like scikit-learn's ``LedoitWolf``; when the data are ``G``-invariant ``b``
takes most of the weight and the estimate inherits the group average's ``d_eff``-fold
variance reduction.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._limits import check_memory
from ..commutant import project_unchecked
from ..groups import PermutationGroup
from ._base import CovarianceEstimator, resolve_group
from ._streaming import check_dask_snapshots, is_dask_array
from .risk import SnapshotMoments, _helmert

__all__ = ["GroupLedoitWolf", "combine", "shrink"]


def combine(S: NDArray[Any], G: PermutationGroup, weights: NDArray[np.float64]) -> NDArray[Any]:
    """``a S + b Φ_G(S) + c (tr S / M) I`` for ``weights = (a, b, c)`` (internal API)."""
    a, b, c = (float(v) for v in weights)
    m = S.shape[0]
    out = a * S + b * project_unchecked(S, G)
    out[np.diag_indices(m)] += c * np.trace(S).real / m
    return out


def fit_moments(X: NDArray[Any], assume_centered: bool) -> tuple[NDArray[Any], SnapshotMoments | None]:
    """Location and the snapshot moments behind the estimate (``None`` without a snapshot).

    ``assume_centered=False`` uses the ``n − 1`` Helmert contrasts (the unbiased sample
    covariance); with a single snapshot there is nothing left and ``None`` is returned.
    Computed in double precision whatever the input's precision (fourth moments lose too
    much in single).
    """
    X = X.astype(np.result_type(X.dtype, np.float64), copy=False)
    m = X.shape[1]
    # S, its projections and one batch of snapshot outer products (at least one M x M)
    check_memory(16.0 * m * m * 6, f"the snapshot moments on {m} points")
    if assume_centered:
        return np.zeros(X.shape[1], dtype=X.dtype), SnapshotMoments(X)
    location = X.mean(axis=0)
    if X.shape[0] < 2:
        return location, None
    return location, SnapshotMoments(_helmert(X))


def shrink(
    moments: SnapshotMoments | None, G: Any, m: int, dtype: Any
) -> tuple[NDArray[np.float64], float, NDArray[Any]]:
    """``(weights, relative risk, estimate)`` of the risk-optimal ``a S + b Φ_G(S) + c (tr S/M) I``.

    ``G`` is a group, or anything with its pair-orbit interface (the cells of a coherent
    configuration).  Below two snapshots there is no risk to estimate: the group average
    alone (the scaled identity for the trivial group).  Internal API shared by the
    estimators that shrink toward a projection.
    """
    if moments is None or moments.n < 2:
        trivial = G.n_pair_orbits == m * m
        w = np.array([0.0, 0.0, 1.0]) if trivial else np.array([0.0, 1.0, 0.0])
        S = moments.S if moments is not None else np.zeros((m, m), dtype=dtype)
        return w, float("nan"), combine(S, G, w)
    w, r = moments.combination(G)
    norm2 = moments.full[0] - moments.full[1]
    return w, float(r / norm2) if norm2 > 0 else float("nan"), combine(moments.S, G, w)


def stream_moments(
    X: Any, groups: list[PermutationGroup], assume_centered: bool
) -> tuple[NDArray[Any], SnapshotMoments | None]:
    """:func:`fit_moments` for a ``dask.array`` ``X`` chunked by rows, for these groups only.

    Blockwise: one pass for the mean (unless ``assume_centered``), one for ``Σ z zᴴ``,
    ``Σ ‖z‖⁴`` and every group's ``Σ ‖Φ_G(z zᴴ)‖²``; ``X`` is never materialized.  With an
    estimated mean the ``n`` centred rows stand for ``n − 1`` snapshots, as the Helmert
    contrasts do: the second moments exactly, the fourth moments (rescaled by ``(n − 1)/n``)
    up to ``O(1/n)``.  Internal API.
    """
    from ._streaming import column_sums, risk_moments

    X = X.astype(np.result_type(X.dtype, np.float64))
    m = X.shape[1]
    check_memory(16.0 * m * m * (6 + len(groups)), f"the streamed moments on {m} points")
    location = np.zeros(m, dtype=X.dtype)
    shift = None
    if not assume_centered:
        n, total = column_sums(X)
        location = total / n
        shift = location
    cands = [G for G in groups if G.n_pair_orbits < m * m]
    labelled = [(np.asarray(G.pair_orbits()), np.asarray(G.pair_orbit_sizes())) for G in cands]
    n, sum_outer, norm4, qs = risk_moments(X, labelled, shift=shift)
    n_eff = n if assume_centered else n - 1
    if n_eff < 1:
        return location, None
    scale = n_eff / n
    energy = {lab.tobytes(): float(q.sum()) * scale for (lab, _), q in zip(labelled, qs)}
    moments = SnapshotMoments.from_sums(n_eff, sum_outer, norm4 * scale, energy)
    return location, moments


class GroupLedoitWolf(CovarianceEstimator):
    """Shrinkage toward the group average and the scaled identity, weights by estimated risk.

    ``covariance_ = a S + b Φ_G(S) + c (tr S / M) I`` with ``a, b, c >= 0``,
    ``a + b + c = 1`` minimizing the unbiased estimate of ``E‖Ĉ − R‖_F²`` (a 3 × 3
    quadratic program in closed form; see :mod:`algdiv.estimation.risk`).  With no
    symmetry in the data it falls back to Ledoit–Wolf-like shrinkage; with an exact symmetry
    it approaches the group average.

    Parameters
    ----------
    group : PermutationGroup, str, default "cyclic"
        A group on ``n_features`` points, group text or a family name (see
        :class:`algdiv.GroupCovariance`).
    assume_centered : bool, default False
        ``False``: the mean is estimated and ``S`` is the unbiased sample covariance (divisor
        ``n − 1``, from Helmert contrasts); ``True``: ``S = (1/n) Σ x xᴴ``.

    Attributes
    ----------
    covariance_ : ndarray (M, M)
    precision_ : ndarray (M, M)
    location_ : ndarray (M,)
    group_ : PermutationGroup
    shrinkage_ : ndarray (3,)
        The weights ``(a, b, c)`` of ``S``, ``Φ_G(S)`` and ``(tr S/M) I``.  With fewer than two
        (centred) snapshots no variance can be estimated: ``(0, 1, 0)`` for a non-trivial
        group (the one-snapshot group average), ``(0, 0, 1)`` for the trivial one.
    risk_ : float
        Estimated relative risk ``E‖Ĉ − R‖²/‖R‖²`` of the fitted weights (``nan`` without
        an estimate).
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv import GroupLedoitWolf
    >>> from algdiv.groups import cyclic
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((12, 8))          # white noise: invariant under every group
    >>> est = GroupLedoitWolf(cyclic(8)).fit(X)
    >>> bool(est.shrinkage_[0] < 0.5), round(float(est.shrinkage_.sum()), 12)
    (True, 1.0)
    """

    def __init__(self, group: PermutationGroup | str = "cyclic", *, assume_centered: bool = False):
        self.group = group
        self.assume_centered = assume_centered

    def fit(self, X: ArrayLike, y: Any = None) -> GroupLedoitWolf:
        """Fit to the snapshots in the rows of ``X`` (real or complex; ``y`` ignored).

        ``X`` may be a ``dask.array`` chunked by rows: it is then read blockwise in two
        passes (one with ``assume_centered=True``) and never materialized.
        """
        if is_dask_array(X):
            Xd = check_dask_snapshots(X, "X")
            m = int(Xd.shape[1])
            self.n_features_in_ = m
            self.group_ = resolve_group(self.group, m)
            location, moments = stream_moments(Xd, [self.group_], self.assume_centered)
        else:
            Xa = self._check_X(X, reset=True)
            m = Xa.shape[1]
            self.group_ = resolve_group(self.group, m)
            location, moments = fit_moments(Xa, self.assume_centered)
        self.location_ = location
        self.shrinkage_, self.risk_, cov = shrink(moments, self.group_, m, location.dtype)
        self._set_covariance(cov)
        return self
