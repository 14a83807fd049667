"""adaptive_array_selection(selections=...): running one of the two selections."""

import numpy as np
import pytest

from algdiv.experiments import adaptive_array_selection


def test_a_selection_left_out_gives_nan_columns_and_the_rest_is_unchanged():
    both = adaptive_array_selection(M=8, J=2, trials=2, snapshots=[3, 6], seed=5)
    one = adaptive_array_selection(M=8, J=2, trials=2, snapshots=[3, 6], seed=5,
                                   selections=["discovered"])
    for key in ("blind", "blind_full"):
        assert np.all(np.isnan(one.loss_db[key])) and np.isnan(one.n_3db[key])
    assert np.all(np.isnan(one.orders["blind"]))
    for key in ("oracle", "automorphism", "discovered", "discovered_full", "sample"):
        np.testing.assert_array_equal(one.loss_db[key], both.loss_db[key])


@pytest.mark.parametrize("selections", [[], ["oracle"], ["blind", "blind"]])
def test_bad_selections_are_refused(selections):
    with pytest.raises(ValueError, match="selections"):
        adaptive_array_selection(M=8, J=2, trials=1, snapshots=[4], selections=selections)
