"""The covariance averaged over the cells of a coherent configuration (beyond groups).

The analogue of :class:`~algdiv.estimation.GroupCovariance` when the structure of the
covariance is a coherent configuration that no group explains (a non-Schurian association
scheme): every entry of the sample covariance is replaced by the mean over its cell.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..coherent import CoherentConfiguration, coherent_closure
from ..groups import PermutationGroup
from ._base import CovarianceEstimator
from .averaging import _sample_covariance

__all__ = ["SchemeCovariance", "resolve_scheme"]


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
