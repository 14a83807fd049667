"""The variance law: E‖S − I‖² / E‖Φ_G(S) − I‖² = d_eff for complex data."""

import numpy as np
import pytest

from algdiv.arrays import uca_dihedral_group
from algdiv.experiments import variance_law
from algdiv.groups import cyclic, iterated_wreath, trivial


@pytest.mark.parametrize(
    "G, d_eff",
    [
        (uca_dihedral_group(16, 4), 256 / 34),  # SPEC §2: 7.53 (published 7.52–7.60)
        (cyclic(16), 16.0),
        (trivial(6), 1.0),
        (iterated_wreath([2, 2, 2]), None),
    ],
    ids=["D4_on_16", "Z16", "trivial", "wreath"],
)
def test_ratio_matches_d_eff(G, d_eff):
    res = variance_law(G, n=3, trials=3000, seed=1)
    if d_eff is not None:
        assert res.d_eff == pytest.approx(d_eff)
    assert abs(res.ratio - res.d_eff) < 4 * res.ratio_se + 1e-12
    # E‖S − I‖² = M²/n exactly for circular complex snapshots
    m = G.degree
    assert res.error_sample == pytest.approx(m * m / 3, rel=0.05)


def test_real_data_do_not_follow_the_complex_law():
    res = variance_law(uca_dihedral_group(16, 4), n=4, trials=3000, complex_data=False)
    assert abs(res.ratio - res.d_eff) > 10 * res.ratio_se
    assert not res.complex_data


def test_reproducible_and_dict():
    a = variance_law("dihedral(8)", n=2, trials=200, seed=5)
    b = variance_law("dihedral(8)", n=2, trials=200, seed=5)
    assert a == b
    assert set(a.to_dict()) >= {"ratio", "ratio_se", "d_eff"}


@pytest.mark.parametrize(
    "kwargs, exc", [({"n": 0}, ValueError), ({"trials": 1}, ValueError), ({"n": 1.0}, TypeError)]
)
def test_errors(kwargs, exc):
    with pytest.raises(exc):
        variance_law(cyclic(4), **kwargs)
    with pytest.raises(TypeError):
        variance_law(np.eye(3))
