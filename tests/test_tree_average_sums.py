"""The tree group's Reynolds projection against independent references.

* On small trees: the group average itself, ``(1/|G|) Σ_g P_g A P_gᵀ``, over every element
  of the automorphism group, enumerated here from the tree (a permutation of the children
  at every node), without algdiv's groups.
* On binary trees up to ``M = 2048`` (the sizes where the projection takes its BLAS and
  staged-write paths): the pair-orbit mean with the lowest-common-ancestor level of the
  leaves ``i`` and ``j`` computed as ``bit_length(i XOR j)``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from algdiv import reynolds
from algdiv._tree_average import _plan, _staging, tree_project
from algdiv.commutant import project_unchecked
from algdiv.groups import iterated_wreath


def tree_automorphisms(levels: tuple[int, ...]) -> np.ndarray:
    """Every automorphism of the rooted tree with this branching (root first), as leaf
    permutations in depth-first order: a permutation of the root's children, then one
    automorphism of each child's subtree."""
    if not levels:
        return np.zeros((1, 1), dtype=np.intp)
    b, sub = levels[0], tree_automorphisms(levels[1:])
    size = sub.shape[1]
    perms = []
    for sigma in itertools.permutations(range(b)):
        for taus in itertools.product(range(len(sub)), repeat=b):
            p = np.concatenate([sigma[c] * size + sub[taus[c]] for c in range(b)])
            perms.append(p)
    return np.array(perms)


def group_average(A: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """``(1/|G|) Σ_g A[g][:, g]`` (the same as ``Σ_g P_g A P_gᵀ / |G|``: g and g⁻¹ run
    over the same group), in chunks of elements."""
    acc = np.zeros(A.shape, dtype=np.result_type(A.dtype, np.float64))
    for start in range(0, len(perms), 512):
        p = perms[start : start + 512]
        acc += A[..., p[:, :, None], p[:, None, :]].sum(axis=-3)
    return acc / len(perms)


def binary_tree_reference(A: np.ndarray) -> np.ndarray:
    """The pair-orbit mean for the binary tree: the orbit of ``(i, j)`` is the level
    ``bit_length(i ^ j)`` of their lowest common ancestor."""
    m = A.shape[-1]
    idx = np.arange(m)
    level = np.frexp((idx[:, None] ^ idx[None, :]).astype(np.float64))[1]  # bit_length
    flat = level.ravel()
    counts = np.bincount(flat)
    means = np.bincount(flat, weights=A.real.ravel()) / counts
    if np.iscomplexobj(A):
        means = means + 1j * np.bincount(flat, weights=A.imag.ravel()) / counts
    return means[level]


@pytest.mark.parametrize(
    "levels", [(2, 2), (2, 2, 2), (3, 2), (2, 3), (4,), (2, 2, 2, 2)], ids=str
)
@pytest.mark.parametrize("kind", ["real", "complex"])
def test_equals_the_sum_over_every_group_element(levels, kind):
    perms = tree_automorphisms(levels)
    G = iterated_wreath(list(levels))
    assert len(perms) == G.order  # the enumeration is the whole group
    m = G.degree
    rng = np.random.default_rng(11 + m)
    A = rng.standard_normal((m, m))  # not symmetric
    if kind == "complex":
        A = A + 1j * rng.standard_normal((m, m))
    before = A.copy()
    out = reynolds(A, G)
    assert_array_equal(A, before)
    assert out.dtype == A.dtype
    assert_allclose(out, group_average(A, perms), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("m", [64, 256, 1024, 2048])
@pytest.mark.parametrize("kind", ["real", "complex"])
def test_binary_trees_against_the_xor_levels(m, kind):
    G = iterated_wreath([2] * (m.bit_length() - 1))
    rng = np.random.default_rng(m)
    A = rng.standard_normal((m, m))
    if kind == "complex":
        A = A + 1j * rng.standard_normal((m, m))
    before = A.copy()
    out = reynolds(A, G)
    assert_array_equal(A, before)
    assert_allclose(out, binary_tree_reference(A), rtol=1e-10, atol=1e-12)


def test_strided_and_fortran_inputs():
    G = iterated_wreath([2] * 7)
    rng = np.random.default_rng(5)
    big = rng.standard_normal((256, 256))
    for A in (big[::2, 1::2], np.asfortranarray(big[:128, :128]), big[:128, :128].T):
        assert_allclose(reynolds(A, G), binary_tree_reference(np.ascontiguousarray(A)),
                        rtol=1e-12, atol=1e-12)


def test_a_batch_is_the_projection_of_each_matrix():
    rng = np.random.default_rng(9)
    G = iterated_wreath([2] * 7)  # blocks of 32 leaves, 4 x 4 of them
    A = rng.standard_normal((2, 3, 128, 128)) + 1j * rng.standard_normal((2, 3, 128, 128))
    out = reynolds(A, G)
    assert out.shape == A.shape
    for idx in np.ndindex(2, 3):
        assert_allclose(out[idx], binary_tree_reference(A[idx]), rtol=1e-12, atol=1e-12)
    H = iterated_wreath([2, 3, 2])  # 12 leaves, 4608 elements
    B = rng.standard_normal((4, 12, 12))
    perms = tree_automorphisms((2, 3, 2))
    assert len(perms) == H.order
    assert_allclose(reynolds(B, H), group_average(B, perms), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.complex64])
def test_single_precision_errors_stay_at_the_input_scale(dtype):
    m = 1024
    G = iterated_wreath([2] * 10)
    rng = np.random.default_rng(2)
    # entries of ±1e4 that nearly cancel: the level means are of order 1 and carry the
    # rounding of single-precision sums (measured: about 4e-9 · max|A|)
    A = (1e4 * rng.choice([-1.0, 1.0], (m, m)) + rng.standard_normal((m, m))).astype(dtype)
    out = reynolds(A, G)
    assert out.dtype == dtype
    wide = np.complex128 if dtype == np.complex64 else np.float64
    reference = binary_tree_reference(A.astype(wide))
    assert_allclose(out, reference, rtol=2e-7, atol=2e-8 * np.abs(A).max())


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("kind", ["real", "complex"])
def test_both_blas_reads_give_the_level_sums(threads, kind):
    """From M = 1024 the block sums go through BLAS: a batch of products on one thread,
    one long product on more (also for a stack of matrices)."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    rng = np.random.default_rng(threads)
    A = rng.standard_normal((2, 1024, 1024))
    if kind == "complex":
        A = A + 1j * rng.standard_normal((2, 1024, 1024))
    with threadpoolctl.threadpool_limits(limits=threads, user_api="blas"):
        out = tree_project(A, (2,) * 10)
    for b in range(2):
        assert_allclose(out[b], binary_tree_reference(A[b]), rtol=1e-10, atol=1e-12)


def test_blas_thread_count_is_restored():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    before = [d["num_threads"] for d in threadpoolctl.threadpool_info()]
    A = np.random.default_rng(1).standard_normal((2048, 2048))
    tree_project(A, (2,) * 11)
    assert [d["num_threads"] for d in threadpoolctl.threadpool_info()] == before


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128])
def test_staging_buffers_sit_half_a_page_from_the_output(dtype):
    for m in (32, 100, 1024):
        out = np.empty((1, m, m), dtype=dtype)
        rows, inner = _staging(out, (1, 7, m), (1, 3, 3))
        assert rows.shape == (1, 7, m) and inner.shape == (1, 3, 3)
        for buf in (rows, inner):
            assert buf.dtype == out.dtype
            assert (out.ctypes.data - buf.ctypes.data) % 4096 == 2048
            assert not np.shares_memory(buf, out)
        assert not np.shares_memory(rows, inner)


def test_internal_entry_matches_the_public_one():
    G = iterated_wreath([3, 2, 2])
    A = np.random.default_rng(4).standard_normal((12, 12))
    assert_array_equal(project_unchecked(A, G), reynolds(A, G))
    assert_allclose(reynolds(A, G), group_average(A, tree_automorphisms((3, 2, 2))),
                    rtol=1e-12, atol=1e-12)


def test_an_empty_batch():
    out = reynolds(np.zeros((0, 3, 64, 64)), iterated_wreath([2] * 6))
    assert out.shape == (0, 3, 64, 64)


def test_a_root_with_many_children_keeps_small_plans():
    # 600 children of two leaves each: 600 x 600 blocks, whose labels are stored as bytes
    G = iterated_wreath([600, 2])
    A = np.random.default_rng(8).standard_normal((1200, 1200))
    out = reynolds(A, G)
    assert _plan((600, 2)).labels.dtype == np.uint8
    m = 1200
    idx = np.arange(m)
    level = np.where(idx[:, None] == idx[None, :], 0,
                     np.where(idx[:, None] // 2 == idx[None, :] // 2, 1, 2))
    counts = np.bincount(level.ravel())
    means = np.bincount(level.ravel(), weights=A.ravel()) / counts
    assert_allclose(out, means[level], rtol=1e-12, atol=1e-12)
