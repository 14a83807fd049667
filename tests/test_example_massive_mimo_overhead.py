"""Quick mode of examples/massive_mimo.py, downlink part: training overhead against one pilot."""

import numpy as np
import pytest

from tests.test_examples import _pngs, run_example


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("massive_mimo")
    res = run_example("massive_mimo", out)
    _pngs(out, "massive_mimo.png", "massive_mimo_overhead.png")
    return res["overhead"]


def test_schemes_are_ordered_as_the_information_they_use(result):
    se = {k: np.array(v) for k, v in result["se_per_block"].items()}
    ceiling = se["perfect CSI, free (ceiling)"]
    for name, v in se.items():
        assert np.all(v <= ceiling + 1e-9), name
    # MMSE with τ_p = M training beats LS from the same pilots, and beats any covariance-only beam
    assert np.all(se["MMSE training, tau_p = M"] >= se["LS training, tau_p = M"] - 0.02)
    assert np.all(se["MMSE training, tau_p = M"] > se["statistical BF, true R (oracle)"])
    # the oracle covariance is the ceiling of the one-pilot covariance estimates
    assert np.all(se["statistical BF, true R (oracle)"] >= se["group average Z_M, 1 pilot (statistical BF)"] - 0.05)


def test_overhead_accounting(result):
    Ms, taus = result["M"], result["tau_c"]
    eff = {k: np.array(v) for k, v in result["effective_se"].items()}
    se = np.array(result["se_per_block"]["MMSE training, tau_p = M"])
    for a, m in enumerate(Ms):
        for c, tc in enumerate(taus):
            fits = m < tc
            assert result["training_does_not_fit"][a][c] == (not fits)
            np.testing.assert_allclose(eff["MMSE training, tau_p = M"][a, c], max(0.0, 1 - m / tc) * se[a])
    gain = np.array(result["gain_group_average_over_mmse"], dtype=float)
    # where training does not fit the gain is undefined (recorded as NaN, shown as "no fit")
    assert np.all(np.isnan(gain[np.array(result["training_does_not_fit"])]))
