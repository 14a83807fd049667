"""Blockwise second and fourth moments of snapshots: one pass over row blocks of ``X``.

An internal API shared by the estimators (and by any code that needs sums over
snapshots of a large ``X``): every function here takes ``X`` of shape ``(n, M)`` as a
NumPy array or as a ``dask.array`` chunked by rows, reads each row block exactly once
per call (one *pass*), and returns small results (``M``-vectors, ``M × M`` matrices or
one number per pair orbit).  ``X`` is never materialized: with dask, each block is turned
into its partial sums by a task and the partials are added in a tree (fan-in
:data:`FAN_IN`), so the memory in use is ``O(M² + block)`` per block in flight.  Columns
split over several chunks are joined lazily (``X.rechunk({1: -1})``) first.

Every reduction also checks that ``X`` is finite, in the same pass: each block function
returns sums in which every entry of the block appears (``Σ |x_i|²`` or ``Σ x_i``), so a
NaN or infinity shows in the small partial result (as does an overflow of the sums).

Functions
---------
is_dask_array          whether ``X`` is a dask array
check_dask_snapshots   lazy validation of a dask ``X`` (2-D, numeric, columns in one chunk)
column_sums            n and Σ_k x_k (for a mean pass)
second_moments         n, column sums, Σ_k x_k x_kᴴ and, optionally, the centred scatter
orbit_fourth_moments   Σ_k |⟨x_k x_kᴴ, B_O⟩|² / |O| for every pair orbit O
shrinkage_moments      Σ_k x_k x_kᴴ, Σ_k ‖x_k‖⁴ and the orbit fourth moments in one pass
risk_moments           the same for several candidate groups at once, one pass
blockwise_reduce       the engine: apply a block function and combine, one pass

The formulas
------------
With ``A_k = x_k x_kᴴ`` and ``B_O`` the 0/1 matrix of pair orbit ``O``,
``Φ_G(A_k) = Σ_O ⟨A_k, B_O⟩ B_O / |O|`` and, the ``B_O`` being orthogonal,
``‖Φ_G(A_k)‖² = Σ_O |Σ_{(i,j)∈O} x_ki conj(x_kj)|² / |O|``; also ``‖A_k‖² = ‖x_k‖⁴``.
Hence for ``P⊥ = I − Φ_G`` and ``S = (1/n) Σ_k A_k``::

    Σ_k ‖P⊥(A_k − S)‖² = Σ_k ‖x_k‖⁴ − Σ_O q_O − n ‖P⊥(S)‖²,   q_O = Σ_k |⟨A_k, B_O⟩|² / |O|

(the cross term is ``−2n ‖P⊥ S‖²`` because ``Σ_k A_k = n S``): the plug-in shrinkage needs
one pass over centred data.  Likewise, for the unbiased risk estimates of a candidate group,
``Σ_k ‖Φ_G(A_k − S)‖² = Σ_O q_O − n ‖Φ_G(S)‖²`` and
``Σ_k ‖A_k − S‖² = Σ_k ‖x_k‖⁴ − n ‖S‖²``: one pass per candidate's labels (several
candidates' ``q`` can share a pass by calling :func:`blockwise_reduce` with a block function
that returns them all: :func:`risk_moments`).  Centred moments of blocks ``a`` and ``b`` combine exactly
(Chan, Golub and LeVeque): with ``δ = m_b − m_a``,
``C = C_a + C_b + (n_a n_b / n) δ δᴴ``, so the sample mean and the centred scatter come
from the same single pass, without the cancellation of ``Σ x xᴴ − n m mᴴ``.

Examples
--------
>>> import numpy as np
>>> import dask.array as da
>>> X = np.arange(12.0).reshape(6, 2)
>>> mom = second_moments(da.from_array(X, chunks=(2, 2)), center=True)
>>> mom.n, mom.mean
(6, array([5., 6.]))
>>> np.allclose(mom.scatter, np.cov(X, rowvar=False, bias=True) * 6)
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from .._limits import check_memory

__all__ = [
    "FAN_IN",
    "SecondMoments",
    "blockwise_reduce",
    "check_dask_snapshots",
    "column_sums",
    "is_dask_array",
    "orbit_fourth_moments",
    "risk_moments",
    "second_moments",
    "shrinkage_moments",
]

#: Partial results added per task in the dask reduction tree.
FAN_IN = 8
#: Elements of one batch of rows of a NumPy X (bounds memory).
_OUTER_BATCH = 1 << 21
#: Rows per block when ``X`` is a NumPy array (the same code as for one dask block).
_NUMPY_BLOCK = 65_536


def is_dask_array(X: Any) -> bool:
    """Whether ``X`` is a ``dask.array.Array`` (without importing dask when it is not loaded).

    >>> import numpy as np
    >>> is_dask_array(np.zeros(3))
    False
    """
    mod = type(X).__module__
    if not mod.startswith("dask"):
        return False
    import dask.array as da

    return isinstance(X, da.Array)


def check_dask_snapshots(X: Any, name: str = "X", *, size: int | None = None) -> Any:
    """Validate a dask ``X`` lazily (2-D, numeric, non-empty; finiteness is checked in the pass).

    Returns ``X`` as float or complex, its columns in one chunk (both lazy).
    """
    if X.ndim != 2:
        raise ValueError(f"{name} must be a 2-D dask array (n_samples, M), got shape {X.shape}")
    if any(np.isnan(s) for s in X.shape):
        raise ValueError(
            f"{name} has unknown chunk sizes {X.shape}; call {name}.compute_chunk_sizes() first"
        )
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} is empty: shape {X.shape}")
    if not (np.issubdtype(X.dtype, np.number) or X.dtype == bool):
        raise TypeError(f"{name} must be numeric, got dtype {X.dtype}")
    if size is not None and X.shape[1] != size:
        raise ValueError(f"{name} has {X.shape[1]} features, expected {size}")
    if not np.issubdtype(X.dtype, np.inexact):
        X = X.astype(float)
    if X.numblocks[1] != 1:
        X = X.rechunk({1: -1})
    return X


def _numpy_blocks(X: NDArray[Any], rows: int) -> list[NDArray[Any]]:
    return [X[start : start + rows] for start in range(0, X.shape[0], rows)]


def _finite(value: Any) -> bool:
    if isinstance(value, (tuple, list)):
        return all(_finite(v) for v in value)
    return bool(np.all(np.isfinite(value)))


def _apply(
    block: NDArray[Any], fn: Callable[[NDArray[Any]], Any], shift: NDArray[Any] | None
) -> tuple[Any, bool]:
    block = np.asarray(block)
    if not np.issubdtype(block.dtype, np.inexact):
        block = block.astype(float)
    with np.errstate(invalid="ignore", over="ignore"):  # non-finite data: reported below
        if shift is not None:
            block = block - shift
        value = fn(block)
    # A NaN or inf in the block reaches every partial sum built here (each holds Σ|x_i|²
    # or Σ x_i): checking the small result costs O(M²) instead of a pass over the block.
    return value, _finite(value)


def _combine_all(
    parts: Sequence[tuple[Any, bool]], combine: Callable[[Any, Any], Any]
) -> tuple[Any, bool]:
    value, finite = parts[0]
    for other, ok in parts[1:]:
        value = combine(value, other)
        finite = finite and ok
    return value, finite


def blockwise_reduce(
    X: Any,
    fn: Callable[[NDArray[Any]], Any],
    combine: Callable[[Any, Any], Any],
    *,
    shift: NDArray[Any] | None = None,
    name: str = "X",
) -> Any:
    """``combine`` of ``fn(block − shift)`` over the row blocks of ``X``: one pass.

    ``fn`` maps a NumPy block ``(b, M)`` to a small partial result; ``combine`` must be
    associative (a sum, or the centred-moment merge), and its partial results must hold
    every entry of the block in some sum (so that a NaN or inf in ``X`` shows in them: the
    finiteness check looks at the partials only).  A dask ``X`` is reduced by a
    tree of tasks on the active scheduler (a ``dask.distributed`` client when one is
    set); a NumPy ``X`` block by block in this process.  Raises ``ValueError`` when
    ``X`` holds NaN or infinity.

    Examples
    --------
    >>> import numpy as np
    >>> import dask.array as da
    >>> X = da.ones((10, 3), chunks=(4, 3))
    >>> int(blockwise_reduce(X, lambda b: b.shape[0], lambda a, b: a + b))
    10
    """
    if is_dask_array(X):
        from dask.delayed import delayed

        if X.ndim == 2 and X.numblocks[1] != 1:
            X = X.rechunk({1: -1})
        blocks = X.to_delayed().ravel().tolist()
        part = delayed(_apply, pure=True)
        merge = delayed(_combine_all, pure=True)
        level = [part(b, fn, shift) for b in blocks]
        while len(level) > 1:
            level = [merge(level[i : i + FAN_IN], combine) for i in range(0, len(level), FAN_IN)]
        value, finite = level[0].compute()
    else:
        rows = max(1, min(_NUMPY_BLOCK, _OUTER_BATCH // max(1, X.shape[1])))
        value, finite = _combine_all(
            [_apply(b, fn, shift) for b in _numpy_blocks(X, rows)], combine
        )
    if not finite:
        raise ValueError(f"{name} contains NaN or infinite values (or its sums overflow)")
    return value


def _add(a: Any, b: Any) -> Any:
    if isinstance(a, tuple):
        return tuple(x + y for x, y in zip(a, b))
    return a + b


@dataclass(frozen=True)
class SecondMoments:
    """Result of :func:`second_moments`.

    Attributes
    ----------
    n : int
        Number of snapshots.
    sum_outer : ndarray (M, M)
        ``Σ_k x_k x_kᴴ`` (about the origin, or about ``shift`` when one was given).
    mean : ndarray (M,) or None
        The sample mean (``center=True`` only).
    scatter : ndarray (M, M) or None
        ``Σ_k (x_k − mean)(x_k − mean)ᴴ`` (``center=True`` only).
    """

    n: int
    sum_outer: NDArray[Any]
    mean: NDArray[Any] | None = None
    scatter: NDArray[Any] | None = None

    def covariance(self, location: NDArray[Any] | None = None) -> NDArray[Any]:
        """``(1/n) Σ_k (x_k − location)(x_k − location)ᴴ``, exactly Hermitian.

        ``location=None`` means about the origin (``Σ x xᴴ / n``); any other location
        needs ``center=True`` and uses ``scatter/n + (mean − location)(mean − location)ᴴ``.
        """
        if location is None:
            s = self.sum_outer / self.n
        else:
            if self.scatter is None or self.mean is None:
                raise ValueError("a centred covariance needs second_moments(..., center=True)")
            d = self.mean - location
            s = self.scatter / self.n + np.outer(d, d.conj())
        return (s + s.conj().T) / 2


def _sum_part(block: NDArray[Any]) -> tuple[int, NDArray[Any]]:
    return block.shape[0], block.sum(axis=0)


def column_sums(X: Any, *, name: str = "X") -> tuple[int, NDArray[Any]]:
    """``(n, Σ_k x_k)``: one pass (the mean is the second entry over the first).

    >>> import numpy as np
    >>> column_sums(np.array([[1.0, 2.0], [3.0, 4.0]]))
    (2, array([4., 6.]))
    """
    n, total = blockwise_reduce(X, _sum_part, _add, name=name)
    return int(n), total


def _raw_part(block: NDArray[Any]) -> tuple[int, NDArray[Any]]:
    return block.shape[0], block.T @ block.conj()


def _centred_part(block: NDArray[Any]) -> tuple[int, NDArray[Any], NDArray[Any]]:
    m = block.mean(axis=0)
    c = block - m
    return block.shape[0], m, c.T @ c.conj()


_Centred = tuple[int, NDArray[Any], NDArray[Any]]  # (n, mean, scatter) of a block


def _chan(a: _Centred, b: _Centred) -> _Centred:
    na, ma, ca = a
    nb, mb, cb = b
    n = na + nb
    d = mb - ma
    return n, ma + d * (nb / n), ca + cb + np.outer(d, d.conj()) * (na * nb / n)


def second_moments(
    X: Any, *, center: bool = False, shift: NDArray[Any] | None = None, name: str = "X"
) -> SecondMoments:
    """``n``, ``Σ_k x_k x_kᴴ`` and (``center=True``) the mean and centred scatter: one pass.

    Parameters
    ----------
    X : ndarray or dask.array, shape (n, M)
        Snapshots in rows; a dask array chunked by rows is never materialized.
    center : bool, default False
        Also return the sample mean and ``Σ_k (x_k − mean)(x_k − mean)ᴴ``, merged over
        blocks exactly (no ``Σ x xᴴ − n m mᴴ`` cancellation); ``sum_outer`` is then
        ``scatter + n·mean meanᴴ``.
    shift : ndarray (M,), optional
        Subtracted from every row first (e.g. a known mean).
    name : str
        The argument's name in error messages.

    Returns
    -------
    SecondMoments

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> second_moments(X).sum_outer
    array([[10., 14.],
           [14., 20.]])
    """
    if center:
        n, mean, scatter = blockwise_reduce(X, _centred_part, _chan, shift=shift, name=name)
        sum_outer = scatter + np.outer(mean, mean.conj()) * n
        return SecondMoments(int(n), sum_outer, mean, scatter)
    n, sum_outer = blockwise_reduce(X, _raw_part, _add, shift=shift, name=name)
    return SecondMoments(int(n), sum_outer)


# (upper rows, upper columns, upper-triangle summing operator, diagonal summing operator,
# orbit of the transposed pairs): what _OrbitSums builds once per process.
_Operators = tuple[NDArray[np.intp], NDArray[np.intp], Any, Any, NDArray[np.intp]]


class _OrbitSums:
    """Block function: per-orbit ``Σ_k |⟨x_k x_kᴴ, B_O⟩|² / |O|`` (and optional extras).

    Only the pairs ``i < j`` are formed: the pairs ``i > j`` of an orbit ``O`` are the
    transposes of those of the orbit ``Oᵀ`` and contribute ``conj`` of its upper sum, so
    ``⟨x xᴴ, B_O⟩ = diag_O + upper_O + conj(upper_{Oᵀ})`` at half the cost.
    """

    def __init__(self, labels: NDArray[Any], counts: NDArray[Any], extras: bool) -> None:
        self.labels = np.asarray(labels)
        self.counts = np.asarray(counts, dtype=float)
        self.extras = extras
        self._prepared: _Operators | None = None

    def __getstate__(self) -> dict[str, Any]:  # the operators are rebuilt where the task runs
        return {"labels": self.labels, "counts": self.counts, "extras": self.extras,
                "_prepared": None}

    def _prepare(self) -> _Operators:
        labels = self.labels
        m, d = labels.shape[0], self.counts.size
        iu0, iu1 = np.triu_indices(m, 1)
        upper = sparse.csr_array(
            (np.ones(iu0.size), (labels[iu0, iu1], np.arange(iu0.size))), shape=(d, iu0.size)
        )
        diag = sparse.csr_array(
            (np.ones(m), (labels[np.arange(m), np.arange(m)], np.arange(m))), shape=(d, m)
        )
        transpose = np.empty(d, dtype=np.intp)
        transpose[labels.ravel()] = labels.T.ravel()  # the orbit of (j, i) from that of (i, j)
        return iu0, iu1, upper, diag, transpose

    def __call__(self, block: NDArray[Any]) -> Any:
        if self._prepared is None:
            self._prepared = self._prepare()
        iu0, iu1, upper, diag, transpose = self._prepared
        m = block.shape[1]
        q = np.zeros(self.counts.size)
        rows = max(1, (1 << 16) // max(1, m * (m - 1) // 2))  # a cache-sized batch
        for start in range(0, block.shape[0], rows):
            x = block[start : start + rows]
            up = upper @ (x[:, iu0] * x[:, iu1].conj()).T  # (d, r): Σ_{O, i<j} x_i conj(x_j)
            tot = diag @ (np.abs(x) ** 2).T + up + up[transpose].conj()
            q += np.sum(np.abs(tot) ** 2, axis=1)
        q /= self.counts
        if not self.extras:
            return q
        norms = np.sum(np.abs(block) ** 2, axis=1)
        return block.shape[0], block.T @ block.conj(), float(np.sum(norms**2)), q


def _check_labels(
    labels: NDArray[Any], counts: NDArray[Any], m: int
) -> tuple[NDArray[Any], NDArray[Any]]:
    labels = np.asarray(labels)
    counts = np.asarray(counts)
    if labels.shape != (m, m):
        raise ValueError(f"labels must have shape ({m}, {m}) for M = {m}, got {labels.shape}")
    if counts.ndim != 1 or counts.size == 0 or np.any(counts <= 0):
        raise ValueError(f"counts must be a 1-D array of positive orbit sizes, got {counts!r}")
    return labels, counts


def orbit_fourth_moments(
    X: Any,
    labels: NDArray[Any],
    counts: NDArray[Any],
    *,
    shift: NDArray[Any] | None = None,
    name: str = "X",
) -> NDArray[Any]:
    """``q_O = Σ_k |⟨x_k x_kᴴ, B_O⟩|² / |O|`` for every pair orbit ``O``: one pass.

    ``⟨x_k x_kᴴ, B_O⟩ = Σ_{(i,j)∈O} x_ki conj(x_kj)``; the sum of ``q`` over orbits is
    ``Σ_k ‖Φ_G(x_k x_kᴴ)‖²``, which with ``Σ_k ‖x_k‖⁴`` gives the variance terms of the
    plug-in shrinkage and of the unbiased risk estimates.  Cost ``O(n M²)``.

    Parameters
    ----------
    X : ndarray or dask.array, shape (n, M)
    labels : ndarray of int, shape (M, M)
        Pair-orbit labels ``0 .. d-1`` (``G.pair_orbits()``).
    counts : ndarray of int, shape (d,)
        Orbit sizes (``G.pair_orbit_sizes()``).
    shift : ndarray (M,), optional
        Subtracted from every row first (e.g. the sample mean).
    name : str
        The argument's name in error messages.

    Returns
    -------
    ndarray of float, shape (d,)

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.groups import cyclic
    >>> from algdiv.commutant import reynolds
    >>> G = cyclic(4)
    >>> X = np.random.default_rng(0).standard_normal((5, 4))
    >>> q = orbit_fourth_moments(X, G.pair_orbits(), G.pair_orbit_sizes())
    >>> direct = sum(np.sum(reynolds(np.outer(x, x), G) ** 2) for x in X)
    >>> bool(np.isclose(q.sum(), direct))
    True
    """
    labels, counts = _check_labels(labels, counts, X.shape[1])
    q: NDArray[Any] = blockwise_reduce(
        X, _OrbitSums(labels, counts, False), _add, shift=shift, name=name
    )
    return q


def shrinkage_moments(
    X: Any,
    labels: NDArray[Any],
    counts: NDArray[Any],
    *,
    shift: NDArray[Any] | None = None,
    name: str = "X",
) -> tuple[int, NDArray[Any], float, NDArray[Any]]:
    """``(n, Σ_k x_k x_kᴴ, Σ_k ‖x_k‖⁴, q)`` in one pass (``q`` as :func:`orbit_fourth_moments`).

    Everything the plug-in shrinkage toward ``Φ_G`` needs (see the module notes).

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.groups import cyclic
    >>> G = cyclic(3)
    >>> n, s, norm4, q = shrinkage_moments(np.eye(3), G.pair_orbits(), G.pair_orbit_sizes())
    >>> n, norm4, q.round(4).tolist()
    (3, 3.0, [1.0, 0.0, 0.0])
    """
    labels, counts = _check_labels(labels, counts, X.shape[1])
    n, s, norm4, q = blockwise_reduce(
        X, _OrbitSums(labels, counts, True), _add, shift=shift, name=name
    )
    return int(n), s, float(norm4), q


def row_subsample(X: Any, rows: int) -> tuple[NDArray[Any], int]:
    """Every ``step``-th row of a dask ``X`` (at most about ``rows`` of them) as a NumPy
    array, and the step: one pass, evenly spread over the data.  Internal API."""
    n = int(X.shape[0])
    step = max(1, -(-n // max(1, rows)))
    check_memory(16.0 * X.shape[1] * (-(-n // step)), f"a subsample of {-(-n // step)} rows")
    return np.asarray(X[::step].compute()), step


class _Leverage:
    """Block function: ``Σ_k (x_kᴴ W x_k)²`` for a Hermitian ``W`` (Mardia's kurtosis)."""

    def __init__(self, whitener: NDArray[Any]) -> None:
        self.whitener = whitener

    def __call__(self, block: NDArray[Any]) -> float:
        y = block.conj() @ self.whitener
        return float(np.sum(np.sum(np.abs(y) ** 2, axis=1) ** 2))


def leverage_fourth_moment(
    X: Any, inverse_root: NDArray[Any], *, shift: NDArray[Any] | None = None, name: str = "X"
) -> float:
    """``Σ_k ‖x_kᴴ V‖⁴`` with ``V = S^{-1/2}`` (any square root): one pass.  Internal API."""
    return float(blockwise_reduce(X, _Leverage(inverse_root), _add, shift=shift, name=name))


class _ManyOrbitSums:
    """Block function: ``(n, Σ x xᴴ, Σ ‖x‖⁴, [q for each candidate])``."""

    def __init__(self, candidates: list[tuple[NDArray[Any], NDArray[Any]]]) -> None:
        self.parts = [_OrbitSums(lab, cnt, False) for lab, cnt in candidates]

    def __call__(self, block: NDArray[Any]) -> tuple[Any, ...]:
        norms = np.sum(np.abs(block) ** 2, axis=1)
        return (block.shape[0], block.T @ block.conj(), float(np.sum(norms**2)),
                tuple(part(block) for part in self.parts))


def _add_nested(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2], tuple(x + y for x, y in zip(a[3], b[3])))


def risk_moments(
    X: Any,
    candidates: Sequence[tuple[NDArray[Any], NDArray[Any]]],
    *,
    shift: NDArray[Any] | None = None,
    name: str = "X",
) -> tuple[int, NDArray[Any], float, list[NDArray[Any]]]:
    """``(n, Σ_k x_k x_kᴴ, Σ_k ‖x_k‖⁴, [q per candidate])`` for several groups: one pass.

    ``candidates`` holds ``(labels, counts)`` per candidate group; each ``q`` is as in
    :func:`orbit_fourth_moments`.  With ``S = Σ x xᴴ / n`` these give, per candidate
    ``P = Φ_G``, ``Σ_k ‖P(x_k x_kᴴ − S)‖² = Σ_O q_O − n ‖P S‖²`` and, for all,
    ``Σ_k ‖x_k x_kᴴ − S‖² = Σ_k ‖x_k‖⁴ − n ‖S‖²``.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.groups import cyclic, dihedral
    >>> X = np.random.default_rng(0).standard_normal((50, 6))
    >>> cands = [(G.pair_orbits(), G.pair_orbit_sizes()) for G in (cyclic(6), dihedral(6))]
    >>> n, s, norm4, qs = risk_moments(X, cands)
    >>> n, [q.size for q in qs]
    (50, [6, 4])
    """
    m = X.shape[1]
    checked = [_check_labels(lab, cnt, m) for lab, cnt in candidates]
    n, s, norm4, qs = blockwise_reduce(X, _ManyOrbitSums(checked), _add_nested, shift=shift,
                                       name=name)
    return int(n), s, float(norm4), list(qs)
