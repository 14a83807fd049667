"""algdiv.batch: many problems on joblib or dask.distributed equal the serial loop bitwise."""

import json

import numpy as np
import pytest

from algdiv.batch import discover_many, fit_many, map_problems
from algdiv.discovery import discover
from algdiv.estimation import GroupCovariance, SymmetryShrinkage
from algdiv.groups import cyclic, dihedral

sklearn_base = pytest.importorskip("sklearn.base")
distributed = pytest.importorskip("distributed")

FITTED = ("covariance_", "precision_", "location_")


@pytest.fixture(scope="module")
def client():
    with distributed.Client(processes=False, n_workers=2, threads_per_worker=1,
                            dashboard_address=":0") as c:
        yield c


def _stack(n_problems=24, n=30, m=8, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_problems, n, m)) + 1j * rng.standard_normal((n_problems, n, m))


def _serial(estimator, datasets):
    return [sklearn_base.clone(estimator).fit(X) for X in datasets]


def _assert_same_fits(got, ref, extra=()):
    assert len(got) == len(ref)
    for a, b in zip(got, ref):
        assert type(a) is type(b)
        for attr in FITTED + tuple(extra):
            x, y = getattr(a, attr), getattr(b, attr)
            assert np.array_equal(x, y), attr  # bitwise, not allclose


@pytest.mark.parametrize("engine", ["serial", "joblib", "client", "client_batch_1"])
def test_fit_many_equals_the_serial_loop_bitwise(engine, client):
    data = _stack()
    est = SymmetryShrinkage(dihedral(8), shrinkage="plugin")
    ref = _serial(est, data)
    kwargs = {
        "serial": {},
        "joblib": {"n_jobs": 2},
        "client": {"client": client},
        "client_batch_1": {"client": client, "batch_size": 1},
    }[engine]
    got = fit_many(est, data, **kwargs)
    _assert_same_fits(got, ref, extra=("shrinkage_", "target_"))
    assert not hasattr(est, "covariance_")  # the given estimator is left unfitted
    assert all(g is not est for g in got)


def test_fit_many_list_of_different_sizes_and_real_data(client):
    rng = np.random.default_rng(3)
    data = [rng.standard_normal((n, 6)) for n in (5, 17, 40, 9)]
    est = GroupCovariance("cyclic", assume_centered=True)
    ref = _serial(est, data)
    for kwargs in ({}, {"n_jobs": 2, "batch_size": 1}, {"client": client}):
        _assert_same_fits(fit_many(est, data, **kwargs), ref)
    assert fit_many(est, []) == []


def test_local_cluster_is_started_and_closed():
    data = _stack(6, 20, 4, seed=5)
    est = GroupCovariance(cyclic(4))
    before = distributed.client._get_global_client()
    got = fit_many(est, data, client="local", n_jobs=2)
    _assert_same_fits(got, _serial(est, data))
    after = distributed.client._get_global_client()
    assert after is before  # the LocalCluster's client was closed, not left as default
    assert after is None or after.status == "running"


def test_discover_many_equals_the_serial_loop(client):
    rng = np.random.default_rng(7)
    base = rng.standard_normal((3, 200, 6))
    kwargs = {"ambient": dihedral(6), "n_boot": 20, "rng": 4}
    ref = [discover(X, **kwargs) for X in base]
    for engine in ({"n_jobs": 2}, {"client": client, "batch_size": 1}, {}):
        got = discover_many(base, **engine, **kwargs)
        assert [json.dumps(r.to_dict(), sort_keys=True, default=str) for r in got] == [
            json.dumps(r.to_dict(), sort_keys=True, default=str) for r in ref
        ]


def test_map_problems_keeps_order_for_any_batching(client):
    items = list(range(23))
    want = [divmod(i, 5) for i in items]
    for kwargs in ({}, {"n_jobs": 2, "batch_size": 4}, {"client": client, "batch_size": 3},
                   {"client": client}):
        assert map_problems(divmod, items, 5, **kwargs) == want


def test_errors_name_the_argument():
    est = GroupCovariance()
    with pytest.raises(ValueError, match=r"stacked \(n_problems, n_samples, M\)"):
        fit_many(est, np.zeros((4, 3)))
    with pytest.raises(TypeError, match="datasets must be a list"):
        fit_many(est, "abc")
    with pytest.raises(TypeError, match="estimator must be"):
        fit_many(object(), [np.eye(2)])
    with pytest.raises(ValueError, match="n_jobs must be"):
        fit_many(est, [np.eye(2)], n_jobs=0)
    with pytest.raises(ValueError, match="client must be"):
        fit_many(est, [np.eye(2)], client="remote")
    with pytest.raises(TypeError, match="client must be"):
        fit_many(est, [np.eye(2)], client=42)
    with pytest.raises(ValueError, match="batch_size"):
        fit_many(est, [np.eye(2)] * 3, n_jobs=2, batch_size=0)
    with pytest.raises(TypeError, match="rng must be an int seed"):
        discover_many([np.eye(3)], rng=np.random.default_rng(0))
