"""Noise-aware diagnostics: δ, δ₀, α, κ, and what the data cannot tell apart.

Definitions used here (ours where the papers leave a choice):

* ``δ(G; R̂) = ‖R̂ − Φ_G(R̂)‖_F / ‖R̂‖_F``: 0 iff ``R̂`` is ``G``-invariant.
* ``δ₀(G; R̂, n) = sqrt(E‖S − Φ_G(S)‖_F²) / ‖R̂‖_F``, where ``S`` is the sample covariance
  ``(1/n) Σ x xᴴ`` of ``n`` zero-mean Gaussian snapshots whose covariance is the plug-in truth
  ``R₀ = Φ_G(R̂)``.  Dividing by the same observed ``‖R̂‖_F`` as ``δ`` makes
  ``α = δ²/δ₀² = ‖R̂ − Φ_G(R̂)‖² / E‖S − Φ_G(S)‖²``: the energy outside the commutant over
  its expected value when the group is right.  Closed form, ``O(M²)``, from Isserlis'
  theorem (no element of ``G`` is listed):

  - real Gaussian data: ``Cov(S_ij, S_lm) = (R_il R_jm + R_im R_jl)/n``, so
    ``E‖S − R₀‖² = ((tr R₀)² + ‖R₀‖²)/n``;
  - circular complex Gaussian data: ``E[(S_ij − R_ij) conj(S_lm − R_lm)] = R_il R_mj / n``,
    so ``E‖S − R₀‖² = (tr R₀)²/n``;
  - ``E‖Φ_G(S − R₀)‖² = (1/n) Σ_O f_O`` with ``f_O = Σ_{(l,m)∈O} Cov(S_ij, S_lm)·n`` for
    one representative ``(i, j)`` of each pair orbit ``O`` (``f`` is constant on the orbit
    because ``R₀`` is invariant), and ``E‖S − Φ_G S‖² = E‖S − R₀‖² − E‖Φ_G(S − R₀)‖²``.
* ``α = δ²/δ₀²`` (ours): ≈ 1 when the group explains the data at this sample size, ≫ 1
  when the data carry structure outside its commutant.
* ``κ = −log₂ Σ p_i²``, ``p_i = λ_i / Σ λ`` (ours): Rényi-2 entropy of the normalized
  spectrum, between 0 (rank one) and ``log₂ M`` (white).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_group, as_square, check_hermitian
from ..commutant import invariance_residual, project_unchecked
from ..groups import PermutationGroup
from .automorphisms import _search

__all__ = [
    "residual",
    "noise_floor",
    "coloring_index",
    "structural_capacity",
    "expected_perp_energy",
    "indistinguishable_group",
    "identifiability_notes",
]


def residual(R: ArrayLike, G: PermutationGroup | str) -> float:
    """The commutativity residual ``δ = ‖R − Φ_G(R)‖_F / ‖R‖_F``.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.groups import cyclic
    >>> residual(np.eye(4), cyclic(4))
    0.0
    >>> round(residual(np.diag([1., 0., 0., 0.]), cyclic(4)), 3)
    0.866
    """
    return invariance_residual(R, G)


def _checked(R: ArrayLike, G: object, n: object) -> tuple[NDArray[Any], PermutationGroup, float]:
    g = as_group(G)
    r = as_square(R, "R", size=g.degree)
    check_hermitian(r, "R")
    if isinstance(n, bool) or not isinstance(n, (int, float, np.integer, np.floating)):
        raise TypeError(f"n must be a number of snapshots, got {type(n).__name__}")
    if not (n > 0 and np.isfinite(n)):
        raise ValueError(f"n must be a positive number of snapshots, got {n}")
    return r, g, float(n)


def _is_complex(r: NDArray[Any], complex_data: bool | None) -> bool:
    if complex_data is None:
        return bool(np.iscomplexobj(r) and np.any(r.imag != 0))
    return bool(complex_data)


def expected_perp_energy(
    R0: ArrayLike, G: PermutationGroup | str, n: float, *, complex_data: bool | None = None
) -> float:
    """``E‖S − Φ_G(S)‖_F²`` for ``n`` Gaussian snapshots with a ``G``-invariant covariance ``R0``.

    Parameters
    ----------
    R0 : array_like (M, M)
        The true covariance; it must be ``G``-invariant (it is not projected here).
    G : PermutationGroup or str
    n : float
        Number of snapshots.
    complex_data : bool, optional
        Circular complex Gaussian data (``True``) or real data (``False``); default:
        complex iff ``R0`` has a nonzero imaginary part.

    Examples
    --------
    White real noise, trivial group: nothing is averaged, so it is ``E‖S − R0‖² = (M² + M)/n``.

    >>> import numpy as np
    >>> from algdiv.groups import trivial
    >>> expected_perp_energy(np.eye(3), trivial(3), 10)
    0.0
    >>> from algdiv.groups import symmetric
    >>> round(expected_perp_energy(np.eye(3), symmetric(3), 10), 6)
    0.8
    """
    r, g, n = _checked(R0, G, n)
    cplx = _is_complex(r, complex_data)
    m = g.degree
    flat = g.pair_orbits().ravel()
    order = np.argsort(flat, kind="stable")
    starts = np.concatenate([[0], np.cumsum(g.pair_orbit_sizes())[:-1]])
    rep = order[starts]  # one pair (i, j) per orbit
    ri, rj = (rep // m)[flat], (rep % m)[flat]  # the representative of each pair's orbit
    lm = np.arange(m * m)
    l, mm = lm // m, lm % m
    tr = np.trace(r)
    if cplx:
        total = np.abs(tr) ** 2
        avg = np.sum(r[ri, l] * r[mm, rj])
    else:
        r = r.real
        total = tr**2 + np.sum(r * r)
        avg = np.sum(r[ri, l] * r[rj, mm] + r[ri, mm] * r[rj, l])
    return float(max(np.real(total - avg), 0.0) / n)


def noise_floor(
    R: ArrayLike, G: PermutationGroup | str, n: float, *, complex_data: bool | None = None
) -> float:
    """The noise floor ``δ₀``: the residual ``δ`` expected from ``n`` snapshots if ``G`` is right.

    ``δ₀ = sqrt(E‖S − Φ_G(S)‖²) / ‖R‖_F`` with ``S`` drawn from the Gaussian model whose
    covariance is ``Φ_G(R)`` (closed form, see the module notes).

    Parameters
    ----------
    R : array_like (M, M)
        The estimated covariance ``R̂``.
    G : PermutationGroup or str
    n : float
        Number of snapshots behind ``R̂``.
    complex_data : bool, optional
        Circular complex (``True``) or real (``False``) Gaussian data; default from
        whether ``R`` has a nonzero imaginary part.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.groups import dihedral
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((20, 8))
    >>> S = X.T @ X / 20
    >>> d0 = noise_floor(S, dihedral(8), 20)
    >>> bool(0 < d0 < 1), round(residual(S, dihedral(8)) / d0, 1)   # α ≈ 1: white noise is D_8-invariant
    (True, 1.0)
    """
    r, g, n = _checked(R, G, n)
    norm = float(np.linalg.norm(r))
    if norm == 0.0:
        return 0.0
    r0 = project_unchecked(r, g)
    return float(np.sqrt(expected_perp_energy(r0, g, n, complex_data=complex_data)) / norm)


def coloring_index(
    R: ArrayLike, G: PermutationGroup | str, n: float, *, complex_data: bool | None = None
) -> float:
    """The algebraic coloring index ``α = δ² / δ₀²`` (ours).

    ≈ 1 when ``G``'s colouring of the index pairs explains the data at this sample size;
    ≫ 1 when the data carry structure outside the commutant.  ``inf`` when ``δ₀ = 0`` and
    ``δ > 0``; ``nan`` when both vanish.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.groups import cyclic
    >>> rng = np.random.default_rng(1)
    >>> X = rng.standard_normal((500, 6)) * [1, 1, 1, 1, 1, 4]   # one loud sensor
    >>> S = X.T @ X / 500
    >>> bool(coloring_index(S, cyclic(6), 500) > 50)
    True
    """
    r, g, n = _checked(R, G, n)
    perp = float(np.linalg.norm(r - project_unchecked(r, g)) ** 2)
    expected = expected_perp_energy(project_unchecked(r, g), g, n, complex_data=complex_data)
    if expected == 0.0:
        return float("nan") if perp == 0.0 else float("inf")
    return perp / expected


def structural_capacity(R: ArrayLike) -> float:
    """``κ = −log₂ Σ p_i²``, ``p_i = λ_i / Σ λ``: Rényi-2 entropy of the spectrum (ours).

    Negative eigenvalues (estimation noise) are clipped to 0.

    Examples
    --------
    >>> import numpy as np
    >>> structural_capacity(np.eye(8))
    3.0
    >>> structural_capacity(np.ones((4, 4)))
    0.0
    """
    r = as_square(R, "R")
    check_hermitian(r, "R")
    w = np.clip(np.linalg.eigvalsh(r), 0.0, None)
    total = w.sum()
    if total <= 0:
        raise ValueError("R has no positive eigenvalue; its structural capacity is undefined")
    p = w / total
    return float(max(-np.log2(np.sum(p * p)), 0.0))


def indistinguishable_group(G: PermutationGroup | str, *, real_data: bool = False) -> PermutationGroup:
    """The largest group whose invariant covariances are exactly those of ``G``.

    It is the 2-closure of ``G`` (the automorphisms of its pair-orbit colouring).  With
    ``real_data``, a covariance is symmetric, so a pair ``(i, j)`` and ``(j, i)`` carry
    the same value: the colouring is symmetrized first and the group can only grow.  A
    blind search can at best return this group.

    Examples
    --------
    >>> from algdiv.groups import affine, cyclic
    >>> indistinguishable_group(affine(7)).order          # = S_7: AGL(1,7) is 2-transitive
    5040
    >>> indistinguishable_group(cyclic(8)).order, indistinguishable_group(cyclic(8), real_data=True).order
    (8, 16)
    """
    g = as_group(G)
    lab = np.asarray(g.pair_orbits()).astype(np.int64)  # products of labels below
    if real_data:
        n = g.n_pair_orbits
        lo, hi = np.minimum(lab, lab.T), np.maximum(lab, lab.T)
        lab = np.unique(lo * n + hi, return_inverse=True)[1].reshape(lab.shape)
    gens, order = _search(lab)
    return PermutationGroup.from_structure(
        np.array(gens, dtype=np.intp).reshape(-1, g.degree),
        g.degree,
        name=f"{'real-data ' if real_data else ''}2-closure of the {g.name}",
        order=order,
    )


def identifiability_notes(G: PermutationGroup | str, *, real_data: bool = False) -> list[str]:
    """Plain-language notes on what the data cannot distinguish from ``G``.

    Examples
    --------
    >>> from algdiv.groups import cyclic
    >>> print(identifiability_notes(cyclic(8), real_data=True)[0])
    a larger group with the same commutant: with real (symmetric) data, Z_8 (order 8) cannot be told apart from a group of order 16 that has the same invariant covariances
    """
    g = as_group(G)
    notes = []
    closure = indistinguishable_group(g)
    if closure.order > g.order:
        notes.append(
            f"a larger group with the same commutant: {g.short_name} (order {g.order}) and a "
            f"group of order {closure.order} have the same pair orbits, so no covariance can "
            "tell them apart"
        )
    if real_data:
        sym = indistinguishable_group(g, real_data=True)
        if sym.order > closure.order:
            notes.append(
                f"a larger group with the same commutant: with real (symmetric) data, "
                f"{g.short_name} (order {g.order}) cannot be told apart from a group of order "
                f"{sym.order} that has the same invariant covariances"
            )
    return notes
