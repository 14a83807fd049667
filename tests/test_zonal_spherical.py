"""The SO(3)-matched (zonal) projection and the icosahedral group of spherical layouts.

Facts checked: the zonal projection is idempotent and orthogonal, exact on Funk–Hecke
covariances (the diffuse field ``sinc(k |r_i − r_j|)`` on an open sphere), and its Legendre
coefficients are ``(2l + 1) j_l(kr)²`` (scipy.special.spherical_jn); the Legendre matrices obey
the addition theorem (scipy.special.sph_harm_y); the icosahedral group has order 60, preserves
the layout's distances, and its average fixes every zonal matrix.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import special

from algdiv import reynolds
from algdiv.arrays import (
    diffuse_covariance,
    dodecahedron,
    icosahedral_group,
    icosahedral_rotations,
    icosahedron,
    layout_group,
    plane_wave_steering,
)
from algdiv.estimation import (
    GroupCovariance,
    ZonalCovariance,
    sphere_cosines,
    zonal_basis,
    zonal_projection,
)

LAYOUTS = {
    "icosahedron": icosahedron(),
    "ico+dodeca": np.vstack([icosahedron(), dodecahedron()]),
}


def _random_sphere(m: int, rng: np.random.Generator) -> np.ndarray:
    v = rng.standard_normal((m, 3))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _random_hermitian(m: int, rng: np.random.Generator) -> np.ndarray:
    A = rng.standard_normal((m, m)) + 1j * rng.standard_normal((m, m))
    return A @ A.conj().T / m


def _pairs_of_same_angle(points):
    t = sphere_cosines(points)
    return np.unique(np.round(t, 6)).size


@pytest.mark.parametrize("name", list(LAYOUTS) + ["random 20"])
@pytest.mark.parametrize("degree", [None, 2, 5])
@pytest.mark.parametrize("nonnegative", [False, True])
def test_projection_is_idempotent(name, degree, nonnegative):
    rng = np.random.default_rng(1)
    P = LAYOUTS[name] if name in LAYOUTS else _random_sphere(20, rng)
    S = _random_hermitian(P.shape[0], rng)
    Z = zonal_projection(S, P, degree, nonnegative=nonnegative)
    assert_allclose(zonal_projection(Z, P, degree, nonnegative=nonnegative), Z,
                    rtol=1e-9, atol=1e-9)
    assert_allclose(Z, Z.T, atol=1e-12)
    if nonnegative:  # Schoenberg: non-negative Legendre coefficients give a PSD kernel
        assert np.linalg.eigvalsh(Z).min() > -1e-9 * np.abs(Z).max()


@pytest.mark.parametrize("name", list(LAYOUTS) + ["random 20"])
def test_projection_is_orthogonal_onto_the_legendre_span(name):
    rng = np.random.default_rng(2)
    P = LAYOUTS[name] if name in LAYOUTS else _random_sphere(20, rng)
    S = _random_hermitian(P.shape[0], rng)
    B = zonal_basis(P, 4)
    Z = zonal_projection(S, P, 4)
    # the residual is orthogonal to every B_l, and Z lies in their span
    assert_allclose([np.sum(b * (S - Z).conj()).real for b in B], 0, atol=1e-10)
    coef, *_ = np.linalg.lstsq(B.reshape(5, -1).T, Z.ravel(), rcond=None)
    assert_allclose(np.tensordot(coef, B, axes=1), Z, atol=1e-10)


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_all_functions_of_the_angle_equal_the_top_legendre_degree(name):
    P = LAYOUTS[name]
    n_classes = _pairs_of_same_angle(P)
    S = _random_hermitian(P.shape[0], np.random.default_rng(3))
    assert_allclose(zonal_projection(S, P, n_classes - 1), zonal_projection(S, P),
                    rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("name", list(LAYOUTS) + ["random 30"])
@pytest.mark.parametrize("kr", [0.5, 2.0, 6.0])
def test_exact_on_diffuse_fields(name, kr):
    P = LAYOUTS[name] if name in LAYOUTS else _random_sphere(30, np.random.default_rng(4))
    R = diffuse_covariance(P, kr)  # unit sphere: k r = kr
    assert_allclose(zonal_projection(R, P), R, atol=1e-12)
    assert_allclose(zonal_projection(R, P, nonnegative=True), R, atol=1e-8)
    # with white sensor noise too (the identity is inside the non-negative cone)
    Rn = R + 0.1 * np.eye(P.shape[0])
    assert_allclose(zonal_projection(Rn, P, nonnegative=True), Rn, atol=1e-8)


def test_legendre_coefficients_are_funk_hecke():
    # sinc(k |r_i - r_j|) = sum_l (2l + 1) j_l(kr)^2 P_l(cos angle) on a sphere of radius r
    rng = np.random.default_rng(5)
    P = 0.07 * _random_sphere(40, rng)
    k = 2 * np.pi * 3000 / 343.0
    kr = k * 0.07
    R = diffuse_covariance(P, k)
    L = 25
    est = ZonalCovariance(P, degree=L, nonnegative=False, assume_centered=True)
    # fit on snapshots whose sample covariance is R exactly: R = X^T conj(X) / n
    w, v = np.linalg.eigh(R)
    X = (v * np.sqrt(np.clip(w, 0, None))).T * np.sqrt(40)
    est.fit(X)
    expected = (2 * np.arange(L + 1) + 1) * special.spherical_jn(np.arange(L + 1), kr) ** 2
    assert_allclose(est.coef_, expected, rtol=1e-6, atol=1e-10)
    assert_allclose(est.covariance_, R, atol=1e-9)


def test_diffuse_covariance_is_the_average_of_plane_waves():
    # Monte Carlo over uniform directions, independent of the closed form
    rng = np.random.default_rng(6)
    P = 0.05 * icosahedron()
    k = 2 * np.pi * 2000 / 343.0
    V = rng.standard_normal((200_000, 3))
    A = plane_wave_steering(P, V, k)
    R_mc = A @ A.conj().T / V.shape[0]
    assert_allclose(R_mc, diffuse_covariance(P, k), atol=0.01)


def _sph_harm(l, m, theta, phi):
    """SciPy's spherical harmonic (``sph_harm_y`` from 1.15; ``sph_harm``, argument order
    (m, l, azimuth, polar), before)."""
    if hasattr(special, "sph_harm_y"):
        return special.sph_harm_y(l, m, theta, phi)
    return special.sph_harm(m, l, phi, theta)


def test_legendre_matrices_obey_the_addition_theorem():
    P = _random_sphere(15, np.random.default_rng(7))
    theta = np.arccos(np.clip(P[:, 2], -1, 1))
    phi = np.arctan2(P[:, 1], P[:, 0])
    B = zonal_basis(P, 4)
    for l in range(5):
        Y = np.stack([_sph_harm(l, m, theta, phi) for m in range(-l, l + 1)], axis=1)
        assert_allclose(B[l], 4 * np.pi / (2 * l + 1) * (Y @ Y.conj().T), atol=1e-10)


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_icosahedral_group_order_60_preserves_distances(name):
    P = LAYOUTS[name]
    G = icosahedral_group(P)
    assert G.order == 60 and G.degree == P.shape[0]
    D = np.linalg.norm(P[:, None] - P[None, :], axis=-1)
    for g in G.elements():
        assert_allclose(D[np.ix_(g, g)], D, atol=1e-12)
    for Q in icosahedral_rotations():
        assert_allclose(np.linalg.det(Q), 1.0)
        assert_allclose(Q @ Q.T, np.eye(3), atol=1e-12)


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_group_average_contains_the_zonal_space(name):
    P = LAYOUTS[name]
    G = icosahedral_group(P)
    for b in zonal_basis(P, 8):
        assert_allclose(reynolds(b, G), b, atol=1e-12)
    # every zonal matrix is G-invariant, so C(G) has at least one pair orbit per angle
    n_classes = _pairs_of_same_angle(P)
    assert G.n_pair_orbits >= n_classes
    if name == "icosahedron":  # transitive on the pairs of each angle: C(G) IS the zonal space
        assert G.n_pair_orbits == n_classes == 4
        S = _random_hermitian(12, np.random.default_rng(8)).real
        assert_allclose(reynolds(S, G), zonal_projection(S, P), atol=1e-12)


def test_group_average_of_the_diffuse_field_is_exact():
    P = LAYOUTS["ico+dodeca"]
    R = diffuse_covariance(0.042 * P, 2 * np.pi * 1500 / 343.0)
    rng = np.random.default_rng(9)
    w, v = np.linalg.eigh(R)
    X = (v * np.sqrt(np.clip(w, 0, None))).T * np.sqrt(32)
    est = GroupCovariance(icosahedral_group(P), assume_centered=True).fit(X)
    assert_allclose(est.covariance_, R, atol=1e-12)
    Y = rng.standard_normal((3, 32))
    assert est.group_.order == 60 and np.all(np.isfinite(est.score(Y)))


def test_layout_group_rejects_a_map_that_is_not_a_symmetry():
    P = icosahedron()
    bad = np.array([[np.cos(0.3), -np.sin(0.3), 0], [np.sin(0.3), np.cos(0.3), 0], [0, 0, 1]])
    with pytest.raises(ValueError, match="does not map the layout onto itself"):
        layout_group(P, [bad])
    with pytest.raises(ValueError, match="orthogonal"):
        layout_group(P, [2 * np.eye(3)])


def test_zonal_inputs_are_checked_and_not_modified():
    P = icosahedron()
    S = _random_hermitian(12, np.random.default_rng(10))
    S0, P0 = S.copy(), P.copy()
    zonal_projection(S, P, 3, nonnegative=True)
    assert np.array_equal(S, S0) and np.array_equal(P, P0)
    with pytest.raises(ValueError, match="one sphere"):
        zonal_projection(S, P * np.linspace(1, 2, 12)[:, None])
    with pytest.raises(ValueError, match="12 sensors but S is 11x11"):
        zonal_projection(S[:11, :11], P)
    with pytest.raises(ValueError, match="degree"):
        zonal_projection(S, P, -1)
    with pytest.raises(ValueError, match="Hermitian"):
        zonal_projection(S + np.triu(np.ones((12, 12)), 1), P)
    with pytest.raises(ValueError, match="shape"):
        sphere_cosines(np.ones((4, 2)))
    with pytest.raises(ValueError, match="12 features"):
        ZonalCovariance(P[:10]).fit(np.ones((3, 12)) + np.arange(12))


def test_zonal_covariance_beats_the_sample_covariance_on_diffuse_noise():
    P = 0.042 * LAYOUTS["ico+dodeca"]
    R = diffuse_covariance(P, 2 * np.pi * 2000 / 343.0) + 0.01 * np.eye(32)
    C = np.linalg.cholesky(R)
    rng = np.random.default_rng(11)
    err_s, err_z = [], []
    for _ in range(20):
        Z = (rng.standard_normal((4, 32)) + 1j * rng.standard_normal((4, 32))) / np.sqrt(2)
        X = Z @ C.T
        S = X.T @ X.conj() / 4
        est = ZonalCovariance(P, assume_centered=True).fit(X)
        err_s.append(np.linalg.norm(S - R))
        err_z.append(np.linalg.norm(est.covariance_ - R))
        assert np.all(est.coef_ >= 0) and np.linalg.eigvalsh(est.covariance_).min() > -1e-9
    # the common power still fluctuates (a diffuse field at kr = 1.5 has few degrees of freedom)
    assert np.mean(err_z) < 0.6 * np.mean(err_s)
