"""fit_many on a client that is not the default one (Client(..., set_as_default=False))."""

import distributed
import numpy as np
from numpy.testing import assert_array_equal
from sklearn import base as sklearn_base

from algdiv.batch import fit_many
from algdiv.estimation import GroupCovariance


def test_fit_many_on_a_client_that_is_not_the_default():
    rng = np.random.default_rng(3)
    data = rng.standard_normal((12, 20, 6))
    est = GroupCovariance("dihedral")
    ref = [sklearn_base.clone(est).fit(X) for X in data]
    with distributed.Client(processes=False, n_workers=2, threads_per_worker=1,
                            dashboard_address=":0", set_as_default=False) as c:
        got = fit_many(est, data, client=c, batch_size=2)
    assert len(got) == len(ref)
    for a, b in zip(got, ref):
        assert_array_equal(a.covariance_, b.covariance_)  # bitwise: same code, same order
        assert_array_equal(a.location_, b.location_)
