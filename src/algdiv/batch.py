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

Results travel back as columns rather than as thousands of pickled objects: the
attributes of a task's results are stacked (equal-shaped arrays into one buffer each;
equal groups once, shared by the rebuilt objects, as groups never change), and the client
rebuilds the objects from them.  Unpickling every fitted estimator cost the client
(which has no core of its own when the cluster fills the machine) about a fifth of the
compute; the columns cost it a few per cent.  Objects with their own pickling, or whose
attributes alias one array, travel pickled as they are.

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
from numpy.typing import ArrayLike, NDArray

from ._validation import is_int

__all__ = ["fit_many", "discover_many", "map_problems"]


#: Per-problem items: a sequence, or a stacked array whose leading index is the problem.
Items = Sequence[Any] | NDArray[Any]


def _as_problems(datasets: Any, name: str = "datasets") -> Items:
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


def _run_batch(func: Callable[..., Any], items: Items, args: tuple[Any, ...],
               kwargs: dict[str, Any]) -> list[Any]:
    """Worker side: the serial per-problem code on a batch, BLAS on one thread."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return [func(item, *args, **kwargs) for item in items]


def _run_batch_lean(func: Callable[..., Any], items: Items, args: tuple[Any, ...],
                    kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Worker side for results that travel back: :func:`_run_batch`, then :func:`_pack`."""
    return _pack(_run_batch(func, items, args, kwargs))


def _share_key(value: Any) -> tuple[Any, ...] | None:
    """A key under which equal values may be shared between unpacked results, or ``None``.

    Immutable objects only, so sharing is invisible: a :class:`PermutationGroup` never
    changes once built (its caches are derived from the generators), and two groups with
    the same generators, names and construction behave identically.
    """
    from .groups import PermutationGroup

    if type(value) is not PermutationGroup:
        return None
    try:
        key: tuple[Any, ...] = _frozen(value)
        hash(key)
    except TypeError:  # something unhashable in the construction
        return None
    return key


def _frozen(value: Any) -> Any:
    """Plain hashable data for a group (its construction may hold groups: never compared
    with ``==``, which for groups can mean membership tests)."""
    from .groups import PermutationGroup

    if isinstance(value, PermutationGroup):
        return ("group", value.degree, value.generators.tobytes(), value.name,
                value.short_name, value.expression, _frozen(value.construction),
                value.known_order)
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(_frozen(v) for v in value))
    return value


#: ``__getstate__``/``__setstate__`` known to round-trip an object as its ``__dict__`` (up to
#: stand-ins for groups, which :func:`_pack` ships by their own pickle instead).
_DICT_STATE = {
    ("builtins", "object.__getstate__"),
    ("sklearn.base", "BaseEstimator.__getstate__"),
    ("sklearn.base", "BaseEstimator.__setstate__"),
    ("algdiv.estimation._base", "_MinimalBase.__getstate__"),
    ("algdiv.estimation._base", "_MinimalBase.__setstate__"),
    ("algdiv.estimation._base", "CovarianceEstimator.__getstate__"),
    ("algdiv.estimation._base", "CovarianceEstimator.__setstate__"),
}


def _plain_state(obj: Any) -> bool:
    """Whether ``obj`` pickles as its ``__dict__``: rebuilt by ``cls.__new__`` and a dict
    update, which :func:`_unpack` does without the per-object cost of unpickling."""
    cls = type(obj)
    if not hasattr(obj, "__dict__") or hasattr(cls, "__slots__"):
        return False
    klass: Any = cls  # mypy: the bound and unbound signatures would not compare
    if (klass.__reduce_ex__ is not object.__reduce_ex__
            or klass.__reduce__ is not object.__reduce__):
        return False
    for name in ("__getstate__", "__setstate__"):
        fn = getattr(cls, name, None)
        if fn is None:
            continue
        key = (getattr(fn, "__module__", None) or "builtins", getattr(fn, "__qualname__", ""))
        if key not in _DICT_STATE:
            return False
    return True


def _pack(results: list[Any]) -> tuple[Any, ...]:
    """A batch of results of one class, as columns that pickle cheaply.

    Results travel back from the workers; thousands of small fitted estimators cost the
    client (which has no core of its own here) more to unpickle than the workers spend
    computing them.  Their attributes go back as columns instead: equal-shaped arrays
    stacked into one buffer, shareable objects (groups) once with an index, anything
    else as a list.  :func:`_unpack` rebuilds objects whose arrays are bitwise the same.
    Anything not of that shape travels as it is.
    """
    if not results:
        return ("list", results)
    cls = type(results[0])
    if any(type(r) is not cls for r in results) or not _plain_state(results[0]):
        return ("list", results)
    dicts = [vars(r) for r in results]
    keys = list(dicts[0])
    if any(list(d) != keys for d in dicts) or any(_shares_arrays(d) for d in dicts):
        return ("list", results)
    columns: list[tuple[str, Any]] = []
    for key in keys:
        values = [d[key] for d in dicts]
        first = values[0]
        if (type(first) is np.ndarray and first.dtype != object
                and all(type(v) is np.ndarray and v.shape == first.shape
                        and v.dtype == first.dtype for v in values)):
            columns.append(("stack", np.stack(values)))
        elif (shares := [_share_key(v) for v in values]) and None not in shares:
            uniques: dict[tuple[Any, ...], int] = {}
            index = np.empty(len(values), dtype=np.int64)
            objects: list[Any] = []
            for k, (v, share) in enumerate(zip(values, shares)):
                assert share is not None
                if share not in uniques:
                    uniques[share] = len(objects)
                    objects.append(v)
                index[k] = uniques[share]
            columns.append(("shared", (objects, index)))
        else:
            columns.append(("list", values))
    return ("columns", cls, keys, columns, len(results))


def _shares_arrays(state: dict[str, Any]) -> bool:
    """Whether two attributes hold the same array (pickling keeps that; columns would not)."""
    arrays = [id(v) for v in state.values() if isinstance(v, np.ndarray)]
    return len(set(arrays)) != len(arrays)


def _unpack(packed: tuple[Any, ...]) -> list[Any]:
    """The results of :func:`_pack`, as objects again.

    Each array is a writeable view of its column's stack (a copy per array would cost the
    client more than the unpickling saved); a result kept alone keeps its task's stack
    alive, which is at most one task's share of the results.
    """
    if packed[0] == "list":
        return list(packed[1])
    _, cls, keys, columns, n = packed
    per_key: list[Sequence[Any]] = []
    for kind, data in columns:
        if kind == "stack":
            stack = data if data.flags.writeable else data.copy()
            per_key.append(list(stack))
        elif kind == "shared":
            objects, index = data
            per_key.append([objects[int(i)] for i in index])
        else:
            per_key.append(data)
    out = []
    for k in range(n):
        obj = cls.__new__(cls)
        obj.__dict__.update({key: values[k] for key, values in zip(keys, per_key)})
        out.append(obj)
    return out


def _check_n_jobs(n_jobs: Any) -> int | None:
    if n_jobs is None:
        return None
    if not is_int(n_jobs) or n_jobs == 0:
        raise ValueError(f"n_jobs must be None, a positive int or -1 (all cores), got {n_jobs!r}")
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + int(n_jobs))
    return int(n_jobs)


def _batches(items: Items, n_workers: int, batch_size: int | None) -> list[Any]:
    if batch_size is None:
        # a few tasks per worker: balances load, keeps the per-task overhead small
        batch_size = max(1, math.ceil(len(items) / (4 * max(1, n_workers))))
    elif not is_int(batch_size) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int or None, got {batch_size!r}")
    return [items[i : i + batch_size] for i in range(0, len(items), int(batch_size))]


def map_problems(
    func: Callable[..., Any],
    items: Items,
    *args: Any,
    client: Any = None,
    n_jobs: int | None = None,
    batch_size: int | None = None,
    **kwargs: Any,
) -> list[Any]:
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
            delayed(_run_batch_lean)(func, b, args, kwargs) for b in batches
        )
        return [r for part in out for r in _unpack(part)]
    if isinstance(client, str):
        if client != "local":
            raise ValueError(
                f"client must be a dask.distributed.Client, 'local' or None, got {client!r}"
            )
        from distributed import Client, LocalCluster

        workers = n_jobs or (os.cpu_count() or 1)
        with LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster, Client(cluster) as local:  # type: ignore[no-untyped-call]
            return _on_client(local, func, items, args, kwargs, batch_size)
    if not hasattr(client, "submit") or not hasattr(client, "gather"):
        raise TypeError(
            "client must be a dask.distributed.Client, 'local' or None, "
            f"got {type(client).__name__}"
        )
    return _on_client(client, func, items, args, kwargs, batch_size)


def _on_client(client: Any, func: Callable[..., Any], items: Items,
               args: tuple[Any, ...], kwargs: dict[str, Any], batch_size: int | None) -> list[Any]:
    from distributed import as_completed

    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    batches = _batches(items, n_workers, batch_size)
    # Batch by batch: each batch's data go to a worker (scatter, not through the task
    # graph) and its task is submitted at once, so the first tasks compute while the
    # rest of the data travel; results are unpacked as they arrive, while later tasks
    # still run.  pure=False: equal batches (e.g. repeated datasets) run as their own tasks.
    futures = []
    for batch in batches:
        [sent] = client.scatter([batch], hash=False)
        futures.append(client.submit(_run_batch_lean, func, sent, args, kwargs, pure=False))
    position = {future.key: k for k, future in enumerate(futures)}
    parts: list[list[Any]] = [[] for _ in futures]
    # (the loop of this client: it need not be the default one)
    done = as_completed(futures, loop=client.loop, with_results=True)  # type: ignore[no-untyped-call]
    for future, packed in done:
        parts[position[future.key]] = _unpack(packed)
    return [r for part in parts for r in part]


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
) -> list[Any]:
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


def _discover_one(X: ArrayLike, kwargs: dict[str, Any]) -> Any:
    from .discovery import discover

    return discover(X, **kwargs)


def discover_many(
    datasets: Sequence[ArrayLike] | np.ndarray,
    *,
    client: Any = None,
    n_jobs: int | None = None,
    batch_size: int | None = None,
    **discover_kwargs: Any,
) -> list[Any]:
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
