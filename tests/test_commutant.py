"""Reynolds projection and the commutant: exact identities against the naive group sum."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from algdiv import commutant_dim, effective_dimension, is_invariant, orbital_basis, reynolds
from algdiv.commutant import invariance_residual
from algdiv.groups import (
    cyclic,
    dihedral,
    direct_product,
    from_generators,
    iterated_wreath,
    subgroup,
    symmetric,
    wreath_product,
)
from algdiv.groups.permutations import conjugate_matrix

from .conftest import naive_reynolds
from .test_groups import CATALOGUE_IDS, small_catalogue


def _random_matrix(rng, m, complex_=True):
    a = rng.standard_normal((m, m))
    if complex_:
        a = a + 1j * rng.standard_normal((m, m))
    return a


@pytest.mark.parametrize("G", small_catalogue(), ids=CATALOGUE_IDS)
def test_reynolds_equals_naive_group_sum(G, rng):
    for complex_ in (False, True):
        A = _random_matrix(rng, G.degree, complex_)
        np.testing.assert_allclose(reynolds(A, G), naive_reynolds(A, G), atol=1e-12, rtol=0)


@settings(max_examples=20, deadline=None)
@given(seeds=st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)), m=st.integers(2, 4))
def test_reynolds_on_random_products_equals_naive(seeds, m):
    G = from_generators([np.random.default_rng(seeds[0]).permutation(m)])
    H = from_generators([np.random.default_rng(seeds[1]).permutation(3)])
    rng = np.random.default_rng(seeds[0] ^ seeds[1])
    for P in (direct_product(G, H), wreath_product(H, G)):
        if P.order > 5000:
            continue
        A = _random_matrix(rng, P.degree)
        np.testing.assert_allclose(reynolds(A, P), naive_reynolds(A, P), atol=1e-12, rtol=0)


@pytest.mark.parametrize("G", [dihedral(9), iterated_wreath([2, 3]), direct_product(cyclic(3), cyclic(4))])
def test_projection_properties(G, rng):
    A, B = _random_matrix(rng, G.degree), _random_matrix(rng, G.degree)
    PA = reynolds(A, G)
    np.testing.assert_allclose(reynolds(PA, G), PA, atol=1e-13)  # idempotent
    # self-adjoint in the Frobenius inner product
    assert np.isclose(np.vdot(reynolds(A, G), B), np.vdot(A, reynolds(B, G)))
    for g in G.generators:  # lands in the commutant
        np.testing.assert_allclose(conjugate_matrix(g, PA), PA, atol=1e-13)
    # keeps Hermitian PSD matrices Hermitian PSD
    H = A @ A.conj().T
    PH = reynolds(H, G)
    np.testing.assert_allclose(PH, PH.conj().T, rtol=1e-9, atol=1e-12)
    assert np.linalg.eigvalsh(PH).min() > -1e-10


def test_batched_and_leading_axes(rng):
    G = dihedral(6)
    A = _random_matrix(rng, 6)
    stack = np.stack([A, 2 * A, A.conj()])[None]  # shape (1, 3, 6, 6)
    out = reynolds(stack, G)
    assert out.shape == (1, 3, 6, 6)
    np.testing.assert_allclose(out[0, 1], 2 * reynolds(A, G), atol=1e-13)
    np.testing.assert_allclose(out[0, 2], reynolds(A.conj(), G), atol=1e-13)


def test_input_is_not_modified(rng):
    A = rng.standard_normal((5, 5))
    copy = A.copy()
    reynolds(A, cyclic(5))
    np.testing.assert_array_equal(A, copy)


def test_integer_input_gives_float():
    out = reynolds(np.arange(9).reshape(3, 3), cyclic(3))
    assert out.dtype == float


@pytest.mark.parametrize("J, d_eff", [(2, 3.88), (4, 7.53), (8, 14.22), (16, 28.44)])
def test_dihedral_ladder_effective_dimension(J, d_eff):
    rot = [(i + 16 // J) % 16 for i in range(16)]
    refl = [(-i) % 16 for i in range(16)]
    DJ = subgroup(dihedral(16), [rot, refl])
    assert round(effective_dimension(DJ), 2) == d_eff


def test_cyclic_effective_dimension_is_M():
    assert effective_dimension(cyclic(16)) == 16
    assert commutant_dim(symmetric(10)) == 2


def test_orbital_basis_is_orthogonal_and_spans_the_commutant(rng):
    G = iterated_wreath([3, 2])
    B = orbital_basis(G)
    assert B.shape == (commutant_dim(G), 6, 6)
    np.testing.assert_array_equal(B.sum(axis=0), np.ones((6, 6)))
    gram = np.einsum("kij,lij->kl", B, B)
    np.testing.assert_array_equal(gram, np.diag(np.diag(gram)))
    A = rng.standard_normal((6, 6))
    coeffs = np.einsum("kij,ij->k", B, A) / np.diag(gram)
    np.testing.assert_allclose(np.einsum("k,kij->ij", coeffs, B), reynolds(A, G), atol=1e-13)
    sparse = orbital_basis(G, sparse_format=True)
    np.testing.assert_array_equal(np.stack([s.toarray() for s in sparse]), B)


def test_dense_orbital_basis_refuses_huge_requests():
    from algdiv.groups import trivial

    with pytest.raises(ValueError, match="sparse_format=True"):
        orbital_basis(trivial(100))


def test_is_invariant_and_residual(rng):
    G = dihedral(8)
    R = reynolds(rng.standard_normal((8, 8)), G)
    assert is_invariant(R, G)
    assert invariance_residual(R, G) < 1e-14
    noisy = R + 1e-3 * rng.standard_normal((8, 8))
    assert not is_invariant(noisy, G)
    assert is_invariant(noisy, G, tol=1e-1)


@pytest.mark.parametrize(
    "A, message",
    [
        (np.ones((3, 4)), "A must be square"),
        (np.ones(4), r"A must be a square matrix \(..., M, M\)"),
        (np.ones((5, 5)), "A is 5x5 but the group acts on 4 points"),
        (np.array([[1.0, np.nan], [0, 1]] + [[0, 0]] * 0).reshape(2, 2), "NaN"),
        (np.array([["a", "b"], ["c", "d"]]), "must be numeric"),
    ],
)
def test_bad_input(A, message):
    G = cyclic(4) if "5x5" in message or "square" in message else cyclic(2)
    with pytest.raises((ValueError, TypeError), match=message):
        reynolds(A, G)


def test_group_must_be_a_group():
    with pytest.raises(TypeError, match="G must be a PermutationGroup"):
        reynolds(np.eye(3), 3)
    np.testing.assert_allclose(reynolds(np.eye(3), "cyclic(3)"), np.eye(3))
