"""The tree group's label-free Reynolds projection against the general pair-orbit mean.

``reynolds`` takes a dedicated path for ``iterated_wreath`` groups in natural order (level
sums over blocks, no pair labels).  The reference here is the general path: the mean over
the pair orbits that ``PermutationGroup.pair_orbits`` finds from the generators (Schreier
generators, verified), which knows nothing about trees.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from algdiv import reynolds
from algdiv._tree_average import tree_levels
from algdiv.groups import iterated_wreath


def _orbit_mean(A: np.ndarray, G) -> np.ndarray:
    labels = G.pair_orbits()
    counts = np.bincount(labels.ravel())
    flat = labels.ravel()
    out = np.empty(A.shape, dtype=A.dtype)
    for idx in np.ndindex(A.shape[:-2]):
        a = A[idx].ravel()
        means = np.bincount(flat, weights=a.real) / counts
        if np.iscomplexobj(A):
            means = means + 1j * np.bincount(flat, weights=a.imag) / counts
        out[idx] = means[labels]
    return out


BRANCHINGS = [
    [2] * 3,
    [2] * 8,  # 256 leaves: inner blocks of 64, outer pattern 4 x 4
    [3, 2, 4],
    [2, 3, 5, 3],
    [4, 4, 4, 2],  # 128 leaves: the block split inside a level product
    [5],  # one level (the symmetric group)
    [70],  # one level wider than a block
    [2, 70],  # a lowest level wider than a block, under a root
    [3, 100],
    [100, 2],
]


@pytest.mark.parametrize("branching", BRANCHINGS, ids=str)
@pytest.mark.parametrize("kind", ["real", "complex"])
def test_tree_path_equals_the_pair_orbit_mean(branching, kind):
    G = iterated_wreath(branching)
    assert tree_levels(G) == tuple(branching)
    m = G.degree
    rng = np.random.default_rng(sum(branching))
    A = rng.standard_normal((m, m))
    if kind == "complex":
        A = A + 1j * rng.standard_normal((m, m))
    before = A.copy()
    out = reynolds(A, G)
    assert out.dtype == A.dtype
    np.testing.assert_array_equal(A, before)  # the input is not modified
    assert_allclose(out, _orbit_mean(A, G), rtol=1e-12, atol=1e-12)


def test_tree_path_batch_and_idempotence():
    G = iterated_wreath([2] * 7)
    rng = np.random.default_rng(7)
    A = rng.standard_normal((3, 2, 128, 128))
    out = reynolds(A, G)
    assert_allclose(out, _orbit_mean(A, G), rtol=1e-12, atol=1e-12)
    assert_allclose(reynolds(out, G), out, rtol=1e-12, atol=1e-12)


def test_tree_path_keeps_one_value_per_level():
    # Φ_G of a matrix has exactly depth + 1 distinct values (one per ancestor level)
    G = iterated_wreath([2] * 9)
    out = reynolds(np.random.default_rng(3).standard_normal((512, 512)), G)
    assert np.unique(out).size == 10


def test_a_non_finite_entry_anywhere_is_refused():
    # the finiteness check is made from the level sums: every entry must reach one
    G = iterated_wreath([2] * 8)
    for bad in (np.nan, np.inf, -np.inf):
        for i, j in [(0, 0), (255, 255), (5, 77), (255, 0), (64, 65), (130, 129)]:
            A = np.zeros((256, 256), dtype=complex)
            A[i, j] = bad if (i + j) % 2 else complex(0, bad)
            with pytest.raises(ValueError, match=r"A contains 1 NaN or infinite value\(s\)"):
                reynolds(A, G)


def test_huge_finite_entries_are_not_refused():
    # a sum that overflows is not a non-finite entry: projected as before, no error
    G = iterated_wreath([2] * 6)
    out = reynolds(np.full((64, 64), 1e308), G)
    assert out.shape == (64, 64)
