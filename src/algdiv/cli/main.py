"""``algdiv`` console script.

Every failure a user can cause (bad group text, unreadable file, bad numbers) prints one
line on stderr and exits with status 2; tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from . import demo_cmd, discover_cmd, experiment_cmd, group_cmd, transform_cmd


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line, with status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"algdiv: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="algdiv",
        description="Algebraic Diversity: matched groups, matched transforms and "
        "group-averaged covariance estimation.",
    )
    parser.add_argument("--version", action="version", version=f"algdiv {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    demo_cmd.register(sub)
    discover_cmd.register(sub)
    transform_cmd.register(sub)
    group_cmd.register(sub)
    experiment_cmd.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except (ValueError, TypeError, OSError) as exc:
        print(f"algdiv: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("algdiv: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
