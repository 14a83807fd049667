"""``algdiv estimate FILE (--group TEXT [--shrinkage] | --auto [--ambient TEXT]) -o OUT.npy``.

The estimators behind a command: the group average ``Φ_G(S)`` (:class:`algdiv.GroupCovariance`),
with ``--shrinkage`` the shrinkage of ``S`` toward it (:class:`algdiv.SymmetryShrinkage`,
plug-in weight), or with ``--auto`` the symmetry found and selected by estimated risk
(:class:`algdiv.AutoGroupCovariance`, blind or inside ``--ambient``).
"""

from __future__ import annotations

import argparse

from . import _common
from .discover_cmd import add_input_options, read_snapshots


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser(
        "estimate",
        help="estimate the covariance of a data file under a group",
        description="Estimate the covariance of the snapshots (rows) of FILE: the group "
        "average Φ_G(S) over GROUP (GroupCovariance), or with --shrinkage the plug-in "
        "shrinkage ρ Φ_G(S) + (1-ρ) S toward it (SymmetryShrinkage).  The estimate is "
        "written to OUT (.npy, .npz, .csv or .txt).",
    )
    cmd.add_argument("file", metavar="FILE", help="data file (.npy, .npz, .csv, .txt, .mat)")
    which = cmd.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--group", metavar="TEXT",
        help='the symmetry, e.g. "dihedral(16)" or the "text" of a discover --json report',
    )
    which.add_argument(
        "--auto", action="store_true",
        help="find the symmetry worth using and shrink toward it (AutoGroupCovariance)",
    )
    cmd.add_argument(
        "--ambient", metavar="TEXT", help="with --auto: search only subgroups of this group"
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
    if args.auto:
        return _run_auto(args)
    if args.ambient is not None:
        raise ValueError("--ambient goes with --auto (with --group the group is given)")
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
    est: SymmetryShrinkage | GroupCovariance
    if args.shrinkage:
        est = SymmetryShrinkage(G, assume_centered=args.assume_centered).fit(X)
        what = f"shrinkage toward the group average over {G.short_name}, rho = {est.shrinkage_:.4g}"
    else:
        est = GroupCovariance(G, assume_centered=args.assume_centered).fit(X)
        what = f"group average over {G.short_name}"
    path = save_array(args.output, est.covariance_)
    print(f"{m} x {m} covariance ({what}, {X.shape[0]} snapshots) written to {path}")
    return 0


def _run_auto(args: argparse.Namespace) -> int:
    from ..discovery import AutoGroupCovariance
    from ..groups import parse
    from ..io import save_array

    if args.shrinkage:
        raise ValueError("--shrinkage goes with --group (--auto always shrinks by estimated risk)")
    ambient = None if args.ambient is None else parse(args.ambient)
    X = read_snapshots(args)
    m = X.shape[1]
    if ambient is not None and ambient.degree != m:
        raise ValueError(
            f"{args.file} has snapshots of length {X.shape[1]} but the ambient acts on "
            f"{ambient.degree} points"
        )
    est = AutoGroupCovariance(ambient=ambient, assume_centered=args.assume_centered).fit(X)
    path = save_array(args.output, est.covariance_)
    a, b, c = est.shrinkage_
    sel = est.selection_
    group = "no symmetry helps" if sel is None or not sel.symmetry_helps else (
        f"group with {est.group_.n_pair_orbits} pair orbits"
    )
    print(
        f"{m} x {m} covariance (AutoGroupCovariance: {group}; weights S {a:.2f}, group average "
        f"{b:.2f}, identity {c:.2f}; held-out relative risk {est.risk_:.3g}; {X.shape[0]} "
        f"snapshots) written to {path}"
    )
    return 0
