"""Tree transforms matched to the hybrid iterated wreaths: a node group per level.

``iterated_wreath(branching, node_group)`` (:func:`algdiv.groups.iterated_wreath`) is
the group of the rooted tree whose nodes at depth ``l`` have ``b_l`` children, permuted
by a node group ``N_l`` (symmetric, cyclic, dihedral or ``Z_2^k`` acting regularly).
Each ``N_l`` acts on the children without multiplicity (a Gelfand pair), and a wreath
product of Gelfand pairs is a Gelfand pair, so the matched transform diagonalizes every
invariant covariance.  It is the tree analysis that, level by level from the leaves,
transforms the children of every node by the matched transform of ``N_l``:

===================  ===========================  ======================================
node group           transform of the children    eigenvalue classes of a level
===================  ===========================  ======================================
``symmetric``        orthonormal DCT-II           one: all ``b - 1`` details
``cyclic``           unitary DFT                  one per frequency ``k = 1..b-1``
``dihedral``         unitary DFT                  one per pair ``{k, b - k}``
``elementary_abelian`` Walsh-Hadamard (natural)   one per Walsh function ``1..b-1``
===================  ===========================  ======================================

Each node transform's first column is the constant ``1/sqrt(b)``: that coefficient (the
scaled sum of the children) moves up a level, the other ``b - 1`` are the details of the
node.  An eigenvalue class is one detail column of the node transform (or a group of
columns, for ``symmetric`` and ``dihedral``) taken at every node of the level.  With
``b = 2`` all four node groups are ``Z_2`` and the step is the Haar butterfly, so
``[2] * m`` is the Haar wavelet; ``elementary_abelian`` nodes give the Haar-Walsh
hybrids, which are the Haar wavelet-packet bases whose tree is a stack of full binary
subtrees along the low-pass path (:func:`packet_tree`).

Cost: per level, nodes of at most 32 children are transformed by one small matrix
product over all the nodes of the level (one BLAS call, ``O(b_l)`` per point), larger ones
by ``scipy.fft``/``fwht`` (``O(log b_l)`` per point); the levels shrink geometrically, and
no ``M × M`` matrix is formed.  Measured against ``pywt.WaveletPacket`` in
``benchmarks/bench_hybrid.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.fft as sfft
from numpy.typing import ArrayLike, NDArray

from ..groups.catalogue import tree_spec
from ._checks import checked_signal
from ._transform import Block, Transform
from .kernels import _apply_real, _fwht_last, _haar_last, _ihaar_last

__all__ = ["tree_transform", "tree_coefficients", "itree_coefficients", "packet_tree"]

_FOURIER = ("cyclic", "dihedral")
_SQRT_HALF = float(np.sqrt(0.5))


def _spec(
    branching: Sequence[int], node_group: str | Sequence[str]
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Validated ``(levels, node names)``: :func:`algdiv.groups.catalogue.tree_spec`."""
    levels, names = tree_spec(branching, node_group)
    # With two children every node group is Z_2: one name, so equal groups compare equal.
    nodes = tuple("symmetric" if b == 2 else n for b, n in zip(levels, names))
    return levels, nodes


# -- one level: the node transform on the last axis (length b) --------------------------
#: Nodes with at most this many children are transformed by one small matrix product per
#: level (one BLAS call over all nodes); larger ones by their FFT/DCT/FWHT.
_DENSE_NODE_MAX = 32


def _node_matrix(b: int, node: str) -> NDArray[Any]:
    """``N`` with ``coefficients = N @ children`` for one node (row 0 is ``1/sqrt(b)``)."""
    if b == 2:
        return np.array([[1.0, 1.0], [1.0, -1.0]]) * _SQRT_HALF
    eye = np.eye(b)
    if node == "symmetric":
        return np.asarray(sfft.dct(eye, type=2, axis=0, norm="ortho"))
    if node in _FOURIER:
        return np.asarray(sfft.fft(eye, axis=0, norm="ortho"))
    return _fwht_last(eye)


def _node_forward(c: NDArray[Any], b: int, node: str) -> NDArray[Any]:
    if node == "symmetric":
        return np.asarray(sfft.dct(c, type=2, axis=-1, norm="ortho"))
    if node in _FOURIER:
        return np.asarray(sfft.fft(c, axis=-1, norm="ortho"))
    return _apply_real(_fwht_last, np.ascontiguousarray(c))


def _node_inverse(c: NDArray[Any], b: int, node: str) -> NDArray[Any]:
    if node == "elementary_abelian":
        return _node_forward(c, b, node)  # symmetric orthogonal: its own inverse
    if node == "symmetric":
        return np.asarray(sfft.idct(c, type=2, axis=-1, norm="ortho"))
    return np.asarray(sfft.ifft(c, axis=-1, norm="ortho"))


class _Level:
    """One level of the tree: ``b`` children per node, ``n_nodes`` nodes, its node transform."""

    def __init__(self, b: int, node: str, n_nodes: int, start: int) -> None:
        self.b, self.node, self.n_nodes, self.start = b, node, n_nodes, start
        self.size = n_nodes * (b - 1)
        self.dense = b <= _DENSE_NODE_MAX
        if self.dense:
            n = _node_matrix(b, node)
            if not np.iscomplexobj(n) or np.abs(n.imag).max() == 0:
                n = n.real.copy()
            # children rows times these give the coefficients (the sum is real: 1/sqrt(b))
            self.w_sum = np.full(b, 1.0 / np.sqrt(b))
            self.w_details = np.ascontiguousarray(n[1:].T)  # (b, b-1)
            # coefficients times these give the children (N is unitary: N^-1 = N^H)
            self.v_sum = np.full(b, 1.0 / np.sqrt(b))
            self.v_details = np.ascontiguousarray(np.conj(n[1:]))  # (b-1, b)
        self.complex = node in _FOURIER and b > 2


@lru_cache(maxsize=64)
def _plan(levels: tuple[int, ...], nodes: tuple[str, ...]) -> list[_Level]:
    """The levels of a tree (cached: the node matrices are built once per tree shape)."""
    out, n_nodes, start = [], 1, 1
    for b, node in zip(levels, nodes):
        lvl = _Level(b, node, n_nodes, start)
        out.append(lvl)
        start += lvl.size
        n_nodes *= b
    return out


def _forward_last(x: NDArray[Any], plan: list[_Level]) -> NDArray[Any]:
    """Tree analysis along the last axis (no checks): ``[a, level 0, ..., level L-1]``."""
    if all(lvl.b == 2 for lvl in plan):
        return _apply_real(_haar_last, x)
    lead, m = x.shape[:-1], x.shape[-1]
    cplx = np.iscomplexobj(x) or any(lvl.complex for lvl in plan)
    out = np.empty(lead + (m,), dtype=np.complex128 if cplx else np.float64)
    a = np.ascontiguousarray(x)
    for lvl in reversed(plan):
        blk = a.reshape(lead + (lvl.n_nodes, lvl.b))
        target = out[..., lvl.start : lvl.start + lvl.size].reshape(lead + (lvl.n_nodes, lvl.b - 1))
        if lvl.dense:
            if np.iscomplexobj(lvl.w_details) and not np.iscomplexobj(blk):
                blk_c: NDArray[Any] = blk.astype(np.complex128)
                np.matmul(blk_c, lvl.w_details, out=target)
            else:
                np.matmul(blk, lvl.w_details, out=target)
            a = blk @ lvl.w_sum
        else:
            c = _node_forward(blk, lvl.b, lvl.node)
            target[...] = c[..., 1:]
            a = np.ascontiguousarray(c[..., 0])
            if not np.iscomplexobj(x) and np.iscomplexobj(a):
                a = np.ascontiguousarray(a.real)  # the scaled sum of real children is real
    out[..., 0] = a[..., 0]
    return out


def _inverse_last(y: NDArray[Any], plan: list[_Level]) -> NDArray[Any]:
    """Tree synthesis along the last axis (no checks), the inverse of :func:`_forward_last`."""
    if all(lvl.b == 2 for lvl in plan):
        return _apply_real(_ihaar_last, y)
    lead = y.shape[:-1]
    a = y[..., :1]
    for lvl in plan:
        d = y[..., lvl.start : lvl.start + lvl.size].reshape(lead + (lvl.n_nodes, lvl.b - 1))
        if lvl.dense:
            children = d @ lvl.v_details
            up = a.reshape(lead + (lvl.n_nodes, 1)) * lvl.v_sum
            if np.can_cast(up.dtype, children.dtype, "same_kind"):
                children += up
            else:
                children = children + up
        else:
            c = np.concatenate([a.reshape(lead + (lvl.n_nodes, 1)), d], axis=-1)
            children = _node_inverse(c, lvl.b, lvl.node)
        a = children.reshape(lead + (lvl.n_nodes * lvl.b,))
    return a


class _TreeKernel:
    """Tree analysis or synthesis along ``axis`` (a picklable object, not a closure)."""

    def __init__(self, levels: tuple[int, ...], nodes: tuple[str, ...], inverse: bool) -> None:
        self.levels, self.nodes, self.inverse_ = levels, nodes, inverse
        self.plan = _plan(levels, nodes)

    def __call__(self, x: NDArray[Any], axis: int) -> NDArray[Any]:
        fn = _inverse_last if self.inverse_ else _forward_last
        if axis == x.ndim - 1:
            return fn(x, self.plan)
        return np.moveaxis(fn(np.moveaxis(x, axis, -1), self.plan), -1, axis)


def _nodes_per_level(levels: tuple[int, ...]) -> list[int]:
    out, n = [], 1
    for b in levels:
        out.append(n)
        n *= b
    return out


def _level_classes(b: int, node: str) -> list[list[int]]:
    """Detail columns ``1..b-1`` of a node transform grouped by irrep of the node group."""
    if b == 2:
        return [[1]]
    if node == "symmetric":
        return [list(range(1, b))]
    if node == "dihedral":
        return [[k] if 2 * k == b else [k, b - k] for k in range(1, b // 2 + 1)]
    return [[k] for k in range(1, b)]


def _tree_blocks(levels: tuple[int, ...], nodes: tuple[str, ...]) -> list[Block]:
    blocks = [Block(np.array([0]), 1, 1)]
    start = 1
    for b, node, n_nodes in zip(levels, nodes, _nodes_per_level(levels)):
        v = np.arange(n_nodes)[:, None] * (b - 1)
        for cls in _level_classes(b, node):
            idx = (start + v + (np.array(cls) - 1)[None, :]).ravel()
            blocks.append(Block(idx, idx.size, 1))
        start += n_nodes * (b - 1)
    return blocks


def _tree_name(levels: tuple[int, ...], nodes: tuple[str, ...]) -> str:
    if all(b == 2 for b in levels):
        return "Haar"
    if all(n == "symmetric" for n in nodes):
        return "hierarchical"
    if all(n == "elementary_abelian" or b == 2 for b, n in zip(levels, nodes)):
        return "Haar-Walsh"
    return "hybrid tree"


def tree_transform(branching: Sequence[int], node_group: str | Sequence[str] = "symmetric") -> Transform:
    """The matched transform of ``iterated_wreath(branching, node_group)``, with a fast kernel.

    Leaves are the points in the order of :func:`algdiv.groups.iterated_wreath` (leaf
    ``(c_0, c_1, ...)`` has index ``(c_0 b_1 + c_1) b_2 + ...``).  Level by level from
    the leaves up, the children of every node at depth ``l`` are transformed by the
    matched transform of its node group (DCT-II for ``"symmetric"``, DFT for
    ``"cyclic"`` and ``"dihedral"``, natural-order Walsh-Hadamard for
    ``"elementary_abelian"``; the Haar butterfly when ``b_l = 2``): the first
    coefficient (the scaled sum) moves up, the other ``b_l - 1`` are that node's details.
    Coefficients: ``[a, details of level 0 (root), level 1, ..., level L-1]``, each level
    ``(nodes, b_l - 1)`` in C order.  Every block is one eigenvalue class (the transform
    diagonalizes every invariant covariance): the constant, then per level one class per
    irrep of the node group (all details for ``"symmetric"``, each frequency for
    ``"cyclic"``, each pair ``{k, b-k}`` for ``"dihedral"``, each Walsh function for
    ``"elementary_abelian"``), spanning that column at every node of the level.

    ``[2] * m`` gives the Haar transform (:func:`haar`), symmetric nodes the
    :func:`hierarchical` basis; a ``"cyclic"`` or ``"dihedral"`` level with more than two
    children makes the coefficients complex.  No ``M × M`` matrix is formed (see
    :mod:`algdiv.transforms.hybrid` for the cost).

    Parameters
    ----------
    branching : sequence of int
        Children per node at each depth, from the root; each at least 2.
    node_group : str or sequence of str
        ``"symmetric"``, ``"cyclic"``, ``"dihedral"`` or ``"elementary_abelian"`` (power-of-
        two branching), for every level or one per level from the root.

    Returns
    -------
    Transform

    Examples
    --------
    Walsh inside each level of four children, Haar across the two levels:

    >>> import numpy as np
    >>> T = tree_transform([4, 4], "elementary_abelian")
    >>> T.name, T.n_classes, [b.dim for b in T.blocks]
    ('Haar-Walsh', 7, [1, 1, 1, 1, 4, 4, 4])
    >>> from algdiv.groups import iterated_wreath
    >>> T.n_classes == iterated_wreath([4, 4], "elementary_abelian").n_pair_orbits
    True
    >>> x = np.random.default_rng(0).standard_normal(16)
    >>> bool(np.allclose(T.inverse(T.forward(x)), x))
    True
    >>> from algdiv.transforms import haar
    >>> bool(np.allclose(tree_transform([2, 2, 2]).matrix, haar(8).matrix))
    True
    """
    levels, nodes = _spec(branching, node_group)
    m = int(np.prod(levels, dtype=np.int64))
    return Transform(
        m,
        _tree_blocks(levels, nodes),
        name=_tree_name(levels, nodes),
        forward=_TreeKernel(levels, nodes, inverse=False),
        inverse=_TreeKernel(levels, nodes, inverse=True),
        n_classes=1 + sum(len(_level_classes(b, n)) for b, n in zip(levels, nodes)),
        multiplicity_free=True,
        sentinel=0,
    )


def tree_coefficients(
    x: ArrayLike,
    branching: Sequence[int],
    node_group: str | Sequence[str] = "symmetric",
    axis: int = -1,
) -> NDArray[Any]:
    """The coefficients of :func:`tree_transform` along ``axis`` (any batch shape).

    ``x`` is not modified; its length along ``axis`` must be ``prod(branching)``.
    Inverse: :func:`itree_coefficients`.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.linalg import hadamard
    >>> x = np.arange(8.0)
    >>> np.allclose(tree_coefficients(x, [8], "elementary_abelian"), hadamard(8) @ x / np.sqrt(8))
    True
    >>> from algdiv.transforms import haar_coefficients
    >>> np.allclose(tree_coefficients(x, [2, 2, 2]), haar_coefficients(x))
    True
    """
    levels, nodes = _spec(branching, node_group)
    arr, ax = checked_signal(x, axis)
    m = int(np.prod(levels, dtype=np.int64))
    if arr.shape[ax] != m:
        raise ValueError(
            f"x has length {arr.shape[ax]} along axis {axis} but the tree {list(levels)} "
            f"has {m} leaves"
        )
    return _TreeKernel(levels, nodes, inverse=False)(arr, ax)


def itree_coefficients(
    y: ArrayLike,
    branching: Sequence[int],
    node_group: str | Sequence[str] = "symmetric",
    axis: int = -1,
) -> NDArray[Any]:
    """Synthesis from tree coefficients, the inverse of :func:`tree_coefficients`.

    Complex whenever a ``"cyclic"`` or ``"dihedral"`` level has more than two children.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(12.0)
    >>> y = tree_coefficients(x, [3, 4], ["dihedral", "cyclic"])
    >>> bool(np.allclose(itree_coefficients(y, [3, 4], ["dihedral", "cyclic"]), x))
    True
    """
    levels, nodes = _spec(branching, node_group)
    arr, ax = checked_signal(y, axis, "y")
    m = int(np.prod(levels, dtype=np.int64))
    if arr.shape[ax] != m:
        raise ValueError(
            f"y has length {arr.shape[ax]} along axis {axis} but the tree {list(levels)} "
            f"has {m} leaves"
        )
    return _TreeKernel(levels, nodes, inverse=True)(arr, ax)


def packet_tree(branching: Sequence[int]) -> list[str]:
    """The Haar wavelet-packet tree matched to ``iterated_wreath(branching, "elementary_abelian")``.

    For power-of-two branchings ``b_l = 2^{k_l}``: from the signal, a full binary packet
    subtree of depth ``k_{L-1}`` (the leaf level), then one of depth ``k_{L-2}`` below
    its low-pass node ``"a" * k_{L-1}``, and so on up to the root level.  The leaves of
    that tree, as ``pywt.WaveletPacket`` paths (``"a"`` low-pass, ``"d"`` high-pass),
    are returned coarsest first; the span of each packet node's coefficients is one
    eigenvalue class of :func:`tree_transform` (one Walsh function of the level, at every
    node), which the tests check against ``pywt.WaveletPacket(x, "haar",
    mode="periodization")`` by comparing projectors.

    Examples
    --------
    >>> packet_tree([2, 2, 2])  # the Haar wavelet
    ['aaa', 'aad', 'ad', 'd']
    >>> packet_tree([4, 2])
    ['aaa', 'aad', 'ada', 'add', 'd']
    """
    levels, _ = _spec(branching, "elementary_abelian")
    leaves: list[str] = []
    prefix = ""
    for b in reversed(levels):
        k = b.bit_length() - 1
        words = [""]
        for _ in range(k):
            words = [w + c for w in words for c in "ad"]
        leaves = [prefix + w for w in words if w != "a" * k] + leaves
        prefix += "a" * k
    return [prefix] + leaves
