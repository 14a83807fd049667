"""Blind discovery of signed symmetry: the signed permutations that commute with ``R``.

A signed permutation ``Q = P diag(s)`` (``Q e_i = s[i] e_{p[i]}``) leaves ``R`` invariant
when ``R[p[i], p[j]] = s[i] s[j] R[i, j]`` for all ``i, j``.  Such symmetry is invisible to
:func:`algdiv.automorphisms`, which compares entries without signs: a skew-circulant
(negacyclic) covariance has only a small permutation group, but the negacyclic shift of
order ``2M`` among its signed automorphisms.

Reduction to a coloured graph on ``2M`` points (ours)
-----------------------------------------------------
Let point ``i`` stand for ``+e_i`` and ``i + M`` for ``-e_i``, and let

    ``R₂ = [[R, -R], [-R, R]]``,

the covariance of ``(x, -x)``.  A signed permutation acts on the ``2M`` points as the
permutation ``d`` with ``d(i) = p[i] + M·[s_i < 0]`` and ``d(i + M)`` its partner, and
``Q R Qᵀ = R`` exactly when ``d`` preserves ``R₂`` entry by entry.  Conversely a
permutation ``d`` preserving ``R₂`` is a signed permutation when it maps each pair
``{i, i + M}`` onto a pair; giving the ``2M`` pair entries ``(i, i + M)`` a colour of their
own forces that.  So the signed automorphism group is the automorphism group of the
coloured ``R₂`` (colour refinement and backtracking as in :func:`algdiv.automorphisms`),
read back through :meth:`SignedPermutationGroup.from_doubled`.  It always contains
``-I`` (the swap of every pair), which acts trivially on covariances.

A zero entry ``R[i, j] = 0`` equals its negative, so its sign is free: sign flips of
uncorrelated coordinates are found too (``R`` diagonal gives ``sign_flips(M)`` times the
permutations of equal variances).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..groups import PermutationGroup
from ..groups.signed import (
    SignedPermutationGroup,
    as_signed_permutation,
)
from .automorphisms import _NODE_BUDGET, _edge_colours, _search, search_arguments
from .bases import _from_triplets

__all__ = ["signed_automorphisms", "signed_permutations", "signed_beyond_group", "SIGNED_LIMIT"]


def signed_automorphisms(
    R: ArrayLike, tol: float | None = None, *, max_nodes: int = _NODE_BUDGET
) -> SignedPermutationGroup:
    """The group of all signed permutations ``Q`` with ``Q R Qᵀ = R`` (within ``tol``).

    Entry by entry: ``R[p[i], p[j]] = s[i] s[j] R[i, j]``.  The signed analogue of
    :func:`algdiv.automorphisms`, found the same way (colour refinement with
    individualization and backtracking) on the doubled matrix ``[[R, -R], [-R, R]]``
    whose pairs ``(i, i + M)`` carry their own colour; the group is never listed.

    Parameters
    ----------
    R : array_like, shape (M, M)
        Hermitian covariance, exact or estimated.  Not modified.
    tol : float, optional
        Entries are merged into one colour when sorted neighbours differ by at most
        ``tol``.  Default ``1e-8 · max |R_ij|`` (exact covariances); for an estimated one
        use a few standard errors of its entries.
    max_nodes : int
        Budget of search-tree nodes (a ``RuntimeWarning`` and a subgroup when it runs out).

    Returns
    -------
    SignedPermutationGroup
        Its generators verified on the quantized entries; it contains ``-I``.

    Raises
    ------
    ValueError
        If ``R`` is not square, finite and Hermitian, or ``tol`` is negative.

    Examples
    --------
    A skew-circulant covariance: its permutation automorphisms are only the reflection
    pair, its signed automorphisms contain the negacyclic group of order ``2M``:

    >>> import numpy as np
    >>> from algdiv.discovery import automorphisms
    >>> from algdiv.groups import negacyclic
    >>> M = 6
    >>> R = negacyclic(M).reynolds(np.diag(np.arange(1.0, M + 1)) + 0.3 * np.ones((M, M)))
    >>> automorphisms(R).order, signed_automorphisms(R).order
    (2, 24)
    >>> all(signed_automorphisms(R).contains(g) for g in negacyclic(M).generators)
    True
    """
    r, tol, max_nodes = search_arguments(R, tol, max_nodes)
    m = r.shape[0]
    colours = _edge_colours(np.block([[r, -r], [-r, r]]), tol).astype(np.int64)
    i = np.arange(m)
    pair = int(colours.max()) + 1  # a colour no other entry has: pairs map to pairs
    colours[i, i + m] = pair
    colours[i + m, i] = pair
    gens, order = _search(colours, max_nodes)
    doubled = PermutationGroup.from_structure(
        np.array(gens, dtype=np.intp).reshape(-1, 2 * m), 2 * m, order=order
    )
    return SignedPermutationGroup.from_doubled(
        doubled, name=f"signed automorphism group of R ({m} points, {len(gens)} generators)"
    )


def signed_permutations(
    G: SignedPermutationGroup | Sequence[object],
    *,
    max_elements: int = 1024,
    sparse_format: bool = False,
) -> NDArray[np.float64] | list[object]:
    """Signed permutation matrices of a group's elements (small groups) or its generators.

    The signed counterpart of :func:`algdiv.discovery.bases.permutations`: a dictionary
    for :func:`algdiv.dc_gevp`.  ``±I`` are left out (they commute with every matrix and
    would sit in the null space of every problem).

    Parameters
    ----------
    G : SignedPermutationGroup or sequence of (permutation, signs) pairs
        The ambient signed group, or explicit signed permutations ``(p, s)``.
    max_elements : int
        Use every element but ``±I`` when ``|G| <= max_elements``; above it only the
        generators (the elements are never listed).
    sparse_format : bool
        Return a list of ``scipy.sparse.csr_array`` instead of a dense ``(d, M, M)`` array.

    Returns
    -------
    ndarray (d, M, M) or list of csr_array
        ``Q e_i = s[i] e_{p[i]}``: entry ``(p[i], i)`` of each matrix is ``s[i]``.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv import dc_gevp
    >>> from algdiv.groups import negacyclic
    >>> B = signed_permutations(negacyclic(4))     # 8 elements but ±I
    >>> B.shape
    (6, 4, 4)
    >>> R = negacyclic(4).reynolds(np.diag([1.0, 2.0, 3.0, 4.0]) + np.eye(4, k=1) + np.eye(4, k=-1))
    >>> bool(dc_gevp(R, B).certificate < 1e-12)      # a combination commutes with R
    True
    """
    if isinstance(max_elements, bool) or not isinstance(max_elements, (int, np.integer)):
        raise TypeError(f"max_elements must be an int, got {type(max_elements).__name__}")
    if isinstance(G, SignedPermutationGroup):
        m = G.degree
        if max_elements >= 1 and G.order <= max_elements:
            pairs = G.elements(limit=max(int(max_elements), 1))
        else:
            pairs = list(zip(G.permutations, G.signs))
    else:
        rows = list(G)
        if not rows:
            raise ValueError("G must hold at least one signed permutation")
        first = as_signed_permutation(rows[0], name="signed permutation 0")
        m = first[0].size
        pairs = [as_signed_permutation(g, m, name=f"signed permutation {k}") for k, g in enumerate(rows)]
    ident = np.arange(m)
    kept = [
        (p, s) for p, s in pairs
        if not (np.array_equal(p, ident) and (np.all(s == 1) or np.all(s == -1)))
    ]
    d = len(kept)
    perms = np.array([p for p, _ in kept], dtype=np.intp).reshape(d, m)
    signs = np.array([s for _, s in kept], dtype=np.float64).reshape(d, m)
    k = np.repeat(np.arange(d), m)
    cols = np.tile(np.arange(m), d)
    return _from_triplets(d, m, k, perms.ravel(), cols, signs.ravel(), sparse_format)


#: Points above which ``discover`` does not search an exact ``R``'s signed automorphisms (the
#: search runs on ``2M`` points); :func:`signed_automorphisms` itself has no such limit.
SIGNED_LIMIT = 256


def signed_beyond_group(
    r: NDArray[np.generic], group: PermutationGroup, tol: float
) -> tuple[SignedPermutationGroup | None, list[str]]:
    """The signed automorphism group of an exact ``R`` when its commutant is smaller than the
    pair orbits of ``group`` (``R``'s permutation automorphism group) allow, with a note;
    ``(None, [])`` otherwise.

    Every permutation automorphism is a signed one with all signs ``+1``, so the signed
    group's commutant lies inside ``group``'s and a smaller dimension means signed symmetry
    (or zero entries, whose signs are free) that no permutation group accounts for.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.discovery import automorphisms
    >>> from algdiv.groups import negacyclic
    >>> R = negacyclic(6).reynolds(np.diag(np.arange(1.0, 7.0)) + 0.3 * np.ones((6, 6)))
    >>> signed, notes = signed_beyond_group(R, automorphisms(R), 1e-9)
    >>> signed.commutant_dim, len(notes)
    (3, 1)
    """
    m = r.shape[0]
    if m > SIGNED_LIMIT:
        return None, [
            f"signed symmetry was not searched: {m} points is above the report's limit of "
            f"{SIGNED_LIMIT}; call algdiv.discovery.signed_automorphisms(R)"
        ]
    signed = signed_automorphisms(r, tol)
    own, theirs = signed.commutant_dim, group.n_pair_orbits
    if own >= theirs:
        return None, []
    return signed, [
        f"R has signed symmetry beyond permutations: the signed permutations Q with "
        f"Q R Qᵀ = R form a group (report.signed_group) whose commutant has dimension {own} "
        f"against {theirs} for the pair orbits of its permutation automorphism group (d_eff "
        f"{m * m / own:.4g} against {m * m / theirs:.4g}); GroupCovariance(report.signed_group) "
        "averages over it"
    ]
