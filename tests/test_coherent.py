"""Coherent closure, coherent configurations and their eigenmatrices (algdiv.coherent).

Facts checked: strongly regular graphs close to rank 3 (Shrikhande, the 4 x 4 rook's graph,
T(8) and the three Chang graphs, Latin-square graphs); automorphism orders from the literature
(Shrikhande 192, rook 1152, T(8) 8! = 40320, Chang 384 / 360 / 96) and, independently, from
networkx's isomorphism enumeration; Schurity; agreement with a naive exact 2-dimensional
Weisfeiler-Leman refinement; the axioms checked by brute force; the eigenmatrices against numpy's
eigenvalues and the orthogonality relations.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose

from algdiv import reynolds
from algdiv.coherent import (
    CoherentConfiguration,
    _check_counts,
    _check_products,
    _check_sorted,
    _is_coherent,
    coherent_closure,
)
from algdiv.groups import (
    cyclic,
    dihedral,
    direct_product,
    elementary_abelian,
    symmetric,
    wreath_product,
)

from . import _srg
from .conftest import same_partition

GRAPHS = {
    "shrikhande": _srg.shrikhande,
    "rook4": _srg.rook,
    "chang_matching": lambda: _srg.chang("matching"),
    "chang_C8": lambda: _srg.chang("C8"),
    "chang_C3+C5": lambda: _srg.chang("C3+C5"),
    "latin_cyclic5": lambda: _srg.latin_square_graph(_srg.CYCLIC_5),
    "latin_noncyclic5": lambda: _srg.latin_square_graph(_srg.NONCYCLIC_5),
}
# (srg parameters, |Aut|, pair orbits of Aut) -- orders: Brouwer & Van Maldeghem, Strongly
# regular graphs (2022); Shrikhande 192 and rook 4x4 = S_4 wr S_2 of order 2 * 24^2 = 1152.
FACTS = {
    "shrikhande": ((16, 6, 2, 2), 192, False),
    "rook4": ((16, 6, 2, 2), 1152, True),
    "chang_matching": ((28, 12, 6, 4), 384, False),
    "chang_C8": ((28, 12, 6, 4), 96, False),
    "chang_C3+C5": ((28, 12, 6, 4), 360, False),
    "latin_cyclic5": ((25, 12, 5, 6), None, None),
    "latin_noncyclic5": ((25, 12, 5, 6), None, None),
}


def naive_closure(pattern: np.ndarray) -> np.ndarray:
    """Exact 2-dimensional Weisfeiler-Leman with explicit multisets (test oracle)."""
    m = len(pattern)
    col = {(i, j): (int(pattern[i, j]), i == j) for i in range(m) for j in range(m)}
    n_classes = len(set(col.values()))
    while True:
        sig = {
            (i, j): (
                col[i, j],
                col[j, i],
                tuple(sorted((col[i, k], col[k, j]) for k in range(m))),
            )
            for i in range(m)
            for j in range(m)
        }
        names = {s: t for t, s in enumerate(sorted(set(sig.values())))}
        col = {p: (names[s],) for p, s in sig.items()}
        if len(names) == n_classes:
            break
        n_classes = len(names)
    return np.array([[col[i, j][0] for j in range(m)] for i in range(m)])


def brute_force_coherent(cells: np.ndarray) -> bool:
    """The axioms by loops over every pair and every middle point."""
    m = len(cells)
    r = int(cells.max()) + 1
    diag = {int(cells[i, i]) for i in range(m)}
    if any(cells[i, j] in diag for i in range(m) for j in range(m) if i != j):
        return False
    partner: dict[int, int] = {}
    for i, j in itertools.product(range(m), repeat=2):
        if partner.setdefault(int(cells[i, j]), int(cells[j, i])) != cells[j, i]:
            return False
    seen: dict[int, np.ndarray] = {}
    for i, j in itertools.product(range(m), repeat=2):
        h = np.zeros((r, r), dtype=int)
        for k in range(m):
            h[cells[i, k], cells[k, j]] += 1
        ref = seen.setdefault(int(cells[i, j]), h)
        if not np.array_equal(ref, h):
            return False
    return True


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_strongly_regular_graphs_close_to_rank_3(name):
    adj = GRAPHS[name]()
    params, order, schurian = FACTS[name]
    assert _srg.srg_parameters(adj) == params  # the constructions are what they claim
    cc = coherent_closure(adj)
    assert cc.rank == 3 and cc.is_homogeneous and cc.is_symmetric and cc.is_commutative
    assert same_partition(cc.cells, adj + 2 * np.eye(len(adj), dtype=int))
    if order is not None:
        G = cc.automorphism_group
        assert G.order == order
        assert cc.is_schurian is schurian
        assert (G.n_pair_orbits == 3) is schurian


def test_shrikhande_and_rook_are_cospectral_but_differ_in_aut():
    s, r = coherent_closure(_srg.shrikhande()), coherent_closure(_srg.rook())
    Ps, Qs = s.eigenmatrices()
    Pr, Qr = r.eigenmatrices()
    assert_allclose(Ps, Pr, atol=1e-9)
    assert_allclose(Qs, Qr, atol=1e-9)
    # the brief's count: Aut(Shrikhande) has 4 pair orbits (identity, adjacent, and the
    # non-adjacent pairs split in two), Aut(rook) 3
    assert s.automorphism_group.n_pair_orbits == 4
    assert r.automorphism_group.n_pair_orbits == 3


def test_cyclic_latin_square_graph_is_rank_3_noncyclic_is_not_schurian():
    cyc = coherent_closure(_srg.latin_square_graph(_srg.CYCLIC_5))
    non = coherent_closure(_srg.latin_square_graph(_srg.NONCYCLIC_5))
    assert cyc.is_schurian  # Z_5^2 translations, the rotations of the three parallel classes...
    assert not non.is_schurian
    assert non.automorphism_group.order < cyc.automorphism_group.order


@pytest.mark.parametrize("name", ["shrikhande", "rook4", "latin_noncyclic5"])
def test_automorphisms_against_networkx_enumeration(name):
    nx = pytest.importorskip("networkx")
    from networkx.algorithms.isomorphism import GraphMatcher

    adj = GRAPHS[name]()
    g = nx.from_numpy_array(adj)
    autos = [np.array([m[i] for i in range(len(adj))]) for m in GraphMatcher(g, g).isomorphisms_iter()]
    cc = coherent_closure(adj)
    assert len(autos) == cc.automorphism_group.order
    # pair orbits of the enumerated group: components of the graph (i,j) -> (p[i], p[j])
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    m = len(adj)
    src = np.arange(m * m)
    dst = np.concatenate([(p[:, None] * m + p[None, :]).ravel() for p in autos])
    graph = coo_array((np.ones(dst.size), (np.tile(src, len(autos)), dst)), shape=(m * m,) * 2)
    n_orbits = connected_components(graph, directed=False)[0]
    assert n_orbits == cc.automorphism_group.n_pair_orbits
    assert cc.is_schurian == (n_orbits == cc.rank)


def test_chang_graphs_are_not_T8_and_T8_is_rank_3():
    # different automorphism orders (T(8): S_8 of order 40320) prove non-isomorphism
    t8 = coherent_closure(_srg.triangular(8)[0])
    assert t8.is_schurian and t8.automorphism_group.order == 40320
    orders = {w: coherent_closure(_srg.chang(w)).automorphism_group.order
              for w in _srg.CHANG_SWITCHING_SETS}
    assert orders == {"matching": 384, "C8": 96, "C3+C5": 360}


def test_eigenmatrices_of_strongly_regular_graphs_match_numpy():
    for name in ("shrikhande", "chang_C8", "latin_noncyclic5"):
        adj = GRAPHS[name]()
        cc = coherent_closure(adj)
        P, Q = cc.eigenmatrices()
        m = len(adj)
        assert_allclose(P @ Q, m * np.eye(3), atol=1e-9)
        adj_cell = int(cc.cells[np.argwhere(adj == 1)[0][0], np.argwhere(adj == 1)[0][1]])
        w = np.linalg.eigvalsh(adj.astype(float))
        values, counts = np.unique(np.round(w, 8), return_counts=True)
        expected = dict(zip(values.tolist(), counts.tolist()))
        got = {round(float(P[j, adj_cell]), 8): round(float(Q[0, j])) for j in range(3)}
        assert got == expected


@pytest.mark.parametrize("seed", range(4))
def test_eigenmatrix_orthogonality_relations(seed):
    # a commutative scheme from a random abelian group's Cayley colouring, and Paley(13)
    rng = np.random.default_rng(seed)
    n = 9
    conn = rng.choice([1, 2], size=n)  # colour of each difference, symmetric in ±d
    conn = np.where(np.arange(n) == 0, 0, np.maximum(conn, conn[(-np.arange(n)) % n]))
    i = np.arange(n)
    cc = coherent_closure(conn[(i[None, :] - i[:, None]) % n])
    P, Q = cc.eigenmatrices()
    k = cc.cell_sizes / n  # valencies
    mult = Q[0]
    # Σ_j m_j P[j,a] conj(P[j,b]) = M k_a δ_ab   and   Q[0] = multiplicities, summing to M
    gram = np.einsum("j,ja,jb->ab", mult, P, P.conj())
    assert_allclose(gram, n * np.diag(k), atol=1e-8)
    assert_allclose(mult.sum(), n)
    assert_allclose(P[0], k)


def test_paley_tournament_is_commutative_not_symmetric():
    i = np.arange(7)
    tour = np.isin((i[None, :] - i[:, None]) % 7, [1, 2, 4]).astype(int)
    cc = coherent_closure(tour)
    assert cc.rank == 3 and cc.is_commutative and not cc.is_symmetric
    assert cc.n_symmetric_classes == 2
    P, Q = cc.eigenmatrices()
    assert np.iscomplexobj(P)
    assert_allclose(P @ Q, 7 * np.eye(3), atol=1e-9)
    # the non-trivial eigenvalues of the tournament matrix are (-1 ± i√7)/2
    vals = sorted(np.round(P[1:, int(cc.cells[0, 1])], 8).tolist(), key=lambda z: z.imag)
    assert_allclose(vals, [(-1 - 1j * np.sqrt(7)) / 2, (-1 + 1j * np.sqrt(7)) / 2], atol=1e-8)


@pytest.mark.parametrize("seed", range(6))
def test_closure_agrees_with_naive_weisfeiler_leman(seed):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(4, 9))
    pattern = rng.integers(0, 2 + seed % 3, size=(m, m))
    if seed % 2:
        pattern = np.maximum(pattern, pattern.T)  # undirected coloured graphs too
    cc = coherent_closure(pattern)
    assert same_partition(cc.cells, naive_closure(pattern))
    assert brute_force_coherent(np.asarray(cc.cells, dtype=int))


def test_closure_of_vertex_transitive_nonregular_cases():
    # the 6-cycle: the distance scheme; a path: its fibres separate ends from the middle
    i = np.arange(6)
    cyc = np.isin((i[:, None] - i[None, :]) % 6, [1, 5]).astype(int)
    assert coherent_closure(cyc).rank == 4
    path = (np.abs(i[:, None] - i[None, :]) == 1).astype(int)
    cc = coherent_closure(path)
    assert not cc.is_homogeneous
    assert cc.n_fibres == 3  # {0, 5}, {1, 4}, {2, 3}
    assert same_partition(cc.cells, naive_closure(path))
    with pytest.raises(ValueError, match="commutative association scheme"):
        cc.eigenmatrices()


@pytest.mark.parametrize(
    "G",
    [dihedral(8), cyclic(7), wreath_product(cyclic(3), symmetric(2)),
     direct_product(dihedral(4), cyclic(3)), elementary_abelian(3)],
    ids=["D8", "Z7", "Z3wrS2", "D4xZ3", "Z2^3"],
)
def test_group_orbital_configurations_are_their_own_closure(G, rng):
    cc = CoherentConfiguration.from_group(G)
    assert cc.rank == G.n_pair_orbits
    assert cc == coherent_closure(np.asarray(G.pair_orbits()))
    # a generic invariant matrix (complex, so that (i,j) and (j,i) differ) closes to it too
    A = rng.standard_normal((G.degree,) * 2) + 1j * rng.standard_normal((G.degree,) * 2)
    assert cc == coherent_closure(reynolds(A, G))
    assert cc.is_schurian
    assert_allclose(cc.project(A), reynolds(A, G), atol=1e-12)


def test_float_patterns_use_the_tolerance(rng):
    adj = _srg.shrikhande()
    R = 3 * np.eye(16) + 0.7 * adj + 0.2 * (1 - adj - np.eye(16))
    noisy = R + 1e-12 * rng.standard_normal(R.shape)
    assert coherent_closure(noisy).rank == 3  # default tol 1e-8 max|R|
    assert coherent_closure(noisy, tol=0.0).rank > 3


def test_projection_is_an_orthogonal_positive_projection(rng):
    cc = coherent_closure(_srg.chang("C8"))
    m = cc.degree
    A = rng.standard_normal((m, m)) + 1j * rng.standard_normal((m, m))
    B = rng.standard_normal((m, m))
    PA = cc.project(A)
    assert_allclose(cc.project(PA), PA, atol=1e-12)  # idempotent
    assert_allclose(np.vdot(cc.project(B), A), np.vdot(B, PA), atol=1e-10)  # self-adjoint
    assert cc.contains(PA) and not cc.contains(A)
    # positive: Wishart matrices stay positive semi-definite (a conditional expectation)
    for n in (1, 2, 5):
        X = rng.standard_normal((n, m)) + 1j * rng.standard_normal((n, m))
        S = X.T @ X.conj() / n
        PS = cc.project(S)
        assert_allclose(PS, PS.conj().T, atol=1e-12)
        assert np.linalg.eigvalsh(PS).min() > -1e-10
    # a batch of matrices at once
    stack = rng.standard_normal((3, m, m))
    assert_allclose(cc.project(stack), np.stack([cc.project(s) for s in stack]))
    # in the algebra: products of cell matrices stay in it (closure under products)
    mats = cc.matrices()
    for a, b in itertools.product(range(cc.rank), repeat=2):
        assert cc.contains(mats[a] @ mats[b])
    p = cc.intersection_numbers()
    assert_allclose(mats[1] @ mats[2], np.tensordot(p[1, 2], mats, axes=1))


def test_verification_methods_agree_and_reject():
    good = np.asarray(coherent_closure(_srg.chang("matching")).cells, dtype=np.int64)
    bad = _srg.chang("matching") + 2 * np.eye(28, dtype=np.int64)
    bad[0, 1] = bad[1, 0] = 3  # one pair in its own cell breaks the regularity
    bad = bad.astype(np.int64)
    for cells, want in ((good, True), (bad, False)):
        r = int(cells.max()) + 1
        assert _check_counts(cells, r) is want
        assert _check_sorted(cells, r) is want
        assert _check_products(cells, r) is want
        assert _is_coherent(cells) is want
    with pytest.raises(ValueError, match="not a coherent configuration"):
        CoherentConfiguration(bad)
    with pytest.raises(ValueError, match="every label"):
        CoherentConfiguration(np.array([[0, 2], [2, 0]]))
    with pytest.raises(TypeError, match="integer labels"):
        CoherentConfiguration(np.eye(2))


def test_cells_dtype_readonly_and_canonical_labels():
    cc = coherent_closure(_srg.shrikhande())
    assert cc.cells.dtype == np.uint8 and not cc.cells.flags.writeable
    assert cc.cells[0, 0] == 0 and cc.cells[0, 1] == 1
    assert repr(cc) == "<association scheme of rank 3 on 16 points>"
    big = coherent_closure(np.arange(400).reshape(20, 20))  # every pair its own cell
    assert big.rank == 400 and big.cells.dtype == np.uint16
    assert big.effective_dimension == 1.0


def test_input_validation():
    with pytest.raises(ValueError, match="square"):
        coherent_closure(np.ones((2, 3)))
    with pytest.raises(ValueError, match="NaN"):
        coherent_closure(np.array([[1.0, np.nan], [0.0, 1.0]]))
    with pytest.raises(TypeError, match="numeric"):
        coherent_closure(np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises(ValueError, match="tol"):
        coherent_closure(np.eye(3), tol=-1.0)
    R = np.eye(3)
    coherent_closure(R)
    assert np.array_equal(R, np.eye(3))  # not modified
    cc = coherent_closure(np.eye(3, dtype=int))
    with pytest.raises(ValueError, match="3 points"):
        cc.project(np.eye(4))


def test_matched_transform_diagonalizes_the_scheme_with_its_eigenspaces(rng):
    cc = coherent_closure(_srg.shrikhande())
    T = cc.matched_transform()
    U = T.matrix
    assert_allclose(U.conj().T @ U, np.eye(16), atol=1e-10)
    assert sorted(b.dim for b in T.blocks) == [1, 6, 9]
    assert all(b.multiplicity == 1 for b in T.blocks)
    R = cc.project(rng.standard_normal((16, 16)))
    R = R + R.T
    D = U.conj().T @ R @ U
    assert_allclose(D, np.diag(np.diag(D)), atol=1e-10)
    # the block projectors are the primitive idempotents E_j = (1/M) Σ_c Q[c, j] A_c
    P, Q = cc.eigenmatrices()
    E = np.einsum("cj,cxy->jxy", Q, cc.matrices()) / 16
    block_proj = sorted((U[:, b.indices] @ U[:, b.indices].conj().T for b in T.blocks),
                        key=lambda X: round(float(np.trace(X).real)))
    for Pj, Ej in zip(block_proj, sorted(E, key=lambda X: round(float(np.trace(X))))):
        assert_allclose(Pj, Ej, atol=1e-9)


def test_matched_transform_of_a_configuration_with_two_fibres(rng):
    # the path on 6 points: a non-commutative coherent algebra (3 fibres); given R the
    # multiplicity blocks are diagonalized from it, so U^H R U is diagonal
    i = np.arange(6)
    path = (np.abs(i[:, None] - i[None, :]) == 1).astype(int)
    cc = coherent_closure(path)
    R = cc.project(rng.standard_normal((6, 6)))
    R = R @ R.T + np.eye(6)
    T = cc.matched_transform(R)
    D = T.matrix.conj().T @ R @ T.matrix
    assert_allclose(D, np.diag(np.diag(D)), atol=1e-9)


@pytest.mark.parametrize("exact_cells", [0, 1000])
def test_hashed_and_exact_rounds_give_the_same_closure(monkeypatch, exact_cells):
    # every round hashed (then verified exactly), or every round counted exactly
    import algdiv.coherent as mod

    monkeypatch.setattr(mod, "_EXACT_CELLS", exact_cells)
    rng = np.random.default_rng(99)
    for _ in range(4):
        m = int(rng.integers(5, 9))
        pattern = rng.integers(0, 3, size=(m, m))
        assert same_partition(coherent_closure(pattern).cells, naive_closure(pattern))
    assert coherent_closure(_srg.shrikhande()).rank == 3
    G = dihedral(12)
    assert coherent_closure(np.asarray(G.pair_orbits())) == CoherentConfiguration.from_group(G)


def test_pickle_round_trip_keeps_the_partition_and_the_group():
    import pickle

    cc = coherent_closure(_srg.shrikhande())
    assert not cc.is_schurian  # computes and caches the automorphism group
    back = pickle.loads(pickle.dumps(cc))
    assert back == cc and back.automorphism_group.order == 192
    assert back.refines(cc) and cc.refines(coherent_closure(np.eye(16, dtype=int)))
    assert not coherent_closure(np.eye(16, dtype=int)).refines(cc)
