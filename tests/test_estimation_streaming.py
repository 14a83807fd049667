"""Large n: blockwise moments of a dask X (chunked by rows) against the in-memory results.

Each streaming function states how many passes it makes over X; a wrapped source that
counts the rows it hands out checks that number, and a tracemalloc peak checks that X
is never materialized.
"""

import threading
import tracemalloc

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

from algdiv.commutant import reynolds  # noqa: E402
from algdiv.estimation import (  # noqa: E402
    ForwardBackward,
    GroupCovariance,
    SymmetryShrinkage,
    group_average,
    sample_covariance,
    symmetry_shrinkage,
)
from algdiv.estimation._streaming import (  # noqa: E402
    column_sums,
    orbit_fourth_moments,
    risk_moments,
    second_moments,
    shrinkage_moments,
)
from algdiv.groups import cyclic, dihedral, parse  # noqa: E402


class CountingSource:
    """An array-like that counts the rows it hands out (dask reads it by slices)."""

    def __init__(self, data):
        self.data = data
        self.shape = data.shape
        self.dtype = data.dtype
        self.ndim = data.ndim
        self.rows = 0
        self._lock = threading.Lock()

    def __getitem__(self, key):
        out = self.data[key]
        with self._lock:
            self.rows += out.shape[0] if out.ndim == 2 else 1
        return out

    def passes(self):
        return self.rows / self.shape[0]


def _data(n, m, *, complex_=False, seed=0, mean=0.0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, m)) @ rng.standard_normal((m, m)) / np.sqrt(m) + mean
    if complex_:
        X = X + 1j * rng.standard_normal((n, m))
    return X


def _lazy(X, rows):
    return da.from_array(X, chunks=(rows, X.shape[1]))


@pytest.mark.parametrize("complex_", [False, True])
@pytest.mark.parametrize("center", [False, True])
def test_second_moments_match_numpy(complex_, center):
    X = _data(1003, 7, complex_=complex_, mean=3.0)
    mom = second_moments(_lazy(X, 100), center=center)
    assert mom.n == 1003
    np.testing.assert_allclose(mom.sum_outer, X.T @ X.conj(), rtol=1e-11, atol=1e-9)
    if center:
        np.testing.assert_allclose(mom.mean, X.mean(axis=0), rtol=1e-12)
        Xc = X - X.mean(axis=0)
        np.testing.assert_allclose(mom.scatter, Xc.T @ Xc.conj(), rtol=1e-11, atol=1e-9)
        # numpy.cov (an independent implementation) on the centred covariance
        np.testing.assert_allclose(
            mom.covariance(mom.mean), np.cov(X, rowvar=False, bias=True), rtol=1e-11, atol=1e-12
        )
    # the NumPy path runs the same code on in-memory blocks
    again = second_moments(X, center=center)
    np.testing.assert_allclose(again.sum_outer, mom.sum_outer, rtol=1e-12, atol=1e-9)


def test_centred_merge_avoids_cancellation():
    # a mean 1e6 times the spread: Σ x xᴴ − n m mᴴ loses every digit, the merge does not
    X = _data(4000, 3, seed=4, mean=1e6)
    mom = second_moments(_lazy(X, 333), center=True)
    np.testing.assert_allclose(
        mom.covariance(mom.mean), np.cov(X, rowvar=False, bias=True), rtol=1e-6
    )


def test_column_chunks_are_joined_and_integers_promoted():
    X = np.arange(60).reshape(12, 5)
    Xd = da.from_array(X, chunks=(5, 2))
    np.testing.assert_allclose(sample_covariance(Xd), X.T @ X / 12.0)
    n, total = column_sums(Xd)
    assert n == 12 and np.array_equal(total, X.sum(axis=0))


@pytest.mark.parametrize("complex_", [False, True])
def test_orbit_fourth_moments_against_reynolds_per_snapshot(complex_):
    G = dihedral(6)
    X = _data(57, 6, complex_=complex_, seed=2)
    q = orbit_fourth_moments(_lazy(X, 10), G.pair_orbits(), G.pair_orbit_sizes())
    labels = G.pair_orbits()
    direct = np.zeros(G.n_pair_orbits)
    for x in X:
        A = np.outer(x, x.conj())
        for o in range(G.n_pair_orbits):
            direct[o] += abs(A[labels == o].sum()) ** 2 / np.count_nonzero(labels == o)
    np.testing.assert_allclose(q, direct, rtol=1e-12)
    # Σ_O q_O = Σ_k ‖Φ_G(x_k x_kᴴ)‖²
    phi = sum(np.sum(np.abs(reynolds(np.outer(x, x.conj()), G)) ** 2) for x in X)
    assert q.sum() == pytest.approx(phi, rel=1e-12)
    n, s, norm4, q2 = shrinkage_moments(X, G.pair_orbits(), G.pair_orbit_sizes())
    assert n == 57 and norm4 == pytest.approx(np.sum(np.sum(np.abs(X) ** 2, 1) ** 2))
    np.testing.assert_allclose(q2, q, rtol=1e-12)


def test_bad_labels_are_refused():
    G = cyclic(4)
    with pytest.raises(ValueError, match="labels must have shape"):
        orbit_fourth_moments(np.ones((3, 5)), G.pair_orbits(), G.pair_orbit_sizes())
    with pytest.raises(ValueError, match="counts must be"):
        orbit_fourth_moments(np.ones((3, 4)), G.pair_orbits(), np.array([0, 1]))


@pytest.mark.parametrize("assume_centered", [True, False])
def test_sample_covariance_and_group_average(assume_centered):
    X = _data(500, 8, complex_=True, mean=1.0)
    Xd = _lazy(X, 64)
    np.testing.assert_allclose(
        sample_covariance(Xd, assume_centered=assume_centered),
        sample_covariance(X, assume_centered=assume_centered),
        rtol=1e-11, atol=1e-12,
    )
    G = parse("dihedral(8)")
    np.testing.assert_allclose(
        group_average(Xd, G, assume_centered=assume_centered),
        group_average(X, G, assume_centered=assume_centered),
        rtol=1e-11, atol=1e-12,
    )


@pytest.mark.parametrize("complex_", [False, True])
@pytest.mark.parametrize("assume_centered", [True, False])
def test_group_covariance_dask_equals_numpy(complex_, assume_centered):
    X = _data(800, 12, complex_=complex_, seed=5, mean=0.5)
    a = GroupCovariance("dihedral", assume_centered=assume_centered).fit(X)
    b = GroupCovariance("dihedral", assume_centered=assume_centered).fit(_lazy(X, 100))
    for attr in ("covariance_", "precision_", "location_"):
        np.testing.assert_allclose(getattr(b, attr), getattr(a, attr), rtol=1e-9, atol=1e-12)
    assert b.group_ == a.group_ and b.n_features_in_ == 12
    assert b.covariance_.dtype == a.covariance_.dtype
    # score streams too
    assert b.score(_lazy(X, 77)) == pytest.approx(a.score(X), rel=1e-10)


@pytest.mark.parametrize("complex_", [False, True])
@pytest.mark.parametrize("assume_centered", [True, False])
@pytest.mark.parametrize("shrinkage", ["plugin", "heldout", 0.3])
def test_symmetry_shrinkage_dask_equals_numpy(complex_, assume_centered, shrinkage):
    # truth a little off the cyclic commutant so that 0 < ρ < 1
    X = _data(600, 6, complex_=complex_, seed=7, mean=0.2)
    a = SymmetryShrinkage("cyclic", shrinkage=shrinkage, assume_centered=assume_centered).fit(X)
    b = SymmetryShrinkage("cyclic", shrinkage=shrinkage, assume_centered=assume_centered).fit(
        _lazy(X, 64)
    )
    if shrinkage == "plugin":
        assert 0 < a.shrinkage_ < 1
    assert b.shrinkage_ == pytest.approx(a.shrinkage_, rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(b.covariance_, a.covariance_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b.target_, a.target_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b.location_, a.location_, rtol=1e-12, atol=1e-15)
    if shrinkage == "heldout":
        np.testing.assert_allclose(b.cv_scores_, a.cv_scores_, rtol=1e-9)


def test_plugin_formula_against_the_function():
    # the one-pass expansion equals the direct Σ_k ‖P⊥(x_k x_kᴴ − S)‖² of symmetry_shrinkage
    X = _data(300, 5, complex_=True, seed=8)
    cov, rho = symmetry_shrinkage(X, cyclic(5))
    est = SymmetryShrinkage(cyclic(5), assume_centered=True).fit(_lazy(X, 50))
    assert est.shrinkage_ == pytest.approx(rho, rel=1e-10)
    np.testing.assert_allclose(est.covariance_, cov, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize(
    ("make", "centered", "passes"),
    [
        (lambda X, G: sample_covariance(X), True, 1),
        (lambda X, G: sample_covariance(X, assume_centered=False), False, 1),
        (lambda X, G: group_average(X, G), True, 1),
        (lambda X, G: GroupCovariance(G).fit(X), False, 1),
        (lambda X, G: GroupCovariance(G, assume_centered=True).fit(X), True, 1),
        (lambda X, G: SymmetryShrinkage(G, assume_centered=True).fit(X), True, 1),
        (lambda X, G: SymmetryShrinkage(G).fit(X), False, 2),
        (lambda X, G: SymmetryShrinkage(G, shrinkage=0.5).fit(X), False, 2),
        (lambda X, G: SymmetryShrinkage(G, shrinkage="heldout", cv=3, assume_centered=True)
         .fit(X), True, 1),
    ],
)
def test_number_of_passes(make, centered, passes):
    G = cyclic(6)
    src = CountingSource(_data(1000, 6, seed=9))
    X = da.from_array(src, chunks=(128, 6))
    make(X, G)
    assert src.passes() == passes


def test_nan_is_found_in_the_pass_and_estimators_without_streaming_refuse():
    X = _data(100, 4)
    X[57, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        GroupCovariance("cyclic").fit(_lazy(X, 10))
    with pytest.raises(ValueError, match="NaN"):
        sample_covariance(_lazy(X, 10))
    G = cyclic(4)
    for bad in (np.nan, np.inf, -np.inf):
        Y = _data(100, 4, complex_=True, seed=13)
        Y[3, 1] = bad
        for call in (lambda Z: second_moments(Z), lambda Z: second_moments(Z, center=True),
                     lambda Z: column_sums(Z),
                     lambda Z: orbit_fourth_moments(Z, G.pair_orbits(), G.pair_orbit_sizes()),
                     lambda Z: shrinkage_moments(Z, G.pair_orbits(), G.pair_orbit_sizes())):
            with pytest.raises(ValueError, match="NaN or infinite"):
                call(_lazy(Y, 16))
    with pytest.raises(TypeError, match="does not stream"):
        ForwardBackward().fit(_lazy(np.ones((4, 4)), 2))
    with pytest.raises(ValueError, match="2-D"):
        GroupCovariance().fit(da.ones(5, chunks=2))
    with pytest.raises(ValueError, match="features"):
        group_average(_lazy(np.ones((4, 3)), 2), cyclic(4))
    with pytest.raises(ValueError, match="shrinkage must be"):
        SymmetryShrinkage(shrinkage="nope").fit(_lazy(np.ones((4, 3)), 2))


def test_large_lazy_n_peak_memory_is_blocks_not_X():
    # n = 10^5, M = 64 generated lazily: X would be 51 MB; the fit holds a few blocks
    n, m, rows = 100_000, 64, 2_000
    X = da.random.RandomState(0).standard_normal((n, m), chunks=(rows, m))
    G = dihedral(64)
    tracemalloc.start()
    try:
        est = GroupCovariance(G, assume_centered=True).fit(X)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    block = rows * m * 8
    assert peak < 10 * block  # X itself is 50 blocks
    ref = GroupCovariance(G, assume_centered=True).fit(X.compute())
    np.testing.assert_allclose(est.covariance_, ref.covariance_, rtol=1e-9, atol=1e-12)
    # white noise: the dihedral average of S is close to I
    assert np.abs(est.covariance_ - np.eye(m)).max() < 0.02


def test_distributed_scheduler_gives_the_same_fit():
    distributed = pytest.importorskip("distributed")
    X = _data(2000, 8, complex_=True, seed=11)
    ref = SymmetryShrinkage("dihedral").fit(_lazy(X, 250))
    with distributed.Client(processes=False, n_workers=2, threads_per_worker=1,
                            dashboard_address=":0"):
        got = SymmetryShrinkage("dihedral").fit(_lazy(X, 250))
    np.testing.assert_allclose(got.covariance_, ref.covariance_, rtol=1e-12, atol=1e-14)


def test_risk_moments_for_several_candidates_in_one_pass():
    groups = [cyclic(6), dihedral(6), parse("trivial(6)")]
    src = CountingSource(_data(400, 6, complex_=True, seed=12))
    X = da.from_array(src, chunks=(64, 6))
    mean = src.data.mean(axis=0)
    n, s, norm4, qs = risk_moments(X, [(G.pair_orbits(), G.pair_orbit_sizes()) for G in groups],
                                   shift=mean)
    assert src.passes() == 1 and n == 400
    Xc = src.data - mean
    np.testing.assert_allclose(s, Xc.T @ Xc.conj(), rtol=1e-12, atol=1e-10)
    assert norm4 == pytest.approx(np.sum(np.sum(np.abs(Xc) ** 2, 1) ** 2), rel=1e-12)
    S = s / n
    for G, q in zip(groups, qs):
        np.testing.assert_allclose(
            q, orbit_fourth_moments(Xc, G.pair_orbits(), G.pair_orbit_sizes()), rtol=1e-12)
        # Σ_k ‖Φ(x_k x_kᴴ − S)‖² directly, against Σ_O q_O − n ‖Φ(S)‖²
        direct = sum(np.sum(np.abs(reynolds(np.outer(x, x.conj()) - S, G)) ** 2) for x in Xc)
        assert q.sum() - n * np.sum(np.abs(reynolds(S, G)) ** 2) == pytest.approx(direct,
                                                                                   rel=1e-9)
    # the trivial group: q sums to Σ ‖x‖⁴
    assert qs[2].sum() == pytest.approx(norm4, rel=1e-12)
