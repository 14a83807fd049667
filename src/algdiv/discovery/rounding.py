"""From a generator matrix to the nearest permutation (a linear assignment problem)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linear_sum_assignment

from .._validation import as_square

__all__ = ["nearest_permutation", "permutation_residual"]


def nearest_permutation(A: ArrayLike) -> tuple[NDArray[np.intp], float]:
    """The permutation ``p`` whose matrix ``P`` is closest to ``A`` up to scale and phase.

    ``‖A/‖A‖ − c P/√M‖`` is smallest when ``Re Σ_i conj(c) A[p[i], i]`` is largest, a
    linear assignment problem (``scipy.optimize.linear_sum_assignment``).  The phase
    ``c`` is taken from the entry of largest modulus, and both signs are tried, because
    eigenvectors come with an arbitrary sign or phase.

    Returns
    -------
    p : ndarray of int
        ``p[i]`` is the image of ``i`` (``P e_i = e_{p[i]}``).
    score : float
        The cosine between ``A`` and ``P`` (1 when ``A`` is a multiple of ``P``).

    Examples
    --------
    >>> from algdiv.groups.permutations import permutation_matrix
    >>> A = -2 * permutation_matrix([2, 0, 1]) + 0.1
    >>> p, score = nearest_permutation(A)
    >>> p.tolist(), round(score, 3)
    ([2, 0, 1], 0.997)
    """
    a = as_square(A, "A")
    m = a.shape[0]
    norm = float(np.linalg.norm(a))
    if norm == 0:
        return np.arange(m), 0.0
    flat = int(np.argmax(np.abs(a)))
    phase = a.flat[flat] / abs(a.flat[flat])
    best_p, best = np.arange(m), -np.inf
    for sign in (1.0, -1.0):
        w = np.real(np.conj(sign * phase) * a)
        rows, cols = linear_sum_assignment(-w)  # row r receives column c: P[r, c] = 1
        p = np.empty(m, dtype=np.intp)
        p[cols] = rows
        score = float(w[rows, cols].sum() / (np.sqrt(m) * norm))
        if score > best:
            best_p, best = p, score
    return best_p, best


def permutation_residual(R: NDArray[Any], p: NDArray[np.intp]) -> float:
    """``‖[R, P]‖_F / (‖R‖_F ‖P‖_F) = ‖R − P R Pᵀ‖_F / (√M ‖R‖_F)``, by indexing."""
    norm = float(np.linalg.norm(R))
    if norm == 0:
        return 0.0
    q = np.argsort(p)
    moved = R[q[:, None], q[None, :]]  # P R Pᵀ
    return float(np.linalg.norm(R - moved) / (np.sqrt(len(p)) * norm))
