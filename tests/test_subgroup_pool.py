"""The exhaustive subgroup pool of a small ambient (Cayley-table closures) and the one-pass
fourth-moment terms of its subgroups (means of |z^H P_g z|^2 over the elements)."""

import numpy as np
import pytest

from algdiv.discovery.candidates import ambient_pool, ambient_subgroups
from algdiv.discovery.search import group_from_generators
from algdiv.discovery.subgroup_pool import cayley_table, subgroup_pool
from algdiv.estimation.risk import SnapshotMoments
from algdiv.groups import (
    PermutationGroup,
    cyclic,
    dihedral,
    direct_product,
    iterated_wreath,
    relabel,
)


def _pairwise_reference(amb, max_pairs=4000):
    """The pool by its definition: pair orbits of every one- and two-generated subgroup."""
    m = amb.degree
    gens = list(amb.elements(limit=256)[1:])
    seen, cyc = {}, []
    for g in gens:
        key = np.asarray(group_from_generators([g], m).pair_orbits()).tobytes()
        if key not in seen:
            seen[key] = True
            cyc.append(g)
    pairs = 0
    for i, g in enumerate(cyc):
        for h in cyc[i + 1:]:
            if pairs >= max_pairs:
                break
            pairs += 1
            seen.setdefault(np.asarray(group_from_generators([g, h], m).pair_orbits()).tobytes(), True)
    seen.setdefault(np.asarray(amb.pair_orbits()).tobytes(), True)
    return list(seen)


AMBIENTS = [
    dihedral(12),
    direct_product(dihedral(4), dihedral(4)),
    relabel(iterated_wreath([2, 2, 2]), np.random.default_rng(3).permutation(8)),
    cyclic(9),
]


def test_cayley_table_is_composition():
    E = dihedral(5).elements()
    T = cayley_table(E)
    for a in range(len(E)):
        for b in range(len(E)):
            assert np.array_equal(E[T[a, b]], E[a][E[b]])
    assert np.array_equal(T[0], np.arange(len(E)))  # the identity first


def test_cayley_table_refuses_a_non_group():
    E = dihedral(5).elements()[:4]
    with pytest.raises(ValueError, match="not closed"):
        cayley_table(E)


@pytest.mark.parametrize("amb", AMBIENTS, ids=lambda g: g.name)
def test_pool_matches_the_pairwise_definition(amb):
    pool = subgroup_pool(amb, 256, 4000)
    assert [np.asarray(g.pair_orbits()).tobytes() for g in pool.groups] == _pairwise_reference(amb)


@pytest.mark.parametrize("amb", AMBIENTS, ids=lambda g: g.name)
def test_pool_members_are_exactly_each_subgroup(amb):
    pool = subgroup_pool(amb, 256, 4000)
    for G, idx in zip(pool.groups, pool.members):
        els = pool.elements[idx]
        # closed, of the group's order, and generating its commutant: the pair orbits of the
        # element list (min code over the elements) are the group's
        assert len(idx) == G.order
        codes = np.min(els[:, :, None] * amb.degree + els[:, None, :], axis=0)
        _, lab = np.unique(codes.ravel(), return_inverse=True)
        theirs = np.asarray(G.pair_orbits()).ravel().astype(np.int64)
        # the same partition of the pairs (label numbers may differ)
        both = np.unique(lab * (theirs.max() + 1) + theirs).size
        assert both == lab.max() + 1 == G.n_pair_orbits


def test_ambient_pool_only_for_small_ambients():
    assert ambient_pool(dihedral(6)) is not None
    assert ambient_pool(direct_product(dihedral(16), dihedral(16))) is None  # 1024 elements
    assert len(ambient_subgroups(direct_product(dihedral(16), dihedral(16)))) >= 1


@pytest.mark.parametrize("cplx", [False, True])
def test_subgroup_energies_equal_the_pair_orbit_sums(cplx):
    rng = np.random.default_rng(7)
    amb = direct_product(dihedral(3), dihedral(4))
    n, m = 30, amb.degree
    z = rng.standard_normal((n, m)) + (1j * rng.standard_normal((n, m)) if cplx else 0)
    pool = subgroup_pool(amb, 256, 4000)
    fast, slow = SnapshotMoments(z), SnapshotMoments(z)
    fast.add_subgroup_energies(pool.elements, list(pool.groups), list(pool.members))
    w = np.array([0.2, 0.5, 0.3])
    for G in pool.groups:
        assert fast.projected(G) == pytest.approx(slow.projected(G), rel=1e-10)
        np.testing.assert_allclose(fast.influence(G, w), slow.influence(G, w), rtol=1e-9, atol=1e-9)
        # and the definition: ‖Φ_G(z zᴴ)‖² = (1/|G|) Σ_g |zᴴ P_g z|² per snapshot
        key = np.asarray(G.pair_orbits()).tobytes()
        els = pool.elements[pool.members[list(pool.groups).index(G)]]
        direct = np.mean(np.abs(np.einsum("ki,kgi->kg", z.conj(), z[:, els])) ** 2, axis=1)
        np.testing.assert_allclose(fast._per_snapshot[key][0], direct, rtol=1e-10)


def test_subgroup_energies_do_not_change_the_selection():
    from algdiv import AutoGroupCovariance

    rng = np.random.default_rng(11)
    amb = dihedral(10)
    R = np.asarray(PermutationGroup([], 10).degree * 0 + np.eye(10)) + 0.5 * np.ones((10, 10))
    x = rng.multivariate_normal(np.zeros(10), R, size=40)
    est = AutoGroupCovariance(ambient=amb).fit(x)
    from algdiv.discovery import candidates

    original = candidates.ambient_pool
    try:
        candidates.ambient_pool = lambda a: None  # the pair-orbit path for every subgroup
        ref = AutoGroupCovariance(ambient=amb).fit(x)
    finally:
        candidates.ambient_pool = original
    np.testing.assert_allclose(est.covariance_, ref.covariance_, rtol=1e-10)
    assert est.group_.n_pair_orbits == ref.group_.n_pair_orbits
