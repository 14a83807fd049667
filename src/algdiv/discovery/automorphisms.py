"""Blind discovery: the automorphism group of ``R`` as an edge-coloured complete graph.

A permutation ``p`` is an automorphism when ``R[p[i], p[j]] = R[i, j]`` for all ``i, j``
(equal within a tolerance): exactly the permutations whose matrices commute with ``R``.
The entries are first quantized into colours; the group of the coloured graph is then
found as nauty and Traces do, without listing its elements:

* **colour refinement** (1-dimensional Weisfeiler-Leman on the complete graph): a vertex's
  new colour is its old colour together with the multiset of (edge colour, neighbour
  colour) over all other vertices, until the partition is stable.  New colours are ranks
  of these descriptions, so they do not depend on how the vertices are named;
* **individualization**: give one vertex of a non-singleton cell its own colour and
  refine again; the first path of such choices ends in a discrete partition (a leaf);
* **backtracking with orbit pruning**: going back up the first path, for each vertex
  ``w`` of the target cell not yet known to be in the orbit of the path's vertex, the
  subtree below ``w`` is searched for a leaf with the same refinement trace; the map
  between the two leaves is tested and, if it is an automorphism, kept as a generator.
  The generators found at each level generate the stabilizer of the earlier path
  vertices, so together they generate the whole group.

Every generator returned is verified exactly on the quantized colours.
"""

from __future__ import annotations

import warnings
from math import factorial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_square, check_hermitian, is_int
from ..groups import PermutationGroup

__all__ = ["automorphisms", "colour_classes", "colouring_automorphisms"]

_NODE_BUDGET = 200_000


def colour_classes(values: NDArray[Any], tol: float) -> NDArray[np.int64]:
    """Integer classes of real ``values``: sorted, a new class wherever a gap exceeds ``tol``.

    Examples
    --------
    >>> colour_classes(np.array([0.0, 1.0, 1e-12, 2.0, 1.0 + 1e-13]), 1e-9).tolist()
    [0, 1, 0, 2, 1]
    """
    flat = np.asarray(values, dtype=float).ravel()
    order = np.argsort(flat, kind="stable")
    step = np.diff(flat[order]) > tol
    cls = np.empty(flat.size, dtype=np.int64)
    cls[order] = np.concatenate([[0], np.cumsum(step)])
    return cls.reshape(np.shape(values))


def _edge_colours(r: NDArray[Any], tol: float) -> NDArray[np.int64]:
    """Integer colour of every entry; diagonal and off-diagonal entries never share one."""
    m = r.shape[0]
    re = colour_classes(r.real, tol)
    code = re
    if np.iscomplexobj(r):
        im = colour_classes(r.imag, tol)
        code = re * (int(im.max()) + 1) + im
    code = code * 2 + np.eye(m, dtype=np.int64)
    return _dense_ranks(code).reshape(m, m)


def _dense_ranks(codes: NDArray[Any]) -> NDArray[np.int64]:
    """``np.unique(codes, return_inverse=True)[1]`` for non-negative int codes (flat).

    When the codes are small (at most a few times their count), a presence table and a
    cumulative sum give the same ranks in ``O(n)`` instead of a sort.
    """
    flat = codes.ravel()
    top = int(flat.max(initial=0)) + 1
    if top <= 4 * flat.size + 1024:
        present = np.zeros(top, dtype=bool)
        present[flat] = True
        ranks: NDArray[np.int64] = (np.cumsum(present) - 1)[flat].astype(np.int64)
        return ranks
    inverse: NDArray[np.int64] = np.unique(flat, return_inverse=True)[1].astype(np.int64)
    return inverse.ravel()


def _mix(x: NDArray[Any]) -> NDArray[Any]:
    """splitmix64 finalizer on uint64 arrays (wrapping arithmetic): a fixed hash."""
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    mixed: NDArray[Any] = x ^ (x >> np.uint64(31))
    return mixed


def _mix_inplace(x: NDArray[Any]) -> NDArray[Any]:
    """:func:`_mix` overwriting ``x`` (a fresh uint64 array): the same values, fewer
    ``M × M`` temporaries in the refinement's inner loop."""
    x += np.uint64(0x9E3779B97F4A7C15)
    t = x >> np.uint64(30)
    x ^= t
    x *= np.uint64(0xBF58476D1CE4E5B9)
    np.right_shift(x, np.uint64(27), out=t)
    x ^= t
    x *= np.uint64(0x94D049BB133111EB)
    np.right_shift(x, np.uint64(31), out=t)
    x ^= t
    return x


class _Searcher:
    """Individualization-refinement search on an integer edge-colour matrix."""

    def __init__(self, colours: NDArray[Any]) -> None:
        c = np.asarray(colours, dtype=np.int64)
        m = c.shape[0]
        n = int(c.max()) + 1
        # An ordered pair's colour together with its reverse: directed edges are told apart.
        self.key = _dense_ranks(c * n + c.T).reshape(m, m)
        self.base = self.key.astype(np.uint64) * np.uint64(m + 1)
        self.m = m
        self.nodes = 0

    def refine(self, col: NDArray[np.int64]) -> tuple[NDArray[np.int64], int]:
        """Stable refinement of ``col`` and a hash of its final cell descriptions (the trace).

        A vertex's description is its colour and the multiset of (edge colour, neighbour
        colour) over all vertices, summarized by a sum of mixed 64-bit hashes (a multiset
        hash: no sorting).  New colours are the ranks of the descriptions, so they depend
        on content only, never on vertex names.  A hash collision could only merge two
        cells (a coarser partition); every automorphism is verified exactly anyway.
        """
        m = self.m
        col = np.unique(col, return_inverse=True)[1].astype(np.int64).ravel()
        n_cls = int(col.max()) + 1
        while True:
            with np.errstate(over="ignore"):
                h = _mix_inplace(self.base + col[None, :].astype(np.uint64)).sum(axis=1)
            order = np.lexsort((h, col))
            sc, sh = col[order], h[order]
            fresh = np.empty(m, dtype=bool)
            fresh[0] = True
            fresh[1:] = (sc[1:] != sc[:-1]) | (sh[1:] != sh[:-1])
            ranks = np.cumsum(fresh) - 1
            new = np.empty(m, dtype=np.int64)
            new[order] = ranks
            n_new = int(ranks[-1]) + 1
            if n_new == n_cls:
                return new, hash(sc[fresh].tobytes() + sh[fresh].tobytes())
            col, n_cls = new, n_new

    @staticmethod
    def individualize(col: NDArray[np.int64], v: int) -> NDArray[np.int64]:
        out = 2 * col
        out[v] += 1
        return out

    @staticmethod
    def target(col: NDArray[np.int64]) -> int | None:
        """Label of the smallest non-singleton cell (the first such label on ties)."""
        counts = np.bincount(col)
        multi = np.flatnonzero(counts > 1)
        if multi.size == 0:
            return None
        return int(multi[np.argmin(counts[multi])])

    def is_automorphism(self, p: NDArray[np.intp]) -> bool:
        return bool(np.array_equal(self.key[p[:, None], p[None, :]], self.key))


class _Orbits:
    """Union-find of the points under the generators found so far."""

    def __init__(self, m: int) -> None:
        self.parent = np.arange(m)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return int(root)

    def add(self, p: NDArray[np.intp]) -> None:
        for i, j in enumerate(p):
            a, b = self.find(i), self.find(int(j))
            if a != b:
                self.parent[max(a, b)] = min(a, b)


def colouring_automorphisms(colours: ArrayLike) -> list[NDArray[np.intp]]:
    """Generators of the automorphism group of an integer-coloured complete digraph.

    ``p`` is an automorphism when ``colours[p[i], p[j]] == colours[i, j]`` for all
    ``i, j``.  Returns a list of permutations (empty for the trivial group).

    Examples
    --------
    The colouring by ``(j - i) mod 5`` is preserved by the rotations only:

    >>> i = np.arange(5)
    >>> gens = colouring_automorphisms((i[None, :] - i[:, None]) % 5)
    >>> from algdiv.groups import PermutationGroup
    >>> PermutationGroup(gens, 5).order
    5
    """
    c = np.asarray(colours)
    if c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise ValueError(f"colours must be a square matrix, got shape {c.shape}")
    return _search(c)[0]


def _search(c: NDArray[Any], budget: int = _NODE_BUDGET) -> tuple[list[NDArray[np.intp]], int | None]:
    """Generators and the exact order (``None`` if the node budget ran out).

    Twins are taken out first: vertices ``u, v`` whose transposition ``(u v)`` preserves
    every colour form classes ``T`` on which the group acts as the full ``Sym(T)``
    (twin transpositions compose to any permutation of a class).  Every automorphism
    maps twin classes to twin classes, so ``Aut = (Π Sym(T)) ⋊ Aut(Q)`` where ``Q`` is
    the quotient colouring on one vertex per class (its diagonal colour records the
    class's size and internal colours): ``|Aut| = |Aut(Q)| · Π |T|!``, and the
    generators are the adjacent transpositions of each class (as the plain search gives
    for ``S_M``) with those of ``Q`` lifted class by class.
    A covariance with a large symmetric factor (``S_M`` itself, or a noisy colouring
    that merges many entries) then needs a search on a few vertices instead of a search
    tree of ``O(M²)`` nodes, each costing ``O(M²)``.
    """
    classes = _twin_classes(np.asarray(c, dtype=np.int64))
    if classes is None:
        return _search_plain(c, budget)
    return _search_quotient(np.asarray(c, dtype=np.int64), classes, budget)


def _twin_classes(c: NDArray[Any]) -> list[NDArray[Any]] | None:
    """Classes of twins (size >= 2 for at least one), or ``None`` when there are none.

    ``(u v)`` is an automorphism iff ``c[u,u] = c[v,v]``, ``c[u,v] = c[v,u]``, and rows
    and columns ``u`` and ``v`` agree off ``{u, v}``.  With a positional row hash
    ``H[u] = Σ_w h(c[u,w], c[w,u], w)``, twins satisfy ``G[u,v] = G[v,u]`` for
    ``G[u,v] = H[u] − h(c[u,u], c[u,u], u) + h(c[u,v], c[v,u], u)``: one ``O(M²)`` pass
    finds the candidates; each class is then verified exactly (a hash collision can only
    cost a reduction, never a wrong answer).
    """
    m = c.shape[0]
    if m < 3:
        return None
    n = np.uint64(int(c.max()) + 1)
    idx = np.arange(m, dtype=np.uint64)
    cu = c.astype(np.uint64)
    pair = cu * n + cu.T  # (c[u,w], c[w,u]) as one code
    with np.errstate(over="ignore"):
        mixed = _mix(pair * np.uint64(m) + idx[None, :])  # h at (u, w)
        H = mixed.sum(axis=1)
        diag = np.diagonal(pair)
        own = _mix(diag * np.uint64(m) + idx)
        G = (H - own)[:, None] + _mix(pair * np.uint64(m) + idx[:, None])  # h(c[u,v], ·, u)
    cand = (G == G.T) & (c == c.T) & (diag[:, None] == diag[None, :])
    np.fill_diagonal(cand, False)
    if not cand.any():
        return None
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import connected_components

    n_comp, comp = connected_components(csr_array(cand), directed=False)
    order = np.argsort(comp, kind="stable")
    groups = np.split(order, np.cumsum(np.bincount(comp, minlength=n_comp))[:-1])
    classes: list[NDArray[np.intp]] = []
    for t in groups:
        if t.size >= 2 and not _is_twin_class(c, t):
            classes.extend(np.array([v]) for v in t)  # (a collision: give up this class)
        else:
            classes.append(t)
    if all(t.size == 1 for t in classes):
        return None
    classes.sort(key=lambda t: int(t[0]))
    return classes


def _is_twin_class(c: NDArray[Any], t: NDArray[Any]) -> bool:
    """Whether every permutation of ``t`` (sorted) preserves the colouring."""
    inside = np.zeros(c.shape[0], dtype=bool)
    inside[t] = True
    rows, cols = c[t][:, ~inside], c[:, t][~inside].T
    if not (np.all(rows == rows[0]) and np.all(cols == cols[0])):
        return False
    block = c[np.ix_(t, t)]
    off = ~np.eye(t.size, dtype=bool)
    return bool(np.all(np.diagonal(block) == block[0, 0]) and np.all(block[off] == block[0, 1]))


def _search_quotient(
    c: NDArray[Any], classes: list[NDArray[Any]], budget: int
) -> tuple[list[NDArray[np.intp]], int | None]:
    """Automorphisms from the twin classes and the quotient colouring (see :func:`_search`)."""
    m = c.shape[0]
    k = len(classes)
    reps = np.array([int(t[0]) for t in classes])
    q = c[np.ix_(reps, reps)].copy()
    # The quotient's diagonal: the class's size, own colour and internal colour, coded
    # apart from every off-diagonal colour.
    info = [(t.size, int(c[t[0], t[0]]), int(c[t[0], t[1]]) if t.size > 1 else -1) for t in classes]
    codes = {v: i for i, v in enumerate(sorted(set(info)))}
    top = int(c.max()) + 1
    q[np.arange(k), np.arange(k)] = [top + codes[v] for v in info]
    q_gens, q_order = _search_plain(q, budget) if k > 1 else ([], 1)
    gens: list[NDArray[np.intp]] = []
    for t in classes:
        # Sym(T) by its adjacent transpositions, last pair first: exactly what the plain
        # search returns for a colouring that is one twin class (S_M), so that everything
        # computed from the generators (e.g. the DC-GEVP certificate) is unchanged there.
        for i in range(t.size - 2, -1, -1):
            p = np.arange(m)
            p[t[i]], p[t[i + 1]] = t[i + 1], t[i]
            gens.append(p)
    # (the transpositions need no check: each class was verified by _is_twin_class)
    key = _Searcher(c).key
    for g in q_gens:
        p = np.empty(m, dtype=np.intp)
        for a, b in enumerate(g):
            p[classes[a]] = classes[int(b)]
        if np.array_equal(key[p[:, None], p[None, :]], key):
            gens.append(p)
    if q_order is None:
        return gens, None
    order = q_order
    for t in classes:
        order *= factorial(t.size)
    return gens, order


def _search_plain(c: NDArray[Any], budget: int = _NODE_BUDGET) -> tuple[list[NDArray[np.intp]], int | None]:
    """The individualization-refinement search itself (no twin reduction).

    The order is a by-product: the generators found at levels ``>= l`` generate the
    stabilizer of the first ``l - 1`` path vertices, so ``|Aut|`` is the product over the
    levels of the orbit length of the path vertex at the end of its level.
    """
    search = _Searcher(c)
    m = search.m
    col0, trace0 = search.refine(np.diag(search.key).copy())
    # The first path down to a leaf.
    path_cols, path_traces, path_vertices, path_cells = [col0], [trace0], [], []
    col = col0
    while (cell_label := search.target(col)) is not None:
        cell = np.flatnonzero(col == cell_label)
        v = int(cell[0])
        path_vertices.append(v)
        path_cells.append(cell_label)
        col, trace = search.refine(search.individualize(col, v))
        path_cols.append(col)
        path_traces.append(trace)
    first_leaf = np.argsort(col)  # label -> vertex on the first leaf
    depth = len(path_vertices)
    gens: list[NDArray[np.intp]] = []
    orbits = _Orbits(m)
    order = 1

    def dfs(col: NDArray[np.int64], trace: int, level: int) -> NDArray[np.intp] | None:
        search.nodes += 1
        if search.nodes > budget:
            raise _BudgetExceeded
        if trace != path_traces[level] or not np.array_equal(
            np.bincount(col, minlength=m), np.bincount(path_cols[level], minlength=m)
        ):
            return None
        if level == depth:
            p = np.empty(m, dtype=np.intp)
            p[first_leaf] = np.argsort(col)
            return p if search.is_automorphism(p) else None
        for u in np.flatnonzero(col == path_cells[level]):
            found = dfs(*search.refine(search.individualize(col, int(u))), level + 1)
            if found is not None:
                return found
        return None

    try:
        for level in reversed(range(depth)):
            v = path_vertices[level]
            parent = path_cols[level]
            failed: list[int] = []
            for w_index in np.flatnonzero(parent == path_cells[level]):
                w = int(w_index)
                if orbits.find(w) == orbits.find(v) or any(
                    orbits.find(w) == orbits.find(f) for f in failed
                ):
                    continue
                p = dfs(*search.refine(search.individualize(parent, w)), level + 1)
                if p is None:
                    failed.append(w)
                else:
                    gens.append(p)
                    orbits.add(p)
            root = orbits.find(v)
            order *= sum(orbits.find(i) == root for i in range(m))
    except _BudgetExceeded:
        warnings.warn(
            f"automorphism search stopped after {budget} nodes; the group returned "
            "may be a proper subgroup of the full automorphism group",
            RuntimeWarning,
            stacklevel=4,
        )
        return gens, None
    return gens, order


class _BudgetExceeded(Exception):
    pass


def default_tol(r: NDArray[Any]) -> float:
    """``1e-8 · max |R_ij|``: equal up to rounding in an exactly invariant matrix."""
    return 1e-8 * float(np.max(np.abs(r), initial=0.0))


def search_arguments(
    R: ArrayLike, tol: float | None, max_nodes: object
) -> tuple[NDArray[Any], float, int]:
    """Checked ``(R, tol, max_nodes)`` for the automorphism searches (plain and signed).

    ``R`` square, finite and Hermitian (real when its imaginary part is zero), ``tol`` the
    default :func:`default_tol` or a non-negative number, ``max_nodes`` a positive int.
    """
    r = as_square(R, "R")
    check_hermitian(r, "R")
    if tol is None:
        tol = default_tol(r)
    elif not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a non-negative number, got {tol!r}")
    if np.iscomplexobj(r) and not np.any(r.imag):
        r = r.real
    if not is_int(max_nodes) or int(max_nodes) < 1:  # type: ignore[call-overload]
        raise ValueError(f"max_nodes must be a positive int, got {max_nodes!r}")
    return r, float(tol), int(max_nodes)  # type: ignore[call-overload]


def automorphisms(
    R: ArrayLike, tol: float | None = None, *, max_nodes: int = _NODE_BUDGET
) -> PermutationGroup:
    """The group of all permutations ``p`` with ``R[p[i], p[j]] = R[i, j]`` (within ``tol``).

    These are the permutation matrices that commute with ``R``: the largest permutation
    group under which ``R`` is invariant, found blindly (no ambient group) by colour
    refinement with individualization and backtracking.  The data determine a group only
    up to its 2-closure, and a real symmetric ``R`` cannot tell a pair ``(i, j)`` from
    ``(j, i)``: a real ``Z_M``-invariant circulant comes back as ``D_M``.

    Parameters
    ----------
    R : array_like, shape (M, M)
        Hermitian covariance, exact or estimated.  Not modified.
    tol : float, optional
        Entries are merged into one colour when sorted neighbours differ by at most
        ``tol``.  Default ``1e-8 · max |R_ij|`` (exact covariances); for an estimated one
        use a few standard errors of its entries (see :func:`algdiv.discover`).
    max_nodes : int
        Budget of search-tree nodes.  Exact covariances of catalogue groups need a few
        thousand at most; a noisy colouring can make the search long.  When the budget
        runs out a ``RuntimeWarning`` is issued and the generators found so far are
        returned (a subgroup; its order is then computed by Schreier-Sims).

    Returns
    -------
    PermutationGroup
        Given by generators; each one verified on the quantized entries.

    Raises
    ------
    ValueError
        If ``R`` is not square, finite and Hermitian, or ``tol`` is negative.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv import reynolds
    >>> from algdiv.groups import dihedral, relabel
    >>> rng = np.random.default_rng(0)
    >>> A = rng.standard_normal((12, 12))
    >>> hidden = relabel(dihedral(12), rng.permutation(12))
    >>> R = reynolds(A @ A.T, hidden)
    >>> G = automorphisms(R)
    >>> G.order, G == hidden
    (24, True)
    """
    r, tol, max_nodes = search_arguments(R, tol, max_nodes)
    m = r.shape[0]
    gens, order = _search(_edge_colours(r, tol), max_nodes)
    return PermutationGroup.from_structure(
        np.array(gens, dtype=np.intp).reshape(-1, m),
        m,
        name=f"automorphism group of R ({m} points, {len(gens)} generators)",
        order=order,
    )
