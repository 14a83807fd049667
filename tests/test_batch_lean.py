"""algdiv.batch: results travel back from the workers as columns (_pack/_unpack) and
come out equal to what plain pickling gives, attribute by attribute and bit for bit."""

import pickle

import numpy as np
import pytest

from algdiv.batch import _pack, _unpack, fit_many
from algdiv.estimation import GroupCovariance, SymmetryShrinkage
from algdiv.groups import PermutationGroup, cyclic, dihedral

sklearn_base = pytest.importorskip("sklearn.base")


def _fits(estimator, n_problems=6, m=8, seed=0, complex_=False):
    rng = np.random.default_rng(seed)
    data = rng.standard_normal((n_problems, 40, m))
    if complex_:
        data = data + 1j * rng.standard_normal(data.shape)
    return [sklearn_base.clone(estimator).fit(X) for X in data]


def _assert_same_state(a, b):
    assert type(a) is type(b)
    assert list(vars(a)) == list(vars(b))
    for key, x in vars(a).items():
        y = vars(b)[key]
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and x.shape == y.shape, key
            assert np.array_equal(x, y), key
        elif isinstance(x, PermutationGroup):
            assert np.array_equal(x.generators, y.generators), key
            assert (x.name, x.expression, x.construction, x.order) == (
                y.name, y.expression, y.construction, y.order), key
            assert np.array_equal(x.pair_orbits(), y.pair_orbits()), key
        else:
            assert x == y, key


@pytest.mark.parametrize("estimator", [
    GroupCovariance("dihedral"),
    GroupCovariance(cyclic(8), assume_centered=True),
    SymmetryShrinkage(dihedral(8), shrinkage="plugin"),
])
@pytest.mark.parametrize("complex_", [False, True])
def test_packed_results_equal_plain_pickling(estimator, complex_):
    fits = _fits(estimator, complex_=complex_)
    packed = _pack(fits)
    assert packed[0] == "columns"  # estimators go as columns, not one by one
    got = _unpack(pickle.loads(pickle.dumps(packed, protocol=5)))
    plain = pickle.loads(pickle.dumps(fits, protocol=5))
    assert len(got) == len(plain) == len(fits)
    for a, b in zip(got, plain):
        _assert_same_state(a, b)
        # the unpacked estimator still works as one
        assert np.array_equal(a.score(np.eye(8)), b.score(np.eye(8)))


def test_unpacked_arrays_are_writeable_and_independent():
    fits = _fits(GroupCovariance("dihedral"))
    got = _unpack(pickle.loads(pickle.dumps(_pack(fits), protocol=5)))
    before = got[1].covariance_.copy()
    got[0].covariance_[...] = 0.0  # a user may edit a result in place
    assert np.array_equal(got[1].covariance_, before)
    assert got[0].covariance_.flags.writeable


def test_equal_groups_travel_once_and_distinct_groups_stay_distinct():
    fits = _fits(GroupCovariance("dihedral"), n_problems=5)
    packed = _pack(fits)
    kinds = dict(zip(packed[2], (c[0] for c in packed[3])))
    assert kinds["group_"] == "shared"
    objects, index = dict(zip(packed[2], (c[1] for c in packed[3])))["group_"]
    assert len(objects) == 1 and np.array_equal(index, np.zeros(5))
    mixed = _fits(GroupCovariance(dihedral(8)), n_problems=2) + _fits(
        GroupCovariance(cyclic(8)), n_problems=2)
    got = _unpack(_pack(mixed))
    assert [g.group_.order for g in got] == [16, 16, 8, 8]
    assert got[0].group_ is got[1].group_ and got[2].group_ is not got[0].group_


def test_groups_from_products_are_shared_by_their_data_not_compared():
    from algdiv.groups import direct_product

    a = GroupCovariance(direct_product(cyclic(3), dihedral(4)))
    b = GroupCovariance(direct_product(cyclic(4), cyclic(3)))
    data = np.random.default_rng(5).standard_normal((2, 30, 12))
    fits = [sklearn_base.clone(e).fit(X) for e in (a, b, a) for X in data]
    got = _unpack(pickle.loads(pickle.dumps(_pack(fits), protocol=5)))
    orders = [g.group_.order for g in got]
    assert orders == [24, 24, 12, 12, 24, 24]
    assert got[0].group_ is got[4].group_ and got[2].group_ is not got[0].group_
    for x, y in zip(got, fits):
        _assert_same_state(x, y)


class _Custom:
    """An object with its own pickling: must travel as it is."""

    def __init__(self, v):
        self.v = np.full(3, v)

    def __reduce__(self):
        return (_Custom, (float(self.v[0]),))


class _Plain:
    def __init__(self, v, shape=3):
        self.v = np.full(shape, v)
        self.tag = "t"


@pytest.mark.parametrize("results", [
    [],
    [1, 2, 3],
    [(1, 2), (3, 4)],
    [np.zeros(2), np.ones(2)],
    [_Custom(1.0), _Custom(2.0)],
    [_Plain(1.0), _Custom(2.0)],
])
def test_anything_else_travels_unchanged(results):
    packed = _pack(results)
    assert packed[0] == "list"
    got = _unpack(pickle.loads(pickle.dumps(packed)))
    assert len(got) == len(results)
    for a, b in zip(got, results):
        assert type(a) is type(b)


def test_objects_whose_attributes_share_an_array_travel_as_they_are():
    a, b = _Plain(1.0), _Plain(2.0)
    a.w, b.w = a.v, b.v  # the same array twice: pickling keeps the aliasing
    assert _pack([a, b])[0] == "list"
    got = _unpack(pickle.loads(pickle.dumps(_pack([a, b]))))
    assert all(g.w is g.v for g in got)


def test_plain_objects_with_ragged_arrays_keep_their_shapes():
    results = [_Plain(1.0, 3), _Plain(2.0, 4)]
    got = _unpack(pickle.loads(pickle.dumps(_pack(results))))
    assert [g.v.shape for g in got] == [(3,), (4,)]
    assert [g.v[0] for g in got] == [1.0, 2.0] and [g.tag for g in got] == ["t", "t"]


def test_fit_many_on_joblib_returns_working_independent_estimators():
    data = np.random.default_rng(3).standard_normal((8, 30, 6))
    est = GroupCovariance("dihedral")
    ref = [sklearn_base.clone(est).fit(X) for X in data]
    got = fit_many(est, data, n_jobs=2, batch_size=3)
    for a, b in zip(got, ref):
        _assert_same_state(a, b)
    got[0].covariance_ += 1.0
    assert np.array_equal(got[1].covariance_, ref[1].covariance_)
