"""``AutoGroupCovariance``: discover, select by risk and shrink, inside ``fit``."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._cost import check_seconds, discover_seconds
from .._limits import check_memory
from .._validation import as_group
from ..estimation._base import CovarianceEstimator
from ..estimation._streaming import check_dask_snapshots, is_dask_array, row_subsample
from ..estimation.group_shrinkage import combine, fit_moments, shrink, stream_moments
from ..groups import PermutationGroup
from .candidates import select_from_data
from .selection import CRITERIA, Selection, guard_trivial

__all__ = ["AutoGroupCovariance"]

_SELECTION_ENTRIES = 1 << 21  # rows × M of the subsample a dask X is selected on


def selection_rows(m: int) -> int:
    """Rows of the evenly spaced subsample a group is selected on for a dask ``X``
    (``max(16 M, 2²¹/M)``; the estimate itself uses every row).  Internal API."""
    return max(16 * m, _SELECTION_ENTRIES // m)


class AutoGroupCovariance(CovarianceEstimator):
    """A covariance estimator that finds the symmetry worth using in the data it is fitted to.

    ``fit`` collects candidate groups (blind: the natural-order catalogue, and on each half
    of the data the consistent group of :func:`algdiv.discover`'s search and the symmetries of
    the sample eigenspaces, and with ``criterion="likelihood"`` those of the dominant subspace
    up to the largest eigen-gap, which a strong low-rank part plus noise estimates well from
    few snapshots; with
    ``ambient``: its subgroups) plus the trivial group, and
    selects the one whose risk-optimal combination ``a S + b Φ_H(S) + c (tr S / M) I`` has the
    smallest estimated Frobenius risk (``criterion="risk"``: unbiased in-sample for candidates
    fixed in advance, cross-validated for those found from the data; among those within one
    standard error of the smallest, the one with the fewest pair orbits), or whose group
    average has the best held-out Gaussian likelihood (``criterion="likelihood"``); see
    :mod:`algdiv.discovery.selection`.  The weights are set by
    estimated risk either way (:class:`algdiv.GroupLedoitWolf`).  Blind, the selected group
    is kept only if its estimated gain over the plain shrinkage is significant (a one-sided
    test at family-wise level 5 % over the candidates,
    :func:`~algdiv.discovery.selection.guard_trivial`).  When no symmetry helps, the
    selected group is trivial and the estimate is Ledoit–Wolf-like shrinkage.

    Parameters
    ----------
    ambient : PermutationGroup or str, optional
        Search only its subgroups (e.g. the sensor geometry's symmetries); blind without.
    criterion : {"risk", "likelihood"}, default "risk"
        The selection rule (see :mod:`algdiv.discovery.selection`).  With an ``ambient``,
        ``"likelihood"`` scores each candidate at its best diagonal loading
        (:mod:`algdiv.discovery.heldout`), so that a group whose training-fold average is
        under-determined at a handful of snapshots is not ruled out.
    assume_centered : bool, default False
        ``False``: the mean is estimated and the search and the estimate use the ``n − 1``
        Helmert contrasts (unbiased sample covariance); ``True``: ``S = (1/n) Σ x xᴴ``.
    level : float, default 0.999
        The consistency level of the search (see :func:`algdiv.discover`).
    random_state : int, optional
        Seed of the search's bootstrap (results are reproducible by default).

    Attributes
    ----------
    covariance_, precision_, location_, n_features_in_
        As for the other estimators.
    group_ : PermutationGroup
        The selected group (trivial when symmetry does not help these data).
    shrinkage_ : ndarray (3,)
        The weights of ``S``, ``Φ_H(S)`` and ``(tr S/M) I``.
    risk_ : float
        The held-out relative risk ``E‖Ĉ − R‖²/‖R‖²`` of the selected estimate (fitted on each
        half of the data, scored on the other; see :mod:`algdiv.discovery.selection`).  For
        a ``dask.array`` ``X``: the in-sample estimate from all its rows.
    selection_rows_ : int
        Rows the selection saw (all of them, except for a ``dask.array`` ``X``).
    selection_ : Selection
        The selection with every candidate and its estimated risk (``selection_.table()``).
        For the largest group consistent with the data, with its certificate, run
        :func:`algdiv.discover` (``report.selected`` is this selection).

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv import AutoGroupCovariance, reynolds
    >>> from algdiv.groups import dihedral
    >>> rng = np.random.default_rng(0)
    >>> A = rng.standard_normal((8, 8))
    >>> R = reynolds(A @ A.T, dihedral(8)) + np.eye(8)
    >>> X = rng.standard_normal((64, 8)) @ np.linalg.cholesky(R).T
    >>> est = AutoGroupCovariance(ambient="dihedral(8)").fit(X)
    >>> est.group_.n_pair_orbits < 64          # a non-trivial group was worth using
    True
    """

    selection_: Selection | None
    selection_rows_: int

    def __init__(
        self,
        ambient: PermutationGroup | str | None = None,
        *,
        criterion: str = "risk",
        assume_centered: bool = False,
        level: float = 0.999,
        random_state: int | None = None,
    ):
        self.ambient = ambient
        self.criterion = criterion
        self.assume_centered = assume_centered
        self.level = level
        self.random_state = random_state

    def fit(self, X: ArrayLike, y: Any = None) -> AutoGroupCovariance:
        """Discover, select and fit on the snapshots in the rows of ``X`` (``y`` ignored).

        ``X`` may be a ``dask.array`` chunked by rows, never materialized: the group is
        selected on an evenly spaced subsample of at most ``max(16 M, 2²¹/M)`` rows (one
        pass; :attr:`selection_rows_`), then the weights and the estimate use every row (two
        more passes, one with ``assume_centered=True``; see
        :func:`algdiv.estimation.group_shrinkage.stream_moments`).
        """
        if self.criterion not in CRITERIA:
            raise ValueError(f"criterion must be one of {CRITERIA}, got {self.criterion!r}")
        if is_dask_array(X):
            return self._fit_dask(X)
        Xa = self._check_X(X, reset=True)
        self.selection_rows_ = Xa.shape[0]
        return self._fit_selected(Xa)

    def _fit_dask(self, X: Any) -> AutoGroupCovariance:
        X = check_dask_snapshots(X, "X")
        m = X.shape[1]
        sub = self._check_X(row_subsample(X, selection_rows(m))[0], reset=True)
        self.selection_rows_ = sub.shape[0]
        self._fit_selected(sub)
        selection: Selection | None = self.selection_
        if selection is None:  # too few rows to select: the subsample is everything
            return self
        location, moments = stream_moments(X, [self.group_], self.assume_centered)
        if moments is None or moments.n < 2:
            return self
        self.location_ = location
        self.shrinkage_, self.risk_, cov = shrink(moments, self.group_, m, location.dtype)
        self._set_covariance(cov)
        return self

    def _fit_selected(self, X: NDArray[Any]) -> AutoGroupCovariance:
        m = X.shape[1]
        # the search holds a few dozen M x M arrays (labels, projections, eigenvectors)
        check_memory(8.0 * m * m * 64, f"AutoGroupCovariance on {m} points")
        ambient = None if self.ambient is None else as_group(self.ambient, "ambient", degree=m)
        if ambient is None:  # the blind candidates come from discover's search: time ~ M^3
            check_seconds(discover_seconds(X.shape[0], m),
                          f"discovery on {X.shape[0]} snapshot(s) of {m} points")
        location, moments = fit_moments(X, self.assume_centered)
        self.location_ = location
        if moments is None:  # one snapshot and an estimated mean: nothing is left
            self.group_ = PermutationGroup([], m)
            self.shrinkage_ = np.array([0.0, 0.0, 1.0])
            self.risk_ = float("nan")
            self.selection_ = None
            self._set_covariance(np.zeros((m, m), dtype=X.dtype))
            return self
        if not (0 < self.level < 1):
            raise ValueError(f"level must be in (0, 1), got {self.level!r}")
        z = moments.z
        if z is None:  # fit_moments keeps the centred snapshots of in-memory data
            raise RuntimeError("in-memory moments without their snapshots")
        complex_data = bool(np.iscomplexobj(z) and np.any(z.imag != 0))
        if not complex_data:
            z = z.real
        rng = np.random.default_rng(0 if self.random_state is None else self.random_state)
        sel = select_from_data(
            z, ambient, complex_data, self.level, 100, rng, self.criterion, moments
        )
        if ambient is None:  # a blind search's gain must be significant (guard_trivial)
            sel = guard_trivial(sel, moments)
        self.selection_ = sel
        self.group_ = sel.group
        self.shrinkage_ = sel.weights
        self.risk_ = float(sel.heldout_risk if sel.heldout_risk is not None else sel.risk)
        self._set_covariance(combine(moments.S, sel.group, sel.weights))
        return self
