"""``algdiv`` console script.

Every failure a user can cause (bad group text, unreadable file, bad numbers, work above
the memory limit) prints one line on stderr and exits with status 2; tracebacks are for
bugs only.  A closed output pipe (``algdiv demo | head``) ends the command quietly with
status 141, as for other Unix tools killed by SIGPIPE.

The modules of the commands import numpy and the rest of algdiv only when a command
runs, so ``algdiv --version`` and ``algdiv --help`` start in a few tens of milliseconds.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import (
    _common,
    demo_cmd,
    discover_cmd,
    estimate_cmd,
    experiment_cmd,
    group_cmd,
    transform_cmd,
)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line, with status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {_one_line(message)}\n")


def _one_line(message: object, limit: int = 280) -> str:
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("algdiv")
    except PackageNotFoundError:  # a source tree that is not installed
        return "0.0.0+unknown"


class _VersionAction(argparse.Action):
    def __init__(self, option_strings, dest, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        print(f"algdiv {_version()}")
        parser.exit(0)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="algdiv",
        description="Algebraic Diversity: matched groups, matched transforms and "
        "group-averaged covariance estimation.",
        epilog="Every user error prints one line on stderr and exits with status 2.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    _common.add_common_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in (demo_cmd, discover_cmd, estimate_cmd, transform_cmd, group_cmd, experiment_cmd):
        module.register(sub)
    for choice in sub.choices.values():
        _add_common_everywhere(choice)
    return parser


def _add_common_everywhere(cmd: argparse.ArgumentParser) -> None:
    if cmd.get_default("handler") is not None:
        _common.add_common_options(cmd)
    for action in cmd._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action.choices.values():
                _add_common_everywhere(choice)


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _raised_by_algdiv(exc: BaseException) -> bool:
    """Whether the innermost Python frame of the traceback is algdiv's own code.

    algdiv's checks raise ``ValueError``/``TypeError`` with a message that names the bad
    argument: those are the user's errors.  The same types raised inside numpy, scipy or
    another dependency mean algdiv let through input it should have refused (or has a
    bug), and keep their traceback.  (A builtin called from algdiv, ``int("x")`` say,
    counts as algdiv's: no Python frame of its own.)
    """
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return last is not None and os.path.abspath(last).startswith(_PACKAGE + os.sep)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        from .._limits import max_memory, max_time

        with max_memory(args.max_memory), max_time(getattr(args, "max_time", None)):
            return int(args.handler(args) or 0)
    except BrokenPipeError:
        # The reader went away (``| head``): silence the flush at exit and stop.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except OSError as exc:
        print(f"algdiv: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except (ValueError, TypeError) as exc:
        if not _raised_by_algdiv(exc):
            raise  # a dependency failed on input algdiv had accepted: a bug, keep the traceback
        print(f"algdiv: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except RecursionError:
        print("algdiv: error: the input is nested too deeply to process", file=sys.stderr)
        return 2
    except MemoryError:
        print(
            "algdiv: error: out of memory (lower the work, or see --max-memory for the "
            "estimates checked before work)",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("algdiv: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
