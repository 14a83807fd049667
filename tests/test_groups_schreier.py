"""Order and membership from generators (giant recognition, numpy Schreier-Sims) vs sympy."""

from math import factorial

import numpy as np
import pytest
from sympy.combinatorics import Permutation
from sympy.combinatorics import PermutationGroup as SympyGroup

from algdiv.groups import (
    PermutationGroup,
    affine,
    cyclic,
    dihedral,
    direct_product,
    elementary_abelian,
    iterated_wreath,
    relabel,
    symmetric,
    wreath_product,
)
from algdiv.groups._schreier import StabilizerChain, is_giant, parity


def sympy_group(gens):
    return SympyGroup([Permutation(list(map(int, g))) for g in gens])


def raw(G):
    """The same generators with no known order: forces the computation."""
    return PermutationGroup(G.generators, G.degree)


CATALOGUE = [
    cyclic(12),
    dihedral(10),
    elementary_abelian(4),
    iterated_wreath([2, 2, 3]),
    iterated_wreath([3, 2], node_group="cyclic"),
    affine(11),
    symmetric(7),
    direct_product(cyclic(4), dihedral(5)),
    direct_product(symmetric(3), cyclic(3), cyclic(2)),
    wreath_product(cyclic(3), symmetric(4)),
    wreath_product(dihedral(4), cyclic(3)),
    relabel(wreath_product(symmetric(3), dihedral(5)), np.random.default_rng(1).permutation(15)),
]


@pytest.mark.parametrize("G", CATALOGUE, ids=lambda g: g.short_name)
def test_order_of_catalogue_groups_from_generators_equals_sympy_and_construction(G):
    H = raw(G)
    assert H.order == G.order == sympy_group(G.generators).order()
    assert H.order_is_verified


def _random_group(rng, m, kind):
    if kind == "transitive":
        return [rng.permutation(m) for _ in range(2)]
    if kind == "intransitive":  # two orbits, each permuted independently
        a = m // 3
        return [np.r_[rng.permutation(a), a + rng.permutation(m - a)] for _ in range(2)]
    if kind == "imprimitive":  # blocks of size 3 permuted, with a twist inside one block
        nb = m // 3
        outs = []
        for _ in range(2):
            blocks = rng.permutation(nb)
            inner = np.arange(3) if rng.random() < 0.5 else np.array([1, 2, 0])
            outs.append((blocks[:, None] * 3 + inner[None, :]).ravel())
        return outs
    # "small": products of disjoint short cycles generate small groups
    outs = []
    for _ in range(2):
        p = np.arange(m)
        pts = rng.choice(m, size=6, replace=False)
        p[pts] = pts[[1, 2, 0, 4, 5, 3]]
        outs.append(p)
    return outs


@pytest.mark.parametrize("kind", ["transitive", "intransitive", "imprimitive", "small"])
@pytest.mark.parametrize("m", [6, 9, 12, 15])
def test_order_of_random_groups_equals_sympy(kind, m):
    rng = np.random.default_rng(100 + m)
    for _ in range(3):
        gens = _random_group(rng, m, kind)
        assert PermutationGroup(gens, m).order == sympy_group(gens).order()


@pytest.mark.parametrize("G", CATALOGUE[:8], ids=lambda g: g.short_name)
def test_membership_equals_sympy(G):
    rng = np.random.default_rng(7)
    H = raw(G)
    S = sympy_group(G.generators)
    elements = G.elements(limit=10**6)
    for e in elements[rng.choice(len(elements), size=min(20, len(elements)), replace=False)]:
        assert H.contains(e)
    for _ in range(20):
        p = rng.permutation(G.degree)
        assert H.contains(p) == bool(S.contains(Permutation(p.tolist())))


@pytest.mark.parametrize("m", [8, 11, 30, 64])
def test_giants_are_recognized_with_the_right_parity(m):
    rng = np.random.default_rng(m)
    gens = [rng.permutation(m) for _ in range(2)]
    G = PermutationGroup(gens, m)
    expected = sympy_group(gens).order() if m <= 30 else None
    assert G.order in (factorial(m), factorial(m) // 2)
    if expected is not None:
        assert G.order == expected
    # Even generators only: the 3-cycle (0 1 2) and a cycle of odd length through the
    # other points (all M points for odd M, points 1..M-1 for even M) generate A_M.
    c3 = np.arange(m)
    c3[[0, 1, 2]] = [1, 2, 0]
    start = 1 - m % 2
    long = np.arange(m)
    long[start:] = np.roll(np.arange(start, m), -1)
    A = PermutationGroup([c3, long], m)
    assert A.order == factorial(m) // 2
    odd = np.arange(m)
    odd[[0, 1]] = [1, 0]
    assert not A.contains(odd)
    assert A.contains(c3[c3])
    assert PermutationGroup([c3, long, odd], m).order == factorial(m)


def test_primitive_groups_that_are_not_giants_are_never_taken_for_one():
    rng = np.random.default_rng(0)
    for G in (affine(31), affine(61), dihedral(61), cyclic(64)):
        assert not is_giant(G.generators, rng, tries=200)
        assert raw(G).order == G.order


def test_parity_equals_sympy():
    rng = np.random.default_rng(1)
    for m in (1, 2, 5, 12, 40):
        for _ in range(5):
            p = rng.permutation(m)
            assert parity(p) == Permutation(p.tolist()).parity()


def test_chain_is_verified_and_each_level_fixes_the_earlier_base_points():
    G = wreath_product(symmetric(4), dihedral(6))
    chain = StabilizerChain(G.generators, G.degree, np.random.default_rng(3))
    assert chain.verified and chain.order == G.order
    for level, gens in enumerate(chain._gens):
        for g in gens:
            assert np.array_equal(g[chain.base[:level]], chain.base[:level])


def test_order_survives_pickling_and_matches_after_rebuild():
    import pickle

    rng = np.random.default_rng(5)
    gens = _random_group(rng, 12, "imprimitive")
    G = PermutationGroup(gens, 12)
    order = G.order
    H = pickle.loads(pickle.dumps(G))
    assert H.order == order
    H._order = None
    assert H.order == order == sympy_group(gens).order()


def test_transversal_memory_is_checked_against_the_limit():
    from algdiv._limits import ResourceLimitError, max_memory

    rng = np.random.default_rng(2)
    gens = _random_group(rng, 60, "intransitive")  # two giant orbits: a deep chain
    with max_memory("20K"):
        with pytest.raises(ResourceLimitError, match="Schreier-Sims transversals"):
            _ = PermutationGroup(gens, 60).order
