"""The public entry points accept hybrid wreaths and signed-permutation groups."""

import numpy as np
from numpy.testing import assert_allclose

from algdiv import SignedPermutationGroup, matched_transform, reynolds
from algdiv.groups import PermutationGroup, iterated_wreath, negacyclic


def test_matched_transform_of_a_hybrid_wreath_is_the_fast_tree_and_diagonalizes():
    G = iterated_wreath([4, 3], node_group=["elementary_abelian", "dihedral"])
    T = matched_transform(G)
    generic = matched_transform(PermutationGroup(G.generators, G.degree))
    A = np.random.default_rng(0).standard_normal((G.degree, G.degree))
    R = reynolds(A @ A.T, G)
    U = T.forward(np.eye(G.degree), axis=0)  # columns: the transform of each basis vector
    D = U @ R @ U.conj().T
    assert_allclose(D - np.diag(np.diag(D)), 0, atol=1e-10)
    assert T.name != generic.name  # the tree kernel, not the generic derivation


def test_reynolds_and_matched_transform_take_signed_groups():
    N = negacyclic(8)
    assert isinstance(N, SignedPermutationGroup)
    A = np.random.default_rng(1).standard_normal((8, 8))
    assert_allclose(reynolds(A, N), N.reynolds(A), rtol=0, atol=0)
    T = matched_transform(N)
    R = reynolds(A @ A.T, N)
    U = T.forward(np.eye(8), axis=0)
    D = U @ R @ U.conj().T
    assert_allclose(D - np.diag(np.diag(D)), 0, atol=1e-10)
