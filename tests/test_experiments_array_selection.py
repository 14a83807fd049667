"""adaptive_array_selection: the array experiment with the group found from the same data."""

import numpy as np
import pytest

from algdiv.experiments import ARRAY_SELECTION_ESTIMATORS, adaptive_array_selection


@pytest.fixture(scope="module")
def small():
    return adaptive_array_selection(M=8, J=2, trials=3, snapshots=[2, 4, 8, 16], seed=1)


def test_tables_have_every_estimator_and_snapshot_count(small):
    assert set(small.loss_db) == set(ARRAY_SELECTION_ESTIMATORS)
    for v in small.loss_db.values():
        assert v.shape == (4,)
    assert small.automorphism_order % 4 == 0  # contains D_2 (order 4)
    assert "n_3dB" in small.table()


def test_a_group_average_needs_fewer_snapshots_than_the_sample_covariance(small):
    # the sample covariance is singular below M = 8 snapshots; the D_J average is not
    assert small.loss_db["oracle"][1] > small.loss_db["sample"][1] + 3.0
    assert small.loss_db["discovered"][-1] > small.loss_db["sample"][-1]


def test_results_do_not_depend_on_anything_but_the_seed():
    a = adaptive_array_selection(M=8, J=2, trials=2, snapshots=[4], seed=3)
    b = adaptive_array_selection(M=8, J=2, trials=2, snapshots=[4], seed=3)
    for k in ARRAY_SELECTION_ESTIMATORS:
        np.testing.assert_array_equal(a.loss_db[k], b.loss_db[k])


@pytest.mark.parametrize(
    "kwargs, message",
    [({"M": 9, "J": 3}, "even"), ({"M": 8, "J": 3}, "multiple of J"), ({"trials": 0}, "trials"),
     ({"snapshots": [4, 2]}, "increasing")],
)
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        adaptive_array_selection(**kwargs)
