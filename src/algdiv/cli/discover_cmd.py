"""``algdiv discover FILE [FILE ...]``: the matched group of data files, with reports and figure.

Several files are independent problems: they run on the engine ``--jobs N`` / ``--scheduler``
names (:func:`algdiv.batch.discover_many`), each report printed under its file name, and
``--json`` holds the list of reports.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from . import _common

if TYPE_CHECKING:  # (the CLI imports the package only when a command runs)
    from ..discovery.result import Discovery


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser(
        "discover",
        help="find the matched group of a data file",
        description="Find the matched group of the snapshots (rows) in FILE, or of the "
        "covariance it holds (--covariance), blindly or inside --ambient; print the "
        "report, optionally write it as JSON (schema in docs/cli.md) and draw the figure. "
        "The memory it needs (about a dozen M x M arrays) is estimated first and refused "
        "above --max-memory.",
    )
    cmd.add_argument(
        "file", metavar="FILE", nargs="+",
        help="data file(s) (.npy, .npz, .csv, .txt, .mat); several files are several problems",
    )
    add_report_options(cmd)
    _common.add_engine_options(cmd)
    add_input_options(cmd)
    cmd.add_argument(
        "--covariance", action="store_true", help="FILE holds a covariance matrix, not snapshots"
    )
    cmd.add_argument(
        "--n-samples", type=_common.positive_int, metavar="N",
        help="snapshots behind --covariance (omit if exact)",
    )
    cmd.add_argument(
        "--ambient", metavar="TEXT", help='search subgroups of this group, e.g. "dihedral(16)"'
    )
    cmd.add_argument(
        "--seed", type=_common.seed, default=0, metavar="INT",
        help="seed of the bootstrap (default 0: the same report every run)",
    )
    cmd.set_defaults(handler=run)


def add_input_options(cmd: argparse.ArgumentParser) -> None:
    """How FILE is read: layout, MATLAB variable, complex column pairs."""
    cmd.add_argument("--columns-are-snapshots", action="store_true", help="snapshots are columns")
    cmd.add_argument(
        "--var", metavar="NAME",
        help="the variable of a .mat file (or array of an .npz) to read; default: the only one",
    )
    cmd.add_argument(
        "--complex-pairs", action="store_true",
        help="the file's columns are (real, imaginary) pairs of complex values",
    )


def read_snapshots(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from ..io import load_snapshots

    return load_snapshots(
        args.file,
        columns_are_snapshots=args.columns_are_snapshots,
        key=args.var,
        complex_pairs=args.complex_pairs,
    )


def add_report_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--json", metavar="OUT.json", help="write the report as JSON (schema in docs/cli.md)"
    )
    cmd.add_argument("--plot", metavar="OUT.png", help="draw the report's figure here")


def check_report_outputs(args: argparse.Namespace, inputs: tuple[str, ...] = ()) -> None:
    """Refuse bad --json/--plot paths before any work."""
    _common.check_output(args.json, "--json", inputs=inputs)
    _common.check_output(args.plot, "--plot", inputs=inputs, suffixes=_common.PLOT_SUFFIXES)
    if args.json and args.plot and Path(args.json).resolve() == Path(args.plot).resolve():
        raise ValueError("--json and --plot name the same file")
    _common.check_plotting(args.plot)


def write_outputs(
    report: Discovery, args: argparse.Namespace, title: str, *, source: str | None = None
) -> None:
    """The --json and --plot outputs shared by ``discover`` and ``demo``."""
    from ._schema import discovery_json

    if args.json:
        doc = discovery_json(report, command=args.command, source=source, seed=args.seed)
        try:
            Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
        except OSError as exc:
            raise ValueError(f"cannot write {args.json}: {exc.strerror or exc}") from None
        print(f"report written to {args.json}")
    if args.plot:
        from ..plotting import plot_discovery
        from ._schema import catalogue_relabelling

        order = catalogue_relabelling(report.group, report.name)
        if report.covariance is None:  # (discover always keeps it)
            raise ValueError("the report holds no covariance to plot")
        try:
            plot_discovery(
                report.covariance, report.group, report.transform, args.plot, title=title,
                relabelling=order,
            )
        except OSError as exc:
            raise ValueError(f"cannot write {args.plot}: {exc.strerror or exc}") from None
        print(f"figure written to {args.plot}")


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from .._progress import set_quiet
    from ..discovery import discover

    set_quiet(args.quiet)
    files = list(args.file)
    if len(files) > 1:
        return _run_many(args, files)
    if args.scheduler is not None or args.jobs is not None:
        raise ValueError("--jobs and --scheduler are for several files (one problem runs here)")
    args.file = files[0]
    if args.n_samples is not None and not args.covariance:
        raise ValueError("--n-samples only goes with --covariance")
    if args.covariance and (args.columns_are_snapshots or args.complex_pairs):
        raise ValueError("--columns-are-snapshots and --complex-pairs go with snapshots, "
                         "not with --covariance")
    check_report_outputs(args, inputs=(args.file,))
    if args.covariance:
        from ..io import load_covariance

        R = load_covariance(args.file, key=args.var)
        _common.check_discover_cost(R.shape[0], "a covariance")
        if R.shape[0] < 2:
            raise ValueError(f"cannot use {args.file}: a 1 x 1 covariance has no symmetry to find")
        if not np.any(R):
            raise ValueError(f"cannot use {args.file}: the covariance is all zeros")
        report = discover(R=R, n_samples=args.n_samples, ambient=args.ambient, rng=args.seed)
    else:
        X = read_snapshots(args)
        _common.check_discover_cost(X.shape[1], f"{X.shape[0]} snapshot(s)")
        if args.ambient is None:  # the blind search: its time grows as M^3
            _common.check_discover_time(X.shape[0], X.shape[1], f"{X.shape[0]} snapshot(s)")
        if not np.any(X):
            raise ValueError(f"cannot use {args.file}: every value is zero, so there is no "
                             "covariance structure to find")
        report = discover(X, ambient=args.ambient, rng=args.seed)
    print(report)
    write_outputs(report, args, title=f"algdiv discover {Path(args.file).name}", source=args.file)
    return 0


def _run_many(args: argparse.Namespace, files: list[str]) -> int:
    """Several snapshot files, discovered on the chosen engine (same reports as one by one)."""
    import numpy as np

    from ..batch import discover_many
    from ._schema import discovery_json

    if args.covariance or args.n_samples is not None:
        raise ValueError("--covariance and --n-samples take one file")
    if args.plot:
        raise ValueError("--plot draws one report: give one file, or use --json for several")
    _common.check_output(args.json, "--json", inputs=tuple(files))
    data = []
    for name in files:
        args.file = name
        X = read_snapshots(args)
        _common.check_discover_cost(X.shape[1], f"{X.shape[0]} snapshot(s) in {name}")
        if args.ambient is None:
            _common.check_discover_time(X.shape[0], X.shape[1],
                                        f"{X.shape[0]} snapshot(s) in {name}")
        if not np.any(X):
            raise ValueError(f"cannot use {name}: every value is zero")
        data.append(X)
    reports = discover_many(data, ambient=args.ambient, rng=args.seed, **_common.engine(args))
    for name, report in zip(files, reports):
        print(f"== {name}")
        print(report)
    if args.json:
        docs = [
            discovery_json(r, command=args.command, source=name, seed=args.seed)
            for name, r in zip(files, reports)
        ]
        try:
            Path(args.json).write_text(json.dumps(docs, indent=2) + "\n")
        except OSError as exc:
            raise ValueError(f"cannot write {args.json}: {exc.strerror or exc}") from None
        print(f"{len(docs)} reports written to {args.json}")
    return 0
