"""MUSIC, root-MUSIC and the stochastic CRB on a ULA, against independent formulas."""

import numpy as np
import pytest

from algdiv import group_average
from algdiv.arrays import (
    doa_rmse,
    music_doa,
    music_spectrum,
    root_music,
    spectrum_peaks,
    ula_crb,
    ula_steering,
)
from algdiv.groups import cyclic


def _exact_cov(deg, M, noise=0.1, spacing=0.5):
    A = ula_steering(np.deg2rad(deg), M, spacing)
    return A @ A.conj().T + noise * np.eye(M)


@pytest.mark.parametrize("spacing", [0.5, 0.25])
@pytest.mark.parametrize("deg", [[7.3], [-41.0, 3.2], [-60.0, -5.5, 33.3]])
def test_root_music_recovers_exact_directions(deg, spacing):
    R = _exact_cov(deg, 11, spacing=spacing)
    est = np.rad2deg(root_music(R, len(deg), spacing=spacing))
    np.testing.assert_allclose(est, np.sort(deg), atol=1e-5)
    grid = np.rad2deg(music_doa(R, len(deg), spacing=spacing, method="grid"))
    np.testing.assert_allclose(grid, np.sort(deg), atol=2e-3)


def test_spectrum_equals_projector_formula():
    # For the exact covariance the noise subspace is the orthogonal complement of span(A).
    deg = [-20.0, 15.0]
    M = 9
    A = ula_steering(np.deg2rad(deg), M)
    P_perp = np.eye(M) - A @ np.linalg.solve(A.conj().T @ A, A.conj().T)
    grid = np.deg2rad(np.linspace(-80, 80, 96))  # avoids the exact source directions
    a = ula_steering(grid, M)
    expected = M / np.real(np.einsum("mk,mn,nk->k", a.conj(), P_perp, a))
    got = music_spectrum(_exact_cov(deg, M), 2, grid)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    # the steering form of the same call
    np.testing.assert_allclose(music_spectrum(_exact_cov(deg, M), 2, steering=a), got)


def test_single_snapshot_cyclic_average_is_exact_on_the_dft_grid():
    # a(θ) with 2π d sin θ = 2π k/M is a DFT vector, so a aᴴ is circulant and the
    # Z_M average of one noise-free snapshot is the true (rank-one) covariance.
    M, k = 16, 3
    theta = np.arcsin(2 * k / M)
    x = 1.7 * np.exp(0.4j) * ula_steering(theta, M)[:, 0]
    R1 = group_average(x, cyclic(M))
    np.testing.assert_allclose(R1, np.outer(x, x.conj()), atol=1e-12)
    assert abs(root_music(R1 + 1e-3 * np.eye(M), 1)[0] - theta) < 1e-6


def test_spectrum_peaks_refines_and_pads():
    g = np.linspace(-1, 1, 41)  # step 0.05, peak between grid points
    s = 1 / (1e-3 + (g - 0.112) ** 2)
    (p,) = spectrum_peaks(s, g, 1)
    assert abs(p - 0.112) < 0.01
    np.testing.assert_allclose(spectrum_peaks(s, g, 3), [p, p, p])
    with pytest.raises(ValueError, match="same length"):
        spectrum_peaks(s, g[:-1], 1)


def _stoica_nehorai_crb(theta, p, sigma2, M, n):
    """CRB for arbitrary (possibly correlated) unknown source covariance (Stoica-Nehorai 1990)."""
    A = ula_steering(theta, M)
    D = 2j * np.pi * 0.5 * np.arange(M)[:, None] * np.cos(theta)[None, :] * A
    P = np.diag(p)
    R = A @ P @ A.conj().T + sigma2 * np.eye(M)
    Pp = np.eye(M) - A @ np.linalg.solve(A.conj().T @ A, A.conj().T)
    H = D.conj().T @ Pp @ D
    Q = P @ A.conj().T @ np.linalg.solve(R, A) @ P
    return sigma2 / (2 * n) * np.linalg.inv(np.real(H * Q.T))


def test_crb_one_source_closed_form_and_scaling():
    theta, M, snr, n = 0.37, 7, 3.0, 50
    a = ula_steering(theta, M)[:, 0]
    d = 2j * np.pi * 0.5 * np.arange(M) * np.cos(theta) * a
    h = np.real(d.conj() @ d - abs(a.conj() @ d) ** 2 / M)
    closed = (1 / snr + 1 / (M * snr**2)) / (2 * n * h)
    crb = ula_crb([theta], [snr], 1.0, M, n)
    assert np.isclose(crb[0, 0], closed, rtol=1e-10)
    assert np.isclose(ula_crb([theta], [snr], 1.0, M, 2 * n)[0, 0], closed / 2, rtol=1e-10)
    assert np.isclose(_stoica_nehorai_crb(np.array([theta]), [snr], 1.0, M, n)[0, 0], closed)


def test_crb_uncorrelated_prior_is_below_the_unstructured_bound():
    theta = np.deg2rad([-8.0, 4.0])
    ours = ula_crb(theta, [2.0, 1.0], 1.0, 8, 20)
    sn = _stoica_nehorai_crb(theta, [2.0, 1.0], 1.0, 8, 20)
    assert np.all(np.linalg.eigvalsh(sn - ours) > -1e-15)
    assert np.all(np.diag(ours) > 0)


def test_root_music_variance_approaches_crb_for_one_source():
    rng = np.random.default_rng(3)
    M, n, snr, theta = 8, 200, 10.0, 0.2
    a = ula_steering(theta, M)[:, 0]
    est = []
    for _ in range(300):
        s = np.sqrt(snr / 2) * (rng.standard_normal(n) + 1j * rng.standard_normal(n))
        noise = (rng.standard_normal((n, M)) + 1j * rng.standard_normal((n, M))) / np.sqrt(2)
        X = s[:, None] * a[None, :] + noise
        est.append(root_music(X.T @ X.conj() / n, 1))
    ratio = doa_rmse(np.array(est), [theta]) ** 2 / ula_crb([theta], [snr], 1.0, M, n)[0, 0]
    assert 0.8 < ratio < 1.6


def test_doa_rmse_sorts_before_matching():
    assert doa_rmse([[0.5, 0.0]], [0.0, 0.5]) == 0.0
    assert np.isclose(doa_rmse([0.1, 0.5], [0.0, 0.5]), np.sqrt(0.005))
    with pytest.raises(ValueError, match="sources"):
        doa_rmse([[0.1]], [0.0, 0.5])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda R: root_music(R, 0), "n_sources"),
        (lambda R: root_music(R, 6), "n_sources"),
        (lambda R: root_music(R, 1.5), "int"),
        (lambda R: root_music(R + np.triu(np.ones((6, 6)), 1), 1), "Hermitian"),
        (lambda R: root_music(R[:, :5], 1), "square"),
        (lambda R: root_music(np.where(np.eye(6) > 0, np.nan, R), 1), "NaN"),
        (lambda R: root_music(R, 1, spacing=-1.0), "spacing"),
        (lambda R: music_spectrum(R, 1), "exactly one"),
        (lambda R: music_spectrum(R, 1, steering=np.ones((5, 3))), "steering"),
        (lambda R: music_doa(R, 1, method="esprit"), "method"),
        (lambda R: ula_crb([0.1], [1.0, 2.0], 1.0, 6, 10), "equal length"),
        (lambda R: ula_crb([0.1], [-1.0], 1.0, 6, 10), "positive"),
    ],
)
def test_bad_input_is_named(call, match):
    R = _exact_cov([10.0], 6)
    with pytest.raises((ValueError, TypeError), match=match):
        call(R)


def test_inputs_not_modified():
    R = _exact_cov([10.0, -30.0], 6)
    before = R.copy()
    music_spectrum(R, 2, np.linspace(-1, 1, 5))
    root_music(R, 2)
    np.testing.assert_array_equal(R, before)
