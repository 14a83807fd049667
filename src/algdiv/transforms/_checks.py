"""Argument checks shared by the transform modules (internal API of ``algdiv.transforms``).

The kernels (:mod:`.kernels`, :mod:`.frft`) and :class:`~algdiv.transforms.Transform` take
an ``axis`` and a signal the same way; these two helpers give them the same errors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, check_finite

__all__ = ["normalize_axis", "checked_signal", "derivation_rng", "DEFAULT_SEED"]

DEFAULT_SEED = 20260  # the generic derivations are randomized but reproducible by default


def normalize_axis(axis: int, ndim: int, name: str = "x") -> int:
    """``axis`` as an index in ``0..ndim-1``; ``TypeError``/``ValueError`` naming ``name``.

    Examples
    --------
    >>> normalize_axis(-1, 3)
    2
    """
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"axis must be an int, got {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of range for {name} with {ndim} dimension(s)")
    return int(axis) % ndim


def checked_signal(x: ArrayLike, axis: int, name: str = "x") -> tuple[NDArray[Any], int]:
    """``x`` as a finite float or complex array of at least one dimension, and its axis.

    Examples
    --------
    >>> arr, ax = checked_signal([1, 2, 3], -1)
    >>> arr.dtype, ax
    (dtype('float64'), 0)
    """
    arr = as_float_array(x, name)
    if arr.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension, got a scalar")
    ax = normalize_axis(axis, arr.ndim, name)
    check_finite(arr, name)
    return arr, ax


def derivation_rng(rng: np.random.Generator | int | None) -> np.random.Generator:
    """The Generator of a randomized derivation: ``None`` gives the fixed default seed.

    >>> float(derivation_rng(None).random()) == float(derivation_rng(DEFAULT_SEED).random())
    True
    """
    if rng is None or isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(DEFAULT_SEED if rng is None else int(rng))
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator or an int seed, got {type(rng).__name__}")
    return rng
