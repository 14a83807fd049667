"""Massive-MIMO single-pilot channel estimation: channel model, estimators, figures of merit."""

import numpy as np
import pytest

from algdiv.arrays import (
    TR38901_RAY_OFFSETS,
    ClusteredChannel,
    clustered_channel,
    effective_throughput,
    group_average_estimate,
    ls_estimate,
    mmse_estimate,
    nmse,
    pilot_observation,
    ula_steering,
    wiener_estimate,
)
from algdiv.groups import from_generators, trivial


def test_ray_offsets_table():
    assert TR38901_RAY_OFFSETS.size == 20
    assert np.isclose(TR38901_RAY_OFFSETS.sum(), 0.0)
    # the table is built to have (nearly) unit rms angular spread
    assert 0.9 < np.sqrt(np.mean(TR38901_RAY_OFFSETS**2)) < 1.1


def test_covariance_is_exact_ray_sum_and_matches_samples():
    rng = np.random.default_rng(0)
    ch = clustered_channel(12, rng, n_clusters=3)
    R = ch.covariance()
    rays = ch.cluster_angles[:, None] + ch.cluster_spread * TR38901_RAY_OFFSETS[None, :]
    w = np.repeat(ch.cluster_powers, 20) / 20
    A = ula_steering(rays.ravel(), 12)
    np.testing.assert_allclose(R, (A * w) @ A.conj().T, atol=1e-12)
    assert np.isclose(np.trace(R).real, 12.0)
    H = ch.sample(40000, rng)
    S = H.T @ H.conj() / H.shape[0]
    assert np.linalg.norm(S - R) / np.linalg.norm(R) < 0.03


def test_mmse_error_matches_theory_for_gaussian_channel():
    rng = np.random.default_rng(1)
    M, snr_db, n = 8, 3.0, 20000
    ch = ClusteredChannel(M, np.deg2rad([10.0, -35.0]), np.array([0.7, 0.3]), np.deg2rad(4.0))
    R = ch.covariance()
    L = np.linalg.cholesky(R + 1e-12 * np.eye(M))
    H = (rng.standard_normal((n, M)) + 1j * rng.standard_normal((n, M))) @ L.T / np.sqrt(2)
    Y = pilot_observation(H, snr_db, rng)
    rho = 10 ** (snr_db / 10)
    theory = np.trace(R - rho * R @ np.linalg.solve(rho * R + np.eye(M), R)).real / M
    assert abs(nmse(mmse_estimate(Y, R, snr_db), H) / theory - 1) < 0.05
    assert abs(nmse(ls_estimate(Y, snr_db), H) * rho - 1) < 0.05
    # the Wiener rule with the exact received covariance is the MMSE estimator
    np.testing.assert_allclose(
        wiener_estimate(Y[:50], rho * R + np.eye(M), snr_db), mmse_estimate(Y[:50], R, snr_db),
        atol=1e-10,
    )


def test_cyclic_fast_path_equals_generic_projection():
    rng = np.random.default_rng(2)
    Y = rng.standard_normal((7, 10)) + 1j * rng.standard_normal((7, 10))
    shift = from_generators([np.roll(np.arange(10), 1)])  # same group, no catalogue shortcut
    assert shift.construction is None
    np.testing.assert_allclose(
        group_average_estimate(Y, 4.0), group_average_estimate(Y, 4.0, shift), atol=1e-12
    )


def test_trivial_group_gives_rank_one_wiener_rule():
    y = np.array([[1.0 + 2.0j, -0.5, 3.0j]])
    rho_db = 6.0
    got = group_average_estimate(y, rho_db, trivial(3))
    norm2 = np.sum(np.abs(y) ** 2)
    np.testing.assert_allclose(got, (1 - 1 / norm2) * y / np.sqrt(10 ** 0.6), atol=1e-12)


def test_group_average_beats_ls_on_a_sparse_angular_channel():
    rng = np.random.default_rng(4)
    ch = clustered_channel(32, rng, n_clusters=2)
    H = ch.sample(200, rng)
    Y = pilot_observation(H, 0.0, rng)
    e_ls = nmse(ls_estimate(Y, 0.0), H)
    e_ga = nmse(group_average_estimate(Y, 0.0), H)
    e_mmse = nmse(mmse_estimate(Y, ch.covariance(), 0.0), H)
    assert e_mmse < e_ga < e_ls


def test_throughput_bounds():
    rng = np.random.default_rng(5)
    ch = clustered_channel(16, rng)
    H = ch.sample(500, rng)
    perfect_uatf = effective_throughput(H, H, 5.0, tau_p=0, tau_c=1)
    perfect_coh = effective_throughput(H, H, 5.0, tau_p=0, tau_c=1, bound="coherent")
    # the coherent rate with perfect CSI is the ergodic capacity; UatF is below it
    cap = np.mean(np.log2(1 + 10**0.5 * np.sum(np.abs(H) ** 2, axis=1)))
    assert np.isclose(perfect_coh, cap)
    assert perfect_uatf <= perfect_coh
    noisy = ls_estimate(pilot_observation(H, 5.0, rng), 5.0)
    assert effective_throughput(noisy, H, 5.0, bound="coherent") < perfect_coh
    # pilot overhead
    assert np.isclose(effective_throughput(H, H, 5.0, tau_p=1, tau_c=4), 0.75 * perfect_uatf)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: nmse(np.ones((2, 3)), np.ones((2, 4))), "shape"),
        (lambda: effective_throughput(np.ones((2, 3)), np.ones((2, 3)), 0.0, tau_p=5, tau_c=5),
         "tau_p"),
        (lambda: effective_throughput(np.ones((2, 3)), np.ones((2, 3)), 0.0, bound="x"), "bound"),
        (lambda: ls_estimate(np.ones((2, 3)), np.nan), "snr_db"),
        (lambda: mmse_estimate(np.ones((2, 3)), np.eye(4), 0.0), "R is 4x4"),
        (lambda: wiener_estimate(np.ones((2, 3)), np.ones((3, 3, 3)), 0.0), "3 matrices"),
        (lambda: group_average_estimate(np.ones((2, 3)), 0.0, trivial(4)), "group acts on 4"),
        (lambda: pilot_observation(np.full((2, 3), np.nan), 0.0, np.random.default_rng()), "NaN"),
        (lambda: ClusteredChannel(4, np.array([0.1]), np.array([0.5]), 0.1), "sum to 1"),
        (lambda: clustered_channel(4, np.random.default_rng(), n_clusters=0), "n_clusters"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_channel_keeps_its_own_copy_of_the_geometry():
    angles = np.array([0.1, -0.4])
    ch = ClusteredChannel(6, angles, np.array([0.5, 0.5]), 0.05)
    R = ch.covariance()
    angles[0] = 1.2  # the caller's array changes; the channel does not
    np.testing.assert_array_equal(ch.cluster_angles, [0.1, -0.4])
    np.testing.assert_allclose(ch.covariance(), R)
    with pytest.raises(ValueError):
        ch.cluster_angles[0] = 0.0


def test_inputs_not_modified():
    rng = np.random.default_rng(6)
    Y = rng.standard_normal((3, 8)) + 1j * rng.standard_normal((3, 8))
    before = Y.copy()
    group_average_estimate(Y, 0.0)
    group_average_estimate(Y, 0.0, trivial(8))
    ls_estimate(Y, 0.0)
    np.testing.assert_array_equal(Y, before)
