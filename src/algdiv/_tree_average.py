"""The Reynolds projection of a tree's automorphism group in natural order, without labels.

For ``iterated_wreath(branching)`` with the symmetric group at every node (or any node group
on two children: ``Z_2 = S_2``), the group is 2-transitive on the children of every node, so
two pairs ``(i, j)`` of leaves lie in one pair orbit exactly when their lowest common ancestor
is at the same depth.  With leaves in depth-first order, the pairs whose ancestor has
subtrees of ``s`` leaves are the off-diagonal ``s × s`` sub-blocks of the diagonal blocks
of ``b·s`` leaves.  So ``Φ_G(A)`` is fixed by the trace and one sum per level.

The levels are split at blocks of ``s ≤ 64`` leaves.  One read of ``A`` gives the
``(M/s) × (M/s)`` matrix of its ``s × s`` block sums (rows of a block added as contiguous
vectors) and the sum of its diagonal blocks (one ``s × s`` array); the outer levels' sums
come from the first, the inner levels' from the second, each by one ``bincount`` over
the (cached) lowest-common-ancestor levels of that small array.  The result is written
as the block pattern (one row per block row, copied into its rows), then the diagonal blocks:
about one copy of the matrix in all, against a label pass plus a ``bincount`` over the
``M²`` entries for a general group.
"""

from __future__ import annotations

import functools
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


_SMALL_BLOCK = 64  # leaves per block: the levels inside a block are summed on one (s, s) array


def _split(levels: tuple[int, ...]) -> int:
    """How many of the lowest levels fit in a block of at most ``_SMALL_BLOCK`` leaves."""
    low, size = 0, 1
    while low < len(levels) and size * levels[-1 - low] <= _SMALL_BLOCK:
        size *= levels[-1 - low]
        low += 1
    return low


@functools.lru_cache(maxsize=64)
def _lca_levels(levels: tuple[int, ...]) -> NDArray[np.integer[Any]]:
    """``L[i, j]``: the level of the lowest common ancestor of leaves ``i`` and ``j`` in
    depth-first order (0: the leaf itself, 1: siblings, ...).  Read-only, cached; built
    only for a block of at most ``_SMALL_BLOCK`` leaves or for the pattern of blocks."""
    m = int(np.prod(levels, dtype=np.int64))
    idx = np.arange(m)
    out = np.zeros((m, m), dtype=np.uint8 if len(levels) < 255 else np.intp)
    size = 1
    for b in reversed(levels):  # leaves in different subtrees of `size` leaves
        out += (idx[:, None] // size) != (idx[None, :] // size)
        size *= b
    out.setflags(write=False)
    return out


def _level_sums(a: NDArray[Any], levels: tuple[int, ...]) -> NDArray[Any]:
    """Per LCA level (0 = the diagonal), the sum of ``a`` over the pairs at that level."""
    if len(levels) == 1:  # the diagonal and the rest: no labels
        trace = np.trace(a)
        return np.array([trace, a.sum() - trace])
    labels, n_levels = _lca_levels(levels), len(levels)
    flat = labels.ravel()
    if np.iscomplexobj(a):
        real = np.bincount(flat, weights=a.real.ravel(), minlength=n_levels + 1)
        imag = np.bincount(flat, weights=a.imag.ravel(), minlength=n_levels + 1)
        return real + 1j * imag
    return np.bincount(flat, weights=a.ravel(), minlength=n_levels + 1)


def _tree_one(a: NDArray[Any], levels: tuple[int, ...], finite: list[bool]) -> NDArray[Any]:
    m = a.shape[-1]
    low = _split(levels)
    low = max(low, 1)  # (a lowest level of more than _SMALL_BLOCK children: on its own)
    inner, outer = levels[len(levels) - low :], levels[: len(levels) - low]
    s = int(np.prod(inner, dtype=np.int64))
    k = m // s
    if k == 1:
        sums = _level_sums(a, inner)
    else:
        # One read of A: the (k, k) matrix of its (s, s) block sums (the rows of a block
        # added as contiguous vectors, then the short column runs), and the k diagonal
        # blocks added into one (s, s) array.  The outer levels see A only through the
        # block sums, the inner ones only through the diagonal blocks.
        block_sums = np.add.reduce(a.reshape(k, s, m), axis=1).reshape(k, k, s).sum(axis=2)
        diagonal = np.einsum("kikj->ij", a.reshape(k, s, k, s))
        sums = np.concatenate([_level_sums(diagonal, inner), _level_sums(block_sums, outer)[1:]])
    counts = [m]
    size = 1
    for b in reversed(levels):
        counts.append(m * (b - 1) * size)  # pairs whose ancestor has b subtrees of `size`
        size *= b
    means = sums / np.asarray(counts, dtype=np.float64)
    if not np.all(np.isfinite(sums)):  # (every entry of A is in one of the sums)
        finite[0] = False
    out = np.empty_like(a)
    if k == 1:
        _fill_pattern(out, means, inner)
        return out
    # The outer levels' means on the (k, k) block pattern, expanded to one row per block
    # row (k × M, small) and copied into its s rows in one write; then the diagonal
    # blocks get the inner pattern.
    pattern = np.empty((k, k), dtype=out.dtype)
    _fill_pattern(pattern, np.concatenate([means[:1], means[low + 1 :]]), outer)
    out.reshape(k, s, m)[...] = np.repeat(pattern, s, axis=1)[:, None, :]
    diagonal_blocks = np.einsum("kikj->kij", out.reshape(k, s, k, s))  # a writeable view
    _fill_pattern(diagonal_blocks, means[: low + 1], inner)
    return out


def _fill_pattern(out: NDArray[Any], means: NDArray[Any], levels: tuple[int, ...]) -> None:
    """``out[..., i, j]`` = the mean of the level of the lowest common ancestor of i, j."""
    if len(levels) == 1:
        out[...] = means[1]
        np.einsum("...ii->...i", out)[...] = means[0]  # (a writeable view of the diagonals)
    else:
        out[...] = means[_lca_levels(levels)]


def tree_project(
    a: NDArray[Any], levels: tuple[int, ...], finite: list[bool] | None = None
) -> NDArray[Any]:
    """``Φ_G`` of a validated ``(..., M, M)`` float or complex array for the tree group with
    this branching (root first; see the module notes).  Internal API.

    ``finite[0]`` is set to False when a level sum is not finite, which happens when ``a``
    holds a NaN or an infinity (or when a sum overflows): the caller's finiteness check,
    without a pass of its own over ``a``.
    """
    flags = [True] if finite is None else finite
    # (no warnings from a NaN or an infinity in the sums: the caller checks `finite`)
    with np.errstate(invalid="ignore", over="ignore"):
        if a.ndim == 2:
            return _tree_one(a, levels, flags)
        flat = a.reshape((-1,) + a.shape[-2:])
        return np.stack([_tree_one(x, levels, flags) for x in flat]).reshape(a.shape)
