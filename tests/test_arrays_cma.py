"""CMA equalizer, its mean recursion and the prediction of the residual phase rotation."""

import numpy as np
import pytest

from algdiv.arrays import (
    cma_equalize,
    cma_mean_trajectory,
    cma_predict_rotation,
    constellation,
    measure_rotation,
    tdl_channel,
    wrap_quarter,
)


def _naive_cma(x, n_taps, step, modulus, w0):
    """Straight transcription of the CMA 2-2 recursion, one sample at a time."""
    w = np.array(w0, complex)
    out = []
    for n in range(n_taps - 1, x.size):
        xn = x[n - np.arange(n_taps)]
        y = np.sum(w * xn)
        out.append(y)
        w = w - step * (abs(y) ** 2 - modulus) * y * np.conj(xn)
    return np.array(out), w


@pytest.mark.parametrize("name, kurt", [("qpsk", 1.0), ("8psk", 1.0), ("16qam", 1.32), ("64qam", 1.380952)])
def test_constellations_unit_power_z4_invariant(name, kurt):
    c = constellation(name)
    np.testing.assert_allclose(np.mean(np.abs(c) ** 2), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.mean(np.abs(c) ** 4), kurt, rtol=1e-6)
    np.testing.assert_allclose(np.mean(c**2), 0.0, atol=1e-12)  # circular: E s² = 0
    # invariant under rotation by π/2: every rotated point is a point
    d = np.abs((1j * c)[:, None] - c[None, :]).min(axis=1)
    assert d.max() < 1e-12
    with pytest.raises(ValueError, match="name"):
        constellation("32apsk")


def test_equalizer_matches_naive_recursion_and_batches_independently():
    rng = np.random.default_rng(0)
    s = constellation("16qam")[rng.integers(0, 16, (3, 800))]
    h = tdl_channel("A", 100e-9, 200e-9, rng, n_realizations=3)
    x = np.stack([np.convolve(s[b], h[b])[:800] for b in range(3)])
    x += 0.05 * (rng.standard_normal(x.shape) + 1j * rng.standard_normal(x.shape))
    w0 = rng.standard_normal(7) + 1j * rng.standard_normal(7)
    w0_copy = w0.copy()
    res = cma_equalize(x, 7, 2e-3, modulus=1.32, w0=w0)
    np.testing.assert_array_equal(w0, w0_copy)  # the caller's taps are not modified
    for b in range(3):
        out, w = _naive_cma(x[b], 7, 2e-3, 1.32, w0)
        np.testing.assert_allclose(res.output[b], out, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(res.taps[b], w, rtol=1e-10, atol=1e-12)
        one = cma_equalize(x[b], 7, 2e-3, modulus=1.32, w0=w0)
        np.testing.assert_allclose(one.taps[0], res.taps[b], rtol=1e-12)


@pytest.mark.parametrize("name, noise_var", [("qpsk", 0.0), ("16qam", 0.1)])
def test_mean_gradient_is_the_expected_stochastic_gradient(name, noise_var):
    # (w0 − w1) · 2/μ from the closed form = 2 E[(|y|² − R₂) y x̄] estimated by Monte Carlo
    rng = np.random.default_rng(1)
    c = constellation(name)
    kappa = float(np.mean(np.abs(c) ** 4))
    h = np.array([0.3 - 0.1j, 1.0, 0.4j, -0.2]) / np.sqrt(1.3)
    L, n = 5, 400_000
    w0 = np.zeros(L, complex)
    w0[2] = 1.0
    w0 += 0.2 * (rng.standard_normal(L) + 1j * rng.standard_normal(L))
    step = 1e-3
    w1 = cma_mean_trajectory(h, L, step, 1, kurtosis=kappa, noise_var=noise_var, w0=w0)[0]
    grad_closed = (w0 - w1) * 2 / step
    s = c[rng.integers(0, c.size, n + 10)]
    x = np.convolve(s, h)[: n + 10]
    x += np.sqrt(noise_var / 2) * (rng.standard_normal(x.shape) + 1j * rng.standard_normal(x.shape))
    win = np.lib.stride_tricks.sliding_window_view(x, L)[:, ::-1]
    y = win @ w0
    grad_mc = 2 * np.mean(((np.abs(y) ** 2 - kappa) * y)[:, None] * np.conj(win), axis=0)
    np.testing.assert_allclose(grad_mc, grad_closed, rtol=0, atol=0.03 * np.linalg.norm(grad_closed))


def test_mean_flow_keeps_every_tap_phase_when_rows_are_orthonormal():
    # a pure delay with a phase: H Hᴴ = I on its rows, so each g_j only scales by a real factor
    rng = np.random.default_rng(2)
    h = np.array([0.0, 0.0, np.exp(0.7j)])
    w0 = rng.standard_normal(6) + 1j * rng.standard_normal(6)
    w0 /= 2 * np.linalg.norm(w0)
    g0 = np.convolve(h, w0)
    for n_iter in (10, 300):
        g = np.convolve(h, cma_mean_trajectory(h, 6, 5e-3, n_iter, kurtosis=1.32, w0=w0)[0])
        ratio = g[2:] / g0[2:]
        np.testing.assert_allclose(ratio.imag, 0.0, atol=1e-12 * np.abs(ratio).max())
    p = cma_predict_rotation(h, 6, 5e-3, 3000, kurtosis=1.32, w0=w0)
    np.testing.assert_allclose(p["mean_ode"], p["zeroth_order"], atol=1e-9)


def test_mean_recursion_reaches_a_zero_forcing_tap_on_an_invertible_channel():
    # minimum-phase two-tap channel: the mean flow converges to g ≈ e^{jθ} δ_d, |g_d|² ≈ 1 for PSK
    h = np.array([1.0, 0.35 + 0.2j])
    w = cma_mean_trajectory(h, 15, 5e-3, 20000, kurtosis=1.0)[0]
    g = np.convolve(h, w)
    d = np.argmax(np.abs(g))
    assert abs(abs(g[d]) - 1.0) < 0.02
    assert np.sum(np.abs(np.delete(g, d)) ** 2) < 2e-3


def test_predicted_rotation_matches_stochastic_cma_on_tdl_channels():
    rng = np.random.default_rng(3)
    c = constellation("qpsk")
    B, N, L, mu = 6, 12000, 15, 1e-3
    h = tdl_channel("C", 100e-9, 200e-9, rng, n_realizations=B)
    s = c[rng.integers(0, 4, (B, N))]
    x = np.stack([np.convolve(s[b], h[b])[:N] for b in range(B)])
    x += 0.1 * (rng.standard_normal(x.shape) + 1j * rng.standard_normal(x.shape))
    eq = cma_equalize(x, L, mu)
    meas = measure_rotation(eq.output[:, -3000:], s[:, -3000 - L + 1:], n_taps=L, max_delay=L + h.shape[1])
    pred = cma_predict_rotation(h, L, mu, eq.output.shape[1], kurtosis=1.0, noise_var=0.02)
    ok = meas["mse"] < 0.1
    assert ok.sum() >= 4
    err = np.rad2deg(np.abs(wrap_quarter(pred["mean_ode"] - meas["rotation"])))[ok]
    assert err.max() < 2.0
    np.testing.assert_array_equal(pred["delay_mean_ode"][ok], meas["delay"][ok])


def test_wrap_quarter_and_measure_rotation():
    t = np.linspace(-7, 7, 1001)
    w = wrap_quarter(t)
    assert np.all(w > -np.pi / 4) and np.all(w <= np.pi / 4 + 1e-15)
    np.testing.assert_allclose(np.cos(4 * w), np.cos(4 * t), atol=1e-12)
    rng = np.random.default_rng(4)
    s = constellation("16qam")[rng.integers(0, 16, (2, 500))]
    L = 5
    # y[i] (time i + L − 1) = g e^{jθ} s[i + L − 1 − d]
    y = np.stack([0.8 * np.exp(1.1j) * s[0, 1:497], np.exp(-0.3j) * s[1, 4:500]])
    m = measure_rotation(y, s, n_taps=L)
    np.testing.assert_array_equal(m["delay"], [3, 0])
    np.testing.assert_allclose(m["rotation"], wrap_quarter([1.1, -0.3]), atol=1e-12)
    np.testing.assert_allclose(m["mse"], 0.0, atol=1e-20)


def test_bad_arguments_are_named():
    x = np.ones(50, complex)
    with pytest.raises(ValueError, match="n_taps"):
        cma_equalize(x, 0, 1e-3)
    with pytest.raises(ValueError, match="step"):
        cma_equalize(x, 5, -1.0)
    with pytest.raises(ValueError, match="w0"):
        cma_equalize(x, 5, 1e-3, w0=np.ones(4))
    with pytest.raises(ValueError, match="x must be finite"):
        cma_equalize(np.full(50, np.nan), 5, 1e-3)
    with pytest.raises(ValueError, match="kurtosis"):
        cma_mean_trajectory([1.0], 3, 1e-3, 5, kurtosis=-1.0)
    with pytest.raises(ValueError, match="s must have"):
        measure_rotation(np.ones(10), np.ones(5), n_taps=3)
