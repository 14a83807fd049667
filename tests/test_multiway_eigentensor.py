"""The eigentensor hierarchy: per-mode matched transforms composed (Kronecker), applied mode-wise."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.fft
from numpy.testing import assert_allclose

from algdiv.commutant import reynolds
from algdiv.estimation import eigentensor_transform, modewise
from algdiv.groups import PermutationGroup, cyclic, dihedral, direct_product
from algdiv.transforms import dct, dft, haar


def _spd(rng, m, complex_=True):
    a = rng.standard_normal((m, m)) + (1j * rng.standard_normal((m, m)) if complex_ else 0)
    return a @ a.conj().T + np.eye(m)


def _off_block_energy(D, blocks):
    mask = np.zeros(D.shape, bool)
    for b in blocks:
        idx = b.indices
        mask[np.ix_(idx, idx)] = True
    return float(np.linalg.norm(D[~mask]))


@pytest.mark.parametrize("groups", [(cyclic(4), dihedral(5)), (dihedral(4), cyclic(3), cyclic(2))])
def test_diagonalizes_every_separable_invariant_covariance(groups):
    rng = np.random.default_rng(0)
    T = eigentensor_transform(groups)
    factors = [reynolds(_spd(rng, g.degree), g) for g in groups]
    R = factors[0]
    for f in factors[1:]:
        R = np.kron(R, f)
    U = T.matrix
    D = U.conj().T @ R @ U
    assert_allclose(D - np.diag(np.diag(D)), 0, atol=1e-10 * np.abs(D).max())
    assert_allclose(U.conj().T @ U, np.eye(R.shape[0]), atol=1e-12)


def test_block_diagonalizes_the_whole_product_commutant():
    """A random element of C(G1 x G2) (not separable) is block diagonal in the product blocks."""
    rng = np.random.default_rng(1)
    # multiplicity-free modes: the product is too, so the whole commutant is diagonal
    G1, G2 = cyclic(4), dihedral(5)
    C = reynolds(_spd(rng, 20), direct_product(G1, G2))
    D = eigentensor_transform([G1, G2]).matrix.conj().T @ C @ eigentensor_transform([G1, G2]).matrix
    assert_allclose(D - np.diag(np.diag(D)), 0, atol=1e-10 * np.abs(D).max())
    # a mode with multiplicities (Z_3 on two orbits of 3): blocks of size 2 remain
    H1 = PermutationGroup([np.array([1, 2, 0, 4, 5, 3])], 6)
    C = reynolds(_spd(rng, 24), direct_product(H1, G1))
    T = eigentensor_transform([H1, G1])
    D = T.matrix.conj().T @ C @ T.matrix
    assert _off_block_energy(D, T.blocks) < 1e-10 * np.linalg.norm(D)
    # and it is not diagonal (inside a multiplicity block the columns couple)
    assert np.linalg.norm(D - np.diag(np.diag(D))) > 1e-3 * np.linalg.norm(D)


def test_multiplicity_blocks_are_diagonalized_from_the_factors():
    """A mode with multiplicities (Z_3 on two orbits of 3): the KL step per mode diagonalizes."""
    rng = np.random.default_rng(2)
    G1 = PermutationGroup([np.array([1, 2, 0, 4, 5, 3])], 6)
    G2 = cyclic(4)
    A, B = reynolds(_spd(rng, 6), G1), reynolds(_spd(rng, 4), G2)
    plain = eigentensor_transform([G1, G2])
    assert not plain.multiplicity_free
    T = eigentensor_transform([G1, G2], factors=[A, None])
    R = np.kron(A, B)
    D = T.matrix.conj().T @ R @ T.matrix
    assert_allclose(D - np.diag(np.diag(D)), 0, atol=1e-9 * np.abs(D).max())
    # eigenvalues of A ⊗ B, as numpy finds them
    assert_allclose(np.sort(np.diag(D).real), np.linalg.eigvalsh(R), rtol=1e-9)


def test_modewise_equals_the_dense_kronecker_product():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((3, 4, 8, 5)) + 1j * rng.standard_normal((3, 4, 8, 5))
    ts = [dft(4), haar(8), dct(5)]
    U = np.kron(np.kron(ts[0].matrix, ts[1].matrix), ts[2].matrix)
    Y = modewise(X, ts)
    assert_allclose(Y.reshape(3, -1), X.reshape(3, -1) @ U.conj(), atol=1e-12)
    assert_allclose(modewise(Y, ts, inverse=True), X, atol=1e-12)
    # the composed transform's own forward does the same from the flat vectors
    T = eigentensor_transform([cyclic(4), cyclic(5)])
    Z = rng.standard_normal((2, 4, 5))
    assert_allclose(T.forward(Z.reshape(2, -1)), scipy.fft.fft2(Z, norm="ortho").reshape(2, -1))
    with pytest.raises(ValueError, match="k = 3 transforms"):
        modewise(X[:, :, :, 0], ts)


def test_eigentensor_errors():
    with pytest.raises(ValueError, match="pass shape="):
        eigentensor_transform(["cyclic", "cyclic"])
    with pytest.raises(ValueError, match="2 or 3 groups"):
        eigentensor_transform([cyclic(3)])
    T = eigentensor_transform(["cyclic", "dihedral"], shape=(3, 4))
    assert T.size == 12


def test_a_fold_algebra_per_mode_gives_the_2d_dct():
    from algdiv.transforms import dihedral_fold

    T = eigentensor_transform([dihedral_fold(4, "dct2"), dihedral_fold(5, "dct2")])
    x = np.random.default_rng(4).standard_normal((4, 5))
    assert_allclose(T.forward(x.ravel()), scipy.fft.dctn(x, norm="ortho").ravel(), atol=1e-12)
