"""Shared pieces of the command line: argument types, output checks, cost checks.

Nothing here imports numpy at module level, so ``algdiv --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Bytes per ``M x M`` entry that ``discover`` holds at its peak: the sample covariance,
#: its projections and commutators, the pair-orbit labels of the candidates and the
#: dictionary of generator matrices (about a dozen ``M x M`` float arrays).
DISCOVER_BYTES_PER_ENTRY = 12 * 8


def positive_int(text: str) -> int:
    """argparse type: an int >= 1 (the message names the value)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive int, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive int, got {value}")
    return value


def seed(text: str) -> int:
    """argparse type: a random seed, an int in ``0 .. 2**63 - 1``."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative int, got {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"expected a non-negative int, got {value}")
    return value


def memory_size(text: str) -> int:
    """argparse type for ``--max-memory``: bytes, or a number with K/M/G/T."""
    from .._limits import parse_bytes

    try:
        return parse_bytes(text)
    except (ValueError, TypeError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def duration(text: str) -> float:
    """argparse type for ``--max-time``: seconds, or a number with s/m/h."""
    from .._limits import parse_seconds

    try:
        return parse_seconds(text)
    except (ValueError, TypeError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_common_options(cmd: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--max-memory``, ``--max-time`` and ``--quiet``, before or after the command name."""
    default = None if top else argparse.SUPPRESS
    cmd.add_argument(
        "--max-memory",
        type=memory_size,
        metavar="SIZE",
        default=default,
        help="refuse work whose memory estimate exceeds SIZE (e.g. 8G; default 4G or "
        "the environment variable ALGDIV_MAX_MEMORY)",
    )
    cmd.add_argument(
        "--max-time",
        type=duration,
        metavar="SECONDS",
        default=default,
        help="refuse work whose time estimate exceeds SECONDS (e.g. 3600 or 2h; default "
        "600 or the environment variable ALGDIV_MAX_TIME)",
    )
    cmd.add_argument(
        "-q", "--quiet", action="store_true", default=default if not top else False,
        help="no progress bars",
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def check_output(
    path: str | None,
    option: str,
    *,
    inputs: tuple[str, ...] = (),
    suffixes: tuple[str, ...] | None = None,
) -> None:
    """Refuse an output path before any work: bad folder, a directory, an input file.

    Raises
    ------
    ValueError
        One line naming the option and the problem.
    """
    if path is None:
        return
    out = Path(path)
    if suffixes is not None and out.suffix.lower() not in suffixes:
        raise ValueError(
            f"{option} {path}: unsupported file type {out.suffix or '(none)'!r} "
            f"(expected one of {', '.join(suffixes)})"
        )
    if out.is_dir():
        raise ValueError(f"{option} {path}: it is a directory; give a file name")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.exists():
        raise ValueError(f"{option} {path}: the folder {parent} does not exist")
    if not parent.is_dir():
        raise ValueError(f"{option} {path}: {parent} is not a folder")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise ValueError(f"{option} {path}: not writable")
    for source in inputs:
        if source and _same_file(out, Path(source)):
            raise ValueError(f"{option} {path} is the input file; it would be overwritten")


def check_plotting(path: str | None, option: str = "--plot") -> None:
    """Refuse ``--plot`` before any work when matplotlib is missing."""
    if path is not None and importlib.util.find_spec("matplotlib") is None:
        raise ValueError(f"{option} needs matplotlib: pip install 'algdiv[plot]'")


PLOT_SUFFIXES = (".png", ".pdf", ".svg", ".jpg", ".jpeg")


def check_discover_cost(n_points: int, what: str) -> None:
    """Refuse ``discover`` on data too wide for the memory limit (estimate first)."""
    from .._limits import check_memory

    check_memory(
        float(DISCOVER_BYTES_PER_ENTRY) * n_points * n_points,
        f"discovery on {what} of {n_points} points (about a dozen {n_points} x {n_points} arrays)",
    )


def check_discover_time(n_samples: int, n_points: int, what: str, workers: int = 1) -> None:
    """Refuse blind ``discover`` whose estimated time exceeds the time limit."""
    from .._cost import check_seconds, discover_seconds

    check_seconds(discover_seconds(n_samples, n_points),
                  f"discovery on {what} of {n_points} points", workers)


def check_experiment_time(name: str, args: argparse.Namespace, *, M: int) -> None:
    """Refuse an experiment whose estimated time (all trials) exceeds the time limit.

    With ``--jobs N`` the trials share N processes; on a scheduler the number of workers
    is not known before connecting, so the estimate is for one.
    """
    from .._cost import adaptive_array_seconds, check_seconds, variance_law_seconds

    if name == "adaptive-array":
        seconds = adaptive_array_seconds(M, args.trials)
    else:
        seconds = variance_law_seconds(M, args.n, args.trials)
    check_seconds(seconds, f"experiment {name} with M = {M} and {args.trials} trials",
                  workers=getattr(args, "jobs", None) or 1)


def add_engine_options(cmd: argparse.ArgumentParser) -> None:
    """Where the trials run: a dask.distributed scheduler, or joblib worker processes."""
    engine = cmd.add_mutually_exclusive_group()
    engine.add_argument(
        "--scheduler", metavar="ADDRESS",
        help='run the trials on a dask.distributed scheduler (an address, or "local" for a '
        "LocalCluster on this machine); results do not depend on the engine",
    )
    engine.add_argument(
        "--jobs", type=positive_int, metavar="N", help="run the trials in N joblib processes"
    )


def engine(args: argparse.Namespace) -> dict[str, Any]:
    if args.scheduler is None:
        return {"n_jobs": args.jobs}
    if args.scheduler == "local":
        return {"client": "local"}
    try:
        import distributed
    except ImportError:
        raise ValueError(
            "--scheduler needs dask.distributed: pip install 'algdiv[dask]'"
        ) from None
    try:
        client_class: Callable[..., object] = distributed.Client  # (untyped upstream)
        return {"client": client_class(args.scheduler, timeout=10)}
    except OSError as exc:
        raise ValueError(f"cannot reach the scheduler {args.scheduler}: {exc}") from None
