"""Permutations as integer arrays, and the one place that turns them into matrices.

Convention (used everywhere in algdiv): a permutation of ``{0, ..., M-1}`` is an int
array ``p`` with ``p[i]`` the image of ``i``.  Its matrix ``P`` satisfies
``P e_i = e_{p[i]}``, so ``(P x)[p[i]] = x[i]``, and ``compose(p, q)`` (apply ``q``
first, then ``p``) has matrix ``P_p @ P_q``.  Conjugation ``P A P^T`` is computed by
indexing, never by building ``P``: ``(P A P^T)[p[i], p[j]] = A[i, j]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

__all__ = [
    "as_permutation",
    "compose",
    "inverse",
    "identity",
    "permutation_matrix",
    "apply",
    "conjugate_matrix",
    "to_cycles",
    "from_cycles",
    "is_identity",
    "closure",
]


def as_permutation(
    p: ArrayLike, degree: int | None = None, *, name: str = "permutation"
) -> NDArray[np.intp]:
    """Validate ``p`` as a permutation and return it as a read-only int array.

    Parameters
    ----------
    p : array_like of int
        ``p[i]`` is the image of ``i``.
    degree : int, optional
        Required length.
    name : str
        How the argument is called in error messages.

    Returns
    -------
    ndarray of intp, shape (M,)

    Raises
    ------
    ValueError
        If ``p`` is not one-dimensional, has the wrong length, or is not a bijection of
        ``0..M-1``.
    TypeError
        If ``p`` holds non-integer values.

    Examples
    --------
    >>> as_permutation([2, 0, 1])
    array([2, 0, 1])
    >>> as_permutation([0, 0, 1])
    Traceback (most recent call last):
    ...
    ValueError: permutation is not a bijection of 0..2: value 0 appears 2 times
    """
    arr = np.asarray(p)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a one-dimensional int array, got shape {arr.shape}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if np.issubdtype(arr.dtype, np.floating) and np.all(np.isfinite(arr)) and np.all(
            arr == np.round(arr)
        ):
            arr = arr.astype(np.intp)
        else:
            raise TypeError(f"{name} must hold integers, got dtype {arr.dtype}")
    arr = arr.astype(np.intp, copy=True)
    m = arr.size
    if degree is not None and m != degree:
        raise ValueError(f"{name} has length {m}, expected the degree {degree}")
    if m and (arr.min() < 0 or arr.max() >= m):
        bad = int(arr[(arr < 0) | (arr >= m)][0])
        raise ValueError(f"{name} is not a bijection of 0..{m - 1}: value {bad} is out of range")
    counts = np.bincount(arr, minlength=m)
    if m and counts.max() > 1:
        v = int(np.argmax(counts))
        raise ValueError(
            f"{name} is not a bijection of 0..{m - 1}: value {v} appears {int(counts[v])} times"
        )
    arr.flags.writeable = False
    return arr


def identity(degree: int) -> NDArray[np.intp]:
    """The identity permutation of ``degree`` points.

    Examples
    --------
    >>> identity(3)
    array([0, 1, 2])
    """
    return np.arange(degree, dtype=np.intp)


def compose(p: ArrayLike, q: ArrayLike) -> NDArray[Any]:
    """``p ∘ q``: apply ``q`` first, then ``p``; its matrix is ``P_p @ P_q``.

    Examples
    --------
    >>> compose([1, 2, 0], [1, 0, 2])
    array([2, 1, 0])
    """
    pa = np.asarray(p)
    out: NDArray[Any] = pa[np.asarray(q)]
    return out


def inverse(p: ArrayLike) -> NDArray[Any]:
    """The inverse permutation (works on a stack of permutations along the last axis).

    Examples
    --------
    >>> inverse([2, 0, 1])
    array([1, 2, 0])
    """
    p = np.asarray(p)
    inv = np.empty_like(p)
    np.put_along_axis(inv, p, np.broadcast_to(np.arange(p.shape[-1]), p.shape), axis=-1)
    return inv


def is_identity(p: ArrayLike) -> bool:
    """True when ``p[i] == i`` for every ``i``."""
    p = np.asarray(p)
    return bool(np.array_equal(p, np.arange(p.shape[-1])))


def permutation_matrix(p: ArrayLike, dtype: DTypeLike = float) -> NDArray[Any]:
    """The matrix ``P`` with ``P e_i = e_{p[i]}``.

    Meant for tests, small examples and dictionaries; algorithms index with ``p`` instead.

    Examples
    --------
    >>> permutation_matrix([1, 2, 0]).astype(int)
    array([[0, 0, 1],
           [1, 0, 0],
           [0, 1, 0]])
    """
    p = np.asarray(p)
    m = p.shape[-1]
    out: NDArray[Any] = np.zeros((m, m), dtype=dtype)
    out[p, np.arange(m)] = 1
    return out


def apply(p: ArrayLike, x: ArrayLike, axis: int = -1) -> NDArray[Any]:
    """``P x`` along ``axis``: the entry at index ``i`` moves to index ``p[i]``.

    Examples
    --------
    >>> apply([1, 2, 0], [10., 20., 30.])
    array([30., 10., 20.])
    """
    return np.take(np.asarray(x), inverse(p), axis=axis)


def conjugate_matrix(p: ArrayLike, a: ArrayLike) -> NDArray[Any]:
    """``P A P^T`` for a matrix (or a stack of matrices in the last two axes), by indexing.

    Examples
    --------
    >>> a = np.arange(9.).reshape(3, 3)
    >>> p = [1, 2, 0]
    >>> P = permutation_matrix(p)
    >>> np.array_equal(conjugate_matrix(p, a), P @ a @ P.T)
    True
    """
    q = inverse(p)
    a = np.asarray(a)
    return a[..., q[:, None], q[None, :]]


def to_cycles(p: ArrayLike) -> list[tuple[int, ...]]:
    """Disjoint cycles of length > 1, each starting from its smallest point.

    Examples
    --------
    >>> to_cycles([1, 2, 0, 4, 3, 5])
    [(0, 1, 2), (3, 4)]
    """
    p = np.asarray(p)
    seen = np.zeros(p.size, dtype=bool)
    cycles = []
    for start in range(p.size):
        if seen[start] or p[start] == start:
            continue
        cyc = [start]
        seen[start] = True
        j = int(p[start])
        while j != start:
            cyc.append(j)
            seen[j] = True
            j = int(p[j])
        cycles.append(tuple(cyc))
    return cycles


def from_cycles(cycles: Sequence[Sequence[int]], degree: int) -> NDArray[np.intp]:
    """Build a permutation from disjoint cycles (``(a b c)`` sends a→b→c→a).

    Examples
    --------
    >>> from_cycles([(0, 1, 2), (3, 4)], 6)
    array([1, 2, 0, 4, 3, 5])
    """
    p = np.arange(degree, dtype=np.intp)
    for cyc in cycles:
        cyc = [int(c) for c in cyc]
        for a, b in zip(cyc, cyc[1:] + cyc[:1]):
            p[a] = b
    return as_permutation(p, degree, name="cycle product")


def closure(generators: ArrayLike, degree: int) -> NDArray[np.intp]:
    """Every product of the generators (the group they generate), identity first, by
    breadth-first search: for groups known to be small only (it lists every element).

    Examples
    --------
    >>> closure([[1, 2, 0]], 3)
    array([[0, 1, 2],
           [1, 2, 0],
           [2, 0, 1]])
    """
    gens = np.asarray(generators, dtype=np.intp).reshape(-1, degree)
    ident = np.arange(degree, dtype=np.intp)
    seen = {ident.tobytes()}
    out: list[NDArray[np.intp]] = [ident]
    frontier = [ident]
    while frontier:
        nxt: list[NDArray[np.intp]] = []
        for h in frontier:
            for g in gens:
                e = g[h]
                key = e.tobytes()
                if key not in seen:
                    seen.add(key)
                    out.append(e)
                    nxt.append(e)
        frontier = nxt
    return np.array(out, dtype=np.intp).reshape(len(out), degree)
