"""The Haar kernel and the binary-tree group's matched transform against PyWavelets."""

from __future__ import annotations

import numpy as np
import pytest

pywt = pytest.importorskip("pywt")

from algdiv import matched_transform  # noqa: E402
from algdiv.groups import from_generators, iterated_wreath  # noqa: E402
from algdiv.transforms import haar_coefficients, ihaar  # noqa: E402


def wavedec(x, axis=-1):
    return np.concatenate(pywt.wavedec(x, "haar", mode="periodization", axis=axis), axis=axis)


@pytest.mark.parametrize("m", [1, 2, 3, 6, 10])
def test_haar_equals_concatenated_wavedec(m, rng):
    x = rng.standard_normal((3, 1 << m))
    np.testing.assert_allclose(haar_coefficients(x), wavedec(x), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("axis", [0, 1, 2])
def test_haar_along_any_axis(axis, rng):
    shape = [4, 4, 4]
    shape[axis] = 16
    x = rng.standard_normal(shape)
    np.testing.assert_allclose(
        haar_coefficients(x, axis=axis), wavedec(x, axis=axis), rtol=1e-10, atol=1e-12
    )


@pytest.mark.parametrize("m", [1, 3, 7])
def test_ihaar_equals_waverec(m, rng):
    n = 1 << m
    coeffs = pywt.wavedec(rng.standard_normal(n), "haar", mode="periodization")
    y = np.concatenate(coeffs)
    np.testing.assert_allclose(
        ihaar(y), pywt.waverec(coeffs, "haar", mode="periodization"), rtol=1e-10, atol=1e-12
    )


@pytest.mark.parametrize("m", [1, 2, 4, 8])
def test_binary_tree_group_gives_the_haar_transform(m, rng):
    x = rng.standard_normal((2, 1 << m))
    T = matched_transform(iterated_wreath([2] * m))
    assert T.name == "Haar"
    np.testing.assert_allclose(T.forward(x), wavedec(x), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(T.inverse(T.forward(x)), x, rtol=1e-10, atol=1e-10)
    # the levels of the tree are the isotypic blocks
    assert [b.dim for b in T.blocks] == [1, 1] + [1 << k for k in range(1, m)]


def test_binary_tree_by_generators_is_recognized(rng):
    W = iterated_wreath([2, 2, 2, 2])
    T = matched_transform(from_generators(W.generators))
    x = rng.standard_normal(16)
    np.testing.assert_allclose(T.forward(x), wavedec(x), rtol=1e-10, atol=1e-10)


def test_large_tree_never_enumerated(rng):
    T = matched_transform(iterated_wreath([2] * 16))  # order 2^(2^16 - 1)
    x = rng.standard_normal(1 << 16)
    np.testing.assert_allclose(T.forward(x), wavedec(x), rtol=1e-10, atol=1e-10)
