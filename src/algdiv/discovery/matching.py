"""Near-automorphisms of an estimated covariance: tolerant matching along a base of points.

An exact automorphism ``p`` of ``R`` satisfies ``R[p(i), p(j)] = R[i, j]``.  With an
estimate ``S`` from ``n`` snapshots every entry carries its own standard error, and the
colour classes that :func:`~algdiv.discovery.automorphisms` refines are no longer
reliable: orbit values closer than a few standard errors chain together or split.  Here
equality is judged entry by entry instead (ours):

* the standard error of ``S_ij`` is taken from the Gaussian (Wishart) law of a sample
  covariance: ``var S_ij = (S_ii S_jj + S_ij²)/n`` for real data, and
  ``(S_ii S_jj ± Re S_ij²)/(2n)`` for the real and the imaginary part of complex circular
  data (:func:`entry_standard_errors`);
* ``j → l`` is compatible with ``a → b`` when ``|S[a, j] − S[b, l]|`` is within ``t``
  standard deviations of the difference, ``t = sqrt(2 ln(M² / 0.01))`` by default (the
  largest of ``M²`` Gaussian deviations stays below it with probability about 0.99);
* a permutation extending a few fixed points is found by depth-first search with
  constraint propagation (each assignment intersects the candidate sets of every other
  point; the point with the fewest candidates is assigned next, its candidates in order of
  accumulated deviation), within a node budget.

Along a base ``b_0, b_1, …`` (points fixed one after the other, as in Schreier–Sims), one
permutation is sought for each image ``k`` of ``b_l`` with ``b_0 … b_{l−1}`` fixed; the
next base point is the first one that the fixed points do not pin to itself, and the loop
stops after ``levels`` base points or when every point is pinned.  The results are
*candidates*: a tolerance
relation is not a group, and at high noise wrong permutations pass too.  ``discover``
judges them with its consistency tests, best-ranked first.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_square, check_hermitian, is_int

__all__ = ["entry_standard_errors", "near_automorphisms"]


def entry_standard_errors(S: ArrayLike, n_samples: int, complex_data: bool | None = None) -> NDArray[Any]:
    """Standard error of each entry of a Gaussian sample covariance, at the estimate itself.

    Real data: ``sd S_ij = sqrt((S_ii S_jj + S_ij²) / n)``.  Complex circular data: the real
    and imaginary parts have ``sd² = (S_ii S_jj ± Re(S_ij²)) / (2n)``, returned as the real
    and imaginary part of a complex array.

    Parameters
    ----------
    S : array_like (M, M)
        A sample covariance, ``(1/n) Σ x xᴴ``.
    n_samples : int
        The ``n`` behind it.
    complex_data : bool, optional
        Default: whether ``S`` has a nonzero imaginary part.

    Returns
    -------
    ndarray (M, M)
        Real for real data; for complex data ``sd(Re S_ij) + 1j·sd(Im S_ij)``.

    Examples
    --------
    >>> import numpy as np
    >>> entry_standard_errors(np.eye(2), 100).round(3).tolist()
    [[0.141, 0.1], [0.1, 0.141]]
    """
    s = np.asarray(S)
    if complex_data is None:
        complex_data = bool(np.iscomplexobj(s) and np.any(s.imag))
    d = np.clip(np.real(np.diag(s)), 0.0, None)
    prod = np.outer(d, d)
    if complex_data:
        pseudo = np.real(s * s)  # Re(S_ij²): E[(S − R)²] = R²/n for circular data
        var_re = np.clip(prod + pseudo, 0.0, None) / (2.0 * n_samples)
        var_im = np.clip(prod - pseudo, 0.0, None) / (2.0 * n_samples)
        se: NDArray[Any] = np.sqrt(var_re) + 1j * np.sqrt(var_im)
        return se
    se = np.sqrt((prod + s.real**2) / n_samples)
    return se


class _Matcher:
    """Depth-first search for a permutation within tolerance of preserving ``S``."""

    def __init__(self, s: NDArray[Any], se: NDArray[Any], t: float, budget: int) -> None:
        self.s, self.t2, self.budget = s, t * t, budget
        self.cplx = np.iscomplexobj(s)
        # (a floor keeps exactly known entries, zero variance, from dividing by zero)
        floor = np.finfo(float).tiny
        self.var_re = np.maximum(se.real**2, floor)
        self.var_im: NDArray[Any] | None = np.maximum(se.imag**2, floor) if self.cplx else None
        self.nodes = 0

    def compatible(self, a: int, b: int) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
        """Where ``j → l`` agrees with ``a → b`` (bool, M×M), and its squared z-score."""
        d = self.s[a][:, None] - self.s[b][None, :]
        re = d.real**2 / (self.var_re[a][:, None] + self.var_re[b][None, :])
        if self.var_im is not None:  # (complex data)
            im = d.imag**2 / (self.var_im[a][:, None] + self.var_im[b][None, :])
            return (re <= self.t2) & (im <= self.t2), re + im
        return re <= self.t2, re

    def extend(self, fixed: list[tuple[int, int]]) -> NDArray[np.intp] | None:
        m = self.s.shape[0]
        cand = np.ones((m, m), dtype=bool)
        cost = np.zeros((m, m))
        p = np.full(m, -1)
        for a, b in fixed:
            ok, z = self.compatible(a, b)
            cand &= ok
            cost += z
            cand[a, :] = False
            cand[:, b] = False
            cand[a, b] = True
            p[a] = b
        if any(not cand[a, b] for a, b in fixed):
            return None
        self.nodes = 0
        return self._dfs(cand, cost, p)

    def next_base(self, fixed: list[tuple[int, int]]) -> int | None:
        """The first point that the fixed points do not pin to itself (a sibling leaf of a
        tree is pinned by its sibling, say), or ``None``."""
        m = self.s.shape[0]
        cand = np.ones((m, m), dtype=bool)
        for a, b in fixed:
            cand &= self.compatible(a, b)[0]
            cand[:, b] = False
        free = [j for j in range(m) if j not in {a for a, _ in fixed}]
        for j in free:
            if cand[j].sum() > 1 or not cand[j, j]:
                return j
        return None

    def _dfs(
        self, cand: NDArray[np.bool_], cost: NDArray[np.float64], p: NDArray[np.intp]
    ) -> NDArray[np.intp] | None:
        self.nodes += 1
        free = np.flatnonzero(p < 0)
        if free.size == 0:
            return p.copy()
        open_rows = cand[free]
        counts = open_rows.sum(axis=1)
        if counts.min() == 0:
            return None
        # an image no free point can reach: no bijection extends this (a cheap Hall check)
        taken = np.zeros(p.size, dtype=bool)
        taken[p[p >= 0]] = True
        if open_rows[:, ~taken].sum(axis=0).min() == 0:
            return None
        j = int(free[np.argmin(counts)])
        options = np.flatnonzero(cand[j])
        for l in options[np.argsort(cost[j, options], kind="stable")]:
            if self.nodes > self.budget:
                return None
            ok, z = self.compatible(j, int(l))
            nxt = cand & ok
            nxt[j, :] = False
            nxt[:, l] = False
            nxt[j, l] = True
            p[j] = l
            found = self._dfs(nxt, cost + z, p)
            if found is not None:
                return found
            p[j] = -1
        return None


def near_automorphisms(
    S: ArrayLike,
    n_samples: int,
    *,
    t: float | None = None,
    levels: int = 4,
    node_budget: int | None = None,
) -> list[NDArray[np.intp]]:
    """Candidate symmetries of an estimated covariance: permutations that preserve every
    entry within its noise (see the module notes).

    Parameters
    ----------
    S : array_like (M, M)
        Hermitian sample covariance.
    n_samples : int
        Snapshots behind ``S`` (sets the standard errors).
    t : float, optional
        Tolerance in standard deviations; default ``sqrt(2 ln(M²/0.01))``.
    levels : int, default 4
        Depth of the stabilizer chain searched: base points fixed one after the other,
        each the first point that the previous ones do not pin to itself.
    node_budget : int, optional
        Search nodes per permutation sought; default ``2 M``.

    Returns
    -------
    list of ndarray
        Distinct non-identity permutations, in the order found.

    Raises
    ------
    ValueError
        If ``S`` is not square, finite and Hermitian, or ``n_samples``, ``t``, ``levels``
        or ``node_budget`` is not positive.

    Examples
    --------
    A circulant covariance estimated from 1000 snapshots, its points hidden by a relabelling:

    >>> import numpy as np
    >>> from scipy.linalg import circulant
    >>> rng = np.random.default_rng(0)
    >>> sigma = rng.permutation(8)
    >>> R = circulant([4.0, 1.6, 0.9, 0.4, 0.1, 0.4, 0.9, 1.6])[np.ix_(sigma, sigma)]
    >>> X = rng.standard_normal((1000, 8)) @ np.linalg.cholesky(R).T
    >>> found = near_automorphisms(X.T @ X / 1000, 1000)
    >>> len(found), sum(np.allclose(R[np.ix_(p, p)], R) for p in found)   # candidates, true ones
    (11, 8)
    """
    s = as_square(S, "S")
    check_hermitian(s, "S")
    if not is_int(n_samples) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive int, got {n_samples!r}")
    for name, value in (("levels", levels), ("node_budget", node_budget)):
        if value is not None and (not is_int(value) or value < 1):
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    if t is not None and not (np.isfinite(t) and t > 0):
        raise ValueError(f"t must be a positive number, got {t!r}")
    complex_data = bool(np.iscomplexobj(s) and np.any(s.imag))
    s = (s + np.conj(s.T)) / 2
    if not complex_data:
        s = s.real
    m = s.shape[0]
    if t is None:
        t = float(np.sqrt(2.0 * np.log(m * m / 0.01)))
    matcher = _Matcher(s, entry_standard_errors(s, int(n_samples), complex_data), float(t),
                       int(node_budget) if node_budget is not None else 2 * m)
    found: dict[bytes, NDArray[np.intp]] = {}
    identity = np.arange(m)
    fixed: list[tuple[int, int]] = []
    base = 0
    for _ in range(int(levels)):
        used = {b for _, b in fixed}
        for k in range(m):
            if k != base and k not in used:
                p = matcher.extend(fixed + [(base, k)])
                if p is not None and not np.array_equal(p, identity):
                    found.setdefault(p.tobytes(), p)
        fixed.append((base, base))
        following = matcher.next_base(fixed)
        if following is None:  # every point is pinned by the ones fixed so far
            break
        base = following
    return list(found.values())
