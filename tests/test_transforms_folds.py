"""DCT/DST as dihedral folds: the restricted dihedral commutant and its matched transform."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.fft

from algdiv import matched_transform, reynolds
from algdiv.transforms import FOLD_KINDS, CommutantAlgebra, dct, dihedral_fold, dst
from algdiv.transforms.folds import dtt_matrix

SIZES = [1, 2, 3, 4, 5, 8, 13]


def cases():
    for kind in FOLD_KINDS:
        for m in SIZES:
            if kind == "dct1" and m < 2:
                continue
            yield kind, m


def scipy_matrix(kind, m):
    """Rows: basis functions.  scipy for types 1-4, algdiv's dense matrix for 5-8."""
    if int(kind[3]) > 4:
        return dtt_matrix(m, kind)
    fn = getattr(scipy.fft, kind[:3])
    return fn(np.eye(m), type=int(kind[3]), axis=0, norm="ortho")


@pytest.mark.parametrize("kind,m", list(cases()))
def test_fold_is_the_restriction_of_the_dihedral_commutant(kind, m, rng):
    F = dihedral_fold(m, kind)
    J = F.isometry
    L = F.period
    assert J.shape == (L, m)
    np.testing.assert_allclose(J.T @ J, np.eye(m), rtol=0, atol=1e-12)
    # the subspace V = range(J) obeys the reflections with their signs ...
    for a, eps in F.reflections:
        n = np.arange(L)
        np.testing.assert_allclose(J[(a - n) % L], eps * J, rtol=1e-10, atol=1e-10)
    # ... and every D_L-invariant matrix (Reynolds average) preserves it
    A = rng.standard_normal((L, L))
    C = reynolds(A + A.T, F.group)
    CJ = C @ J
    np.testing.assert_allclose(CJ, J @ (J.T @ CJ), rtol=1e-10, atol=1e-10)
    # the folded matrix is the element of the fold with the same r
    r = C[0, : L // 2 + 1]
    np.testing.assert_allclose(J.T @ C @ J, F.element(r), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("kind,m", list(cases()))
def test_scipy_transform_diagonalizes_every_folded_matrix(kind, m, rng):
    F = dihedral_fold(m, kind)
    T = scipy_matrix(kind, m)
    for _ in range(3):
        E = F.element(rng.standard_normal(F.period // 2 + 1))
        D = T @ E @ T.T
        assert np.linalg.norm(D - np.diag(np.diag(D))) < 1e-10 * np.linalg.norm(E)


@pytest.mark.parametrize("kind,m", list(cases()))
def test_matched_transform_of_the_fold_is_scipys(kind, m, rng):
    F = dihedral_fold(m, kind)
    T = matched_transform(F)
    x = rng.standard_normal((2, m))
    if int(kind[3]) <= 4:
        fn = getattr(scipy.fft, kind[:3])
        np.testing.assert_allclose(
            T.forward(x), fn(x, type=int(kind[3]), norm="ortho"), rtol=1e-10, atol=1e-12
        )
    np.testing.assert_allclose(T.forward(x), x @ scipy_matrix(kind, m).T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(T.matrix, scipy_matrix(kind, m).T, rtol=1e-10, atol=1e-12)
    # the generic derivation, which knows nothing of cosines, finds the same basis
    # up to the order and sign of the columns
    G = matched_transform(F, method="generic")
    overlap = np.abs(G.matrix.T @ T.matrix)
    np.testing.assert_allclose(np.sort(overlap, axis=1)[:, -1], 1.0, rtol=1e-10, atol=1e-8)
    assert G.multiplicity_free and G.n_classes == m


def test_dct2_fold_holds_toeplitz_plus_hankel(rng):
    m = 9
    # r is a covariance sequence on the circle of 2m points: r(k) = r(2m - k)
    r = rng.standard_normal(2 * m)
    r_sym = r.copy()
    r_sym[m + 1 :] = r[1:m][::-1]
    i, j = np.indices((m, m))
    R = r_sym[np.abs(i - j)] + r_sym[i + j + 1]
    D = scipy_matrix("dct2", m) @ R @ scipy_matrix("dct2", m).T
    assert np.linalg.norm(D - np.diag(np.diag(D))) < 1e-10 * np.linalg.norm(R)
    F = dihedral_fold(m, "dct2")
    np.testing.assert_allclose(F.element(r_sym[: m + 1]), R, rtol=1e-10, atol=1e-10)


def test_fold_as_commutant_algebra_and_errors():
    F = dihedral_fold(4, "DST-III")
    assert F.kind == "dst3" and F.dim == 4
    A = CommutantAlgebra(F.basis)
    assert A.dim == 4
    T = matched_transform(A)  # a plain algebra: generic path
    assert T.name == "generic" and T.multiplicity_free
    with pytest.raises(ValueError, match="type 1-8"):
        dihedral_fold(4, "dct9")
    with pytest.raises(ValueError, match="at least 2"):
        dihedral_fold(1, "dct1")
    with pytest.raises(TypeError):
        dihedral_fold(4.0, "dct2")
    with pytest.raises(ValueError, match="conjugate transposition"):
        CommutantAlgebra([np.triu(np.ones((3, 3)))])


# The textbook kernels of the odd-period types (Wikipedia / Britanak), unnormalized.
TEXTBOOK = {
    "dct5": lambda n, k, N: np.cos(np.pi / (N - 0.5) * n * k),
    "dct6": lambda n, k, N: np.cos(np.pi / (N - 0.5) * (n + 0.5) * k),
    "dct7": lambda n, k, N: np.cos(np.pi / (N - 0.5) * n * (k + 0.5)),
    "dct8": lambda n, k, N: np.cos(np.pi / (N + 0.5) * (n + 0.5) * (k + 0.5)),
    "dst5": lambda n, k, N: np.sin(np.pi / (N + 0.5) * (n + 1) * (k + 1)),
    "dst6": lambda n, k, N: np.sin(np.pi / (N + 0.5) * (n + 0.5) * (k + 1)),
    "dst7": lambda n, k, N: np.sin(np.pi / (N + 0.5) * (n + 1) * (k + 0.5)),
    "dst8": lambda n, k, N: np.sin(np.pi / (N - 0.5) * (n + 0.5) * (k + 0.5)),
}


@pytest.mark.parametrize("kind", sorted(TEXTBOOK))
@pytest.mark.parametrize("m", [2, 3, 6, 11])
def test_odd_period_types_are_the_textbook_kernels_up_to_positive_weights(kind, m):
    T = dtt_matrix(m, kind)
    np.testing.assert_allclose(T @ T.T, np.eye(m), rtol=1e-10, atol=1e-12)
    n, k = np.meshgrid(np.arange(m), np.arange(m))
    K = TEXTBOOK[kind](n, k, m)
    mask = np.abs(K) > 1e-8
    assert np.all(np.abs(T[~mask]) < 1e-12)
    ratio = np.where(mask, T / np.where(mask, K, 1.0), np.nan)
    # T = diag(a) K diag(b) with a, b > 0: the ratio is a positive rank-one table
    assert np.nanmin(ratio) > 0
    col = np.nanmean(ratio / np.nanmean(ratio, axis=1, keepdims=True), axis=0)
    row = np.nanmean(ratio / col[None, :], axis=1)
    np.testing.assert_allclose(
        np.where(mask, ratio, 0), np.where(mask, np.outer(row, col), 0), rtol=1e-10, atol=1e-10
    )
    # and the constructors give that matrix
    ctor = dct if kind.startswith("dct") else dst
    np.testing.assert_allclose(ctor(m, int(kind[3])).matrix, T.T, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("kind", sorted(TEXTBOOK))
@pytest.mark.parametrize("m", [1, 2, 7, 16, 33])
def test_fast_odd_period_kernels_equal_the_dense_matrix(kind, m, rng):
    ctor = dct if kind.startswith("dct") else dst
    T = ctor(m, int(kind[3]))
    D = dtt_matrix(m, kind)
    x = rng.standard_normal((2, m, 3)) + 1j * rng.standard_normal((2, m, 3))
    y = T.forward(x, axis=1)
    np.testing.assert_allclose(y, np.einsum("kn,anb->akb", D, x), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(T.inverse(y, axis=1), x, rtol=1e-10, atol=1e-12)
    xr = rng.standard_normal(m)
    assert not np.iscomplexobj(T.forward(xr))


def test_odd_period_kernels_are_fast_at_large_sizes(rng):
    T = dct(1 << 15, 7)  # a dense matrix would hold 2^30 entries
    x = rng.standard_normal(1 << 15)
    np.testing.assert_allclose(T.inverse(T.forward(x)), x, rtol=1e-10, atol=1e-10)
    assert np.isclose(np.linalg.norm(T.forward(x)), np.linalg.norm(x))
