"""The trivial directions of the DC-GEVP without dense projectors equal the dense oracle.

The oracle below is the former implementation: one dense ``M²`` row per spectral
projector of ``R``, ``T_c = P_c / √|c|``, and the Gram matrix and generators corrected
with those rows.  The ``O(M²)``-memory path must give the same eigenvalues (the
certificate) and the same generators.
"""

import numpy as np
import pytest
import scipy.linalg
from numpy.testing import assert_allclose
from scipy import sparse

from algdiv import reynolds
from algdiv.discovery import bases, dc_gevp
from algdiv.discovery.gevp import _clusters, _Problem, _read_basis
from algdiv.groups import cyclic, dihedral, direct_product, relabel


def oracle_trivial_rows(r):
    """Orthonormal ``(t, M²)`` rows spanning the polynomials in ``R`` (the former code)."""
    w, v = np.linalg.eigh(r)
    scale = float(np.max(np.abs(w), initial=0.0))
    rows = []
    for idx in _clusters(w, scale):
        p = v[:, idx] @ np.conj(v[:, idx].T)
        rows.append(p.ravel() / np.sqrt(idx.size))
    return np.array(rows)


def oracle_eigenvalues(r, basis):
    """Eigenvalues of ``D c = λ N c`` with the trivial directions removed, densely."""
    m = r.shape[0]
    flat, cplx = _read_basis(basis, m)
    flat = flat.toarray() if sparse.issparse(flat) else flat
    cplx = cplx or np.iscomplexobj(r)
    if cplx:
        r, flat = r.astype(complex), flat.astype(complex)
    b = flat.reshape(-1, m, m)
    comm = (r @ b - b @ r).reshape(len(b), -1)
    dmat = np.conj(comm) @ comm.T
    triv = oracle_trivial_rows(r)
    if not cplx:
        triv = triv.real
    w_tb = np.conj(triv) @ flat.T
    nmat = np.conj(flat) @ flat.T - np.conj(w_tb.T) @ w_tb
    nmat = (nmat + np.conj(nmat.T)) / 2
    mu, q = scipy.linalg.eigh(nmat)
    keep = mu > 1e-10 * mu[-1] * max(1, len(b)) ** 0.5
    t = q[:, keep] / np.sqrt(mu[keep])
    dt = np.conj(t.T) @ dmat @ t
    return np.maximum(scipy.linalg.eigvalsh((dt + np.conj(dt.T)) / 2), 0.0), triv, w_tb


def invariant(G, rng, complex_=False):
    a = rng.standard_normal((G.degree, G.degree))
    if complex_:
        a = a + 1j * rng.standard_normal(a.shape)
    return reynolds(a @ np.conj(a.T) / G.degree + np.eye(G.degree), G)


CASES = [
    ("dihedral", lambda: dihedral(12)),
    ("cyclic", lambda: cyclic(9)),
    ("product", lambda: direct_product(cyclic(3), dihedral(4))),
]


@pytest.mark.parametrize("name, build", CASES)
@pytest.mark.parametrize("complex_", [False, True])
@pytest.mark.parametrize("sparse_format", [False, True])
def test_certificate_equals_dense_projector_oracle(name, build, complex_, sparse_format):
    rng = np.random.default_rng(11)
    G = build()
    G = relabel(G, rng.permutation(G.degree))
    R = invariant(G, rng, complex_)
    # Generators of the group (commute) plus random permutations (do not).
    perms = list(G.generators) + [rng.permutation(G.degree) for _ in range(4)]
    basis = bases.permutations(perms, sparse_format=sparse_format)
    res = dc_gevp(R, basis, exclude_trivial=True)
    lam, _, _ = oracle_eigenvalues(R, basis)
    scale = np.linalg.norm(R) ** 2
    assert res.eigenvalues.shape == lam.shape
    assert_allclose(res.eigenvalues, lam, rtol=1e-8, atol=1e-12 * scale)


@pytest.mark.parametrize("complex_", [False, True])
def test_certificate_with_a_degenerate_spectrum_and_identity_in_the_span(complex_):
    # R = I + low-rank: one big cluster; the identity (a polynomial in R) is in the span.
    rng = np.random.default_rng(3)
    m = 10
    u = rng.standard_normal((m, 2)) + (1j * rng.standard_normal((m, 2)) if complex_ else 0)
    R = np.eye(m) + u @ np.conj(u.T)
    basis = list(bases.shifts(m)) + [np.eye(m), rng.standard_normal((m, m))]
    res = dc_gevp(R, np.array(basis), exclude_trivial=True)
    lam, _, _ = oracle_eigenvalues(R, np.array(basis))
    assert_allclose(res.eigenvalues, lam, rtol=1e-8, atol=1e-12 * np.linalg.norm(R) ** 2)


@pytest.mark.parametrize("sparse_format", [False, True])
def test_generators_equal_dense_projector_oracle(sparse_format):
    rng = np.random.default_rng(5)
    G = relabel(dihedral(10), rng.permutation(10))
    R = invariant(G, rng)
    perms = list(G.generators) + [rng.permutation(10) for _ in range(3)]
    basis = bases.permutations(perms, sparse_format=sparse_format)
    prob = _Problem(R, basis, exclude_trivial=True)
    _, triv, w_tb = oracle_eigenvalues(R, basis)
    assert_allclose(prob.w_tb, w_tb, rtol=1e-8, atol=1e-12)
    coef = rng.standard_normal((len(perms), 3))
    flat = np.asarray(basis.toarray() if sparse.issparse(basis) else np.array(
        [b.toarray() if sparse.issparse(b) else b for b in basis])).reshape(len(perms), -1)
    expected = (coef.T @ flat - (w_tb @ coef).T @ triv).reshape(3, 10, 10)
    assert_allclose(prob.matrices(coef), expected, rtol=1e-8, atol=1e-12)
    # The trivial part is really gone: every generator is orthogonal to I, R, R².
    for g in prob.matrices(coef):
        for p in (np.eye(10), R, R @ R):
            assert abs(np.vdot(p, g)) < 1e-9 * np.linalg.norm(p) * np.linalg.norm(g)


def test_large_dense_permutation_stack_takes_the_sparse_path_with_the_same_answer():
    # 26 permutation matrices of size 300: more than 2**21 entries, 1/300 of them nonzero.
    rng = np.random.default_rng(8)
    G = relabel(dihedral(300), rng.permutation(300))
    R = invariant(G, rng)
    perms = list(G.generators) + [rng.permutation(300) for _ in range(24)]
    dense = bases.permutations(perms)
    flat, _ = _read_basis(dense, 300)
    assert sparse.issparse(flat)
    res = dc_gevp(R, dense, exclude_trivial=True)
    lam, _, _ = oracle_eigenvalues(R, dense)
    assert_allclose(res.eigenvalues, lam, rtol=1e-8, atol=1e-12 * np.linalg.norm(R) ** 2)
    assert res.null_dim >= 1 and res.residual < 1e-10
