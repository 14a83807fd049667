"""``algdiv discover FILE``: the matched group of a data file, with its report and figure."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..io import load_covariance, load_snapshots


def register(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser(
        "discover",
        help="find the matched group of a data file",
        description="Find the matched group of the snapshots (rows) in FILE, or of the "
        "covariance it holds (--covariance), blindly or inside --ambient; print the "
        "report, optionally write it as JSON and draw the figure.",
    )
    cmd.add_argument("file", metavar="FILE", help="data file (.npy, .npz, .csv, .txt)")
    add_report_options(cmd)
    cmd.add_argument("--columns-are-snapshots", action="store_true", help="snapshots are columns")
    cmd.add_argument(
        "--covariance", action="store_true", help="FILE holds a covariance matrix, not snapshots"
    )
    cmd.add_argument(
        "--n-samples", type=int, metavar="N", help="snapshots behind --covariance (omit if exact)"
    )
    cmd.add_argument(
        "--ambient", metavar="TEXT", help='search subgroups of this group, e.g. "dihedral(16)"'
    )
    cmd.set_defaults(handler=run)


def add_report_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--json", metavar="OUT", help="write the report (Discovery.to_dict()) here")
    cmd.add_argument("--plot", metavar="OUT.png", help="draw the report's figure here")


def write_outputs(report, args: argparse.Namespace, title: str) -> None:
    """The --json and --plot outputs shared by ``discover`` and ``demo``."""
    if args.json:
        try:
            Path(args.json).write_text(json.dumps(report.to_dict(), indent=2) + "\n")
        except OSError as exc:
            raise ValueError(f"cannot write {args.json}: {exc.strerror or exc}") from None
        print(f"report written to {args.json}")
    if args.plot:
        from ..plotting import plot_discovery

        try:
            plot_discovery(report.covariance, report.group, report.transform, args.plot, title=title)
        except OSError as exc:
            raise ValueError(f"cannot write {args.plot}: {exc.strerror or exc}") from None
        print(f"figure written to {args.plot}")


def run(args: argparse.Namespace) -> int:
    from ..discovery import discover

    if args.n_samples is not None and not args.covariance:
        raise ValueError("--n-samples only goes with --covariance")
    if args.n_samples is not None and args.n_samples < 1:
        raise ValueError(f"--n-samples must be a positive int, got {args.n_samples}")
    if args.covariance:
        R = load_covariance(args.file)
        report = discover(R=R, n_samples=args.n_samples, ambient=args.ambient)
    else:
        X = load_snapshots(args.file, columns_are_snapshots=args.columns_are_snapshots)
        report = discover(X, ambient=args.ambient)
    print(report)
    write_outputs(report, args, title=f"algdiv discover {Path(args.file).name}")
    return 0
