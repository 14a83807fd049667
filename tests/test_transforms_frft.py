"""The discrete fractional Fourier transform: a one-parameter group through the DFT."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.fft

from algdiv.transforms import frft, frft_matrix, hermite_gauss
from algdiv.transforms.frft import _commuting_matrix

SIZES = list(range(1, 18)) + [32, 33, 34, 35, 64]


@pytest.mark.parametrize("n", SIZES)
def test_hermite_gauss_vectors_are_dft_eigenvectors(n):
    V, k = hermite_gauss(n)
    np.testing.assert_allclose(V.T @ V, np.eye(n), rtol=1e-10, atol=1e-12)
    S = _commuting_matrix(n)
    F = scipy.fft.fft(np.eye(n), axis=0, norm="ortho")
    # S commutes with the DFT
    np.testing.assert_allclose(S @ F, F @ S, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(F @ V, V * (-1j) ** k, rtol=1e-10, atol=1e-10)
    # the orders: 0..n-1, except that for n even the top odd-parity slot moves up by one
    expected = list(range(n)) if n % 2 else list(range(n - 1)) + [n]
    assert k.tolist() == expected


@pytest.mark.parametrize("n", SIZES)
def test_order_one_is_the_unitary_dft_and_order_zero_the_identity(n, rng):
    x = rng.standard_normal((2, n)) + 1j * rng.standard_normal((2, n))
    np.testing.assert_allclose(frft(x, 1.0), scipy.fft.fft(x, norm="ortho"), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(
        frft(x, -1.0), scipy.fft.ifft(x, norm="ortho"), rtol=1e-10, atol=1e-10
    )
    np.testing.assert_allclose(frft(x, 0.0), x, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(frft(x, 4.0), x, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(frft(x, 2.0), x[:, (-np.arange(n)) % n], rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("n", [5, 8, 16, 31])
def test_group_law_and_unitarity(n, rng):
    x = rng.standard_normal(n)
    for a, b in [(0.3, 0.5), (-0.7, 1.9), (2.5, 2.25)]:
        np.testing.assert_allclose(frft(frft(x, a), b), frft(x, a + b), rtol=1e-10, atol=1e-10)
        Fa = frft_matrix(n, a)
        np.testing.assert_allclose(Fa @ np.conj(Fa.T), np.eye(n), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(
            Fa @ frft_matrix(n, b), frft_matrix(n, a + b), rtol=1e-10, atol=1e-10
        )
    assert np.isclose(np.linalg.norm(frft(x, 0.37)), np.linalg.norm(x))


def test_discrete_hermite_gauss_zero_is_gaussian_like():
    n = 64
    V, _ = hermite_gauss(n)
    t = np.arange(n)
    t = np.minimum(t, n - t) * np.sqrt(2 * np.pi / n)
    g = np.exp(-(t**2) / 2)
    g /= np.linalg.norm(g)
    assert abs(V[:, 0] @ g) > 0.999


def test_frft_axis_and_errors(rng):
    X = rng.standard_normal((6, 3))
    np.testing.assert_allclose(
        frft(X, 1.0, axis=0), scipy.fft.fft(X, axis=0, norm="ortho"), rtol=1e-10, atol=1e-10
    )
    with pytest.raises(ValueError, match="finite"):
        frft(X, np.nan)
    with pytest.raises(TypeError, match="real number"):
        frft(X, "half")
    with pytest.raises(ValueError, match="NaN"):
        frft(np.array([1.0, np.nan]), 0.5)
