"""Spherical harmonics: convention, orthonormality, and zonal kernels diagonal in them."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import eval_legendre

try:  # SciPy >= 1.15
    from scipy.special import sph_harm_y
except ImportError:  # SciPy < 1.15 (the floors CI job): sph_harm(m, l, azimuth, polar)
    from scipy.special import sph_harm

    def sph_harm_y(l, m, theta, phi):
        return sph_harm(m, l, phi, theta)

from algdiv.transforms import funk_hecke, sphere_grid, spherical_harmonics
from algdiv.transforms.sphere import degree_order


def test_convention_theta_polar_phi_azimuth():
    theta, phi = 0.7, 2.1
    Y = spherical_harmonics(theta, phi, 2)
    ls, ms = degree_order(2)
    col = {(l, m): k for k, (l, m) in enumerate(zip(ls, ms))}
    # closed forms (Condon-Shortley phase)
    assert np.isclose(Y[col[0, 0]], 1 / np.sqrt(4 * np.pi))
    assert np.isclose(Y[col[1, 0]], np.sqrt(3 / (4 * np.pi)) * np.cos(theta))
    assert np.isclose(Y[col[1, 1]], -np.sqrt(3 / (8 * np.pi)) * np.sin(theta) * np.exp(1j * phi))
    assert np.isclose(
        Y[col[2, -2]], np.sqrt(15 / (32 * np.pi)) * np.sin(theta) ** 2 * np.exp(-2j * phi)
    )
    # scipy's sph_harm_y(l, m, theta, phi), for every (l, m) including m < 0
    for (l, m), k in col.items():
        assert np.isclose(Y[k], sph_harm_y(l, m, theta, phi))


def test_real_harmonics_span_the_same_spaces():
    th, ph, w = sphere_grid(6)
    Yc = spherical_harmonics(th, ph, 5)
    Yr = spherical_harmonics(th, ph, 5, real=True)
    assert not np.iscomplexobj(Yr)
    gram = (Yr * w[:, None]).T @ Yr
    np.testing.assert_allclose(gram, np.eye(36), rtol=1e-10, atol=1e-12)
    ls, _ = degree_order(5)
    cross = np.conj(Yc * w[:, None]).T @ Yr
    np.testing.assert_allclose(np.abs(cross[ls[:, None] != ls[None, :]]), 0, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("L", [0, 1, 4, 9])
def test_grid_quadrature_makes_harmonics_orthonormal(L):
    th, ph, w = sphere_grid(L)
    Y = spherical_harmonics(th, ph, L)
    gram = np.conj(Y * w[:, None]).T @ Y
    np.testing.assert_allclose(gram, np.eye((L + 1) ** 2), rtol=1e-10, atol=1e-12)


def unit_vectors(th, ph):
    return np.stack([np.sin(th) * np.cos(ph), np.sin(th) * np.sin(ph), np.cos(th)], -1)


@pytest.mark.parametrize("L", [3, 8])
def test_zonal_kernel_is_diagonal_with_eigenvalues_constant_in_m(L, rng):
    # k(t) = Σ a_l P_l(t), degree L: the quadrature is exact for everything below
    a = rng.uniform(0.1, 1.0, L + 1)
    th, ph, w = sphere_grid(L)
    u = unit_vectors(th, ph)
    t = np.clip(u @ u.T, -1, 1)
    K = sum(a[l] * eval_legendre(l, t) for l in range(L + 1))
    Y = spherical_harmonics(th, ph, L)
    D = np.conj(Y * w[:, None]).T @ K @ (Y * w[:, None])
    assert np.linalg.norm(D - np.diag(np.diag(D))) < 1e-10 * np.linalg.norm(D)
    ls, _ = degree_order(L)
    lam = 4 * np.pi * a / (2 * np.arange(L + 1) + 1)  # Funk-Hecke
    np.testing.assert_allclose(np.diag(D).real, lam[ls], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(
        funk_hecke(lambda s: sum(a[l] * eval_legendre(l, s) for l in range(L + 1)), L),
        lam,
        rtol=1e-10,
        atol=1e-10,
    )


def test_smooth_zonal_kernel_on_a_fine_grid(rng):
    # exp(κ t) is not band-limited, but its Legendre tail is tiny on a fine grid
    kappa, L, Lgrid = 2.0, 6, 30
    th, ph, w = sphere_grid(Lgrid)
    u = unit_vectors(th, ph)
    K = np.exp(kappa * (u @ u.T))
    Y = spherical_harmonics(th, ph, L, real=True)
    D = (Y * w[:, None]).T @ K @ (Y * w[:, None])
    lam = funk_hecke(lambda s: np.exp(kappa * s), L)
    ls, _ = degree_order(L)
    assert np.linalg.norm(D - np.diag(lam[ls])) < 1e-10 * np.linalg.norm(D)


def test_sphere_errors():
    with pytest.raises(ValueError, match="broadcast"):
        spherical_harmonics(np.zeros(3), np.zeros(4), 2)
    with pytest.raises(ValueError, match="NaN"):
        spherical_harmonics(np.nan, 0.0, 2)
    with pytest.raises(ValueError, match="non-negative"):
        spherical_harmonics(0.0, 0.0, -1)
