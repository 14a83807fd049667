"""Signed-permutation groups: signed pair orbits, commutant and Reynolds against brute force."""

from __future__ import annotations

from math import factorial

import numpy as np
import pytest
from scipy.linalg import null_space

from algdiv.commutant import reynolds as perm_reynolds
from algdiv.groups import (
    SignedPermutationGroup,
    as_signed_permutation,
    cyclic,
    dihedral,
    hyperoctahedral,
    iterated_wreath,
    negacyclic,
    sign_flips,
    signed_permutation_matrix,
)


def _random_group(rng, m: int, k: int) -> SignedPermutationGroup:
    return SignedPermutationGroup(
        [(rng.permutation(m), rng.choice([-1, 1], size=m)) for _ in range(k)], m
    )


def _groups():
    rng = np.random.default_rng(20261)
    out = [
        negacyclic(5),
        negacyclic(6, "half"),
        negacyclic(6, "whole"),
        negacyclic(1),
        hyperoctahedral(3),
        sign_flips(4),
        SignedPermutationGroup([(np.arange(3), [-1, -1, -1])]),  # {±I}
        SignedPermutationGroup([(np.arange(2), [-1, 1])]),  # one sign flip: (0, 1) vanishes
        SignedPermutationGroup([], degree=3),
    ]
    for m, k in [(4, 1), (4, 2), (5, 1), (5, 2), (6, 1), (3, 2)]:
        out.append(_random_group(rng, m, k))
    return out


GROUPS = _groups()


def _naive_average(G: SignedPermutationGroup, A: np.ndarray) -> np.ndarray:
    """(1/|G|) Σ_g Q_g A Q_gᵀ over the listed elements (the test oracle)."""
    mats = [signed_permutation_matrix(g) for g in G.elements()]
    return sum(q @ A @ q.T for q in mats) / len(mats)


def _naive_commutant_dim(G: SignedPermutationGroup) -> int:
    """dim {A : Q A = A Q for every generator}, by linear algebra on vec(A)."""
    m = G.degree
    if not len(G.permutations):
        return m * m
    rows = []
    eye = np.eye(m)
    for g in G.generators:
        q = signed_permutation_matrix(g)
        rows.append(np.kron(q, eye) - np.kron(eye, q.T))  # vec_row(QA - AQ)
    return null_space(np.vstack(rows)).shape[1]


@pytest.mark.parametrize("G", GROUPS, ids=lambda g: g.name)
def test_reynolds_equals_the_brute_force_group_average(G, rng):
    m = G.degree
    A = rng.standard_normal((2, m, m)) + 1j * rng.standard_normal((2, m, m))
    keep = A.copy()
    got = G.reynolds(A)
    np.testing.assert_array_equal(A, keep)
    for k in range(2):
        np.testing.assert_allclose(got[k], _naive_average(G, A[k]), rtol=0, atol=1e-12)
    real = rng.standard_normal((m, m))
    np.testing.assert_allclose(G.reynolds(real), _naive_average(G, real), rtol=0, atol=1e-12)


@pytest.mark.parametrize("G", GROUPS, ids=lambda g: g.name)
def test_commutant_dimension_and_basis(G):
    assert G.commutant_dim == _naive_commutant_dim(G)
    B = G.commutant_basis()
    assert B.shape == (G.commutant_dim, G.degree, G.degree)
    gram = np.einsum("aij,bij->ab", B, B)
    np.testing.assert_allclose(gram, np.diag(np.diag(gram)), atol=0)  # orthogonal
    for g in G.generators:
        q = signed_permutation_matrix(g)
        for b in B:
            np.testing.assert_allclose(q @ b @ q.T, b, atol=0)
    assert G.effective_dimension == pytest.approx(G.degree**2 / G.commutant_dim)


@pytest.mark.parametrize("G", GROUPS, ids=lambda g: g.name)
def test_order_and_membership(G):
    elements = G.elements()
    assert len(elements) == G.order
    assert SignedPermutationGroup(G.generators, G.degree).order == G.order  # Schreier-Sims
    for g in elements[:: max(1, len(elements) // 7)]:
        assert G.contains(g)
    p, s = elements[-1]
    if G.order < 2 ** G.degree * factorial(G.degree):
        outside = [
            (q, t)
            for q in (p, np.roll(p, 1))
            for t in (s, -s, np.where(np.arange(G.degree) == 0, -s, s))
            if not any(np.array_equal(q, e[0]) and np.array_equal(t, e[1]) for e in elements)
        ]
        for g in outside:
            assert not G.contains(g)


def test_catalogue_orders_and_dimensions():
    for m in (1, 2, 3, 7):
        assert negacyclic(m).order == 2 * m and negacyclic(m).commutant_dim == m
    for m in (2, 5, 8):
        for refl in ("whole", "half"):
            G = negacyclic(m, refl)
            assert G.order == 4 * m == SignedPermutationGroup(G.generators).order
    assert negacyclic(8, "half").commutant_dim == 4
    assert hyperoctahedral(5).order == 2**5 * 120 and hyperoctahedral(5).commutant_dim == 1
    assert sign_flips(6).order == 64 and sign_flips(6).commutant_dim == 6


def test_vanishing_orbits_are_zero_and_labelled_minus_one():
    G = SignedPermutationGroup([(np.arange(2), [-1, 1])])
    labels, signs = G.signed_pair_orbits()
    assert labels.tolist() == [[0, -1], [-1, 1]] and signs.tolist() == [[1, 0], [0, 1]]
    np.testing.assert_array_equal(G.reynolds(np.ones((2, 2))), np.eye(2))
    # sign_flips: the commutant is the diagonal matrices
    A = np.arange(16.0).reshape(4, 4)
    np.testing.assert_array_equal(sign_flips(4).reynolds(A), np.diag(np.diag(A)))
    # {±I} forces nothing: every matrix is invariant
    pm = SignedPermutationGroup([(np.arange(3), [-1, -1, -1])])
    np.testing.assert_array_equal(pm.reynolds(A[:3, :3]), A[:3, :3])


def test_negacyclic_invariants_are_the_skew_circulants(rng):
    m = 6
    G = negacyclic(m)
    r = rng.standard_normal(m)
    i, j = np.indices((m, m))
    d = i - j
    skew = np.where(d >= 0, r[d % m], -r[d % m])  # R[i, j] = r(i - j), r(k - M) = -r(k)
    assert G.invariance_residual(skew) < 1e-15
    np.testing.assert_allclose(G.reynolds(skew), skew, atol=1e-15)
    assert G.invariance_residual(rng.standard_normal((m, m))) > 0.1


@pytest.mark.parametrize("H", [cyclic(6), dihedral(7), iterated_wreath([2, 3], ["symmetric", "cyclic"])])
def test_all_plus_signs_give_the_permutation_group_s_commutant(H, rng):
    G = SignedPermutationGroup.from_permutation_group(H)
    labels, signs = G.signed_pair_orbits()
    assert np.all(signs == 1)
    assert G.commutant_dim == H.n_pair_orbits
    pairs = set(zip(labels.ravel().tolist(), H.pair_orbits().ravel().tolist()))
    assert len(pairs) == H.n_pair_orbits
    A = rng.standard_normal((H.degree, H.degree))
    np.testing.assert_allclose(G.reynolds(A), perm_reynolds(A, H), atol=1e-13)
    assert G.order == H.order


def test_reynolds_is_an_orthogonal_projection_keeping_psd(rng):
    G = _random_group(rng, 7, 2)
    A = rng.standard_normal((7, 7)) + 1j * rng.standard_normal((7, 7))
    B = rng.standard_normal((7, 7))
    PA = G.reynolds(A)
    np.testing.assert_allclose(G.reynolds(PA), PA, atol=1e-13)
    np.testing.assert_allclose(np.vdot(PA, B), np.vdot(A, G.reynolds(B)), rtol=1e-9, atol=1e-12)
    S = A @ A.conj().T
    assert np.linalg.eigvalsh(G.reynolds(S)).min() > -1e-12


def test_generator_matrices_are_a_dc_gevp_dictionary(rng):
    from algdiv import dc_gevp

    G = negacyclic(6)
    Q = G.generator_matrices()
    np.testing.assert_array_equal(Q[0], signed_permutation_matrix(G.generators[0]))
    a = rng.standard_normal((6, 6))
    R = G.reynolds(a @ a.T)
    assert dc_gevp(R, Q).certificate < 1e-20 * np.linalg.norm(R) ** 2
    S = a @ a.T
    assert dc_gevp(S, Q).certificate > 1e-3 * np.linalg.norm(S) ** 2 / 36


def test_doubled_action_is_faithful_and_signed_matrices_compose():
    G = negacyclic(4)
    D = G.doubled()
    assert D.degree == 8 and D.order == G.order
    z = signed_permutation_matrix(G.generators[0])
    np.testing.assert_array_equal(np.linalg.matrix_power(z, 4), -np.eye(4))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: as_signed_permutation([1, 0]), TypeError, "must be a pair"),
        (lambda: as_signed_permutation("ab"), TypeError, "must be a pair"),
        (lambda: as_signed_permutation(([1, 0], [1, 2])), ValueError, r"\+1 or -1, got 2"),
        (lambda: as_signed_permutation(([1, 0], [1])), ValueError, "shape"),
        (lambda: as_signed_permutation(([1, 1], [1, 1])), ValueError, "permutation"),
        (lambda: as_signed_permutation(([1, 0], [True, True])), ValueError, "numbers"),
        (lambda: SignedPermutationGroup([]), ValueError, "degree is required"),
        (lambda: SignedPermutationGroup([([0, 1], [1, 1]), ([0, 1, 2], [1, 1, 1])]), ValueError, "generator 1"),
        (lambda: SignedPermutationGroup([[0, 1]]), TypeError, "generator 0 must be a pair"),
        (lambda: negacyclic(4, "diagonal"), ValueError, "reflection must be"),
        (lambda: negacyclic(0), ValueError, "at least 1"),
        (lambda: negacyclic(4).reynolds(np.eye(3)), ValueError, "A"),
        (lambda: hyperoctahedral(9).elements(), ValueError, "limit"),
        (lambda: SignedPermutationGroup.from_permutation_group("cyclic(3)"), TypeError, "PermutationGroup"),
    ],
)
def test_errors_name_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("m", [1, 2, 5, 8])
def test_negacyclic_closed_form_equals_the_union_find(m):
    G = negacyclic(m)
    plain = SignedPermutationGroup(G.generators, m)  # nothing known: union-find
    for a, b in zip(G.signed_pair_orbits(), plain.signed_pair_orbits()):
        np.testing.assert_array_equal(a, b)
    assert G.commutant_dim == plain.commutant_dim == m


def test_equality_as_groups_and_pickling():
    import pickle

    G = negacyclic(6)
    p, s = G.generators[0]
    q = np.arange(6)
    z5 = [(q - 1) % 6, np.where(q == 0, -1, 1)]  # Z^{-1}: e_i -> e_{i-1}, e_0 -> -e_5
    assert SignedPermutationGroup([tuple(z5)]) == G
    assert SignedPermutationGroup([(p, -s)]) == G  # (-Z)^7 = Z: the same group
    assert SignedPermutationGroup([(p, np.ones(6))]) != G  # the unsigned shift
    assert negacyclic(6, "half") != G and hash(negacyclic(6, "half")) == hash(G)
    P = pickle.loads(pickle.dumps(G))
    assert P == G and P.commutant_dim == 6
    np.testing.assert_array_equal(P.signed_pair_orbits()[1], G.signed_pair_orbits()[1])
