"""The adaptive-array experiment: its pipeline against Reed–Mallett–Brennan, and the ordering."""

import json

import numpy as np
import pytest

from algdiv.experiments import adaptive_array, crossing


@pytest.fixture(scope="module")
def small_run():
    return adaptive_array(M=16, J=4, trials=60, snapshots=list(range(1, 41)), bootstrap=20)


def test_estimators_order_group_loading_fb_sample(small_run):
    n3 = small_run.n_3db
    assert n3["group"] < n3["loading"] < n3["forward_backward"] < n3["sample"]
    assert np.isfinite(list(n3.values())).all()
    # the law 2M/d_eff predicts the group estimator to within a snapshot
    assert abs(n3["group"] - small_run.law) < 1.0
    assert small_run.d_eff == pytest.approx(256 / 34)


def test_truth_is_dihedral_invariant(small_run):
    assert small_run.truth_residual < 1e-13
    # the published snapshot counts at −3 dB for M = 16, J = 4, typed from the paper
    assert small_run.published == {"group": 3.9, "loading": 7.4, "forward_backward": 15.6,
                                   "sample": 29.5}


def test_sample_curve_follows_reed_mallett_brennan():
    # E[loss] = (n + 2 − M)/(n + 1) for the sample covariance (a Beta distribution):
    # checks steering vectors, data, weights and the loss formula at once.
    M, trials = 8, 1500
    res = adaptive_array(M=M, J=2, trials=trials, snapshots=[8, 10, 14, 20], bootstrap=0, seed=3)
    n = res.snapshots.astype(float)
    a, b = n + 2 - M, M - 1.0
    mean = a / (a + b)
    sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)) / trials)
    measured = 10 ** (res.loss_db["sample"] / 10)
    assert np.all(np.abs(measured - mean) < 4 * sd)
    # mean of dB: E[ln loss] = ψ(a) − ψ(a + b)
    from scipy.special import digamma, polygamma

    expected_db = 10 / np.log(10) * (digamma(a) - digamma(a + b))
    # Var[ln loss] = ψ'(a) − ψ'(a + b): a 4-standard-error band on the mean of dB
    se_db = 10 / np.log(10) * np.sqrt((polygamma(1, a) - polygamma(1, a + b)) / trials)
    assert np.all(np.abs(res.alt_loss_db["sample"] - expected_db) < 4 * se_db)


def test_sample_only_for_n_at_least_M_and_fb_for_half(small_run):
    n = small_run.snapshots
    assert np.all(np.isnan(small_run.loss_db["sample"][n < 16]))
    assert np.all(np.isfinite(small_run.loss_db["sample"][n >= 16]))
    assert np.all(np.isnan(small_run.loss_db["forward_backward"][n < 8]))
    assert np.all(np.isfinite(small_run.loss_db["group"]))


def test_losses_are_at_most_zero_db_and_improve_with_n(small_run):
    for key, curve in small_run.loss_db.items():
        finite = curve[np.isfinite(curve)]
        assert np.all(finite <= 1e-9), key
        assert finite[-1] > finite[len(finite) // 2] - 0.3, key


def test_rogue_jammer_breaks_the_group_estimator():
    res = adaptive_array(M=16, J=4, trials=40, snapshots=list(range(1, 33)), bootstrap=0,
                         rogue=(0.9, 20.0))
    assert res.truth_residual > 1e-3
    # the group average smears the rogue over its orbit: the loss stays near −3 dB
    assert not res.n_3db["group"] < 8
    assert res.rogue == (0.9, 20.0)


def test_reproducible_and_json(small_run):
    again = adaptive_array(M=16, J=4, trials=60, snapshots=list(range(1, 41)), bootstrap=20)
    assert again.n_3db == small_run.n_3db
    text = json.dumps(small_run.to_dict())
    back = json.loads(text)
    assert back["n_3db"]["group"] == pytest.approx(small_run.n_3db["group"])
    assert back["loss_db"]["sample"][0] is None  # nan -> null
    assert "group" in small_run.table() and "law" in small_run.table()


def test_average_conventions_are_consistent(small_run):
    # Jensen: the mean of the dB is below the dB of the mean
    for key in small_run.loss_db:
        lin, db = small_run.loss_db[key], small_run.alt_loss_db[key]
        ok = np.isfinite(lin)
        assert np.all(db[ok] <= lin[ok] + 1e-12)
    res = adaptive_array(M=8, J=2, trials=20, snapshots=range(1, 20), bootstrap=0, average="db")
    assert res.average == "db"


def test_reflection_exchange_is_also_exact_here_and_changes_only_fb(small_run):
    res = adaptive_array(M=16, J=4, trials=60, snapshots=list(range(1, 41)), bootstrap=0,
                         fb_exchange="reflection")
    for key in ("sample", "loading", "group", "shrinkage"):
        np.testing.assert_allclose(res.loss_db[key], small_run.loss_db[key], equal_nan=True)
    fb = res.loss_db["forward_backward"]
    assert np.all(np.isfinite(fb[res.snapshots >= 8]))
    assert not np.allclose(fb[res.snapshots >= 8], small_run.loss_db["forward_backward"][8 - 1 :])


def test_crossing():
    assert crossing([1, 2, 3], [-9.0, -4.0, -2.0]) == 2.5
    assert np.isnan(crossing([1, 2], [-9.0, -4.0]))
    assert crossing([3, 4], [-1.0, 0.0]) == 3.0
    assert crossing([1, 2, 3], [np.nan, -4.0, -2.0]) == 2.5


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"M": 15, "J": 5}, ValueError, "even"),
        ({"M": 16, "J": 3}, ValueError, "multiple of J"),
        ({"trials": 0}, ValueError, "at least 1"),
        ({"M": 16.0}, TypeError, "int"),
        ({"average": "median"}, ValueError, "average"),
        ({"fb_exchange": "reversal"}, ValueError, "fb_exchange"),
        ({"snapshots": [3, 2]}, ValueError, "increasing"),
        ({"snapshots": [1.5]}, ValueError, "ints"),
        ({"rogue": (0.1,)}, ValueError, "rogue"),
        ({"loading_levels": [0.0, 1.0]}, ValueError, "positive"),
        ({"radius": -1.0}, ValueError, "radius"),
    ],
)
def test_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        adaptive_array(**{"trials": 2, "snapshots": [1, 2], **kwargs})


def test_running_plugin_rho_equals_symmetry_shrinkage(rng):
    from algdiv.arrays import uca_dihedral_group
    from algdiv.commutant import _project
    from algdiv.estimation import symmetry_shrinkage
    from algdiv.experiments.adaptive_array import _orbit_sum_operator, _plugin_rho

    G = uca_dihedral_group(16, 4)
    X = rng.standard_normal((3, 7, 16)) + 1j * rng.standard_normal((3, 7, 16))
    S = np.einsum("tki,tkj->tij", X, X.conj()) / 7
    op, size = _orbit_sum_operator(G)
    outer = (X[..., :, None] * X[..., None, :].conj()).reshape(-1, 256)
    sum_q = np.sum(np.abs((outer @ op).reshape(3, 7, -1)) ** 2 / size, axis=(1, 2))
    sum_norm4 = np.sum(np.sum(np.abs(X) ** 2, axis=-1) ** 2, axis=-1)
    rho = _plugin_rho(S, _project(S, G), sum_norm4, sum_q, 7)
    expected = [symmetry_shrinkage(x, G)[1] for x in X]
    np.testing.assert_allclose(rho, expected, rtol=1e-9)


@pytest.mark.parametrize("n", [3, 10])
def test_loading_sweep_from_eigenpairs_equals_direct_solves(n, rng):
    from algdiv.arrays import interference_covariance, sinr_loss, uca_steering
    from algdiv.experiments.adaptive_array import _loading_losses

    M = 8
    A = uca_steering([0.0, np.pi], M)
    power = np.array([1000.0, 1000.0])
    R = interference_covariance(A, 30.0)
    s = uca_steering(0.5, M)[:, 0]
    opt = float(np.real(s.conj() @ np.linalg.solve(R, s)))
    Y = rng.standard_normal((2, n, M)) + 1j * rng.standard_normal((2, n, M))
    S = np.einsum("tki,tkj->tij", Y, Y.conj()) / n
    levels = np.array([0.1, 1.0, 30.0])
    if n < M:  # the Gram route used by the experiment
        mu, Q = np.linalg.eigh(Y.conj() @ Y.transpose(0, 2, 1) / n)
        V = (Y.transpose(0, 2, 1) @ Q) / np.sqrt(n * mu)[:, None, :]
    else:
        mu, V = np.linalg.eigh(S)
    got = _loading_losses(V, mu, s, A, power, levels, opt)
    for t in range(2):
        for k, lv in enumerate(levels):
            w = np.linalg.solve(S[t] + lv * np.eye(M), s)
            assert got[t, k] == pytest.approx(float(sinr_loss(w, s, R)), rel=1e-8)
