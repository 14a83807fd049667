"""``algdiv group describe TEXT``: what a group is, and what it implies for estimation."""

from __future__ import annotations

import argparse

from ..commutant import commutant_dim, effective_dimension
from ..groups import parse


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("group", help="inspect groups written in the group grammar")
    actions = group.add_subparsers(dest="action", metavar="ACTION", parser_class=type(group))
    describe = actions.add_parser(
        "describe",
        help="print degree, order, orbits, dim C(G) and d_eff",
        description='Describe a group, e.g. algdiv group describe "dihedral(16)".',
    )
    describe.add_argument("text", metavar="TEXT", help='group expression, e.g. "cyclic(8)"')
    describe.set_defaults(handler=describe_group)


def _orbit_text(orbits: list, limit: int = 8) -> str:
    shown = []
    for orb in orbits[:limit]:
        pts = orb.tolist()
        body = " ".join(map(str, pts)) if len(pts) <= 12 else (
            " ".join(map(str, pts[:5])) + f" ... {pts[-1]}"
        )
        shown.append("{" + body + "}")
    more = f" and {len(orbits) - limit} more" if len(orbits) > limit else ""
    return ", ".join(shown) + more


def _order_text(order: int) -> str:
    digits = str(order)
    if len(digits) <= 30:
        return digits
    power = f" = 2^{order.bit_length() - 1}" if order & (order - 1) == 0 else ""
    return f"{digits[0]}.{digits[1:4]}e+{len(digits) - 1} ({len(digits)} digits){power}"


def describe_group(args: argparse.Namespace) -> int:
    G = parse(args.text)
    orbits = G.orbits()
    lines = [
        f"group:    {G.name}",
        f"degree:   {G.degree}",
        f"order:    {_order_text(G.order)}",
        f"orbits:   {len(orbits)}: {_orbit_text(orbits)}",
        f"dim C(G): {commutant_dim(G)}",
        f"d_eff:    {effective_dimension(G):.4g}",
        f"generators: {', '.join(G.generator_cycles()) or '(none)'}"
        if G.degree <= 32
        else f"generators: {len(G.generators)}",
    ]
    print("\n".join(lines))
    return 0
