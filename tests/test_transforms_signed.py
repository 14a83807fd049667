"""Matched transforms of signed-permutation groups; the DCT/DST III and IV as their folds."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.fft as sfft

from algdiv import matched_transform
from algdiv.groups import (
    SignedPermutationGroup,
    hyperoctahedral,
    negacyclic,
    sign_flips,
)
from algdiv.transforms import SignedCommutant, dihedral_fold, odft, signed_matched_transform


def _random_invariant(G, rng) -> np.ndarray:
    m = G.degree
    a = rng.standard_normal((m, m)) + 1j * rng.standard_normal((m, m))
    return G.reynolds(a @ a.conj().T)


def _groups():
    rng = np.random.default_rng(7)
    out = [negacyclic(6, "half"), negacyclic(7, "whole"), hyperoctahedral(4), sign_flips(5)]
    out.append(SignedPermutationGroup([(np.arange(4), -np.ones(4))]))  # {±I}: everything invariant
    for m in (5, 6, 8):
        out.append(SignedPermutationGroup([(rng.permutation(m), rng.choice([-1, 1], size=m))]))
    return out


@pytest.mark.parametrize("G", _groups(), ids=lambda g: g.name)
def test_matched_transform_block_diagonalizes_the_commutant(G, rng):
    T = signed_matched_transform(G)
    u = T.matrix
    np.testing.assert_allclose(u.conj().T @ u, np.eye(G.degree), atol=1e-10)
    assert sum(b.dim * b.multiplicity for b in T.blocks) == G.degree
    assert sum(b.multiplicity**2 for b in T.blocks) == G.commutant_dim
    for _ in range(2):
        R = _random_invariant(G, rng)
        assert T.block_residual(R) < 1e-9
    # With R: the multiplicity blocks are diagonalized (hierarchical KL).
    R = _random_invariant(G, rng)
    D = signed_matched_transform(G, R).block_diagonalize(R)
    np.testing.assert_allclose(D - np.diag(np.diag(D)), 0, atol=1e-9 * np.abs(R).max())
    # The same through algdiv.matched_transform and the CommutantAlgebra interface.
    T2 = matched_transform(SignedCommutant(G))
    assert sorted((b.dim, b.multiplicity) for b in T2.blocks) == sorted((b.dim, b.multiplicity) for b in T.blocks)


def test_known_block_structures():
    assert [(b.dim, b.multiplicity) for b in signed_matched_transform(hyperoctahedral(5)).blocks] == [(5, 1)]
    assert sorted((b.dim, b.multiplicity) for b in signed_matched_transform(sign_flips(4)).blocks) == [(1, 1)] * 4
    pm = SignedPermutationGroup([(np.arange(4), -np.ones(4))])
    assert [(b.dim, b.multiplicity) for b in signed_matched_transform(pm).blocks] == [(1, 4)]
    blocks = signed_matched_transform(negacyclic(8, "half")).blocks
    assert sorted((b.dim, b.multiplicity) for b in blocks) == [(2, 1)] * 4


@pytest.mark.parametrize("m", [1, 2, 5, 8])
def test_odft_is_the_odd_frequency_dft_and_matches_the_generic_derivation(m, rng):
    T = odft(m)
    n = np.arange(m)
    U = np.exp(1j * np.pi * np.outer(n, 2 * n + 1) / m) / np.sqrt(m)
    np.testing.assert_allclose(T.matrix, U, rtol=1e-9, atol=1e-12)
    x = rng.standard_normal((3, m)) + 1j * rng.standard_normal((3, m))
    np.testing.assert_allclose(T.forward(x), x @ U.conj(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(T.inverse(T.forward(x)), x, rtol=1e-9, atol=1e-12)
    G = negacyclic(m)
    assert signed_matched_transform(G).name == "odd DFT"
    R = _random_invariant(G, rng)
    D = T.block_diagonalize(R)
    np.testing.assert_allclose(D - np.diag(np.diag(D)), 0, atol=1e-10 * np.abs(R).max())
    # Independent: the generic derivation from the signed pair orbits, same eigenspaces.
    g = matched_transform(SignedCommutant(G))
    overlap = np.abs(T.matrix.conj().T @ g.matrix)  # each generic column parallel to one odft column
    np.testing.assert_allclose(np.sort(overlap, axis=0)[-1], 1.0, atol=1e-9)
    assert sorted(np.argmax(overlap, axis=0).tolist()) == list(range(m))


def _isometry(m: int, reflection: str, sign: int) -> np.ndarray:
    """Orthonormal basis of {x on 2m points : J x = sign x} for the negacyclic group's reflection,
    indexed by the samples 0..m-1."""
    L = 2 * m
    cols = []
    if reflection == "half":  # J e_i = e_{L-1-i}
        for n in range(m):
            v = np.zeros(L)
            v[n] += 1
            v[L - 1 - n] += sign
            cols.append(v / np.sqrt(2))
    else:  # J e_0 = e_0, J e_i = -e_{L-i}, J e_m = -e_m
        if sign == 1:
            cols.append(np.eye(L)[0])
        for n in range(1, m):
            v = np.zeros(L)
            v[n], v[L - n] = 1, -sign
            cols.append(v / np.sqrt(2))
        if sign == -1:
            cols.append(np.eye(L)[m])
    return np.array(cols).T


FOLDS = [("half", -1, "dct", 4), ("half", 1, "dst", 4), ("whole", 1, "dct", 3), ("whole", -1, "dst", 3)]


@pytest.mark.parametrize("reflection, sign, family, t", FOLDS)
@pytest.mark.parametrize("m", [3, 6, 9])
def test_type_iii_and_iv_trigonometric_transforms_are_folds_of_the_negacyclic_dihedral_group(
    reflection, sign, family, t, m, rng
):
    G = negacyclic(2 * m, reflection)
    V = _isometry(m, reflection, sign)
    fold = np.array([V.T @ b @ V for b in G.commutant_basis()])
    # the restriction is an algebra of dimension m: the dihedral fold's, element for element
    ref = dihedral_fold(m, f"{family}{t}")
    assert np.linalg.matrix_rank(fold.reshape(len(fold), -1)) == m == ref.dim
    rb = ref.basis.reshape(ref.dim, -1)  # (DihedralFold.contains needs a _basis it lacks)
    coef, *_ = np.linalg.lstsq(rb.T, fold.reshape(len(fold), -1).T, rcond=None)
    np.testing.assert_allclose(rb.T @ coef, fold.reshape(len(fold), -1).T, atol=1e-10)
    # and scipy's transform diagonalizes every element of it
    C = getattr(sfft, family)(np.eye(m), type=t, norm="ortho", axis=0)
    for _ in range(3):
        f = np.tensordot(rng.standard_normal(len(fold)), fold, axes=1)
        D = C @ f @ C.T
        np.testing.assert_allclose(D - np.diag(np.diag(D)), 0, atol=1e-10 * np.abs(f).max())


@pytest.mark.parametrize("family", ["dct", "dst"])
@pytest.mark.parametrize("t, expected", [(1, 4), (2, 4), (3, 2), (4, 2)])
def test_no_trigonometric_fold_holds_a_signed_group_of_its_samples(family, t, expected):
    """Exhaustive over the 2^4 4! signed permutations of 4 samples: only ±I (and, for types
    I and II, ± the signed reversal) lie in the fold algebra."""
    import itertools

    m = 4
    F = dihedral_fold(m, f"{family}{t}")
    q, _ = np.linalg.qr(F.basis.reshape(F.dim, -1).T)
    found = []
    for p in itertools.permutations(range(m)):
        for s in itertools.product([1, -1], repeat=m):
            v = np.zeros((m, m))
            v[list(p), range(m)] = s
            v = v.ravel()
            if np.linalg.norm(v - q @ (q.T @ v)) < 1e-9:
                found.append(v.reshape(m, m))
    assert len(found) == expected
    assert any(np.array_equal(f, np.eye(m)) for f in found)
    assert any(np.array_equal(f, -np.eye(m)) for f in found)


def test_signed_commutant_interface(rng):
    G = negacyclic(6, "whole")
    A = SignedCommutant(G)
    assert A.dim == G.commutant_dim and A.degree == 6
    B = A.basis
    np.testing.assert_allclose(np.einsum("aij,bij->ab", B, B), np.eye(A.dim), rtol=1e-9, atol=1e-12)
    X = rng.standard_normal((6, 6))
    np.testing.assert_allclose(A.project(X), G.reynolds(X), atol=1e-14)
    assert A.contains(G.reynolds(X)) and not A.contains(X)
    assert A._is_real_symmetric()
    assert not SignedCommutant(negacyclic(5))._is_real_symmetric()


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: signed_matched_transform(negacyclic(3), np.eye(4)), ValueError, "R"),
        (lambda: signed_matched_transform("negacyclic(3)"), TypeError, "SignedPermutationGroup"),
        (lambda: signed_matched_transform(negacyclic(3), rng="x"), TypeError, "rng"),
        (lambda: SignedCommutant(np.eye(3)), TypeError, "SignedPermutationGroup"),
        (lambda: odft(0), ValueError, "at least 1"),
        (lambda: odft(2.0), TypeError, "M must be an int"),
    ],
)
def test_errors_name_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()
