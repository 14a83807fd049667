"""Experiments spread over engines: per-chunk SeedSequence children make them split-invariant."""

import numpy as np
import pytest

from algdiv.arrays import uca_dihedral_group
from algdiv.experiments import adaptive_array, variance_law

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with distributed.Client(processes=False, n_workers=2, threads_per_worker=1,
                            dashboard_address=":0") as c:
        yield c


def _same_adaptive(a, b):
    assert a.n_3db == b.n_3db and a.n_3db_se == b.n_3db_se
    for key in a.loss_db:
        assert np.array_equal(a.loss_db[key], b.loss_db[key], equal_nan=True)
        assert np.array_equal(a.alt_loss_db[key], b.alt_loss_db[key], equal_nan=True)
    assert np.array_equal(a.shrinkage_mean, b.shrinkage_mean)
    assert np.array_equal(a.loading_level, b.loading_level)


def test_adaptive_array_is_bitwise_equal_on_every_engine(client):
    # 123 trials: two full chunks of 50 and a partial one
    kw = {"M": 8, "J": 2, "trials": 123, "snapshots": list(range(1, 21)), "bootstrap": 10}
    serial = adaptive_array(**kw, n_jobs=1)
    _same_adaptive(adaptive_array(**kw, n_jobs=2), serial)
    _same_adaptive(adaptive_array(**kw, client=client), serial)
    _same_adaptive(adaptive_array(**kw, progress=True), serial)
    other = adaptive_array(**{**kw, "seed": 1})
    assert not np.array_equal(other.loss_db["group"], serial.loss_db["group"])


def test_variance_law_is_bitwise_equal_on_every_engine(client):
    G = uca_dihedral_group(16, 4)
    serial = variance_law(G, n=2, trials=777, seed=3, n_jobs=1)
    assert variance_law(G, n=2, trials=777, seed=3, n_jobs=2) == serial
    assert variance_law(G, n=2, trials=777, seed=3, client=client) == serial
    assert variance_law(G, n=2, trials=777, seed=4) != serial
    # still the law: the measured ratio sits on d_eff
    assert abs(serial.ratio - serial.d_eff) < 4 * serial.ratio_se
