"""Discrete fractional Fourier transform from discrete Hermite-Gauss vectors.

The matrix ``S = P + P⁻¹ + diag(2 cos(2π n / N)) - 4 I`` (``P`` the cyclic shift;
Dickinson-Steiglitz, Candan-Kutay-Ozaktas 2000) is real symmetric and commutes with
the unitary DFT ``F`` and with the reflection ``n -> -n``.  Inside the even and the
odd subspaces its eigenvalues are distinct, so its eigenvectors are eigenvectors of
``F``; sorted by decreasing eigenvalue of ``S`` they are the discrete Hermite-Gauss
vectors of orders ``k = 0, 2, 4, ...`` (even) and ``k = 1, 3, 5, ...`` (odd), and
``F v_k = (-i)^k v_k``.  (For ``N ≡ 0 mod 4`` this gives the orders
``0..N-2`` and ``N``; for ``N ≡ 2 mod 4`` also ``0..N-2`` and ``N``.)  The FrFT of order
``a`` is ``F^a = V diag(exp(-iπ a k / 2)) Vᵀ``: unitary, ``F^0 = I``,
``F^1 = F`` (``scipy.fft.fft(x, norm="ortho")``), ``F^a F^b = F^{a+b}``, ``F^4 = I``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

import numpy as np
import scipy.fft as sfft
from numpy.typing import ArrayLike, NDArray

from ._checks import checked_signal

__all__ = ["hermite_gauss", "frft", "frft_matrix"]


def _commuting_matrix(n: int) -> NDArray[Any]:
    s = np.diag(2 * np.cos(2 * np.pi * np.arange(n) / n) - 4)
    i = np.arange(n)
    np.add.at(s, (i, (i + 1) % n), 1.0)
    np.add.at(s, (i, (i - 1) % n), 1.0)
    return s


def _parity_bases(n: int) -> tuple[NDArray[Any], NDArray[Any]]:
    """Orthonormal bases of the even and odd vectors (``x(-k) = ±x(k)``)."""
    half = (n - 1) // 2  # pairs {k, n - k} with 0 < k < n/2
    even = np.zeros((n, 1 + half + (n % 2 == 0)))
    odd = np.zeros((n, half))
    even[0, 0] = 1.0
    for j, k in enumerate(range(1, half + 1)):
        even[k, 1 + j] = even[n - k, 1 + j] = np.sqrt(0.5)
        odd[k, j], odd[n - k, j] = np.sqrt(0.5), -np.sqrt(0.5)
    if n % 2 == 0 and n > 1:
        even[n // 2, -1] = 1.0
    return even, odd


@lru_cache(maxsize=32)
def _hermite_gauss(n: int) -> tuple[NDArray[Any], NDArray[Any]]:
    s = _commuting_matrix(n)
    cols, orders = [], []
    for basis, first in zip(_parity_bases(n), (0, 1)):
        if basis.shape[1] == 0:
            continue
        w, v = np.linalg.eigh(basis.T @ s @ basis)
        v = basis @ v[:, ::-1]  # decreasing eigenvalue of S: k = first, first + 2, ...
        cols.append(v)
        orders.append(first + 2 * np.arange(v.shape[1]))
    vecs = np.concatenate(cols, axis=1)
    k = np.concatenate(orders)
    perm = np.argsort(k, kind="stable")
    vecs, k = vecs[:, perm], k[perm]
    # Sign: positive at n = 0 for even orders, positive at n = 1 for odd ones.
    ref = np.where(k % 2 == 0, vecs[0], vecs[1 % n])
    vecs = vecs * np.where(ref < 0, -1.0, 1.0)
    # The theorem guarantees F v_k = (-i)^k v_k; check it rather than trust it.
    lam = np.sum(vecs * sfft.fft(vecs, axis=0, norm="ortho"), axis=0)
    if not np.allclose(lam, (-1j) ** k, atol=1e-8):
        raise RuntimeError(f"Hermite-Gauss ordering failed for N={n}")  # pragma: no cover
    vecs.flags.writeable = False
    k.flags.writeable = False
    return vecs, k


def _check_n(N: object) -> int:
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)) or N < 1:
        raise ValueError(f"N must be a positive int, got {N!r}")
    return int(N)


def _check_order(a: object) -> float:
    try:
        val = float(a)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TypeError(f"a must be a real number, got {type(a).__name__}") from None
    if not np.isfinite(val):
        raise ValueError(f"a must be finite, got {a!r}")
    return val


def hermite_gauss(N: int) -> tuple[NDArray[Any], NDArray[Any]]:
    """Discrete Hermite-Gauss vectors: ``(V, k)``, columns of ``V`` sorted by order ``k``.

    ``V`` is real orthogonal and ``fft(V, axis=0, norm="ortho") = V · diag((-i)^k)``.

    Examples
    --------
    >>> import numpy as np, scipy.fft
    >>> V, k = hermite_gauss(8)
    >>> k
    array([0, 1, 2, 3, 4, 5, 6, 8])
    >>> np.allclose(scipy.fft.fft(V, axis=0, norm="ortho"), V * (-1j) ** k)
    True
    """
    v, k = _hermite_gauss(_check_n(N))
    return v.copy(), k.copy()


def frft_matrix(N: int, a: float) -> NDArray[Any]:
    """The ``N × N`` discrete fractional Fourier transform of order ``a``.

    Examples
    --------
    >>> import numpy as np, scipy.fft
    >>> np.allclose(frft_matrix(5, 1.0), scipy.fft.fft(np.eye(5), axis=0, norm="ortho"))
    True
    >>> np.allclose(frft_matrix(5, 0.5) @ frft_matrix(5, 0.5), frft_matrix(5, 1.0))
    True
    """
    v, k = _hermite_gauss(_check_n(N))
    phase = np.exp(-0.5j * np.pi * _check_order(a) * k)
    return cast("NDArray[Any]", (v * phase) @ v.T)


def frft(x: ArrayLike, a: float, axis: int = -1) -> NDArray[Any]:
    """Discrete fractional Fourier transform of order ``a`` along ``axis`` (any batch shape).

    ``a = 1`` is ``scipy.fft.fft(x, norm="ortho")``, ``a = -1`` its inverse, ``a = 0``
    (and ``a = 4``) the identity, ``a = 2`` the reflection ``x(n) -> x(-n)``; orders
    add: ``frft(frft(x, a), b) = frft(x, a + b)``.  Unitary; ``O(N²)`` per vector (the
    Hermite-Gauss basis of each length is computed once, ``O(N³)``, and cached).

    Parameters
    ----------
    x : array_like
        Real or complex.
    a : float
        The order (angle ``a·π/2`` in the time-frequency plane).
    axis : int

    Returns
    -------
    ndarray of complex

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(6.0)
    >>> np.allclose(frft(frft(x, 0.3), 0.7), frft(x, 1.0))
    True
    >>> np.allclose(frft(x, 2.0), x[(-np.arange(6)) % 6])
    True
    """
    arr, ax = checked_signal(x, axis)
    order = _check_order(a)
    v, k = _hermite_gauss(arr.shape[ax])
    phase = np.exp(-0.5j * np.pi * order * k)
    moved = np.moveaxis(arr, ax, -1)
    y = ((moved @ v) * phase) @ v.T
    return np.moveaxis(y, -1, ax)
