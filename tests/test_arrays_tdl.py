"""TR 38.901 TDL profiles: the typed tables against sionna's copy, and the sampled channels."""

import json
from pathlib import Path

import numpy as np
import pytest

from algdiv.arrays import TDL_PROFILES, tdl_channel, tdl_profile

DATA = Path(__file__).resolve().parent / "data" / "sionna_tdl"


@pytest.mark.parametrize("name", ["TDL-A", "TDL-B", "TDL-C", "TDL-D", "TDL-E"])
def test_profiles_match_sionna_copy(name):
    ref = json.loads((DATA / f"{name}.json").read_text())
    prof = TDL_PROFILES[name]
    assert prof.los == bool(ref["los"])
    assert prof.n_taps == ref["num_clusters"]
    # same entries in the same order (sionna lists the LOS path first, as the tables do)
    np.testing.assert_array_equal(np.asarray(prof.delays), np.asarray(ref["delays"], float))
    np.testing.assert_array_equal(np.asarray(prof.powers_db), np.asarray(ref["powers"], float))


@pytest.mark.parametrize("name", list(TDL_PROFILES))
def test_tables_have_unit_normalized_delay_spread(name):
    # TR 38.901 normalizes the TDL delays so that the RMS delay spread is 1
    prof = TDL_PROFILES[name]
    t = np.asarray(prof.delays)
    w = 10 ** (np.asarray(prof.powers_db) / 10)
    w /= w.sum()
    rms = np.sqrt(np.sum(w * t**2) - np.sum(w * t) ** 2)
    np.testing.assert_allclose(rms, 1.0, atol=0.01)


def test_k_factors_and_names():
    assert tdl_profile("tdl-d").k_factor_db == pytest.approx(13.3)
    assert tdl_profile("E").k_factor_db == pytest.approx(22.0)
    assert tdl_profile("A").k_factor_db is None
    with pytest.raises(ValueError, match="TDL-F"):
        tdl_profile("TDL-F")
    with pytest.raises(TypeError, match="name"):
        tdl_profile(3)  # type: ignore[arg-type]


def test_mean_power_delay_profile_of_sampled_channel():
    # E|h[n]|² = Σ_k p_k sinc²(n − pre − τ_k / T) (independent gains, LOS power included)
    prof = TDL_PROFILES["TDL-C"]
    rng = np.random.default_rng(5)
    ds, T, pre = 300e-9, 250e-9, 3
    h = tdl_channel(prof, ds, T, rng, n_realizations=20000, normalize=False, pre=pre)
    tau = np.asarray(prof.delays) * ds / T
    p = 10 ** (np.asarray(prof.powers_db) / 10)
    n = np.arange(h.shape[1])
    expected = (p[:, None] * np.sinc(n[None, :] - pre - tau[:, None]) ** 2).sum(axis=0)
    np.testing.assert_allclose(np.mean(np.abs(h) ** 2, axis=0), expected, rtol=0.05, atol=2e-3)


def test_los_tap_is_rician_with_the_table_k_factor():
    # a very long symbol puts every path into one sample: |h|² of a Rician tap with
    # LOS power p0 and diffuse power σ² has mean p0 + σ² and variance σ⁴ + 2 p0 σ²
    prof = TDL_PROFILES["TDL-E"]
    rng = np.random.default_rng(6)
    h = tdl_channel(prof, 1e-12, 1e-3, rng, n_realizations=40000, normalize=False, pre=0, post=0)
    assert h.shape[0] == 40000 and np.all(np.abs(h[:, 1:]) < 1e-6)
    p = 10 ** (np.asarray(prof.powers_db) / 10)
    p0, s2 = p[0], p[1:].sum()
    e = np.abs(h[:, 0]) ** 2
    np.testing.assert_allclose(e.mean(), p0 + s2, rtol=0.01)
    np.testing.assert_allclose(e.var(), s2**2 + 2 * p0 * s2, rtol=0.05)


def test_channel_normalization_shape_and_errors():
    rng = np.random.default_rng(0)
    h = tdl_channel("B", 100e-9, 100e-9, rng, n_realizations=3)
    np.testing.assert_allclose(np.sum(np.abs(h) ** 2, axis=1), 1.0)
    assert h.shape == (3, 3 + int(np.ceil(max(TDL_PROFILES["TDL-B"].delays))) + 3 + 1)
    # the same seed gives the same channels
    np.testing.assert_array_equal(h, tdl_channel("B", 100e-9, 100e-9, np.random.default_rng(0), n_realizations=3))
    with pytest.raises(ValueError, match="delay_spread"):
        tdl_channel("A", -1.0, 1e-7, rng)
    with pytest.raises(ValueError, match="n_realizations"):
        tdl_channel("A", 1e-7, 1e-7, rng, n_realizations=0)
    with pytest.raises(TypeError, match="profile"):
        tdl_channel(1.5, 1e-7, 1e-7, rng)  # type: ignore[arg-type]
