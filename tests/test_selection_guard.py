"""The blind selection's guard: keep the plain shrinkage unless a group's gain is significant."""

import numpy as np
from numpy.testing import assert_allclose

from algdiv import AutoGroupCovariance, reynolds
from algdiv.discovery.selection import Entry, guard_trivial, select_by_risk
from algdiv.estimation.risk import SnapshotMoments
from algdiv.groups import cyclic, dihedral, relabel

from .conftest import gaussian_snapshots


def _generic(m: int, n: int, rng: np.random.Generator) -> np.ndarray:
    a = rng.standard_normal((m, m))
    return gaussian_snapshots(a @ a.T / m, n, rng)


def test_guard_keeps_the_trivial_group_when_the_gain_is_not_significant():
    rng = np.random.default_rng(8)
    z = _generic(8, 16, rng)
    mom = SnapshotMoments(z)
    sel = select_by_risk(z, [])  # the trivial group only: nothing to guard
    assert guard_trivial(sel, mom) is sel
    sel = select_by_risk(z, [Entry(cyclic(8))])
    assert sel.group.n_pair_orbits < 64  # the cyclic group won on risk
    forced = guard_trivial(sel, mom, level=1e-12)  # z ≈ 7 standard errors: not significant
    trivial = next(c for c in sel.candidates if c.n_pair_orbits == 64)
    assert forced.kept_trivial and forced.group.n_pair_orbits == 64
    assert_allclose(forced.weights, trivial.weights)
    assert forced.risk == trivial.risk
    assert forced.to_dict()["kept_trivial"] is True
    # a looser level keeps the group at least as often (here: whenever it is kept at all)
    loose = guard_trivial(sel, mom, level=0.5)
    strict = guard_trivial(sel, mom, level=0.01)
    assert loose.kept_trivial <= strict.kept_trivial


def test_guard_keeps_a_strong_symmetry():
    rng = np.random.default_rng(5)
    m = 16
    G = relabel(dihedral(m), rng.permutation(m))
    a = rng.standard_normal((m, m))
    R = reynolds(a @ a.T / m, G)
    x = gaussian_snapshots(R, 8 * m, rng) + 1.0
    est = AutoGroupCovariance().fit(x)
    assert not est.selection_.kept_trivial
    assert est.group_.n_pair_orbits < m * m and est.shrinkage_[1] > 0.2


def test_guard_never_applies_with_an_ambient():
    rng = np.random.default_rng(6)
    x = _generic(8, 8, rng)
    est = AutoGroupCovariance(ambient="dihedral(8)").fit(x)
    assert not est.selection_.kept_trivial


def test_blind_fit_on_generic_data_is_the_two_term_shrinkage_when_the_guard_fires():
    rng = np.random.default_rng(7)
    fired = 0
    for _ in range(4):
        x = _generic(12, 12, rng)
        est = AutoGroupCovariance().fit(x)
        if est.selection_.kept_trivial:
            fired += 1
            assert est.group_.n_pair_orbits == 144
            S = np.cov(x, rowvar=False)
            a, b, c = est.shrinkage_
            expected = (a + b) * S + c * np.trace(S) / 12 * np.eye(12)
            assert_allclose(est.covariance_, expected, rtol=1e-10, atol=1e-12)
    assert fired >= 1


def test_blind_discover_selects_through_the_same_guard():
    """``discover(X).selected`` goes through the guard of the blind estimator, so the report
    recommends the estimate ``AutoGroupCovariance`` returns (generic data, where the guard
    keeps the plain shrinkage, and a hidden dihedral symmetry)."""
    from algdiv import discover

    rng = np.random.default_rng(11)
    d = np.abs(np.subtract.outer(np.arange(8), np.arange(8)))
    circulant = 0.8 ** np.minimum(d, 8 - d)  # symmetric circulant: dihedral-invariant
    kept = []
    for x in (_generic(8, 16, rng), _generic(8, 32, rng),
              gaussian_snapshots(circulant, 64, rng), gaussian_snapshots(circulant, 256, rng)):
        p = rng.permutation(8)
        x = x[:, p]
        rep = discover(x, rng=0, assume_centered=False)
        est = AutoGroupCovariance(random_state=0).fit(x)
        assert rep.selected.kept_trivial == est.selection_.kept_trivial
        assert rep.selected.group.n_pair_orbits == est.group_.n_pair_orbits
        assert_allclose(rep.selected.weights, est.shrinkage_, rtol=1e-10, atol=1e-12)
        kept.append(rep.selected.kept_trivial)
    assert kept[0]  # no symmetry: the chance gain of the search is not kept
