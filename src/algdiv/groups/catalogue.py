"""The catalogue of groups: each knows its order and pair orbits in closed form."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import factorial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_int
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
    "NODE_GROUPS",
    "affine",
    "from_generators",
    "subgroup",
]


def _check_size(value: object, name: str, minimum: int = 1) -> int:
    return as_int(value, name, minimum=minimum)


def _full(n: int, size: int) -> Callable[[], NDArray[Any]]:
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

    def pair_fn(a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.int64]:
        d = (b - a) % m
        distance: NDArray[np.int64] = np.minimum(d, (m - d) % m)
        return distance

    def sizes() -> NDArray[Any]:
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


def _regular_abelian_2(b: int) -> PermutationGroup:
    """``Z_2^k`` acting regularly (by XOR) on ``b = 2^k`` points."""
    if b & (b - 1):
        raise ValueError(f"an elementary_abelian node needs a power-of-two branching, got {b}")
    return elementary_abelian(b.bit_length() - 1)


#: The node groups of :func:`iterated_wreath`: name -> constructor on ``b`` points.
NODE_GROUPS: dict[str, Callable[[int], PermutationGroup]] = {
    "symmetric": symmetric,
    "cyclic": cyclic,
    "dihedral": dihedral,
    "elementary_abelian": _regular_abelian_2,
}


def _node_symbol(node: str, b: int) -> str:
    if node == "symmetric":
        return f"S_{b}"
    if node == "cyclic":
        return f"Z_{b}"
    if node == "dihedral":
        return f"D_{b}"
    return f"Z_2^{b.bit_length() - 1}"


def tree_spec(
    branching: Sequence[int], node_group: str | Sequence[str]
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The validated ``(branching, node-group names)`` of :func:`iterated_wreath` (one name
    per level); also the spec of :func:`algdiv.transforms.tree_transform`.

    >>> tree_spec([4, 2], "elementary_abelian")
    ((4, 2), ('elementary_abelian', 'elementary_abelian'))
    """
    if isinstance(branching, (str, bytes)) or not isinstance(branching, Sequence):
        raise TypeError(f"branching must be a sequence of ints, got {type(branching).__name__}")
    if len(branching) == 0:
        raise ValueError("branching must name at least one level")
    levels = tuple(_check_size(b, f"branching[{k}]", minimum=2) for k, b in enumerate(branching))
    nodes = _node_groups(node_group, len(levels))
    for k, (b, name) in enumerate(zip(levels, nodes)):
        if name == "elementary_abelian" and b & (b - 1):
            raise ValueError(
                f"level {k} (branching[{k}] = {b}): an elementary_abelian node needs a "
                "power-of-two branching"
            )
    return levels, nodes


def _node_groups(node_group: str | Sequence[str], n_levels: int) -> tuple[str, ...]:
    """One validated node-group name per level."""
    if isinstance(node_group, str):
        names: list[object] = [node_group] * n_levels
    elif isinstance(node_group, bytes) or not isinstance(node_group, Sequence):
        raise TypeError(
            f"node_group must be a str or a sequence of str (one per level), "
            f"got {type(node_group).__name__}"
        )
    else:
        names = list(node_group)
        if len(names) != n_levels:
            raise ValueError(
                f"node_group must name one group per level ({n_levels}), got {len(names)}"
            )
    for k, name in enumerate(names):
        if not isinstance(name, str) or name not in NODE_GROUPS:
            where = "node_group" if isinstance(node_group, str) else f"node_group[{k}]"
            raise ValueError(f"{where} must be one of {sorted(NODE_GROUPS)}, got {name!r}")
    return tuple(names)  # type: ignore[arg-type]


def iterated_wreath(
    branching: Sequence[int], node_group: str | Sequence[str] = "symmetric"
) -> PermutationGroup:
    """Automorphisms of a rooted tree, acting on its leaves; a node group per level.

    Nodes at depth ``l`` have ``branching[l]`` children; leaves are numbered in
    depth-first order, so leaf ``(c_0, c_1, ...)`` (child indices from the root) has index
    ``(c_0·b_1 + c_1)·b_2 + ...``.  Each node at depth ``l`` permutes its children by its
    node group, ``node_group`` (one name for every level) or ``node_group[l]``:

    * ``"symmetric"``: all permutations of the children (``S_b``);
    * ``"cyclic"``: rotations ``c -> c + 1 (mod b)`` (``Z_b``);
    * ``"dihedral"``: rotations and the reflection ``c -> -c (mod b)`` (``D_b``);
    * ``"elementary_abelian"``: ``Z_2^k`` acting regularly by ``c -> c XOR g``
      (``b = 2^k``).

    The group is ``N_{L-1} ≀ ... ≀ N_1 ≀ N_0`` (the root's group on top), built by
    :func:`~algdiv.groups.wreath_product`; its order is ``Π_l |N_l|^(nodes at depth
    l)``.  ``iterated_wreath([2]*m)`` is ``Z_2 ≀ ... ≀ Z_2`` on ``2^m`` leaves, of order
    ``2^(2^m - 1)``, whatever the node names (they all give ``Z_2`` on two children);
    its matched transform is the Haar wavelet.  Mixed node groups and branchings (the
    *hybrid* wreaths) give the hybrid tree transforms of
    :func:`algdiv.transforms.hierarchical`: Walsh inside a level and Haar across levels
    for ``"elementary_abelian"`` nodes (the Haar wavelet-packet bases whose tree is a
    stack of full subtrees along the low-pass path), a DFT inside a level for
    ``"cyclic"`` nodes.  Every node group here has a multiplicity-free action on the
    children, and a wreath product of Gelfand pairs is a Gelfand pair, so all these
    matched transforms diagonalize every invariant covariance.  One generator set per
    depth suffices, so the group has ``O(depth)`` generators whatever its size.

    Parameters
    ----------
    branching : sequence of int
        The number of children at each depth, from the root; each at least 2.
    node_group : str or sequence of str
        One name from :data:`NODE_GROUPS` for all levels, or one per level (from the
        root).

    Raises
    ------
    ValueError
        If a branching is below 2, a node-group name is unknown, the names do not match
        the levels in number, or an ``"elementary_abelian"`` level has a branching that is
        not a power of two.

    Examples
    --------
    >>> iterated_wreath([3, 2]).order
    48
    >>> G = iterated_wreath([2] * 10)
    >>> G.degree, G.order == 2 ** 1023
    (1024, True)
    >>> H = iterated_wreath([4, 4], node_group=["cyclic", "elementary_abelian"])
    >>> H
    <iterated wreath product Z_2^2 wr Z_4 on 16 points>
    >>> H.order, H.n_pair_orbits
    (1024, 7)
    >>> H.expression
    'iterated_wreath([4, 4], node_group=["cyclic", "elementary_abelian"])'
    """
    levels, nodes = tree_spec(branching, node_group)
    groups = []
    for k, (b, name) in enumerate(zip(levels, nodes)):
        try:
            groups.append(NODE_GROUPS[name](b))
        except ValueError as exc:
            raise ValueError(f"level {k} (branching[{k}] = {b}): {exc}") from None
    group = groups[-1]
    for node in reversed(groups[:-1]):
        group = wreath_product(group, node)
    m = group.degree
    uniform = len(set(nodes)) == 1
    symbols = [_node_symbol(name, b) for b, name in zip(levels, nodes)]
    if len(set(symbols)) == 1 and len(levels) > 3:
        desc = f"{symbols[0]} wr ... wr {symbols[0]} ({len(levels)} levels)"
    else:
        desc = " wr ".join(reversed(symbols))
    group._name = f"iterated wreath product {desc} on {m} points"
    group._short = desc
    arg = f"[{', '.join(map(str, levels))}]"
    if uniform and nodes[0] == "symmetric":
        group._expression = f"iterated_wreath({arg})"
    elif uniform:
        group._expression = f'iterated_wreath({arg}, node_group="{nodes[0]}")'
    else:
        listed = ", ".join(f'"{n}"' for n in nodes)
        group._expression = f"iterated_wreath({arg}, node_group=[{listed}])"
    group._construction = ("iterated_wreath", tuple(levels), nodes[0] if uniform else nodes)
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
