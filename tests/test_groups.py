"""PermutationGroup: axioms, orders against sympy, orbits, pair orbits, membership, errors."""

import pickle
from math import factorial

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation
from sympy.combinatorics import PermutationGroup as SympyGroup

from algdiv.groups import (
    PermutationGroup,
    affine,
    cyclic,
    dihedral,
    direct_product,
    elementary_abelian,
    from_generators,
    iterated_wreath,
    parse,
    relabel,
    semidirect_product,
    subgroup,
    symmetric,
    trivial,
    wreath_product,
)
from algdiv.groups._orbits import pair_orbit_labels
from algdiv.groups.permutations import compose, inverse

from .conftest import naive_pair_partition, same_partition


def small_catalogue():
    return [
        trivial(1),
        trivial(4),
        cyclic(1),
        cyclic(2),
        cyclic(7),
        cyclic(12),
        dihedral(2),
        dihedral(5),
        dihedral(8),
        elementary_abelian(0),
        elementary_abelian(3),
        symmetric(1),
        symmetric(2),
        symmetric(5),
        iterated_wreath([2, 2]),
        iterated_wreath([2, 2, 2]),
        iterated_wreath([3, 2]),
        iterated_wreath([2, 3], node_group="cyclic"),
        affine(5),
        affine(7),
        direct_product(cyclic(3), dihedral(4)),
        direct_product(cyclic(2), cyclic(2), cyclic(3)),
        wreath_product(cyclic(3), symmetric(3)),
        wreath_product(symmetric(2), cyclic(3)),
        relabel(dihedral(6), [3, 5, 0, 1, 4, 2]),
    ]


CATALOGUE_IDS = [g.name for g in small_catalogue()]


@pytest.mark.parametrize("G", small_catalogue(), ids=CATALOGUE_IDS)
def test_known_orders_agree_with_sympy_and_enumeration(G):
    assert G.order == len(G.elements())
    if G.generators.size:
        assert G.order == G.to_sympy().order()


@pytest.mark.parametrize("G", small_catalogue(), ids=CATALOGUE_IDS)
def test_group_axioms_on_elements(G):
    elems = G.elements()
    keys = {e.tobytes() for e in elems}
    assert len(keys) == len(elems)  # no repeats
    assert np.array_equal(elems[0], np.arange(G.degree))  # identity first
    rng = np.random.default_rng(0)
    for _ in range(10):
        a, b = elems[rng.integers(len(elems))], elems[rng.integers(len(elems))]
        assert compose(a, b).tobytes() in keys  # closure
        assert inverse(a).tobytes() in keys  # inverses
        assert G.contains(compose(a, b))


@pytest.mark.parametrize("G", small_catalogue(), ids=CATALOGUE_IDS)
def test_pair_orbits_match_enumeration_and_generic_algorithm(G):
    labels = G.pair_orbits()
    assert same_partition(labels, naive_pair_partition(G))
    n, generic = pair_orbit_labels(G.generators, G.degree)
    assert n == G.n_pair_orbits
    assert same_partition(labels, generic)
    assert G.pair_orbit_sizes().sum() == G.degree**2


@pytest.mark.parametrize("G", small_catalogue(), ids=CATALOGUE_IDS)
def test_orbits_partition_the_points(G):
    orbits = G.orbits()
    pts = np.sort(np.concatenate(orbits))
    np.testing.assert_array_equal(pts, np.arange(G.degree))
    for orbit in orbits:
        for g in G.generators:
            assert set(g[orbit].tolist()) == set(orbit.tolist())


def _random_generators(draw_data, degree, count):
    return [np.random.default_rng(s).permutation(degree) for s in draw_data]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    degree=st.integers(min_value=2, max_value=8),
    seeds=st.lists(st.integers(0, 10**6), min_size=1, max_size=3),
)
def test_random_generator_sets_against_sympy(degree, seeds):
    gens = [np.random.default_rng(s).permutation(degree) for s in seeds]
    G = from_generators(gens)
    ref = SympyGroup([Permutation(g.tolist()) for g in gens])
    assert G.order == ref.order()
    assert G.is_abelian() == ref.is_abelian
    assert len(G.orbits()) == len(ref.orbits())
    if G.order <= 5040:
        assert same_partition(G.pair_orbits(), naive_pair_partition(G))
    probe = np.random.default_rng(seeds[0] + 1).permutation(degree)
    assert G.contains(probe) == ref.contains(Permutation(probe.tolist()))


@settings(max_examples=25, deadline=None)
@given(
    degrees=st.tuples(st.integers(2, 4), st.integers(2, 4)),
    seeds=st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)),
)
def test_random_products_have_consistent_orders_and_pair_orbits(degrees, seeds):
    G = from_generators([np.random.default_rng(seeds[0]).permutation(degrees[0])])
    H = from_generators([np.random.default_rng(seeds[1]).permutation(degrees[1])])
    for P, order in [
        (direct_product(G, H), G.order * H.order),
        (wreath_product(G, H), G.order ** H.degree * H.order),
    ]:
        assert P.order == order
        assert P.to_sympy().order() == order
        n, generic = pair_orbit_labels(P.generators, P.degree)
        assert n == P.n_pair_orbits and same_partition(P.pair_orbits(), generic)


def test_catalogue_orders_in_closed_form():
    assert cyclic(12).order == 12
    assert dihedral(16).order == 32
    assert elementary_abelian(5).order == 32
    assert symmetric(10).order == factorial(10)
    assert iterated_wreath([3, 2]).order == 48
    assert iterated_wreath([2] * 6).order == 2 ** (2**6 - 1)
    assert affine(11).order == 110
    assert wreath_product(cyclic(4), symmetric(4)).order == 4**4 * 24


def test_binary_tree_group_on_1024_points():
    # (its time is measured in benchmarks/bench_reynolds.py, not asserted here)
    G = iterated_wreath([2] * 10)
    labels = G.pair_orbits()
    assert G.order == 2**1023
    assert G.n_pair_orbits == 11  # i == j, and the depth of the lowest common ancestor
    assert labels.shape == (1024, 1024)


def test_pair_orbits_from_generators_only_at_1024_points():
    G = from_generators(dihedral(1024).generators)
    assert G.n_pair_orbits == 513  # floor(M/2) + 1 distances, each in both directions


def test_tree_pair_orbits_are_lowest_common_ancestor_depths():
    G = iterated_wreath([2, 2, 2])
    i = np.arange(8)
    lca_height = np.where(i[:, None] == i[None, :], 0, np.floor(np.log2((i[:, None] ^ i[None, :]) | 1)) + 1)
    assert same_partition(G.pair_orbits(), lca_height.astype(int))


def test_equality_without_enumeration():
    assert from_generators([[(i + 5) % 12 for i in range(12)]]) == cyclic(12)
    assert from_generators([[(i + 2) % 12 for i in range(12)]]) != cyclic(12)
    assert dihedral(6) != cyclic(6)
    assert cyclic(5) != cyclic(6)
    big = iterated_wreath([2] * 10)
    assert big == iterated_wreath([2] * 10)


def test_membership():
    D = dihedral(16)
    assert D.contains([(-i + 3) % 16 for i in range(16)])
    assert not D.contains([(2 * i) % 16 if i < 8 else (2 * i + 1) % 16 for i in range(16)])
    assert [(i + 1) % 16 for i in range(16)] in D
    with pytest.raises(ValueError, match="length 5, expected the degree 16"):
        D.contains([0, 1, 2, 3, 4])


def test_is_abelian():
    assert cyclic(9).is_abelian() and elementary_abelian(4).is_abelian()
    assert not dihedral(5).is_abelian() and not symmetric(3).is_abelian()
    assert trivial(3).is_abelian()


def test_elements_refuses_large_groups_with_clear_error():
    with pytest.raises(ValueError, match="more than limit=100000"):
        iterated_wreath([2] * 6).elements()
    assert len(symmetric(5).elements(limit=200)) == 120


def test_repr_is_readable():
    assert repr(dihedral(16)) == "<dihedral group D_16 on 16 points>"
    assert str(cyclic(4)) == "cyclic group Z_4 on 4 points"
    assert "Z_4 x D_5" in repr(direct_product(cyclic(4), dihedral(5)))
    assert "3 generators" in repr(from_generators([[1, 0, 2], [0, 2, 1], [2, 1, 0]]))


def test_subgroup_checks_membership_and_gives_the_dihedral_ladder():
    D16 = dihedral(16)
    refl = [(-i) % 16 for i in range(16)]
    for J, order in [(2, 4), (4, 8), (8, 16), (16, 32)]:
        rot = [(i + 16 // J) % 16 for i in range(16)]
        assert subgroup(D16, [rot, refl]).order == order
    with pytest.raises(ValueError, match="generator 0 is not an element of the dihedral group D_16"):
        subgroup(D16, [[(3 * i) % 16 for i in range(16)]])


def test_semidirect_product_is_the_affine_group():
    mult = [(2 * x) % 5 for x in range(5)]
    A = semidirect_product(cyclic(5), cyclic(4), [mult])
    assert A.order == 20 and A == affine(5)
    with pytest.raises(ValueError, match="does not normalize N"):
        semidirect_product(cyclic(5), cyclic(2), [[1, 0, 2, 3, 4]])
    with pytest.raises(ValueError, match="one permutation per generator"):
        semidirect_product(cyclic(5), cyclic(4), [])


def test_relabel_conjugates_the_group(rng):
    sigma = rng.permutation(8)
    H = relabel(dihedral(8), sigma)
    for g in dihedral(8).generators:
        assert H.contains(sigma[g][inverse(sigma)])
    assert H.order == 16


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: PermutationGroup([[0, 1, 2], [0, 0, 1]]), ValueError, "generator 1 is not a bijection"),
        (lambda: PermutationGroup([[0, 1, 2], [1, 0]]), ValueError, "generator 1 has length 2"),
        (lambda: PermutationGroup([]), ValueError, "degree is required"),
        (lambda: PermutationGroup([[0.5, 1.5]]), TypeError, "generator 0 must hold integers"),
        (lambda: cyclic(0), ValueError, "M must be at least 1"),
        (lambda: cyclic(2.5), TypeError, "M must be an int"),
        (lambda: iterated_wreath([2, 1]), ValueError, r"branching\[1\] must be at least 2"),
        (lambda: iterated_wreath([2], node_group="alternating"), ValueError, "node_group must be one of"),
        (lambda: affine(9), ValueError, "p must be prime"),
        (lambda: direct_product(cyclic(3)), ValueError, "at least two groups"),
        (lambda: direct_product(cyclic(3), "cyclic(3)"), TypeError, "factor 1 must be a PermutationGroup"),
    ],
)
def test_bad_input_errors_name_the_problem(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("G", [iterated_wreath([2] * 5), wreath_product(cyclic(3), symmetric(4))])
def test_generic_pair_orbits_are_exact_even_from_a_tiny_sample(G, monkeypatch):
    """With one random stabilizer element, the verify-and-repair loop must still be exact."""
    from algdiv.groups import _orbits

    monkeypatch.setattr(_orbits, "_SAMPLE", 1)
    n, labels = pair_orbit_labels(G.generators, G.degree)
    assert n == G.n_pair_orbits
    assert same_partition(labels, G.pair_orbits())


@pytest.mark.parametrize(
    "text",
    [
        "dihedral(8)",
        "iterated_wreath([2, 2, 2])",
        'iterated_wreath([3, 2], node_group="cyclic")',
        "direct_product(cyclic(3), dihedral(4))",
        "wreath_product(cyclic(2), symmetric(3))",
        "affine(5)",
        "elementary_abelian(3)",
    ],
)
@pytest.mark.parametrize("labels_first", [False, True])
def test_pickle_round_trip(text, labels_first):
    G = parse(text)
    if labels_first:
        G.pair_orbits()
    H = pickle.loads(pickle.dumps(G))
    assert H == G and H.order == G.order and H.name == G.name
    np.testing.assert_array_equal(H.pair_orbits(), G.pair_orbits())
    assert not H.generators.flags.writeable and not H.pair_orbits().flags.writeable


def test_pickle_keeps_the_structured_labels_of_a_huge_group():
    # Order 2^1023: the generic orbit computation would work too, but the rebuilt
    # structured label function is what a pickled catalogue group should get back.
    original = iterated_wreath([2] * 10)
    G = pickle.loads(pickle.dumps(original))
    assert G.order == 2**1023 and G.n_pair_orbits == 11
    assert np.array_equal(G.pair_orbits(), original.pair_orbits())


def test_pickle_of_relabelled_and_generic_groups(rng):
    sigma = rng.permutation(12)
    for G in (relabel(dihedral(12), sigma), from_generators([[1, 0, 3, 2], [2, 3, 0, 1]])):
        H = pickle.loads(pickle.dumps(G))
        assert H == G
        np.testing.assert_array_equal(H.pair_orbits(), G.pair_orbits())
