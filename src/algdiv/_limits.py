"""Resource limits: estimate before working, refuse clearly above a limit.

Every allocation that grows faster than the data (an ``M × M`` label array, a stack of
``M × M`` matrices, a dense basis) is estimated first with :func:`check_memory`; above the
limit it raises :class:`ResourceLimitError` (a ``ValueError``) whose message names what
was to be built and its size.  The limit is, in order of precedence: the value set with
:func:`set_max_memory`, the environment variable ``ALGDIV_MAX_MEMORY`` (bytes, or a number
with a ``K``/``M``/``G``/``T`` suffix), or :data:`DEFAULT_MAX_MEMORY` (4 GiB).

Examples
--------
>>> from algdiv._limits import check_memory, ResourceLimitError, format_bytes
>>> from algdiv._limits import check_time, estimate_seconds, format_seconds
>>> format_bytes(3 * 2**30)
'3.0 GiB'
>>> try:
...     check_memory(2**50, "a test array")
... except ResourceLimitError as exc:
...     print(str(exc).split(";")[0])
a test array would need 1.0 PiB

Time is estimated the same way, for the computations that can run for minutes, with
:func:`check_time`: an estimate in seconds from a cost model (:func:`estimate_seconds`:
counts of element operations and floating-point operations, divided by throughputs
measured on a 2-core x86-64 machine with BLAS on one thread, the slowest setting the
library runs in), refused above the limit set with :func:`set_max_time`, the environment
variable ``ALGDIV_MAX_TIME`` (seconds, or a number with ``s``/``m``/``h``), or
:data:`DEFAULT_MAX_TIME` (600 s).  The estimates are lower bounds where the cost depends
on what the computation finds (a stabilizer chain's depth, the candidates a search
tries), so a refusal always means at least that long; they are meant to catch minutes
and hours, not to predict seconds.

>>> format_seconds(estimate_seconds(element_ops=4e12))
'3.7 h'
>>> try:
...     check_time(7200.0, "a test computation")
... except ResourceLimitError as exc:
...     print(str(exc).split(";")[0])
a test computation would take about 2.0 h (estimated)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "DEFAULT_MAX_MEMORY",
    "DEFAULT_MAX_TIME",
    "ELEMENT_OPS_PER_SECOND",
    "FLOPS_PER_SECOND",
    "ResourceLimitError",
    "check_memory",
    "check_time",
    "estimate_seconds",
    "format_bytes",
    "format_seconds",
    "get_max_memory",
    "get_max_time",
    "max_memory",
    "max_time",
    "parse_bytes",
    "parse_seconds",
    "set_max_memory",
    "set_max_time",
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


# -- time ----------------------------------------------------------------------------------

#: Default limit on the estimated duration of one computation checked by :func:`check_time`.
DEFAULT_MAX_TIME = 600.0

#: Element operations per second of vectorized NumPy work on permutations and labels
#: (gathers, scatters, comparisons of integer arrays), measured: 1.5e8 - 4e8 on one core.
ELEMENT_OPS_PER_SECOND = 3.0e8

#: Floating-point operations per second of dense linear algebra (products, eigh) with
#: BLAS on one thread, measured: 1e10 - 3e10 on one core of a 2-core x86-64 machine.
FLOPS_PER_SECOND = 2.0e10

_time_override: float | None = None
_TIME_UNITS = {"": 1.0, "S": 1.0, "M": 60.0, "MIN": 60.0, "H": 3600.0}


def parse_seconds(text: str | int | float) -> float:
    """Seconds from ``600``, ``"90s"``, ``"10m"``, ``"1.5h"``.

    >>> parse_seconds("10m"), parse_seconds(30), parse_seconds("1.5h")
    (600.0, 30.0, 5400.0)
    """
    if isinstance(text, bool):
        raise TypeError("a duration must be a number of seconds or text such as '10m', got a bool")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        s = str(text).strip().upper()
        number = s.rstrip("SMINH")
        unit = s[len(number):].strip()
        if unit not in _TIME_UNITS:
            raise ValueError(
                f"a duration must be seconds or a number with s/m/h, got {text!r}"
            )
        try:
            value = float(number) * _TIME_UNITS[unit]
        except ValueError:
            raise ValueError(
                f"a duration must be seconds or a number with s/m/h, got {text!r}"
            ) from None
    if not value > 0 or value != value or value == float("inf"):
        raise ValueError(f"a duration must be positive and finite, got {text!r}")
    return value


def format_seconds(seconds: float) -> str:
    """A human-readable duration (``'45 s'``, ``'3.2 min'``, ``'3.7 h'``, ``'2.1e+03 years'``)."""
    s = float(seconds)
    if s < 60:
        return f"{s:.2g} s" if s < 10 else f"{s:.0f} s"
    if s < 3600:
        return f"{s / 60:.1f} min"
    if s < 86400 * 2:
        return f"{s / 3600:.1f} h"
    if s < 86400 * 365 * 2:
        return f"{s / 86400:.1f} days"
    years = s / (86400 * 365)
    return f"{years:.2g} years" if years < 1e6 else f"{years:.1e} years"


def estimate_seconds(element_ops: float = 0.0, flops: float = 0.0) -> float:
    """The cost model: ``element_ops / ELEMENT_OPS_PER_SECOND + flops / FLOPS_PER_SECOND``.

    Parameters
    ----------
    element_ops : float
        Integer-array element operations (permutation compositions, label lookups).
    flops : float
        Floating-point operations of dense linear algebra.
    """
    return float(element_ops) / ELEMENT_OPS_PER_SECOND + float(flops) / FLOPS_PER_SECOND


def get_max_time() -> float:
    """The time limit in force, in seconds (see the module notes for its sources)."""
    if _time_override is not None:
        return _time_override
    env = os.environ.get("ALGDIV_MAX_TIME")
    if env:
        return parse_seconds(env)
    return DEFAULT_MAX_TIME


def set_max_time(limit: str | int | float | None) -> None:
    """Set the time limit for this process (``None`` restores the environment/default).

    Examples
    --------
    >>> from algdiv._limits import set_max_time, get_max_time
    >>> set_max_time("2h"); get_max_time()
    7200.0
    >>> set_max_time(None)
    """
    global _time_override
    _time_override = None if limit is None else parse_seconds(limit)


@contextmanager
def max_time(limit: str | int | float | None) -> Iterator[None]:
    """Temporarily change the time limit (a context manager)."""
    global _time_override
    saved = _time_override
    set_max_time(limit)
    try:
        yield
    finally:
        _time_override = saved


def check_time(seconds: float, what: str) -> None:
    """Raise :class:`ResourceLimitError` when the estimated ``seconds`` exceed the limit.

    Parameters
    ----------
    seconds : float
        The estimate, usually from :func:`estimate_seconds`.
    what : str
        What would run, e.g. ``"discovery on 1000 snapshots of 256 points"``.
    """
    limit = get_max_time()
    if seconds > limit:
        raise ResourceLimitError(
            f"{what} would take about {format_seconds(seconds)} (estimated); the time limit "
            f"is {format_seconds(limit)} (raise it with algdiv.set_max_time, the environment "
            "variable ALGDIV_MAX_TIME, or --max-time on the command line)"
        )
