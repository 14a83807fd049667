"""Blind discovery: Aut(R) of an exactly invariant R is the group's 2-closure, found fast."""

import itertools
import math
import zlib

import numpy as np
import pytest

from algdiv import reynolds
from algdiv.discovery import automorphisms
from algdiv.discovery.automorphisms import colouring_automorphisms
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
    trivial,
    wreath_product,
)


def random_spd(m, rng, complex_=False):
    a = rng.standard_normal((m, m))
    if complex_:
        a = a + 1j * rng.standard_normal((m, m))
    return a @ np.conj(a.T) / m + np.eye(m)


def same_partition(a, b):
    pairs = set(zip(a.ravel().tolist(), b.ravel().tolist()))
    return len(pairs) == len(np.unique(a)) == len(np.unique(b))


# Groups that are 2-closed (the data determine them exactly from a complex Hermitian R).
TWO_CLOSED = {
    "cyclic(64)": lambda: cyclic(64),
    "dihedral(64)": lambda: dihedral(64),
    "elementary_abelian(6)": lambda: elementary_abelian(6),
    "iterated_wreath([2]*6)": lambda: iterated_wreath([2] * 6),
    "iterated_wreath([3,4,4])": lambda: iterated_wreath([3, 4, 4]),
    "iterated_wreath([4,4,4], cyclic)": lambda: iterated_wreath([4, 4, 4], "cyclic"),
    "symmetric(64)": lambda: symmetric(64),
    "trivial(40)": lambda: trivial(40),
    "Z_4 x D_5": lambda: direct_product(cyclic(4), dihedral(5)),
    "Z_8 x Z_8": lambda: direct_product(cyclic(8), cyclic(8)),
    "D_8 wr S_4": lambda: wreath_product(dihedral(8), symmetric(4)),
    "D_16 x D_4": lambda: direct_product(dihedral(16), dihedral(4)),
}


@pytest.mark.parametrize("name", list(TWO_CLOSED))
def test_recovers_hidden_catalogue_groups_exactly(name):
    # a seed stable across processes (hash() of a str is salted per process); the
    # time this takes is measured in benchmarks/bench_discovery.py, not asserted here
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    G = TWO_CLOSED[name]()
    hidden = relabel(G, rng.permutation(G.degree))
    R = reynolds(random_spd(G.degree, rng, complex_=True), hidden)
    F = automorphisms(R)
    assert F.order == hidden.order
    if hidden.order < math.factorial(G.degree):  # (of order M!, F is S_M already)
        assert all(F.contains(g) for g in hidden.generators)  # so F == G
    assert same_partition(F.pair_orbits(), hidden.pair_orbits())


def test_affine_group_is_seen_as_its_2_closure_the_symmetric_group(rng):
    # AGL(1, p) is 2-transitive: same commutant as S_p, so the data cannot tell them apart.
    hidden = relabel(affine(13), rng.permutation(13))
    F = automorphisms(reynolds(random_spd(13, rng), hidden))
    assert F == symmetric(13)


def test_real_cyclic_covariance_is_dihedral_invariant(rng):
    # A real symmetric Z_M-invariant matrix is automatically D_M-invariant.
    sigma = rng.permutation(10)
    real = reynolds(random_spd(10, rng), relabel(cyclic(10), sigma))
    assert automorphisms(real) == relabel(dihedral(10), sigma)
    cplx = reynolds(random_spd(10, rng, complex_=True), relabel(cyclic(10), sigma))
    assert automorphisms(cplx) == relabel(cyclic(10), sigma)


def test_agrees_with_brute_force_over_all_permutations(rng):
    # Random colourings with some symmetry: compare against checking all 720 permutations.
    m = 6
    for trial in range(6):
        G = PermutationGroup([rng.permutation(m)]) if trial % 2 else dihedral(m)
        base = rng.integers(0, 3, size=(m, m)).astype(float)
        R = reynolds(base + base.T, G)
        brute = [
            p for p in itertools.permutations(range(m))
            if np.allclose(R[np.ix_(p, p)], R)
        ]
        assert automorphisms(R).order == len(brute)


def test_colouring_automorphisms_of_a_directed_colouring():
    i = np.arange(7)
    gens = colouring_automorphisms((i[None, :] - i[:, None]) % 7)
    assert PermutationGroup(gens, 7) == cyclic(7)


def test_estimated_covariance_with_a_tolerance(rng):
    hidden = relabel(dihedral(8), rng.permutation(8))
    R0 = reynolds(random_spd(8, rng) + 2 * np.eye(8), hidden)
    L = np.linalg.cholesky(R0)
    X = rng.standard_normal((200_000, 8)) @ L.T
    S = X.T @ X / len(X)
    assert automorphisms(S).order == 1  # exact equality fails on noisy data
    se = np.sqrt(np.outer(np.diag(S), np.diag(S)) / len(X)).max()
    F = automorphisms(S, tol=3 * se)
    assert F == hidden


def test_bad_inputs(rng):
    with pytest.raises(ValueError, match="square"):
        automorphisms(np.ones((2, 3)))
    with pytest.raises(ValueError, match="Hermitian"):
        automorphisms(np.triu(np.ones((3, 3))))
    with pytest.raises(ValueError, match="NaN"):
        automorphisms(np.full((3, 3), np.nan))
    with pytest.raises(ValueError, match="tol"):
        automorphisms(np.eye(3), tol=-1)


@pytest.mark.parametrize("G", [wreath_product(dihedral(8), symmetric(4)), iterated_wreath([3, 4, 2])])
def test_order_from_the_search_equals_schreier_sims(rng, G):
    hidden = relabel(G, rng.permutation(G.degree))
    F = automorphisms(reynolds(random_spd(G.degree, rng), hidden))
    assert F.order == PermutationGroup(F.generators, G.degree).order == G.order


def test_node_budget_is_validated():
    # (the budget itself is tested on a twin-free colouring in test_scale_automorphisms:
    # S_12, one class of twins, now needs no search at all)
    R = 2 * np.eye(12) + np.ones((12, 12))
    assert automorphisms(R, max_nodes=1).order == symmetric(12).order
    with pytest.raises(ValueError, match="max_nodes"):
        automorphisms(R, max_nodes=0)
