"""Twin reduction in the automorphism search: the same group as the plain search, faster."""

import numpy as np
import pytest

from algdiv import reynolds
from algdiv.discovery import automorphisms
from algdiv.discovery.automorphisms import _search, _search_plain, _twin_classes
from algdiv.groups import (
    PermutationGroup,
    cyclic,
    dihedral,
    direct_product,
    iterated_wreath,
    relabel,
    symmetric,
    wreath_product,
)


def planted(rng, sizes, n_colours=4):
    """A random colouring with planted twin classes of the given sizes (points shuffled)."""
    k = len(sizes)
    q = rng.integers(0, n_colours, size=(k, k))
    own = rng.integers(0, 2, size=k)
    inner = rng.integers(0, n_colours, size=k)
    cls = np.repeat(np.arange(k), sizes)
    c = q[cls[:, None], cls[None, :]]
    same = cls[:, None] == cls[None, :]
    c = np.where(same, inner[cls][:, None], c)
    np.fill_diagonal(c, n_colours + own[cls])
    perm = rng.permutation(cls.size)
    return c[np.ix_(perm, perm)]


def group_of(c, gens, order):
    return PermutationGroup(gens, c.shape[0]) if gens else PermutationGroup([], c.shape[0])


COLOURINGS = [
    ("S_9", lambda rng: symmetric(9).pair_orbits()),
    ("S_3 wr S_4", lambda rng: wreath_product(symmetric(3), symmetric(4)).pair_orbits()),
    ("tree", lambda rng: iterated_wreath([2, 2, 3]).pair_orbits()),
    ("S_5 wr Z_3", lambda rng: wreath_product(symmetric(5), cyclic(3)).pair_orbits()),
    ("relabelled S_4 wr D_3", lambda rng: relabel(
        wreath_product(symmetric(4), dihedral(3)), rng.permutation(12)).pair_orbits()),
    ("planted 1", lambda rng: planted(rng, [3, 3, 1, 2, 4])),
    ("planted 2", lambda rng: planted(rng, [2, 2, 2, 2, 2, 1, 1])),
    ("planted 3", lambda rng: planted(rng, [5, 1, 1, 1, 5], n_colours=2)),
]


@pytest.mark.parametrize("name, build", COLOURINGS, ids=[c[0] for c in COLOURINGS])
def test_twin_reduction_gives_the_same_group_as_the_plain_search(name, build):
    rng = np.random.default_rng(4)
    c = np.asarray(build(rng), dtype=np.int64)
    assert _twin_classes(c) is not None
    gens, order = _search(c)
    gens0, order0 = _search_plain(c)
    assert order == order0
    G, G0 = group_of(c, gens, order), group_of(c, gens0, order0)
    assert G.order == order0 and G == G0
    for p in gens:  # each generator preserves the colouring exactly
        assert np.array_equal(c[p[:, None], p[None, :]], c)


@pytest.mark.parametrize("G", [dihedral(9), cyclic(7), relabel(dihedral(10), np.arange(10)[::-1]),
                               direct_product(symmetric(3), cyclic(4)),
                               direct_product(cyclic(2), symmetric(3), symmetric(4))],
                         ids=lambda g: g.short_name)
def test_colourings_without_twins_take_the_plain_search(G):
    c = np.asarray(G.pair_orbits(), dtype=np.int64)
    assert _twin_classes(c) is None
    gens, order = _search(c)
    gens0, order0 = _search_plain(c)
    assert order == order0 and len(gens) == len(gens0)
    assert all(np.array_equal(a, b) for a, b in zip(gens, gens0))


@pytest.mark.parametrize("m", [3, 7, 12])
def test_one_twin_class_gives_exactly_the_plain_search_generators(m):
    rng = np.random.default_rng(m)
    p = rng.permutation(m)
    c = np.where(np.eye(m, dtype=bool), 3, 5)[np.ix_(p, p)]
    gens, order = _search(c)
    gens0, order0 = _search_plain(c)
    assert order == order0 and len(gens) == len(gens0) == m - 1
    assert all(np.array_equal(a, b) for a, b in zip(gens, gens0))


def test_large_symmetric_factor_is_found_without_a_search_tree():
    m = 300
    R = 2 * np.eye(m) + np.ones((m, m))
    G = automorphisms(R, max_nodes=1)  # no search node is needed: one twin class
    from math import factorial

    assert G.order == factorial(m) and len(G.generators) == m - 1


def test_node_budget_still_applies_to_the_quotient_search():
    # A twin-free colouring with a large group: the Paley-like colouring of Z_13 by
    # quadratic residues has AGL-type symmetry and needs a search tree.
    p = 13
    res = {(x * x) % p for x in range(1, p)}
    i = np.arange(p)
    R = np.array([[2.0 if a == b else (1.0 if (b - a) % p in res else 0.0) for b in i] for a in i])
    assert _twin_classes(np.asarray(R * 2, dtype=np.int64)) is None
    with pytest.warns(RuntimeWarning, match="stopped after 3 nodes"):
        F = automorphisms(R, max_nodes=3)
    assert F.order < automorphisms(R).order


def test_noisy_colourings_give_the_plain_search_group_and_a_consistent_order():
    # A relabelled dihedral covariance close to the identity: coarse tolerances merge
    # entries into few colours, whose groups have large symmetric factors (twins).
    from algdiv.discovery.automorphisms import _edge_colours

    rng = np.random.default_rng(0)
    m = 24
    hidden = relabel(dihedral(m), rng.permutation(m))
    A = rng.standard_normal((m, m))
    R = reynolds(A @ A.T / m + np.eye(m), hidden)
    E = rng.standard_normal((m, m))
    noisy = R + 0.02 * (E + E.T)
    for tol in (0.02, 0.1, 0.3, 1.0):
        c = _edge_colours(noisy, tol)
        gens, order = _search(c)
        gens0, order0 = _search_plain(c)
        assert order == order0
        if gens:
            assert PermutationGroup(gens, m).order == order
            assert PermutationGroup(gens, m) == PermutationGroup(gens0, m)
