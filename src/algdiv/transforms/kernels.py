"""Fast kernels on ``2^m`` points: Walsh-Hadamard, Haar, Reed-Muller and arithmetic.

All act along one axis of an array of any batch shape and never modify their input.

* :func:`fwht` is the orthonormal Walsh-Hadamard transform in natural (Sylvester)
  order, ``y = H_{2^m} x / sqrt(2^m)``.  ``H_{2^m} = H_{2^{k_1}} ⊗ ... ⊗ H_{2^{k_r}}``,
  so it is applied as ``r`` small dense Hadamard products on a reshaped array (radix
  ``2^k`` with ``k <= 5``): ``O(2^k)`` flops per entry and pass, but each pass is one
  BLAS call, which beats ``m`` memory-bound radix-2 butterfly passes in numpy.
  Threads: a batch of 32 x 32 products gains nothing from BLAS threads and loses a
  lot to them when the cores are busy (measured on a shared 2-core machine at 2^20:
  34 ms with one thread, 0.75 s with the default two).  So above
  ``_PIN_MIN_SIZE`` entries the products run with BLAS limited to one thread
  (through threadpoolctl, restored on exit).  The limit is process-wide while it
  lasts: BLAS calls made by other Python threads during an ``fwht`` also run on one
  thread.
* :func:`haar` / :func:`ihaar` are the orthonormal full-depth Haar wavelet transform;
  the coefficients are ordered like the concatenated output of
  ``pywt.wavedec(x, "haar", mode="periodization")``: ``[a_m, d_m, d_{m-1}, ..., d_1]``.
* :func:`reed_muller` is the binary Möbius transform over GF(2) (truth table to the
  coefficients of the algebraic normal form; it is its own inverse) and
  :func:`arithmetic` / :func:`iarithmetic` the same butterfly over the integers
  (truth table to the coefficients of the multilinear polynomial), each in
  ``O(m 2^m)``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._threads import single_blas_thread
from ._checks import checked_signal, normalize_axis

__all__ = [
    "fwht",
    "haar_coefficients",
    "ihaar",
    "reed_muller",
    "ireed_muller",
    "arithmetic",
    "iarithmetic",
    "sequency_order",
]

_MAX_RADIX_BITS = 5  # 32x32 Hadamard blocks: measured fastest on 2^12..2^20
# Smaller inputs skip the thread limit: OpenBLAS runs such products on one thread
# anyway, and setting and restoring the limit costs a few microseconds.
_PIN_MIN_SIZE = 1 << 14


def _log2_length(n: int, name: str) -> int:
    if n < 1 or n & (n - 1):
        raise ValueError(f"{name} must have a power-of-two length along axis, got {n}")
    return n.bit_length() - 1


@cache
def _scaled_hadamard(k: int) -> NDArray[Any]:
    """``H_{2^k} / 2^{k/2}`` (Sylvester order), read-only."""
    h = np.ones((1, 1))
    for _ in range(k):
        h = np.block([[h, h], [h, -h]])
    h = h / np.sqrt(h.shape[0])
    h.flags.writeable = False
    return cast("NDArray[Any]", h)


def _radix_split(m: int) -> list[int]:
    n = max(1, -(-m // _MAX_RADIX_BITS))
    base, extra = divmod(m, n)
    return [base + (i < extra) for i in range(n)]


def _fwht_last(x: NDArray[Any]) -> NDArray[Any]:
    """Orthonormal FWHT along the last axis of a real float array (no checks)."""
    n = x.shape[-1]
    m = n.bit_length() - 1
    if m == 0:
        return x.copy()
    batch = x.size // n
    y = x.reshape(batch, n)
    left = 1
    for k in _radix_split(m):
        b = 1 << k
        right = n // (left * b)
        h = _scaled_hadamard(k)
        if right == 1:
            y = y.reshape(-1, b) @ h  # h is symmetric
        else:
            y = np.matmul(h, y.reshape(batch * left, b, right))
        left *= b
    return y.reshape(x.shape)


def _apply_real(kernel: Callable[[NDArray[Any]], NDArray[Any]], x: NDArray[Any]) -> NDArray[Any]:
    if np.iscomplexobj(x):
        return kernel(np.ascontiguousarray(x.real)) + 1j * kernel(np.ascontiguousarray(x.imag))
    return kernel(np.ascontiguousarray(x))


def _fwht_axis(x: NDArray[Any], axis: int) -> NDArray[Any]:
    moved = np.moveaxis(x, axis, -1)
    if x.size < _PIN_MIN_SIZE:
        return np.moveaxis(_apply_real(_fwht_last, moved), -1, axis)
    with single_blas_thread():
        return np.moveaxis(_apply_real(_fwht_last, moved), -1, axis)


def fwht(x: ArrayLike, axis: int = -1) -> NDArray[Any]:
    """Orthonormal fast Walsh-Hadamard transform, natural (Sylvester/Hadamard) order.

    ``y = H x / sqrt(N)`` with ``H = scipy.linalg.hadamard(N)``, ``N = 2^m``, along
    ``axis``.  It is symmetric and orthogonal, so it is its own inverse.

    Parameters
    ----------
    x : array_like
        Real or complex; the length along ``axis`` must be a power of two.
    axis : int
        The axis to transform.

    Returns
    -------
    ndarray
        Same shape as ``x``; float or complex like ``x``.

    Raises
    ------
    ValueError
        If the length along ``axis`` is not a power of two or ``x`` holds NaN/inf.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.linalg import hadamard
    >>> x = np.arange(8.0)
    >>> np.allclose(fwht(x), hadamard(8) @ x / np.sqrt(8))
    True
    >>> np.allclose(fwht(fwht(x)), x)
    True
    """
    arr, ax = checked_signal(x, axis)
    _log2_length(arr.shape[ax], "x")
    return _fwht_axis(arr, ax)


def sequency_order(m: int) -> NDArray[Any]:
    """Natural-order indices of the Walsh functions sorted by sequency (sign changes).

    ``hadamard(2^m)[sequency_order(m)]`` has rows with ``0, 1, 2, ...`` sign changes.
    The row with ``s`` sign changes is the natural index whose bits are the Gray code of
    ``s`` reversed.

    Examples
    --------
    >>> sequency_order(2)
    array([0, 2, 3, 1])
    """
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 0:
        raise ValueError(f"m must be a non-negative int, got {m!r}")
    s = np.arange(1 << m)
    gray = s ^ (s >> 1)
    out = np.zeros_like(s)
    for b in range(m):  # bit reversal of the Gray code
        out |= ((gray >> b) & 1) << (m - 1 - b)
    return out


def _haar_last(x: NDArray[Any]) -> NDArray[Any]:
    """Haar analysis along the last axis of a contiguous real array (no checks)."""
    n = x.shape[-1]
    out = np.empty(x.shape, dtype=x.dtype)
    lead = x.shape[:-1]
    # Two ping-pong buffers for the running approximation (ufuncs on overlapping
    # input and output would copy).
    bufs = (np.empty(lead + (max(n // 2, 1),), x.dtype), np.empty(lead + (max(n // 4, 1),), x.dtype))
    inv_sqrt2 = np.sqrt(0.5)
    a = x
    half = n // 2
    level = 0
    while half >= 1:
        even, odd = a[..., 0::2], a[..., 1::2]
        d = out[..., half : 2 * half]
        np.subtract(even, odd, out=d)
        d *= inv_sqrt2
        nxt = bufs[level % 2][..., :half]
        np.add(even, odd, out=nxt)
        nxt *= inv_sqrt2
        a = nxt
        half //= 2
        level += 1
    out[..., 0] = a[..., 0]
    return out


def _ihaar_last(y: NDArray[Any]) -> NDArray[Any]:
    """Haar synthesis along the last axis (no checks)."""
    n = y.shape[-1]
    a = y[..., :1].copy()
    inv_sqrt2 = np.sqrt(0.5)
    size = 1
    while size < n:
        d = y[..., size : 2 * size]
        nxt = np.empty(y.shape[:-1] + (2 * size,), dtype=y.dtype)
        np.add(a, d, out=nxt[..., 0::2])
        np.subtract(a, d, out=nxt[..., 1::2])
        nxt *= inv_sqrt2
        a = nxt
        size *= 2
    return a


def haar_coefficients(x: ArrayLike, axis: int = -1) -> NDArray[Any]:
    """Orthonormal full-depth Haar wavelet analysis along ``axis``, in ``O(M)``.

    The coefficients ``[a_m, d_m, ..., d_1]`` equal
    ``np.concatenate(pywt.wavedec(x, "haar", mode="periodization", axis=axis), axis=axis)``
    and ``haar(M).forward(x)`` (:func:`algdiv.transforms.haar`, the same basis as a
    :class:`~algdiv.transforms.Transform`).  Inverse: :func:`ihaar`.

    Parameters
    ----------
    x : array_like
        Real or complex; the length along ``axis`` must be a power of two.  Not modified.
    axis : int
        The axis to transform.

    Returns
    -------
    ndarray
        Same shape as ``x``; float or complex like ``x``.

    Examples
    --------
    >>> haar_coefficients([1.0, 1.0, 1.0, 1.0])
    array([2., 0., 0., 0.])
    >>> haar_coefficients([1.0, 2.0, 3.0, 4.0])
    array([ 5. , -2. , -0.70710678, -0.70710678])
    """
    arr, ax = checked_signal(x, axis)
    _log2_length(arr.shape[ax], "x")
    moved = np.moveaxis(arr, ax, -1)
    return np.moveaxis(_apply_real(_haar_last, moved), -1, ax)


def ihaar(y: ArrayLike, axis: int = -1) -> NDArray[Any]:
    """Inverse of :func:`haar_coefficients`: synthesis from ``[a_m, d_m, ..., d_1]``.

    Equals ``pywt.waverec`` of the split coefficients with ``"haar"`` and
    ``mode="periodization"``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([4.0, 2.0, 5.0, 5.0])
    >>> np.allclose(ihaar(haar_coefficients(x)), x)
    True
    """
    arr, ax = checked_signal(y, axis, "y")
    _log2_length(arr.shape[ax], "y")
    moved = np.moveaxis(arr, ax, -1)
    return np.moveaxis(_apply_real(_ihaar_last, moved), -1, ax)


def _butterfly(
    x: NDArray[Any], op: Callable[[NDArray[Any], NDArray[Any]], NDArray[Any]]
) -> NDArray[Any]:
    """Apply ``(a, b) -> (a, op(a, b))`` over every bit of the last axis."""
    n = x.shape[-1]
    y = x.copy()
    h = 1
    while h < n:
        v = y.reshape(x.shape[:-1] + (n // (2 * h), 2, h))
        v[..., 1, :] = op(v[..., 0, :], v[..., 1, :])
        h *= 2
    return y


def _int_signal(x: ArrayLike, axis: int, name: str) -> tuple[NDArray[Any], int]:
    try:
        arr = np.asarray(x)
    except Exception as exc:
        raise ValueError(f"{name} could not be read as an array: {exc}") from None
    if arr.dtype == bool:
        arr = arr.astype(np.int64)
    if not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must hold integers (or booleans), got dtype {arr.dtype}")
    if arr.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension, got a scalar")
    ax = normalize_axis(axis, arr.ndim, name)
    _log2_length(arr.shape[ax], name)
    return arr, ax


def reed_muller(x: ArrayLike, axis: int = -1) -> NDArray[Any]:
    """Binary Möbius (Reed-Muller) transform over GF(2); it is its own inverse.

    For a truth table ``f`` of a Boolean function of ``m`` variables (index bits
    ``x_0`` = least significant), the result ``a`` gives the algebraic normal form
    ``f(x) = XOR over S with a_S = 1 of AND_{i in S} x_i``, ``S`` read as the bits of the
    index.  Matrix: ``[[1, 0], [1, 1]]^{⊗m} mod 2``; ``O(m 2^m)`` XOR butterflies.

    Parameters
    ----------
    x : array_like of bool or int (0/1)
    axis : int

    Returns
    -------
    ndarray of uint8 (0/1)

    Examples
    --------
    The AND of two variables has the single monomial ``x_0 x_1`` (index 3):

    >>> reed_muller([0, 0, 0, 1])
    array([0, 0, 0, 1], dtype=uint8)
    >>> reed_muller(reed_muller([1, 0, 1, 1]))
    array([1, 0, 1, 1], dtype=uint8)
    """
    arr, ax = _int_signal(x, axis, "x")
    if arr.size and (arr.min() < 0 or arr.max() > 1):
        raise ValueError("x must hold only 0 and 1 (a truth table over GF(2))")
    moved = np.ascontiguousarray(np.moveaxis(arr, ax, -1).astype(np.uint8))
    return np.moveaxis(_butterfly(moved, np.bitwise_xor), -1, ax)


def ireed_muller(a: ArrayLike, axis: int = -1) -> NDArray[Any]:
    """Inverse Reed-Muller transform: ANF coefficients to truth table.

    The binary Möbius transform is an involution over GF(2), so this is
    :func:`reed_muller` again; it exists so that every transform here has a named inverse.

    Examples
    --------
    >>> ireed_muller([0, 0, 0, 1])
    array([0, 0, 0, 1], dtype=uint8)
    """
    return reed_muller(a, axis=axis)


def arithmetic(x: ArrayLike, axis: int = -1) -> NDArray[Any]:
    """Arithmetic (integer Möbius) transform: truth table to multilinear coefficients.

    ``f(x) = sum_S a_S prod_{i in S} x_i`` over the integers, with the butterfly
    ``(a, b) -> (a, b - a)``; matrix ``[[1, 0], [-1, 1]]^{⊗m}``.  Inverse:
    :func:`iarithmetic`.  Exact in int64.

    Examples
    --------
    OR of two variables is ``x_0 + x_1 - x_0 x_1``:

    >>> arithmetic([0, 1, 1, 1])
    array([ 0,  1,  1, -1])
    """
    arr, ax = _int_signal(x, axis, "x")
    moved = np.ascontiguousarray(np.moveaxis(arr, ax, -1).astype(np.int64))
    return np.moveaxis(_butterfly(moved, lambda a, b: b - a), -1, ax)


def iarithmetic(y: ArrayLike, axis: int = -1) -> NDArray[Any]:
    """Inverse arithmetic transform (multilinear coefficients to truth table).

    Examples
    --------
    >>> iarithmetic([0, 1, 1, -1])
    array([0, 1, 1, 1])
    """
    arr, ax = _int_signal(y, axis, "y")
    moved = np.ascontiguousarray(np.moveaxis(arr, ax, -1).astype(np.int64))
    return np.moveaxis(_butterfly(moved, lambda a, b: b + a), -1, ax)
