"""The SO(3)-matched (zonal) covariance of a spherical array.

An isotropic field on the sphere — a diffuse sound field, noise arriving equally from every
direction — has a covariance that depends on two sensors only through the angle between them
(Funk–Hecke): ``R_ij = k(t_ij)`` with ``t_ij = ⟨u_i, u_j⟩``, ``u_i`` the unit vector of sensor
``i``.  Expanded in Legendre polynomials, ``k(t) = Σ_l c_l P_l(t)``; by the addition theorem
``P_l(⟨u, v⟩) = 4π/(2l + 1) Σ_m Y_lm(u) conj(Y_lm(v))`` each matrix ``B_l = [P_l(t_ij)]`` is
positive semi-definite, and ``k`` is positive definite on every layout exactly when all
``c_l >= 0`` (Schoenberg's theorem).  For an open sphere of radius ``r`` in a diffuse field of
wavenumber ``k``, ``R_ij = sinc(k |r_i − r_j|) = Σ_l (2l + 1) j_l(kr)² P_l(t_ij)``.

The zonal projection of a covariance estimate ``S`` is its Frobenius-nearest zonal matrix:

    Z(S) = Σ_l ĉ_l B_l,   ĉ = argmin ‖S − Σ_l c_l B_l‖_F   (optionally with ĉ >= 0)

Since ``B_l`` takes one value on each class of sensor pairs with the same angle, the least
squares problem reduces to the class means ``s̄_a`` weighted by the class sizes ``w_a``:
``min Σ_a w_a |s̄_a − Σ_l c_l P_l(t_a)|²``, ``O(M² + n_classes · L²)``.  With ``degree=None`` every
function of the angle is allowed: ``Z(S)`` is then the class mean itself (the linear projection
onto the functions of the angle), or, with ``nonnegative=True``, the nearest positive-definite
zonal kernel of degree ``n_classes − 1`` plus white sensor noise ``σ² I``, ``σ² >= 0`` (a
projection onto a convex cone: still idempotent, and positive semi-definite).

For a layout with a finite rotation group ``G`` (the icosahedral group of an icosahedron's
vertices, :func:`algdiv.arrays.icosahedral_group`), every zonal matrix is ``G``-invariant: the
commutant ``C(G)`` contains the zonal space, and ``Φ_G(S)`` keeps more parameters than ``Z(S)``
(equality when ``G`` is transitive on the pairs of each angle).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, as_square, check_finite, check_hermitian
from ._base import CovarianceEstimator

__all__ = ["zonal_basis", "zonal_projection", "ZonalCovariance", "sphere_cosines"]

_TOL = 1e-9  # cosines of angles closer than this (sorted neighbours) share a pair class


def sphere_cosines(points: ArrayLike) -> NDArray[Any]:
    """The cosines ``⟨u_i, u_j⟩`` of the angles between sensors on a sphere about the origin.

    Parameters
    ----------
    points : array_like, shape (M, 3)
        Sensor positions; all at the same distance from the origin (relative tolerance
        ``1e-6``).

    Returns
    -------
    ndarray, shape (M, M)
        Symmetric, ones on the diagonal, entries in ``[-1, 1]``.

    Examples
    --------
    >>> sphere_cosines([[0, 0, 2.0], [2.0, 0, 0], [0, 0, -2.0]])
    array([[ 1.,  0., -1.],
           [ 0.,  1.,  0.],
           [-1.,  0.,  1.]])
    """
    p = as_float_array(points, "points")
    if np.iscomplexobj(p):
        raise TypeError("points must be real coordinates")
    if p.ndim != 2 or p.shape[1] != 3 or p.shape[0] < 2:
        raise ValueError(f"points must have shape (M, 3) with M >= 2, got {p.shape}")
    check_finite(p, "points")
    radius = np.linalg.norm(p, axis=1)
    if np.min(radius) <= 0:
        raise ValueError("points must not include the origin (the sphere's centre)")
    if np.ptp(radius) > 1e-6 * np.max(radius):
        raise ValueError(
            "points must lie on one sphere centred at the origin: their distances from the "
            f"origin range from {np.min(radius):.6g} to {np.max(radius):.6g}"
        )
    u = p / radius[:, None]
    t = np.clip(u @ u.T, -1.0, 1.0)
    t = (t + t.T) / 2
    np.fill_diagonal(t, 1.0)
    return np.asarray(t)


def _check_degree(degree: object) -> int | None:
    if degree is None:
        return None
    if isinstance(degree, bool) or not isinstance(degree, (int, np.integer)) or degree < 0:
        raise ValueError(f"degree must be a non-negative int or None, got {degree!r}")
    return int(degree)


def _legendre(t: NDArray[Any], degree: int) -> NDArray[Any]:
    """``P_0..P_degree`` at ``t`` by the three-term recurrence; shape ``t.shape + (degree+1,)``."""
    out = np.empty(t.shape + (degree + 1,))
    out[..., 0] = 1.0
    if degree >= 1:
        out[..., 1] = t
    for l in range(1, degree):
        out[..., l + 1] = ((2 * l + 1) * t * out[..., l] - l * out[..., l - 1]) / (l + 1)
    return out


def zonal_basis(points: ArrayLike, degree: int) -> NDArray[Any]:
    """The Legendre matrices ``B_l = [P_l(⟨u_i, u_j⟩)]``, ``l = 0..degree``.

    Parameters
    ----------
    points : array_like, shape (M, 3)
        Sensors on a sphere centred at the origin.
    degree : int
        The largest Legendre degree ``L``.

    Returns
    -------
    ndarray, shape (L + 1, M, M)
        Real symmetric positive semi-definite matrices.

    Examples
    --------
    >>> import numpy as np
    >>> B = zonal_basis(np.eye(3), 2)          # three orthogonal directions
    >>> B[1]                                   # P_1(t) = t
    array([[1., 0., 0.],
           [0., 1., 0.],
           [0., 0., 1.]])
    >>> B[2]                                   # P_2(0) = -1/2
    array([[ 1. , -0.5, -0.5],
           [-0.5,  1. , -0.5],
           [-0.5, -0.5,  1. ]])
    """
    d = _check_degree(degree)
    if d is None:
        raise ValueError("degree must be a non-negative int, got None")
    t = sphere_cosines(points)
    return np.moveaxis(_legendre(t, d), -1, 0)


class _Classes:
    """The pair classes of a layout: one per distinct angle (cosines within ``_TOL``)."""

    def __init__(self, t: NDArray[Any]) -> None:
        flat = t.ravel()
        order = np.argsort(flat, kind="stable")
        new = np.concatenate([[0], (np.diff(flat[order]) > _TOL).astype(np.intp)])
        labels = np.empty(flat.size, dtype=np.intp)
        labels[order] = np.cumsum(new)
        self.labels = labels.reshape(t.shape)
        self.counts = np.bincount(labels)
        # the representative cosine of each class: the mean of its members
        self.t = np.bincount(labels, weights=flat) / self.counts
        self.n = self.counts.size

    def means(self, S: NDArray[Any]) -> NDArray[Any]:
        """Class means of a Hermitian ``S``: real, since each class holds (i, j) and (j, i)."""
        sums = np.bincount(self.labels.ravel(), weights=S.real.ravel(), minlength=self.n)
        return np.asarray(sums / self.counts)

    def coefficients(
        self, S: NDArray[Any], degree: int, nonnegative: bool
    ) -> tuple[NDArray[Any], float]:
        """Legendre coefficients and (``nonnegative`` only) a white-noise level ``>= 0``."""
        w = np.sqrt(self.counts)
        V = w[:, None] * _legendre(self.t, degree)
        b = w * self.means(S)
        if nonnegative:
            from scipy.optimize import lsq_linear, nnls

            # the cone of positive-definite zonal kernels plus white sensor noise (the
            # identity: the class of angle 0, the largest cosine); columns scaled for NNLS
            white = np.zeros(self.n)
            white[-1] = w[-1]
            V = np.column_stack([V, white])
            norms = np.maximum(np.linalg.norm(V, axis=0), np.finfo(float).tiny)
            try:
                c, _ = nnls(V / norms, b, maxiter=50 * V.shape[1])
            except RuntimeError:  # (SciPy 1.12-1.13's NNLS can stall; BVLS solves the same problem)
                c = lsq_linear(V / norms, b, bounds=(0.0, np.inf), method="bvls").x
            c = c / norms
            return np.asarray(c[:-1]), float(c[-1])
        c, *_ = np.linalg.lstsq(V, b, rcond=None)
        return np.asarray(c), 0.0


def _project(
    S: NDArray[Any], classes: _Classes, degree: int | None, nonnegative: bool
) -> tuple[NDArray[Any], NDArray[Any] | None, float, int]:
    """``(Z(S), Legendre coefficients or None, white-noise level, degree)`` (inputs trusted)."""
    if degree is None and not nonnegative:
        return classes.means(S)[classes.labels], None, 0.0, classes.n - 1
    d = classes.n - 1 if degree is None else degree
    c, white = classes.coefficients(S, d, nonnegative)
    values = _legendre(classes.t, d) @ c
    values[-1] += white
    return values[classes.labels], c, white, d


def zonal_projection(
    S: ArrayLike, points: ArrayLike, degree: int | None = None, *, nonnegative: bool = False
) -> NDArray[Any]:
    """The Frobenius-nearest zonal matrix ``Σ_l c_l P_l(⟨u_i, u_j⟩)`` to a Hermitian ``S``.

    Parameters
    ----------
    S : array_like, shape (M, M)
        Hermitian (real symmetric or complex) covariance estimate.  Not modified.
    points : array_like, shape (M, 3)
        Sensor positions on a sphere centred at the origin.
    degree : int or None, default None
        Largest Legendre degree ``L``.  ``None``: every function of the angle (the mean of
        ``S`` over each class of sensor pairs with the same angle).
    nonnegative : bool, default False
        Constrain ``c_l >= 0`` (positive-definite kernels, Schoenberg) and add a white-noise
        term ``σ² I`` with ``σ² >= 0`` (sensor self-noise; the identity is a function of the
        angle, but not always one with non-negative coefficients): the result is then
        positive semi-definite.  With ``degree=None`` the degree is ``n_classes − 1``.

    Returns
    -------
    ndarray, shape (M, M)
        Real symmetric.  Without ``nonnegative`` the map is the orthogonal projection onto
        the zonal space (linear and idempotent); with it, the projection onto a convex cone
        (idempotent, not linear).

    Examples
    --------
    A diffuse field on an open sphere, ``sinc(k |r_i − r_j|)``, is zonal: the projection
    returns it unchanged.

    >>> import numpy as np
    >>> from algdiv.arrays import icosahedron
    >>> P = icosahedron()
    >>> D = np.linalg.norm(P[:, None] - P[None, :], axis=-1)
    >>> R = np.sinc(2.0 * D / np.pi)           # numpy's sinc(x) is sin(pi x) / (pi x)
    >>> bool(np.allclose(zonal_projection(R, P), R))
    True
    >>> bool(np.allclose(zonal_projection(R, P, 3, nonnegative=True), R))
    True
    """
    s = as_square(S, "S")
    check_hermitian(s, "S", tol=1e-6)
    t = sphere_cosines(points)
    if t.shape[0] != s.shape[0]:
        raise ValueError(
            f"points has {t.shape[0]} sensors but S is {s.shape[0]}x{s.shape[0]}"
        )
    return _project(s, _Classes(t), _check_degree(degree), bool(nonnegative))[0]


class ZonalCovariance(CovarianceEstimator):
    """The SO(3)-matched covariance estimate of a spherical array: ``Z(S)``, zonal.

    ``fit`` takes the sample covariance ``S`` of the snapshots and returns its projection
    onto the zonal matrices ``Σ_l c_l P_l(⟨u_i, u_j⟩)`` (:func:`zonal_projection`).  The
    number of free parameters is ``L + 1`` (at most the number of distinct angles) instead
    of ``M²``: right for isotropic (diffuse) fields, biased for anything directional.

    Parameters
    ----------
    points : array_like, shape (M, 3)
        Sensor positions on a sphere centred at the origin.
    degree : int or None, default None
        Largest Legendre degree (``None``: every function of the angle).
    nonnegative : bool, default True
        Positive-definite kernels only (``c_l >= 0``) plus white noise ``σ² I``, ``σ² >= 0``:
        the estimate is positive semi-definite.
    assume_centered : bool, default False

    Attributes
    ----------
    covariance_, precision_, location_, n_features_in_
        As for the other estimators (``covariance_`` is real symmetric).
    coef_ : ndarray or None
        The Legendre coefficients ``c_0..c_L`` (``None`` for the class means).
    white_noise_ : float
        With ``nonnegative``: the level ``σ² >= 0`` of the white-noise term ``σ² I`` fitted
        beside the kernel (0 otherwise).
    degree_ : int
        The degree used.
    n_classes_ : int
        The number of distinct angles between sensors (pair classes).

    Examples
    --------
    Diffuse noise on the 12 vertices of an icosahedron (radius 0.1 m, 1 kHz): the zonal
    estimate from 4 snapshots is closer to the truth than the sample covariance.

    >>> import numpy as np
    >>> from algdiv.arrays import icosahedron
    >>> P = 0.1 * icosahedron()
    >>> k = 2 * np.pi * 1000 / 343
    >>> R = np.sinc(k * np.linalg.norm(P[:, None] - P[None, :], axis=-1) / np.pi)
    >>> rng = np.random.default_rng(0)
    >>> Z = (rng.standard_normal((4, 12)) + 1j * rng.standard_normal((4, 12))) / np.sqrt(2)
    >>> X = Z @ np.linalg.cholesky(R + 1e-9 * np.eye(12)).T
    >>> est = ZonalCovariance(P, assume_centered=True).fit(X)
    >>> S = X.T @ X.conj() / 4
    >>> bool(np.linalg.norm(est.covariance_ - R) < np.linalg.norm(S - R))
    True
    >>> est.n_classes_, est.degree_
    (4, 3)
    """

    def __init__(
        self,
        points: ArrayLike,
        degree: int | None = None,
        *,
        nonnegative: bool = True,
        assume_centered: bool = False,
    ):
        self.points = points
        self.degree = degree
        self.nonnegative = nonnegative
        self.assume_centered = assume_centered

    def _estimate(self, X: NDArray[Any]) -> NDArray[Any]:
        t = sphere_cosines(self.points)
        if t.shape[0] != X.shape[1]:
            raise ValueError(
                f"points has {t.shape[0]} sensors but X has {X.shape[1]} features"
            )
        S = X.T @ X.conj() / X.shape[0]
        S = (S + S.conj().T) / 2
        classes = _Classes(t)
        Z, c, white, d = _project(S, classes, _check_degree(self.degree), bool(self.nonnegative))
        self.coef_ = c
        self.white_noise_ = white
        self.degree_ = d
        self.n_classes_ = classes.n
        return Z
