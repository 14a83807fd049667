"""The covariance averaged over the cells of a coherent configuration (beyond groups).

The analogues of :class:`~algdiv.estimation.GroupCovariance` and
:class:`~algdiv.GroupLedoitWolf` when the structure of the covariance is a coherent
configuration that no group explains (a non-Schurian association scheme): every entry of the
sample covariance is replaced by the mean over its cell, or shrunk toward that average and the
scaled identity with weights chosen by estimated risk.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..coherent import CoherentConfiguration, coherent_closure
from ..groups import PermutationGroup
from ._base import CovarianceEstimator
from .averaging import _sample_covariance
from .group_shrinkage import fit_moments, shrink

__all__ = ["SchemeCovariance", "SchemeLedoitWolf", "resolve_scheme"]


def resolve_scheme(scheme: Any, n_features: int, name: str = "scheme") -> CoherentConfiguration:
    """A :class:`~algdiv.coherent.CoherentConfiguration` on ``n_features`` points.

    From a configuration, a permutation group (its pair orbits), or a matrix or integer
    pattern (its coherent closure).

    Examples
    --------
    >>> import numpy as np
    >>> resolve_scheme(np.eye(3, dtype=int), 3).rank
    2
    """
    if isinstance(scheme, PermutationGroup):
        cc = CoherentConfiguration.from_group(scheme)
    elif isinstance(scheme, CoherentConfiguration):
        cc = scheme
    elif isinstance(scheme, (np.ndarray, list, tuple)):
        cc = coherent_closure(scheme)
    else:
        raise TypeError(
            f"{name} must be a CoherentConfiguration, a PermutationGroup or an (M, M) pattern "
            f"(array), got {type(scheme).__name__}"
        )
    if cc.degree != n_features:
        raise ValueError(
            f"{name} has {cc.degree} points but the data have {n_features} features"
        )
    return cc


def _fibre_mean(mu: NDArray[Any], cc: CoherentConfiguration) -> NDArray[Any]:
    """Average a mean vector over each fibre (the algebra's analogue of point orbits)."""
    f = cc.fibres
    k = cc.n_fibres
    counts = np.bincount(f, minlength=k)
    means: NDArray[Any] = np.bincount(f, weights=mu.real, minlength=k) / counts
    if np.iscomplexobj(mu):
        means = means + 1j * (np.bincount(f, weights=mu.imag, minlength=k) / counts)
    return np.asarray(means[f], dtype=mu.dtype)


class SchemeCovariance(CovarianceEstimator):
    """The sample covariance averaged over the cells of a coherent configuration.

    ``Ĉ = Φ_𝒞(S)``: each entry of ``S`` replaced by the mean of ``S`` over its cell, the
    orthogonal projection onto the coherent algebra (the Reynolds projection when the
    configuration is a group's pair orbits). It keeps ``S`` Hermitian and positive
    semi-definite and has ``rank`` free parameters instead of ``M²``: when the covariance
    is constant on the cells of a non-Schurian scheme, fewer than any group average can
    use, and a smaller risk (for ``R = I`` the Frobenius risk is proportional to the number
    of cells).

    Parameters
    ----------
    scheme : CoherentConfiguration, PermutationGroup or array_like (M, M)
        The configuration; a group stands for its pair orbits, a matrix or integer pattern
        (e.g. a graph's adjacency matrix) for its coherent closure (computed at fit).
    assume_centered : bool, default False
        As in scikit-learn: ``False`` removes the mean first, averaged over each fibre
        (the diagonal cells, which play the role of point orbits).

    Attributes
    ----------
    covariance_ : ndarray (M, M)
    precision_ : ndarray (M, M)
    location_ : ndarray (M,)
    scheme_ : CoherentConfiguration
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv import SchemeCovariance
    >>> pts = [(a, b) for a in range(4) for b in range(4)]
    >>> steps = {(1, 0), (3, 0), (0, 1), (0, 3), (1, 1), (3, 3)}
    >>> A = np.array([[((p[0] - q[0]) % 4, (p[1] - q[1]) % 4) in steps
    ...                for q in pts] for p in pts]).astype(int)   # the Shrikhande graph
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((5, 16))
    >>> est = SchemeCovariance(A, assume_centered=True).fit(X)
    >>> est.scheme_.rank, len(np.unique(est.covariance_.round(12)))
    (3, 3)
    """

    def __init__(
        self, scheme: CoherentConfiguration | PermutationGroup | ArrayLike, *,
        assume_centered: bool = False,
    ) -> None:
        self.scheme = scheme
        self.assume_centered = assume_centered

    def _location(self, X: NDArray[Any]) -> NDArray[Any]:
        return _fibre_mean(X.mean(axis=0), self.scheme_)

    def fit(self, X: ArrayLike, y: Any = None) -> SchemeCovariance:
        """Fit to the snapshots in the rows of ``X`` (``y`` is ignored); returns ``self``."""
        X = self._check_X(X, reset=True)
        self.scheme_ = resolve_scheme(self.scheme, X.shape[1])
        super().fit(X, y)
        return self

    def _estimate(self, X: NDArray[Any]) -> NDArray[Any]:
        return self.scheme_.project(_sample_covariance(X, True))


class _Cells:
    """A configuration seen through the pair-orbit interface of the risk estimates (internal):
    the cells play the pair orbits, so :class:`~algdiv.estimation.risk.SnapshotMoments` and
    ``combine`` compute ``Φ_𝒞`` and its unbiased risk unchanged (the identity lies in every
    coherent algebra, so the nested-projection algebra of the weights holds)."""

    def __init__(self, cc: CoherentConfiguration) -> None:
        self.cc = cc
        self.degree = cc.degree
        self.n_pair_orbits = cc.rank

    def pair_orbits(self) -> NDArray[Any]:
        return self.cc.cells

    def pair_orbit_sizes(self) -> NDArray[Any]:
        return self.cc.cell_sizes


class SchemeLedoitWolf(CovarianceEstimator):
    """Shrinkage toward the scheme average and the scaled identity, weights by estimated risk.

    ``covariance_ = a S + b Φ_𝒞(S) + c (tr S / M) I`` with ``a, b, c >= 0``, ``a + b + c = 1``
    minimizing the unbiased estimate of ``E‖Ĉ − R‖_F²``: exactly
    :class:`algdiv.GroupLedoitWolf` with the cells of a coherent configuration in place of
    pair orbits (for a group's orbital configuration the two agree). With an exact scheme
    structure it approaches the scheme average; without, Ledoit–Wolf-like shrinkage.

    Parameters
    ----------
    scheme : CoherentConfiguration, PermutationGroup or array_like (M, M)
        As in :class:`SchemeCovariance`.
    assume_centered : bool, default False
        ``False``: the mean is estimated and ``S`` is the unbiased sample covariance (from
        Helmert contrasts); ``True``: ``S = (1/n) Σ x xᴴ``.

    Attributes
    ----------
    covariance_, precision_, location_ : ndarray
    scheme_ : CoherentConfiguration
    shrinkage_ : ndarray (3,)
        The weights ``(a, b, c)``; ``(0, 1, 0)`` with fewer than two (centred) snapshots.
    risk_ : float
        Estimated relative risk ``E‖Ĉ − R‖²/‖R‖²`` of the fitted weights (``nan`` without one).
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.estimation import SchemeLedoitWolf
    >>> pts = [(a, b) for a in range(4) for b in range(4)]
    >>> steps = {(1, 0), (3, 0), (0, 1), (0, 3), (1, 1), (3, 3)}
    >>> A = np.array([[((p[0] - q[0]) % 4, (p[1] - q[1]) % 4) in steps
    ...                for q in pts] for p in pts]).astype(int)   # the Shrikhande graph
    >>> R = np.eye(16) + 0.3 * A
    >>> X = np.random.default_rng(0).standard_normal((6, 16)) @ np.linalg.cholesky(R).T
    >>> est = SchemeLedoitWolf(A, assume_centered=True).fit(X)
    >>> bool(est.shrinkage_[1] > 0.5), round(float(est.shrinkage_.sum()), 12)
    (True, 1.0)
    """

    def __init__(
        self, scheme: CoherentConfiguration | PermutationGroup | ArrayLike, *,
        assume_centered: bool = False,
    ) -> None:
        self.scheme = scheme
        self.assume_centered = assume_centered

    def fit(self, X: ArrayLike, y: Any = None) -> SchemeLedoitWolf:
        """Fit to the snapshots in the rows of ``X`` (real or complex; ``y`` ignored)."""
        X = self._check_X(X, reset=True)
        self.scheme_ = resolve_scheme(self.scheme, X.shape[1])
        cells: Any = _Cells(self.scheme_)  # duck-typed pair orbits for the risk machinery
        location, moments = fit_moments(X, self.assume_centered)
        self.location_ = location
        self.shrinkage_, self.risk_, cov = shrink(moments, cells, X.shape[1], X.dtype)
        self._set_covariance(cov)
        return self
