"""The wreath product's closed-form pair labels equal the labels built as an array."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from algdiv.groups import (
    PermutationGroup,
    cyclic,
    dihedral,
    direct_product,
    elementary_abelian,
    iterated_wreath,
    symmetric,
    trivial,
    wreath_product,
)
from algdiv.groups._orbits import pair_orbit_labels


def _partition_equal(a: np.ndarray, b: np.ndarray) -> bool:
    """Two labellings define the same partition of the pairs."""
    pairs = np.unique(np.stack([a.ravel(), b.ravel()]), axis=1)
    return len(np.unique(pairs[0])) == pairs.shape[1] == len(np.unique(pairs[1]))


CASES = [
    (symmetric(3), cyclic(4)),
    (cyclic(4), symmetric(3)),
    (dihedral(5), dihedral(4)),
    (elementary_abelian(2), cyclic(3)),
    (trivial(3), cyclic(2)),  # G intransitive: its point orbits enter the labels
    (direct_product(cyclic(2), trivial(2)), symmetric(2)),
    (cyclic(3), PermutationGroup([[1, 0, 2, 3]], 4)),  # H intransitive
]


@pytest.mark.parametrize("G, H", CASES, ids=lambda g: g.short_name)
def test_closed_form_equals_array_labels(G, H):
    W = wreath_product(G, H)
    assert W._pair_fn is not None
    n_closed = W.n_pair_orbits  # from the closed form: no labels formed
    assert W._labels is None
    closed = W.pair_orbits()
    n_array, array = W._labels_fn()  # the array construction, independently numbered
    assert n_closed == n_array
    assert_array_equal(closed, array)
    # and both are the orbits of the generated group on pairs
    n_orbits, orbits = pair_orbit_labels(W.generators, W.degree)
    assert n_orbits == n_closed
    assert _partition_equal(closed, orbits)


def test_pair_orbit_of_matches_labels_on_a_tree():
    W = iterated_wreath([3, 2, 2], node_group=["cyclic", "symmetric", "dihedral"])
    rng = np.random.default_rng(0)
    i = rng.integers(0, W.degree, 50)
    j = rng.integers(0, W.degree, 50)
    labels_first = W.pair_orbit_of(i, j)
    assert_array_equal(labels_first, W.pair_orbits()[i, j])


def test_deep_binary_tree_without_labels():
    W = iterated_wreath([2] * 16)  # 65536 points: 4 G entries of labels if formed
    assert W.n_pair_orbits == 17  # the level of the lowest common ancestor, and i = j
    assert W._labels is None
    i = np.array([0, 0, 0, 5, 65535])
    j = np.array([0, 1, 2, 4, 0])
    lab = W.pair_orbit_of(i, j)
    # pairs with the same lowest common ancestor share a label; different ones do not
    assert lab[3] == lab[1] and len({int(lab[0]), int(lab[1]), int(lab[2]), int(lab[4])}) == 4
