"""The identifiability benchmark's gap statistic on a covariance whose orbit values are known."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from numpy.testing import assert_allclose

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_identifiability import entry_se, orbit_gaps  # noqa: E402

from algdiv.groups import cyclic  # noqa: E402


def test_orbit_gaps_of_a_circulant_are_the_gaps_of_its_distinct_values() -> None:
    from scipy.linalg import circulant

    R = circulant([4.0, 1.0, 0.5, 1.0])  # orbit values 4, 1, 0.5, 1: distinct 0.5, 1, 4
    gaps = orbit_gaps(R, np.asarray(cyclic(4).pair_orbits()))
    assert_allclose(gaps, [0.5, 3.0], rtol=1e-12)


def test_entry_standard_error_matches_the_spread_of_sample_entries() -> None:
    rng = np.random.default_rng(0)
    R = np.array([[2.0, 0.6], [0.6, 1.0]])
    n, trials = 50, 4000
    L = np.linalg.cholesky(R)
    z = rng.standard_normal((trials, n, 2)) @ L.T
    s01 = np.einsum("tn,tn->t", z[:, :, 0], z[:, :, 1]) / n
    assert_allclose(entry_se(R, n, cplx=False), s01.std(), rtol=0.05)
