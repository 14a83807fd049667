"""``matched_transform`` and ``resolution``: from a group (or commutant algebra) to its transform."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_group, as_square, check_hermitian
from ..groups import (
    PermutationGroup,
    cyclic,
    dihedral,
    elementary_abelian,
    iterated_wreath,
)
from . import catalogue
from ._checks import derivation_rng
from ._transform import Transform
from .algebra import CommutantAlgebra
from .folds import DihedralFold
from .generic import derive, refine

__all__ = ["matched_transform", "resolution"]

_PARTITION_LIMIT = 4096  # recognize catalogue commutants by pair-orbit labels up to this M


def matched_transform(
    G: PermutationGroup | CommutantAlgebra | str,
    R: ArrayLike | None = None,
    *,
    method: str = "auto",
    rng: np.random.Generator | int | None = None,
) -> Transform:
    """The matched transform of a group: the common (block-)eigenbasis of its invariant covariances.

    Columns of ``U`` split ``ℂ^M`` into the isotypic components of the permutation
    representation, so that ``Uᴴ C U`` is block diagonal, ``⊕_ρ kron(B_ρ, I_dρ)``, for
    every ``C`` in the commutant.  Multiplicity-free actions (Gelfand pairs)
    give a basis that diagonalizes every ``G``-invariant covariance; otherwise, when
    ``R`` is given, each ``m_ρ × m_ρ`` multiplicity block is diagonalized from ``R``
    (hierarchical KL).

    Catalogue commutants give the classical transform with its fast kernel, exactly in
    scipy's and pywt's conventions: ``cyclic`` -> DFT (``scipy.fft.fft``,
    ``norm="ortho"``), ``dihedral`` -> DFT with pairs ``k, M-k`` as blocks,
    ``elementary_abelian`` -> Walsh-Hadamard (natural order), ``iterated_wreath([2]*m)``
    -> Haar, ``iterated_wreath(b)`` with symmetric nodes -> the hierarchical basis, ``symmetric`` and every 2-transitive group (``affine(p)``) -> mean plus
    complement (DCT-II), ``trivial`` -> identity, or the KLT of ``R``,
    ``direct_product`` -> Kronecker product of the factors' transforms, ``relabel`` ->
    the permuted transform, :func:`~algdiv.transforms.dihedral_fold` -> the DCT/DST.
    A group given by other generators is recognized when its pair orbits (hence its
    commutant) equal a catalogue group's.  Everything else is derived from the
    generators in polynomial time without enumerating the group (see
    :mod:`algdiv.transforms.generic`).

    Parameters
    ----------
    G : PermutationGroup, SignedPermutationGroup, CommutantAlgebra or str
        The group (or its text), a signed-permutation group (through
        :func:`~algdiv.transforms.signed_matched_transform`), or a commutant algebra such as
        a dihedral fold.
    R : array_like, shape (M, M), optional
        A Hermitian covariance used to diagonalize the multiplicity blocks.
    method : {"auto", "generic"}
        ``"generic"`` skips the catalogue and derives the transform numerically (for
        comparison and testing).
    rng : numpy.random.Generator or int, optional
        Randomness of the generic derivation; a fixed seed by default, so results are
        reproducible.

    Returns
    -------
    Transform

    Raises
    ------
    ValueError
        If ``R`` is not square Hermitian of the group's degree, holds NaN/inf, or
        ``method`` is unknown.
    TypeError
        If ``G`` is neither a group, group text nor a :class:`CommutantAlgebra`.

    Examples
    --------
    >>> import numpy as np, scipy.fft
    >>> from algdiv import matched_transform
    >>> from algdiv.groups import cyclic, from_generators, wreath_product, symmetric
    >>> x = np.arange(12.0)
    >>> T = matched_transform(from_generators([[(i + 5) % 12 for i in range(12)]]))
    >>> T.name, np.allclose(T.forward(x), scipy.fft.fft(x, norm="ortho"))
    ('DFT', True)
    >>> W = matched_transform(wreath_product(cyclic(3), symmetric(3)))
    >>> [(b.dim, b.multiplicity) for b in W.blocks]
    [(1, 1), (2, 1), (3, 1), (3, 1)]
    """
    if method not in ("auto", "generic"):
        raise ValueError(f"method must be 'auto' or 'generic', got {method!r}")
    from ..groups.signed import SignedPermutationGroup

    if isinstance(G, SignedPermutationGroup):  # signed pair orbits, not pair orbits
        from .signed import signed_matched_transform

        return signed_matched_transform(G, R, rng=rng)
    source = G if isinstance(G, CommutantAlgebra) else as_group(G)
    r = None
    if R is not None:
        r = as_square(R, "R", size=source.degree)
        check_hermitian(r, "R")
    rng = derivation_rng(rng)
    t = _catalogue(source) if method == "auto" else None
    if t is None:
        t = derive(source, rng)
    return t if r is None else refine(t, r)


def _catalogue(source: PermutationGroup | CommutantAlgebra) -> Transform | None:
    """The classical transform when ``source`` has a catalogue commutant, else None."""
    if isinstance(source, DihedralFold):
        return catalogue._trig(source.degree, source.type, source.family)
    if isinstance(source, CommutantAlgebra):
        return None
    m = source.degree
    c = source.construction or (None,)
    kind = c[0]
    if kind == "trivial":
        return catalogue.identity(m)
    if kind == "cyclic":
        return catalogue.dft(m)
    if kind == "dihedral":
        return catalogue.dft(m, pairs=True)
    if kind == "elementary_abelian":
        return catalogue.wht(m)
    if kind == "iterated_wreath" and all(b == 2 for b in c[1]):
        return catalogue.haar(m)
    if kind == "iterated_wreath" and c[2] == "symmetric":
        return catalogue.hierarchical(c[1])
    if kind == "iterated_wreath":  # per-level node groups: the tree analysis (hybrid wreaths)
        from .hybrid import tree_transform

        return tree_transform(c[1], c[2])
    if kind == "symmetric":
        return catalogue.symmetric_transform(m)
    if kind == "direct_product":
        return catalogue.kron(_matched_no_r(c[1]), _matched_no_r(c[2]))
    if kind == "relabel":
        return catalogue.relabelled(_matched_no_r(c[1]), c[2])
    if m <= _PARTITION_LIMIT:
        return _by_commutant(source)
    return None


def _matched_no_r(G: PermutationGroup) -> Transform:
    return _catalogue(G) or derive(G, derivation_rng(None))


def _same_partition(a: NDArray[Any], na: int, b: NDArray[Any], nb: int) -> bool:
    if na != nb:
        return False
    fa, fb = a.ravel(), b.ravel()
    mapping = np.full(na, -1, dtype=np.intp)
    mapping[fa] = fb
    return bool(np.array_equal(mapping[fa], fb) and np.unique(mapping).size == na)


def _by_commutant(G: PermutationGroup) -> Transform | None:
    """Recognize a catalogue commutant from the pair-orbit labels (same commutant, same transform)."""
    m = G.degree
    n = G.n_pair_orbits
    labels = G.pair_orbits()
    candidates: list[tuple[PermutationGroup, Callable[[], Transform]]] = []
    if n == m * m:
        return catalogue.identity(m)
    if n == min(m, 2):
        return catalogue.symmetric_transform(m)
    if n == m:
        candidates += [(cyclic(m), lambda: catalogue.dft(m))]
        if m & (m - 1) == 0:
            candidates += [(elementary_abelian(m.bit_length() - 1), lambda: catalogue.wht(m))]
    if n == m // 2 + 1:
        candidates += [(dihedral(m), lambda: catalogue.dft(m, pairs=True))]
    if m >= 2 and m & (m - 1) == 0 and n == m.bit_length():
        candidates += [(iterated_wreath([2] * (m.bit_length() - 1)), lambda: catalogue.haar(m))]
    for cand, make in candidates:
        if _same_partition(labels, n, cand.pair_orbits(), cand.n_pair_orbits):
            return make()
    return None


def resolution(G: PermutationGroup | CommutantAlgebra | str) -> int:
    """The number of eigenvalue classes of ``G``-invariant covariances, ``Σ_ρ m_ρ``.

    The most distinct eigenvalues a ``G``-invariant covariance can have: ``M`` for the
    trivial group (KLT), ``2`` for the symmetric group; the larger the group, the fewer
    (the resolution principle: a larger group shares out fewer free eigenvalues).

    Examples
    --------
    >>> from algdiv import resolution
    >>> from algdiv.groups import trivial, cyclic, dihedral, symmetric
    >>> [resolution(g) for g in (trivial(8), cyclic(8), dihedral(8), symmetric(8))]
    [8, 8, 5, 2]
    """
    return matched_transform(G).n_classes
