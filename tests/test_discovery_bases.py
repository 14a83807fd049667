"""Dictionaries: sizes, no identity in permutation dictionaries, orthonormality, Kronecker."""

import numpy as np
import pytest
from scipy import sparse

from algdiv.discovery import bases
from algdiv.groups import dihedral, iterated_wreath, symmetric
from algdiv.groups.permutations import permutation_matrix


def gram(B):
    flat = np.asarray(B).reshape(len(B), -1)
    return np.conj(flat) @ flat.T


@pytest.mark.parametrize(
    "make,count",
    [
        (lambda: bases.shifts(7), 6),
        (lambda: bases.reflections(7), 7),
        (lambda: bases.transpositions(7), 21),
        (lambda: bases.permutations(dihedral(7)), 13),
        (lambda: bases.permutations(symmetric(4)), 23),
        (lambda: bases.permutations(iterated_wreath([2, 2, 2]), max_elements=10), 3),
    ],
)
def test_permutation_dictionaries_hold_distinct_nonidentity_permutations(make, count):
    B = make()
    m = B.shape[1]
    assert B.shape == (count, m, m)
    perms = bases.as_permutation_stack(B)
    assert perms is not None and len(perms) == count
    assert not any(np.array_equal(p, np.arange(m)) for p in perms)
    assert len({p.tobytes() for p in perms}) == count
    for p, b in zip(perms, B):
        np.testing.assert_array_equal(b, permutation_matrix(p))


def test_shifts_are_the_powers_of_the_unit_shift():
    S = bases.shifts(6)
    for s in range(1, 6):
        np.testing.assert_array_equal(S[s - 1], np.linalg.matrix_power(S[0], s))


@pytest.mark.parametrize("kind,dim", [("so", 15), ("u", 36), ("gl", 36)])
def test_lie_dictionaries_are_orthonormal_and_of_the_right_kind(kind, dim):
    B = getattr(bases, kind)(6)
    assert B.shape == (dim, 6, 6)
    np.testing.assert_allclose(gram(B), np.eye(dim), atol=1e-14)
    if kind == "so":
        np.testing.assert_array_equal(B, -np.swapaxes(B, 1, 2))
    if kind == "u":
        np.testing.assert_allclose(B, -np.conj(np.swapaxes(B, 1, 2)))
    # The coordinates recover any matrix of the span.
    rng = np.random.default_rng(1)
    c = rng.standard_normal(dim)
    np.testing.assert_allclose(bases.coordinates(kind, np.tensordot(c, B, axes=1)), c, atol=1e-13)


def test_toeplitz_and_hankel_span_their_structures():
    rng = np.random.default_rng(2)
    from scipy.linalg import hankel, toeplitz

    T = toeplitz(rng.standard_normal(5), rng.standard_normal(5))
    H = hankel(rng.standard_normal(5), rng.standard_normal(5))
    for B, A in ((bases.toeplitz(5), T), (bases.hankel(5), H)):
        flat = B.reshape(len(B), -1)
        coef, *_ = np.linalg.lstsq(flat.T, A.ravel(), rcond=None)
        np.testing.assert_allclose(flat.T @ coef, A.ravel(), rtol=1e-9, atol=1e-12)
        assert np.linalg.matrix_rank(flat) == 9


def test_kron_includes_factorwise_generators_but_not_the_identity():
    K = bases.kron(bases.shifts(3), bases.shifts(2))
    perms = bases.as_permutation_stack(K)
    assert K.shape == (5, 6, 6)
    assert not any(np.array_equal(p, np.arange(6)) for p in perms)
    s3 = permutation_matrix([1, 2, 0])
    assert any(np.array_equal(k, np.kron(s3, np.eye(2))) for k in K)
    assert len(bases.kron(bases.shifts(3), bases.shifts(2), with_identity=False)) == 2


def test_sparse_and_dense_forms_agree():
    for make in (bases.so, bases.u, bases.gl, bases.shifts, bases.toeplitz, bases.hankel):
        dense = make(5)
        sp = make(5, sparse_format=True)
        assert all(sparse.issparse(s) for s in sp)
        np.testing.assert_array_equal(np.array([s.toarray() for s in sp]), dense)


def test_bad_arguments():
    with pytest.raises(ValueError, match="at least 1"):
        bases.shifts(0)
    with pytest.raises(TypeError, match="int"):
        bases.so(2.5)
    with pytest.raises(ValueError, match="sparse_format"):
        bases.gl(200)
    with pytest.raises(ValueError, match="permutation 1"):
        bases.permutations([[0, 1, 2], [0, 0, 1]])
    with pytest.raises(ValueError, match="kind"):
        bases.coordinates("sl", np.eye(2))
