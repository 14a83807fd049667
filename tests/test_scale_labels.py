"""Pair-orbit labels in small dtypes, closed forms without the M x M array, memory refusals."""

import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from algdiv import reynolds
from algdiv._limits import ResourceLimitError, max_memory
from algdiv.commutant import orbital_basis
from algdiv.groups import (
    PermutationGroup,
    cyclic,
    dihedral,
    direct_product,
    elementary_abelian,
    iterated_wreath,
    relabel,
    symmetric,
    trivial,
    wreath_product,
)
from algdiv.groups._group import label_dtype

from .conftest import naive_reynolds


def same_partition(a, b):
    """Two label arrays define the same partition of the pairs."""
    a, b = np.asarray(a, dtype=np.int64).ravel(), np.asarray(b, dtype=np.int64).ravel()
    pairs = np.unique(a * (b.max() + 1) + b)
    return pairs.size == np.unique(a).size == np.unique(b).size


CLOSED = [
    trivial(7),
    cyclic(1),
    cyclic(2),
    cyclic(13),
    cyclic(300),
    dihedral(1),
    dihedral(2),
    dihedral(11),
    dihedral(40),
    symmetric(1),
    symmetric(9),
    elementary_abelian(0),
    elementary_abelian(4),
    direct_product(cyclic(3), dihedral(6)),
    direct_product(symmetric(3), cyclic(2), elementary_abelian(2)),
    direct_product(wreath_product(cyclic(2), cyclic(3)), cyclic(4)),
    relabel(dihedral(15), np.random.default_rng(2).permutation(15)),
    relabel(direct_product(cyclic(4), cyclic(5)), np.random.default_rng(3).permutation(20)),
]


@pytest.mark.parametrize("G", CLOSED, ids=lambda g: g.expression or g.short_name)
def test_closed_forms_equal_the_generic_orbit_computation(G):
    generic = PermutationGroup(G.generators, G.degree)
    # n_pair_orbits and sizes come before (and without) the labels when closed forms
    # give them (all but the product with a wreath factor, whose count is not known)
    known = G._n_pair_orbits is not None
    n, sizes = G.n_pair_orbits, G.pair_orbit_sizes()
    assert known or "wr" in G.short_name
    if known:
        assert G._labels is None
    assert n == generic.n_pair_orbits
    lab = G.pair_orbits()
    assert lab.dtype == label_dtype(n)
    assert same_partition(lab, generic.pair_orbits())
    assert_array_equal(sizes, np.bincount(lab.ravel(), minlength=n))
    assert sizes.sum() == G.degree**2
    rng = np.random.default_rng(0)
    i, j = rng.integers(0, G.degree, size=(2, 50))
    assert_array_equal(G.pair_orbit_of(i, j), lab[i, j])


@pytest.mark.parametrize(
    "n, dtype", [(1, np.uint8), (16, np.uint8), (17, np.uint16), (256, np.uint16),
                 (257, np.int32), (46340, np.int32), (46341, np.int64)]
)
def test_label_dtype_holds_the_codes_of_two_labels(n, dtype):
    assert label_dtype(n) == np.dtype(dtype)
    assert n * n - 1 <= np.iinfo(dtype).max


@pytest.mark.parametrize(
    "G", [cyclic(16), dihedral(40), cyclic(300), trivial(20), iterated_wreath([2, 3, 2]),
          PermutationGroup([[1, 2, 0, 4, 3, 5], [0, 1, 2, 5, 4, 3]])],
    ids=lambda g: g.short_name,
)
def test_reynolds_with_small_label_dtypes_equals_the_group_sum(G):
    rng = np.random.default_rng(1)
    m = G.degree
    A = rng.standard_normal((3, m, m)) + 1j * rng.standard_normal((3, m, m))
    got = reynolds(A, G)
    if G.order <= 400:
        for k in range(3):
            assert_allclose(got[k], naive_reynolds(A[k], G), rtol=1e-12, atol=1e-12)
    assert_allclose(reynolds(A[0], G), got[0], rtol=1e-12, atol=1e-12)
    assert_allclose(reynolds(got, G), got, rtol=1e-12, atol=1e-12)  # idempotent
    assert G.pair_orbits().dtype.itemsize < 8


def test_orbital_basis_with_small_dtypes_sums_to_ones():
    G = dihedral(12)
    assert G.pair_orbits().dtype == np.uint8
    B = orbital_basis(G)
    assert_array_equal(B.sum(axis=0), np.ones((12, 12)))
    S = orbital_basis(G, sparse_format=True)
    assert_array_equal(sum(s.toarray() for s in S), np.ones((12, 12)))


def test_huge_cyclic_group_answers_without_labels_and_refuses_them_clearly():
    G = cyclic(100000)
    assert G.n_pair_orbits == 100000
    assert G.pair_orbit_sizes()[[0, 99999]].tolist() == [100000, 100000]
    assert G.pair_orbit_of(7, 3).item() == 99996
    D = dihedral(100001)
    assert D.n_pair_orbits == 50001 and D.pair_orbit_of([0, 0], [1, 100000]).tolist() == [1, 1]
    with pytest.raises(ResourceLimitError, match=r"cyclic\(100000\).*74\.5 GiB"):
        G.pair_orbits()
    assert G._labels is None


def test_generic_labels_are_refused_above_the_limit():
    rng = np.random.default_rng(0)
    G = PermutationGroup([rng.permutation(600)])
    with max_memory("1M"):
        with pytest.raises(ResourceLimitError, match="pair-orbit labels"):
            G.pair_orbits()
        with pytest.raises(ValueError, match=r"dihedral\(1024\)"):
            dihedral(1024).pair_orbits()
    assert G.pair_orbits().shape == (600, 600)


def test_pair_orbit_of_checks_its_arguments():
    G = dihedral(5)
    with pytest.raises(ValueError, match="0..4"):
        G.pair_orbit_of(5, 0)
    with pytest.raises(TypeError, match="integers"):
        G.pair_orbit_of(0.5, 0)


def test_closed_forms_survive_pickling():
    for G in (cyclic(50000), relabel(dihedral(9), np.arange(9)[::-1]),
              direct_product(cyclic(3), dihedral(4))):
        H = pickle.loads(pickle.dumps(G))
        assert H._pair_fn is not None and H.n_pair_orbits == G.n_pair_orbits
        assert_array_equal(H.pair_orbit_of([0, 1], [2, 2]), G.pair_orbit_of([0, 1], [2, 2]))
        assert_array_equal(H.pair_orbit_sizes(), G.pair_orbit_sizes())


def test_dense_orbital_basis_is_checked_against_the_memory_limit():
    G = dihedral(12)
    G.pair_orbits()
    with max_memory("4K"):  # 7 orbitals x 144 entries x 8 bytes = 8 KiB
        with pytest.raises(ResourceLimitError, match="dense orbital basis"):
            orbital_basis(G)
        assert len(orbital_basis(G, sparse_format=True)) == 7


def test_groups_known_to_be_giants_get_the_two_pair_orbits_without_orbit_computation():
    from math import factorial

    rng = np.random.default_rng(9)
    for m, order in ((9, factorial(9)), (9, factorial(9) // 2), (30, factorial(30))):
        G = PermutationGroup._built([rng.permutation(m)], m, order=order)
        assert G.n_pair_orbits == 2
        assert_array_equal(G.pair_orbits(), 1 - np.eye(m, dtype=int))
    # A_3 (= Z_3) is not 2-transitive: three pair orbits, from the generic computation
    A3 = PermutationGroup._built([[1, 2, 0]], 3, order=3)
    assert A3.n_pair_orbits == 3
