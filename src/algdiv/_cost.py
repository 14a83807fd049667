"""Cost models: how long a computation will take, estimated before it starts.

Each model counts the work a computation cannot avoid, in element operations (integer
array work: permutations, labels) and floating-point operations (dense linear algebra),
and turns the counts into seconds with the throughputs of :mod:`algdiv._limits`
(:func:`~algdiv._limits.estimate_seconds`).  The constants were measured on a 2-core
x86-64 machine with BLAS on one thread; the models are meant to tell seconds from hours,
and are lower bounds where the cost depends on what the computation finds; such
computations also check a :class:`Deadline` while they run.
:func:`~algdiv._limits.check_time` refuses an estimate above the time limit.

=====================  =====================================================  ==========
computation            model                                                  measured
=====================  =====================================================  ==========
pair-orbit labels      ``M^2 (15 k + 15)`` element ops, ``k`` generators      15 s at M = 10^4, k = 2
Schreier-Sims chain    ``>= 10 M |Δ|`` element ops, ``|Δ|`` the largest        6 s at M = 10^4
                       orbit (the first transversal and its inverse); the
                       depth is found while it runs: a :class:`Deadline`
                       stops it at the limit
blind ``discover(X)``  ``3e4 M^3 + 2 n M^2`` flops                             0.38 s, 2.3 s, 11.6 s at
                                                                              M = 64, 128, 256 (n = 10 M)
adaptive-array trial   ``6e4 M^3`` flops + 30 ms                               0.8 s at M = 64
variance-law trial     ``8 (n + 4) M^2`` element ops                          17 ms at M = 256, n = 1
=====================  =====================================================  ==========

Examples
--------
>>> from algdiv._cost import discover_seconds
>>> discover_seconds(n_samples=1000, n_points=32) < 1
True
>>> discover_seconds(n_samples=1000, n_points=1024) > 600
True
"""

from __future__ import annotations

import time

from ._limits import (
    ResourceLimitError,
    check_time,
    estimate_seconds,
    format_seconds,
    get_max_time,
)

__all__ = [
    "Deadline",
    "adaptive_array_seconds",
    "chain_seconds",
    "check_seconds",
    "discover_seconds",
    "pair_orbit_seconds",
    "variance_law_seconds",
]

#: Element operations per entry of the ``M x M`` pair-orbit labels, per generator and fixed
#: (transversal, inverse, stabilizer orbits, the invariance check over every generator).
PAIR_OPS_PER_GENERATOR = 15.0
PAIR_OPS_FIXED = 15.0
#: Element operations per transversal entry of a Schreier-Sims level (the representative,
#: its inverse, the sifts of the verification): a lower bound, the chain's depth unknown.
CHAIN_OPS_PER_ENTRY = 10.0
#: Floating-point operations per ``M^3`` of blind discovery (the candidate searches: many
#: ``M x M`` eigendecompositions and commutator products), refitted on 10·M snapshots at
#: M = 64, 128 and 256 (0.38 s, 2.3 s and 11.6 s on an idle machine): the estimate is
#: 1.0x, 1.4x and 2.2x those, on the safe side (the time grows more slowly than M^3
#: there, so larger M is over-estimated more: a refusal is early, never late).
DISCOVER_FLOPS_PER_M3 = 3.0e4
#: Floating-point operations per ``M^3`` of one adaptive-array trial (MVDR weights and
#: SINR for every estimator and snapshot count), and its fixed cost in seconds.
ADAPTIVE_ARRAY_FLOPS_PER_M3 = 6.0e4
ADAPTIVE_ARRAY_TRIAL_S = 0.03
#: Element operations per ``(n + 4) M^2`` of one variance-law trial (snapshots, the
#: sample covariance, its group average and the two errors).
VARIANCE_LAW_OPS = 8.0


def pair_orbit_seconds(n_points: int, n_generators: int) -> float:
    """Pair-orbit labels of a group given by generators (no closed form)."""
    m2 = float(n_points) ** 2
    return estimate_seconds(
        element_ops=m2 * (PAIR_OPS_PER_GENERATOR * max(n_generators, 1) + PAIR_OPS_FIXED)
    )


def chain_seconds(n_points: int, largest_orbit: int) -> float:
    """A lower bound for a Schreier-Sims stabilizer chain (its first level alone); the
    chain checks a :class:`Deadline` for the rest, whose depth it finds as it goes."""
    return estimate_seconds(
        element_ops=CHAIN_OPS_PER_ENTRY * float(n_points) * float(largest_orbit)
    )


def discover_seconds(n_samples: int, n_points: int) -> float:
    """Blind discovery from ``n_samples`` snapshots of ``n_points`` points."""
    m = float(n_points)
    return estimate_seconds(flops=DISCOVER_FLOPS_PER_M3 * m**3 + 2.0 * n_samples * m * m)


def adaptive_array_seconds(n_sensors: int, trials: int) -> float:
    """The adaptive-array experiment: ``trials`` trials on ``n_sensors`` sensors."""
    m = float(n_sensors)
    per_trial = ADAPTIVE_ARRAY_TRIAL_S + estimate_seconds(flops=ADAPTIVE_ARRAY_FLOPS_PER_M3 * m**3)
    return trials * per_trial


def variance_law_seconds(n_points: int, n_samples: int, trials: int) -> float:
    """The variance-law experiment: ``trials`` trials of ``n_samples`` snapshots."""
    m2 = float(n_points) ** 2
    return trials * estimate_seconds(element_ops=VARIANCE_LAW_OPS * (n_samples + 4) * m2)


def check_seconds(seconds: float, what: str, workers: int = 1) -> None:
    """:func:`~algdiv._limits.check_time` for work spread over ``workers`` processes.

    Examples
    --------
    >>> from algdiv._limits import ResourceLimitError
    >>> try:
    ...     check_seconds(variance_law_seconds(4096, 1, 2000), "variance-law")
    ... except ResourceLimitError as exc:
    ...     print(str(exc).split(" (estimated)")[0])
    variance-law would take about 1.2 h
    """
    check_time(seconds / max(1, workers), what)



class Deadline:
    """The time limit, checked while a computation runs (for work no model can bound).

    Where the cost depends on what the computation finds (a stabilizer chain thousands of
    levels deep, found one level at a time), an estimate before work can only be a lower
    bound.  A deadline started with the computation is checked inside its loop instead:
    :meth:`check` raises :class:`~algdiv._limits.ResourceLimitError` (a ``ValueError``,
    one line: what, how far it got, the limit and how to raise it) once the time spent,
    plus a lower bound of the work still to do, exceeds the limit in force when the
    deadline was started (:func:`~algdiv._limits.get_max_time`).  Wall-clock time, since
    that is what the user waits for.

    Parameters
    ----------
    what : str
        What runs, e.g. ``"the stabilizer chain of G"``.
    limit : float, optional
        Seconds; the limit in force by default.

    Examples
    --------
    >>> from algdiv._cost import Deadline
    >>> from algdiv._limits import ResourceLimitError
    >>> d = Deadline("a long loop", limit=60.0)
    >>> d.check("step 1")                      # well within the limit
    >>> try:
    ...     d.check("step 2", remaining=3600.0)  # the rest would need an hour at least
    ... except ResourceLimitError as exc:
    ...     print(str(exc).split(":")[0])
    a long loop stopped after 0.0 s (step 2; at least 1.0 h more to go)
    """

    def __init__(self, what: str, limit: float | None = None) -> None:
        self.what = what
        self.limit = get_max_time() if limit is None else float(limit)
        self._start = time.perf_counter()

    def elapsed(self) -> float:
        """Seconds since the deadline was started."""
        return time.perf_counter() - self._start

    def check(self, progress: str = "", remaining: float = 0.0) -> None:
        """Raise when the time spent plus ``remaining`` (a lower bound, seconds) exceeds
        the limit; ``progress`` says how far the computation got (in the message)."""
        spent = self.elapsed()
        if spent + remaining <= self.limit:
            return
        notes = [progress] if progress else []
        if remaining > 0 and spent <= self.limit:
            notes.append(f"at least {format_seconds(remaining)} more to go")
        where = f" ({'; '.join(notes)})" if notes else ""
        raise ResourceLimitError(
            f"{self.what} stopped after {format_seconds(spent)}{where}: the time limit is "
            f"{format_seconds(self.limit)} (raise it with algdiv.set_max_time, "
            "ALGDIV_MAX_TIME or --max-time)"
        )
