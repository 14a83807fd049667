"""Tree transforms of the hybrid wreaths against independent constructions (scipy, pywt, generic)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.fft as sfft
from scipy.linalg import hadamard

from algdiv import matched_transform
from algdiv.commutant import reynolds
from algdiv.groups import iterated_wreath
from algdiv.transforms import (
    fwht,
    haar,
    haar_coefficients,
    hierarchical,
    itree_coefficients,
    packet_tree,
    tree_coefficients,
    tree_transform,
)

CASES = [
    ([4, 4], "elementary_abelian"),
    ([2, 4], ["symmetric", "elementary_abelian"]),
    ([4, 2, 2], "elementary_abelian"),
    ([4, 4], ["cyclic", "elementary_abelian"]),
    ([3, 4, 2], ["dihedral", "cyclic", "symmetric"]),
    ([5, 3], ["cyclic", "dihedral"]),
    ([4, 6], "dihedral"),
    ([3, 3], "symmetric"),
    ([2, 8], ["cyclic", "elementary_abelian"]),
    ([6], "cyclic"),
]

#: The packet trees tested against pywt.WaveletPacket (listed in docs/transforms.md).
PACKET_BRANCHINGS = [[2, 2, 2], [8], [16], [4, 4], [2, 4], [4, 2], [2, 8], [8, 2], [4, 2, 2], [2, 2, 4], [4, 4, 2]]


def _names(branching, node_group):
    return [node_group] * len(branching) if isinstance(node_group, str) else list(node_group)


def _node_matrix(b: int, name: str) -> np.ndarray:
    """Rows = coefficients of the node transform on b children (from scipy only)."""
    if b == 2:
        return np.array([[1.0, 1.0], [1.0, -1.0]]) / np.sqrt(2)
    if name == "symmetric":
        return sfft.dct(np.eye(b), type=2, norm="ortho", axis=0)
    if name in ("cyclic", "dihedral"):
        return sfft.fft(np.eye(b), norm="ortho", axis=0)
    return hadamard(b) / np.sqrt(b)


def _explicit_basis(branching, node_group) -> np.ndarray:
    """The tree basis written out vector by vector: column (level, node, k) is the node
    transform's k-th function of the children, constant on each child's subtree."""
    names = _names(branching, node_group)
    m = int(np.prod(branching))
    cols = [np.ones(m) / np.sqrt(m)]
    n_nodes = 1
    for level, (b, name) in enumerate(zip(branching, names)):
        below = int(np.prod(branching[level + 1 :], dtype=np.int64))
        w = _node_matrix(b, name)
        for v in range(n_nodes):
            for k in range(1, b):
                col = np.zeros(m, dtype=complex)
                for c in range(b):
                    start = (v * b + c) * below
                    col[start : start + below] = np.conj(w[k, c]) / np.sqrt(below)
                cols.append(col)
        n_nodes *= b
    return np.array(cols).T


def _random_invariant(G, rng) -> np.ndarray:
    m = G.degree
    a = rng.standard_normal((m, m)) + 1j * rng.standard_normal((m, m))
    return reynolds(a @ a.conj().T, G)


def _projectors(u: np.ndarray, blocks) -> list[np.ndarray]:
    return [u[:, b.indices] @ u[:, b.indices].conj().T for b in blocks]


@pytest.mark.parametrize("branching, node_group", CASES)
def test_matrix_equals_the_explicit_tree_basis(branching, node_group):
    T = tree_transform(branching, node_group)
    np.testing.assert_allclose(T.matrix, _explicit_basis(branching, node_group), rtol=0, atol=1e-12)


@pytest.mark.parametrize("branching, node_group", CASES)
def test_diagonalizes_every_invariant_covariance_with_the_group_s_classes(branching, node_group, rng):
    G = iterated_wreath(branching, node_group)
    T = tree_transform(branching, node_group)
    u = T.matrix
    np.testing.assert_allclose(u.conj().T @ u, np.eye(G.degree), rtol=1e-9, atol=1e-12)
    # Multiplicity free (a Gelfand pair): as many classes as pair orbits.
    assert T.n_classes == len(T.blocks) == G.n_pair_orbits
    assert T.multiplicity_free
    for _ in range(2):
        R = _random_invariant(G, rng)
        D = T.block_diagonalize(R)
        np.testing.assert_allclose(D - np.diag(np.diag(D)), 0, atol=1e-10 * np.abs(R).max())
        assert T.block_residual(R) < 1e-12
        # The eigenvalue classes are the resolution of the group: R's distinct eigenvalues
        # are one per block, and a random invariant R has them all distinct.
        per_block = [np.ptp(np.diag(D)[b.indices].real) for b in T.blocks]
        assert max(per_block) < 1e-10 * np.abs(R).max()
        means = sorted(np.diag(D)[b.indices].real.mean() for b in T.blocks)
        assert np.min(np.diff(means)) > 1e-6


@pytest.mark.parametrize("branching, node_group", CASES)
def test_same_eigenspaces_as_the_generic_derivation(branching, node_group):
    G = iterated_wreath(branching, node_group)
    T = tree_transform(branching, node_group)
    g = matched_transform(G, method="generic")
    mine = _projectors(T.matrix, T.blocks)
    theirs = _projectors(g.matrix, g.blocks)
    assert len(mine) == len(theirs)
    for p in theirs:
        assert sum(np.allclose(p, q, atol=1e-9) for q in mine) == 1


@pytest.mark.parametrize("branching", PACKET_BRANCHINGS)
def test_walsh_levels_are_haar_wavelet_packet_bases(branching):
    pywt = pytest.importorskip("pywt")
    T = tree_transform(branching, "elementary_abelian")
    m = T.size
    tree = packet_tree(branching)
    packets = []
    for path in tree:
        a = np.array(
            [pywt.WaveletPacket(e, "haar", mode="periodization", maxlevel=len(path))[path].data for e in np.eye(m)]
        ).T  # analysis operator of the packet node, orthonormal rows
        packets.append(a.T @ a)
    assert sum(np.trace(p) for p in packets) == pytest.approx(m)
    mine = _projectors(T.matrix, T.blocks)
    assert len(mine) == len(packets)
    for p in packets:
        assert sum(np.allclose(p, q, atol=1e-10) for q in mine) == 1


def test_symmetric_levels_are_unions_of_packet_nodes():
    pywt = pytest.importorskip("pywt")
    # S_4 on the four children of each node at the leaf level: its one class is the
    # span of the three packet nodes ad, da, dd; the root level is Haar.
    T = tree_transform([2, 4], ["symmetric", "symmetric"])
    u = T.matrix
    proj = {}
    for path in ("aaa", "aad", "ad", "da", "dd"):
        a = np.array([pywt.WaveletPacket(e, "haar", mode="periodization")[path].data for e in np.eye(8)]).T
        proj[path] = a.T @ a
    blocks = _projectors(u, T.blocks)
    assert len(blocks) == 3
    np.testing.assert_allclose(blocks[2], proj["ad"] + proj["da"] + proj["dd"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(blocks[1], proj["aad"], rtol=1e-9, atol=1e-12)


def test_packet_tree_leaves():
    assert packet_tree([2, 2, 2]) == ["aaa", "aad", "ad", "d"]
    assert packet_tree([4, 4]) == ["aaaa", "aaad", "aada", "aadd", "ad", "da", "dd"]
    assert packet_tree([8]) == ["aaa"] + [w for w in (a + b + c for a in "ad" for b in "ad" for c in "ad") if w != "aaa"]


def test_special_cases_equal_the_classical_kernels(rng):
    x = rng.standard_normal((3, 16))
    np.testing.assert_allclose(tree_coefficients(x, [2] * 4), haar_coefficients(x), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(tree_coefficients(x, [2] * 4, "cyclic"), haar_coefficients(x), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(tree_coefficients(x, [16], "elementary_abelian"), fwht(x), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(tree_coefficients(x, [16], "cyclic"), sfft.fft(x, norm="ortho"), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(tree_coefficients(x, [16]), sfft.dct(x, norm="ortho"), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(tree_transform([4, 2, 2]).matrix, hierarchical([4, 2, 2]).matrix, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(tree_transform([2, 2, 2, 2], "elementary_abelian").matrix, haar(16).matrix, rtol=1e-9, atol=1e-12)
    # One Walsh level below a Haar step: the first coefficients are the Haar ones.
    y = tree_coefficients(x, [2, 8], "elementary_abelian")
    np.testing.assert_allclose(y[:, :2], haar_coefficients(x)[:, :2], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("branching, node_group", CASES)
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_round_trip_along_any_axis_and_forward_is_u_h(branching, node_group, axis, rng):
    m = int(np.prod(branching))
    shape = [3, 2, 4]
    shape[axis] = m
    x = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    keep = x.copy()
    T = tree_transform(branching, node_group)
    y = T.forward(x, axis=axis)
    np.testing.assert_array_equal(x, keep)
    expected = np.moveaxis(np.moveaxis(x, axis, -1) @ T.matrix.conj(), -1, axis)
    np.testing.assert_allclose(y, expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(T.inverse(y, axis=axis), x, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(itree_coefficients(tree_coefficients(x, branching, node_group, axis), branching, node_group, axis), x, rtol=1e-9, atol=1e-12)


def test_real_input_stays_real_without_fourier_levels(rng):
    x = rng.standard_normal(32)
    assert tree_coefficients(x, [4, 8], ["symmetric", "elementary_abelian"]).dtype == np.float64
    assert tree_coefficients(x, [4, 8], ["cyclic", "elementary_abelian"]).dtype == np.complex128
    # A real signal's Fourier level: conjugate-symmetric details, real synthesis.
    back = itree_coefficients(tree_coefficients(x, [4, 8], ["cyclic", "dihedral"]), [4, 8], ["cyclic", "dihedral"])
    np.testing.assert_allclose(back.imag, 0, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(back.real, x, rtol=1e-9, atol=1e-12)


def test_nan_is_refused():
    T = tree_transform([4, 4], "elementary_abelian")
    x = np.zeros(16)
    x[7] = np.nan
    with pytest.raises(ValueError):
        T.forward(x)
    with pytest.raises(ValueError):
        tree_coefficients(x, [4, 4])


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: tree_coefficients(np.zeros(12), [4, 4]), ValueError, "16 leaves"),
        (lambda: itree_coefficients(np.zeros(12), [4, 4]), ValueError, "16 leaves"),
        (lambda: tree_transform([3, 4], "elementary_abelian"), ValueError, "power-of-two"),
        (lambda: tree_transform([3, 4], ["cyclic"]), ValueError, "one group per level"),
        (lambda: tree_transform([3, 1]), ValueError, r"branching\[1\] must be at least 2"),
        (lambda: tree_transform([]), ValueError, "at least one level"),
        (lambda: tree_transform("44"), TypeError, "branching must be a sequence"),
        (lambda: tree_transform([4, 4], "walsh"), ValueError, "node_group must be one of"),
        (lambda: packet_tree([3]), ValueError, "power-of-two"),
    ],
)
def test_errors_name_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


def _random_specs(count: int, seed: int = 314):
    rng = np.random.default_rng(seed)
    names = ["symmetric", "cyclic", "dihedral", "elementary_abelian"]
    specs = []
    while len(specs) < count:
        depth = int(rng.integers(1, 4))
        levels, nodes = [], []
        for _ in range(depth):
            name = names[int(rng.integers(4))]
            b = int(rng.choice([2, 4, 8])) if name == "elementary_abelian" else int(rng.integers(2, 7))
            levels.append(b)
            nodes.append(name)
        if np.prod(levels) <= 64:
            specs.append((levels, nodes))
    return specs


@pytest.mark.parametrize("branching, node_group", _random_specs(16))
def test_random_hybrids_are_gelfand_pairs_diagonalized_by_the_tree_transform(branching, node_group, rng):
    G = iterated_wreath(branching, node_group)
    T = tree_transform(branching, node_group)
    assert T.n_classes == len(T.blocks) == G.n_pair_orbits
    R = _random_invariant(G, rng)
    D = T.block_diagonalize(R)
    np.testing.assert_allclose(D - np.diag(np.diag(D)), 0, atol=1e-10 * np.abs(R).max())
    assert T.block_residual(R) < 1e-12


def test_tree_transform_pickles(rng):
    import pickle

    T = tree_transform([4, 3, 2], ["elementary_abelian", "dihedral", "symmetric"])
    U = pickle.loads(pickle.dumps(T))
    x = rng.standard_normal((2, 24))
    np.testing.assert_allclose(U.forward(x), T.forward(x), atol=0)
    np.testing.assert_allclose(U.inverse(T.forward(x)), x, rtol=1e-9, atol=1e-12)
