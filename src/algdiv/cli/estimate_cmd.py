"""``algdiv estimate FILE --group TEXT [--shrinkage] -o OUT.npy``: a covariance estimate.

The estimators of :mod:`algdiv.estimation` behind a command: the group average
``Φ_G(S)`` (:class:`algdiv.GroupCovariance`) or, with ``--shrinkage``, the shrinkage of
``S`` toward it (:class:`algdiv.SymmetryShrinkage`, plug-in weight).
"""

from __future__ import annotations

import argparse

from . import _common
from .discover_cmd import add_input_options, read_snapshots


def register(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser(
        "estimate",
        help="estimate the covariance of a data file under a group",
        description="Estimate the covariance of the snapshots (rows) of FILE: the group "
        "average Φ_G(S) over GROUP (GroupCovariance), or with --shrinkage the plug-in "
        "shrinkage ρ Φ_G(S) + (1-ρ) S toward it (SymmetryShrinkage).  The estimate is "
        "written to OUT (.npy, .npz, .csv or .txt).",
    )
    cmd.add_argument("file", metavar="FILE", help="data file (.npy, .npz, .csv, .txt, .mat)")
    cmd.add_argument(
        "--group", required=True, metavar="TEXT",
        help='the symmetry, e.g. "dihedral(16)" or the "text" of a discover --json report',
    )
    cmd.add_argument(
        "--shrinkage", action="store_true",
        help="shrink the sample covariance toward the group average (plug-in weight)",
    )
    cmd.add_argument(
        "--assume-centered", action="store_true", help="do not subtract the (invariant) mean"
    )
    cmd.add_argument(
        "-o", "--output", required=True, metavar="OUT.npy", help="write the M x M estimate here"
    )
    add_input_options(cmd)
    cmd.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from .._limits import check_memory
    from ..estimation import GroupCovariance, SymmetryShrinkage
    from ..groups import parse
    from ..io import SAVE_SUFFIXES, save_array

    _common.check_output(args.output, "-o", inputs=(args.file,), suffixes=SAVE_SUFFIXES)
    G = parse(args.group)
    m = G.degree
    check_memory(
        8.0 * m * m * (4 if args.shrinkage else 3),
        f"a covariance estimate on {m} points (a few {m} x {m} arrays and pair-orbit labels)",
    )
    X = read_snapshots(args)
    if X.shape[1] != m:
        raise ValueError(
            f"{args.file} has snapshots of length {X.shape[1]} but {G.name} acts on {m} points"
        )
    if args.shrinkage:
        est = SymmetryShrinkage(G, assume_centered=args.assume_centered).fit(X)
        what = f"shrinkage toward the group average over {G.short_name}, rho = {est.shrinkage_:.4g}"
    else:
        est = GroupCovariance(G, assume_centered=args.assume_centered).fit(X)
        what = f"group average over {G.short_name}"
    path = save_array(args.output, est.covariance_)
    print(f"{m} x {m} covariance ({what}, {X.shape[0]} snapshots) written to {path}")
    return 0
