"""Diagnostics: the closed-form noise floor against simulation; α ≈ 1 under the right group."""

import numpy as np
import pytest

from algdiv import invariance_residual, reynolds
from algdiv.discovery import (
    coloring_index,
    noise_floor,
    residual,
    structural_capacity,
)
from algdiv.discovery.diagnostics import (
    expected_perp_energy,
    identifiability_notes,
    indistinguishable_group,
)
from algdiv.groups import (
    affine,
    cyclic,
    dihedral,
    direct_product,
    relabel,
    subgroup,
    symmetric,
    trivial,
)


def random_spd(m, rng, complex_=False):
    a = rng.standard_normal((m, m))
    if complex_:
        a = a + 1j * rng.standard_normal((m, m))
    return a @ np.conj(a.T) / m + np.eye(m)


def sample(R0, n, trials, rng, complex_):
    """``trials`` sample covariances of ``n`` zero-mean Gaussian snapshots."""
    m = len(R0)
    L = np.linalg.cholesky(R0)
    z = rng.standard_normal((trials, n, m))
    if complex_:
        z = (z + 1j * rng.standard_normal((trials, n, m))) / np.sqrt(2)
    X = z @ L.T
    return np.einsum("tni,tnj->tij", X, np.conj(X)) / n


D16 = dihedral(16)
D4 = subgroup(D16, [[(i + 4) % 16 for i in range(16)], [(-i) % 16 for i in range(16)]])


@pytest.mark.parametrize(
    "G,complex_",
    [(D4, False), (D4, True), (cyclic(9), True), (direct_product(cyclic(3), dihedral(4)), False),
     (symmetric(6), False), (trivial(5), True)],
)
def test_expected_perp_energy_matches_simulation(rng, G, complex_):
    R0 = reynolds(random_spd(G.degree, rng, complex_), G)
    n, trials = 5, 4000
    S = sample(R0, n, trials, rng, complex_)
    perp = np.sum(np.abs(S - reynolds(S, G)) ** 2, axis=(1, 2))
    predicted = expected_perp_energy(R0, G, n, complex_data=complex_)
    stderr = perp.std() / np.sqrt(trials)
    if isinstance(G.construction, tuple) and G.construction[0] == "trivial":
        assert predicted < 1e-12
        np.testing.assert_allclose(perp, 0, rtol=0, atol=1e-10)
    else:
        assert abs(perp.mean() - predicted) < 4 * stderr


@pytest.mark.parametrize("complex_", [False, True])
def test_coloring_index_is_near_one_under_the_right_group_and_large_otherwise(rng, complex_):
    sigma = rng.permutation(16)
    G = relabel(D4, sigma)
    R0 = reynolds(random_spd(16, rng, complex_), G)
    S = sample(R0, 200, 200, rng, complex_)
    alphas = np.array([coloring_index(s, G, 200, complex_data=complex_) for s in S])
    assert abs(alphas.mean() - 1) < 0.05
    # δ / δ₀ is the same statement: δ₀ is the typical δ under the right group
    d = np.array([residual(s, G) / noise_floor(s, G, 200, complex_data=complex_) for s in S[:20]])
    np.testing.assert_allclose(d**2, alphas[:20], rtol=1e-10)
    # a group that is too large leaves structure outside its commutant
    loud = np.eye(16)
    loud[0, 0] = 40.0  # loud sensors on one D_4-orbit: invariant under D_4, not D_16
    R1 = reynolds(loud, G)
    S1 = sample(R1, 2000, 20, rng, complex_)
    big = relabel(D16, sigma)
    wrong = np.array([coloring_index(s, big, 2000, complex_data=complex_) for s in S1])
    assert wrong.min() > 10


def test_residual_is_the_commutant_residual(rng):
    R = random_spd(8, rng)
    assert residual(R, cyclic(8)) == invariance_residual(R, cyclic(8))
    assert residual(reynolds(R, cyclic(8)), cyclic(8)) < 1e-15


def test_noise_floor_of_an_exactly_invariant_matrix_shrinks_like_one_over_sqrt_n(rng):
    R = reynolds(random_spd(8, rng), dihedral(8))
    a, b = noise_floor(R, dihedral(8), 100), noise_floor(R, dihedral(8), 400)
    assert a == pytest.approx(2 * b)


def test_structural_capacity_is_renyi_2_entropy_of_the_spectrum(rng):
    R = random_spd(7, rng, complex_=True)
    # Σ p_i² = tr(R²) / tr(R)² for a PSD matrix: an independent route.
    expected = -np.log2(np.linalg.norm(R) ** 2 / np.trace(R).real ** 2)
    assert structural_capacity(R) == pytest.approx(expected)
    assert structural_capacity(np.eye(16)) == pytest.approx(4.0)
    assert structural_capacity(np.outer([1, 2, 3], [1, 2, 3])) == pytest.approx(0.0, abs=1e-12)


def test_indistinguishable_groups():
    assert indistinguishable_group(affine(11)).order == symmetric(11).order
    assert indistinguishable_group(cyclic(9)).order == 9
    assert indistinguishable_group(cyclic(9), real_data=True) == dihedral(9)
    assert indistinguishable_group(dihedral(9), real_data=True) == dihedral(9)
    assert identifiability_notes(dihedral(9), real_data=True) == []
    notes = identifiability_notes(affine(7))
    assert len(notes) == 1 and "5040" in notes[0]


def test_bad_inputs(rng):
    R = random_spd(4, rng)
    with pytest.raises(ValueError, match="positive"):
        noise_floor(R, cyclic(4), 0)
    with pytest.raises(TypeError, match="snapshots"):
        noise_floor(R, cyclic(4), "10")
    with pytest.raises(ValueError, match="points"):
        coloring_index(R, cyclic(5), 10)
    with pytest.raises(ValueError, match="Hermitian"):
        noise_floor(np.triu(R), cyclic(4), 10)
    with pytest.raises(ValueError, match="positive eigenvalue"):
        structural_capacity(np.zeros((3, 3)))
