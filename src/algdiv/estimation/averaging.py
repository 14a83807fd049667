"""Group averaging of snapshots, and delay embedding of scalar streams (rank promotion).

The group-averaged estimator replaces averaging over time by averaging over a group:
``Φ_G(S)`` with ``S = (1/n) Σ_k x_k x_kᴴ`` the sample covariance of the rows of ``X``.  It is
computed as the mean of ``S`` over each pair orbit (:func:`algdiv.commutant.reynolds`),
so the cost is ``O(n·M²)`` for ``S`` plus ``O(M²)`` for the projection, whatever ``|G|``.

Large ``n``: both functions accept a ``dask.array`` ``X`` chunked by rows and read it in
one pass of blockwise sums ``Σ_block X_blockᵀ conj(X_block)``, never materializing ``X``
(see :mod:`algdiv.estimation._streaming`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, as_group, as_int, as_snapshots, check_finite
from ..commutant import project_unchecked
from ..groups import PermutationGroup
from ._streaming import check_dask_snapshots, is_dask_array, second_moments

__all__ = ["sample_covariance", "group_average", "delay_embed"]


def sample_covariance(X: ArrayLike, *, assume_centered: bool = True) -> NDArray[Any]:
    """``S = (1/n) Σ_k x_k x_kᴴ``: the sample covariance of the rows ``x_k`` of ``X``.

    With one snapshot per row this is ``Xᵀ conj(X) / n`` (``S[i, j]`` is the mean of
    ``x_i conj(x_j)``, matching ``R = E[x xᴴ]``); for real data it is ``Xᵀ X / n``.
    Unlike ``numpy.cov``, which always centres and divides by ``n − 1``, it divides by
    ``n`` and centres only with ``assume_centered=False``; then it equals
    ``numpy.cov(X, rowvar=False, bias=True)``.

    Parameters
    ----------
    X : array_like or dask.array, shape (n_samples, M) or (M,)
        Real or complex snapshots; a 1-D array is one snapshot.  Not modified.  A 2-D
        ``dask.array`` chunked by rows is reduced blockwise in **one pass** (with or
        without mean removal: block means and centred blocks are merged exactly), never
        materialized; the result is then equal to the in-memory one up to rounding.
    assume_centered : bool, default True
        ``True`` (the signal-processing convention ``R = E[x xᴴ]``): no mean is removed.
        ``False``: the column means are subtracted first (scikit-learn's
        ``EmpiricalCovariance`` default).

    Returns
    -------
    ndarray, shape (M, M)
        Hermitian positive semi-definite, real for real ``X``.

    Examples
    --------
    >>> import numpy as np
    >>> sample_covariance(np.array([1.0, 1j]))
    array([[1.+0.j, 0.-1.j],
           [0.+1.j, 1.+0.j]])
    >>> sample_covariance(np.array([[1.0, 2.0], [3.0, 4.0]]), assume_centered=False)
    array([[1., 1.],
           [1., 1.]])

    A dask array is read block by block (here 3 blocks of 2 rows):

    >>> import dask.array as da
    >>> Y = np.arange(12.0).reshape(6, 2)
    >>> np.allclose(sample_covariance(da.from_array(Y, chunks=(2, 2))), Y.T @ Y / 6)
    True
    """
    if is_dask_array(X):
        return _stream_covariance(check_dask_snapshots(X, "X"), assume_centered)
    x = as_snapshots(X, "X")
    return _sample_covariance(x, assume_centered)


def _stream_covariance(X: Any, assume_centered: bool) -> NDArray[Any]:
    """S of a validated dask ``X`` in one blockwise pass."""
    mom = second_moments(X, center=not assume_centered)
    return mom.covariance(None if assume_centered else mom.mean)


def _sample_covariance(x: NDArray[Any], assume_centered: bool) -> NDArray[Any]:
    if not np.issubdtype(x.dtype, np.inexact):
        x = x.astype(float)
    if not assume_centered:
        x = x - x.mean(axis=0)
    s = x.T @ x.conj()  # Σ_k x_k x_kᴴ: S[i, j] = Σ x_i conj(x_j)
    # Exact Hermitian symmetry (the product is Hermitian only up to rounding); one
    # contiguous conjugate-transpose and in-place updates keep this pass cheap.
    h: NDArray[Any] = np.conj(s.T, order="C")
    h += s
    h *= 0.5 / x.shape[0]
    return h


def group_average(
    X: ArrayLike, G: PermutationGroup | str, *, assume_centered: bool = True
) -> NDArray[Any]:
    """``Φ_G(S)``: the group-averaged covariance of the snapshots in the rows of ``X``.

    ``Φ_G(S) = (1/|G|) Σ_g P_g S P_gᵀ = (1/n) Σ_k Φ_G(x_k x_kᴴ)`` is the orthogonal
    projection of the sample covariance onto the commutant of ``G``: it is Hermitian,
    positive semi-definite and ``G``-invariant, and for the trivial group it is ``S``
    itself.  One snapshot already gives a structured estimate (``F_G(x) = Φ_G(x xᴴ)``);
    it has full rank once the group spreads the snapshots over all of ``ℂ^M``.

    Parameters
    ----------
    X : array_like or dask.array, shape (n_samples, M) or (M,)
        Real or complex snapshots, one per row; a 1-D array is one snapshot.  A 2-D
        ``dask.array`` chunked by rows is read in **one pass** of blockwise sums and
        never materialized (memory ``O(M²)`` per block in flight).
    G : PermutationGroup or str
        The group acting on the ``M`` sensor indices (or its text, see
        :func:`algdiv.groups.parse`).  Its elements are never enumerated.
    assume_centered : bool, default True
        No mean removal by default (``R = E[x xᴴ]``); ``False`` subtracts the column means
        first.

    Returns
    -------
    ndarray, shape (M, M)
        Real for real ``X``, complex for complex ``X``.

    Raises
    ------
    ValueError
        If ``X`` is not 1-D/2-D, is empty, holds NaN/inf, or ``M`` differs from the
        group's degree.

    See Also
    --------
    algdiv.reynolds : the projection itself, for any matrix.
    GroupCovariance : the same estimate as a scikit-learn style estimator.

    Examples
    --------
    One snapshot averaged over the cyclic group gives a circulant matrix:

    >>> import numpy as np
    >>> from algdiv import group_average
    >>> from algdiv.groups import cyclic
    >>> group_average(np.array([1.0, 2.0, 3.0]), cyclic(3))
    array([[4.66666667, 3.66666667, 3.66666667],
           [3.66666667, 4.66666667, 3.66666667],
           [3.66666667, 3.66666667, 4.66666667]])
    """
    G = as_group(G)
    if is_dask_array(X):
        x = check_dask_snapshots(X, "X", size=G.degree)
        return project_unchecked(_stream_covariance(x, assume_centered), G)
    x = as_snapshots(X, "X", size=G.degree)
    return project_unchecked(_sample_covariance(x, assume_centered), G)


def delay_embed(s: ArrayLike, M: int, step: int = 1) -> NDArray[Any]:
    """Snapshots from a scalar stream by delay embedding (rank promotion).

    Row ``k`` is the window ``s[k·step : k·step + M]``; a stationary stream gives
    snapshots whose covariance is Toeplitz (and circulant-like for long periodic
    streams), so a group average applies to a single stream.

    Parameters
    ----------
    s : array_like, shape (T,)
        Real or complex samples.
    M : int
        Window length (number of "sensors"), ``1 <= M <= T``.
    step : int, default 1
        Hop between consecutive windows.

    Returns
    -------
    ndarray, shape ((T - M) // step + 1, M)
        A new array (not a view of ``s``).

    Examples
    --------
    >>> delay_embed([0, 1, 2, 3, 4], 3)
    array([[0., 1., 2.],
           [1., 2., 3.],
           [2., 3., 4.]])
    >>> delay_embed([0, 1, 2, 3, 4], 2, step=2)
    array([[0., 1.],
           [2., 3.]])
    """
    arr = as_float_array(s, "s")
    if arr.ndim != 1:
        raise ValueError(f"s must be a 1-D stream, got shape {arr.shape}")
    check_finite(arr, "s")
    M, step = as_int(M, "M", minimum=1), as_int(step, "step", minimum=1)
    if M > arr.size:
        raise ValueError(f"M={M} is longer than the stream ({arr.size} samples)")
    windows = np.lib.stride_tricks.sliding_window_view(arr, int(M))[:: int(step)]
    return np.array(windows)
