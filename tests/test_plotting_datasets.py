"""The built-in hidden-symmetry data and the report figure."""

import numpy as np
import pytest

import algdiv
from algdiv.datasets import hidden_symmetry
from algdiv.plotting import plot_discovery


def test_hidden_symmetry_is_invariant_and_hidden():
    data = hidden_symmetry("dihedral(12)", n_samples=50, rng=7)
    assert algdiv.is_invariant(data.covariance, data.group)
    assert not algdiv.is_invariant(data.covariance, data.base_group, tol=1e-3)
    assert np.all(np.linalg.eigvalsh(data.covariance) > 0)
    again = hidden_symmetry("dihedral(12)", n_samples=50, rng=7)
    np.testing.assert_array_equal(data.X, again.X)  # reproducible


def test_hidden_symmetry_complex_and_errors():
    data = hidden_symmetry("cyclic(6)", n_samples=20000, complex_data=True, rng=0)
    S = data.X.conj().T @ data.X / 20000
    assert np.iscomplexobj(data.X)
    assert np.linalg.norm(S - data.covariance) / np.linalg.norm(data.covariance) < 0.05
    with pytest.raises(ValueError, match="correlation must lie in"):
        hidden_symmetry(correlation=1.5)
    with pytest.raises(ValueError, match="n_samples must be a positive int"):
        hidden_symmetry(n_samples=0)


def test_plot_discovery_writes_a_figure(tmp_path):
    G = algdiv.groups.dihedral(8)
    R = algdiv.reynolds(np.random.default_rng(0).standard_normal((8, 8)), G) + 3 * np.eye(8)
    path = tmp_path / "f.png"
    fig = plot_discovery(R, G, algdiv.matched_transform(G), path, title="t")
    assert path.stat().st_size > 5000
    assert fig.axes[3].get_title() == "spectrum by class (5 classes)"  # D_8: 5 eigenvalues
    with pytest.raises(ValueError, match="R is 4x4 but the group acts on 8 points"):
        plot_discovery(np.eye(4), G, algdiv.matched_transform(G))
