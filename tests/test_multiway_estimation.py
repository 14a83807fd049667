"""Separable (Kronecker) maximum likelihood and its group-projected flip-flop: facts."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from sklearn.base import clone

from algdiv import is_invariant
from algdiv.commutant import orbital_basis, reynolds
from algdiv.estimation import (
    GroupCovariance,
    KroneckerGroupCovariance,
    SeparableCovariance,
    as_multiway,
    flip_flop,
)
from algdiv.groups import cyclic, dihedral, direct_product, symmetric


def _spd(rng: np.random.Generator, m: int, complex_: bool = False) -> np.ndarray:
    a = rng.standard_normal((m, m))
    if complex_:
        a = a + 1j * rng.standard_normal((m, m))
    return a @ a.conj().T / m + 0.5 * np.eye(m)


def _draw(rng, factors, n, complex_=False):
    R = factors[0]
    for f in factors[1:]:
        R = np.kron(R, f)
    L = np.linalg.cholesky(R)
    z = rng.standard_normal((n, R.shape[0]))
    if complex_:
        z = (z + 1j * rng.standard_normal((n, R.shape[0]))) / np.sqrt(2)
    dims = tuple(f.shape[0] for f in factors)
    return (z @ L.T).reshape((n, *dims)), R


def _dense_loglik(X2: np.ndarray, R: np.ndarray) -> float:
    """Mean log-likelihood from the dense N x N matrix (scipy for real data)."""
    if not np.iscomplexobj(X2):
        return float(np.mean(stats.multivariate_normal(np.zeros(R.shape[0]), R).logpdf(X2)))
    _, logdet = np.linalg.slogdet(R)
    quad = np.real(np.einsum("ti,ij,tj->t", X2.conj(), np.linalg.inv(R), X2))
    return float(-logdet - quad.mean() - R.shape[0] * np.log(np.pi))


def _kron(fs):
    out = fs[0]
    for f in fs[1:]:
        out = np.kron(out, f)
    return out


# -- input validation ---------------------------------------------------------------------
def test_as_multiway_errors_name_the_problem():
    with pytest.raises(ValueError, match="pass shape="):
        as_multiway(np.zeros((4, 6)))
    with pytest.raises(ValueError, match="shape=.*has 6 entries but X has 7"):
        as_multiway(np.zeros((4, 7)), shape=(2, 3))
    with pytest.raises(ValueError, match=r"mode sizes \(2, 3\) but shape=\(3, 2\)"):
        as_multiway(np.zeros((4, 2, 3)), shape=(3, 2))
    with pytest.raises(ValueError, match="5-D"):
        as_multiway(np.zeros((1, 2, 2, 2, 2)))
    with pytest.raises(ValueError, match="NaN"):
        as_multiway(np.full((2, 2, 2), np.nan))
    with pytest.raises(TypeError, match="numeric"):
        as_multiway(np.array([[["a"]]]))
    with pytest.raises(TypeError, match="shape must be a sequence"):
        as_multiway(np.zeros((2, 4)), shape=4)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="groups must hold one group per mode"):
        KroneckerGroupCovariance(groups=("cyclic",)).fit(np.zeros((3, 2, 2)))
    with pytest.raises(ValueError, match="max_iter"):
        SeparableCovariance(max_iter=0).fit(np.ones((3, 2, 2)))


def test_input_not_modified_and_shapes_agree():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 3, 4))
    keep = X.copy()
    a = SeparableCovariance().fit(X)
    b = SeparableCovariance(shape=(3, 4)).fit(X.reshape(30, 12))
    assert np.array_equal(X, keep)
    assert_allclose(a.covariance_, b.covariance_, rtol=1e-12, atol=1e-12)
    assert a.score(X) == pytest.approx(b.score(X.reshape(30, 12)), rel=1e-12)
    with pytest.raises(ValueError, match=r"mode sizes \(4, 3\)"):
        a.score(X.reshape(30, 4, 3))
    c = clone(KroneckerGroupCovariance(("dihedral", None), max_iter=7))
    assert c.get_params()["max_iter"] == 7


# -- the separable MLE --------------------------------------------------------------------
@pytest.mark.parametrize("complex_", [False, True])
def test_flip_flop_is_a_stationary_point_of_the_dense_likelihood(complex_):
    """Finite differences of the dense N x N likelihood vanish in every factor direction."""
    rng = np.random.default_rng(1)
    X, _ = _draw(rng, [_spd(rng, 3, complex_), _spd(rng, 4, complex_)], 40, complex_)
    factors, _, ok = flip_flop(X, tol=1e-13, max_iter=500)
    assert ok
    X2 = X.reshape(40, -1)
    base = _dense_loglik(X2, _kron(factors))
    h = 1e-5
    for m in range(2):
        for _ in range(3):
            E = rng.standard_normal(factors[m].shape)
            if complex_:
                E = E + 1j * rng.standard_normal(E.shape)
            E = (E + E.conj().T) / 2
            up = [f + h * E if k == m else f for k, f in enumerate(factors)]
            dn = [f - h * E if k == m else f for k, f in enumerate(factors)]
            d = (_dense_loglik(X2, _kron(up)) - _dense_loglik(X2, _kron(dn))) / (2 * h)
            assert abs(d) < 1e-5 * max(1.0, abs(base))
    # and the flip-flop fit is a maximum: random PD perturbations never do better
    for _ in range(5):
        E = rng.standard_normal(factors[0].shape) * 0.05
        worse = [factors[0] + E @ E.T, factors[1]]
        assert _dense_loglik(X2, _kron(worse)) <= base + 1e-12


def test_likelihood_never_decreases_along_the_iterations():
    rng = np.random.default_rng(2)
    X, _ = _draw(rng, [_spd(rng, 4), _spd(rng, 3), _spd(rng, 2)], 15)
    X2 = X.reshape(15, -1)
    values = []
    for it in range(1, 8):
        fs, _, _ = flip_flop(X, max_iter=it, tol=0.0)
        values.append(_dense_loglik(X2, _kron(fs)))
    assert np.all(np.diff(values) >= -1e-10)
    assert values[-1] > _dense_loglik(X2, np.eye(24))  # better than the start


@pytest.mark.parametrize("complex_", [False, True])
def test_converges_to_the_true_factors_for_large_n(complex_):
    rng = np.random.default_rng(3)
    A, B = _spd(rng, 3, complex_), _spd(rng, 5, complex_)
    B = B * (5 / np.trace(B).real)
    X, R = _draw(rng, [A, B], 40000, complex_)
    est = SeparableCovariance(assume_centered=True).fit(X)
    assert est.converged_
    assert_allclose(np.trace(est.factors_[1]).real, 5.0, rtol=1e-12)
    assert np.linalg.norm(est.factors_[0] - A) / np.linalg.norm(A) < 0.03
    assert np.linalg.norm(est.factors_[1] - B) / np.linalg.norm(B) < 0.03
    assert np.linalg.norm(est.covariance_ - R) / np.linalg.norm(R) < 0.03


def test_score_is_the_dense_gaussian_likelihood():
    rng = np.random.default_rng(4)
    X, _ = _draw(rng, [_spd(rng, 2), _spd(rng, 3)], 50)
    est = SeparableCovariance(assume_centered=True).fit(X)
    Xt, _ = _draw(rng, [np.eye(2), np.eye(3)], 20)
    assert est.score(Xt) == pytest.approx(_dense_loglik(Xt.reshape(20, 6), est.covariance_))


# -- inside the commutant -----------------------------------------------------------------
def test_projected_flip_flop_is_stationary_inside_the_commutant():
    """Directional derivatives along the orbital basis of each mode's commutant vanish."""
    rng = np.random.default_rng(5)
    G1, G2 = dihedral(5), cyclic(4)
    A = reynolds(_spd(rng, 5, True), G1)
    B = reynolds(_spd(rng, 4, True), G2)
    X, _ = _draw(rng, [A, B], 6, True)
    est = KroneckerGroupCovariance((G1, G2), assume_centered=True, tol=1e-13, max_iter=500)
    est.fit(X)
    assert est.converged_
    fs = est.factors_
    assert is_invariant(fs[0], G1) and is_invariant(fs[1], G2)
    X2 = X.reshape(6, -1)
    h = 1e-5
    for m, G in enumerate((G1, G2)):
        for E in orbital_basis(G):
            E = E + E.T  # a Hermitian direction inside C(G)
            up = [f + h * E if k == m else f for k, f in enumerate(fs)]
            dn = [f - h * E if k == m else f for k, f in enumerate(fs)]
            d = (_dense_loglik(X2, _kron(up)) - _dense_loglik(X2, _kron(dn))) / (2 * h)
            assert abs(d) < 1e-5
    # outside the commutant the likelihood is not stationary (the constraint is active)
    free = SeparableCovariance(assume_centered=True).fit(X)
    assert free.score(X) > est.score(X) + 1e-3


def test_trivial_groups_give_the_separable_mle():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((20, 3, 4))
    a = KroneckerGroupCovariance(("trivial", None)).fit(X)
    b = SeparableCovariance().fit(X)
    assert_allclose(a.covariance_, b.covariance_, rtol=1e-10, atol=1e-12)


def test_groups_make_the_separable_fit_exist_and_help_at_small_n():
    """n = 2 snapshots of 6 x 6: the free MLE is degenerate, the projected one is not."""
    rng = np.random.default_rng(7)
    G1, G2 = dihedral(6), dihedral(6)
    A = reynolds(_spd(rng, 6), G1)
    B = reynolds(_spd(rng, 6), G2)
    B *= 6 / np.trace(B)
    R = np.kron(A, B)
    errs = {"sep": [], "kgc": [], "product": []}
    for _ in range(20):
        X, _ = _draw(rng, [A, B], 2)
        k = KroneckerGroupCovariance((G1, G2), assume_centered=True).fit(X)
        s = SeparableCovariance(assume_centered=True).fit(X)
        p = GroupCovariance(direct_product(G1, G2), assume_centered=True).fit(X.reshape(2, -1))
        assert is_invariant(k.covariance_, direct_product(G1, G2))
        errs["kgc"].append(np.linalg.norm(k.covariance_ - R) / np.linalg.norm(R))
        errs["sep"].append(np.linalg.norm(s.covariance_ - R) / np.linalg.norm(R))
        errs["product"].append(np.linalg.norm(p.covariance_ - R) / np.linalg.norm(R))
    assert np.mean(errs["kgc"]) < np.mean(errs["product"]) < np.mean(errs["sep"])


def test_three_modes_and_invariant_mean():
    rng = np.random.default_rng(8)
    X = rng.standard_normal((12, 3, 2, 4)) + 5.0
    est = KroneckerGroupCovariance((symmetric(3), cyclic(2), cyclic(4))).fit(X)
    assert est.covariance_.shape == (24, 24)
    assert len(est.factors_) == 3
    # the mean is averaged over the orbits of the product (here: one orbit, a constant)
    assert_allclose(est.location_, np.full(24, X.mean()), rtol=1e-12)
    assert is_invariant(est.covariance_, direct_product(symmetric(3), cyclic(2), cyclic(4)))


def test_a_fold_algebra_per_mode_is_a_stationary_point_inside_it():
    """Any unital *-algebra with its orthogonal projection works: the DCT-II fold per mode."""
    from algdiv.transforms import dct, dihedral_fold

    rng = np.random.default_rng(9)
    F1, F2 = dihedral_fold(5, "dct2"), dihedral_fold(4, "dct2")
    X = rng.standard_normal((3, 5, 4))
    est = KroneckerGroupCovariance((F1, F2), assume_centered=True, tol=1e-13, max_iter=500)
    est.fit(X)
    assert est.converged_
    assert F1.contains(est.factors_[0]) and F2.contains(est.factors_[1])
    # diagonal in the 2-D DCT
    U = np.kron(dct(5).matrix, dct(4).matrix)
    D = U.T @ est.covariance_ @ U
    assert_allclose(D - np.diag(np.diag(D)), 0, atol=1e-10 * np.abs(D).max())
    X2 = X.reshape(3, -1)
    h = 1e-5
    for m, F in enumerate((F1, F2)):
        for E in F.basis:
            up = [f + h * E if k == m else f for k, f in enumerate(est.factors_)]
            dn = [f - h * E if k == m else f for k, f in enumerate(est.factors_)]
            d = (_dense_loglik(X2, _kron(up)) - _dense_loglik(X2, _kron(dn))) / (2 * h)
            assert abs(d) < 1e-5
    with pytest.raises(ValueError, match="acts on 5 points but mode 1 has size 4"):
        KroneckerGroupCovariance((F1, F1)).fit(X)
