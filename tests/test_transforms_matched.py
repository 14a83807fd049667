"""Matched transforms: the facts of SPEC §3 for catalogue and generic groups."""

from __future__ import annotations

import numpy as np
import pytest

from algdiv import matched_transform, resolution, reynolds
from algdiv.groups import (
    affine,
    cyclic,
    dihedral,
    direct_product,
    elementary_abelian,
    from_generators,
    iterated_wreath,
    relabel,
    semidirect_product,
    symmetric,
    trivial,
    wreath_product,
)
from algdiv.transforms import identity, klt, kron
from algdiv.transforms._transform import _structure_residual

CATALOGUE = [
    trivial(1),
    trivial(5),
    cyclic(1),
    cyclic(2),
    cyclic(7),
    cyclic(12),
    dihedral(5),
    dihedral(8),
    dihedral(9),
    elementary_abelian(0),
    elementary_abelian(3),
    elementary_abelian(5),
    iterated_wreath([2]),
    iterated_wreath([2, 2, 2]),
    iterated_wreath([2] * 5),
    iterated_wreath([3, 4]),
    iterated_wreath([2, 3, 2]),
    symmetric(2),
    symmetric(6),
    affine(11),
    direct_product(cyclic(4), dihedral(5)),
    direct_product(elementary_abelian(2), cyclic(3), symmetric(3)),
    relabel(dihedral(6), [3, 1, 0, 5, 2, 4]),
]
def regular(G):
    """The left-regular action of a small group on its own elements."""
    elems = G.elements()
    index = {e.tobytes(): k for k, e in enumerate(elems)}
    gens = [[index[g[h].tobytes()] for h in elems] for g in G.generators]
    return from_generators(gens)


S3_REGULAR = regular(symmetric(3))  # the 2-dim irrep with multiplicity 2

# The quaternion group acting on itself (left multiplication by i and j on
# ±1, ±i, ±j, ±k): its 2-dim irrep is of quaternionic type, with multiplicity 2.
Q8_REGULAR = from_generators([[2, 3, 1, 0, 6, 7, 5, 4], [4, 5, 7, 6, 1, 0, 2, 3]])

INTRANSITIVE = from_generators([[1, 0, 2, 3, 4, 5], [0, 1, 3, 4, 2, 5]])  # orbits 2+3+1

GENERIC = [
    S3_REGULAR,
    regular(dihedral(4)),
    Q8_REGULAR,
    wreath_product(cyclic(3), symmetric(3)),
    wreath_product(cyclic(4), symmetric(4)),
    wreath_product(symmetric(3), cyclic(4)),
    iterated_wreath([3, 2]),
    iterated_wreath([2, 3], node_group="cyclic"),
    semidirect_product(cyclic(7), cyclic(3), [[(2 * x) % 7 for x in range(7)]]),
    INTRANSITIVE,
    direct_product(cyclic(3), trivial(2)),
    relabel(wreath_product(cyclic(3), symmetric(2)), [4, 0, 5, 2, 1, 3]),
]


def random_invariant(G, rng, complex_=True):
    """Reynolds average of a random Hermitian positive definite matrix."""
    m = G.degree
    a = rng.standard_normal((m, m))
    if complex_:
        a = a + 1j * rng.standard_normal((m, m))
    return reynolds(a @ np.conj(a.T) + m * np.eye(m), G)


def ids(groups):
    return [g.short_name + f"@{g.degree}" for g in groups]


@pytest.mark.parametrize("G", CATALOGUE + GENERIC, ids=ids(CATALOGUE + GENERIC))
@pytest.mark.parametrize("method", ["auto", "generic"])
def test_unitary_and_block_diagonalizes_invariant_covariances(G, method, rng):
    T = matched_transform(G, method=method)
    u = T.matrix
    m = G.degree
    assert u.shape == (m, m)
    assert np.abs(np.conj(u.T) @ u - np.eye(m)).max() < 1e-12
    for complex_ in (False, True):
        C = random_invariant(G, rng, complex_)
        d = np.conj(u.T) @ C @ u
        # off-block energy (and the kron(B, I) pattern inside blocks) below 1e-10 relative
        assert _structure_residual(d, T.blocks) < 1e-10 * np.linalg.norm(C)
        assert T.block_residual(C) < 1e-10
    # a generic (non-invariant) matrix is NOT block diagonalized unless the
    # structure is trivial (one block holding everything as multiplicities)
    if G.order > 1:
        a = rng.standard_normal((m, m))
        assert T.block_residual(a + a.T) > 1e-3


@pytest.mark.parametrize("G", CATALOGUE + GENERIC, ids=ids(CATALOGUE + GENERIC))
def test_block_structure_counts_match_the_commutant(G):
    T = matched_transform(G)
    # dim C(G) = Σ m_ρ², M = Σ m_ρ d_ρ, and classes = Σ m_ρ
    assert sum(b.multiplicity**2 for b in T.blocks) == G.n_pair_orbits
    assert sum(b.multiplicity * b.dim for b in T.blocks) == G.degree
    assert len(T.eigenvalue_classes) == sum(b.multiplicity for b in T.blocks) == resolution(G)
    # the catalogue and the generic derivation see the same irreps
    G2 = matched_transform(G, method="generic")
    assert sorted((b.dim, b.multiplicity) for b in T.blocks) == sorted(
        (b.dim, b.multiplicity) for b in G2.blocks
    )


@pytest.mark.parametrize("G", CATALOGUE + GENERIC, ids=ids(CATALOGUE + GENERIC))
def test_fast_forward_equals_dense_and_round_trips(G, rng):
    T = matched_transform(G)
    m = G.degree
    x = rng.standard_normal((3, m)) + 1j * rng.standard_normal((3, m))
    u = T.matrix
    y = T.forward(x)
    np.testing.assert_allclose(y, x @ np.conj(u), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(T.inverse(y), x, rtol=1e-10, atol=1e-12)
    # along another axis, with a batch on both sides
    X = rng.standard_normal((2, m, 4))
    Y = T.forward(X, axis=1)
    np.testing.assert_allclose(Y, np.einsum("km,amb->akb", np.conj(u.T), X), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(T.inverse(Y, axis=1), X, rtol=1e-10, atol=1e-12)


def test_multiplicity_free_means_diagonal(rng):
    for G in (cyclic(9), dihedral(10), iterated_wreath([2] * 4), affine(13), wreath_product(cyclic(3), symmetric(3))):
        T = matched_transform(G)
        assert T.multiplicity_free and T.diagonalizes
        C = random_invariant(G, rng)
        d = T.block_diagonalize(C)
        off = d - np.diag(np.diag(d))
        assert np.linalg.norm(off) < 1e-10 * np.linalg.norm(C)
        # columns of one class share their eigenvalue
        ev = T.spectrum(C)
        for cls in T.eigenvalue_classes:
            assert np.ptp(ev[cls]) < 1e-10 * np.abs(ev).max()


@pytest.mark.parametrize(
    "G",
    [trivial(6), S3_REGULAR, Q8_REGULAR, INTRANSITIVE, direct_product(cyclic(3), trivial(2))],
    ids=["trivial", "S3regular", "Q8regular", "intransitive", "Z3xTrivial"],
)
def test_hierarchical_kl_diagonalizes_R_inside_multiplicity_blocks(G, rng):
    T0 = matched_transform(G)
    assert not T0.multiplicity_free
    R = random_invariant(G, rng)
    T = matched_transform(G, R)
    assert T.diagonalizes and not T.multiplicity_free
    d = T.block_diagonalize(R)
    assert np.linalg.norm(d - np.diag(np.diag(d))) < 1e-10 * np.linalg.norm(R)
    # its eigenvalues are R's, with the irrep dimensions as multiplicities
    ev = np.sort(T.spectrum(R))
    np.testing.assert_allclose(ev, np.linalg.eigvalsh(R), rtol=1e-10, atol=1e-10 * np.abs(ev).max())
    # it still block-diagonalizes every other invariant covariance
    assert T.block_residual(random_invariant(G, rng)) < 1e-10


def test_trivial_group_with_R_is_the_KLT(rng):
    a = rng.standard_normal((6, 6))
    R = a @ a.T
    T = matched_transform(trivial(6), R)
    w, v = np.linalg.eigh(R)
    np.testing.assert_allclose(T.spectrum(R), w[::-1], rtol=1e-10, atol=1e-10)
    # same eigenvectors up to sign, in decreasing order of eigenvalue
    np.testing.assert_allclose(np.abs(T.matrix), np.abs(v[:, ::-1]), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(klt(R).matrix, T.matrix, rtol=1e-10, atol=1e-10)
    assert identity(6).n_classes == 6 and T.name == "KLT"


def test_same_group_other_generators_is_recognized():
    x = np.arange(12.0)
    G = from_generators([[(i + 5) % 12 for i in range(12)]])
    assert G.construction is None
    T = matched_transform(G)
    assert T.name == "DFT"
    np.testing.assert_allclose(
        T.forward(x), matched_transform(cyclic(12)).forward(x), rtol=1e-10, atol=1e-10
    )
    # Z_2^3 given by other generators: the XOR action by 3, 5, 7
    H = from_generators([[i ^ g for i in range(8)] for g in (3, 5, 7)])
    assert matched_transform(H).name == "WHT"
    # the binary tree by generators
    W = iterated_wreath([2, 2, 2])
    assert matched_transform(from_generators(W.generators)).name == "Haar"
    # dihedral given by two reflections
    D = from_generators([[(-i) % 10 for i in range(10)], [(1 - i) % 10 for i in range(10)]])
    assert matched_transform(D).name == "DFT" and matched_transform(D).n_classes == 6
    # a 2-transitive group has the symmetric group's commutant
    assert resolution(affine(17)) == 2


def test_k_ary_trees_get_the_hierarchical_basis(rng):
    from algdiv.transforms import haar_coefficients, hierarchical

    T = matched_transform(iterated_wreath([3, 2, 4]))
    assert T.name == "hierarchical"
    assert [(b.dim, b.multiplicity) for b in T.blocks] == [(1, 1), (2, 1), (3, 1), (18, 1)]
    x = rng.standard_normal((2, 24))
    # level by level: the root's details are the DCT-II of the three subtree sums
    sums = x.reshape(2, 3, 8).sum(axis=-1) / np.sqrt(8)
    import scipy.fft

    np.testing.assert_allclose(
        T.forward(x)[:, 1:3], scipy.fft.dct(sums, norm="ortho")[:, 1:], rtol=1e-10, atol=1e-10
    )
    np.testing.assert_allclose(
        T.forward(x)[:, 0], x.sum(axis=1) / np.sqrt(24), rtol=1e-10, atol=1e-10
    )
    # binary trees: Haar exactly
    y = rng.standard_normal(16)
    np.testing.assert_allclose(
        hierarchical([2] * 4).forward(y), haar_coefficients(y), rtol=1e-10, atol=1e-10
    )
    with pytest.raises(ValueError, match="at least 2"):
        hierarchical([3, 1])


def test_direct_product_is_kronecker(rng):
    import scipy.fft

    G = direct_product(cyclic(4), cyclic(6))
    T = matched_transform(G)
    X = rng.standard_normal((5, 4, 6))
    np.testing.assert_allclose(
        T.forward(X.reshape(5, 24)),
        scipy.fft.fft2(X, norm="ortho").reshape(5, 24),
        rtol=1e-10,
        atol=1e-10,
    )
    u1, u2 = matched_transform(cyclic(4)).matrix, matched_transform(cyclic(6)).matrix
    np.testing.assert_allclose(T.matrix, np.kron(u1, u2), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(kron(T, T).matrix, np.kron(T.matrix, T.matrix), rtol=0, atol=1e-14)


def test_relabel_permutes_rows(rng):
    s = np.array([3, 1, 0, 5, 2, 4])
    G = relabel(cyclic(6), s)
    T = matched_transform(G)
    base = matched_transform(cyclic(6)).matrix
    P = np.zeros((6, 6))
    P[s, np.arange(6)] = 1  # P e_i = e_{s[i]}
    np.testing.assert_allclose(T.matrix, P @ base, rtol=1e-10, atol=1e-10)


def test_resolution_along_a_chain_of_groups():
    M = 16
    # blocks = residues mod 4 (point r + 4j is position j of block r), which D_16 preserves
    sigma = [r + 4 * j for r in range(4) for j in range(4)]
    chain = [
        trivial(M),
        cyclic(M),
        dihedral(M),
        relabel(wreath_product(dihedral(4), symmetric(4)), sigma),
        relabel(wreath_product(symmetric(4), symmetric(4)), sigma),
        symmetric(M),
    ]
    for small, big in zip(chain, chain[1:]):
        assert small.is_subgroup_of(big)
    res = [resolution(g) for g in chain]
    assert res[0] == M and res[-1] == 2
    assert res == sorted(res, reverse=True)
    assert res == [16, 16, 9, 4, 3, 2]  # D_4 wr S_4: 1 + 3 + 4 + 8


def test_irrep_types_real_complex_quaternionic():
    # real type only: a real basis; complex or quaternionic irreps: a complex one
    assert not np.iscomplexobj(matched_transform(S3_REGULAR).matrix)
    assert np.iscomplexobj(matched_transform(wreath_product(cyclic(3), symmetric(3))).matrix)
    T = matched_transform(Q8_REGULAR)
    assert np.iscomplexobj(T.matrix)
    assert sorted((b.dim, b.multiplicity) for b in T.blocks) == [(1, 1)] * 4 + [(2, 2)]


def test_reproducible_and_rng_independent_structure():
    G = wreath_product(cyclic(4), symmetric(4))
    a = matched_transform(G, method="generic")
    b = matched_transform(G, method="generic")
    assert np.array_equal(a.matrix, b.matrix)
    c = matched_transform(G, method="generic", rng=np.random.default_rng(7))
    assert [(x.dim, x.multiplicity) for x in a.blocks] == [(x.dim, x.multiplicity) for x in c.blocks]


def test_generic_derivation_does_not_enumerate(monkeypatch):
    from algdiv.groups import PermutationGroup

    def refuse(self, limit=0):
        raise AssertionError("elements() was called")

    monkeypatch.setattr(PermutationGroup, "elements", refuse)
    G = wreath_product(cyclic(4), symmetric(8))  # order 4^8 * 8!
    T = matched_transform(G, method="generic")
    assert T.n_classes == 5


def test_bad_input():
    T = matched_transform(cyclic(4))
    with pytest.raises(ValueError, match="length 3 along axis"):
        T.forward(np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        T.forward(np.array([1.0, np.nan, 0.0, 0.0]))
    # (the one-pass check may overflow on its way: numpy's warnings are silenced here)
    with np.errstate(over="ignore", invalid="ignore"):
        with pytest.raises(ValueError, match="NaN"):
            T.inverse(np.array([1.0, np.inf, -np.inf, 0.0]))
        with pytest.raises(ValueError, match="NaN"):
            T.forward(np.array([1e308, 1e308, np.nan, 0.0]))
        T.forward(np.array([1e308, 1e308, 1e308, 0.0]))  # huge but finite is fine
    assert np.isnan(T.forward(np.array([1.0, np.nan, 0.0, 0.0]), check_finite=False)).all()
    with pytest.raises(ValueError, match="out of range"):
        T.forward(np.ones(4), axis=2)
    with pytest.raises(ValueError, match="Hermitian"):
        matched_transform(trivial(2), [[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="acts on 3 points"):
        matched_transform(trivial(3), np.eye(4))
    with pytest.raises(TypeError, match="PermutationGroup"):
        matched_transform(np.eye(3))
    with pytest.raises(ValueError, match="method"):
        matched_transform(cyclic(3), method="fast")
    x = np.ones(4)
    x.flags.writeable = False
    T.forward(x)  # never written to


def test_group_text_is_accepted():
    assert matched_transform("cyclic(8)").name == "DFT"


_SMALL = [
    lambda: cyclic(2),
    lambda: cyclic(3),
    lambda: dihedral(4),
    lambda: symmetric(3),
    lambda: trivial(2),
    lambda: elementary_abelian(1),
    lambda: iterated_wreath([2, 2]),
]


def _random_group(data_draw, st, depth=0):
    base = _SMALL[data_draw(st.integers(0, len(_SMALL) - 1))]()
    if depth >= 2 or not data_draw(st.booleans()):
        return base
    other = _random_group(data_draw, st, depth + 1)
    if base.degree * other.degree > 36:
        return base
    how = data_draw(st.sampled_from(["direct", "wreath"]))
    return direct_product(base, other) if how == "direct" else wreath_product(base, other)


def test_random_products_hypothesis():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=25, deadline=None, derandomize=True)
    @given(st.data())
    def check(data):
        G = _random_group(data.draw, st)
        rng = np.random.default_rng(0)
        for method in ("auto", "generic"):
            T = matched_transform(G, method=method)
            u = T.matrix
            assert np.abs(np.conj(u.T) @ u - np.eye(G.degree)).max() < 1e-12
            assert T.block_residual(random_invariant(G, rng)) < 1e-10
            assert sum(b.multiplicity**2 for b in T.blocks) == G.n_pair_orbits

    check()


@pytest.mark.parametrize(
    "G",
    [cyclic(8), dihedral(6), elementary_abelian(3), iterated_wreath([2, 2]), symmetric(5),
     trivial(3), direct_product(cyclic(3), cyclic(4)), relabel(cyclic(5), [2, 0, 4, 1, 3]),
     wreath_product(cyclic(3), symmetric(3))],
    ids=lambda g: g.short_name,
)
def test_transforms_pickle(G, rng):
    import pickle

    T = matched_transform(G)
    T2 = pickle.loads(pickle.dumps(T))
    x = rng.standard_normal(G.degree)
    np.testing.assert_allclose(T2.forward(x), T.forward(x), rtol=1e-10, atol=1e-10)
    assert [b.indices.tolist() for b in T2.blocks] == [b.indices.tolist() for b in T.blocks]


def test_large_catalogue_transforms_are_cheap_to_make():
    # nothing of size M (let alone M²) is built: M = 2^20 float64 entries would be 8 MiB
    # (the time it takes is a benchmark's business, not a unit test's)
    import tracemalloc

    G = direct_product(cyclic(1 << 10), cyclic(1 << 10))
    tracemalloc.start()
    try:
        T = matched_transform(G)
        assert T.multiplicity_free and T.n_classes == 1 << 20
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * (1 << 20)
    assert resolution(cyclic(1 << 20)) == 1 << 20  # (its generator alone has M entries)


def _catalogue_transforms():
    from algdiv.transforms import dct, dft, dst, haar, wht

    out = [dft(6), dft(7), wht(8), wht(8, "sequency"), haar(8)]
    out += [dct(5, t) for t in range(1, 9)] + [dst(5, t) for t in range(1, 9)]
    out += [matched_transform(g) for g in (symmetric(5), direct_product(cyclic(2), dihedral(3)),
                                           relabel(cyclic(5), [2, 0, 4, 1, 3]), trivial(3))]
    out += [matched_transform(wreath_product(cyclic(3), symmetric(2)))]  # dense, generic
    return out


@pytest.mark.parametrize("T", _catalogue_transforms(), ids=lambda t: f"{t.name}@{t.size}")
def test_every_nonfinite_input_is_refused(T):
    m = T.size
    bad_values = [np.nan, np.inf, -np.inf]
    with np.errstate(invalid="ignore", over="ignore"):
        for pos in range(m):
            for bad in bad_values:
                x = np.ones((3, m))
                x[1, pos] = bad
                with pytest.raises(ValueError, match="NaN or infinite"):
                    T.forward(x)
                with pytest.raises(ValueError, match="NaN or infinite"):
                    T.forward(x.T, axis=0)
                for one in (x[1].copy(), x[1] + 0.5j):  # the 1-D fast path, real and complex
                    with pytest.raises(ValueError, match="NaN or infinite"):
                        T.forward(one)
                with pytest.raises(ValueError, match="NaN or infinite"):
                    T.inverse(x)
            if m > 1:  # +inf and -inf in one signal
                x = np.zeros(m)
                x[pos], x[(pos + 1) % m] = np.inf, -np.inf
                with pytest.raises(ValueError, match="NaN or infinite"):
                    T.forward(x)
        # huge finite values are accepted
        big = np.full(m, 1e308)
        assert T.forward(big, check_finite=True).shape == (m,)
