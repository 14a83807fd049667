"""Fast kernels on 2^m points: Walsh-Hadamard, Haar, Reed-Muller, arithmetic."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import hadamard

from algdiv.transforms import (
    arithmetic,
    fwht,
    haar,
    haar_coefficients,
    iarithmetic,
    ihaar,
    ireed_muller,
    reed_muller,
    sequency_order,
    wht,
)


def kron_power(base, m):
    out = np.ones((1, 1), dtype=np.asarray(base).dtype)
    for _ in range(m):
        out = np.kron(out, base)
    return out


def haar_matrix(n):
    """Rows: the Haar basis in wavedec order, built from its definition (support, sign)."""
    m = n.bit_length() - 1
    rows = [np.ones(n) / np.sqrt(n)]
    for level in range(m, 0, -1):  # coarsest detail first
        width = 1 << level
        for k in range(n // width):
            r = np.zeros(n)
            r[k * width : k * width + width // 2] = 1
            r[k * width + width // 2 : (k + 1) * width] = -1
            rows.append(r / np.sqrt(width))
    return np.array(rows)


@pytest.mark.parametrize("m", [0, 1, 2, 3, 5, 8, 11, 13])
def test_fwht_is_the_normalized_hadamard_product(m, rng):
    n = 1 << m
    x = rng.standard_normal((3, n))
    y = fwht(x)
    np.testing.assert_allclose(y, x @ hadamard(n).T / np.sqrt(n), rtol=1e-10, atol=1e-10)
    # symmetric orthogonal: an involution
    np.testing.assert_allclose(fwht(y), x, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(
        np.linalg.norm(y, axis=1), np.linalg.norm(x, axis=1), rtol=1e-10, atol=1e-10
    )


def test_fwht_axis_complex_and_no_mutation(rng):
    x = rng.standard_normal((4, 16, 3)) + 1j * rng.standard_normal((4, 16, 3))
    x0 = x.copy()
    y = fwht(x, axis=1)
    np.testing.assert_allclose(
        y, np.einsum("kn,anb->akb", hadamard(16) / 4, x), rtol=1e-10, atol=1e-10
    )
    assert np.array_equal(x, x0)
    np.testing.assert_allclose(wht(16).matrix, hadamard(16) / 4, rtol=1e-10, atol=1e-10)


def test_sequency_order_counts_sign_changes():
    for m in range(6):
        H = hadamard(1 << m)[sequency_order(m)]
        changes = (np.diff(H, axis=1) != 0).sum(axis=1)
        assert np.array_equal(changes, np.arange(1 << m))
    T = wht(16, "sequency")
    x = np.arange(16.0)
    np.testing.assert_allclose(T.inverse(T.forward(x)), x, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(
        T.forward(x), hadamard(16)[sequency_order(4)] @ x / 4, rtol=1e-10, atol=1e-10
    )


@pytest.mark.parametrize("n", [1, 2, 4, 8, 32, 256])
def test_haar_against_its_definition(n, rng):
    x = rng.standard_normal((2, n))
    W = haar_matrix(n)
    np.testing.assert_allclose(W @ W.T, np.eye(n), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(haar_coefficients(x), x @ W.T, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ihaar(haar_coefficients(x)), x, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(haar(n).matrix, W.T, rtol=1e-10, atol=1e-10)


def test_haar_axis_and_complex(rng):
    x = rng.standard_normal((8, 3)) + 1j * rng.standard_normal((8, 3))
    np.testing.assert_allclose(
        haar_coefficients(x, axis=0), haar_matrix(8) @ x, rtol=1e-10, atol=1e-10
    )
    np.testing.assert_allclose(
        ihaar(haar_coefficients(x, axis=0), axis=0), x, rtol=1e-10, atol=1e-10
    )


@pytest.mark.parametrize("m", [0, 1, 3, 6])
def test_reed_muller_is_the_gf2_moebius_matrix(m, rng):
    n = 1 << m
    f = rng.integers(0, 2, size=(5, n))
    A = kron_power(np.array([[1, 0], [1, 1]]), m)
    a = reed_muller(f)
    assert np.array_equal(a, (f @ A.T) % 2)
    assert np.array_equal(reed_muller(a), f)  # an involution over GF(2)
    assert np.array_equal(ireed_muller(a, axis=-1), f)


def test_reed_muller_gives_the_algebraic_normal_form(rng):
    m = 4
    f = rng.integers(0, 2, size=1 << m)
    a = reed_muller(f)
    idx = np.arange(1 << m)
    # f(x) = XOR over S with a_S of AND_{i in S} x_i, S ⊆ bits of x
    recon = [np.bitwise_xor.reduce(a[(idx & x) == idx]) for x in idx]
    assert np.array_equal(recon, f)


@pytest.mark.parametrize("m", [0, 1, 3, 6])
def test_arithmetic_transform_and_inverse(m, rng):
    n = 1 << m
    f = rng.integers(-5, 6, size=(3, n))
    A = kron_power(np.array([[1, 0], [-1, 1]]), m)
    a = arithmetic(f)
    assert np.array_equal(a, f @ A.T)
    assert np.array_equal(iarithmetic(a), f)
    # f(x) = Σ_{S ⊆ x} a_S: the multilinear polynomial evaluated at 0/1 points
    idx = np.arange(n)
    recon = np.array([[row[(idx & x) == idx].sum() for x in idx] for row in a])
    assert np.array_equal(recon, f)


def test_kernel_errors():
    with pytest.raises(ValueError, match="power-of-two"):
        fwht(np.ones(6))
    with pytest.raises(ValueError, match="power-of-two"):
        haar_coefficients(np.ones(12))
    with pytest.raises(TypeError, match="haar_coefficients"):
        haar(np.ones(8))
    with pytest.raises(ValueError, match="power of two"):
        haar(12)
    with pytest.raises(ValueError, match="NaN"):
        fwht(np.array([1.0, np.inf]))
    with pytest.raises(TypeError, match="integers"):
        reed_muller(np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="only 0 and 1"):
        reed_muller([0, 2])
    with pytest.raises(ValueError, match="out of range"):
        fwht(np.ones(4), axis=1)
    with pytest.raises(ValueError, match="power of two"):
        wht(12)
    with pytest.raises(ValueError, match="order"):
        wht(8, order="dyadic")
