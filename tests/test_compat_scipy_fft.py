"""Catalogue transforms against scipy.fft / scipy.linalg: exact equality, every axis and dtype."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.fft
from scipy.linalg import hadamard

from algdiv import matched_transform
from algdiv.groups import cyclic, dihedral, direct_product, elementary_abelian
from algdiv.transforms import dct, dft, dihedral_fold, dst, fwht, kron, wht

SIZES = [1, 2, 3, 5, 8, 12, 17, 64]
DTYPES = [np.float64, np.float32, np.complex128]


def sample(rng, shape, dtype):
    x = rng.standard_normal(shape)
    if np.issubdtype(dtype, np.complexfloating):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("axis", [0, -1])
def test_cyclic_group_gives_scipy_fft(n, dtype, axis, rng):
    x = sample(rng, (n, 3) if axis == 0 else (3, n), dtype)
    T = matched_transform(cyclic(n))
    ref = scipy.fft.fft(x, axis=axis, norm="ortho")
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(T.forward(x, axis=axis), ref, rtol=1e-10, atol=tol)
    np.testing.assert_allclose(T.inverse(ref, axis=axis), x, rtol=1e-10, atol=tol)
    np.testing.assert_allclose(
        dft(n).matrix,
        np.conj(scipy.fft.fft(np.eye(n), axis=0, norm="ortho")).T,
        rtol=1e-10,
        atol=1e-10,
    )


@pytest.mark.parametrize("family", ["dct", "dst"])
@pytest.mark.parametrize("t", [1, 2, 3, 4])
@pytest.mark.parametrize("n", [2, 3, 8, 17])
@pytest.mark.parametrize("axis", [0, 1])
def test_folds_give_scipy_dct_dst(family, t, n, axis, rng):
    x = sample(rng, (n, 4) if axis == 0 else (4, n), np.float64)
    fwd = getattr(scipy.fft, family)
    inv = getattr(scipy.fft, "i" + family)
    for T in (matched_transform(dihedral_fold(n, f"{family}{t}")), (dct if family == "dct" else dst)(n, t)):
        ref = fwd(x, type=t, axis=axis, norm="ortho")
        np.testing.assert_allclose(T.forward(x, axis=axis), ref, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(
            T.inverse(ref, axis=axis),
            inv(ref, type=t, axis=axis, norm="ortho"),
            rtol=1e-10,
            atol=1e-10,
        )


@pytest.mark.parametrize("m", [0, 1, 4, 7])
def test_elementary_abelian_gives_hadamard(m, rng):
    n = 1 << m
    x = rng.standard_normal((2, n))
    T = matched_transform(elementary_abelian(m))
    np.testing.assert_allclose(T.matrix, hadamard(n) / np.sqrt(n), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(T.forward(x), fwht(x), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(
        wht(n).forward(x), x @ hadamard(n) / np.sqrt(n), rtol=1e-10, atol=1e-10
    )


def test_direct_products_give_multidimensional_transforms(rng):
    X = rng.standard_normal((2, 6, 10))
    T = matched_transform(direct_product(cyclic(6), cyclic(10)))
    np.testing.assert_allclose(
        T.forward(X.reshape(2, 60)),
        scipy.fft.fft2(X, norm="ortho").reshape(2, 60),
        rtol=1e-10,
        atol=1e-10,
    )
    # 2-D DCT-II from the Kronecker product of folds
    T2 = kron(dct(6), dct(10))
    np.testing.assert_allclose(
        T2.forward(X.reshape(2, 60)),
        scipy.fft.dctn(X, axes=(1, 2), norm="ortho").reshape(2, 60),
        rtol=1e-10,
        atol=1e-10,
    )
    # 3 factors along a middle axis
    Y = rng.standard_normal((3, 2 * 3 * 4, 2))
    T3 = matched_transform(direct_product(cyclic(2), cyclic(3), cyclic(4)))
    ref = scipy.fft.fftn(Y.reshape(3, 2, 3, 4, 2), axes=(1, 2, 3), norm="ortho").reshape(Y.shape)
    np.testing.assert_allclose(T3.forward(Y, axis=1), ref, rtol=1e-10, atol=1e-10)


def test_dihedral_group_gives_the_dft_with_paired_blocks(rng):
    T = matched_transform(dihedral(8))
    x = rng.standard_normal(8)
    np.testing.assert_allclose(T.forward(x), scipy.fft.fft(x, norm="ortho"), rtol=1e-10, atol=1e-10)
    assert [b.indices.tolist() for b in T.blocks] == [[0], [1, 7], [2, 6], [3, 5], [4]]
