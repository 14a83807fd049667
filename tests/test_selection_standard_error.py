"""The one-standard-error rule of the risk selection, and the standard errors behind it."""

import numpy as np
from numpy.testing import assert_allclose

from algdiv import AutoGroupCovariance, reynolds
from algdiv.estimation.risk import SnapshotMoments
from algdiv.groups import PermutationGroup, dihedral, relabel


def _invariant_covariance(m: int, rng: np.random.Generator) -> np.ndarray:
    w = rng.standard_normal((m, m))
    return reynolds(w @ w.T / m, dihedral(m)) + 0.5 * np.eye(m)


def _snapshots(R: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal((n, R.shape[0])) @ np.linalg.cholesky(R).T


def test_influence_standard_error_matches_the_spread_of_risk_differences():
    # Var(r̂_G − r̂_H) ≈ Var_k(g_k^G − g_k^H)/n: compare with the spread over fresh data sets.
    rng = np.random.default_rng(11)
    m, n, reps = 8, 60, 400
    R = _invariant_covariance(m, rng)
    G, H = dihedral(m), PermutationGroup([[0, 7, 6, 5, 4, 3, 2, 1]])  # D_8 and one reflection
    diffs, predicted = [], []
    for _ in range(reps):
        mom = SnapshotMoments(_snapshots(R, n, rng))
        wg, rg = mom.combination(G)
        wh, rh = mom.combination(H)
        diffs.append(rg - rh)
        g = mom.influence(G, wg) - mom.influence(H, wh)
        predicted.append(np.std(g, ddof=1) / np.sqrt(n))
    assert_allclose(np.mean(predicted), np.std(diffs), rtol=0.2)


def test_influence_forms_from_orbit_sums_equal_the_quadratic_forms():
    # u_k = 2 Re z_kᴴ Φ_G(S) z_k, taken from the orbit sums of z_k z_kᴴ, against the form
    rng = np.random.default_rng(8)
    m, n = 8, 23
    for z in (rng.standard_normal((n, m)),
              rng.standard_normal((n, m)) + 1j * rng.standard_normal((n, m))):
        mom = SnapshotMoments(z)
        G = dihedral(m)
        mom.influence(G, np.array([0.2, 0.5, 0.3]))
        proj = reynolds(mom.S, G)
        direct = 2.0 * np.einsum("ki,ij,kj->k", z.conj(), proj, z).real
        key = np.asarray(G.pair_orbits()).tobytes()
        assert_allclose(mom._per_snapshot[key][1], direct, rtol=1e-12, atol=1e-12)
        assert_allclose(mom._form_full, 2.0 * np.einsum("ki,ij,kj->k", z.conj(), mom.S, z).real,
                        rtol=1e-12, atol=1e-12)


def test_influence_of_the_trivial_group_is_that_of_the_sample_terms():
    rng = np.random.default_rng(3)
    mom = SnapshotMoments(rng.standard_normal((30, 5)))
    w = np.array([0.2, 0.5, 0.3])
    trivial = PermutationGroup([], 5)
    # Φ = I: the first two terms coincide, so moving weight between them changes nothing
    assert_allclose(mom.influence(trivial, w), mom.influence(trivial, np.array([0.7, 0.0, 0.3])),
                    rtol=1e-12, atol=1e-12)


def test_one_standard_error_rule_prefers_the_full_symmetry_to_a_noisy_subgroup():
    # A dihedral-invariant covariance with the relabelled D_16 as ambient: its many
    # two-element subgroups have noisy risk estimates, and the smallest of them used to win
    # by chance over D_16 itself (3 of 8 draws); within one standard error, the larger group.
    rng = np.random.default_rng(5)
    m, n = 16, 64
    picked = []
    for _ in range(6):
        perm = rng.permutation(m)
        R = _invariant_covariance(m, rng)
        inv = np.argsort(perm)
        R = R[np.ix_(inv, inv)]
        est = AutoGroupCovariance(ambient=relabel(dihedral(m), perm)).fit(_snapshots(R, n, rng))
        picked.append(est.group_.n_pair_orbits)
        chosen = est.selection_
        smallest = min(c.risk for c in chosen.candidates)
        mine = next(c for c in chosen.candidates if c.group is chosen.group or
                    np.array_equal(c.group.pair_orbits(), chosen.group.pair_orbits()))
        assert mine.risk <= smallest + mine.standard_error + 1e-12
    assert max(picked) <= 34, picked  # never a two-element subgroup (>= 128 pair orbits)
