"""Multi-way snapshots: separable (Kronecker) covariances, group averaging per mode.

Snapshots shaped ``(n, M1, M2)`` or ``(n, M1, M2, M3)`` (space × time, image rows ×
columns, sensors × subcarriers) are vectorized row-major: the entry ``(i1, i2)`` is the
coordinate ``i1·M2 + i2`` (the index convention of :func:`algdiv.groups.direct_product`
and :func:`algdiv.transforms.kron`), so a separable covariance is
``R = A1 ⊗ A2 [⊗ A3]`` with ``A_m`` the ``M_m × M_m`` covariance of mode ``m``.

The Gaussian log-likelihood of ``R = A1 ⊗ … ⊗ Ak`` (centred data, ``N = Π M_m``) is, for
complex circular data (real data: halve it and use ``2π``)::

    ℓ = −n Σ_m (N / M_m) log det A_m − Σ_t x_tᴴ (A1⁻¹ ⊗ … ⊗ Ak⁻¹) x_t − n N log π.

With every factor but ``A_m`` fixed, ``ℓ`` is a Wishart likelihood in ``A_m`` whose
"sample covariance" is the *conditional scatter*

    T_m = (M_m / (n N)) Σ_t Z_t,(m) Z_t,(m)ᴴ,   Z_t = X_t ×_{o≠m} A_o^{-1/2}

(``×_o`` the mode-``o`` product, ``Z_(m)`` the mode-``m`` unfolding), so its maximizer is
``T_m``: the flip-flop algorithm alternates these steps.  Inside the commutant of a group
``G_m`` per mode the step becomes ``A_m = Φ_{G_m}(T_m)``: because ``Φ`` is the orthogonal
projection for ``⟨A, B⟩ = tr(Aᴴ B)`` and ``A_m⁻¹`` lies in ``C(G_m)`` whenever ``A_m``
does, ``tr(A_m⁻¹ T_m) = tr(A_m⁻¹ Φ(T_m))`` on ``C(G_m)``, so the constrained
conditional problem is the unconstrained one with ``T_m`` replaced by ``Φ(T_m)``, whose
maximizer ``Φ(T_m)`` lies in ``C(G_m)``.  The projected flip-flop is therefore block
coordinate ascent of ``ℓ`` over ``C(G_1) ⊗ … ⊗ C(G_k)``: ``ℓ`` never decreases, and a
fixed point satisfies the likelihood equations restricted to that set.

Estimators take ``X`` of shape ``(n, M1, …, Mk)`` (``shape`` inferred) or ``(n, M1·…·Mk)``
with ``shape=(M1, …, Mk)``; ``covariance_`` is the ``N × N`` matrix, ``factors_`` the
list of ``A_m`` (scale fixed by ``tr A_m = M_m`` for ``m ≥ 2``, the first factor carries
it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_int, is_int
from ..commutant import project_unchecked
from ..groups import PermutationGroup, direct_product
from ._base import CovarianceEstimator, resolve_group
from ._streaming import is_dask_array

__all__ = [
    "as_multiway",
    "flip_flop",
    "SeparableCovariance",
    "KroneckerGroupCovariance",
    "eigentensor_transform",
    "modewise",
]

_EIG_RTOL = 1e-12  # eigenvalues below this (relative) count as zero in A^{-1/2}


def _check_shape(shape: object, name: str = "shape") -> tuple[int, ...]:
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence):
        raise TypeError(
            f"{name} must be a sequence of 2 or 3 mode sizes such as (8, 8), "
            f"got {type(shape).__name__}"
        )
    dims = tuple(shape)
    if len(dims) not in (2, 3) or not all(is_int(d) for d in dims):
        raise ValueError(f"{name} must hold 2 or 3 integer mode sizes, got {shape!r}")
    out = tuple(int(d) for d in dims)
    if min(out) < 1:
        raise ValueError(f"{name} must hold positive mode sizes, got {out}")
    return out


def as_multiway(
    X: ArrayLike, shape: Sequence[int] | None = None, name: str = "X"
) -> tuple[NDArray[Any], tuple[int, ...]]:
    """Validate multi-way snapshots: ``(X as (n, M1, …, Mk), (M1, …, Mk))``, ``k`` = 2 or 3.

    ``X`` is ``(n, M1, …, Mk)`` (then ``shape``, if given, must agree) or
    ``(n, M1·…·Mk)`` with ``shape``; real or complex, finite.  Integers become floats.
    The result is a new array (``X`` is never modified).

    Raises
    ------
    ValueError
        If the number of dimensions, the sizes or ``shape`` do not fit, ``X`` is empty or
        holds NaN/inf.
    TypeError
        If ``X`` is not numeric or ``shape`` is not a sequence.

    Examples
    --------
    >>> import numpy as np
    >>> Y, dims = as_multiway(np.zeros((5, 12)), shape=(3, 4))
    >>> Y.shape, dims
    ((5, 3, 4), (3, 4))
    >>> as_multiway(np.zeros((5, 3, 4)))[1]
    (3, 4)
    """
    try:
        arr = np.array(X)
    except Exception as exc:
        raise ValueError(f"{name} could not be read as an array: {exc}") from None
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
    dims = None if shape is None else _check_shape(shape)
    if arr.ndim in (3, 4):
        if dims is not None and tuple(arr.shape[1:]) != dims:
            raise ValueError(
                f"{name} has mode sizes {tuple(arr.shape[1:])} but shape={dims} was given"
            )
        dims = tuple(int(d) for d in arr.shape[1:])
    elif arr.ndim == 2:
        if dims is None:
            raise ValueError(
                f"{name} of shape {arr.shape} is 2-D: pass shape=(M1, M2[, M3]) with "
                f"M1·M2[·M3] = {arr.shape[1]}, or X shaped (n, M1, M2[, M3])"
            )
        if int(np.prod(dims)) != arr.shape[1]:
            raise ValueError(
                f"shape={dims} has {int(np.prod(dims))} entries but {name} has "
                f"{arr.shape[1]} columns"
            )
    else:
        raise ValueError(
            f"{name} must be (n, M1, M2), (n, M1, M2, M3) or (n, M1·M2[·M3]) with shape=; "
            f"got a {arr.ndim}-D array of shape {arr.shape}"
        )
    if arr.shape[0] < 1 or arr.size == 0:
        raise ValueError(f"{name} is empty: shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinity")
    if not np.issubdtype(arr.dtype, np.inexact):
        arr = arr.astype(float)
    return arr.reshape((arr.shape[0], *dims)), dims


def _inv_sqrt(A: NDArray[Any]) -> NDArray[Any]:
    """Hermitian ``A^{-1/2}`` (pseudo-inverse square root below a relative floor)."""
    w, V = np.linalg.eigh(A)
    top = max(float(w[-1]), np.finfo(float).tiny)
    inv = np.where(w > _EIG_RTOL * top, 1.0 / np.sqrt(np.maximum(w, top * _EIG_RTOL)), 0.0)
    out: NDArray[Any] = (V * inv) @ V.conj().T
    return out


def _mode_multiply(Y: NDArray[Any], W: NDArray[Any], axis: int) -> NDArray[Any]:
    """``Y ×_axis W``: ``W`` applied to every fibre along ``axis``."""
    out: NDArray[Any] = np.moveaxis(np.tensordot(W, Y, axes=(1, axis)), 0, axis)
    return out


def _scatter(Y: NDArray[Any], factors: list[NDArray[Any]], m: int) -> NDArray[Any]:
    """The conditional scatter ``T_m`` of mode ``m`` given the other factors."""
    Z = Y
    for o, A in enumerate(factors):
        if o != m:
            Z = _mode_multiply(Z, _inv_sqrt(A), o + 1)
    Zm = np.moveaxis(Z, m + 1, 0).reshape(Y.shape[m + 1], -1)
    T: NDArray[Any] = Zm @ Zm.conj().T / Zm.shape[1]
    out: NDArray[Any] = (T + T.conj().T) / 2
    return out


def _kron_all(factors: Sequence[NDArray[Any]]) -> NDArray[Any]:
    out = factors[0]
    for A in factors[1:]:
        out = np.kron(out, A)
    return out


def flip_flop(
    X: ArrayLike,
    shape: Sequence[int] | None = None,
    groups: Sequence[PermutationGroup | None] | None = None,
    *,
    max_iter: int = 100,
    tol: float = 1e-8,
) -> tuple[list[NDArray[Any]], int, bool]:
    """Kronecker maximum likelihood by flip-flop, optionally inside a commutant per mode.

    Iterates ``A_m ← Φ_{G_m}(T_m)`` (``T_m`` the conditional scatter, see the module
    docstring; ``Φ`` the identity for ``G_m = None``) over the modes from identity
    factors, then rescales to ``tr A_m = M_m`` for ``m ≥ 2``.  Stops when the relative
    Frobenius change of ``A1 ⊗ … ⊗ Ak`` (measured factor-wise) falls below ``tol``.  The
    data are taken as centred.

    Parameters
    ----------
    X : array_like, shape (n, M1, M2[, M3]) or (n, M1·M2[·M3])
    shape : sequence of int, optional
        The mode sizes (needed for 2-D ``X``).
    groups : sequence of PermutationGroup or None, optional
        One group (or ``None``) per mode, on ``M_m`` points.
    max_iter : int, default 100
    tol : float, default 1e-8

    Returns
    -------
    factors : list of ndarray
    n_iter : int
    converged : bool

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> A, B = np.diag([1.0, 4.0]), np.array([[2.0, 1.0, 0], [1.0, 2.0, 0], [0, 0, 1.0]])
    >>> L = np.linalg.cholesky(np.kron(A, B))
    >>> X = rng.standard_normal((20000, 6)) @ L.T
    >>> (Ahat, Bhat), n_iter, ok = flip_flop(X, shape=(2, 3))
    >>> ok, np.allclose(np.kron(Ahat, Bhat), np.kron(A, B), atol=0.25)
    (True, True)
    """
    Y, dims = as_multiway(X, shape)
    max_iter = as_int(max_iter, "max_iter", minimum=1)
    if not (isinstance(tol, (int, float)) and tol >= 0):
        raise ValueError(f"tol must be a non-negative number, got {tol!r}")
    gs = _check_groups(groups, dims)
    return _flip_flop(Y, gs, max_iter, float(tol))


def _resolve_mode(g: Any, d: int, m: int) -> Any:
    from ..transforms import CommutantAlgebra

    if g is None:
        return None
    if isinstance(g, CommutantAlgebra):
        if g.degree != d:
            raise ValueError(f"groups[{m}] acts on {g.degree} points but mode {m} has size {d}")
        return g
    return resolve_group(g, d, name=f"groups[{m}]")


def _check_groups(groups: Sequence[Any] | None, dims: tuple[int, ...]) -> list[Any]:
    if groups is None:
        return [None] * len(dims)
    if isinstance(groups, (str, PermutationGroup)) or not isinstance(groups, Sequence):
        raise TypeError(
            f"groups must be a sequence with one group per mode ({len(dims)}), "
            f"got {type(groups).__name__}"
        )
    if len(groups) != len(dims):
        raise ValueError(
            f"groups must hold one group per mode: {len(dims)} modes {dims}, got {len(groups)}"
        )
    return [_resolve_mode(g, d, m) for m, (g, d) in enumerate(zip(groups, dims, strict=True))]


def _flip_flop(
    Y: NDArray[Any], groups: list[Any], max_iter: int, tol: float
) -> tuple[list[NDArray[Any]], int, bool]:
    dims = Y.shape[1:]
    dtype = np.result_type(Y.dtype, np.float64)
    factors = [np.eye(d, dtype=dtype) for d in dims]
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - the count is returned
        change = 0.0
        for m, G in enumerate(groups):
            T = _scatter(Y, factors, m)
            if isinstance(G, PermutationGroup):
                T = project_unchecked(T, G)
            elif G is not None:  # a unital *-algebra (e.g. a dihedral fold): its projection
                T = G.project(T)
                T = (T + T.conj().T) / 2
            if m > 0:  # scale: tr A_m = M_m for m >= 1, the first factor carries it
                tr = float(np.real(np.trace(T)))
                if tr > 0:  # A1 ⊗ … unchanged: the first factor takes the scale back
                    T = T * (dims[m] / tr)
                    factors[0] = factors[0] * (tr / dims[m])
            old = factors[m]
            change = max(
                change,
                float(np.linalg.norm(T - old)) / max(float(np.linalg.norm(T)), 1e-300),
            )
            factors[m] = T
        if change <= tol:
            converged = True
            break
    return factors, it, converged


class _MultiwayEstimator(CovarianceEstimator):
    """Shared: read multi-way X, fit the factors, expose ``covariance_`` of size N × N."""

    shape: Any
    shape_: tuple[int, ...]
    max_iter: int
    tol: float
    assume_centered: bool

    def _groups(self, dims: tuple[int, ...]) -> list[Any]:
        return [None] * len(dims)

    def _flat(self, X: ArrayLike, *, reset: bool) -> NDArray[Any]:
        if is_dask_array(X):
            raise TypeError(
                f"{type(self).__name__}.fit does not stream a dask array X; pass X.compute()"
            )
        shape = self.shape if (reset or not hasattr(self, "shape_")) else self.shape_
        Y, dims = as_multiway(X, shape)
        if reset:
            self.shape_ = dims
        elif dims != self.shape_:
            raise ValueError(
                f"X has mode sizes {dims}, but {type(self).__name__} was fitted on {self.shape_}"
            )
        return Y.reshape(Y.shape[0], -1)

    def fit(self, X: ArrayLike, y: Any = None) -> Self:
        """Fit to snapshots ``X`` of shape ``(n, M1, M2[, M3])`` or ``(n, N)`` with ``shape``.

        Returns
        -------
        self
        """
        as_int(self.max_iter, "max_iter", minimum=1)  # refuse before any work
        if not (isinstance(self.tol, (int, float)) and self.tol >= 0):
            raise ValueError(f"tol must be a non-negative number, got {self.tol!r}")
        flat = self._flat(X, reset=True)
        self.groups_ = self._groups(self.shape_)
        return super().fit(flat, y)

    def _location(self, X: NDArray[Any]) -> NDArray[Any]:
        mean: NDArray[Any] = X.mean(axis=0)
        gs = self.groups_
        if all(isinstance(g, PermutationGroup) for g in gs):
            G = direct_product(*gs)
            out = np.empty_like(mean)
            for orbit in G.orbits():
                out[orbit] = mean[orbit].mean()
            return out
        return mean

    def _estimate(self, X: NDArray[Any]) -> NDArray[Any]:
        Y = X.reshape((X.shape[0], *self.shape_))
        max_iter = as_int(self.max_iter, "max_iter", minimum=1)
        factors, n_iter, ok = _flip_flop(Y, self.groups_, max_iter, float(self.tol))
        self.factors_ = factors
        self.n_iter_ = n_iter
        self.converged_ = ok
        return _kron_all(factors)

    def _set_covariance(self, cov: NDArray[Any]) -> None:
        # (A1 ⊗ … ⊗ Ak)⁺ = A1⁺ ⊗ … ⊗ Ak⁺: k small pseudo-inverses instead of one N × N
        from scipy.linalg import pinvh

        cov = (cov + cov.conj().T) / 2
        self.covariance_ = cov
        self.precision_ = _kron_all([pinvh((A + A.conj().T) / 2) for A in self.factors_])

    def score(self, X_test: ArrayLike, y: Any = None) -> float:
        """Mean Gaussian log-likelihood of ``X_test`` (same shapes as in ``fit``)."""
        self._check_fitted()
        return super().score(self._flat(X_test, reset=False), y)

    def mahalanobis(self, X: ArrayLike) -> NDArray[Any]:
        """Squared Mahalanobis distance of each snapshot (same shapes as in ``fit``)."""
        self._check_fitted()
        return super().mahalanobis(self._flat(X, reset=False))


class SeparableCovariance(_MultiwayEstimator):
    """The separable (Kronecker) maximum-likelihood covariance ``A1 ⊗ A2 [⊗ A3]``, by flip-flop.

    No group: the peer of the group estimators on multi-way data.  Each step sets one
    factor to its conditional scatter (the exact maximizer of the likelihood in that
    factor, see :mod:`algdiv.estimation.multiway`), so the likelihood never decreases.
    The maximum-likelihood estimate exists once ``n ≥ max_m M_m / (N / M_m)`` roughly;
    below that a factor can be singular and a pseudo-inverse square root is used.

    Parameters
    ----------
    shape : sequence of int, optional
        ``(M1, M2[, M3])`` for 2-D ``X``; inferred from ``X`` of shape ``(n, M1, …)``.
    max_iter : int, default 100
    tol : float, default 1e-8
        Relative Frobenius change of a factor (after scale normalization) that stops the
        iteration.
    assume_centered : bool, default False

    Attributes
    ----------
    covariance_ : ndarray (N, N)
        ``A1 ⊗ … ⊗ Ak`` (row-major vectorization, ``N = Π M_m``).
    factors_ : list of ndarray
        The ``A_m``; ``tr A_m = M_m`` for ``m ≥ 2``.
    n_iter_ : int
    converged_ : bool
    shape_ : tuple of int
    precision_, location_, n_features_in_

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.estimation import SeparableCovariance
    >>> rng = np.random.default_rng(1)
    >>> X = rng.standard_normal((50, 4, 3))
    >>> est = SeparableCovariance(assume_centered=True).fit(X)
    >>> est.covariance_.shape, [f.shape for f in est.factors_], est.converged_
    ((12, 12), [(4, 4), (3, 3)], True)
    >>> bool(np.isclose(np.trace(est.factors_[1]), 3.0))
    True
    """

    def __init__(
        self,
        shape: Sequence[int] | None = None,
        *,
        max_iter: int = 100,
        tol: float = 1e-8,
        assume_centered: bool = False,
    ) -> None:
        self.shape = shape
        self.max_iter = max_iter
        self.tol = tol
        self.assume_centered = assume_centered


class KroneckerGroupCovariance(_MultiwayEstimator):
    """Separable maximum likelihood inside the commutant of a group per mode.

    The flip-flop step of each mode is projected onto that mode's commutant,
    ``A_m ← Φ_{G_m}(T_m)``.  This is still the exact conditional maximum-likelihood step
    on ``C(G_m)``: for ``A ∈ C(G)``, ``A⁻¹ ∈ C(G)`` and ``Φ_G`` is self-adjoint for the
    trace inner product, so ``tr(A⁻¹ T) = tr(A⁻¹ Φ_G(T))`` and the constrained problem
    ``max_A −c log det A − tr(A⁻¹ T)`` over ``C(G)`` is the unconstrained one for
    ``Φ_G(T)``, solved by ``Φ_G(T)`` itself, which lies in ``C(G)``.  Hence block
    coordinate ascent of the likelihood over ``C(G1) ⊗ … ⊗ C(Gk)``, a subset of the
    commutant of ``G1 × … × Gk``; ``None`` (or ``"trivial"``) for a mode leaves it free.

    Parameters
    ----------
    groups : sequence of PermutationGroup, CommutantAlgebra, str or None
        One per mode: a group on ``M_m`` points, group text, a family name
        (``"cyclic"``, ``"dihedral"``, ``"symmetric"``, ``"trivial"``), ``None``, or a
        unital ``*``-algebra with an orthogonal projection such as
        :func:`algdiv.transforms.dihedral_fold` (``"dct2"``: the Toeplitz-plus-Hankel
        matrices the DCT-II diagonalizes); the argument below holds for any of them.
    shape, max_iter, tol, assume_centered
        As :class:`SeparableCovariance`.  Without ``assume_centered`` the mean is
        averaged over the point orbits of ``G1 × … × Gk`` (when every mode has a group).

    Attributes
    ----------
    covariance_, factors_, n_iter_, converged_, shape_
        As :class:`SeparableCovariance`; every ``A_m`` is ``G_m``-invariant.
    groups_ : list of PermutationGroup, CommutantAlgebra or None

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv import is_invariant
    >>> from algdiv.estimation import KroneckerGroupCovariance
    >>> rng = np.random.default_rng(2)
    >>> X = rng.standard_normal((5, 6, 4)) + 1j * rng.standard_normal((5, 6, 4))
    >>> est = KroneckerGroupCovariance(("dihedral", "cyclic"), assume_centered=True).fit(X)
    >>> [is_invariant(A, G) for A, G in zip(est.factors_, est.groups_)]
    [True, True]
    >>> int(np.linalg.matrix_rank(est.covariance_))   # full rank from 5 snapshots of 24
    24
    """

    def __init__(
        self,
        groups: Sequence[Any] = ("cyclic", "cyclic"),
        shape: Sequence[int] | None = None,
        *,
        max_iter: int = 100,
        tol: float = 1e-8,
        assume_centered: bool = False,
    ) -> None:
        self.groups = groups
        self.shape = shape
        self.max_iter = max_iter
        self.tol = tol
        self.assume_centered = assume_centered

    def _groups(self, dims: tuple[int, ...]) -> list[Any]:
        return _check_groups(self.groups, dims)


def eigentensor_transform(
    groups: Sequence[Any],
    factors: Sequence[ArrayLike | None] | None = None,
    shape: Sequence[int] | None = None,
) -> Any:
    """The eigentensor basis: the matched transform of each mode, composed (``U1 ⊗ U2 [⊗ U3]``).

    The matched transform of ``G1 × … × Gk`` is the Kronecker product of the modes'
    matched transforms; it is applied mode-wise by reshaping (never forming the
    ``N × N`` matrix; see also :func:`modewise`).  It block-diagonalizes the whole
    commutant of the product (blocks: products of the modes' isotypic blocks) and
    diagonalizes every separable ``A1 ⊗ … ⊗ Ak`` with ``A_m ∈ C(G_m)`` whose modes are
    diagonalized (always for multiplicity-free modes; otherwise give ``factors``, and
    each multiplicity block of mode ``m`` is diagonalized from ``A_m``: the hierarchical
    KL step per mode).

    Parameters
    ----------
    groups : sequence of PermutationGroup, CommutantAlgebra or str
        One per mode (family names need ``shape``); an algebra such as
        :func:`algdiv.transforms.dihedral_fold` gives its transform (the DCT for ``"dct2"``).
    factors : sequence of array_like or None, optional
        Per-mode covariances for the multiplicity blocks (e.g. ``est.factors_``).
    shape : sequence of int, optional
        Mode sizes, needed only to resolve family names.

    Returns
    -------
    Transform
        With ``forward``/``inverse`` acting on the row-major vectorization.

    Examples
    --------
    >>> import numpy as np, scipy.fft
    >>> from algdiv.groups import cyclic
    >>> T = eigentensor_transform([cyclic(4), cyclic(3)])
    >>> T.name
    'DFT ⊗ DFT'
    >>> x = np.random.default_rng(0).standard_normal((4, 3))
    >>> np.allclose(T.forward(x.ravel()), scipy.fft.fft2(x, norm="ortho").ravel())
    True
    """
    from ..transforms import CommutantAlgebra, kron, matched_transform

    if isinstance(groups, (str, PermutationGroup)) or not isinstance(groups, Sequence):
        raise TypeError(f"groups must be a sequence of one group per mode, got {groups!r}")
    if len(groups) not in (2, 3):
        raise ValueError(f"groups must hold 2 or 3 groups (one per mode), got {len(groups)}")
    dims = None if shape is None else _check_shape(shape)
    if dims is not None and len(dims) != len(groups):
        raise ValueError(f"shape {dims} has {len(dims)} modes but {len(groups)} groups were given")
    gs = []
    for m, g in enumerate(groups):
        if isinstance(g, (PermutationGroup, CommutantAlgebra)):
            gs.append(g)
        elif dims is None:
            raise ValueError(f"groups[{m}] = {g!r} is not a PermutationGroup: pass shape= too")
        else:
            gs.append(resolve_group(g, dims[m], name=f"groups[{m}]"))
    if factors is not None and len(factors) != len(gs):
        raise ValueError(f"factors must hold one matrix per mode ({len(gs)}), got {len(factors)}")
    ts = [
        matched_transform(g, None if factors is None else factors[m]) for m, g in enumerate(gs)
    ]
    out = kron(ts[0], ts[1])
    for t in ts[2:]:
        out = kron(out, t)
    return out


def modewise(X: ArrayLike, transforms: Sequence[Any], *, inverse: bool = False) -> NDArray[Any]:
    """Apply one transform per mode to snapshots ``(n, M1, …, Mk)``: ``X ×_1 U1ᴴ … ×_k Ukᴴ``.

    Equals ``(U1 ⊗ … ⊗ Uk)ᴴ`` applied to the row-major vectorization of each snapshot,
    at the cost of ``k`` one-mode transforms (fast kernels where the modes have them).
    ``inverse=True`` applies ``U_m`` instead of ``U_mᴴ``.

    Examples
    --------
    >>> import numpy as np, scipy.fft
    >>> from algdiv.transforms import dct, dft
    >>> X = np.random.default_rng(0).standard_normal((2, 4, 5))
    >>> Y = modewise(X, [dft(4), dct(5)])
    >>> ref = scipy.fft.dct(scipy.fft.fft(X, axis=1, norm="ortho"), axis=2, norm="ortho")
    >>> np.allclose(Y, ref), np.allclose(modewise(Y, [dft(4), dct(5)], inverse=True), X)
    (True, True)
    """
    arr = np.asarray(X)
    if arr.ndim != len(transforms) + 1:
        raise ValueError(
            f"X must be (n, M1, …, Mk) with k = {len(transforms)} transforms, got shape {arr.shape}"
        )
    out = arr
    for m, t in enumerate(transforms):
        out = t.inverse(out, axis=m + 1) if inverse else t.forward(out, axis=m + 1)
    return out
