"""Unbiased risk of group averages, the three-way shrinkage, and GroupLedoitWolf."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.covariance import ledoit_wolf_shrinkage

from algdiv import GroupLedoitWolf, reynolds
from algdiv.estimation import group_risk, helmert_contrasts, shrinkage_weights
from algdiv.estimation.risk import SnapshotMoments, _helmert, _simplex_min
from algdiv.groups import cyclic, dihedral, trivial

from .conftest import gaussian_snapshots


def _truth(m, rng):
    a = rng.standard_normal((m, m))
    return a @ a.T / m + np.eye(m)  # not invariant: the bias term is not zero


@pytest.mark.parametrize("complex_data", [False, True])
@pytest.mark.parametrize("centred", [True, False])
def test_group_risk_is_unbiased_by_simulation(complex_data, centred):
    # Mean of the estimate over many draws equals the Monte-Carlo risk ‖Φ(S) − R‖², both for
    # centred data (S = mean of x xᴴ) and with the mean estimated (unbiased S from contrasts).
    rng = np.random.default_rng(7)
    m, n, draws = 6, 8, 3000
    R = _truth(m, rng)
    G = cyclic(m)
    est, true, sample_est, sample_true = [], [], [], []
    for _ in range(draws):
        x = gaussian_snapshots(R, n, rng, complex_data=complex_data)
        if not centred:
            x = x + 5.0  # a mean that must be removed
        r = group_risk(x, G, assume_centered=centred)
        z = x if centred else _helmert(x)
        S = SnapshotMoments(z).S
        est.append(r.risk)
        true.append(np.sum(np.abs(reynolds(S, G) - R) ** 2))
        sample_est.append(r.sample_risk)
        sample_true.append(np.sum(np.abs(S - R) ** 2))
    for e, t in ((est, true), (sample_est, sample_true)):
        e, t = np.array(e), np.array(t)
        se = np.std(e - t, ddof=1) / np.sqrt(draws) + np.std(t, ddof=1) / np.sqrt(draws)
        assert abs(e.mean() - t.mean()) < 4 * se, (e.mean(), t.mean(), se)


def test_bias_term_vanishes_for_an_invariant_truth_on_average():
    rng = np.random.default_rng(3)
    m = 8
    R = reynolds(_truth(m, rng), dihedral(m))
    bias = [group_risk(gaussian_snapshots(R, 10, rng), dihedral(m), assume_centered=True).bias2
            for _ in range(800)]
    assert abs(np.mean(bias)) < 4 * np.std(bias) / np.sqrt(len(bias))


def test_helmert_contrasts_are_orthonormal_centring():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((7, 3)) + 1j * rng.standard_normal((7, 3))
    z = helmert_contrasts(x)
    xc = x - x.mean(axis=0)
    assert z.shape == (6, 3)
    assert_allclose(z.T @ z.conj(), xc.T @ xc.conj(), rtol=1e-12, atol=1e-12)
    # the contrast matrix H (z = H x) has orthonormal rows orthogonal to the ones vector
    H = helmert_contrasts(np.eye(7))
    assert_allclose(H @ H.T, np.eye(6), rtol=1e-9, atol=1e-12)
    assert_allclose(H @ np.ones(7), 0.0, rtol=1e-9, atol=1e-12)


def test_helmert_needs_two_snapshots():
    with pytest.raises(ValueError, match="at least 2 snapshots"):
        helmert_contrasts(np.ones((1, 3)))


def test_simplex_minimum_matches_a_brute_force_grid():
    rng = np.random.default_rng(1)
    for _ in range(20):
        a = rng.standard_normal((3, 3))
        gram = a @ a.T + 0.1 * np.eye(3)
        h = rng.standard_normal(3)
        w, val = _simplex_min(gram, h)
        assert w.min() >= 0 and abs(w.sum() - 1) < 1e-12
        g = np.linspace(0, 1, 401)
        A, B = np.meshgrid(g, g, indexing="ij")
        keep = A + B <= 1
        W = np.stack([A[keep], B[keep], 1 - A[keep] - B[keep]], axis=1)
        brute = np.min(np.einsum("pi,ij,pj->p", W, gram, W) - 2 * W @ h)
        assert val <= brute + 1e-12
        assert_allclose(val, w @ gram @ w - 2 * h @ w, rtol=1e-12, atol=1e-12)


def test_identity_weight_is_ledoit_wolf_with_unbiased_moments():
    # With the trivial group the combination is a S + c (tr S/M) I, and the optimal c is
    # (V̂(I) − V̂(J)) / ‖S − (tr S/M) I‖²; scikit-learn's Ledoit–Wolf uses b² = n-1/n · V̂(I)
    # and no V̂(J): the two agree exactly after that change of constants.
    rng = np.random.default_rng(2)
    m, n = 10, 40
    x = gaussian_snapshots(_truth(m, rng), n, rng)
    w, _ = shrinkage_weights(x, trivial(m), assume_centered=True)
    mom = SnapshotMoments(x)
    d2 = np.sum((mom.S - np.trace(mom.S) / m * np.eye(m)) ** 2)
    lw = ledoit_wolf_shrinkage(x, assume_centered=True)
    b2 = lw * d2  # (unclipped here)
    expected = (b2 * n / (n - 1) - mom.iso[1]) / d2
    assert 0 < lw < 1
    assert_allclose(w[2], expected, rtol=1e-9)


def test_group_ledoit_wolf_puts_the_weight_on_a_true_symmetry():
    rng = np.random.default_rng(4)
    m = 12
    a = rng.standard_normal((m, 4))
    R = reynolds(a @ a.T, dihedral(m)) + 0.1 * np.eye(m)  # invariant, far from the identity
    errs, lw_errs, weights = [], [], []
    for _ in range(30):
        x = gaussian_snapshots(R, 48, rng)
        est = GroupLedoitWolf(dihedral(m), assume_centered=True).fit(x)
        lw_like = GroupLedoitWolf(trivial(m), assume_centered=True).fit(x)
        errs.append(np.linalg.norm(est.covariance_ - R))
        lw_errs.append(np.linalg.norm(lw_like.covariance_ - R))
        weights.append(est.shrinkage_)
    weights = np.array(weights)
    assert weights[:, 1].mean() > 0.6 and weights[:, 1].mean() > weights[:, 0].mean()
    assert np.mean(errs) < 0.7 * np.mean(lw_errs)


def test_group_ledoit_wolf_gives_a_wrong_symmetry_little_weight():
    rng = np.random.default_rng(5)
    m = 12
    a = rng.standard_normal((m, m))
    R = a @ a.T / m + 0.05 * np.eye(m)  # far from any cyclic structure
    x = gaussian_snapshots(R, 400, rng)
    est = GroupLedoitWolf(cyclic(m), assume_centered=True).fit(x)
    assert est.shrinkage_[1] < 0.2


def test_group_ledoit_wolf_small_samples_and_complex():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((1, 6)) + 1j * rng.standard_normal((1, 6))
    one = GroupLedoitWolf("cyclic", assume_centered=True).fit(x)
    assert_allclose(one.shrinkage_, [0.0, 1.0, 0.0])  # the one-snapshot group average
    assert_allclose(one.covariance_, reynolds(np.outer(x[0], x[0].conj()), cyclic(6)), rtol=1e-9, atol=1e-12)
    est = GroupLedoitWolf("dihedral").fit(rng.standard_normal((5, 6)) * (1 + 1j))
    assert np.iscomplexobj(est.covariance_) and np.isfinite(est.risk_)
    assert_allclose(est.covariance_, est.covariance_.conj().T, rtol=1e-9, atol=1e-12)


def test_risk_functions_validate_their_input():
    with pytest.raises(ValueError, match="at least 3 snapshots"):
        group_risk(np.ones((2, 4)), cyclic(4))
    with pytest.raises(ValueError, match="features but the group acts on"):
        shrinkage_weights(np.ones((5, 3)), cyclic(4))
    with pytest.raises(ValueError, match="NaN"):
        group_risk(np.full((5, 4), np.nan), cyclic(4))
