"""Coherent configurations: averaging beyond groups.

A group's pair orbits are the cells of a *coherent configuration*: a partition of the
ordered pairs ``(i, j)`` of ``M`` points into cells ``C_0, …, C_{r-1}`` with 0/1 matrices
``A_0, …, A_{r-1}`` such that

* the diagonal is a union of cells (the *fibres*: the diagonal cells, one per class of
  points, play the role of point orbits);
* the transpose of every cell is a cell;
* the span of the ``A_c`` is closed under products: ``A_a A_b = Σ_c p_ab^c A_c`` with
  integer *intersection numbers* ``p_ab^c = #{k : (i,k) ∈ C_a, (k,j) ∈ C_b}``, the same for
  every ``(i, j) ∈ C_c``.

Not every coherent configuration comes from a group. Those that do (the cells are the
orbits on pairs of their automorphism group) are *Schurian*. A covariance can be constant
on the cells of a non-Schurian configuration, with fewer cells than the pair orbits of any
group that leaves it invariant: a strongly regular graph that is not a rank-3 graph, such
as the Shrikhande graph, gives ``R = a I + b A + c (J - I - A)`` with 3 cells where its
automorphism group has 4 pair orbits.

The **coherent closure** of a matrix (the smallest coherent configuration on whose cells it
is constant) is found by 2-dimensional Weisfeiler-Leman refinement: the colour of ``(i, j)``
is refined by the multiset ``{(c(i,k), c(k,j)) : k}`` until nothing splits. The multiset is
hashed by matrix products, ``h(i,j) = Σ_k u[c(i,k)] v[c(k,j)] = (U V)[i, j]`` with random
integer weights ``u, v`` (exact in floating point), so a round costs two ``M × M`` products,
``O(M³)``; distinct multisets give distinct ``h`` unless the random weights hit a root of a
non-zero polynomial of degree 2 (Schwartz-Zippel: probability at most ``2 / 2^b`` for
``b``-bit weights, per pair of multisets and per hash). The stable partition is then
**verified exactly** (every pair's multiset against its cell's intersection numbers), and
refined further in the unlikely event that a collision hid a split. While there are at most
8 cells a round counts every ``(A_a A_b)[i, j]`` exactly instead (``r²`` products, no more
than the verification would cost), and a partition stable under exact counts needs no check.

The cells play the role of pair orbits everywhere: the orthogonal projection onto the span
of the ``A_c`` (the *coherent algebra*) replaces each entry by its cell's mean, exactly as
the Reynolds operator does for a group; it is a trace-preserving conditional expectation
onto a unital ``*``-algebra, so it keeps Hermitian positive semi-definite matrices so. The
algebra's common block-eigenbasis is its matched transform; for a commutative association
scheme (one fibre, commuting ``A_c``) it diagonalizes every matrix of the algebra, with
eigenvalues given by the first eigenmatrix ``P``.

Functions and classes
---------------------
coherent_closure        the coherent closure of a matrix or an integer pattern
CoherentConfiguration   cells, rank, fibres, intersection numbers, projection, automorphisms,
                        is_schurian, eigenmatrices P/Q, algebra and matched transform
SchemeAlgebra           its algebra as a :class:`algdiv.transforms.CommutantAlgebra`

Examples
--------
>>> import numpy as np
>>> from algdiv.coherent import coherent_closure
>>> i = np.arange(6)
>>> C6 = np.isin((i[:, None] - i[None, :]) % 6, [1, 5]).astype(int)   # the 6-cycle
>>> cc = coherent_closure(C6)
>>> cc.rank, cc.is_homogeneous, cc.is_symmetric     # distance 0, 1, 2, 3
(4, True, True)
"""

from __future__ import annotations

import warnings
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._limits import check_memory
from ._validation import as_square, check_finite
from .transforms.algebra import CommutantAlgebra

if TYPE_CHECKING:
    from .groups import PermutationGroup
    from .transforms import Transform

__all__ = ["coherent_closure", "CoherentConfiguration", "SchemeAlgebra"]

_SEED = 20261130  # the hash weights are random but reproducible
_MAX_ATTEMPTS = 8  # fresh hash weights after an (astronomically unlikely) failed verification
_BLOCK_ELEMENTS = 1 << 22  # elements of the per-block arrays of the exact verification
_EXACT_CELLS = 8  # up to this many cells a round counts exactly (r² products) instead of hashing


# -- the closure --------------------------------------------------------------------------


def coherent_closure(
    R: ArrayLike, tol: float | None = None, *, rng: np.random.Generator | int | None = None
) -> CoherentConfiguration:
    """The coherent closure of ``R``: the coarsest coherent configuration ``R`` is constant on.

    The entries of ``R`` are first grouped into colours (equal values; for a float ``R``
    within ``tol``), the diagonal kept apart from the off-diagonal, and the colour of each
    pair ``(i, j)`` paired with that of ``(j, i)``. 2-dimensional Weisfeiler-Leman
    refinement then splits a cell whenever its pairs see different multisets
    ``{(c(i,k), c(k,j)) : k}``, until the partition is stable; the result is verified to
    be coherent exactly (see the module notes). Each round costs two ``M × M`` matrix
    products; there are at most as many rounds as cells.

    Parameters
    ----------
    R : array_like, shape (M, M)
        A matrix (real or complex, not necessarily Hermitian) or an integer pattern (a
        label per entry, e.g. an adjacency matrix). Not modified.
    tol : float, optional
        Float entries whose sorted values differ by at most ``tol`` share a colour (real
        and imaginary parts separately). Default ``1e-8 · max |R_ij|``: equal up to
        rounding. Ignored for integer and boolean patterns, whose values are colours.
    rng : numpy.random.Generator or int, optional
        Randomness of the hash weights (a fixed seed by default). The result does not
        depend on it: the closure is unique and verified exactly.

    Returns
    -------
    CoherentConfiguration
        Cells labelled diagonal cells first (by their first point), then the others by
        their first pair in row-major order.

    Raises
    ------
    ValueError
        If ``R`` is not square, holds NaN or infinity, or ``tol`` is negative.
    TypeError
        If ``R`` is not numeric.

    Examples
    --------
    The Shrikhande graph and the 4 × 4 rook's graph are strongly regular with the same
    parameters (16, 6, 2, 2): both closures have rank 3 (identity, adjacent, not
    adjacent), but only the rook's graph has an automorphism group with 3 pair orbits.

    >>> import numpy as np
    >>> from algdiv.coherent import coherent_closure
    >>> pts = [(a, b) for a in range(4) for b in range(4)]
    >>> steps = {(1, 0), (3, 0), (0, 1), (0, 3), (1, 1), (3, 3)}
    >>> shrikhande = np.array([[((p[0] - q[0]) % 4, (p[1] - q[1]) % 4) in steps
    ...                         for q in pts] for p in pts])
    >>> rook = np.array([[(p[0] == q[0]) != (p[1] == q[1]) for q in pts] for p in pts])
    >>> s, t = coherent_closure(shrikhande), coherent_closure(rook)
    >>> (s.rank, s.automorphism_group.order, s.is_schurian)
    (3, 192, False)
    >>> (t.rank, t.automorphism_group.order, t.is_schurian)
    (3, 1152, True)
    """
    colours = _initial_colours(R, tol)
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(
        _SEED if rng is None else rng
    )
    m = colours.shape[0]
    check_memory(8.0 * 6 * m * m, f"the coherent closure of a {m} x {m} matrix (six M x M arrays)")
    cells = _refine(colours, gen)
    return CoherentConfiguration(_canonical(cells), check=False)


def _initial_colours(R: ArrayLike, tol: float | None) -> NDArray[np.int64]:
    """Integer colours of the entries: values (or quantized values), diagonal apart."""
    try:
        raw = np.asarray(R)
    except Exception as exc:
        raise ValueError(f"R could not be read as an array: {exc}") from None
    if raw.dtype == object or not (np.issubdtype(raw.dtype, np.number) or raw.dtype == bool):
        raise TypeError(f"R must be numeric, got dtype {raw.dtype}")
    if raw.ndim != 2 or raw.shape[0] != raw.shape[1] or raw.shape[0] == 0:
        raise ValueError(f"R must be a non-empty square matrix (M, M), got shape {raw.shape}")
    m = raw.shape[0]
    if tol is not None and not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a non-negative number, got {tol!r}")
    if raw.dtype == bool or np.issubdtype(raw.dtype, np.integer):
        code = np.unique(raw.ravel(), return_inverse=True)[1].astype(np.int64)
    else:
        arr = as_square(raw, "R")
        check_finite(arr, "R")
        scale = float(np.max(np.abs(arr), initial=0.0))
        t = 1e-8 * scale if tol is None else float(tol)
        code = _classes(arr.real, t)
        if np.iscomplexobj(arr) and np.any(arr.imag):
            code = code * (m * m) + _classes(arr.imag, t)
    code = code.reshape(m, m) * 2 + np.eye(m, dtype=np.int64)
    return _dense(code)


def _classes(values: NDArray[Any], tol: float) -> NDArray[np.int64]:
    """Sorted values, a new class wherever a gap exceeds ``tol`` (flat int labels)."""
    flat = np.asarray(values, dtype=float).ravel()
    order = np.argsort(flat, kind="stable")
    out = np.empty(flat.size, dtype=np.int64)
    out[order] = np.concatenate([[0], np.cumsum(np.diff(flat[order]) > tol)])
    return out


def _dense(code: NDArray[Any]) -> NDArray[np.int64]:
    """Labels ``0..k-1`` of a non-negative integer array, in the order of the values (same
    shape). Small values: a presence table and a cumulative sum, ``O(n)``; else a sort."""
    flat = code.ravel()
    top = int(flat.max(initial=0)) + 1
    if top <= 4 * flat.size + 1024:
        present = np.zeros(top, dtype=bool)
        present[flat] = True
        ranks: NDArray[np.int64] = (np.cumsum(present) - 1)[flat].astype(np.int64)
        return ranks.reshape(code.shape)
    inv = np.unique(flat, return_inverse=True)[1]
    return inv.astype(np.int64).reshape(code.shape)


def _weight_bits(m: int) -> int:
    """Bits of the hash weights so that ``Σ_k u v`` over ``m`` terms is exact in float64."""
    return max(8, min(24, (52 - max(m - 1, 1).bit_length()) // 2))


def _refine(colours: NDArray[np.int64], rng: np.random.Generator) -> NDArray[np.int64]:
    """Hash-refine to a stable partition, verify it exactly, refine again if it fails."""
    m = colours.shape[0]
    bits = _weight_bits(m)
    c = _dense(colours * (int(colours.max()) + 1) + colours.T)
    for _ in range(_MAX_ATTEMPTS):
        n_cells = int(c.max()) + 1
        while True:
            exact = n_cells <= _EXACT_CELLS
            if exact:  # few cells: the counts themselves, r² products (no verification needed)
                new = _exact_round(c, n_cells)
            else:
                new = _dense(c * n_cells + c.T)
                for _h in range(2):
                    u = rng.integers(1, 1 << bits, size=n_cells).astype(float)
                    v = rng.integers(1, 1 << bits, size=n_cells).astype(float)
                    h = _dense((u[c] @ v[c]).astype(np.int64))
                    new = _dense(new * (int(h.max()) + 1) + h)  # the pair (new, h), ranked
            n_new = int(new.max()) + 1
            c = new
            if n_new == n_cells:
                break
            n_cells = n_new
        if exact or _is_coherent(c):  # stable under the exact counts: coherent by definition
            return c
    raise RuntimeError(  # pragma: no cover - needs repeated hash collisions
        "the Weisfeiler-Leman refinement did not verify after "
        f"{_MAX_ATTEMPTS} draws of hash weights"
    )


def _exact_round(c: NDArray[np.int64], n_cells: int) -> NDArray[np.int64]:
    """One exact refinement: ``(c(i,j), c(j,i))`` and every count ``(A_a A_b)[i, j]``, ranked.

    The counts are packed in mixed radix ``M + 1`` into one int64 key, ranked only when the
    key would overflow."""
    m = c.shape[0]
    mats = [(c == k).astype(float) for k in range(n_cells)]
    key = (c * n_cells + c.T).ravel()
    span = n_cells * n_cells
    for a in range(n_cells):
        for b in range(n_cells):
            if span * (m + 1) >= 2**62:
                key = _dense(key)
                span = int(key.max()) + 1
            key = key * (m + 1) + (mats[a] @ mats[b]).ravel().astype(np.int64)
            span *= m + 1
    return _dense(key).reshape(m, m)


def _canonical(cells: NDArray[np.int64]) -> NDArray[np.int64]:
    """Relabel: diagonal cells first by first point, the others by first pair (row-major)."""
    m = cells.shape[0]
    flat = cells.ravel()
    r = int(flat.max()) + 1  # labels are 0..r-1, all used
    first = np.empty(r, dtype=np.int64)
    first[flat[::-1]] = np.arange(flat.size - 1, -1, -1)  # the last write is the first index
    diag = np.zeros(r, dtype=bool)
    diag[cells[np.arange(m), np.arange(m)]] = True
    order = np.lexsort((first, ~diag))  # diagonal cells first, then by first occurrence
    new = np.empty(r, dtype=np.int64)
    new[order] = np.arange(r)
    return new[cells]


def _representatives(cells: NDArray[Any], rank: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """One pair ``(i, j)`` of every cell (its first in row-major order)."""
    m = cells.shape[0]
    _, first = np.unique(cells.ravel(), return_index=True)
    return first // m, first % m


def _intersection_table(cells: NDArray[Any], rank: int) -> NDArray[np.int64]:
    """``p[c, a, b]`` counted at one representative pair of every cell ``c``."""
    ri, rj = _representatives(cells, rank)
    a = cells[ri, :].astype(np.int64)  # (rank, M): c(i, k)
    b = cells[:, rj].T.astype(np.int64)  # (rank, M): c(k, j)
    code = (np.arange(rank, dtype=np.int64)[:, None] * rank + a) * rank + b
    return np.bincount(code.ravel(), minlength=rank**3).reshape(rank, rank, rank)


def _is_coherent(cells: NDArray[Any]) -> bool:
    """Exact check of the three axioms on a labelling ``0..r-1`` (internal)."""
    c = np.asarray(cells, dtype=np.int64)
    m = c.shape[0]
    r = int(c.max()) + 1
    diag_labels = np.unique(np.diagonal(c))
    off = c[~np.eye(m, dtype=bool)]
    if np.intersect1d(diag_labels, off).size:
        return False
    if np.unique(c * r + c.T).size != r:  # the transpose of a cell must be one cell
        return False
    if r <= 8:
        return _check_products(c, r)
    if r * r <= 8 * m and r**3 * 8 <= 2**28:
        return _check_counts(c, r)
    return _check_sorted(c, r)


def _check_products(c: NDArray[np.int64], r: int) -> bool:
    """Few cells: every ``A_a A_b`` (exact small integers in float64) against the
    intersection numbers, ``r²`` matrix products."""
    table = _intersection_table(c, r)  # [c, a, b]
    mats = [(c == k).astype(float) for k in range(r)]
    for a in range(r):
        for b in range(r):
            if not np.array_equal(mats[a] @ mats[b], table[:, a, b][c]):
                return False
    return True


def _blocks(m: int, per_row: int) -> range:
    return range(0, m, max(1, _BLOCK_ELEMENTS // max(per_row, 1)))


def _check_counts(c: NDArray[np.int64], r: int) -> bool:
    """Histograms of ``(c(i,k), c(k,j))`` for every pair, against the intersection numbers."""
    m = c.shape[0]
    table = _intersection_table(c, r).reshape(r, r * r)
    step = _blocks(m, m * max(m, r * r)).step
    jj = np.arange(m, dtype=np.int64)[None, :, None] * (r * r)
    for start in range(0, m, step):
        rows = c[start : start + step]  # (b, M): c(i, k)
        b = rows.shape[0]
        code = rows[:, None, :] * r + c.T[None, :, :]  # (b, j, k): c(i,k) r + c(k,j)
        code += jj
        code += np.arange(b, dtype=np.int64)[:, None, None] * (m * r * r)
        hist = np.bincount(code.ravel(), minlength=b * m * r * r).reshape(b, m, r * r)
        if not np.array_equal(hist, table[rows]):
            return False
    return True


def _check_sorted(c: NDArray[np.int64], r: int) -> bool:
    """The same check by sorted multisets against each cell's representative (large rank)."""
    m = c.shape[0]
    ri, rj = _representatives(c, r)
    dtype = np.int32 if r * r < 2**31 else np.int64
    cc = c.astype(dtype)
    ct = np.ascontiguousarray(cc.T)
    step = _blocks(m, 2 * m * m).step
    for start in range(0, m, step):
        rows = cc[start : start + step]  # (b, M)
        own = np.sort(rows[:, None, :] * r + ct[None, :, :], axis=-1)
        lab = rows  # the cell of each (i, j) in the block
        ref = np.sort(cc[ri[lab], :] * r + ct[rj[lab], :], axis=-1)
        if not np.array_equal(own, ref):
            return False
    return True


# -- the configuration ------------------------------------------------------------------


class CoherentConfiguration:
    """A coherent configuration on ``M`` points, given by the cell label of every pair.

    Made by :func:`coherent_closure` (or :meth:`from_group`); construct one directly from
    labels only when they are known to be coherent (checked exactly unless
    ``check=False``).

    Parameters
    ----------
    cells : array_like of int, shape (M, M)
        The cell of every ordered pair, labels ``0..r-1``.
    check : bool, default True
        Verify that the labels are ``0..r-1`` and the axioms hold exactly (``O(M³)``), and
        raise ``ValueError`` if not; ``False`` trusts the caller.

    Attributes
    ----------
    cells : ndarray (M, M), read-only
        Labels ``0..rank-1`` in the smallest unsigned integer dtype.
    rank : int
        Number of cells (``dim`` of the coherent algebra).
    degree : int
        ``M``.

    Examples
    --------
    The pair orbits of a group form a (Schurian) coherent configuration:

    >>> from algdiv.coherent import CoherentConfiguration
    >>> from algdiv.groups import dihedral
    >>> cc = CoherentConfiguration.from_group(dihedral(6))
    >>> cc.rank, cc.is_schurian, cc.cells.dtype
    (4, True, dtype('uint8'))
    >>> cc.intersection_numbers()[1, 1]     # A_1 A_1 = 2 I + A_2 (the 6-cycle)
    array([2, 0, 1, 0])
    """

    def __init__(self, cells: ArrayLike, *, check: bool = True) -> None:
        try:
            raw = np.asarray(cells)
        except Exception as exc:
            raise ValueError(f"cells could not be read as an array: {exc}") from None
        if raw.ndim != 2 or raw.shape[0] != raw.shape[1] or raw.shape[0] == 0:
            raise ValueError(f"cells must be a non-empty square matrix (M, M), got shape {raw.shape}")
        if not (np.issubdtype(raw.dtype, np.integer) or raw.dtype == bool):
            raise TypeError(f"cells must be integer labels, got dtype {raw.dtype}")
        lab = raw.astype(np.int64)
        rank = int(lab.max()) + 1
        if check and (lab.min() < 0 or np.unique(lab).size != rank):
            raise ValueError(
                f"cells must use every label 0..{rank - 1} (got {np.unique(lab).size} distinct "
                f"labels from {int(lab.min())} to {rank - 1})"
            )
        if check and not _is_coherent(lab):
            raise ValueError(
                "cells are not a coherent configuration (the diagonal must be a union of cells, "
                "the transpose of a cell a cell, and A_a A_b constant on every cell); use "
                "coherent_closure to get the smallest one that refines them"
            )
        out = lab.astype(np.min_scalar_type(rank - 1))
        out.flags.writeable = False
        self._cells = out
        self._rank = rank
        self._degree = int(lab.shape[0])
        self._search_complete = True

    @classmethod
    def from_group(cls, G: PermutationGroup) -> CoherentConfiguration:
        """The orbital configuration of a permutation group: its pair orbits as cells.

        Its coherent algebra is the commutant ``C(G)`` and :meth:`project` is the Reynolds
        projection.
        """
        from ._validation import as_group

        group = as_group(G)
        return cls(_canonical(np.asarray(group.pair_orbits(), dtype=np.int64)), check=False)

    # -- the cells -------------------------------------------------------------------------
    @property
    def cells(self) -> NDArray[Any]:
        return self._cells

    @property
    def rank(self) -> int:
        return self._rank

    @property
    def degree(self) -> int:
        return self._degree

    def __repr__(self) -> str:
        kind = "association scheme" if self.is_homogeneous else "coherent configuration"
        return f"<{kind} of rank {self._rank} on {self._degree} points>"

    def __eq__(self, other: object) -> bool:
        """Equal partitions of the pairs (labels may differ)."""
        if not isinstance(other, CoherentConfiguration):
            return NotImplemented
        if other.degree != self.degree or other.rank != self.rank:
            return False
        joint = self._cells.astype(np.int64) * other.rank + other.cells
        return bool(np.unique(joint).size == self.rank)

    __hash__ = None  # type: ignore[assignment]

    @cached_property
    def cell_sizes(self) -> NDArray[np.int64]:
        """Number of pairs in every cell."""
        sizes = np.bincount(self._cells.ravel(), minlength=self._rank).astype(np.int64)
        sizes.flags.writeable = False
        return sizes

    @cached_property
    def transpose(self) -> NDArray[np.intp]:
        """``transpose[c]`` is the cell of the pairs ``(j, i)`` with ``(i, j)`` in cell ``c``."""
        ri, rj = _representatives(self._cells, self._rank)
        out = self._cells[rj, ri].astype(np.intp)
        out.flags.writeable = False
        return out

    @property
    def is_symmetric(self) -> bool:
        """Whether every cell is its own transpose (every ``A_c`` symmetric)."""
        return bool(np.array_equal(self.transpose, np.arange(self._rank)))

    @property
    def n_symmetric_classes(self) -> int:
        """Number of classes ``{C, Cᵀ}``: the free parameters of a real symmetric matrix in the algebra."""
        return int(np.unique(np.minimum(self.transpose, np.arange(self._rank))).size)

    @cached_property
    def fibres(self) -> NDArray[np.intp]:
        """The fibre (diagonal cell) of every point: the analogue of a group's point orbits."""
        d = np.diagonal(self._cells).astype(np.int64)
        out = np.unique(d, return_inverse=True)[1].astype(np.intp).ravel()
        out.flags.writeable = False
        return out

    @property
    def n_fibres(self) -> int:
        return int(self.fibres.max()) + 1

    @property
    def is_homogeneous(self) -> bool:
        """One fibre: the configuration is an association scheme (``A_0 = I``)."""
        return self.n_fibres == 1

    @property
    def effective_dimension(self) -> float:
        """``M² / rank``: pairs averaged together per free parameter (``d_eff`` of a group)."""
        return self._degree**2 / self._rank

    def intersection_numbers(self) -> NDArray[np.int64]:
        """``p[a, b, c]``: ``A_a A_b = Σ_c p[a, b, c] A_c`` (shape ``(rank,)*3``).

        ``p[a, b, c] = #{k : (i,k) ∈ C_a, (k,j) ∈ C_b}`` for any ``(i, j)`` in ``C_c``.
        """
        check_memory(8.0 * self._rank**3, f"the intersection numbers of rank {self._rank}")
        table = _intersection_table(self._cells, self._rank)  # [c, a, b]
        return np.ascontiguousarray(np.moveaxis(table, 0, -1))

    @property
    def is_commutative(self) -> bool:
        """Whether the coherent algebra is commutative (``p[a, b, c] = p[b, a, c]``)."""
        if not self.is_homogeneous:
            return False  # the fibre idempotents do not commute with the cells between fibres
        p = self.intersection_numbers()
        return bool(np.array_equal(p, np.swapaxes(p, 0, 1)))

    def matrices(self) -> NDArray[np.float64]:
        """The cell matrices ``A_c`` as a dense ``(rank, M, M)`` 0/1 array."""
        m, r = self._degree, self._rank
        check_memory(8.0 * r * m * m, f"the {r} dense cell matrices of size {m} x {m}")
        out = np.zeros((r, m * m))
        out[self._cells.ravel(), np.arange(m * m)] = 1.0
        return out.reshape(r, m, m)

    # -- the projection --------------------------------------------------------------------
    def project(self, A: ArrayLike) -> NDArray[Any]:
        """The orthogonal projection onto the coherent algebra: every entry → its cell's mean.

        For the orbital configuration of a group this is the Reynolds operator. It keeps
        Hermitian and positive semi-definite matrices so; ``O(M²)`` per matrix.

        Parameters
        ----------
        A : array_like, shape (..., M, M)
            Real or complex; leading axes are a batch. Not modified.

        Returns
        -------
        ndarray, shape (..., M, M)

        Examples
        --------
        >>> import numpy as np
        >>> from algdiv.coherent import coherent_closure
        >>> cc = coherent_closure(np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
        >>> cc.project(np.arange(9.0).reshape(3, 3))
        array([[4., 3., 3.],
               [5., 4., 5.],
               [5., 3., 4.]])
        """
        a = as_square(A, "A", batch=True)
        if a.shape[-1] != self._degree:
            raise ValueError(
                f"A is {a.shape[-1]}x{a.shape[-1]} but the configuration has {self._degree} points"
            )
        return self._project(a)

    def _project(self, a: NDArray[Any]) -> NDArray[Any]:
        m, r = self._degree, self._rank
        stack = a.reshape(-1, m * m)
        k = stack.shape[0]
        flat = self._cells.ravel().astype(np.int64)
        idx = (np.arange(k, dtype=np.int64)[:, None] * r + flat[None, :]).ravel()
        sizes = np.tile(self.cell_sizes, k)
        means: NDArray[Any] = np.bincount(idx, weights=stack.real.ravel(), minlength=k * r) / sizes
        if np.iscomplexobj(a):
            means = means + 1j * (
                np.bincount(idx, weights=stack.imag.ravel(), minlength=k * r) / sizes
            )
        out = means.reshape(k, r)[:, flat]
        return cast("NDArray[Any]", out.reshape(a.shape))

    def contains(self, A: ArrayLike, tol: float = 1e-10) -> bool:
        """Whether ``A`` is constant on every cell (relative Frobenius tolerance ``tol``)."""
        a = as_square(A, "A")
        norm = float(np.linalg.norm(a))
        return norm == 0.0 or float(np.linalg.norm(a - self.project(a))) <= tol * norm

    def refines(self, other: CoherentConfiguration) -> bool:
        """Whether every cell of ``self`` lies inside a cell of ``other``."""
        if other.degree != self.degree:
            return False
        joint = self._cells.astype(np.int64) * other.rank + other.cells
        return bool(np.unique(joint).size == self.rank)

    # -- automorphisms -----------------------------------------------------------------------
    @cached_property
    def automorphism_group(self) -> PermutationGroup:
        """The permutations preserving every cell (the automorphisms of the pattern closed).

        Found by the individualization-refinement search of
        :func:`algdiv.discovery.automorphisms` on the cell colouring (never enumerated).
        """
        from .discovery.automorphisms import colouring_automorphisms
        from .groups import PermutationGroup

        m = self._degree
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuntimeWarning)
            gens = colouring_automorphisms(self._cells.astype(np.int64))
        self._search_complete = not any(
            "automorphism search stopped" in str(w.message) for w in caught
        )
        for w in caught:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        return PermutationGroup([np.asarray(g, dtype=np.intp) for g in gens], m)

    @property
    def is_schurian(self) -> bool:
        """Whether the cells are exactly the pair orbits of :attr:`automorphism_group`.

        Raises
        ------
        RuntimeError
            If the automorphism search ran out of budget and the group found so far has
            more pair orbits than there are cells (undecided).
        """
        G = self.automorphism_group
        if G.n_pair_orbits == self._rank:
            return True
        if not self._search_complete:
            raise RuntimeError(
                "the automorphism search stopped at its node budget: whether the configuration "
                "is Schurian is undecided"
            )
        return False

    # -- the commutative case ------------------------------------------------------------------
    def eigenmatrices(self) -> tuple[NDArray[Any], NDArray[Any]]:
        """The first and second eigenmatrices ``P`` and ``Q`` of a commutative scheme.

        The algebra has primitive idempotents ``E_0 = J/M, E_1, …, E_d`` (``d + 1 =
        rank``) with ``A_c = Σ_j P[j, c] E_j`` and ``E_j = (1/M) Σ_c Q[c, j] A_c``, so
        ``P Q = M I``. Row ``j`` of ``P`` holds the eigenvalues of every ``A_c`` on the
        eigenspace ``E_j``; ``Q[0, j] = tr E_j`` is its multiplicity. Computed from the
        ``rank × rank`` intersection matrices (the regular representation); rows are ordered
        ``E_0`` first, then by decreasing eigenvalues of ``A_1, A_2, …``. Real when the
        scheme is symmetric.

        Returns
        -------
        P, Q : ndarray, shape (rank, rank)

        Raises
        ------
        ValueError
            If the configuration is not a commutative association scheme.

        Examples
        --------
        The Shrikhande graph's scheme: eigenvalues 6, 2, -2 with multiplicities 1, 6, 9.

        >>> import numpy as np
        >>> from algdiv.coherent import coherent_closure
        >>> pts = [(a, b) for a in range(4) for b in range(4)]
        >>> steps = {(1, 0), (3, 0), (0, 1), (0, 3), (1, 1), (3, 3)}
        >>> A = np.array([[((p[0] - q[0]) % 4, (p[1] - q[1]) % 4) in steps
        ...                for q in pts] for p in pts])
        >>> P, Q = coherent_closure(A).eigenmatrices()
        >>> P.round(6) + 0.0
        array([[ 1.,  6.,  9.],
               [ 1.,  2., -3.],
               [ 1., -2.,  1.]])
        >>> Q[0].round(6) + 0.0
        array([1., 6., 9.])
        """
        if not self.is_commutative:
            raise ValueError(
                "eigenmatrices need a commutative association scheme (one fibre, commuting "
                f"cell matrices); this {self!r} is not"
            )
        r = self._rank
        p = self.intersection_numbers().astype(float)  # [a, b, c]
        # regular representation: (L_a)[c, b] = p[a, b, c], and L_a L_b = Σ_c p[a,b,c] L_c
        L = np.transpose(p, (0, 2, 1))
        rng = np.random.default_rng(_SEED)
        for _ in range(_MAX_ATTEMPTS):
            t = rng.standard_normal(r)
            w, V = np.linalg.eig(np.tensordot(t, L, axes=1))
            scale = max(float(np.max(np.abs(w))), 1.0)
            gaps = np.abs(w[:, None] - w[None, :]) + np.eye(r) * scale
            if gaps.min() < 1e-6 * scale:
                continue  # two characters too close on this combination: draw again
            Vi = np.linalg.inv(V)
            D = np.einsum("jk,akl,lj->ja", Vi, L, V)  # eigenvalue of L_a on vector j
            resid = np.einsum("jk,akl,lm->ajm", Vi, L, V)
            resid[:, np.arange(r), np.arange(r)] = 0
            if np.max(np.abs(resid)) > 1e-8 * max(float(np.max(np.abs(L))), 1.0):
                continue
            break
        else:  # pragma: no cover - a commutative algebra has distinct characters
            raise RuntimeError("could not separate the characters of the scheme")
        if self.is_symmetric or np.max(np.abs(D.imag)) < 1e-9 * max(float(np.max(np.abs(D))), 1):
            D = D.real
        key = np.round(D.real, 9)
        order = np.lexsort(tuple(-key[:, a] for a in range(r - 1, -1, -1)))
        Pm = D[order]
        Qm = self._degree * np.linalg.inv(Pm)
        if np.isrealobj(Pm):
            Qm = Qm.real
        return Pm, Qm

    # -- the algebra and its transform ---------------------------------------------------------
    def algebra(self) -> SchemeAlgebra:
        """The coherent algebra as a :class:`~algdiv.transforms.CommutantAlgebra`."""
        return SchemeAlgebra(self)

    def matched_transform(
        self, R: ArrayLike | None = None, *, rng: np.random.Generator | int | None = None
    ) -> Transform:
        """The common block-eigenbasis of the coherent algebra (its matched transform).

        For a commutative scheme every block is one-dimensional with multiplicity one: the
        basis diagonalizes every matrix of the algebra, and its blocks are the eigenspaces
        ``E_j`` (dimensions ``Q[0, j]``). Otherwise, when ``R`` is given, each multiplicity
        block is diagonalized from ``R`` (as :func:`algdiv.matched_transform` does).

        Examples
        --------
        >>> import numpy as np
        >>> from algdiv.coherent import coherent_closure
        >>> i = np.arange(7)
        >>> paley7 = np.isin((i[None, :] - i[:, None]) % 7, [1, 2, 4]).astype(int)
        >>> cc = coherent_closure(paley7)               # a tournament: 3 cells
        >>> T = cc.matched_transform()
        >>> R = cc.project(np.diag(np.arange(1.0, 8.0)) + 0.3 * paley7)
        >>> R = R + R.T
        >>> D = T.matrix.conj().T @ R @ T.matrix
        >>> bool(np.allclose(D, np.diag(np.diag(D))))
        True
        """
        from .transforms import matched_transform

        return matched_transform(self.algebra(), R, rng=rng)


class SchemeAlgebra(CommutantAlgebra):
    """The coherent algebra of a :class:`CoherentConfiguration`, spanned by its cell matrices.

    A :class:`~algdiv.transforms.CommutantAlgebra` whose projection is the ``O(M²)`` cell
    average and whose random elements are random coefficients on the cells (no dense basis
    is built unless :attr:`basis` is read), so :func:`algdiv.matched_transform` derives its
    common block-eigenbasis in ``O(M³)``.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.coherent import coherent_closure
    >>> A = coherent_closure(np.eye(4, dtype=int)).algebra()     # span of I and J - I
    >>> A.dim, bool(A.contains(3 * np.eye(4) + 1))
    (2, True)
    """

    def __init__(self, scheme: CoherentConfiguration) -> None:  # no super().__init__: no dense span
        if not isinstance(scheme, CoherentConfiguration):
            raise TypeError(f"scheme must be a CoherentConfiguration, got {type(scheme).__name__}")
        self._scheme = scheme
        self._degree = scheme.degree
        self._name = f"coherent algebra of rank {scheme.rank} on {scheme.degree} points"
        self._dense: NDArray[Any] | None = None

    @property
    def dim(self) -> int:
        return self._scheme.rank

    @property
    def scheme(self) -> CoherentConfiguration:
        return self._scheme

    @property
    def basis(self) -> NDArray[Any]:
        """The orthonormal basis ``A_c / √|C_c|`` (dense, built on first use)."""
        if self._dense is None:
            mats = self._scheme.matrices()
            self._dense = mats / np.sqrt(self._scheme.cell_sizes)[:, None, None]
        return self._dense

    def project(self, A: ArrayLike) -> NDArray[Any]:
        a = as_square(A, "A", batch=True, size=self._degree)
        return self._scheme._project(a)

    def _is_real_symmetric(self) -> bool:
        return self._scheme.is_symmetric

    def _random_element(self, rng: np.random.Generator, complex_: bool) -> NDArray[Any]:
        c = rng.standard_normal(self._scheme.rank)
        if complex_:
            c = c + 1j * rng.standard_normal(self._scheme.rank)
        return cast("NDArray[Any]", c[self._scheme.cells])
