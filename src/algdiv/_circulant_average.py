"""The Reynolds projection of the cyclic and dihedral groups in natural order, without labels.

For ``cyclic(M)`` (rotations ``i -> i + 1``) the pair ``(i, j)`` lies in the orbit of the
wrapped diagonal ``d = (j − i) mod M``, so ``Φ_G(A)`` is the circulant of the means
``S[d] / M`` with ``S[d] = Σ_i A[i, (i + d) mod M]``.  ``dihedral(M)`` joins ``d`` and
``M − d``: the symmetric circulant of ``(S[d] + S[M − d]) / (2M)`` (also right for ``d = 0``
and ``d = M/2``, whose orbits have ``M`` pairs, not ``2M``).

The wrapped-diagonal sums come from one read of ``A``: seen through a view with rows of
``M + 1`` entries (stride ``M + 1`` in the flat array), the diagonals of ``A`` are the
columns; column ``c`` holds diagonal ``c`` above the anti-diagonal of the view and the
wrapped diagonal ``c − 1`` below it.  Rows of the view are added in blocks of ``_BLOCK``
(contiguous vector adds), the block column sums are split at the anti-diagonal, and only a
``_BLOCK``-wide strip per block is read again with a mask.  Below ``M = 400`` the sums
come from a doubled copy ``[A A]`` instead, seen with rows of ``2M + 1`` entries, whose
columns are the wrapped diagonals: an extra write of ``2M²`` entries, but three calls in
place of a few dozen.  The result is written from a ``2M`` vector through a
sliding-window view: one pass, about one copy of the matrix in all.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .groups import PermutationGroup

__all__ = ["circulant_kind", "circulant_project"]

_BLOCK = 64  # rows of the (M + 1)-wide view added per block
_MIN_DEGREE = 128  # below, the general pair-orbit mean (one bincount) costs less than the
#                    dozen small calls here (measured crossover: M ≈ 96; D_256: 112 µs
#                    against 215 µs, thread CPU time)
_STRIP_DEGREE = 400  # below, the sums come from a doubled copy [A A] (an extra 2 M² write
#                      but three calls) instead of the strips of the (M + 1)-wide view


def circulant_kind(G: PermutationGroup) -> str | None:
    """``"cyclic"`` or ``"dihedral"`` when ``G`` is that catalogue group in natural order
    (and of degree at least ``_MIN_DEGREE``, where this path is the faster one)."""
    c = getattr(G, "construction", None)
    if not c or c[0] not in ("cyclic", "dihedral") or G.degree < _MIN_DEGREE:
        return None
    return str(c[0])


def _add_blocks(
    flat: NDArray[Any], m: int, start: int, nb: int, q: int, upper: NDArray[Any], lower: NDArray[Any]
) -> None:
    """Add ``nb`` blocks of ``q`` rows of the ``(M + 1)``-wide view (rows ``start`` …) into
    the column sums above (``upper``) and below (``lower``) its anti-diagonal."""
    size = flat.itemsize
    w = m + 1
    rows = np.lib.stride_tricks.as_strided(
        flat[start * w :], shape=(nb, q, w), strides=(q * w * size, w * size, size)
    )
    sums = np.add.reduce(rows, axis=1)  # (nb, M + 1): contiguous row adds
    r0 = start + np.arange(nb)[:, None] * q
    cols = np.arange(w)
    # rows r0 … r0 + q − 1: columns c <= M − r0 − q are all above, c >= M − r0 all below
    upper += np.where(cols <= m - r0 - q, sums, 0).sum(axis=0)
    lower += np.where(cols >= m - r0, sums, 0).sum(axis=0)
    if q < 2:
        return
    # the q − 1 columns in between: entry (t, u) of a block's strip is above when
    # t + u < q − 1, the same triangle in every block; strips are a regular strided view
    strips = np.lib.stride_tricks.as_strided(
        flat[start * m + m - q + 1 :], shape=(nb, q, q - 1), strides=(q * m * size, w * size, size)
    )
    triangle = np.arange(q)[:, None] + np.arange(q - 1)[None, :] < q - 1
    above = np.where(triangle, strips, 0).sum(axis=1)  # (nb, q − 1)
    strip_cols = (m - r0 - q + 1) + np.arange(q - 1)  # disjoint between blocks
    upper[strip_cols] += above
    lower[strip_cols] += np.take_along_axis(sums, strip_cols, axis=1) - above


def _diagonal_sums(a: NDArray[Any]) -> NDArray[Any]:
    """``S[d] = Σ_i a[i, (i + d) mod M]`` for ``d = 0 … M − 1`` (``a`` C-contiguous)."""
    m = a.shape[0]
    if m < _STRIP_DEGREE:
        # [A A] (one small copy) seen with rows of 2M + 1 entries: view[i, d] = A[i, i + d
        # mod M]; the column sums are the wrapped-diagonal sums (contiguous row adds)
        doubled = np.concatenate([a, a], axis=1)
        size = doubled.itemsize
        view = np.ndarray((m, m), dtype=a.dtype, buffer=doubled, strides=((2 * m + 1) * size, size))
        sums: NDArray[Any] = np.add.reduce(view, axis=0)
        return sums
    flat = a.reshape(-1)
    # view[r, c] = flat[r (M + 1) + c], rows r = 0 … M − 2: entry (r, r + c) when r + c < M
    # (diagonal c), else (r + 1, r + c − M) (wrapped diagonal c − 1); a[M−1, M−1] is left.
    upper = np.zeros(m + 1, dtype=a.dtype)
    lower = np.zeros(m + 1, dtype=a.dtype)
    b = min(_BLOCK, m - 1)
    nb = (m - 1) // b
    _add_blocks(flat, m, 0, nb, b, upper, lower)
    rest = m - 1 - nb * b
    if rest:
        _add_blocks(flat, m, nb * b, 1, rest, upper, lower)
    out = upper[:m] + lower[1:]
    out[0] += a[m - 1, m - 1]
    return out


def _one(a: NDArray[Any], kind: str, finite: list[bool]) -> NDArray[Any]:
    m = a.shape[-1]
    s = _diagonal_sums(np.ascontiguousarray(a))
    if not np.all(np.isfinite(s)):  # (every entry of A is in one of the sums)
        finite[0] = False
    ext = np.empty(2 * m, dtype=s.dtype)  # the means, twice
    if kind == "cyclic":
        np.multiply(s, 1.0 / m, out=ext[:m])
    else:  # S[d] + S[M − d] (d = 0 with itself)
        np.add(s[1:], s[:0:-1], out=ext[1:m])
        ext[0] = 2 * s[0]
        ext[:m] *= 1.0 / (2 * m)
    ext[m:] = ext[:m]
    # row i is ext[M − i : 2M − i], so out[i, j] = means[(j − i) mod M]: a view of ext
    size = ext.itemsize
    window = np.ndarray((m, m), dtype=ext.dtype, buffer=ext, offset=m * size,
                        strides=(-size, size))
    out = np.empty_like(a)
    out[...] = window
    return out


def circulant_project(
    a: NDArray[Any], kind: str, finite: list[bool] | None = None
) -> NDArray[Any]:
    """``Φ_G`` of a validated ``(..., M, M)`` float or complex array for ``cyclic(M)`` or
    ``dihedral(M)`` in natural order (see the module notes).  Internal API.

    ``finite[0]`` is set to False when a diagonal sum is not finite (``a`` holds a NaN or an
    infinity, or a sum overflows), for the caller's finiteness check.
    """
    flags = [True] if finite is None else finite
    with np.errstate(invalid="ignore", over="ignore"):
        if a.ndim == 2:
            return _one(a, kind, flags)
        flat = a.reshape((-1,) + a.shape[-2:])
        return np.stack([_one(x, kind, flags) for x in flat]).reshape(a.shape)
