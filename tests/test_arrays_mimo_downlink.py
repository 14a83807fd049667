"""Downlink training against a statistical beamformer: beamformers and spectral-efficiency bounds."""

import numpy as np
import pytest
from scipy.special import exp1

from algdiv import reynolds
from algdiv.arrays import (
    ClusteredChannel,
    downlink_se_statistical,
    downlink_se_trained,
    mmse_estimate,
    pilot_observation,
    statistical_beamformer,
    training_snr_db,
)
from algdiv.groups import cyclic, dihedral, from_generators, trivial


def _gaussian(R, n, rng):
    L = np.linalg.cholesky(R + 1e-10 * np.eye(R.shape[0]))
    return (rng.standard_normal((n, R.shape[0])) + 1j * rng.standard_normal((n, R.shape[0]))) @ L.T / np.sqrt(2)


def test_training_snr():
    assert training_snr_db(0.0, 16, 16) == 0.0
    np.testing.assert_allclose(training_snr_db(3.0, 64, 16), 3.0 + 10 * np.log10(4))
    with pytest.raises(ValueError, match="tau_p"):
        training_snr_db(0.0, 8, 16)


def test_statistical_beamformer_is_principal_eigenvector_of_the_group_average():
    rng = np.random.default_rng(0)
    M = 8
    Y = rng.standard_normal((5, M)) + 1j * rng.standard_normal((5, M))
    shift = np.roll(np.arange(M), 1)
    G_plain = from_generators([shift])  # the cyclic group without the cyclic fast path
    fast = statistical_beamformer(Y)
    general = statistical_beamformer(Y, G_plain)
    for k in range(5):
        lam, vecs = np.linalg.eigh(reynolds(np.outer(Y[k], Y[k].conj()), cyclic(M)))
        assert abs(np.vdot(fast[k], vecs[:, -1])) == pytest.approx(1.0, abs=1e-10)
        assert abs(np.vdot(general[k], vecs[:, -1])) == pytest.approx(1.0, abs=1e-10)
    np.testing.assert_allclose(np.linalg.norm(fast, axis=1), 1.0)
    triv = statistical_beamformer(Y, trivial(M))
    np.testing.assert_allclose(triv, Y / np.linalg.norm(Y, axis=1, keepdims=True))
    dih = statistical_beamformer(Y, dihedral(M))
    Rd = reynolds(np.outer(Y[0], Y[0].conj()), dihedral(M))
    assert np.vdot(dih[0], Rd @ dih[0]).real == pytest.approx(np.linalg.eigvalsh(Rd)[-1])


def test_statistical_bound_below_perfect_gain_knowledge_by_3db_at_high_snr():
    # v fixed, h Gaussian: g = vᴴh ~ CN(0, β); with g known E log2(1 + ρ|g|²) = e^{1/ρβ} E1(1/ρβ)/ln 2
    rng = np.random.default_rng(1)
    ch = ClusteredChannel(8, np.deg2rad([10.0, -30.0]), np.array([0.6, 0.4]), np.deg2rad(4.0))
    R = ch.covariance()
    v = np.linalg.eigh(R)[1][:, -1]
    beta = float(np.vdot(v, R @ v).real)
    H = _gaussian(R, 40_000, rng)
    V = np.tile(v, (H.shape[0], 1))
    for snr_db in (0.0, 10.0, 30.0):
        rho = 10 ** (snr_db / 10)
        known = np.exp(1 / (rho * beta)) * exp1(1 / (rho * beta)) / np.log(2)
        se = downlink_se_statistical(H, V, R, snr_db, rng).mean()
        assert se < known
        if snr_db == 30.0:
            # one pilot at the data power: the gain error variance β/(1 + ρβ) ≈ 1/ρ doubles the
            # noise, so at high SNR the bound sits one bit (3 dB) below perfect gain knowledge
            assert 0.9 < known - se < 1.1


def test_trained_bound_uses_the_conditional_mean_and_variance():
    # E|vᴴh|² = E|vᴴ ĥ_MMSE|² + E vᴴ C v with C = R − R (R + I/ρ_t)⁻¹ R (written out independently)
    rng = np.random.default_rng(2)
    ch = ClusteredChannel(6, np.deg2rad([0.0, 40.0]), np.array([0.5, 0.5]), np.deg2rad(6.0))
    R = ch.covariance()
    H = _gaussian(R, 20_000, rng)
    t_snr, snr = 0.0, 5.0
    rho_t, rho = 10 ** (t_snr / 10), 10 ** (snr / 10)
    Y = pilot_observation(H, t_snr, rng)
    Hm = mmse_estimate(Y, R, t_snr)
    V = Hm / np.linalg.norm(Hm, axis=1, keepdims=True)
    C = R - R @ np.linalg.solve(R + np.eye(6) / rho_t, R)
    var = np.einsum("ki,ij,kj->k", V.conj(), C, V).real
    se = downlink_se_trained(H, V, Y, R, t_snr, snr)
    mean_g2 = (2**se - 1) * (rho * var + 1) / rho
    np.testing.assert_allclose(mean_g2, np.abs(np.sum(V.conj() * Hm, axis=1)) ** 2, rtol=1e-8)
    np.testing.assert_allclose(np.mean(mean_g2 + var), np.mean(np.abs(np.sum(V.conj() * H, axis=1)) ** 2), rtol=0.03)
    # a lower bound: below the rate with the effective gain known exactly
    coherent = np.log2(1 + rho * np.abs(np.sum(V.conj() * H, axis=1)) ** 2).mean()
    assert se.mean() < coherent


def test_downlink_inputs_are_checked_and_not_modified():
    rng = np.random.default_rng(3)
    ch = ClusteredChannel(4, np.array([0.1]), np.array([1.0]), np.deg2rad(5.0))
    H, R = ch.sample(3, rng), ch.covariance()
    V = H / np.linalg.norm(H, axis=1, keepdims=True)
    H0, V0 = H.copy(), V.copy()
    downlink_se_statistical(H, V, R, 0.0, rng)
    downlink_se_trained(H, V, H, R, 0.0, 0.0)
    np.testing.assert_array_equal(H, H0)
    np.testing.assert_array_equal(V, V0)
    with pytest.raises(ValueError, match="V must have the shape"):
        downlink_se_statistical(H, V[:2], R, 0.0, rng)
    with pytest.raises(ValueError, match="Y_train"):
        downlink_se_trained(H, V, H[:, :3], R, 0.0, 0.0)
