"""SO(3) on the sphere: spherical harmonics, a quadrature grid and Funk-Hecke eigenvalues.

Convention (stated once, used everywhere): ``theta`` is the **polar** angle (colatitude,
``0..π``, from the +z axis) and ``phi`` the **azimuth** (``0..2π``), the order of
``scipy.special.sph_harm_y(l, m, theta, phi)`` (SciPy >= 1.15).  The older
``scipy.special.sph_harm(m, l, phi, theta)`` (SciPy < 1.15, removed in 1.17) took the
degree/order and the angles the other way round; on those versions :func:`_sph_harm_y`
calls it with the arguments swapped, so results do not depend on the SciPy version.
Complex harmonics carry the Condon-Shortley phase (as scipy's).  Columns are ordered
``(l, m)`` with index ``l² + l + m``, ``m = -l..l``.

A rotation-invariant (zonal) covariance ``k(⟨u, v⟩)`` has the ``Y_lm`` as eigenfunctions
with eigenvalue ``λ_l = 2π ∫ k(t) P_l(t) dt`` (Funk-Hecke), the same for all ``2l + 1``
values of ``m``: the sphere's matched transform.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import eval_legendre, roots_legendre

try:  # SciPy >= 1.15
    from scipy.special import sph_harm_y as _sph_harm_y
except ImportError:  # pragma: no cover - SciPy 1.11-1.14, exercised by the floors CI job
    from scipy.special import sph_harm as _sph_harm

    def _sph_harm_y(l: NDArray[Any], m: NDArray[Any], theta: NDArray[Any], phi: NDArray[Any]) -> NDArray[Any]:
        """``sph_harm_y(l, m, theta, phi)`` (polar ``theta``) through the old
        ``sph_harm(m, l, azimuth, polar)``."""
        return cast("NDArray[Any]", _sph_harm(m, l, phi, theta))

from .._validation import as_float_array, check_finite

__all__ = ["spherical_harmonics", "sphere_grid", "funk_hecke", "degree_order"]


def _check_degree(L: object) -> int:
    if isinstance(L, bool) or not isinstance(L, (int, np.integer)) or L < 0:
        raise ValueError(f"L must be a non-negative int, got {L!r}")
    return int(L)


def degree_order(L: int) -> tuple[NDArray[Any], NDArray[Any]]:
    """The ``(l, m)`` of each column of :func:`spherical_harmonics`.

    Examples
    --------
    >>> degree_order(1)
    (array([0, 1, 1, 1]), array([ 0, -1,  0,  1]))
    """
    L = _check_degree(L)
    ls = np.repeat(np.arange(L + 1), 2 * np.arange(L + 1) + 1)
    ms = np.concatenate([np.arange(-l, l + 1) for l in range(L + 1)])
    return ls, ms


def spherical_harmonics(
    theta: ArrayLike, phi: ArrayLike, L: int, *, real: bool = False
) -> NDArray[Any]:
    """Orthonormal spherical harmonics of degree ``0..L`` at points ``(theta, phi)``.

    Parameters
    ----------
    theta : array_like
        Polar angle (colatitude) in radians, ``0`` at the north pole.
    phi : array_like
        Azimuth in radians; broadcast against ``theta``.
    L : int
        Largest degree.
    real : bool
        Real harmonics instead: ``√2 (-1)^m Re Y_l^m`` for ``m > 0``, ``Y_l^0``, and
        ``√2 (-1)^m Im Y_l^{|m|}`` for ``m < 0`` (no Condon-Shortley phase left).

    Returns
    -------
    ndarray, shape ``broadcast(theta, phi).shape + ((L + 1)²,)``
        Column ``l² + l + m`` is ``Y_l^m``; complex unless ``real``.

    Examples
    --------
    >>> import numpy as np
    >>> Y = spherical_harmonics(0.0, 0.0, 1)     # north pole
    >>> np.allclose(Y, [1 / np.sqrt(4 * np.pi), 0, np.sqrt(3 / (4 * np.pi)), 0])
    True
    """
    L = _check_degree(L)
    th = as_float_array(theta, "theta")
    ph = as_float_array(phi, "phi")
    check_finite(th, "theta")
    check_finite(ph, "phi")
    if np.iscomplexobj(th) or np.iscomplexobj(ph):
        raise TypeError("theta and phi must be real angles")
    try:
        th, ph = np.broadcast_arrays(th, ph)
    except ValueError:
        raise ValueError(
            f"theta {th.shape} and phi {ph.shape} do not broadcast together"
        ) from None
    ls, ms = degree_order(L)
    y = _sph_harm_y(ls, np.abs(ms), th[..., None], ph[..., None])
    if not real:
        # Y_l^{-m} = (-1)^m conj(Y_l^m)
        neg = ms < 0
        sign = np.where(ms % 2 == 0, 1.0, -1.0)
        return cast("NDArray[Any]", np.where(neg, sign * np.conj(y), y))
    sign = np.where(ms % 2 == 0, 1.0, -1.0)
    root2 = np.sqrt(2.0)
    return cast("NDArray[Any]", np.where(
        ms > 0, root2 * sign * y.real, np.where(ms < 0, root2 * sign * y.imag, y.real)
    ))


def sphere_grid(L: int) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """A product quadrature exact for polynomials of degree ``<= 2L + 1`` on the sphere.

    Gauss-Legendre in ``cos theta`` (``L + 1`` nodes) times ``2L + 2`` uniform azimuths.

    Returns
    -------
    theta, phi, weights : ndarray, each of shape ``(2 (L + 1)²,)``
        Weights sum to ``4π``.

    Examples
    --------
    >>> import numpy as np
    >>> th, ph, w = sphere_grid(3)
    >>> th.shape, bool(np.isclose(w.sum(), 4 * np.pi))
    ((32,), True)
    """
    L = _check_degree(L)
    x, wx = roots_legendre(L + 1)
    n_phi = 2 * L + 2
    phi = 2 * np.pi * np.arange(n_phi) / n_phi
    th, ph = np.meshgrid(np.arccos(x), phi, indexing="ij")
    w = np.repeat(wx * (2 * np.pi / n_phi), n_phi)
    return th.ravel(), ph.ravel(), w


def funk_hecke(kernel: Callable[[NDArray[Any]], ArrayLike], L: int, n_nodes: int | None = None) -> NDArray[Any]:
    """Eigenvalues ``λ_l = 2π ∫_{-1}^{1} k(t) P_l(t) dt`` of a zonal kernel, ``l = 0..L``.

    Examples
    --------
    ``k(t) = t`` has only ``λ_1 = 4π/3``:

    >>> import numpy as np
    >>> np.allclose(funk_hecke(lambda t: t, 2), [0.0, 4 * np.pi / 3, 0.0])
    True
    """
    L = _check_degree(L)
    n = max(2 * L + 2, 64) if n_nodes is None else int(n_nodes)
    t, w = roots_legendre(n)
    k = np.asarray(kernel(t), dtype=float)
    if k.shape != t.shape:
        raise ValueError(f"kernel must map an array of t to values of the same shape, got {k.shape}")
    return np.array([2 * np.pi * np.sum(w * k * eval_legendre(l, t)) for l in range(L + 1)])
