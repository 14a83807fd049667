"""Steering vectors, their symmetries, MVDR and the SINR loss."""

import numpy as np
import pytest

from algdiv import effective_dimension, invariance_residual
from algdiv.arrays import (
    interference_covariance,
    mvdr_weights,
    sinr,
    sinr_loss,
    uca_dihedral_group,
    uca_steering,
    ula_steering,
)
from algdiv.groups import dihedral


def test_uca_symmetries():
    phi = np.linspace(-3, 3, 7)
    A = uca_steering(phi, 12, radius=1.5)
    i = np.arange(12)
    np.testing.assert_allclose(A[(i + 1) % 12], uca_steering(phi - 2 * np.pi / 12, 12), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(A[(-i) % 12], uca_steering(-phi, 12), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(A[(i + 6) % 12], A.conj(), rtol=1e-9, atol=1e-12)
    # positions: sensor i at radius r, angle 2πi/M; phase = 2π r cos(φ - θ_i)
    assert A[3, 2] == pytest.approx(np.exp(2j * np.pi * 1.5 * np.cos(phi[2] - 2 * np.pi * 3 / 12)))


@pytest.mark.parametrize("M, J", [(16, 4), (48, 12), (16, 2), (12, 3)])
def test_jammer_covariance_is_dihedral_subgroup_invariant(M, J):
    # J equal-power jammers on the D_J orbit of azimuths 2πk/J
    R = interference_covariance(uca_steering(2 * np.pi * np.arange(J) / J, M), 30.0)
    G = uca_dihedral_group(M, J)
    assert G.order == 2 * J
    assert invariance_residual(R, G) < 1e-13
    # ... and not invariant under the full dihedral group of the circle
    assert invariance_residual(R, dihedral(M)) > 1e-3
    # a jammer off the orbit breaks the symmetry
    R2 = R + interference_covariance(uca_steering([0.5], M), 20.0) - np.eye(M)
    assert invariance_residual(R2, G) > 1e-3


def test_uca_group_d_eff_ladder():
    got = [effective_dimension(uca_dihedral_group(16, J)) for J in (2, 4, 8, 16)]
    np.testing.assert_allclose(got, [3.88, 7.53, 14.22, 28.44], atol=0.005)


def test_ula_persymmetric():
    A = ula_steering([0.2, -0.7], 6, spacing=0.5)
    R = A @ A.conj().T
    J = np.eye(6)[::-1]
    np.testing.assert_allclose(J @ R.conj() @ J, R, rtol=1e-9, atol=1e-12)
    assert A.shape == (6, 2)
    assert A[2, 0] == pytest.approx(np.exp(2j * np.pi * 0.5 * 2 * np.sin(0.2)))


def test_mvdr_is_optimal_and_distortionless(rng):
    M = 8
    R = interference_covariance(uca_steering([0.4, 2.0], M), [20.0, 25.0])
    s = uca_steering(1.0, M)[:, 0]
    w = mvdr_weights(R, s)
    assert complex(w.conj() @ s) == pytest.approx(1.0)
    assert float(sinr_loss(w, s, R)) == pytest.approx(1.0, rel=1e-12)
    # the optimum SINR is sᴴ R⁻¹ s; any other weight is worse
    assert float(sinr(w, s, R)) == pytest.approx(np.real(s.conj() @ np.linalg.solve(R, s)))
    for _ in range(5):
        v = w + 0.1 * (rng.standard_normal(M) + 1j * rng.standard_normal(M))
        assert 0 < float(sinr_loss(v, s, R)) < 1


def test_batched_sinr_loss(rng):
    M = 6
    R = interference_covariance(uca_steering([0.0], M), 10.0)
    s = uca_steering(1.3, M)[:, 0]
    W = rng.standard_normal((4, M)) + 1j * rng.standard_normal((4, M))
    batched = sinr_loss(W, s, R)
    assert batched.shape == (4,)
    np.testing.assert_allclose(batched, [float(sinr_loss(w, s, R)) for w in W], rtol=1e-12)
    Rs = np.stack([R, 2 * R])
    np.testing.assert_allclose(mvdr_weights(Rs, s)[1], mvdr_weights(R, s), rtol=1e-10)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: uca_steering(0.1, 0), ValueError, "at least 1"),
        (lambda: uca_steering(0.1, 4, radius=-1), ValueError, "radius"),
        (lambda: uca_steering([[0.1]], 4), ValueError, "1-D"),
        (lambda: ula_steering(np.nan, 4), ValueError, "finite"),
        (lambda: uca_dihedral_group(16, 5), ValueError, "divide"),
        (lambda: uca_steering(0.1, 2.5), TypeError, "int"),
        (lambda: mvdr_weights(np.eye(3), np.ones(4)), ValueError, "must be"),
    ],
)
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@pytest.mark.parametrize("J", [3, 4])
def test_uca_conjugate_symmetries_of_the_jammer_covariance(J):
    M = 12
    R = interference_covariance(uca_steering(2 * np.pi * np.arange(J) / J, M), 30.0)
    i = np.arange(M)
    half, refl = (i + M // 2) % M, (-i) % M
    # the half turn conjugates every steering vector: exact for any scenario
    np.testing.assert_allclose(R.conj()[np.ix_(half, half)], R, atol=1e-9)
    # i -> -i with conjugation maps φ to π − φ: exact only if the sources are symmetric
    dev = np.abs(R.conj()[np.ix_(refl, refl)] - R).max()
    assert (dev < 1e-9) == (J % 2 == 0)
