"""The JSON that ``algdiv discover --json`` and ``algdiv demo --json`` write (documented in
docs/cli.md; ``SCHEMA_VERSION`` changes only when a field changes meaning or goes away).

Besides the report (:meth:`algdiv.Discovery.to_dict`) it carries what is needed to reuse
the result: the group as text that ``--group`` accepts, and, when the group is a
catalogue group up to relabelling and the relabelling is found, the permutation that maps
it onto its catalogue form.
"""

from __future__ import annotations

from typing import Any

SCHEMA_VERSION = 1


def group_text(G: Any) -> str:
    """``from_generators([[...], ...])`` text that :func:`algdiv.groups.parse` reads back.

    The trivial group (no generators) is written ``trivial(M)``.
    """
    gens = G.generators
    if len(gens) == 0:
        return f"trivial({G.degree})"
    return "from_generators([" + ", ".join(
        "[" + ", ".join(map(str, g.tolist())) + "]" for g in gens
    ) + "])"


def _walk(adj: list[list[int]], start: int, second: int, m: int) -> list[int] | None:
    """The points of a cycle through ``start`` then ``second`` in ``adj``, or None."""
    path, prev, cur = [start], start, second
    seen = {start}
    while cur != start:
        if cur in seen:
            return None
        seen.add(cur)
        path.append(cur)
        nxt = [v for v in adj[cur] if v != prev]
        if not nxt:
            return None
        prev, cur = cur, nxt[0]
    return path if len(path) == m else None


def _regular_xor_relabelling(G: Any, catalogue: Any) -> list[int] | None:
    """For a regular ``Z_2^k``: catalogue point with bits ``b`` -> ``(prod g_j^{b_j})(0)``."""
    import numpy as np

    from ..groups import relabel

    m = G.degree
    basis: list[Any] = []
    reached = {0}
    for g in G.generators:
        if int(g[0]) not in reached:
            basis.append(g)
            reached |= {int(g[p]) for p in reached}
    if len(reached) != m:
        return None
    sigma = np.zeros(m, dtype=np.intp)
    for c in range(m):
        point = 0
        for j, g in enumerate(basis):
            if c >> j & 1:
                point = int(g[point])
        sigma[c] = point
    if len(set(sigma.tolist())) != m or relabel(catalogue, sigma) != G:
        return None
    return [int(v) for v in sigma]


def catalogue_relabelling(G: Any, name: str | None, max_degree: int = 512) -> list[int] | None:
    """``σ`` with ``relabel(parse(name), σ) == G``, when one is found; else ``None``.

    Then ``X[:, σ]`` are the data in the catalogue group's own labelling (the found
    group's point ``σ[k]`` plays the catalogue's point ``k``).  Found for trivial and
    symmetric groups (``σ`` = identity), cyclic and dihedral groups (``σ`` walks the
    ``M``-cycle of one orbital graph) and elementary abelian groups (``σ`` spells each
    point in a basis of generators); checked by group equality before it is returned.
    Affine and iterated-wreath groups give ``None``, as do degrees above ``max_degree``.
    """
    import numpy as np

    from ..groups import parse, relabel

    if not name:
        return None
    m = G.degree
    kind = name.split("(", 1)[0]
    if kind in ("trivial", "symmetric"):
        return list(range(m))
    if m > max_degree:
        return None
    catalogue = parse(name)
    if kind == "elementary_abelian":
        return _regular_xor_relabelling(G, catalogue)
    if kind not in ("cyclic", "dihedral") or m < 3:
        return None
    labels = G.pair_orbits()
    for j in range(1, m):
        edges = labels == labels[0, j]
        if kind == "dihedral":
            edges = edges | edges.T
        degree = edges.sum(axis=1)
        if not np.all(degree == degree[0]) or degree[0] > 2:
            continue
        adj = [np.flatnonzero(row).tolist() for row in edges]
        path = _walk(adj, 0, j, m)
        if path is None:
            continue
        sigma = np.array(path)
        if relabel(catalogue, sigma) == G:
            return [int(v) for v in sigma]
    return None


def discovery_json(report: Any, *, command: str, source: str | None, seed: int | None) -> dict[str, Any]:
    """The versioned JSON document of a :class:`~algdiv.Discovery` report."""
    from ..groups.formatting import format_order

    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    body = report.to_dict()
    G = report.group
    group = dict(body.pop("group", {}))
    order = G.order
    group["order"] = order if order < 2**53 else format_order(order, exact=True)
    group["order_text"] = format_order(order)
    group["text"] = group_text(G)
    group["catalogue"] = report.name
    group["relabelling"] = catalogue_relabelling(G, report.name)
    doc["group"] = group
    doc.update(body)
    doc["input"] = {"command": command, "file": source, "seed": seed}
    return doc
