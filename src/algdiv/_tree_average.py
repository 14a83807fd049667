"""The Reynolds projection of a tree's automorphism group in natural order, without labels.

For ``iterated_wreath(branching)`` with the symmetric group at every node (or any node group
on two children: ``Z_2 = S_2``), the group is 2-transitive on the children of every node, so
two pairs ``(i, j)`` of leaves lie in one pair orbit exactly when their lowest common ancestor
is at the same depth.  With leaves in depth-first order, the pairs whose ancestor has
subtrees of ``s`` leaves are the off-diagonal ``s × s`` sub-blocks of the diagonal blocks
of ``b·s`` leaves.  So ``Φ_G(A)`` is fixed by the trace and one sum per level, taken over
those sub-blocks (each entry of ``A`` is read once), and is written back block by block
(each entry written once): about one copy of the matrix, against a label pass plus a
``bincount`` for a general group.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .groups import PermutationGroup

__all__ = ["tree_levels", "tree_project"]


def tree_levels(G: PermutationGroup) -> tuple[int, ...] | None:
    """The branching (root first) when ``G`` is such a tree group in natural order, else None."""
    c = getattr(G, "construction", None)  # (stand-ins with labels only have none)
    if not c or c[0] != "iterated_wreath" or len(c) < 3:
        return None
    levels, node = c[1], c[2]
    if node == "symmetric" or all(b == 2 for b in levels):
        return tuple(int(b) for b in levels)
    return None


_SMALL_BLOCK = 64  # below this block size, one pass sums the diagonal blocks first


def _level_sums(a: NDArray[Any], levels: tuple[int, ...]) -> list[Any]:
    """The trace, then per level (leaves up) the sum over pairs whose lowest common ancestor
    has subtrees of ``size`` leaves."""
    m = a.shape[-1]
    low, size = 0, 1
    while low < len(levels) and size * levels[-1 - low] <= _SMALL_BLOCK:
        size *= levels[-1 - low]
        low += 1
    if 1 < size < m:
        # the levels inside blocks of `size` leaves see only the diagonal blocks: sum those
        # first (one einsum instead of a few small ones per level, which cost more in calls
        # than in reading)
        k = m // size
        block = np.einsum("kikj->ij", a.reshape(k, size, k, size))
        sums = _level_sums(block, levels[len(levels) - low :])
    else:
        sums, size, low = [np.trace(a)], 1, 0
    for b in reversed(levels[: len(levels) - low]):
        k = m // (size * b)
        view = a.reshape(k, b, size, k, b, size)
        total = 0
        for r in range(b):
            for q in range(b):
                if r != q:  # one off-diagonal sub-block of every diagonal block
                    total = total + np.einsum("khki->", view[:, r, :, :, q, :])
        sums.append(total)
        size *= b
    return sums


def _tree_one(a: NDArray[Any], levels: tuple[int, ...]) -> NDArray[Any]:
    m = a.shape[-1]
    sums = _level_sums(a, levels)
    means = [sums[0] / m]
    size = 1
    for b, total in zip(reversed(levels), sums[1:]):
        means.append(total / (m * (b - 1) * size))  # pairs at this level: M (b − 1) size
        size *= b
    out = np.empty_like(a)
    out[0, 0] = means[0]
    size = 1
    for b, value in zip(reversed(levels), means[1:]):
        new = size * b
        for r in range(b):
            rows = slice(r * size, (r + 1) * size)
            if r:
                out[rows, r * size : (r + 1) * size] = out[:size, :size]
            out[rows, : r * size] = value
            out[rows, (r + 1) * size : new] = value
        size = new
    return out


def tree_project(a: NDArray[Any], levels: tuple[int, ...]) -> NDArray[Any]:
    """``Φ_G`` of a validated ``(..., M, M)`` float or complex array for the tree group with
    this branching (root first; see the module notes).  Internal API."""
    if a.ndim == 2:
        return _tree_one(a, levels)
    flat = a.reshape((-1,) + a.shape[-2:])
    return np.stack([_tree_one(x, levels) for x in flat]).reshape(a.shape)
