"""The Reynolds projection of a tree's automorphism group in natural order, without labels.

For ``iterated_wreath(branching)`` with the symmetric group at every node (or any node group
on two children: ``Z_2 = S_2``), the group is 2-transitive on the children of every node, so
two pairs ``(i, j)`` of leaves lie in one pair orbit exactly when their lowest common ancestor
is at the same depth.  With leaves in depth-first order, the pairs whose ancestor has
subtrees of ``s`` leaves are the off-diagonal ``s × s`` sub-blocks of the diagonal blocks
of ``b·s`` leaves.  So ``Φ_G(A)`` is fixed by the trace and one sum per level: with
levels numbered from the leaves (level 0: the diagonal, level ``ℓ``: pairs whose lowest
common ancestor has ``b_ℓ`` subtrees of ``s_ℓ`` leaves each, ``M (b_ℓ − 1) s_ℓ`` pairs),
``Φ_G(A)[i, j] = (sum of A over the level of (i, j)) / (its number of pairs)``.

The levels are split at blocks of ``s ≤ 32`` leaves (the lowest levels, "inner"; the
others "outer", which see ``A`` only through its ``s × s`` block sums).

* Read: one pass over ``A`` gives the ``(M/s) × (M/s)`` block sums: below ``M = 1024``
  numpy's ``add.reduce`` over the ``s`` rows of each block row, then over each ``s``
  columns of that small array; from ``M = 1024`` one product ``A·ones(s)`` with ``A``
  seen as ``(M·M/s) × s`` (each row's sum over each block of columns), which BLAS reads
  faster, on as many threads as the user lets it run, then the ``s`` rows (on one
  thread, a batch of ``ones(s) @ block rows`` products, the faster read there).  The diagonal
  blocks (``s/M`` of ``A``) are read again and added into one ``s × s`` array.  One
  ``bincount`` over the (cached) lowest-common-ancestor levels of both small arrays
  gives every level's sum; a level sum that is not finite tells the caller that ``A``
  holds a NaN or an infinity, so the caller needs no pass of its own.
* Write: each block row of the output is one row pattern (the outer levels' means,
  repeated over the ``s`` columns of a block) broadcast into its ``s`` rows, then the
  diagonal blocks get the inner pattern: ``1 + s/M`` writes of the matrix in all.  The
  row patterns are staged half a page away from the output (see :func:`_staging`).

So one read and one write of the matrix, as in a copy, against a label pass plus a
``bincount`` over the ``M²`` entries for a general group (timed against one copy in
benchmarks/bench_reynolds.py).  Single-precision input is summed over the ``s`` rows of
a block (and over the diagonal blocks) in its own precision and in double from there:
as fast as a single-precision sum, with errors of a few units in the last place of the
input's largest entries.  Stacks of matrices go through the same calls with a leading
batch axis.
"""

from __future__ import annotations

import functools
import math
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._threads import blas_threads
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


_SMALL_BLOCK = 32  # leaves per block: the levels inside a block are summed on one (s, s) array
# (blocks of 32 rather than 64: half the re-read of the diagonal blocks, and the two
# bincounts (over s² and (M/s)² labels) cost the least near s = √M for M around 1024)
_BLAS_MIN_ENTRIES = 1 << 20  # from M = 1024 the block-row sums go through BLAS (one thread)


def _split(levels: tuple[int, ...]) -> int:
    """How many of the lowest levels fit in a block of at most ``_SMALL_BLOCK`` leaves
    (at least one: a lowest level of more children is a block on its own)."""
    low, size = 0, 1
    while low < len(levels) and size * levels[-1 - low] <= _SMALL_BLOCK:
        size *= levels[-1 - low]
        low += 1
    return max(low, 1)


def _lca_levels(levels: tuple[int, ...]) -> NDArray[np.intp]:
    """``L[i, j]``: the level of the lowest common ancestor of leaves ``i`` and ``j`` in
    depth-first order (0: the leaf itself, 1: siblings, ...)."""
    m = int(np.prod(levels, dtype=np.int64))
    idx = np.arange(m)
    out = np.zeros((m, m), dtype=np.intp)
    size = 1
    for b in reversed(levels):  # leaves in different subtrees of `size` leaves
        out += (idx[:, None] // size) != (idx[None, :] // size)
        size *= b
    return out


class _Plan(NamedTuple):
    """What the projection needs for one branching, built once (read-only arrays).

    The sums are one ``bincount`` over the bins ``0 … low`` (the inner levels, from the
    ``(s, s)`` sum of the diagonal blocks), then ``low + 1 + ℓ`` for the outer level
    ``ℓ`` of the ``(k, k)`` block sums (``ℓ = 0``, the diagonal blocks again, is a bin
    of its own: only its finiteness is used).  ``means = sums · scale``, read back
    through the bins of each entry (``inner``, ``outer``).
    """

    m: int  # leaves
    s: int  # leaves per block
    k: int  # blocks (m // s)
    low: int  # levels inside a block
    labels: NDArray[np.integer[Any]]  # bins of the diagonal-block sum, then of the block sums
    n_bins: int
    scale: NDArray[np.float64]  # per bin, 1 / the pairs of its level (0: the repeated bin)
    inner: NDArray[np.integer[Any]] | None  # (s, s) bins in a block; None: one wide level
    outer: NDArray[np.integer[Any]] | None  # (k, k) bins of the blocks (diagonal: rewritten)


@functools.lru_cache(maxsize=32)
def _plan(levels: tuple[int, ...]) -> _Plan:
    m = int(np.prod(levels, dtype=np.int64))
    low = _split(levels)
    s = int(np.prod(levels[len(levels) - low :], dtype=np.int64))
    k = m // s
    inner = _lca_levels(levels[len(levels) - low :]) if s <= _SMALL_BLOCK else None
    outer = _lca_levels(levels[: len(levels) - low]) if k > 1 else None
    if outer is not None:
        outer = outer + (low + 1)
    parts = [x.ravel() for x in (inner, outer) if x is not None]
    labels = np.concatenate(parts) if parts else np.zeros(0, dtype=np.intp)
    n_bins = len(levels) + 2
    if k * k > 1 << 16 and n_bins <= 256:  # (many blocks: bytes, converted at each call)
        labels = labels.astype(np.uint8)
        outer = None if outer is None else outer.astype(np.uint8)
        inner = None if inner is None else inner.astype(np.uint8)
    counts = [m]
    size = 1
    for b in reversed(levels):
        counts.append(m * (b - 1) * size)  # pairs whose ancestor has b subtrees of `size`
        size *= b
    inverse = 1.0 / np.asarray(counts, dtype=np.float64)
    scale = np.r_[inverse[: low + 1], 0.0, inverse[low + 1 :]]  # (the repeated bin: 0)
    for arr in (labels, scale, inner, outer):
        if arr is not None:
            arr.setflags(write=False)
    return _Plan(m, s, k, low, labels, n_bins, scale, inner, outer)


def _bincount_rows(
    w: NDArray[Any], labels: NDArray[np.integer[Any]], n_bins: int
) -> NDArray[Any]:
    """``out[b, l]`` = the sum of ``w[b]`` over the entries labelled ``l``: one
    ``bincount`` for the whole stack (row ``b``'s labels shifted by ``b · n_bins``)."""
    n = w.shape[0]
    flat = labels
    if n > 1:
        flat = (labels + n_bins * np.arange(n)[:, None]).ravel()
    if w.dtype.kind == "c":
        real = np.bincount(flat, weights=w.real.ravel(), minlength=n * n_bins)
        imag = np.bincount(flat, weights=w.imag.ravel(), minlength=n * n_bins)
        return (real + 1j * imag).reshape(n, n_bins)
    return np.bincount(flat, weights=w.ravel(), minlength=n * n_bins).reshape(n, n_bins)


_PAGE = 4096


def _staging(out: NDArray[Any], *shapes: tuple[int, ...]) -> list[NDArray[Any]]:
    """Empty arrays of ``out``'s dtype, to be copied into ``out``, each placed half a page
    away from it (``(address of out − its address) mod 4096 = 2048``).

    A copy whose destination lies a few bytes past its source modulo 4096 runs about ten
    times slower on x86 (the loads wait on the stores they seem to alias: "4K
    aliasing"), and a buffer allocated just before ``out`` on the heap sits exactly
    there (16 bytes of malloc header apart; measured at M = 1024: 3 ms for the row
    broadcast instead of 0.23 ms).  Half a page apart, no load aliases a recent store.
    """
    size, per_page = out.itemsize, _PAGE // out.itemsize
    counts = [math.prod(shape) for shape in shapes]
    # each buffer rounded up to whole pages, so that all start at the same page offset
    spans = [-(-c // per_page) * per_page for c in counts]
    raw = np.empty(sum(spans) + per_page, dtype=out.dtype)
    start = ((out.ctypes.data - _PAGE // 2 - raw.ctypes.data) % _PAGE) // size
    buffers = []
    for shape, count, span in zip(shapes, counts, spans):
        buffers.append(raw[start : start + count].reshape(shape))
        start += span
    return buffers


@functools.lru_cache(maxsize=16)
def _accumulator(dtype: np.dtype[Any]) -> np.dtype[Any]:
    """The dtype the sums are made in: at least double precision, real or complex."""
    return np.result_type(dtype, np.float64)


def _through_blas(m: int, dtype: np.dtype[Any]) -> bool:
    """Whether the sums of an ``M × M`` matrix of this dtype go through BLAS (double
    precision from ``M = 1024``; smaller or single-precision ones take numpy's reductions)."""
    return m * m >= _BLAS_MIN_ENTRIES and dtype in (np.float64, np.complex128)


def _block_sums(a: NDArray[Any], plan: _Plan, out: NDArray[Any]) -> None:
    """Write the sums of the ``s × s`` blocks (one read of ``a``) into ``out`` of shape
    ``(n, k, k)``: each row's sums over the ``s`` columns of every block, then the ``s``
    rows of each block row added in that small array.

    From ``M = 1024`` (double precision) the sums go through BLAS, which reads ``a``
    faster than numpy's reductions.  With BLAS on one thread, a batch of
    ``ones(s) @ block rows`` products (the fastest read on one core); with more, one
    product ``a·ones(s)`` with ``a`` seen as ``(n·M·k, s)`` (each row's sum over each
    block of columns), which BLAS splits over its threads (about 1.7× faster on two
    cores), then the ``s`` rows of each block row in that small array.  Smaller matrices
    (and other precisions) take ``add.reduce`` over the rows of each block row."""
    n, k, s, m = a.shape[0], plan.k, plan.s, plan.m
    ones = np.ones(s)
    if _through_blas(m, a.dtype):
        if blas_threads() == 1:
            rows = np.matmul(ones, a.reshape(n, k, s, m))  # (n, k, M): block-row sums
            np.matmul(rows.reshape(n, k, k, s), ones, out=out)
        else:
            cols = a.reshape(n * m * k, s) @ ones  # row i, column block c at i·k + c
            np.matmul(ones, cols.reshape(n, k, s, k), out=out)
    else:  # (single precision: sums of s rows in it, then in double; see the module notes)
        blocks = a.reshape(n * k, s, m)
        sums = np.add.reduce(blocks, axis=1).astype(_accumulator(a.dtype), copy=False)
        np.einsum("nbcs->nbc", sums.reshape(n, k, k, s), out=out)


def _project_stack(a: NDArray[Any], plan: _Plan, finite: list[bool]) -> NDArray[Any]:
    """``Φ_G(a[b])`` for each matrix of a stack ``a`` of shape ``(n, M, M)``."""
    n, m, s, k, dtype = a.shape[0], plan.m, plan.s, plan.k, a.dtype
    acc = _accumulator(dtype)
    # --- read: the (k, k) block sums, then the diagonal blocks added into one (s, s)
    # array, both written into one row of bins' weights per matrix
    if k == 1:
        diagonal = a
        weights = a.reshape(n, m * m) if plan.inner is not None else None
    else:
        inner_size = s * s if plan.inner is not None else 0
        weights = np.empty((n, inner_size + k * k), dtype=acc)
        st0, st1, st2 = a.strides
        blocks = np.lib.stride_tricks.as_strided(  # the diagonal blocks, (n, k, s, s)
            a, (n, k, s, s), (st0, (st1 + st2) * s, st1, st2), writeable=False
        )
        if plan.inner is not None:
            diagonal = weights[:, :inner_size].reshape(n, s, s)
            if _through_blas(m, dtype):
                # row r of the sum: ones(k) @ (row r of every diagonal block), a (k, s)
                # matrix BLAS reads in place; 1.5-2.5x faster than add.reduce over
                # blocks M rows apart (measured at M = 1024)
                np.matmul(np.ones(k), blocks.transpose(0, 2, 1, 3), out=diagonal)
            else:
                np.add.reduce(blocks, axis=1, out=diagonal)
        else:
            diagonal = np.add.reduce(blocks, axis=1, dtype=acc)
        _block_sums(a, plan, weights[:, inner_size:].reshape(n, k, k))
    # --- one bincount gives the sum over each level
    if weights is None:
        sums = np.zeros((n, plan.n_bins), dtype=acc)
    else:
        sums = _bincount_rows(weights, plan.labels, plan.n_bins)
    if plan.inner is None:  # one wide level at the bottom: the diagonal and the rest
        trace = np.einsum("nii->n", diagonal, dtype=acc)
        sums[:, 0] = trace
        sums[:, 1] = np.add.reduce(diagonal.reshape(n, -1), axis=1, dtype=acc) - trace
    means = sums * plan.scale  # (n, bins)
    if not np.isfinite(sums).all():  # (every entry of A is in one of the sums)
        finite[0] = False
    # --- write: each block row's pattern (the outer means, each repeated over the s
    # columns of a block) broadcast into its s rows, then the diagonal blocks
    out = np.empty((n, m, m), dtype=dtype)
    rows, inner = _staging(out, (n, k, m), (n, s, s))
    if plan.outer is not None:
        np.copyto(rows.reshape(n, k, k, s), means[:, plan.outer, None])  # (small)
        np.copyto(out.reshape(n, k, s, m), rows[:, :, None, :])
    st = out.itemsize
    blocks = np.ndarray(  # the diagonal blocks: a writeable (n, k, s, s) view of `out`
        (n, k, s, s), dtype=dtype, buffer=out, strides=(m * m * st, (m + 1) * s * st, m * st, st)
    )
    if plan.inner is not None:
        np.copyto(inner, means[:, plan.inner])
        np.copyto(blocks, inner[:, None])
    else:
        np.copyto(blocks, means[:, 1, None, None, None])
        np.copyto(out.reshape(n, m * m)[:, :: m + 1], means[:, :1])
    return out


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
    plan = _plan(tuple(levels))
    m = plan.m
    stack = a.reshape((-1, m, m))
    if stack.shape[0] == 0:  # an empty batch
        return np.empty(a.shape, dtype=a.dtype)
    # (no warnings from a NaN or an infinity in the sums: the caller checks `finite`)
    with np.errstate(invalid="ignore", over="ignore"):
        out = _project_stack(stack, plan, flags)
    return out.reshape(a.shape)
