"""Resource limits: estimate before allocating, refuse clearly above a limit.

Every allocation that grows faster than the data (an ``M × M`` label array, a stack of
``M × M`` matrices, a dense basis) is estimated first with :func:`check_memory`; above the
limit it raises :class:`ResourceLimitError` (a ``ValueError``) whose message names what
was to be built and its size.  The limit is, in order of precedence: the value set with
:func:`set_max_memory`, the environment variable ``ALGDIV_MAX_MEMORY`` (bytes, or a number
with a ``K``/``M``/``G``/``T`` suffix), or :data:`DEFAULT_MAX_MEMORY` (4 GiB).

Examples
--------
>>> from algdiv._limits import check_memory, ResourceLimitError, format_bytes
>>> format_bytes(3 * 2**30)
'3.0 GiB'
>>> try:
...     check_memory(2**50, "a test array")
... except ResourceLimitError as exc:
...     print(str(exc).split(";")[0])
a test array would need 1.0 PiB
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "DEFAULT_MAX_MEMORY",
    "ResourceLimitError",
    "check_memory",
    "format_bytes",
    "get_max_memory",
    "max_memory",
    "parse_bytes",
    "set_max_memory",
]

#: Default limit on one allocation estimated by :func:`check_memory`, in bytes.
DEFAULT_MAX_MEMORY = 4 * 2**30

_override: int | None = None
_UNITS = {"": 1, "B": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40, "P": 2**50}


class ResourceLimitError(ValueError):
    """A computation would need more memory (or time) than the configured limit."""


def parse_bytes(text: str | int | float) -> int:
    """Bytes from ``1234``, ``"512M"``, ``"4G"``, ``"1.5GiB"`` (binary units).

    >>> parse_bytes("2G"), parse_bytes(100), parse_bytes("1.5KiB")
    (2147483648, 100, 1536)
    """
    if isinstance(text, bool):
        raise TypeError("a memory size must be a number or text such as '4G', got a bool")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        s = str(text).strip().upper().removesuffix("IB").removesuffix("B")
        unit = s[-1:] if s[-1:] in _UNITS and s[-1:] != "" and not s[-1:].isdigit() else ""
        number = s[: len(s) - len(unit)] if unit else s
        try:
            value = float(number) * _UNITS[unit]
        except ValueError:
            raise ValueError(
                f"a memory size must be bytes or a number with K/M/G/T, got {text!r}"
            ) from None
    if not value > 0 or value != value or value == float("inf"):
        raise ValueError(f"a memory size must be positive and finite, got {text!r}")
    return int(value)


def format_bytes(nbytes: float) -> str:
    """A human-readable size in binary units (``'1.5 GiB'``)."""
    value = float(nbytes)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(value) < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} PiB"


def get_max_memory() -> int:
    """The limit in force, in bytes (see the module notes for its sources)."""
    if _override is not None:
        return _override
    env = os.environ.get("ALGDIV_MAX_MEMORY")
    if env:
        return parse_bytes(env)
    return DEFAULT_MAX_MEMORY


def set_max_memory(limit: str | int | None) -> None:
    """Set the limit for this process (``None`` restores the environment/default)."""
    global _override
    _override = None if limit is None else parse_bytes(limit)


@contextmanager
def max_memory(limit: str | int | None) -> Iterator[None]:
    """Temporarily change the limit (a context manager)."""
    global _override
    saved = _override
    set_max_memory(limit)
    try:
        yield
    finally:
        _override = saved


def check_memory(nbytes: float, what: str) -> None:
    """Raise :class:`ResourceLimitError` when ``nbytes`` exceeds the limit in force.

    Parameters
    ----------
    nbytes : float
        The estimated size of the allocation (a float, so huge sizes do not overflow).
    what : str
        What would be allocated, e.g. ``"the pair-orbit labels of cyclic(100000)"``.
    """
    limit = get_max_memory()
    if nbytes > limit:
        raise ResourceLimitError(
            f"{what} would need {format_bytes(nbytes)}; the memory limit is "
            f"{format_bytes(limit)} (raise it with algdiv.set_max_memory, the environment "
            "variable ALGDIV_MAX_MEMORY, or --max-memory on the command line)"
        )
