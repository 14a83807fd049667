"""Near-automorphisms of estimated covariances, and blind discovery that uses them."""

import numpy as np
import pytest

from algdiv import discover, reynolds
from algdiv.discovery.diagnostics import indistinguishable_group
from algdiv.discovery.matching import entry_standard_errors, near_automorphisms
from algdiv.groups import PermutationGroup, cyclic, dihedral, elementary_abelian, relabel

from .conftest import gaussian_snapshots


def _draw(R, n, rng, complex_data):
    return gaussian_snapshots(R, n, rng, complex_data)


@pytest.mark.parametrize("complex_data", [False, True])
def test_standard_errors_match_simulation(complex_data, rng):
    A = rng.standard_normal((4, 4)) + (1j * rng.standard_normal((4, 4)) if complex_data else 0)
    R = A @ A.conj().T + np.eye(4)
    R = R if complex_data else R.real
    n, trials = 50, 4000
    S = np.array([
        (lambda X: X.T @ X.conj() / n)(_draw(R, n, rng, complex_data)) for _ in range(trials)
    ])
    se = entry_standard_errors(R, n, complex_data)
    np.testing.assert_allclose(S.real.std(axis=0), se.real, rtol=0.1)
    if complex_data:
        off = ~np.eye(4, dtype=bool)
        np.testing.assert_allclose(S.imag.std(axis=0)[off], se.imag[off], rtol=0.1)
        assert np.all(se.imag[~off] == 0)  # the diagonal is real


@pytest.mark.parametrize("G", [cyclic(12), dihedral(12), elementary_abelian(3)],
                         ids=lambda g: g.short_name)
def test_candidates_from_a_precise_estimate_are_symmetries_and_generate_the_group(G, rng):
    hidden = relabel(G, rng.permutation(G.degree))
    A = rng.standard_normal((G.degree, G.degree))
    R = reynolds(A @ A.T, hidden)
    X = _draw(R, 200_000, rng, False)
    found = near_automorphisms(X.T @ X / len(X), len(X))
    truth = indistinguishable_group(hidden, real_data=True)
    assert found and all(truth.contains(p) for p in found)
    assert PermutationGroup(found, G.degree) == truth


def test_no_candidates_when_nothing_is_symmetric(rng):
    A = rng.standard_normal((10, 10))
    R = A @ A.T + np.diag(np.arange(1.0, 11.0))
    assert near_automorphisms(R, 10**8) == []


def test_blind_discovery_of_a_cyclic_group_from_snapshots(rng):
    # 1000 M complex snapshots of a random Z_16-invariant covariance, points hidden: the
    # colour ladder alone missed it (the orbit values lie within a few standard errors
    # of each other); entry-wise matching finds it.
    m = 16
    hidden = relabel(cyclic(m), rng.permutation(m))
    A = rng.standard_normal((m, m)) + 1j * rng.standard_normal((m, m))
    R = reynolds(A @ A.conj().T, hidden)
    rep = discover(_draw(R, 1000 * m, rng, True))
    assert rep.group == indistinguishable_group(hidden, real_data=False)
    assert rep.name == "cyclic(16)"
    assert not any("beyond groups" in note for note in rep.notes)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"S": np.ones((2, 3)), "n_samples": 5}, "square"),
        ({"S": np.array([[1.0, 2.0], [0.0, 1.0]]), "n_samples": 5}, "Hermitian"),
        ({"S": np.eye(3), "n_samples": 0}, "n_samples"),
        ({"S": np.eye(3), "n_samples": 2.5}, "n_samples"),
        ({"S": np.array([[np.nan, 0.0], [0.0, 1.0]]), "n_samples": 5}, "NaN"),
        ({"S": np.eye(3), "n_samples": 5, "levels": 0}, "levels"),
        ({"S": np.eye(3), "n_samples": 5, "node_budget": -1}, "node_budget"),
        ({"S": np.eye(3), "n_samples": 5, "t": 0.0}, "t must be"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        near_automorphisms(**kwargs)


def test_too_few_snapshots_are_said(rng):
    # 20 snapshots of a D_16-invariant covariance with weak off-diagonal structure: nothing
    # can be rejected, and the report says so; with 1600 snapshots it does not.
    m = 16
    c = np.r_[1.0, 0.3 * 0.8 ** np.minimum(np.arange(1, m), m - np.arange(1, m))]
    R = np.array([[c[(i - j) % m] for j in range(m)] for i in range(m)])
    few = discover(_draw(R, 20, rng, False))
    assert any("too few" in note for note in few.notes)
    many = discover(_draw(R, 1600, rng, False))
    assert not any("too few" in note for note in many.notes)
