"""Many problems at once: fit one estimator, or discover a group, for each of many datasets.

One covariance per subcarrier, per subject, per attention head, per Monte Carlo trial:
:func:`fit_many` and :func:`discover_many` take a list of datasets (or a stacked array
``(n_problems, n_samples, M)``, as pyRiemann stacks covariances) and run the *serial*
per-problem code on every one of them.  The engine only maps that code:

* ``client=None, n_jobs=None`` (or ``1``): a loop in this process;
* ``n_jobs=k``: :mod:`joblib` with ``k`` worker processes (``-1``: one per core);
* ``client=`` a :class:`dask.distributed.Client`: the tasks run on its cluster;
  ``client="local"`` starts a :class:`dask.distributed.LocalCluster` (``n_jobs`` workers,
  one thread each) and closes it afterwards.

Problems are grouped into a fixed number of tasks per worker (``batch_size``) so that
thousands of small problems do not pay the scheduler's per-task cost one by one; the
grouping never changes a result.  Inside every task BLAS is pinned to one thread
(:func:`threadpoolctl.threadpool_limits`), as it is in the serial loop here, so the
results are bitwise equal whatever engine, number of workers or batch size is used.

Functions
---------
fit_many       fitted clones of an estimator, one per dataset
discover_many  a :class:`~algdiv.discovery.Discovery` report per dataset
map_problems   the engine: apply a picklable function to each item, in order
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import is_int

__all__ = ["fit_many", "discover_many", "map_problems"]


def _as_problems(datasets: Any, name: str = "datasets") -> list | np.ndarray:
    """Per-problem datasets: a list, or a stacked array kept whole (batches are its slices,
    which travel as one buffer each)."""
    if isinstance(datasets, np.ndarray):
        if datasets.ndim != 3:
            raise ValueError(
                f"{name} as an array must be stacked (n_problems, n_samples, M), "
                f"got shape {datasets.shape}"
            )
        return datasets
    if isinstance(datasets, (list, tuple)):
        return list(datasets)
    raise TypeError(
        f"{name} must be a list of arrays or a stacked array (n_problems, n_samples, M), "
        f"got {type(datasets).__name__}"
    )


def _run_batch(func: Callable, items: Sequence, args: tuple, kwargs: dict) -> list:
    """Worker side: the serial per-problem code on a batch, BLAS on one thread."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return [func(item, *args, **kwargs) for item in items]


def _check_n_jobs(n_jobs: Any) -> int | None:
    if n_jobs is None:
        return None
    if not is_int(n_jobs) or n_jobs == 0:
        raise ValueError(f"n_jobs must be None, a positive int or -1 (all cores), got {n_jobs!r}")
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + int(n_jobs))
    return int(n_jobs)


def _batches(items: Sequence, n_workers: int, batch_size: int | None) -> list:
    if batch_size is None:
        # a few tasks per worker: balances load, keeps the per-task overhead small
        batch_size = max(1, math.ceil(len(items) / (4 * max(1, n_workers))))
    elif not is_int(batch_size) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int or None, got {batch_size!r}")
    return [items[i : i + batch_size] for i in range(0, len(items), int(batch_size))]


def map_problems(
    func: Callable,
    items: Sequence,
    *args: Any,
    client: Any = None,
    n_jobs: int | None = None,
    batch_size: int | None = None,
    **kwargs: Any,
) -> list:
    """``[func(item, *args, **kwargs) for item in items]`` on the chosen engine, in order.

    ``func`` must be picklable (a module-level function) for the parallel engines.
    Items are sent in batches (``batch_size`` items per task; default about four tasks
    per worker); each task runs with BLAS on one thread, so results equal the serial
    loop bitwise.

    Parameters
    ----------
    func : callable
        The per-item code.
    items : sequence or ndarray
        One entry per problem (an array: one per leading index; its batches are sent
        as slices, one buffer each).
    *args, **kwargs
        Passed to every call.
    client : dask.distributed.Client, "local" or None
        Run on this client's cluster; ``"local"`` starts a LocalCluster with ``n_jobs``
        workers (default: one per core) of one thread each and closes it afterwards.
    n_jobs : int or None
        Without a client: joblib worker processes (``None`` or ``1``: this process;
        ``-1``: one per core).
    batch_size : int or None
        Items per task.

    Returns
    -------
    list
        The results in the order of ``items``.

    Examples
    --------
    >>> map_problems(divmod, [7, 9, 11], 4)
    [(1, 3), (2, 1), (2, 3)]
    >>> map_problems(divmod, [7, 9, 11], 4, n_jobs=2, batch_size=1)
    [(1, 3), (2, 1), (2, 3)]
    """
    if not isinstance(items, np.ndarray):
        items = list(items)  # an array stays whole: its batches are slices
    n_jobs = _check_n_jobs(n_jobs)
    if client is None:
        if n_jobs is None or n_jobs == 1 or len(items) <= 1:
            return _run_batch(func, items, args, kwargs)
        from joblib import Parallel, delayed

        batches = _batches(items, n_jobs, batch_size)
        out = Parallel(n_jobs=n_jobs)(
            delayed(_run_batch)(func, b, args, kwargs) for b in batches
        )
        return [r for part in out for r in part]
    if isinstance(client, str):
        if client != "local":
            raise ValueError(
                f"client must be a dask.distributed.Client, 'local' or None, got {client!r}"
            )
        from distributed import Client, LocalCluster

        workers = n_jobs or (os.cpu_count() or 1)
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster, Client(cluster) as local:
            return _on_client(local, func, items, args, kwargs, batch_size)
    if not hasattr(client, "submit") or not hasattr(client, "gather"):
        raise TypeError(
            "client must be a dask.distributed.Client, 'local' or None, "
            f"got {type(client).__name__}"
        )
    return _on_client(client, func, items, args, kwargs, batch_size)


def _on_client(client: Any, func: Callable, items: Sequence, args: tuple, kwargs: dict,
               batch_size: int | None) -> list:
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    batches = _batches(items, n_workers, batch_size)
    # The data go straight to the workers (scatter), not through the task graph;
    # pure=False: equal batches (e.g. repeated datasets) still run as their own tasks.
    sent = client.scatter(batches, hash=False)
    futures = [client.submit(_run_batch, func, b, args, kwargs, pure=False) for b in sent]
    out = client.gather(futures)
    return [r for part in out for r in part]


def _clone(estimator: Any) -> Any:
    try:
        from sklearn.base import clone
    except ImportError:  # pragma: no cover - without scikit-learn
        return type(estimator)(**estimator.get_params())
    return clone(estimator)


def _fit_one(X: ArrayLike, estimator: Any) -> Any:
    return _clone(estimator).fit(X)


def fit_many(
    estimator: Any,
    datasets: Sequence[ArrayLike] | np.ndarray,
    *,
    client: Any = None,
    n_jobs: int | None = None,
    batch_size: int | None = None,
) -> list:
    """Fit a clone of ``estimator`` to every dataset: ``[clone(estimator).fit(X) for X in datasets]``.

    Parameters
    ----------
    estimator : estimator
        Any scikit-learn style estimator (``get_params``, ``fit``); it is not modified
        (each problem gets :func:`sklearn.base.clone` of it).
    datasets : list of array_like, or ndarray (n_problems, n_samples, M)
        One dataset per problem (their sizes may differ in a list).
    client : dask.distributed.Client, "local" or None
        See :func:`map_problems`.
    n_jobs : int or None
        joblib processes without a client (``None``: serial), or the LocalCluster's
        workers with ``client="local"``.
    batch_size : int or None
        Problems per task (default about four tasks per worker).

    Returns
    -------
    list of fitted estimators
        In the order of ``datasets``; bitwise equal whatever the engine.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv import GroupCovariance
    >>> from algdiv.batch import fit_many
    >>> data = np.random.default_rng(0).standard_normal((3, 20, 4))   # 3 problems
    >>> fits = fit_many(GroupCovariance("cyclic"), data)
    >>> len(fits), fits[0].covariance_.shape
    (3, (4, 4))
    >>> again = fit_many(GroupCovariance("cyclic"), data, n_jobs=2)
    >>> all(np.array_equal(a.covariance_, b.covariance_) for a, b in zip(fits, again))
    True
    """
    if not (hasattr(estimator, "fit") and hasattr(estimator, "get_params")):
        raise TypeError(
            "estimator must be a scikit-learn style estimator (fit, get_params), "
            f"got {type(estimator).__name__}"
        )
    problems = _as_problems(datasets)
    return map_problems(_fit_one, problems, estimator, client=client, n_jobs=n_jobs,
                        batch_size=batch_size)


def _discover_one(X: ArrayLike, kwargs: dict) -> Any:
    from .discovery import discover

    return discover(X, **kwargs)


def discover_many(
    datasets: Sequence[ArrayLike] | np.ndarray,
    *,
    client: Any = None,
    n_jobs: int | None = None,
    batch_size: int | None = None,
    **discover_kwargs: Any,
) -> list:
    """Discover the matched group of every dataset: ``[discover(X, **kw) for X in datasets]``.

    Parameters
    ----------
    datasets : list of array_like, or ndarray (n_problems, n_samples, M)
        Snapshots per problem (rows are snapshots).
    client, n_jobs, batch_size
        As in :func:`fit_many`.
    **discover_kwargs
        Passed unchanged to :func:`algdiv.discover` for every problem (``ambient``,
        ``level``, ``n_boot``, ``rng`` as an int seed...).  A ``numpy.random.Generator``
        is refused: its state would be shared between problems, so the results would
        depend on the order in which they run.

    Returns
    -------
    list of Discovery
        In the order of ``datasets``.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.batch import discover_many
    >>> from algdiv.groups import cyclic
    >>> rng = np.random.default_rng(1)
    >>> data = rng.standard_normal((2, 400, 4))
    >>> reports = discover_many(data, ambient=cyclic(4), n_boot=20)
    >>> [r.group.order for r in reports]
    [4, 4]
    """
    if isinstance(discover_kwargs.get("rng"), np.random.Generator):
        raise TypeError(
            "rng must be an int seed or None in discover_many (every problem uses it as "
            "given); a numpy Generator would share its state between problems"
        )
    if "X" in discover_kwargs or "R" in discover_kwargs:
        raise TypeError("discover_many takes the data as datasets, not X= or R=")
    problems = _as_problems(datasets)
    return map_problems(_discover_one, problems, discover_kwargs, client=client,
                        n_jobs=n_jobs, batch_size=batch_size)
