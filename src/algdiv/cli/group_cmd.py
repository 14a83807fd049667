"""``algdiv group describe TEXT``: what a group is, and what it implies for estimation."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # (the CLI imports numpy only when a command runs)
    import numpy as np
    from numpy.typing import NDArray


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("group", help="inspect groups written in the group grammar")
    actions = group.add_subparsers(
        dest="action", metavar="ACTION", parser_class=type(group), required=True
    )
    describe = actions.add_parser(
        "describe",
        help="print degree, order, orbits, dim C(G) and d_eff",
        description='Describe a group, e.g. algdiv group describe "dihedral(16)". '
        "The order is exact: printed in full up to 30 digits, else as 1.234e+5735 "
        "(5736 digits); --exact prints every digit.",
    )
    describe.add_argument("text", metavar="TEXT", help='group expression, e.g. "cyclic(8)"')
    describe.add_argument("--exact", action="store_true", help="print every digit of the order")
    describe.set_defaults(handler=describe_group)


def _orbit_text(orbits: list[NDArray[np.intp]], limit: int = 8) -> str:
    shown = []
    for orb in orbits[:limit]:
        if len(orb) <= 12:
            body = " ".join(map(str, orb.tolist()))
        else:
            body = " ".join(map(str, orb[:5].tolist())) + f" ... {int(orb[-1])}"
        shown.append("{" + body + "}")
    more = f" and {len(orbits) - limit} more" if len(orbits) > limit else ""
    return ", ".join(shown) + more


def check_describe_cost(G: Any) -> None:
    """Estimate what ``describe`` will compute and refuse above the memory limit.

    ``dim C(G)`` needs the ``M x M`` pair-orbit labels; an order not known from the
    construction needs sympy's Schreier-Sims tables (``~M^2`` entries).
    """
    from .._limits import check_memory
    from ..groups.parse import SCHREIER_SIMS_BYTES

    m = G.degree
    # Quantities already known (from the construction or a cache) cost nothing.
    label_bytes = 0.0 if getattr(G, "_n_pair_orbits", None) is not None else 8.0 * m * m
    order_bytes = 0.0 if getattr(G, "_order", None) is not None else SCHREIER_SIMS_BYTES * m * m
    check_memory(
        max(label_bytes, order_bytes),
        f"describing a group on {m} points (its {m} x {m} pair-orbit labels)",
    )
    check_describe_time(G)


def check_describe_time(G: Any) -> None:
    """Estimate the time of what ``describe`` will compute and refuse above the limit:
    the pair-orbit labels and the stabilizer chain, unless known already (a lower bound
    for the chain, whose depth is not known before it is built)."""
    from .._cost import chain_seconds, check_seconds, pair_orbit_seconds

    m = G.degree
    seconds = 0.0
    if getattr(G, "_n_pair_orbits", None) is None:
        seconds += pair_orbit_seconds(m, len(G.generators))
    if getattr(G, "_order", None) is None:
        seconds += chain_seconds(m, max(len(o) for o in G.orbits()))
    what = f"{G.expression} on {m} points" if G.expression else G.name  # a name says its points
    check_seconds(seconds, f"describing {what}")


def _order_text(order: int, exact: bool = False) -> str:
    from ..groups.formatting import format_order

    return format_order(order, exact=exact)


def describe_group(args: argparse.Namespace) -> int:
    from ..groups import parse

    G = parse(args.text)
    check_describe_cost(G)
    from ..commutant import commutant_dim, effective_dimension  # scipy: only when needed
    orbits = G.orbits()
    lines = [
        f"group:    {G.name}",
        f"degree:   {G.degree}",
        f"order:    {_order_text(G.order, args.exact)}",
        f"orbits:   {len(orbits)}: {_orbit_text(orbits)}",
        f"dim C(G): {commutant_dim(G)}",
        f"d_eff:    {effective_dimension(G):.4g}",
        f"generators: {', '.join(G.generator_cycles()) or '(none)'}"
        if G.degree <= 32
        else f"generators: {len(G.generators)}",
    ]
    print("\n".join(lines))
    return 0
