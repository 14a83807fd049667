"""Progress bars for long work: tqdm on a terminal, nothing otherwise.

An internal helper for the library, the command line, the gallery and the benchmarks.
A bar is shown only when stderr is a terminal and the caller is not quiet (``--quiet``
on the command line, or the environment variable ``ALGDIV_QUIET=1``), so logs, pipes
and tests stay clean.

Examples
--------
>>> from algdiv._progress import progress
>>> total = 0
>>> for k in progress(range(3), "summing"):   # no bar: stderr is not a terminal here
...     total += k
>>> total
3
>>> with progress(total=2, desc="stages") as bar:
...     bar.set_description("stage 1"); bar.update()
...     bar.set_description("stage 2"); bar.update()
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["progress", "enabled", "set_quiet"]

_quiet = False


def set_quiet(quiet: bool = True) -> None:
    """Silence (or restore) every progress bar of this process."""
    global _quiet
    _quiet = bool(quiet)


def enabled(quiet: bool | None = None) -> bool:
    """Whether a bar would be shown: stderr is a terminal, not quiet, tqdm importable."""
    if quiet or (quiet is None and _quiet) or os.environ.get("ALGDIV_QUIET", "") not in ("", "0"):
        return False
    try:
        if not sys.stderr.isatty():
            return False
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False
    try:
        import tqdm  # noqa: F401
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return False
    return True


class _NoBar:
    """The same surface as a tqdm bar, doing nothing."""

    def __init__(self, iterable: Iterable[Any] | None = None) -> None:
        self._iterable = iterable

    def __iter__(self) -> Iterator[Any]:
        return iter(self._iterable if self._iterable is not None else ())

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: float = 1) -> None:
        return None

    def set_description(self, desc: str | None = None, refresh: bool = True) -> None:
        return None

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        return None

    def close(self) -> None:
        return None


def progress(
    iterable: Iterable[Any] | None = None,
    desc: str | None = None,
    *,
    total: float | None = None,
    unit: str = "it",
    quiet: bool | None = None,
    leave: bool = False,
) -> Any:
    """Wrap ``iterable`` (or make a manual bar with ``total``) in a progress bar.

    Parameters
    ----------
    iterable : iterable, optional
        What to iterate over; omit it for a bar driven by ``update()`` (e.g. the stages
        of a pipeline).
    desc : str, optional
        Label in front of the bar.
    total : float, optional
        Number of steps, when ``iterable`` has no length or is omitted.
    unit : str
        Name of one step.
    quiet : bool, optional
        ``True`` never shows a bar; ``None`` follows :func:`set_quiet` and the
        environment.
    leave : bool
        Keep the finished bar on screen.

    Returns
    -------
    tqdm.tqdm or a no-op object with the same methods (``update``,
    ``set_description``, ``set_postfix_str``, ``close``, context manager, iteration).
    """
    if not enabled(quiet):
        return _NoBar(iterable)
    from tqdm import tqdm

    return tqdm(iterable, desc=desc, total=total, unit=unit, leave=leave, file=sys.stderr)
