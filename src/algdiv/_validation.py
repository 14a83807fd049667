"""Checks at the public boundary; internals trust what passes them.

Every message names the argument, what was expected and what was given.  This module
imports only numpy at load time (``groups`` is imported inside :func:`as_group`), so
every package of algdiv, ``groups`` included, can use it.
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any, SupportsIndex

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from .groups import PermutationGroup


def _index(value: object) -> int | None:
    """``value`` as an int when it is an integer that is not a bool, else ``None``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, SupportsIndex):
        return None
    try:  # a size-1 array or a float-like object may define __index__ only to refuse
        return operator.index(value)
    except TypeError:
        return None


def is_int(value: object) -> bool:
    """Whether ``value`` is an integer and not a bool.

    Integers are Python ``int``, NumPy integer scalars (and 0-d integer arrays) and any
    other object with an exact ``__index__`` (a sympy ``Integer``).  ``True``/``False``
    (Python or NumPy) are refused although ``bool`` subclasses ``int``, and so are floats
    with an integer value (``2.0``).  For callers that keep their own message; others
    use :func:`as_int`.

    Examples
    --------
    >>> import numpy as np
    >>> is_int(3), is_int(np.int8(3)), is_int(True), is_int(3.0), is_int("3")
    (True, True, False, False, False)
    """
    return _index(value) is not None


def as_int(value: object, name: str, *, minimum: int | None = None) -> int:
    """``value`` as a Python ``int``, refusing bools, non-integers and values below ``minimum``.

    Parameters
    ----------
    value : object
        What the caller was given (see :func:`is_int` for what counts as an integer).
    name : str
        The argument's name in error messages.
    minimum : int, optional
        The smallest value allowed.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If ``value`` is a bool or not an integer: ``"{name} must be an int, got {type}"``.
    ValueError
        If ``value < minimum``: ``"{name} must be at least {minimum}, got {value}"``.

    Examples
    --------
    >>> import numpy as np
    >>> as_int(np.int64(4), "M", minimum=1)
    4
    >>> as_int(True, "M")
    Traceback (most recent call last):
    ...
    TypeError: M must be an int, got bool
    >>> as_int(0, "trials", minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: trials must be at least 1, got 0
    """
    out = _index(value)
    if out is None:
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if minimum is not None and out < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {out}")
    return out


def as_float_array(a: ArrayLike, name: str) -> NDArray[Any]:
    """``a`` as a float or complex array (a copy is never promised; never written to)."""
    try:
        arr = np.asarray(a)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"{name} could not be read as an array: {exc}") from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or arr.dtype == bool
    ):
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
    if not np.issubdtype(arr.dtype, np.inexact):
        arr = arr.astype(float)
    return arr


def check_finite(arr: NDArray[Any], name: str) -> None:
    if not np.all(np.isfinite(arr)):
        n_bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {n_bad} NaN or infinite value(s)")


def as_square(
    a: ArrayLike, name: str, *, batch: bool = False, size: int | None = None
) -> NDArray[Any]:
    """A finite square matrix (or a stack of them in the last two axes when ``batch``)."""
    arr = as_float_array(a, name)
    if arr.ndim < 2 or (not batch and arr.ndim != 2):
        want = "a square matrix (..., M, M)" if batch else "a square matrix (M, M)"
        raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if arr.shape[-1] != arr.shape[-2]:
        raise ValueError(f"{name} must be square, got shape {arr.shape}")
    if size is not None and arr.shape[-1] != size:
        raise ValueError(
            f"{name} is {arr.shape[-1]}x{arr.shape[-1]} but the group acts on {size} points"
        )
    check_finite(arr, name)
    return arr


def check_hermitian(arr: NDArray[Any], name: str, tol: float = 1e-8) -> None:
    """Raise unless ``arr`` equals its conjugate transpose within ``tol`` relative."""
    scale = max(float(np.max(np.abs(arr), initial=0.0)), np.finfo(float).tiny)
    dev = float(np.max(np.abs(arr - np.conj(np.swapaxes(arr, -1, -2))), initial=0.0))
    if dev > tol * scale:
        raise ValueError(
            f"{name} must be Hermitian (symmetric for real data): max |A - A^H| is "
            f"{dev:.3g}, relative {dev / scale:.3g}"
        )


def as_snapshots(
    X: ArrayLike,
    name: str = "X",
    *,
    size: int | None = None,
    allow_1d: bool = True,
    min_features: int = 1,
) -> NDArray[Any]:
    """Data as ``(n_samples, M)``.

    A 1-D array is one snapshot when ``allow_1d`` (estimators, the group average); with
    ``allow_1d=False`` it is refused with a message saying how to write one snapshot or
    several, for callers where one snapshot is almost surely a mistake (discovery).
    ``min_features`` refuses snapshots shorter than that (discovery needs two points).

    Examples
    --------
    >>> as_snapshots([1.0, 2.0]).shape
    (1, 2)
    >>> as_snapshots([1.0, 2.0], allow_1d=False)
    Traceback (most recent call last):
    ...
    ValueError: X must be 2-D (n_samples, M), got a 1-D array of length 2: write one snapshot as X[None, :], or n scalar samples as X[:, None]
    """
    arr = as_float_array(X, name)
    if arr.ndim == 1:
        if not allow_1d:
            raise ValueError(
                f"{name} must be 2-D (n_samples, M), got a 1-D array of length {arr.shape[0]}: "
                f"write one snapshot as {name}[None, :], or n scalar samples as {name}[:, None]"
            )
        arr = arr[None, :]
    if arr.ndim != 2:
        want = "(n_samples, M) or one snapshot (M,)" if allow_1d else "(n_samples, M)"
        raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{name} is empty: shape {arr.shape}")
    if arr.shape[1] < min_features:
        raise ValueError(
            f"{name} has snapshots of {arr.shape[1]} value(s); at least {min_features} needed"
        )
    if size is not None and arr.shape[1] != size:
        raise ValueError(f"{name} has {arr.shape[1]} features but the group acts on {size} points")
    check_finite(arr, name)
    return arr


def as_group(G: object, name: str = "G", *, degree: int | None = None) -> PermutationGroup:
    """A PermutationGroup, also from the text grammar; optionally of a given degree."""
    from .groups import PermutationGroup, parse

    if isinstance(G, str):
        G = parse(G)
    if not isinstance(G, PermutationGroup):
        raise TypeError(f"{name} must be a PermutationGroup or group text, got {type(G).__name__}")
    if degree is not None and G.degree != degree:
        raise ValueError(f"{name} acts on {G.degree} points but the data have {degree}")
    return G
