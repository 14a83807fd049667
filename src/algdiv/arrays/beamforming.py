"""Adaptive beamforming: MVDR weights, output SINR and the SINR loss against the optimum."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["mvdr_weights", "sinr", "sinr_loss"]


def mvdr_weights(R: ArrayLike, s: ArrayLike) -> NDArray[Any]:
    """``w = R⁻¹ s / (sᴴ R⁻¹ s)``: the minimum-variance distortionless response beamformer.

    ``R`` may be a stack ``(..., M, M)`` (then ``s`` broadcasts); the weights satisfy
    ``wᴴ s = 1``.  Any positive rescaling of ``w`` has the same SINR.

    Examples
    --------
    >>> import numpy as np
    >>> w = mvdr_weights(np.eye(3), np.ones(3))
    >>> w.round(3), complex(w.conj() @ np.ones(3))
    (array([0.333, 0.333, 0.333]), (1+0j))
    """
    R = np.asarray(R)
    s = np.asarray(s)
    if R.ndim < 2 or R.shape[-1] != R.shape[-2] or s.shape[-1] != R.shape[-1]:
        raise ValueError(f"R must be (..., M, M) and s (..., M); got {R.shape} and {s.shape}")
    w = np.linalg.solve(R, np.broadcast_to(s, R.shape[:-1])[..., None])[..., 0]
    return cast("NDArray[Any]", w / np.sum(s.conj() * w, axis=-1, keepdims=True).conj())


def sinr(w: ArrayLike, s: ArrayLike, R: ArrayLike, signal_power: float = 1.0) -> NDArray[Any]:
    """Output SINR ``σ_s² |wᴴ s|² / (wᴴ R w)`` with ``R`` the interference-plus-noise covariance.

    Examples
    --------
    >>> import numpy as np
    >>> float(sinr(np.ones(4), np.ones(4), np.eye(4)))   # array gain M
    4.0
    """
    w, s, R = np.asarray(w), np.asarray(s), np.asarray(R)
    num = np.abs(np.sum(w.conj() * s, axis=-1)) ** 2
    den = np.real(np.einsum("...i,...ij,...j->...", w.conj(), R, w))
    return cast("NDArray[Any]", signal_power * num / den)


def sinr_loss(w: ArrayLike, s: ArrayLike, R: ArrayLike) -> NDArray[Any]:
    """``|wᴴ s|² / (wᴴ R w · sᴴ R⁻¹ s)`` in ``(0, 1]``: the SINR of ``w`` over the optimum.

    The optimum ``w ∝ R⁻¹ s`` gives 1.  ``w`` may be a stack ``(..., M)``.

    Examples
    --------
    >>> import numpy as np
    >>> R = np.diag([1.0, 4.0])
    >>> s = np.ones(2)
    >>> float(sinr_loss(np.linalg.solve(R, s), s, R)), float(sinr_loss(s, s, R))
    (1.0, 0.64)
    """
    R = np.asarray(R)
    s = np.asarray(s)
    opt = np.real(s.conj() @ np.linalg.solve(R, s))
    return cast("NDArray[Any]", sinr(w, s, R) / opt)
