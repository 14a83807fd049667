"""The matched transform of any group (or commutant algebra), derived numerically.

The commutant ``A = C(G)`` is a semisimple ``*``-algebra, ``A ≅ ⊕_ρ Mat(m_ρ)``, acting on
``ℂ^M = ⊕_ρ ℂ^{m_ρ} ⊗ ℂ^{d_ρ}`` as ``B ⊗ I_{d_ρ}``.  The group is never enumerated; all
we use is a way to draw random elements of ``A`` (random coefficients on the orbital
basis, ``coeffs[pair_orbit_labels]``), which costs ``O(M²)``:

1. a random Hermitian ``H ∈ A`` has, on each isotypic component, ``m_ρ`` distinct
   eigenvalues, each with a ``d_ρ``-dimensional eigenspace (a "copy");
2. a second random Hermitian ``K ∈ A`` couples two copies iff they belong to the same
   component (``A`` acts irreducibly on the multiplicity space), which groups the
   eigenspaces into components;
3. ``K`` also transports a basis of one copy to the others (polar factor of the
   coupling block), so that ``A`` acts as ``B ⊗ I_d`` in the resulting basis;
4. the result is verified on a third random element and the draw repeated if a rare
   near-coincidence of eigenvalues fooled step 1.

A real basis is tried first (random real symmetric elements); when the commutant has
elements that are not symmetric (orbits on pairs that are not self-paired) the result
is verified on a complex Hermitian element and, if some irrep is of complex or
quaternionic type (cyclic groups, for instance), the complex derivation is used.
Given ``R``, each multiplicity block is diagonalized from ``R`` (hierarchical KL).
Cost: a few ``M × M`` eigen-decompositions and products, ``O(M³)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components

from ..groups import PermutationGroup
from ._transform import Block, Transform, _structure_residual
from .algebra import CommutantAlgebra

__all__ = ["derive", "refine"]

_EIG_TOL = 1e-10  # eigenvalues closer than this (relative) are one eigenvalue of H
_COUPLING_TOL = 1e-8  # coupling blocks smaller than this (relative) are zero
_VERIFY_TOL = 1e-9  # block residual of a random invariant element that we accept
_ATTEMPTS = 4


class _Sampler:
    """Random elements of a commutant algebra."""

    def __init__(self, source: PermutationGroup | CommutantAlgebra) -> None:
        self.degree = source.degree
        self._draw: Callable[[np.random.Generator, bool], NDArray[np.inexact[Any]]]
        if isinstance(source, PermutationGroup):
            labels: NDArray[np.intp] = source.pair_orbits()
            n = source.n_pair_orbits
            transposed = np.empty(n, dtype=np.intp)
            transposed[labels] = labels.T
            self.self_paired = bool(np.all(transposed == np.arange(n)))

            def draw(rng: np.random.Generator, complex_: bool) -> NDArray[np.inexact[Any]]:
                c: NDArray[np.inexact[Any]] = rng.standard_normal(n)
                if complex_:
                    c = c + 1j * rng.standard_normal(n)
                return c[labels]

            self._draw = draw
        else:
            self.self_paired = source._is_real_symmetric()
            self._draw = source._random_element

    def hermitian(self, rng: np.random.Generator, complex_: bool) -> NDArray[np.inexact[Any]]:
        a = self._draw(rng, complex_)
        h: NDArray[np.inexact[Any]] = (a + np.conj(a.T)) / 2
        return h


def _clusters(w: NDArray[Any]) -> list[NDArray[Any]]:
    scale = max(float(np.max(np.abs(w))), np.finfo(float).tiny)
    cuts = np.flatnonzero(np.diff(w) > _EIG_TOL * scale) + 1
    return np.split(np.arange(w.size), cuts)


def _polar(w: NDArray[np.inexact[Any]]) -> NDArray[np.inexact[Any]] | None:
    u, s, vh = np.linalg.svd(w)
    if s[0] == 0 or s[-1] < 0.5 * s[0]:  # copies of one irrep couple by a multiple of a unitary
        return None
    unitary: NDArray[np.inexact[Any]] = u @ vh
    return unitary


def _attempt(
    sampler: _Sampler, rng: np.random.Generator, complex_: bool
) -> tuple[NDArray[np.inexact[Any]], list[Block]] | None:
    m = sampler.degree
    h = sampler.hermitian(rng, complex_)
    w, v = np.linalg.eigh(h)
    clusters = _clusters(w)
    k = sampler.hermitian(rng, complex_)
    kt = np.conj(v.T) @ k @ v
    starts = np.array([c[0] for c in clusters])
    energy = np.add.reduceat(np.add.reduceat(np.abs(kt) ** 2, starts, axis=0), starts, axis=1)
    strength = np.sqrt(energy)
    tol = _COUPLING_TOL * max(float(np.linalg.norm(k)), np.finfo(float).tiny)
    adjacency = strength > tol
    np.fill_diagonal(adjacency, False)
    n_comp, comp = connected_components(adjacency, directed=False)
    ones = np.ones(m) / np.sqrt(m)
    # (minus the weight on the constant vector, irrep dimension, multiplicity, first
    # cluster, the basis columns)
    components: list[tuple[float, int, int, int, NDArray[np.inexact[Any]]]] = []
    for c in range(n_comp):
        members = np.flatnonzero(comp == c)
        sizes = {clusters[i].size for i in members}
        if len(sizes) != 1:
            return None
        d = sizes.pop()
        # Maximum spanning tree (Prim): transport along the strongest couplings.
        bases = {int(members[0]): v[:, clusters[members[0]]]}
        order = [int(members[0])]
        rest = set(int(i) for i in members[1:])
        while rest:
            placed = np.array(order)
            cand = np.array(sorted(rest))
            sub = strength[np.ix_(placed, cand)]
            a, b = np.unravel_index(int(np.argmax(sub)), sub.shape)
            i, j = int(placed[a]), int(cand[b])
            q = _polar(kt[np.ix_(clusters[j], clusters[i])] @ (np.conj(v[:, clusters[i]].T) @ bases[i]))
            if q is None:
                return None
            bases[j] = v[:, clusters[j]] @ q
            order.append(j)
            rest.remove(j)
        cols = np.concatenate([bases[i] for i in order], axis=1)
        trivial_weight = float(np.linalg.norm(np.conj(cols.T) @ ones))
        components.append((-round(trivial_weight, 6), d, len(order), int(members[0]), cols))
    components.sort(key=lambda t: t[:4])
    u = np.concatenate([c[4] for c in components], axis=1)
    if u.shape[1] != m:
        return None
    blocks: list[Block] = []
    start = 0
    for component in components:
        d, mult = component[1], component[2]
        blocks.append(Block(np.arange(start, start + d * mult), d, mult))
        start += d * mult
    _fix_phases(u, blocks)
    # Verify on a fresh element (complex Hermitian whenever the commutant has some).
    probe = sampler.hermitian(rng, not sampler.self_paired)
    resid = _structure_residual(np.conj(u.T) @ probe @ u, blocks)
    if resid > _VERIFY_TOL * max(float(np.linalg.norm(probe)), np.finfo(float).tiny):
        return None
    return u, blocks


def _fix_phases(u: NDArray[Any], blocks: list[Block]) -> None:
    """Make the largest entry of each column in a one-dimensional irrep real positive."""
    for b in blocks:
        if b.dim != 1:
            continue
        for col in b.indices:
            x = u[:, col]
            p = x[np.argmax(np.abs(x))]
            u[:, col] = x * (np.conj(p) / abs(p))


def derive(
    source: PermutationGroup | CommutantAlgebra, rng: np.random.Generator
) -> Transform:
    """The matched transform of ``source`` by the randomized algorithm above (no checks).

    Raises
    ------
    RuntimeError
        If no consistent block structure is found in a few draws (for a matrix set that
        is not closed under products, for instance).
    """
    sampler = _Sampler(source)
    fields = [False] if sampler.self_paired else [False, True]
    for complex_ in fields:
        for _ in range(_ATTEMPTS):
            found = _attempt(sampler, rng, complex_)
            if found is not None:
                u, blocks = found
                return Transform(sampler.degree, blocks, name="generic", matrix=u)
            if complex_ is False and not sampler.self_paired:
                break  # a real basis failed the complex check: go complex at once
    raise RuntimeError(
        f"could not find the isotypic structure of {getattr(source, 'name', source)}; "
        "is it a group, or a set of matrices closed under products and adjoints?"
    )


def refine(t: Transform, r: NDArray[Any]) -> Transform:
    """Diagonalize ``r`` inside every multiplicity block of ``t`` (hierarchical KL).

    In a block of ``m`` copies of a ``d``-dimensional irrep, ``Uᴴ r U`` is averaged
    over the ``d`` matching positions (which is the block of ``Φ_G(r)``), the
    ``m × m`` result diagonalized with eigenvalues in decreasing order, and the copies
    recombined by its eigenvectors.
    """
    if t.multiplicity_free:
        return t
    u = t.matrix
    x = np.conj(u.T) @ r @ u
    new = np.array(u, dtype=np.result_type(u, r))
    for b in t.blocks:
        if b.multiplicity == 1:
            continue
        c = b.copies
        small = x[c[:, None, :], c[None, :, :]].mean(axis=-1)
        small = (small + np.conj(small.T)) / 2
        w, vecs = np.linalg.eigh(small)
        vecs = vecs[:, ::-1]
        stacked = u[:, c]  # (M, m, d)
        new[:, c] = np.einsum("pad,ak->pkd", stacked, vecs)
    _fix_phases(new, list(t.blocks))
    return Transform(t.size, t.blocks, name=_refined_name(t.name), matrix=new, refined=True)


def _refined_name(name: str) -> str:
    if name in ("identity", "generic"):
        return "KLT" if name == "identity" else "generic + KL"
    return f"{name} + KL"
