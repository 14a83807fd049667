"""The estimators: against the mathematics they state, real and complex."""

import pickle

import numpy as np
import pytest
from scipy.linalg import circulant

from algdiv import (
    DiagonalLoading,
    ForwardBackward,
    GroupCovariance,
    SymmetryShrinkage,
    ToeplitzAverage,
    group_average,
    is_invariant,
    reynolds,
    select_group,
)
from algdiv.estimation import gaussian_log_likelihood, sample_covariance, symmetry_shrinkage
from algdiv.groups import cyclic, dihedral, from_generators, subgroup, symmetric, trivial

ALL = [
    GroupCovariance("dihedral"),
    SymmetryShrinkage("cyclic"),
    SymmetryShrinkage("cyclic", shrinkage="heldout", cv=3),
    ForwardBackward(),
    ToeplitzAverage(),
    DiagonalLoading(0.3),
]


def sqrtm(R):
    """The Hermitian square root of a positive semi-definite ``R`` (by ``eigh``:
    ``scipy.linalg.sqrtm`` returns complex256 for complex input on SciPy 1.13)."""
    w, V = np.linalg.eigh(R)
    return (V * np.sqrt(np.clip(w, 0, None))) @ V.conj().T


def _complex(rng, n, m, R=None):
    Z = (rng.standard_normal((n, m)) + 1j * rng.standard_normal((n, m))) / np.sqrt(2)
    return Z if R is None else Z @ sqrtm(R).T


def _circulant_R(m):
    c = np.zeros(m, complex)
    c[0], c[1], c[-1], c[2], c[-2] = 4.0, 1.5 + 1.0j, 1.5 - 1.0j, 0.4, 0.4
    return circulant(c)


@pytest.mark.parametrize("est", ALL, ids=lambda e: type(e).__name__)
def test_complex_data_work_and_give_hermitian_estimates(est, rng):
    X = _complex(rng, 12, 6)
    est.fit(X)
    C = est.covariance_
    assert np.iscomplexobj(C) and C.shape == (6, 6)
    np.testing.assert_allclose(C, C.conj().T, atol=0)
    assert np.isfinite(est.score(X))
    np.testing.assert_allclose(est.precision_ @ C @ est.precision_, est.precision_, atol=1e-8)


@pytest.mark.parametrize("group", ["trivial", "cyclic", "dihedral", "symmetric"])
def test_group_covariance_is_group_average_and_psd(group, rng):
    X = _complex(rng, 3, 8)
    est = GroupCovariance(group, assume_centered=True).fit(X)
    np.testing.assert_allclose(est.covariance_, group_average(X, est.group_), atol=1e-14)
    assert is_invariant(est.covariance_, est.group_)
    assert np.linalg.eigvalsh(est.covariance_).min() > -1e-12


def test_trivial_group_is_sklearn_empirical_covariance(rng):
    from sklearn.covariance import EmpiricalCovariance

    X = rng.standard_normal((30, 5)) + 2.0
    ours = GroupCovariance("trivial").fit(X)
    theirs = EmpiricalCovariance().fit(X)
    np.testing.assert_allclose(ours.covariance_, theirs.covariance_, atol=1e-13)
    np.testing.assert_allclose(ours.location_, theirs.location_, atol=1e-13)
    Y = rng.standard_normal((10, 5))
    assert ours.score(Y) == pytest.approx(theirs.score(Y), rel=1e-12)
    R = np.eye(5)
    for norm in ("frobenius", "spectral"):
        for scaling in (True, False):
            assert ours.error_norm(R, norm=norm, scaling=scaling) == pytest.approx(
                theirs.error_norm(R, norm=norm, scaling=scaling), rel=1e-12
            )
    np.testing.assert_allclose(ours.mahalanobis(Y), theirs.mahalanobis(Y), rtol=1e-10)


def test_mean_is_averaged_over_point_orbits(rng):
    G = from_generators([[1, 0, 2]])  # point orbits {0, 1} and {2}
    X = rng.standard_normal((20, 3)) + np.array([1.0, 3.0, 5.0])
    est = GroupCovariance(G).fit(X)
    mu = X.mean(axis=0)
    np.testing.assert_allclose(est.location_, [(mu[0] + mu[1]) / 2] * 2 + [mu[2]])
    np.testing.assert_allclose(
        est.covariance_, reynolds(sample_covariance(X - est.location_), G), atol=1e-13
    )


def test_complex_score_is_circular_gaussian_log_density(rng):
    R = _circulant_R(5)
    X = _complex(rng, 8, 5, R)
    est = GroupCovariance("cyclic", assume_centered=True).fit(_complex(rng, 40, 5, R))
    C = est.covariance_
    Ci = np.linalg.inv(C)
    logdens = [
        -5 * np.log(np.pi) - np.linalg.slogdet(C)[1] - np.real(x.conj() @ Ci @ x) for x in X
    ]
    assert est.score(X) == pytest.approx(np.mean(logdens), rel=1e-10)


def test_singular_estimate_scores_minus_inf(rng):
    X = rng.standard_normal((2, 6))
    est = GroupCovariance("trivial", assume_centered=True).fit(X)
    assert est.score(X) == -np.inf
    assert gaussian_log_likelihood(np.eye(2), np.zeros((2, 2))) == -np.inf


def _plugin_bruteforce(X, G):
    n = X.shape[0]
    S = sum(np.outer(x, x.conj()) for x in X) / n

    def perp(A):
        return A - reynolds(A, G)

    num = sum(np.linalg.norm(perp(np.outer(x, x.conj())) - perp(S)) ** 2 for x in X) / n**2
    return float(np.clip(num / np.linalg.norm(perp(S)) ** 2, 0, 1))


@pytest.mark.parametrize("G", [cyclic(6), dihedral(6), symmetric(6)], ids=str)
@pytest.mark.parametrize("n", [3, 40, 600])
def test_plugin_shrinkage_equals_bruteforce_formula(G, n, rng):
    X = _complex(rng, n, 6, _circulant_R(6) + np.diag(np.arange(6.0)) * 0.3)
    cov, rho = symmetry_shrinkage(X, G)
    assert rho == pytest.approx(_plugin_bruteforce(X, G), rel=1e-10, abs=1e-14)
    S = sample_covariance(X)
    np.testing.assert_allclose(cov, rho * reynolds(S, G) + (1 - rho) * S, rtol=1e-9, atol=1e-12)
    est = SymmetryShrinkage(G, assume_centered=True).fit(X)
    assert est.shrinkage_ == pytest.approx(rho, rel=1e-12)


def test_plugin_shrinkage_follows_the_truth(rng):
    R = _circulant_R(6)  # Z_6-invariant, not D_6-invariant (complex entries)
    # Invariant truth: the plug-in estimates the noise outside C(G) by itself, ρ ≈ 1
    # on average (clipped at 1, so a little below).
    rhos = [symmetry_shrinkage(_complex(rng, 200, 6, R), cyclic(6))[1] for _ in range(30)]
    assert np.mean(rhos) > 0.75
    # Wrong symmetry: the bias outside the commutant dominates, ρ -> 0.
    assert symmetry_shrinkage(_complex(rng, 4000, 6, R), dihedral(6))[1] < 0.05


def test_plugin_is_one_when_S_is_already_invariant():
    X = np.eye(4)  # S = I/4 is invariant under everything
    assert symmetry_shrinkage(X, symmetric(4))[1] == 1.0


def test_heldout_shrinkage_prefers_the_right_structure(rng):
    R = _circulant_R(6)
    X = _complex(rng, 300, 6, R)
    right = SymmetryShrinkage("cyclic", shrinkage="heldout", assume_centered=True).fit(X)
    wrong = SymmetryShrinkage("symmetric", shrinkage="heldout", assume_centered=True).fit(X)
    assert right.shrinkage_ >= 0.8
    assert wrong.shrinkage_ <= 0.2
    assert right.cv_scores_.shape == (21,)


def test_forward_backward_matches_definition(rng):
    X = _complex(rng, 5, 6)
    S = sample_covariance(X)
    J = np.eye(6)[::-1]
    est = ForwardBackward(assume_centered=True).fit(X)
    np.testing.assert_allclose(est.covariance_, (S + J @ S.conj() @ J) / 2, atol=1e-14)
    half = ForwardBackward("half_turn", assume_centered=True).fit(X)
    P = np.roll(np.eye(6), 3, axis=0)
    np.testing.assert_allclose(half.covariance_, (S + P @ S.conj() @ P.T) / 2, atol=1e-14)


def test_forward_backward_keeps_a_centro_hermitian_truth(rng):
    # ULA steering vectors centred on the array: J a* = a, so FB is unbiased.
    a = np.exp(1j * 0.7 * (np.arange(6) - 2.5))
    R = 10 * np.outer(a, a.conj()) + np.eye(6)
    J = np.eye(6)[::-1]
    np.testing.assert_allclose(J @ R.conj() @ J, R, rtol=1e-9, atol=1e-12)
    est = ForwardBackward(assume_centered=True).fit(_complex(rng, 20000, 6, R))
    assert np.linalg.norm(est.covariance_ - R) / np.linalg.norm(R) < 0.03


def test_toeplitz_average_of_toeplitz_is_itself(rng):
    from scipy.linalg import toeplitz

    T = toeplitz([3.0, 1.0 + 0.5j, 0.2j])
    est = ToeplitzAverage(assume_centered=True).fit(np.sqrt(3) * sqrtm(T).T)  # S = T exactly
    np.testing.assert_allclose(est.covariance_, T, rtol=1e-9, atol=1e-12)


def test_diagonal_loading(rng):
    X = _complex(rng, 3, 4)
    est = DiagonalLoading(2.0, assume_centered=True).fit(X)
    np.testing.assert_allclose(est.covariance_, sample_covariance(X) + 2 * np.eye(4), atol=1e-14)


@pytest.mark.parametrize(
    "est, match",
    [
        (GroupCovariance("nonsense"), "could not be read"),
        (GroupCovariance(cyclic(5)), "acts on 5 points but the data have 4"),
        (SymmetryShrinkage("cyclic", shrinkage="magic"), "shrinkage must be"),
        (SymmetryShrinkage("cyclic", shrinkage=1.5), "shrinkage must be"),
        (SymmetryShrinkage("cyclic", shrinkage="heldout", cv=1), "cv must be"),
        (ForwardBackward([1, 2, 0, 3]), "involution"),
        (ForwardBackward("sideways"), "exchange must be"),
        (DiagonalLoading(-1.0), "non-negative"),
    ],
)
def test_bad_hyper_parameters_fail_at_fit(est, match, rng):
    with pytest.raises(ValueError, match=match):
        est.fit(rng.standard_normal((6, 4)))


def test_complex_input_errors():
    est = GroupCovariance("cyclic")
    with pytest.raises(ValueError, match="2D"):
        est.fit(np.ones(4, complex))
    with pytest.raises(ValueError, match="NaN"):
        est.fit(np.array([[1j, np.nan]]))
    est.fit(np.ones((3, 4), complex))
    with pytest.raises(ValueError, match="X has 3 features, but GroupCovariance is expecting 4"):
        est.score(np.ones((2, 3), complex))


def test_unfitted_raises():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        GroupCovariance().score(np.ones((2, 2)))


def test_fit_does_not_modify_input(rng):
    X = _complex(rng, 5, 4)
    before = X.copy()
    for est in ALL:
        est.fit(X)
    np.testing.assert_array_equal(X, before)


def test_pickle_round_trip_keeps_the_group(rng):
    D16 = dihedral(16)
    D4 = subgroup(D16, [[(i + 4) % 16 for i in range(16)], [(-i) % 16 for i in range(16)]])
    X = _complex(rng, 4, 16)
    for est in (GroupCovariance(D4), SymmetryShrinkage("dihedral(16)"), GroupCovariance("cyclic")):
        est.fit(X)
        back = pickle.loads(pickle.dumps(est))
        assert back.group_ == est.group_
        np.testing.assert_array_equal(back.covariance_, est.covariance_)
        assert back.score(X) == est.score(X)


def test_select_group_finds_the_symmetry(rng):
    R = _circulant_R(8)
    X = _complex(rng, 80, 8, R)
    sel = select_group(X, ["symmetric", "dihedral", "cyclic", "trivial"])
    assert sel.group == cyclic(8)
    assert sel.index == 2 and sel.scores.shape == (4,)
    assert np.argmin(sel.scores) == 2
    assert "Z_8" in sel.table()
    # With a real symmetric circulant truth the larger dihedral group wins.
    Rd = circulant([4.0, 1.5, 0.4, 0.1, 0.0, 0.1, 0.4, 1.5])
    sel = select_group(_complex(rng, 80, 8, Rd), [cyclic(8), dihedral(8), trivial(8)])
    assert sel.group == dihedral(8)


@pytest.mark.parametrize("order", [[0, 1, 2], [2, 1, 0], [1, 0, 2]])
def test_select_group_ties_go_to_the_largest_symmetry(order, rng):
    # Real data: Φ_{Z_M}(S) = Φ_{D_M}(S) exactly (S is real symmetric), so cyclic and
    # dihedral tie up to rounding whatever the candidates' order; the dihedral group wins.
    Rd = circulant([4.0, 1.5, 0.4, 0.1, 0.0, 0.1, 0.4, 1.5])
    X = rng.standard_normal((40, 8)) @ np.linalg.cholesky(Rd).T
    cands = [[cyclic(8), dihedral(8), trivial(8)][k] for k in order]
    sel = select_group(X, cands)
    k_cyc, k_dih = order.index(0), order.index(1)
    assert sel.scores[k_cyc] == pytest.approx(sel.scores[k_dih], rel=1e-12)
    assert sel.group == dihedral(8) and sel.index == k_dih


def test_select_group_singular_folds_score_inf(rng):
    X = _complex(rng, 4, 8)
    sel = select_group(X, ["trivial", "cyclic"])
    assert sel.scores[0] == np.inf and np.isfinite(sel.scores[1])
    assert sel.group == cyclic(8)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"candidates": []}, "non-empty"),
        ({"candidates": "cyclic"}, "non-empty"),
        ({"candidates": ["cyclic"], "criterion": "aic"}, "criterion"),
        ({"candidates": ["cyclic"], "cv": 1}, "cv must be"),
        ({"candidates": [cyclic(3)]}, "acts on 3 points but the data have 4"),
    ],
)
def test_select_group_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        select_group(np.ones((5, 4)), **kwargs)
    with pytest.raises(ValueError, match="at least 2"):
        select_group(np.ones((1, 4)), ["cyclic"])
