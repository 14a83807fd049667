"""The label-free Reynolds projection of tree groups in natural order."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from algdiv import reynolds
from algdiv.groups import PermutationGroup, iterated_wreath, relabel


@pytest.mark.parametrize(
    ("branching", "node"),
    [([2, 2, 2], "symmetric"), ([3, 2], "symmetric"), ([2, 3, 2], "symmetric"),
     ([4], "symmetric"), ([2, 2, 2, 2], "cyclic")],
)
def test_matches_the_pair_orbit_average(branching, node):
    rng = np.random.default_rng(0)
    G = iterated_wreath(branching, node)
    plain = PermutationGroup(G.generators, G.degree)  # same group, no construction: labels
    m = G.degree
    A = rng.standard_normal((2, m, m)) + 1j * rng.standard_normal((2, m, m))
    assert_allclose(reynolds(A[0].real, G), reynolds(A[0].real, plain), rtol=0, atol=1e-13)
    assert_allclose(reynolds(A, G), reynolds(A, plain), rtol=0, atol=1e-13)


def test_no_labels_are_formed(monkeypatch):
    G = iterated_wreath([2] * 8)

    def refuse():
        raise AssertionError("pair-orbit labels formed")

    monkeypatch.setattr(G, "pair_orbits", refuse)
    A = np.random.default_rng(1).standard_normal((256, 256))
    P = reynolds(A, G)
    assert_allclose(reynolds(P, G), P, rtol=0, atol=1e-13)  # idempotent
    assert_allclose(np.trace(P), np.trace(A), rtol=1e-12)  # the diagonal orbit keeps its sum
    assert_allclose(P.sum(), A.sum(), rtol=1e-12, atol=1e-10)  # so does every level


def test_cyclic_nodes_with_three_children_use_the_labels():
    # Z_3 is not 2-transitive on three children: the level sums would be wrong there
    G = iterated_wreath([3, 3], "cyclic")
    A = np.random.default_rng(2).standard_normal((9, 9))
    plain = PermutationGroup(G.generators, 9)
    assert_allclose(reynolds(A, G), reynolds(A, plain), rtol=0, atol=1e-13)
    assert G.n_pair_orbits > 4  # more than diagonal + two levels


def test_a_relabelled_tree_group_still_averages_correctly():
    G = iterated_wreath([2, 2, 2])
    perm = np.random.default_rng(3).permutation(8)
    H = relabel(G, perm)
    A = np.random.default_rng(4).standard_normal((8, 8))
    inv = np.argsort(perm)
    # relabel moves point i to perm[i]: Φ_H(A) = P Φ_G(Pᵀ A P) Pᵀ
    expected = reynolds(A[np.ix_(perm, perm)], G)[np.ix_(inv, inv)]
    assert_allclose(reynolds(A, H), expected, rtol=0, atol=1e-13)
