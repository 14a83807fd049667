"""Groups given only by generators (no construction to lean on): order, membership and
pair orbits against independent implementations (sympy's Schreier-Sims, networkx's
connected components of the pair graph) on random and structured groups, including the
shapes that are slow at large degree (orbits reached one point at a time, deep chains,
many stabilizer orbits)."""

from __future__ import annotations

import numpy as np
import pytest

from algdiv.groups import PermutationGroup, affine, cyclic, dihedral, direct_product, parse
from algdiv.groups._orbits import pair_orbit_labels

sympy_comb = pytest.importorskip("sympy.combinatorics")
nx = pytest.importorskip("networkx")


def _sympy_group(gens):
    return sympy_comb.PermutationGroup([sympy_comb.Permutation(list(map(int, g))) for g in gens])


def _pair_partition_networkx(gens, m):
    """Pair orbits as the connected components of the graph (i, j) -- (g i, g j)."""
    graph = nx.Graph()
    graph.add_nodes_from(range(m * m))
    for g in gens:
        i, j = np.meshgrid(np.arange(m), np.arange(m), indexing="ij")
        graph.add_edges_from(zip((i * m + j).ravel().tolist(), (g[i] * m + g[j]).ravel().tolist()))
    label = np.empty(m * m, dtype=np.intp)
    for k, comp in enumerate(nx.connected_components(graph)):
        label[list(comp)] = k
    return label.reshape(m, m)


def _same_partition(a, b):
    a, b = np.asarray(a).ravel(), np.asarray(b).ravel()
    pairs = np.unique(np.stack([a, b]), axis=1)
    return pairs.shape[1] == len(np.unique(a)) == len(np.unique(b))


def _structured(name):
    return {
        "affine(31)": affine(31),
        "wreath C2 wr C12": parse("wreath_product(cyclic(2), cyclic(12))"),
        "wreath C3 wr D5": parse("wreath_product(cyclic(3), dihedral(5))"),
        "D6 x C4": direct_product(dihedral(6), cyclic(4)),
        "intransitive": PermutationGroup(
            [np.r_[cyclic(7).generators[0], 7 + dihedral(6).generators[0]],
             np.r_[np.arange(7), 7 + dihedral(6).generators[1]]]),
    }[name]


NAMES = ["affine(31)", "wreath C2 wr C12", "wreath C3 wr D5", "D6 x C4", "intransitive"]


@pytest.mark.parametrize("name", NAMES)
def test_structured_groups_from_generators_match_sympy_and_networkx(name):
    H = _structured(name)
    G = PermutationGroup(H.generators)  # the construction is forgotten
    S = _sympy_group(H.generators)
    assert G.order == S.order() == H.order
    assert G.order_is_verified
    ref = _pair_partition_networkx(H.generators, H.degree)
    assert _same_partition(G.pair_orbits(), ref)
    assert G.n_pair_orbits == len(np.unique(ref))


@pytest.mark.parametrize("seed", range(6))
def test_random_groups_match_sympy(seed):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(6, 24))
    # a random subgroup: a few random permutations of small support, so that the group
    # is usually neither trivial nor a giant
    gens = []
    for _ in range(int(rng.integers(1, 4))):
        g = np.arange(m)
        pts = rng.choice(m, size=int(rng.integers(2, 6)), replace=False)
        g[pts] = rng.permutation(pts)
        gens.append(g)
    G = PermutationGroup(gens)
    S = _sympy_group(gens)
    assert G.order == S.order()
    ref = _pair_partition_networkx(np.array(gens), m)
    assert _same_partition(G.pair_orbits(), ref)
    for _ in range(5):
        p = rng.permutation(m)
        assert G.contains(p) == S.contains(sympy_comb.Permutation(p.tolist()))
    word = gens[0][gens[-1]][gens[0]]  # an element: a product of generators
    assert G.contains(word) and S.contains(sympy_comb.Permutation(word.tolist()))


def test_membership_of_an_orbit_reached_one_point_at_a_time():
    # affine(p): the translation reaches the orbit one point per BFS layer
    p = 211
    H = affine(p)
    G = PermutationGroup(H.generators)
    assert G.order == p * (p - 1)
    a, b = 5, 17
    x = np.arange(p)
    assert G.contains((a * x + b) % p)
    assert G.contains((p - 1 - x) % p)  # x -> -x - 1
    power = np.array([pow(int(v), 11, p) for v in x])  # a bijection (gcd(11, p - 1) = 1)
    assert np.unique(power).size == p and not G.contains(power)


def test_pair_orbits_are_exact_even_from_a_poor_sample():
    # a deep chain (C2 wr C40): product replacement samples are far from uniform, the merge
    # along the generators must still produce the exact orbits
    H = parse("wreath_product(cyclic(2), cyclic(40))")
    for seed in range(3):
        n, lab = pair_orbit_labels(np.asarray(H.generators), H.degree, rng_seed=seed)
        assert n == H.n_pair_orbits
        assert _same_partition(lab, H.pair_orbits())
