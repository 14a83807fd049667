"""The catalogue of groups: each knows its order and pair orbits in closed form."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import factorial

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._group import PermutationGroup
from .permutations import as_permutation
from .products import semidirect_product, wreath_product

__all__ = [
    "trivial",
    "cyclic",
    "dihedral",
    "elementary_abelian",
    "symmetric",
    "iterated_wreath",
    "affine",
    "from_generators",
    "subgroup",
]


def _check_size(value: object, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def _full(n: int, size: int) -> Callable[[], NDArray]:
    return lambda: np.full(n, size, dtype=np.int64)


def trivial(M: int) -> PermutationGroup:
    """The trivial group on ``M`` points: its commutant is every matrix (KLT).

    Examples
    --------
    >>> trivial(3).order, trivial(3).n_pair_orbits
    (1, 9)
    """
    m = _check_size(M, "M")
    return PermutationGroup._built(
        np.empty((0, m), dtype=np.intp),
        m,
        name=f"trivial group on {m} points",
        short="1",
        expression=f"trivial({m})",
        construction=("trivial", m),
        order=1,
        pair_fn=lambda i, j: i * m + j,
        n_pair_orbits=m * m,
        pair_sizes=_full(m * m, 1),
    )


def cyclic(M: int) -> PermutationGroup:
    """The cyclic group ``Z_M`` of shifts ``i -> i + 1 (mod M)``; matched transform: the DFT.

    Examples
    --------
    >>> G = cyclic(12)
    >>> G
    <cyclic group Z_12 on 12 points>
    >>> G.order, G.n_pair_orbits
    (12, 12)
    """
    m = _check_size(M, "M")
    return PermutationGroup._built(
        [(np.arange(m) + 1) % m],
        m,
        name=f"cyclic group Z_{m} on {m} points",
        short=f"Z_{m}",
        expression=f"cyclic({m})",
        construction=("cyclic", m),
        order=m,
        pair_fn=lambda i, j: (j - i) % m,
        n_pair_orbits=m,
        pair_sizes=_full(m, m),
    )


def dihedral(M: int) -> PermutationGroup:
    """The dihedral group ``D_M``: shifts ``i -> i + 1`` and the reflection ``i -> -i (mod M)``.

    It has ``M`` rotations and ``M`` reflections (order ``2M`` for ``M >= 3``); a
    covariance is invariant iff it is symmetric circulant.

    Examples
    --------
    >>> G = dihedral(16)
    >>> G
    <dihedral group D_16 on 16 points>
    >>> G.order, G.n_pair_orbits
    (32, 9)
    """
    m = _check_size(M, "M")
    i = np.arange(m)

    def pair_fn(a: NDArray, b: NDArray) -> NDArray:
        d = (b - a) % m
        return np.minimum(d, (m - d) % m)

    def sizes() -> NDArray:
        # distance 0 and (even M) M/2: M pairs each; every other distance: 2M pairs
        out = np.full(m // 2 + 1, 2 * m, dtype=np.int64)
        out[0] = m
        if m % 2 == 0:
            out[-1] = m
        return out

    return PermutationGroup._built(
        [(i + 1) % m, (-i) % m],
        m,
        name=f"dihedral group D_{m} on {m} points",
        short=f"D_{m}",
        expression=f"dihedral({m})",
        construction=("dihedral", m),
        order=2 * m if m >= 3 else m,
        pair_fn=pair_fn,
        n_pair_orbits=m // 2 + 1,
        pair_sizes=sizes,
    )


def elementary_abelian(m: int) -> PermutationGroup:
    """``Z_2^m`` acting on ``2^m`` points by ``i -> i XOR g``; matched transform: Walsh-Hadamard.

    Examples
    --------
    >>> G = elementary_abelian(3)
    >>> G.degree, G.order, G.is_abelian()
    (8, 8, True)
    """
    k = _check_size(m, "m", minimum=0)
    n = 1 << k
    i = np.arange(n)
    return PermutationGroup._built(
        [i ^ (1 << b) for b in range(k)] or np.empty((0, n), dtype=np.intp),
        n,
        name=f"elementary abelian group Z_2^{k} on {n} points",
        short=f"Z_2^{k}",
        expression=f"elementary_abelian({k})",
        construction=("elementary_abelian", k),
        order=n,
        pair_fn=lambda a, b: a ^ b,
        n_pair_orbits=n,
        pair_sizes=_full(n, n),
    )


def symmetric(M: int) -> PermutationGroup:
    """The symmetric group ``S_M`` of all permutations: two eigenvalue classes.

    Examples
    --------
    >>> symmetric(5).order, symmetric(5).n_pair_orbits
    (120, 2)
    """
    m = _check_size(M, "M")
    gens = []
    if m >= 2:
        t = np.arange(m)
        t[[0, 1]] = [1, 0]
        gens.append(t)
    if m >= 3:
        gens.append((np.arange(m) + 1) % m)
    return PermutationGroup._built(
        gens or np.empty((0, m), dtype=np.intp),
        m,
        name=f"symmetric group S_{m} on {m} points",
        short=f"S_{m}",
        expression=f"symmetric({m})",
        construction=("symmetric", m),
        order=factorial(m),
        pair_fn=lambda a, b: (a != b).astype(np.int64),
        n_pair_orbits=min(m, 2),
        pair_sizes=lambda: np.array([m, m * m - m] if m > 1 else [1], dtype=np.int64),
    )


_NODE_GROUPS = {"symmetric": symmetric, "cyclic": cyclic}


def iterated_wreath(branching: Sequence[int], node_group: str = "symmetric") -> PermutationGroup:
    """Automorphisms of a rooted tree, acting on its leaves.

    Nodes at depth ``l`` have ``branching[l]`` children; leaves are numbered in
    depth-first order, so leaf ``(c_0, c_1, ...)`` (child indices from the root) has index
    ``(c_0·b_1 + c_1)·b_2 + ...``.  Each node permutes its children by ``node_group``
    (``"symmetric"``, or ``"cyclic"`` for rotations only).  ``iterated_wreath([2]*m)`` is
    ``Z_2 ≀ ... ≀ Z_2`` on ``2^m`` leaves, of order ``2^(2^m - 1)``; its matched transform
    is the Haar wavelet.  One generator set per depth suffices, so the group has
    ``O(depth)`` generators whatever its size.

    Examples
    --------
    >>> iterated_wreath([3, 2]).order
    48
    >>> G = iterated_wreath([2] * 10)
    >>> G.degree, G.order == 2 ** 1023
    (1024, True)
    """
    if isinstance(branching, (str, bytes)) or not isinstance(branching, Sequence):
        raise TypeError(f"branching must be a sequence of ints, got {type(branching).__name__}")
    if len(branching) == 0:
        raise ValueError("branching must name at least one level")
    levels = [_check_size(b, f"branching[{k}]", minimum=2) for k, b in enumerate(branching)]
    if node_group not in _NODE_GROUPS:
        raise ValueError(
            f"node_group must be one of {sorted(_NODE_GROUPS)}, got {node_group!r}"
        )
    node = _NODE_GROUPS[node_group]
    group = node(levels[-1])
    for b in reversed(levels[:-1]):
        group = wreath_product(group, node(b))
    m = group.degree
    letter = "S" if node_group == "symmetric" else "Z"
    if len(set(levels)) == 1 and len(levels) > 3:
        desc = f"{letter}_{levels[0]} wr ... wr {letter}_{levels[0]} ({len(levels)} levels)"
    else:
        desc = " wr ".join(f"{letter}_{b}" for b in reversed(levels))
    group._name = f"iterated wreath product {desc} on {m} points"
    group._short = desc
    arg = f"[{', '.join(map(str, levels))}]"
    group._expression = (
        f"iterated_wreath({arg})"
        if node_group == "symmetric"
        else f'iterated_wreath({arg}, node_group="{node_group}")'
    )
    group._construction = ("iterated_wreath", tuple(levels), node_group)
    return group


def _is_prime(p: int) -> bool:
    return p >= 2 and all(p % d for d in range(2, int(p**0.5) + 1))


def _primitive_root(p: int) -> int:
    factors = {d for d in range(2, p) if (p - 1) % d == 0 and _is_prime(d)}
    for a in range(2, p):
        if all(pow(a, (p - 1) // q, p) != 1 for q in factors):
            return a
    return 1  # p == 2


def affine(p: int) -> PermutationGroup:
    """The affine group ``x -> a·x + b`` on ``Z_p`` (``p`` prime), ``Z_p ⋊ Z_p^*``, order ``p(p-1)``.

    Built with :func:`semidirect_product` from the translations and the multiplication
    by a primitive root.

    Examples
    --------
    >>> G = affine(7)
    >>> G.order, G.n_pair_orbits
    (42, 2)
    """
    q = _check_size(p, "p", minimum=2)
    if not _is_prime(q):
        raise ValueError(f"p must be prime, got {q}")
    a = _primitive_root(q)
    mult = (a * np.arange(q)) % q
    group = semidirect_product(cyclic(q), cyclic(q - 1), [mult], order=q * (q - 1))
    group._name = f"affine group AGL(1, {q}) on {q} points"
    group._short = f"AGL(1,{q})"
    group._expression = f"affine({q})"
    group._construction = ("affine", q)
    return group


def from_generators(generators: Sequence[ArrayLike], degree: int | None = None) -> PermutationGroup:
    """The group generated by ``generators`` (validated; see :class:`PermutationGroup`).

    Examples
    --------
    >>> G = from_generators([[(i + 5) % 12 for i in range(12)]])
    >>> G == cyclic(12)
    True
    """
    return PermutationGroup(generators, degree)


def subgroup(ambient: PermutationGroup, generators: Sequence[ArrayLike]) -> PermutationGroup:
    """The subgroup of ``ambient`` generated by ``generators``, each checked to lie in it.

    Raises
    ------
    ValueError
        If a generator is not an element of ``ambient`` (named by position).

    Examples
    --------
    The dihedral subgroup ``D_4`` of ``D_16`` (rotations by 4 and the reflection):

    >>> D16 = dihedral(16)
    >>> D4 = subgroup(D16, [[(i + 4) % 16 for i in range(16)], [(-i) % 16 for i in range(16)]])
    >>> D4.order, round(256 / D4.n_pair_orbits, 2)
    (8, 7.53)
    """
    if not isinstance(ambient, PermutationGroup):
        raise TypeError(f"ambient must be a PermutationGroup, got {type(ambient).__name__}")
    gens = [as_permutation(g, ambient.degree, name=f"generator {k}") for k, g in enumerate(generators)]
    for k, g in enumerate(gens):
        if not ambient.contains(g):
            raise ValueError(f"generator {k} is not an element of the {ambient.name}")
    group = PermutationGroup(gens, ambient.degree)
    group._name = (
        f"subgroup of the {ambient.name} with {len(gens)} generator{'s' * (len(gens) != 1)}"
    )
    return group
