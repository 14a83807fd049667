"""Constant-modulus (CMA, Godard p = 2) blind equalization and its residual phase rotation.

A symbol stream ``s[n]`` (i.i.d., zero mean, unit power, circular: ``E s² = 0``) passes a
channel ``h`` and white noise ``v ~ CN(0, σ²)``: ``x[n] = Σ_m h_m s[n−m] + v[n]``.  The
equalizer ``y[n] = Σ_k w_k x[n−k]`` minimizes ``J(w) = E(|y|² − R₂)²``, ``R₂ = E|s|⁴ / E|s|²``,
by stochastic gradient descent

    w ← w − μ (|y[n]|² − R₂) y[n] x̄_n,      x_n = (x[n], x[n−1], …, x[n−L+1]).

``J`` is invariant under ``w → e^{jφ} w`` (a U(1) symmetry) while a QAM or PSK constellation is
invariant only under rotations by multiples of π/2 (Z₄): CMA opens the eye but leaves a phase
rotation that the cost cannot see.  Which rotation it leaves is decided by the dynamics, and
:func:`cma_predict_rotation` predicts it from the channel and the initial equalizer only.

The prediction (derived in docs/provenance.md).  With the combined response ``g = h ⋆ w`` and
``P = ‖g‖² + σ²‖w‖²``, for such a source

    J = 2P² + (κ − 2) Σ_j |g_j|⁴ − 2R₂P + R₂²,      κ = E|s|⁴,

which depends on the moduli ``|g_j|`` only: ``J`` is invariant under an independent phase on
every tap of ``g`` (a torus U(1)^{L_g}, not just U(1)).  Its mean (averaged) gradient is

    ∂J/∂w̄_k = Σ_j h̄_{j−k} [(4P − 2R₂) g_j + 2(κ − 2)|g_j|² g_j] + (4P − 2R₂) σ² w_k,

and the mean recursion ``w ← w − (μ/2) ∂J/∂w̄`` (the ODE the stochastic algorithm tracks for
small ``μ``) moves each ``g_j`` by a *real* multiple of itself when ``H Hᴴ = I``; then every
tap keeps its initial phase and the surviving tap ``d`` carries ``arg g₀[d]`` (zeroth-order
prediction).  For a real channel ``H Hᴴ ≠ I`` mixes phases; the prediction integrates the
mean recursion from ``w₀`` (deterministic; no data, no converged taps) and reads the phase of
its dominant tap.  Rotations are compared modulo π/2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "constellation",
    "CMAResult",
    "cma_equalize",
    "cma_mean_trajectory",
    "cma_predict_rotation",
    "measure_rotation",
    "wrap_quarter",
]

_CONSTELLATIONS = ("qpsk", "8psk", "16qam", "64qam")


def constellation(name: str) -> NDArray[Any]:
    """Unit-power constellation points: ``"qpsk"``, ``"8psk"``, ``"16qam"`` or ``"64qam"``.

    Examples
    --------
    >>> import numpy as np
    >>> c = constellation("16qam")
    >>> c.size, round(float(np.mean(np.abs(c) ** 2)), 12), round(float(np.mean(np.abs(c) ** 4)), 4)
    (16, 1.0, 1.32)
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    key = name.lower().replace("-", "")
    if key == "qpsk":
        pts = np.exp(1j * (np.pi / 4 + np.pi / 2 * np.arange(4)))
    elif key == "8psk":
        pts = np.exp(2j * np.pi * np.arange(8) / 8)
    elif key in ("16qam", "64qam"):
        m = 4 if key == "16qam" else 8
        a = np.arange(-m + 1, m, 2, dtype=float)
        pts = (a[:, None] + 1j * a[None, :]).ravel()
        pts /= np.sqrt(np.mean(np.abs(pts) ** 2))
    else:
        raise ValueError(f"name must be one of {_CONSTELLATIONS}, got {name!r}")
    return cast("NDArray[Any]", pts)


@dataclass(frozen=True)
class CMAResult:
    """Output of :func:`cma_equalize`.

    Attributes
    ----------
    output : ndarray, shape (batch, n_samples − L + 1)
        ``y[n]`` for ``n = L−1 … n_samples−1`` (computed with the taps before their update).
    taps : ndarray, shape (batch, L)
        The final taps.
    """

    output: NDArray[Any]
    taps: NDArray[Any]


def _as_batch(x: ArrayLike, name: str) -> tuple[NDArray[Any], bool]:
    a = np.asarray(x)
    if a.dtype == object or not np.issubdtype(a.dtype, np.number):
        raise TypeError(f"{name} must be a numeric array, got dtype {a.dtype}")
    if a.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D or 2-D (batch, samples), got shape {a.shape}")
    a = np.atleast_2d(a).astype(complex)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite")
    return a, np.asarray(x).ndim == 1


def _initial_taps(w0: ArrayLike | None, n_taps: int, batch: int) -> NDArray[Any]:
    if w0 is None:
        w = np.zeros((batch, n_taps), complex)
        w[:, n_taps // 2] = 1.0
        return w
    w = np.array(w0, dtype=complex)  # a copy: the caller's array is never touched
    if w.ndim == 1:
        w = np.broadcast_to(w, (batch, w.size)).copy()
    if w.shape != (batch, n_taps):
        raise ValueError(f"w0 must have shape ({n_taps},) or ({batch}, {n_taps}), got {w.shape}")
    return w


def _check_common(n_taps: int, step: float, modulus: float | None) -> None:
    if int(n_taps) != n_taps or n_taps < 1:
        raise ValueError(f"n_taps must be a positive integer, got {n_taps}")
    if not (np.isfinite(step) and step > 0):
        raise ValueError(f"step must be a positive number, got {step}")
    if modulus is not None and not (np.isfinite(modulus) and modulus > 0):
        raise ValueError(f"modulus must be a positive number, got {modulus}")


def cma_equalize(
    x: ArrayLike,
    n_taps: int,
    step: float,
    *,
    modulus: float = 1.0,
    w0: ArrayLike | None = None,
) -> CMAResult:
    """Blind constant-modulus equalization (CMA 2-2) by stochastic gradient.

    ``y[n] = Σ_k w_k x[n−k]`` and ``w ← w − μ (|y[n]|² − R₂) y[n] x̄_n`` once per sample.
    Several independent streams (rows of a 2-D ``x``) are equalized at once, each with its
    own taps.

    Parameters
    ----------
    x : array_like, shape (n_samples,) or (batch, n_samples)
        Received samples (one per symbol).
    n_taps : int
        Equalizer length ``L``.
    step : float
        Step size ``μ``.
    modulus : float, default 1.0
        Dispersion constant ``R₂ = E|s|⁴ / E|s|²`` (1 for unit PSK; 1.32 for unit 16-QAM:
        use ``np.mean(abs(c)**4) / np.mean(abs(c)**2)`` of :func:`constellation`).
    w0 : array_like, shape (L,) or (batch, L), optional
        Initial taps; default the centre spike ``e_{L//2}``.

    Returns
    -------
    CMAResult

    Examples
    --------
    A QPSK stream through a mild two-tap channel: CMA restores a constant modulus.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> s = constellation("qpsk")[rng.integers(0, 4, 6000)]
    >>> x = np.convolve(s, [1.0, 0.4j])[: s.size]
    >>> res = cma_equalize(x, 11, 2e-3)
    >>> y = res.output[0, -1000:]
    >>> bool(np.mean((np.abs(y) ** 2 - 1) ** 2) < 0.01)
    True
    """
    _check_common(n_taps, step, modulus)
    xb, _ = _as_batch(x, "x")
    if xb.shape[1] < n_taps:
        raise ValueError(f"x must have at least n_taps={n_taps} samples, got {xb.shape[1]}")
    w = _initial_taps(w0, int(n_taps), xb.shape[0])
    # regressors x_n = (x[n], x[n-1], ..., x[n-L+1]) for n = L-1 ... N-1: a strided view
    win = sliding_window_view(xb, int(n_taps), axis=1)[:, :, ::-1]
    win_c = np.conj(win)
    n_out = win.shape[1]
    out = np.empty((xb.shape[0], n_out), complex)
    for n in range(n_out):
        xn = win[:, n, :]
        y = np.einsum("bk,bk->b", w, xn)
        out[:, n] = y
        w -= (step * (y.real**2 + y.imag**2 - modulus) * y)[:, None] * win_c[:, n, :]
    return CMAResult(out, w)


def _conv_matrix(h: NDArray[Any], n_taps: int) -> NDArray[Any]:
    """``C`` with ``(C w)_j = Σ_k h_{j−k} w_k``: shape (batch, len(h) + L − 1, L)."""
    b, lh = h.shape
    C = np.zeros((b, lh + n_taps - 1, n_taps), complex)
    for k in range(n_taps):
        C[:, k : k + lh, k] = h
    return C


def cma_mean_trajectory(
    h: ArrayLike,
    n_taps: int,
    step: float,
    n_iter: int,
    *,
    kurtosis: float,
    noise_var: float = 0.0,
    modulus: float | None = None,
    w0: ArrayLike | None = None,
) -> NDArray[Any]:
    """The mean (averaged) CMA recursion ``w ← w − (μ/2) ∂J/∂w̄``, integrated from ``w₀``.

    Uses the closed-form gradient of ``J = E(|y|² − R₂)²`` for an i.i.d. circular unit-power
    source of fourth moment ``κ = E|s|⁴`` and white noise of variance ``σ²``:

        ∂J/∂w̄_k = Σ_j h̄_{j−k} [(4P − 2R₂) g_j + 2(κ − 2)|g_j|² g_j] + (4P − 2R₂) σ² w_k,

    with ``g = h ⋆ w`` and ``P = ‖g‖² + σ²‖w‖²``.  This is the expectation of the
    stochastic update of :func:`cma_equalize`; it uses no data.

    Parameters
    ----------
    h : array_like, shape (n_h,) or (batch, n_h)
        Symbol-spaced channel(s).
    n_taps, step : int, float
        As in :func:`cma_equalize`.
    n_iter : int
        Number of iterations (one per sample of the stochastic algorithm).
    kurtosis : float
        ``κ = E|s|⁴`` of the unit-power source (1 for PSK, 1.32 for 16-QAM).
    noise_var : float, default 0
        ``σ²``.
    modulus : float, optional
        ``R₂``; default ``κ`` (unit power).
    w0 : array_like, optional
        Initial taps; default the centre spike.

    Returns
    -------
    ndarray, shape (batch, L)
        The taps after ``n_iter`` mean iterations.

    Examples
    --------
    The mean gradient at ``w₀`` equals the average of the stochastic one:

    >>> import numpy as np
    >>> h = np.array([1.0, 0.3 + 0.2j]) / np.sqrt(1.13)
    >>> w1 = cma_mean_trajectory(h, 3, 1e-2, 1, kurtosis=1.0)
    >>> w1.shape
    (1, 3)
    """
    _check_common(n_taps, step, modulus)
    hb, _ = _as_batch(h, "h")
    if int(n_iter) != n_iter or n_iter < 0:
        raise ValueError(f"n_iter must be a non-negative integer, got {n_iter}")
    if not (np.isfinite(kurtosis) and kurtosis > 0):
        raise ValueError(f"kurtosis must be a positive number, got {kurtosis}")
    if not (np.isfinite(noise_var) and noise_var >= 0):
        raise ValueError(f"noise_var must be a non-negative number, got {noise_var}")
    r2 = float(kurtosis if modulus is None else modulus)
    w = _initial_taps(w0, int(n_taps), hb.shape[0])
    C = _conv_matrix(hb, int(n_taps))
    Ch = np.conj(np.swapaxes(C, 1, 2))
    for _ in range(int(n_iter)):
        g = np.einsum("bjk,bk->bj", C, w)
        ag = g.real**2 + g.imag**2
        P = ag.sum(axis=1) + noise_var * np.sum(np.abs(w) ** 2, axis=1)
        a = (4 * P - 2 * r2)[:, None]
        grad = np.einsum("bkj,bj->bk", Ch, a * g + 2 * (kurtosis - 2) * ag * g) + noise_var * a * w
        w = w - 0.5 * step * grad
    return w


def wrap_quarter(theta: ArrayLike) -> NDArray[Any]:
    """Angles reduced modulo π/2 into ``(−π/4, π/4]`` (the ambiguity of a Z₄ constellation).

    Examples
    --------
    >>> import numpy as np
    >>> np.round(np.rad2deg(wrap_quarter(np.deg2rad([50.0, -100.0, 45.0]))), 6)
    array([-40., -10.,  45.])
    """
    t = np.asarray(theta, dtype=float)
    q = np.pi / 2
    return cast("NDArray[Any]", -((-t + q / 2) % q - q / 2))


def cma_predict_rotation(
    h: ArrayLike,
    n_taps: int,
    step: float,
    n_iter: int,
    *,
    kurtosis: float,
    noise_var: float = 0.0,
    modulus: float | None = None,
    w0: ArrayLike | None = None,
) -> dict[str, NDArray[Any]]:
    """Predict the phase rotation CMA leaves, from the channel and the initial taps only.

    Returns a dict of arrays (one entry per channel):

    * ``"zeroth_order"``: ``arg g₀[d₀]``, ``g₀ = h ⋆ w₀``, ``d₀ = argmax |g₀|`` (exact when the
      channel's convolution matrix has orthonormal rows and that tap wins);
    * ``"mean_ode"``: ``arg g[d]`` for the mean recursion of :func:`cma_mean_trajectory`
      after ``n_iter`` iterations, ``d = argmax |g|``;
    * ``"delay_zeroth_order"``, ``"delay_mean_ode"``: the predicted surviving delays ``d``.

    Angles are in radians, reduced modulo π/2 by :func:`wrap_quarter`.

    Examples
    --------
    For a pure delay-and-phase channel the rotation is the channel's phase:

    >>> import numpy as np
    >>> h = np.array([0.0, np.exp(0.3j)])
    >>> p = cma_predict_rotation(h, 5, 1e-3, 100, kurtosis=1.0)
    >>> round(float(p["zeroth_order"][0]), 6), round(float(p["mean_ode"][0]), 6)
    (0.3, 0.3)
    """
    hb, _ = _as_batch(h, "h")
    w_init = _initial_taps(w0, int(n_taps), hb.shape[0])
    w_end = cma_mean_trajectory(hb, n_taps, step, n_iter, kurtosis=kurtosis, noise_var=noise_var,
                                modulus=modulus, w0=w_init)
    C = _conv_matrix(hb, int(n_taps))
    out: dict[str, NDArray[Any]] = {}
    for key, w in (("zeroth_order", w_init), ("mean_ode", w_end)):
        g = np.einsum("bjk,bk->bj", C, w)
        d = np.argmax(np.abs(g), axis=1)
        out[key] = wrap_quarter(np.angle(g[np.arange(g.shape[0]), d]))
        out[f"delay_{key}"] = d
    return out


def measure_rotation(
    y: ArrayLike, s: ArrayLike, *, n_taps: int, max_delay: int | None = None
) -> dict[str, NDArray[Any]]:
    """Rotation, delay and residual error of equalizer outputs against the sent symbols.

    For output rows ``y`` (as returned by :func:`cma_equalize`: ``y[i]`` is time
    ``i + n_taps − 1``) and symbols ``s``, finds the delay ``d`` maximizing
    ``|Σ_i y[i] s̄[i + n_taps − 1 − d]|``, the rotation ``θ = arg`` of that correlation
    (reduced modulo π/2) and the mean-square error ``mean|y e^{−jθ_full}/|c| − s|²`` after
    the full-phase and gain correction (in linear units).

    Examples
    --------
    >>> import numpy as np
    >>> s = constellation("qpsk")[np.random.default_rng(0).integers(0, 4, 200)]
    >>> y = np.exp(0.1j) * s[1:-2]          # delay 2 seen through 4 taps (time i + 3)
    >>> m = measure_rotation(y, s, n_taps=4)
    >>> int(m["delay"][0]), round(float(m["rotation"][0]), 6), bool(m["mse"][0] < 1e-20)
    (2, 0.1, True)
    """
    yb, _ = _as_batch(y, "y")
    sb, _ = _as_batch(s, "s")
    if sb.shape[0] == 1 and yb.shape[0] > 1:
        sb = np.broadcast_to(sb, (yb.shape[0], sb.shape[1]))
    if sb.shape[0] != yb.shape[0]:
        raise ValueError(f"y has {yb.shape[0]} rows but s has {sb.shape[0]}")
    lead = int(n_taps) - 1
    n_y = yb.shape[1]
    if sb.shape[1] < n_y + lead:
        raise ValueError(f"s must have at least {n_y + lead} symbols, got {sb.shape[1]}")
    max_d = lead + 8 if max_delay is None else int(max_delay)
    best_c = np.zeros(yb.shape[0], complex)
    best_d = np.zeros(yb.shape[0], int)
    i0 = max(0, max_d - lead)  # skip the outputs whose reference would precede s[0]
    for d in range(max_d + 1):
        ref = sb[:, i0 + lead - d : n_y + lead - d]
        c = np.sum(yb[:, i0:] * np.conj(ref), axis=1) / ref.shape[1]
        better = np.abs(c) > np.abs(best_c)
        best_c = np.where(better, c, best_c)
        best_d = np.where(better, d, best_d)
    rows = np.arange(yb.shape[0])
    ref = np.stack([sb[r, i0 + lead - best_d[r] : n_y + lead - best_d[r]] for r in rows])
    gain = best_c / np.mean(np.abs(ref) ** 2, axis=1)
    mse = np.mean(np.abs(yb[:, i0:] / gain[:, None] - ref) ** 2, axis=1)
    return {"rotation": wrap_quarter(np.angle(best_c)), "delay": best_d, "mse": mse,
            "rotation_full": np.angle(best_c)}
