"""The STAP and image-patch experiments on multi-way data: the scenario's facts and the estimators."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.covariance import ledoit_wolf as sk_ledoit_wolf

from algdiv.commutant import invariance_residual
from algdiv.estimation import SeparableCovariance
from algdiv.experiments import multiway_patches, patch_pool, stap, stap_scenario
from algdiv.experiments.stap import ledoit_wolf


def test_scenario_symmetry_is_the_diagonal_group_not_the_product():
    sc = stap_scenario()
    assert_allclose(sc.R, sc.R.conj().T, atol=0)
    assert np.linalg.eigvalsh(sc.R)[0] > 0.99  # unit noise floor
    assert sc.exact.order == 4
    assert invariance_residual(sc.R, sc.exact) < 1e-12
    # the half turn without time reversal moves the clutter ridge; a cyclic time shift too
    assert invariance_residual(sc.R, sc.product) > 0.1
    assert invariance_residual(sc.R, sc.cyclic_product) > 0.1
    # stationary in time: every sensor-pair block is Toeplitz in the pulse index
    P = sc.P
    for i, j in ((0, 0), (1, 5), (3, 2)):
        block = sc.R[i * P : (i + 1) * P, j * P : (j + 1) * P]
        for d in range(-P + 1, P):
            diag = np.diagonal(block, d)
            assert_allclose(diag, diag[0], atol=1e-9 * np.abs(sc.R).max())


def _population(R):
    w, V = np.linalg.eigh(R)
    return np.sqrt(R.shape[0]) * ((V * np.sqrt(w)) @ V.conj().T).conj()


def test_clutter_makes_the_covariance_non_separable_jammers_alone_do_not():
    sc = stap_scenario(cnr_db=-300.0)  # no clutter: (jammers + I) ⊗ I, separable
    X = _population(sc.R)
    assert_allclose(X.T @ X.conj() / X.shape[0], sc.R, atol=1e-9)
    est = SeparableCovariance((8, 8), assume_centered=True, tol=1e-12, max_iter=500).fit(X)
    assert_allclose(est.covariance_, sc.R, rtol=0, atol=1e-6 * np.abs(sc.R).max())
    full = stap_scenario()
    est = SeparableCovariance((8, 8), assume_centered=True).fit(_population(full.R))
    assert np.linalg.norm(est.covariance_ - full.R) > 0.1 * np.linalg.norm(full.R)


def test_ledoit_wolf_is_sklearn_on_real_data_and_its_formula_on_complex():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((7, 5))
    C, rho = ledoit_wolf(X)
    ref, ref_rho = sk_ledoit_wolf(X, assume_centered=True)
    assert_allclose(C, ref, rtol=1e-12, atol=1e-14)
    assert rho == pytest.approx(ref_rho, rel=1e-12)
    Z = X + 1j * rng.standard_normal((7, 5))
    C, rho = ledoit_wolf(Z)
    S = Z.T @ Z.conj() / 7
    mu = np.trace(S).real / 5
    beta = sum(np.sum(np.abs(np.outer(z, z.conj()) - S) ** 2) for z in Z) / 49
    delta = np.sum(np.abs(S - mu * np.eye(5)) ** 2)
    r = min(beta, delta) / delta
    assert rho == pytest.approx(r, rel=1e-12)
    assert_allclose(C, (1 - r) * S + r * mu * np.eye(5), rtol=1e-12)


def test_sample_loss_follows_reed_mallett_brennan():
    """E[loss] = (n + 2 − N)/(n + 1) for the sample covariance (complex Gaussian, N = 64)."""
    n, N, trials = 128, 64, 24
    res = stap(trials=trials, snapshots=(n,), estimators=("sample",), bootstrap=2)
    rmb = (n + 2 - N) / (n + 1)
    a, b = n + 2 - N, N - 1  # the loss is Beta(a, b)
    se = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)) / trials)
    assert abs(10 ** (res.loss_db["sample"][0] / 10) - rmb) < 4 * se


def test_stap_limits_and_ordering():
    res = stap(trials=3, snapshots=(16, 64), bootstrap=5)
    lim = res.limit_loss_db
    assert abs(lim["group_exact"]) < 1e-6 and abs(lim["sample"]) < 1e-6
    # structures the data do not have leave a floor as n → ∞; the non-separable ridge
    # is the worst for the separable fits
    assert lim["separable"] < -10 and lim["kronecker_group"] < -10
    assert -10 < lim["group_product"] < -0.5
    # at n = 64 the exact group average is far ahead of the sample covariance
    assert res.loss_db["group_exact"][1] > res.loss_db["sample"][1] + 10
    same = stap(trials=3, snapshots=(16, 64), bootstrap=5)
    assert_allclose(same.loss_db["separable"], res.loss_db["separable"], rtol=0, atol=0)
    d = res.to_dict()
    assert d["n_3db"]["separable"] is None and len(d["loss_db"]["sample"]) == 2
    with pytest.raises(ValueError, match="estimators must be among"):
        stap(trials=1, snapshots=(4,), estimators=("bogus",))


def test_patch_pool_and_folds():
    pool = patch_pool()
    assert pool.shape == (8192, 8, 8)
    assert abs(pool[:4096].mean()) < 1e-12 and abs(pool[4096:].mean()) < 1e-12
    res = multiway_patches((64, 256), estimators=("sample", "ledoit_wolf", "group_square"))
    assert res.loglik["sample"][0] == -np.inf  # 64 snapshots in 64 dimensions: singular
    assert np.isfinite(res.loglik["group_square"][0])
    # larger n never hurts the relative error of the sample covariance on average
    assert res.rel_error["sample"][1] < res.rel_error["sample"][0]
    assert np.isnan(res.loglik["separable"]).all()
    with pytest.raises(ValueError, match="multiple of 4"):
        multiway_patches((64,), folds=6)
    with pytest.raises(ValueError, match="at most the fold size"):
        multiway_patches((2000,))
