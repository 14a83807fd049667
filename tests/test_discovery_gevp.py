"""DC-GEVP: λ_min = 0 iff a commuting generator lies in the span; exact path == dense path."""

import numpy as np
import pytest
import scipy.linalg
from scipy import sparse

from algdiv import reynolds
from algdiv.discovery import bases, dc_gevp
from algdiv.groups import cyclic, dihedral, direct_product, elementary_abelian, relabel
from algdiv.groups.permutations import permutation_matrix


def random_spd(m, rng, complex_=False):
    a = rng.standard_normal((m, m))
    if complex_:
        a = a + 1j * rng.standard_normal((m, m))
    return a @ np.conj(a.T) / m + np.eye(m)


def invariant(G, rng, complex_=False):
    return reynolds(random_spd(G.degree, rng, complex_), G)


def naive_dn(R, B):
    """D and N by loops over pairs (test oracle)."""
    d = len(B)
    comm = [R @ b - b @ R for b in B]
    D = np.array([[np.vdot(comm[j], comm[k]) for k in range(d)] for j in range(d)])
    N = np.array([[np.vdot(B[j], B[k]) for k in range(d)] for j in range(d)])
    return D, N


def rel_subspace_distance(A, B):
    """‖P_A − P_B‖ for the spans of the rows of A and B (flattened matrices)."""
    qa = scipy.linalg.orth(A.reshape(len(A), -1).T)
    qb = scipy.linalg.orth(B.reshape(len(B), -1).T)
    return np.linalg.norm(qa @ np.conj(qa.T) - qb @ np.conj(qb.T), 2)


# -- the mathematical facts ----------------------------------------------------------

@pytest.mark.parametrize("complex_", [False, True])
def test_certificate_vanishes_when_a_commuting_generator_is_in_the_span(rng, complex_):
    G = relabel(dihedral(8), rng.permutation(8))
    R = invariant(G, rng, complex_)
    others = [rng.permutation(8) for _ in range(10)]
    B = bases.permutations(list(G.generators) + others)
    res = dc_gevp(R, B)
    assert res.certificate / np.linalg.norm(R) ** 2 < 1e-10
    assert res.residual < 1e-10
    assert res.null_dim >= 1
    assert np.all(res.residuals < 1e-10)


def test_certificate_is_clearly_positive_and_a_lower_bound_when_none_commutes(rng):
    R = random_spd(7, rng)
    B = bases.shifts(7)
    res = dc_gevp(R, B)
    assert res.null_dim == 0
    assert res.certificate / np.linalg.norm(R) ** 2 > 1e-3
    # No generator in the span does better than λ_min; the minimizer attains it.
    for _ in range(200):
        c = rng.standard_normal(len(B))
        g = np.tensordot(c, B, axes=1)
        ratio = np.linalg.norm(R @ g - g @ R) ** 2 / np.linalg.norm(g) ** 2
        assert ratio >= res.certificate * (1 - 1e-12)
    g = res.generators[0]
    attained = np.linalg.norm(R @ g - g @ R) ** 2 / np.linalg.norm(g) ** 2
    assert attained == pytest.approx(res.certificate, rel=1e-9)


@pytest.mark.parametrize("complex_", [False, True])
def test_spectrum_equals_generalized_eigenproblem_built_by_loops(rng, complex_):
    m = 6
    R = random_spd(m, rng, complex_)
    B = rng.standard_normal((9, m, m))
    if complex_:
        B = B + 1j * rng.standard_normal((9, m, m))
    D, N = naive_dn(R, B)
    expected = scipy.linalg.eigh(D, N, eigvals_only=True)
    res = dc_gevp(R, B)
    np.testing.assert_allclose(res.eigenvalues, expected, rtol=1e-9, atol=1e-12)
    # Coefficients solve D c = λ N c.
    c = res.coefficients[:, 0]
    np.testing.assert_allclose(D @ c, res.certificate * (N @ c), atol=1e-9 * np.abs(D).max())


def test_redundant_basis_is_handled_and_changes_nothing(rng):
    R = invariant(cyclic(6), rng)
    B = bases.shifts(6)
    redundant = np.concatenate([B, B[:2] + B[2:4], 3 * B[:1]])  # singular Gram matrix
    assert np.linalg.matrix_rank(np.einsum("aij,bij->ab", redundant, redundant)) < len(redundant)
    a, b = dc_gevp(R, B), dc_gevp(R, redundant)
    assert b.rank == a.rank == 5
    np.testing.assert_allclose(a.eigenvalues, b.eigenvalues, atol=1e-10)
    assert a.null_dim == b.null_dim == 5


def test_sparse_list_and_dense_stack_agree(rng):
    R = random_spd(8, rng, complex_=True)
    dense = bases.transpositions(8)
    sp = bases.transpositions(8, sparse_format=True)
    assert sparse.issparse(sp[0])
    a, b, c = dc_gevp(R, dense), dc_gevp(R, sp), dc_gevp(R, list(dense))
    np.testing.assert_allclose(a.eigenvalues, b.eigenvalues, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(a.eigenvalues, c.eigenvalues, rtol=1e-10, atol=1e-12)
    assert rel_subspace_distance(a.generators, b.generators) < 1e-8


def test_complex_cyclic_covariance_commutes_with_shifts_but_not_reflections(rng):
    # A complex Hermitian circulant is invariant under Z_M but under no reflection; the
    # only commuting direction in the reflections' span is their sum, the all-ones matrix.
    R = invariant(cyclic(7), rng, complex_=True)
    assert dc_gevp(R, bases.shifts(7)).null_dim == 6
    refl = dc_gevp(R, bases.reflections(7))
    assert refl.null_dim == 1
    g = refl.generators[0]
    np.testing.assert_allclose(g / g[0, 0], np.ones((7, 7)), atol=1e-10)
    assert dc_gevp(R, bases.reflections(7)[:-1]).null_dim == 0


def test_generators_are_orthonormal_and_span_the_commuting_part(rng):
    G = direct_product(cyclic(3), cyclic(2))
    R = invariant(G, rng)
    res = dc_gevp(R, bases.permutations(G))
    # All 5 non-identity elements commute (an abelian regular group): null space = span.
    assert res.null_dim == 5
    g = res.generators.reshape(5, -1)
    np.testing.assert_allclose(g @ g.T, np.eye(5), atol=1e-10)
    assert rel_subspace_distance(res.generators, bases.permutations(G)) < 1e-8


# -- the exact path ------------------------------------------------------------------

@pytest.mark.parametrize(
    "kind,complex_", [("so", False), ("u", False), ("u", True), ("gl", False), ("gl", True)]
)
@pytest.mark.parametrize("exclude", [False, True])
def test_exact_path_equals_dense_path(rng, kind, complex_, exclude):
    m = 6
    # A degenerate spectrum (invariant under a group) makes the null space nontrivial.
    R = invariant(dihedral(m), rng, complex_)
    dictionary = getattr(bases, kind)(m)
    ex = dc_gevp(R, kind, exclude_trivial=exclude)
    de = dc_gevp(R, dictionary, exclude_trivial=exclude)
    assert ex.method == "exact" and de.method == "dense"
    np.testing.assert_allclose(ex.eigenvalues, de.eigenvalues, atol=1e-9 * np.linalg.norm(R) ** 2)
    assert ex.null_dim == de.null_dim
    assert rel_subspace_distance(ex.generators, de.generators) < 1e-7
    # Coefficients in the fixed dictionary order reproduce the generators.
    rebuilt = np.tensordot(ex.coefficients.T, dictionary, axes=1)
    if exclude and kind != "so":
        # the trivial part was projected out of the span: compare commutators instead
        rebuilt = rebuilt - ex.generators
        np.testing.assert_allclose(R @ rebuilt - rebuilt @ R, 0, rtol=1e-10, atol=1e-9)
    else:
        np.testing.assert_allclose(rebuilt, ex.generators, atol=1e-10)


def test_exact_spectrum_is_squared_eigenvalue_gaps(rng):
    R = random_spd(5, rng)
    w = np.linalg.eigvalsh(R)
    a, b = np.triu_indices(5, 1)
    np.testing.assert_allclose(dc_gevp(R, "so").eigenvalues, np.sort((w[a] - w[b]) ** 2))


def test_commutant_dimension_of_a_degenerate_matrix(rng):
    # dim {G : [R, G] = 0} = Σ m_c² over eigenvalue multiplicities; minus the trivial
    # directions (one spectral projector per distinct eigenvalue) with exclude_trivial.
    R = invariant(elementary_abelian(3), rng)
    w = np.linalg.eigvalsh(R)
    mult = np.unique(np.round(w, 8), return_counts=True)[1]
    res = dc_gevp(R, "gl")
    assert res.null_dim == int(np.sum(mult**2))
    assert dc_gevp(R, "gl", exclude_trivial=True).null_dim == int(np.sum(mult**2) - mult.size)
    # a generic matrix: only the trivial directions commute
    assert dc_gevp(random_spd(6, rng), "u", exclude_trivial=True).null_dim == 0
    assert dc_gevp(random_spd(6, rng), "u").null_dim == 6


def test_exclude_trivial_removes_identity_from_toeplitz(rng):
    R = random_spd(5, rng)
    assert dc_gevp(R, bases.toeplitz(5)).null_dim >= 1  # I is Toeplitz
    res = dc_gevp(R, bases.toeplitz(5), exclude_trivial=True)
    assert res.null_dim == 0 and res.rank == 8


def test_exact_path_scales_to_large_m(rng):
    a = rng.standard_normal((300, 300))
    R = a + a.T
    res = dc_gevp(R, "so")
    assert res.eigenvalues.size == 300 * 299 // 2
    assert res.generators.shape == (1, 300, 300)


def test_tol_counts_directions(rng):
    R = invariant(cyclic(8), rng) + 1e-4 * np.diag(rng.standard_normal(8))
    B = bases.shifts(8)
    assert dc_gevp(R, B).null_dim == 0
    assert dc_gevp(R, B, tol=1e-2).null_dim == 7


# -- bad input -----------------------------------------------------------------------

def test_bad_inputs_raise_clear_errors(rng):
    R = random_spd(4, rng)
    B = bases.shifts(4)
    with pytest.raises(ValueError, match="square"):
        dc_gevp(np.ones((3, 4)), B)
    with pytest.raises(ValueError, match="Hermitian"):
        dc_gevp(R + np.triu(np.ones((4, 4)), 1), B)
    bad = R.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        dc_gevp(bad, B)
    with pytest.raises(ValueError, match="4x4"):
        dc_gevp(R, bases.shifts(5))
    with pytest.raises(ValueError, match="R is 4x4"):
        dc_gevp(R, bases.shifts(5, sparse_format=True))
    nanb = B.copy()
    nanb[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        dc_gevp(R, nanb)
    with pytest.raises(ValueError, match="'so', 'u' or 'gl'"):
        dc_gevp(R, "sl")
    with pytest.raises(ValueError, match="real symmetric"):
        dc_gevp(random_spd(4, rng, complex_=True), "so")
    with pytest.raises(TypeError, match="basis"):
        dc_gevp(R, 3)
    with pytest.raises(ValueError, match="tol"):
        dc_gevp(R, B, tol=-1.0)
    with pytest.raises(ValueError, match="empty"):
        dc_gevp(R, [])
    R_in = R.copy()
    dc_gevp(R_in, B)
    np.testing.assert_array_equal(R_in, R)  # not modified


def test_permutation_dictionary_matches_permutation_matrix(rng):
    p = rng.permutation(5)
    B = bases.permutations([p])
    np.testing.assert_array_equal(B[0], permutation_matrix(p))


def test_single_generators_on_demand(rng):
    R = random_spd(6, rng)
    res = dc_gevp(R, "gl")  # null space: the 6 spectral projectors
    assert res.null_dim == 6
    g = res.generator(0)
    np.testing.assert_allclose(g, res.generators[0])
    far = res.generator(res.rank - 1)  # the least commuting direction
    ratio = np.linalg.norm(R @ far - far @ R) ** 2 / np.linalg.norm(far) ** 2
    assert ratio == pytest.approx(res.eigenvalues[-1])
    with pytest.raises(ValueError, match="must be in"):
        res.generator(res.rank)
