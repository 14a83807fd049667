"""BLAS thread control for kernels that make many small BLAS calls.  Internal API.

A batch of small products (a few dozen rows each) gains nothing from BLAS threads and
loses much to them when the cores are busy: the threads wait on each other at every
call.  :func:`single_blas_thread` runs a block with every loaded BLAS limited to one
thread (through threadpoolctl) and restores the counts on exit.  The limit is
process-wide while it lasts: BLAS calls made by other Python threads meanwhile also run
on one thread.  Setting and restoring the limit costs a few microseconds, so callers
use it only around work of some size.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["blas_threads", "single_blas_thread"]


_found: tuple[Any, ...] = ()


def _blas_libraries() -> tuple[Any, ...]:
    """threadpoolctl's controllers of the BLAS libraries loaded in this process (looked up
    once found: before numpy is imported there are none yet, so an empty answer is not
    kept)."""
    global _found
    if not _found:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - threadpoolctl is a dependency
            return ()
        _found = tuple(ThreadpoolController().select(user_api="blas").lib_controllers)
    return _found


def blas_threads() -> int:
    """The most threads any loaded BLAS may use now (1 when none is loaded).

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv._threads import blas_threads, single_blas_thread
    >>> with single_blas_thread():
    ...     blas_threads()
    1
    """
    return max((lib.get_num_threads() for lib in _blas_libraries()), default=1)


@contextmanager
def single_blas_thread() -> Iterator[None]:
    """Run the block with every loaded BLAS on one thread, then restore the counts.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv._threads import single_blas_thread
    >>> with single_blas_thread():
    ...     total = np.ones(4) @ np.ones((4, 3))
    >>> total
    array([4., 4., 4.])
    """
    libs = _blas_libraries()
    saved = [lib.get_num_threads() for lib in libs]
    try:
        for lib, n in zip(libs, saved):
            if n != 1:
                lib.set_num_threads(1)
        yield
    finally:
        for lib, n in zip(libs, saved):
            if n != 1:
                lib.set_num_threads(n)
