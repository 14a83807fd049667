"""Groups built from groups: direct, wreath and semidirect products, and relabelling.

Each product knows its order and its pair-orbit labels from its factors, so nothing
here enumerates elements or runs Schreier-Sims.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._group import PermutationGroup
from ._orbits import compact_labels
from .permutations import as_permutation, compose, inverse

__all__ = ["direct_product", "wreath_product", "semidirect_product", "relabel"]


def _check_group(g: object, name: str) -> PermutationGroup:
    if not isinstance(g, PermutationGroup):
        raise TypeError(f"{name} must be a PermutationGroup, got {type(g).__name__}")
    return g


def _known_order(g: PermutationGroup) -> int | None:
    return g._order


def direct_product(*factors: PermutationGroup) -> PermutationGroup:
    """``G × H × ...`` acting on tuples; the pair ``(i, j)`` of ``G × H`` has index ``i·M_H + j``.

    Its matched transform is the Kronecker product of the factors' transforms.

    Examples
    --------
    >>> from algdiv.groups import cyclic, dihedral, direct_product
    >>> G = direct_product(cyclic(4), dihedral(5))
    >>> G
    <direct product Z_4 x D_5 on 20 points>
    >>> G.order, G.n_pair_orbits
    (40, 12)
    """
    if len(factors) < 2:
        raise ValueError(f"direct_product needs at least two groups, got {len(factors)}")
    for k, f in enumerate(factors):
        _check_group(f, f"factor {k}")
    if len(factors) > 2:
        return direct_product(direct_product(*factors[:-1]), factors[-1])
    G, H = factors
    mg, mh = G.degree, H.degree
    m = mg * mh
    gens = []
    for g in G.generators:
        gens.append((g[:, None] * mh + np.arange(mh)[None, :]).ravel())
    for h in H.generators:
        gens.append((np.arange(mg)[:, None] * mh + h[None, :]).ravel())

    def labels() -> tuple[int, NDArray[Any]]:
        lg, lh = G.pair_orbits().astype(np.int64), H.pair_orbits()
        nh = H.n_pair_orbits
        codes = lg[:, None, :, None] * nh + lh[None, :, None, :]
        return G.n_pair_orbits * nh, codes.reshape(m, m)

    def pair_fn(i: NDArray[Any], j: NDArray[Any]) -> NDArray[Any]:
        outer = G._pair_labels(i // mh, j // mh)
        codes: NDArray[Any] = outer * H.n_pair_orbits + H._pair_labels(i % mh, j % mh)
        return codes

    known = G._n_pair_orbits is not None and H._n_pair_orbits is not None

    order = None
    if _known_order(G) is not None and _known_order(H) is not None:
        order = G.order * H.order
    short = f"{_paren(G)} x {_paren(H)}"
    return PermutationGroup._built(
        np.array(gens, dtype=np.intp).reshape(-1, m),
        m,
        name=f"direct product {short} on {m} points",
        short=short,
        expression=_expr("direct_product", G, H),
        construction=("direct_product", G, H),
        order=order,
        labels=labels,
        pair_fn=pair_fn,
        n_pair_orbits=G.n_pair_orbits * H.n_pair_orbits if known else None,
        pair_sizes=lambda: np.outer(G.pair_orbit_sizes(), H.pair_orbit_sizes()).ravel(),
    )


def wreath_product(G: PermutationGroup, H: PermutationGroup) -> PermutationGroup:
    """The imprimitive wreath product ``G ≀ H``: a copy of ``G`` in each of ``H``'s blocks.

    Point ``(b, i)`` (block ``b`` of ``H``'s points, position ``i`` of ``G``'s) has index
    ``b·M_G + i``.  The base group ``G^{M_H}`` acts independently inside the blocks and
    ``H`` permutes the blocks, so the order is ``|G|^{M_H}·|H|``.

    Examples
    --------
    >>> from algdiv.groups import cyclic, symmetric, wreath_product
    >>> W = wreath_product(cyclic(4), symmetric(4))
    >>> W.degree, W.order
    (16, 6144)
    """
    _check_group(G, "G")
    _check_group(H, "H")
    mg, mh = G.degree, H.degree
    m = mg * mh
    gens = []
    # G on the first block of every H-orbit; conjugating by H reaches all blocks.
    for orbit in H.orbits():
        b0 = int(orbit[0])
        for g in G.generators:
            p = np.arange(m)
            p[b0 * mg : (b0 + 1) * mg] = b0 * mg + g
            gens.append(p)
    for h in H.generators:
        gens.append((h[:, None] * mg + np.arange(mg)[None, :]).ravel())

    def labels() -> tuple[int, NDArray[Any]]:
        lg, ng = G.pair_orbits().astype(np.int64), G.n_pair_orbits
        lh = H.pair_orbits().astype(np.int64)
        nog, og = _point_orbit_labels(G)
        noh, oh = _point_orbit_labels(H)
        base = noh * ng
        # Pairs in different blocks: H's pair orbit of the blocks and G's point orbits.
        codes = base + (lh[:, None, :, None] * nog + og[None, :, None, None]) * nog
        codes = codes + og[None, None, None, :]  # full (mh, mg, mh, mg) by broadcasting
        # Pairs in one block: the block's H-orbit and G's pair orbit inside it.
        bb = np.arange(mh)
        codes[bb, :, bb, :] = oh[:, None, None] * ng + lg[None, :, :]
        return compact_labels(codes.reshape(m, m), base + H.n_pair_orbits * nog * nog)

    closed = _wreath_closed_form(G, H)
    order = None
    if _known_order(G) is not None and _known_order(H) is not None:
        order = G.order**mh * H.order
    short = f"{_paren(G)} wr {_paren(H)}"
    W = PermutationGroup._built(
        np.array(gens, dtype=np.intp).reshape(-1, m),
        m,
        name=f"wreath product {short} on {m} points",
        short=short,
        expression=_expr("wreath_product", G, H),
        construction=("wreath_product", G, H),
        order=order,
        labels=labels,
        pair_fn=None if closed is None else closed[1],
        n_pair_orbits=None if closed is None else closed[0],
    )
    # W's point orbits are those of the blocks' H-orbits times G's point orbits: known
    # without a pass over W's generators (the next level of an iterated wreath reads them)
    noh, oh = _point_orbit_labels(H)
    nog, og = _point_orbit_labels(G)
    if noh * nog == 1:
        W._orbits = [np.arange(m)]
    else:
        lab = (oh[:, None] * nog + og[None, :]).ravel()
        order_pts = np.argsort(lab, kind="stable")
        splits = np.cumsum(np.bincount(lab, minlength=noh * nog))[:-1]
        W._orbits = sorted(np.split(order_pts, splits), key=lambda o: int(o[0]))
    return W


def _point_orbit_labels(G: PermutationGroup) -> tuple[int, NDArray[np.intp]]:
    """``G``'s point-orbit labels, numbered by each orbit's smallest point, from its
    cached orbits (computed once per group)."""
    orbits = G.orbits()
    lab = np.empty(G.degree, dtype=np.intp)
    for k, o in enumerate(orbits):
        lab[o] = k
    return len(orbits), lab


#: Largest top group whose M_H x M_H labels the wreath closed form reads whole.
_WREATH_TOP_LIMIT = 4096


def _wreath_closed_form(
    G: PermutationGroup, H: PermutationGroup
) -> tuple[int, Callable[[NDArray[Any], NDArray[Any]], NDArray[Any]]] | None:
    """``dim C`` and the pair labels of ``G wr H`` without its ``M x M`` array.

    The labels are those of the array construction, numbered the same way: a pair inside
    block ``b`` gets ``oh(b)·n_G + l_G(i, j)`` (``oh``: ``H``'s point orbits, ``l_G``:
    ``G``'s pair labels); a pair across blocks ``b ≠ c`` gets
    ``n_oh·n_G + (k(l_H(b, c))·n_og + og(i))·n_og + og(j)``, where ``k`` numbers the
    off-diagonal pair orbits of ``H`` in order and ``og`` are ``G``'s point orbits.  So
    ``dim C = n_oh·n_G + (n_H − n_oh)·n_og²``.  Available when ``G`` has a closed form
    itself (the catalogue's node groups, and so every iterated wreath, level by level)
    and ``H`` is small enough to read its labels whole.
    """
    if G._pair_fn is None or G._n_pair_orbits is None or H.degree > _WREATH_TOP_LIMIT:
        return None
    mg, ng = G.degree, G._n_pair_orbits
    lh = H.pair_orbits().astype(np.int64)
    noh, oh = _point_orbit_labels(H)
    nog, og = _point_orbit_labels(G)
    oh, og = np.asarray(oh, dtype=np.int64), np.asarray(og, dtype=np.int64)
    off = np.ones(H.n_pair_orbits, dtype=bool)
    off[np.diagonal(lh)] = False  # the diagonal pair orbits are H's point orbits
    rank = np.cumsum(off) - 1  # off-diagonal pair orbits of H, numbered in order
    base = noh * ng

    def pair_fn(i: NDArray[Any], j: NDArray[Any]) -> NDArray[Any]:
        i, j = np.broadcast_arrays(i, j)
        b, ii = np.divmod(i, mg)
        c, jj = np.divmod(j, mg)
        inside = b == c
        out: NDArray[Any] = base + (rank[lh[b, c]] * nog + og[ii]) * nog + og[jj]
        if np.any(inside):
            out[inside] = oh[b[inside]] * ng + G._pair_labels(ii[inside], jj[inside])
        return out

    return base + int(off.sum()) * nog * nog, pair_fn


def semidirect_product(
    N: PermutationGroup,
    H: PermutationGroup,
    action: Callable[[NDArray[Any]], ArrayLike] | Sequence[ArrayLike],
    *,
    order: int | None = None,
) -> PermutationGroup:
    """``N ⋊ H`` acting on ``N``'s points, ``H`` acting through ``action``.

    Parameters
    ----------
    N : PermutationGroup
        The normal subgroup, acting on ``M`` points.
    H : PermutationGroup
        The complement, given abstractly by its generators (its own points do not matter).
    action : callable or sequence
        ``action(h)`` is the permutation of ``N``'s points by which the generator ``h`` of
        ``H`` acts, or a sequence with one such permutation per generator of ``H``.  Each
        must normalize ``N`` (checked).
    order : int, optional
        The order when known (e.g. ``|N|·|H|`` for a faithful action with trivial
        intersection); otherwise it is computed by Schreier-Sims when asked for.

    Returns
    -------
    PermutationGroup
        The group generated by ``N`` and the images of ``H``.

    Examples
    --------
    The affine group of ``Z_7`` (``x -> a x + b``): translations, normalized by the
    multiplications by powers of the primitive root 3.

    >>> from algdiv.groups import cyclic, semidirect_product
    >>> mult = [(3 * x) % 7 for x in range(7)]
    >>> A = semidirect_product(cyclic(7), cyclic(6), [mult])
    >>> A.order
    42
    >>> from algdiv.groups import affine
    >>> A == affine(7)
    True
    """
    _check_group(N, "N")
    _check_group(H, "H")
    m = N.degree
    if callable(action):
        images = [action(h.copy()) for h in H.generators]
    else:
        images = list(action)
        if len(images) != len(H.generators):
            raise ValueError(
                f"action must give one permutation per generator of H "
                f"({len(H.generators)}), got {len(images)}"
            )
    images = [as_permutation(a, m, name=f"action of H's generator {k}") for k, a in enumerate(images)]
    for k, a in enumerate(images):
        a_inv = inverse(a)
        for j, n in enumerate(N.generators):
            if not N.contains(compose(compose(a, n), a_inv)):
                raise ValueError(
                    f"action of H's generator {k} does not normalize N: it conjugates "
                    f"N's generator {j} outside N"
                )
    gens = np.array(list(N.generators) + images, dtype=np.intp).reshape(-1, m)
    short = f"{_paren(N)} : {_paren(H)}"
    return PermutationGroup._built(
        gens,
        m,
        name=f"semidirect product {short} on {m} points",
        short=short,
        construction=("semidirect_product", N, H),
        order=order,
    )


def relabel(G: PermutationGroup, sigma: ArrayLike) -> PermutationGroup:
    """The same group with its points renamed by ``sigma``: ``σ G σ^{-1}``.

    A ``G``-invariant ``R`` becomes ``P_σ R P_σᵀ``, invariant under the result.

    Examples
    --------
    >>> from algdiv.groups import cyclic, relabel
    >>> H = relabel(cyclic(5), [2, 0, 4, 1, 3])
    >>> H.order, H.contains([1, 2, 3, 4, 0])
    (5, False)
    """
    _check_group(G, "G")
    s = as_permutation(sigma, G.degree, name="sigma")
    s_inv = inverse(s)
    gens = s[G.generators][:, s_inv] if len(G.generators) else G.generators

    def labels() -> tuple[int, NDArray[Any]]:
        lab = G.pair_orbits()
        return G.n_pair_orbits, lab[s_inv[:, None], s_inv[None, :]]

    def pair_fn(i: NDArray[Any], j: NDArray[Any]) -> NDArray[Any]:
        return G._pair_labels(s_inv[i], s_inv[j])

    closed = G._pair_fn is not None and G._n_pair_orbits is not None
    return PermutationGroup._built(
        gens,
        G.degree,
        name=f"relabelled {G.name}",
        short=G._short,
        construction=("relabel", G, s),
        order=G._order,
        labels=labels,
        pair_fn=pair_fn if closed else None,
        n_pair_orbits=G._n_pair_orbits if closed else None,
        pair_sizes=G.pair_orbit_sizes if closed else None,
    )


def _paren(g: PermutationGroup) -> str:
    s = g.short_name
    return f"({s})" if " " in s else s


def _expr(fn: str, *groups: PermutationGroup) -> str | None:
    parts = [g.expression for g in groups]
    if any(p is None for p in parts):
        return None
    return f"{fn}({', '.join(parts)})"  # type: ignore[arg-type]
