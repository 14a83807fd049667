"""``algdiv transform --group TEXT FILE [-o OUT]``: apply a group's matched transform."""

from __future__ import annotations

import argparse
import sys

from . import _common
from .discover_cmd import add_input_options, read_snapshots


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser(
        "transform",
        help="apply the matched transform of a group to each snapshot",
        description="Apply the matched transform of GROUP to every snapshot (row) of FILE: "
        "y = Uᴴ x, with U the group's matched basis (DFT for cyclic groups, Walsh-Hadamard "
        "for elementary_abelian, Haar for iterated_wreath([2]*m), ...).  Without -o the "
        "coefficients are written to standard output as text, every value in full.",
    )
    cmd.add_argument("file", metavar="FILE", help="data file (.npy, .npz, .csv, .txt, .mat)")
    cmd.add_argument("--group", required=True, metavar="TEXT", help='e.g. "cyclic(64)"')
    cmd.add_argument(
        "-o", "--output", metavar="OUT", help="write the coefficients here (.npy, .npz, .csv, .txt)"
    )
    add_input_options(cmd)
    cmd.add_argument("--inverse", action="store_true", help="apply the inverse transform instead")
    cmd.set_defaults(handler=run)


def _write_text(Y, stream) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    if np.iscomplexobj(Y):
        for row in Y:
            stream.write(" ".join(f"{v.real:.17g}{v.imag:+.17g}j" for v in row) + "\n")
    else:
        np.savetxt(stream, Y, fmt="%.17g")


def run(args: argparse.Namespace) -> int:
    from ..groups import parse
    from ..io import SAVE_SUFFIXES, save_array
    from ..transforms import matched_transform

    _common.check_output(args.output, "-o", inputs=(args.file,), suffixes=SAVE_SUFFIXES)
    from .._limits import check_memory

    G = parse(args.group)
    m = G.degree
    check_memory(
        3 * 16.0 * m * m,
        f"the matched transform on {m} points (a dense {m} x {m} complex basis and its work)",
    )
    X = read_snapshots(args)
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
        _write_text(Y, sys.stdout)
    return 0
