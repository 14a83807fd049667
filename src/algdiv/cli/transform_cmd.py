"""``algdiv transform --group TEXT FILE [-o OUT]``: apply a group's matched transform."""

from __future__ import annotations

import argparse

import numpy as np

from ..groups import parse
from ..io import load_snapshots, save_array


def register(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser(
        "transform",
        help="apply the matched transform of a group to each snapshot",
        description="Apply the matched transform of GROUP to every snapshot (row) of FILE: "
        "y = Uᴴ x, with U the group's matched basis (DFT for cyclic groups, Walsh-Hadamard "
        "for elementary_abelian, Haar for iterated_wreath([2]*m), ...).",
    )
    cmd.add_argument("file", metavar="FILE", help="data file (.npy, .npz, .csv, .txt)")
    cmd.add_argument("--group", required=True, metavar="TEXT", help='e.g. "cyclic(64)"')
    cmd.add_argument("-o", "--output", metavar="OUT", help="write the coefficients here")
    cmd.add_argument("--columns-are-snapshots", action="store_true", help="snapshots are columns")
    cmd.add_argument("--inverse", action="store_true", help="apply the inverse transform instead")
    cmd.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..transforms import matched_transform

    X = load_snapshots(args.file, columns_are_snapshots=args.columns_are_snapshots)
    G = parse(args.group)
    if G.degree != X.shape[1]:
        raise ValueError(
            f"{args.file} has snapshots of length {X.shape[1]} but {G.name} acts on {G.degree} points"
        )
    T = matched_transform(G)
    Y = T.inverse(X, axis=-1) if args.inverse else T.forward(X, axis=-1)
    if args.output:
        path = save_array(args.output, Y)
        print(f"{T.name}: {Y.shape[0]} snapshot(s) of length {Y.shape[1]} written to {path}")
    else:
        with np.printoptions(precision=6, suppress=True, linewidth=120):
            print(Y)
    return 0
