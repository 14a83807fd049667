"""MUSIC direction finding on a uniform linear array, and the stochastic Cramér–Rao bound.

MUSIC (Schmidt 1986) splits the eigenvectors of a covariance estimate into a signal
subspace (the ``K`` largest eigenvalues) and a noise subspace ``E_n`` (the rest); the
pseudospectrum ``P(θ) = ‖a(θ)‖² / ‖E_nᴴ a(θ)‖²`` peaks at the source directions.  Any
covariance estimate can be fed in: the sample covariance of many snapshots, or the group
average of a single one (:func:`algdiv.group_average`).  Root-MUSIC (Barabell 1983)
finds the peaks on a uniform linear array (ULA) without a grid, as the roots of a
polynomial closest to the unit circle.

Conventions: angles are in radians from broadside; element ``m`` of a ULA with spacing
``d`` wavelengths sits at ``m·d`` and its response is ``exp(+2πi·d·m·sin θ)`` (the
convention of :func:`algdiv.arrays.ula_steering`).  The Cramér–Rao bound is the
stochastic (unconditional) one for uncorrelated Gaussian sources of unknown powers in
white noise of unknown level, computed from the Slepian–Bangs formula.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import signal

from .._validation import as_float_array, as_square, check_finite, check_hermitian
from .steering import ula_steering

__all__ = [
    "music_spectrum",
    "spectrum_peaks",
    "root_music",
    "music_doa",
    "ula_crb",
    "doa_rmse",
]


def _check_spacing(spacing: float) -> float:
    if not np.isfinite(spacing) or spacing <= 0:
        raise ValueError(f"spacing must be a positive number of wavelengths, got {spacing}")
    return float(spacing)


def _noise_subspace(R: ArrayLike, n_sources: int) -> NDArray[Any]:
    r = as_square(R, "R")
    check_hermitian(r, "R", tol=1e-6)
    m = r.shape[0]
    if isinstance(n_sources, bool) or not isinstance(n_sources, (int, np.integer)):
        raise TypeError(f"n_sources must be an int, got {type(n_sources).__name__}")
    if not 1 <= n_sources < m:
        raise ValueError(f"n_sources must be between 1 and M - 1 = {m - 1}, got {n_sources}")
    _, vecs = np.linalg.eigh((r + r.conj().T) / 2)
    return vecs[:, : m - n_sources]  # eigh sorts ascending: the M - K smallest


def music_spectrum(
    R: ArrayLike,
    n_sources: int,
    angles: ArrayLike | None = None,
    *,
    spacing: float = 0.5,
    steering: ArrayLike | None = None,
) -> NDArray[Any]:
    """The MUSIC pseudospectrum ``‖a(θ)‖² / ‖E_nᴴ a(θ)‖²`` of a covariance estimate.

    Parameters
    ----------
    R : array_like, shape (M, M)
        Hermitian covariance estimate (sample covariance, group average, ...).
    n_sources : int
        The signal-subspace dimension ``K`` (``1 <= K < M``).
    angles : array_like of float, optional
        Directions in radians at which to evaluate a ULA with ``spacing`` wavelengths
        between elements.  Give either ``angles`` or ``steering``.
    spacing : float, default 0.5
        ULA element spacing in wavelengths.
    steering : array_like, shape (M, n_grid), optional
        Candidate steering vectors of any array geometry, one per column.

    Returns
    -------
    ndarray, shape (n_grid,)
        Positive pseudospectrum (linear scale; large near the sources).

    Examples
    --------
    One source at 20 degrees on an 8-element ULA: the exact covariance puts the
    pseudospectrum's maximum there.

    >>> import numpy as np
    >>> from algdiv.arrays import music_spectrum, ula_steering
    >>> a = ula_steering(np.deg2rad(20.0), 8)[:, 0]
    >>> R = np.outer(a, a.conj()) + 0.1 * np.eye(8)
    >>> grid = np.deg2rad(np.arange(-90, 90.5, 0.5))
    >>> float(np.rad2deg(grid[np.argmax(music_spectrum(R, 1, grid))]))
    20.0
    """
    e_n = _noise_subspace(R, n_sources)
    m = e_n.shape[0]
    if (angles is None) == (steering is None):
        raise ValueError("give exactly one of angles (for a ULA) or steering (any array)")
    if steering is None:
        theta = as_float_array(cast("ArrayLike", angles), "angles").ravel()
        check_finite(theta, "angles")
        a = ula_steering(theta, m, _check_spacing(spacing))
    else:
        a = as_float_array(steering, "steering")
        if a.ndim == 1:
            a = a[:, None]
        if a.ndim != 2 or a.shape[0] != m:
            raise ValueError(f"steering must be (M, n_grid) with M = {m}, got shape {a.shape}")
        check_finite(a, "steering")
    proj = np.sum(np.abs(e_n.conj().T @ a) ** 2, axis=0)
    power = np.sum(np.abs(a) ** 2, axis=0)
    return cast("NDArray[Any]", power / np.maximum(proj, np.finfo(float).tiny * power))


def spectrum_peaks(spectrum: ArrayLike, angles: ArrayLike, n_peaks: int) -> NDArray[Any]:
    """Directions of the ``n_peaks`` highest local maxima of a spectrum on a grid.

    Each peak is refined by a parabola through the three grid points around it (in
    dB). When the spectrum has fewer local maxima than ``n_peaks`` (unresolved
    sources), the largest maximum is repeated, so the output length is always
    ``n_peaks``.

    Parameters
    ----------
    spectrum : array_like, shape (n_grid,)
        Positive values on an increasing grid ``angles``.
    angles : array_like, shape (n_grid,)
    n_peaks : int

    Returns
    -------
    ndarray, shape (n_peaks,)
        Sorted increasingly.

    Examples
    --------
    >>> import numpy as np
    >>> grid = np.linspace(-1.0, 1.0, 201)
    >>> s = np.exp(-((grid - 0.3) / 0.05) ** 2) + 0.5 * np.exp(-((grid + 0.4) / 0.05) ** 2)
    >>> np.round(spectrum_peaks(s + 1e-3, grid, 2), 3)
    array([-0.4,  0.3])
    """
    s = as_float_array(spectrum, "spectrum").ravel().real
    g = as_float_array(angles, "angles").ravel().real
    check_finite(s, "spectrum")
    check_finite(g, "angles")
    if s.shape != g.shape or s.size < 3:
        raise ValueError(
            f"spectrum and angles must have the same length >= 3, got {s.size} and {g.size}"
        )
    if n_peaks < 1:
        raise ValueError(f"n_peaks must be at least 1, got {n_peaks}")
    db = 10 * np.log10(np.maximum(s, np.finfo(float).tiny))
    idx, _ = signal.find_peaks(db)
    if idx.size == 0:
        idx = np.array([int(np.argmax(db[1:-1])) + 1])
    idx = idx[np.argsort(db[idx])[::-1]][:n_peaks]
    out = []
    for i in idx:
        y0, y1, y2 = db[i - 1], db[i], db[i + 1]
        denom = y0 - 2 * y1 + y2
        shift = 0.5 * (y0 - y2) / denom if denom < 0 else 0.0
        step = g[i + 1] - g[i] if shift >= 0 else g[i] - g[i - 1]
        out.append(g[i] + shift * step)
    while len(out) < n_peaks:
        out.append(out[0])
    return np.sort(np.array(out))


def root_music(R: ArrayLike, n_sources: int, *, spacing: float = 0.5) -> NDArray[Any]:
    """Root-MUSIC: the ``K`` directions of a ULA covariance estimate without a grid.

    With ``z = exp(2πi·d·sin θ)``, ``a(θ)ᴴ E_n E_nᴴ a(θ)`` is a Laurent polynomial in
    ``z`` whose coefficients are the diagonal sums of ``C = E_n E_nᴴ``. Its roots come in
    pairs ``(z, 1/z̄)``; the ``K`` roots inside the unit circle closest to it give the
    directions ``θ = arcsin(arg z / (2π d))``.

    Parameters
    ----------
    R : array_like, shape (M, M)
        Hermitian covariance estimate of a ULA.
    n_sources : int
        ``K``, with ``1 <= K < M``.
    spacing : float, default 0.5
        Element spacing in wavelengths (``<= 0.5`` for unambiguous directions).

    Returns
    -------
    ndarray, shape (K,)
        Directions in radians, sorted increasingly.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.arrays import root_music, ula_steering
    >>> A = ula_steering(np.deg2rad([-30.0, 12.5]), 10)
    >>> R = A @ A.conj().T + 0.01 * np.eye(10)
    >>> np.round(np.rad2deg(root_music(R, 2)), 6)
    array([-30. ,  12.5])
    """
    d = _check_spacing(spacing)
    e_n = _noise_subspace(R, n_sources)
    m = e_n.shape[0]
    c = e_n @ e_n.conj().T
    # Coefficient of z^l (l = n - m) is the sum of the l-th diagonal of C; numpy wants the
    # highest power first, i.e. l = M-1 down to -(M-1).
    coeffs = np.array([np.trace(c, offset=l) for l in range(m - 1, -m, -1)])
    roots = np.roots(coeffs)
    inside = roots[np.abs(roots) < 1.0]
    if inside.size < n_sources:  # roots exactly on the circle: rounding decides the side
        inside = roots
    best = inside[np.argsort(np.abs(1.0 - np.abs(inside)))[:n_sources]]
    sin_theta = np.clip(np.angle(best) / (2 * np.pi * d), -1.0, 1.0)
    return np.sort(np.arcsin(sin_theta))


def music_doa(
    R: ArrayLike,
    n_sources: int,
    *,
    spacing: float = 0.5,
    method: str = "root",
    grid: ArrayLike | None = None,
) -> NDArray[Any]:
    """Directions of arrival from a ULA covariance estimate by MUSIC.

    Parameters
    ----------
    R : array_like, shape (M, M)
    n_sources : int
    spacing : float, default 0.5
    method : {"root", "grid"}
        ``"root"``: :func:`root_music`.  ``"grid"``: the highest peaks of
        :func:`music_spectrum` on ``grid`` refined by :func:`spectrum_peaks`.
    grid : array_like, optional
        Search grid in radians for ``method="grid"`` (default: 0.1 degree steps over
        (-90°, 90°)).

    Returns
    -------
    ndarray, shape (K,)
        Sorted directions in radians.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.arrays import music_doa, ula_steering
    >>> A = ula_steering(np.deg2rad([-10.0, 25.0]), 12)
    >>> R = A @ A.conj().T + 0.01 * np.eye(12)
    >>> np.round(np.rad2deg(music_doa(R, 2, method="grid")), 2)
    array([-10.,  25.])
    """
    if method == "root":
        return root_music(R, n_sources, spacing=spacing)
    if method != "grid":
        raise ValueError(f"method must be 'root' or 'grid', got {method!r}")
    g = np.deg2rad(np.arange(-89.9, 89.95, 0.1)) if grid is None else np.asarray(grid, float)
    return spectrum_peaks(music_spectrum(R, n_sources, g, spacing=spacing), g, n_sources)


def ula_crb(
    angles: ArrayLike,
    powers: ArrayLike,
    noise_var: float,
    n_sensors: int,
    n_snapshots: int,
    *,
    spacing: float = 0.5,
) -> NDArray[Any]:
    """Stochastic Cramér–Rao bound for uncorrelated sources on a ULA.

    Model: ``n`` independent snapshots ``x ~ CN(0, R)``, ``R = A diag(p) Aᴴ + σ² I``
    with unknown directions ``θ``, unknown powers ``p`` and unknown noise level ``σ²``.
    The Fisher information is the Slepian–Bangs formula
    ``F_ij = n · Re tr(R⁻¹ ∂_i R R⁻¹ ∂_j R)`` over the ``2K + 1`` real parameters; the
    bound on the directions is the ``K × K`` block of ``F⁻¹``.  For one source it equals
    the closed form ``(1/(2n h))(1/SNR + 1/(M·SNR²))`` with ``h = dᴴ(I − a aᴴ/M) d``.

    Parameters
    ----------
    angles : array_like, shape (K,)
        True directions in radians.
    powers : array_like, shape (K,)
        Source powers (positive).
    noise_var : float
        Noise variance ``σ²`` per sensor.
    n_sensors, n_snapshots : int
    spacing : float, default 0.5

    Returns
    -------
    ndarray, shape (K, K)
        Lower bound on the covariance of unbiased direction estimates, in radians².
        ``sqrt(mean(diag))`` is the bound on the RMSE.

    Examples
    --------
    >>> import numpy as np
    >>> crb = ula_crb(np.deg2rad([0.0]), [1.0], 1.0, 10, 100)
    >>> h = np.sum((np.pi * (np.arange(10) - 4.5)) ** 2)     # dᴴ(I - a aᴴ/M)d at broadside
    >>> bool(np.isclose(crb[0, 0], (1 + 1 / 10) / (2 * 100 * h)))
    True
    """
    theta = as_float_array(angles, "angles").ravel().real
    p = as_float_array(powers, "powers").ravel().real
    check_finite(theta, "angles")
    check_finite(p, "powers")
    if theta.size == 0 or theta.shape != p.shape:
        raise ValueError(
            f"angles and powers must be non-empty and of equal length, got {theta.size} "
            f"and {p.size}"
        )
    if np.any(p <= 0) or not noise_var > 0:
        raise ValueError("powers and noise_var must be positive")
    if n_snapshots < 1 or n_sensors <= theta.size:
        raise ValueError(
            f"need n_snapshots >= 1 and n_sensors > K, got {n_snapshots} and {n_sensors}"
        )
    d = _check_spacing(spacing)
    k = theta.size
    a = ula_steering(theta, n_sensors, d)
    da = 2j * np.pi * d * np.arange(n_sensors)[:, None] * np.cos(theta)[None, :] * a
    r = (a * p) @ a.conj().T + noise_var * np.eye(n_sensors)
    r_inv = np.linalg.inv(r)
    derivs = [p[i] * (np.outer(da[:, i], a[:, i].conj()) + np.outer(a[:, i], da[:, i].conj()))
              for i in range(k)]
    derivs += [np.outer(a[:, i], a[:, i].conj()) for i in range(k)]
    derivs.append(np.eye(n_sensors))
    w = [r_inv @ dr for dr in derivs]
    fim = np.array([[np.real(np.sum(wi * wj.T)) for wj in w] for wi in w]) * n_snapshots
    return np.linalg.inv(fim)[:k, :k]


def doa_rmse(estimates: ArrayLike, truth: ArrayLike) -> float:
    """Root-mean-square direction error, estimates matched to the truth in sorted order.

    Parameters
    ----------
    estimates : array_like, shape (n_trials, K) or (K,)
    truth : array_like, shape (K,)

    Returns
    -------
    float
        ``sqrt(mean((sort(est) − sort(truth))²))`` over trials and sources, in the units
        of the inputs.

    Examples
    --------
    >>> doa_rmse([[0.1, 0.5], [-0.1, 0.5]], [0.0, 0.5])
    0.07071067811865477
    """
    est = as_float_array(estimates, "estimates").real
    tru = np.sort(as_float_array(truth, "truth").real.ravel())
    est = np.atleast_2d(est)
    if est.shape[-1] != tru.size:
        raise ValueError(f"estimates have {est.shape[-1]} sources but truth has {tru.size}")
    check_finite(est, "estimates")
    return float(np.sqrt(np.mean((np.sort(est, axis=-1) - tru) ** 2)))
