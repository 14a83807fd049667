"""Below M/2 snapshots the identity terms' variances come from the Gaussian model: unbiased."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from algdiv.estimation.risk import SnapshotMoments


@pytest.mark.parametrize("cplx", [False, True])
def test_gaussian_variances_are_unbiased_below_half_m(cplx):
    rng = np.random.default_rng(8)
    m, n, reps = 12, 5, 4000
    w = rng.standard_normal((m, m))
    R = w @ w.T / m + 0.2 * np.eye(m)
    L = np.linalg.cholesky(R)
    v_i, v_j, err_i, err_j = [], [], [], []
    for _ in range(reps):
        z = rng.standard_normal((n, m))
        if cplx:
            z = (z + 1j * rng.standard_normal((n, m))) / np.sqrt(2)
        z = z @ L.T
        mom = SnapshotMoments(z)
        v_i.append(mom.full[1])
        v_j.append(mom.iso[1])
        D = mom.S - R
        err_i.append(np.sum(np.abs(D) ** 2))
        err_j.append(np.trace(D).real ** 2 / m)  # ‖J(S − R)‖²
    assert_allclose(np.mean(v_i), np.mean(err_i), rtol=0.05)
    assert_allclose(np.mean(v_j), np.mean(err_j), rtol=0.08)


def test_from_half_m_snapshots_on_the_fourth_moments_are_used():
    rng = np.random.default_rng(9)
    for n in (40, 5):  # at n = 5 >= M/2 = 4, still the fourth moments
        z = rng.standard_normal((n, 8))
        mom = SnapshotMoments(z)
        norms2 = np.sum(z**2, axis=1)
        s2 = np.sum(mom.S**2)
        expected = max(np.sum(norms2**2) - n * s2, 0) / (n * (n - 1))
        assert_allclose(mom.full[1], expected, rtol=1e-12)
