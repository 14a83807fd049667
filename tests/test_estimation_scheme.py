"""SchemeCovariance: the sample covariance averaged over the cells of a coherent configuration."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose

from algdiv import GroupCovariance, SchemeCovariance, coherent_closure
from algdiv.coherent import CoherentConfiguration
from algdiv.groups import dihedral

from . import _srg
from .conftest import gaussian_snapshots


def shrikhande_covariance(a: float = 1.0, b: float = 0.35, c: float = -0.1) -> np.ndarray:
    adj = _srg.shrikhande().astype(float)
    return a * np.eye(16) + b * adj + c * (1 - adj - np.eye(16))


def test_fit_is_the_cell_average_of_the_sample_covariance(rng):
    R = shrikhande_covariance()
    X = gaussian_snapshots(R, 7, rng)
    cc = coherent_closure(_srg.shrikhande())
    est = SchemeCovariance(cc, assume_centered=True).fit(X)
    S = X.T @ X / 7
    assert_allclose(est.covariance_, cc.project(S), atol=1e-12)
    assert est.scheme_ is cc
    assert est.n_features_in_ == 16
    assert cc.contains(est.covariance_)
    assert_allclose(est.precision_ @ est.covariance_, np.eye(16), atol=1e-8)


def test_scheme_given_as_pattern_group_or_configuration(rng):
    X = rng.standard_normal((5, 8))
    G = dihedral(8)
    by_group = SchemeCovariance(G).fit(X)
    assert_allclose(by_group.covariance_, GroupCovariance(G).fit(X).covariance_, atol=1e-12)
    assert_allclose(by_group.location_, GroupCovariance(G).fit(X).location_, atol=1e-12)
    i = np.arange(8)
    circulant_pattern = np.minimum((i[None, :] - i[:, None]) % 8, (i[:, None] - i[None, :]) % 8)
    by_pattern = SchemeCovariance(circulant_pattern).fit(X)
    assert by_pattern.scheme_ == CoherentConfiguration.from_group(G)
    assert_allclose(by_pattern.covariance_, by_group.covariance_, atol=1e-12)


def test_centring_averages_the_mean_over_fibres(rng):
    i = np.arange(6)
    path = (np.abs(i[:, None] - i[None, :]) == 1).astype(int)  # fibres {0,5}, {1,4}, {2,3}
    X = rng.standard_normal((9, 6)) + np.arange(6.0)
    est = SchemeCovariance(path).fit(X)
    mu = X.mean(axis=0)
    expected = np.array([mu[[0, 5]].mean(), mu[[1, 4]].mean(), mu[[2, 3]].mean()])
    assert_allclose(est.location_, expected[[0, 1, 2, 2, 1, 0]])
    Xc = X - est.location_
    assert_allclose(est.covariance_, est.scheme_.project(Xc.T @ Xc / 9), atol=1e-12)


def test_complex_data_and_positive_semidefinite(rng):
    R = shrikhande_covariance()
    X = gaussian_snapshots(R, 2, rng, complex_data=True)
    est = SchemeCovariance(_srg.shrikhande(), assume_centered=True).fit(X)
    assert np.iscomplexobj(X)
    assert_allclose(est.covariance_, est.covariance_.conj().T)
    assert np.linalg.eigvalsh(est.covariance_).min() > -1e-12
    assert np.isfinite(est.score(X))


def test_sklearn_conventions(rng):
    pytest.importorskip("sklearn")
    from sklearn.base import clone
    from sklearn.model_selection import cross_val_score

    est = SchemeCovariance(_srg.shrikhande(), assume_centered=True)
    assert clone(est).get_params()["assume_centered"] is True
    X = gaussian_snapshots(shrikhande_covariance(), 40, rng)
    scores = cross_val_score(est, X, cv=4)
    assert np.all(np.isfinite(scores))
    fitted = pickle.loads(pickle.dumps(est.fit(X)))
    assert_allclose(fitted.covariance_, est.covariance_)


def test_errors_name_the_argument(rng):
    X = rng.standard_normal((4, 16))
    with pytest.raises(ValueError, match="scheme has 8 points but the data have 16"):
        SchemeCovariance(dihedral(8)).fit(X)
    with pytest.raises(TypeError, match="scheme must be a CoherentConfiguration"):
        SchemeCovariance("shrikhande").fit(X)
    X0 = X.copy()
    SchemeCovariance(_srg.shrikhande()).fit(X)
    assert np.array_equal(X, X0)


def test_scheme_average_has_less_risk_than_the_group_average():
    # Shrikhande scheme: 3 cells; its automorphism group: 4 pair orbits. For R = I the
    # Frobenius risk of a cell average is Σ_c (1 + [c symmetric]) / n (real data), so the
    # ratio is exactly 4/3 in expectation; checked here by simulation (seeded).
    cc = coherent_closure(_srg.shrikhande())
    G = cc.automorphism_group
    assert G.n_pair_orbits == 4
    gen = np.random.default_rng(7)
    n, trials = 4, 4000
    X = gen.standard_normal((trials, n, 16))
    S = np.einsum("tki,tkj->tij", X, X) / n
    eye = np.eye(16)
    err_scheme = np.sum((cc.project(S) - eye) ** 2, axis=(1, 2)).mean()
    err_group = np.sum((CoherentConfiguration.from_group(G).project(S) - eye) ** 2,
                       axis=(1, 2)).mean()
    assert_allclose(err_scheme, 2 * 3 / n, rtol=0.05)
    assert_allclose(err_group, 2 * 4 / n, rtol=0.05)
    assert_allclose(err_group / err_scheme, 4 / 3, rtol=0.05)


@pytest.mark.parametrize("assume_centered", [True, False])
@pytest.mark.parametrize("complex_data", [False, True])
def test_scheme_ledoit_wolf_equals_group_ledoit_wolf_on_a_group(rng, assume_centered, complex_data):
    from algdiv import GroupLedoitWolf
    from algdiv.estimation import SchemeLedoitWolf

    G = dihedral(8)
    X = rng.standard_normal((9, 8)) + (1j * rng.standard_normal((9, 8)) if complex_data else 0)
    a = SchemeLedoitWolf(CoherentConfiguration.from_group(G), assume_centered=assume_centered).fit(X)
    b = GroupLedoitWolf(G, assume_centered=assume_centered).fit(X)
    assert_allclose(a.shrinkage_, b.shrinkage_, atol=1e-12)
    assert_allclose(a.covariance_, b.covariance_, atol=1e-12)
    assert_allclose(a.location_, b.location_, atol=1e-12)
    assert a.risk_ == pytest.approx(b.risk_, rel=1e-10)


def test_scheme_ledoit_wolf_weights_follow_the_structure(rng):
    from algdiv.estimation import SchemeLedoitWolf

    adj = _srg.shrikhande()
    R = shrikhande_covariance()
    # R in the algebra: on average most of the weight goes to the scheme average
    fits = [SchemeLedoitWolf(adj, assume_centered=True).fit(gaussian_snapshots(R, 20, rng))
            for _ in range(20)]
    W = np.array([f.shrinkage_ for f in fits])
    assert_allclose(W.sum(axis=1), 1.0)
    assert W[:, 1].mean() > 0.8 and W[:, 0].mean() < 0.15
    for f in fits:
        if f.shrinkage_[0] == 0:  # scheme average plus identity: inside the algebra
            assert f.scheme_.contains(f.covariance_)
    # a covariance outside the algebra: with many snapshots the weight moves to S
    B = rng.standard_normal((16, 16))
    R2 = B @ B.T / 16 + np.eye(16)
    far = SchemeLedoitWolf(adj, assume_centered=True).fit(gaussian_snapshots(R2, 4000, rng))
    assert far.shrinkage_[0] > 0.9
    one = SchemeLedoitWolf(adj, assume_centered=True).fit(gaussian_snapshots(R, 1, rng))
    assert_allclose(one.shrinkage_, [0.0, 1.0, 0.0])
    assert np.isnan(one.risk_)
