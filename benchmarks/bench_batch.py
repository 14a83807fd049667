"""Scale on dask: streaming large n, many problems on a cluster, and the extrapolation.

1. **Streaming n** (M = 64, ``D_64``, ``X`` generated lazily by ``dask.array.random`` in
   blocks of 65 536 rows, never materialized): ``GroupCovariance.fit`` (one pass, with
   and without mean removal) and ``SymmetryShrinkage.fit`` with the plug-in weight (one
   pass: Σ x xᴴ, Σ ‖x‖⁴ and the per-orbit fourth moments together) for n = 10⁵ … 10⁷,
   against
   * the one-pass floor: one read of ``X`` (``X.sum()``, which generates and touches every
     block once),
   * dask.array's own reduction for the same sum (``(X.T @ X).compute()``, the strongest
     peer for ``Σ x xᴴ``),
   * NumPy on the in-memory array (where ``X`` fits in 1 GiB), the same estimators.
   Peak memory (tracemalloc: the NumPy and Python allocations) beside the size of ``X``
   and of one block.  The same fits again from a ``.npy`` memmap in the page cache, where
   the floor is a plain read rather than random generation.
2. **Many problems**: 10 000 problems of M = 32 (64 snapshots each), ``GroupCovariance``
   with the dihedral group, by ``algdiv.batch.fit_many`` on a LocalCluster with 1 and 2
   worker processes (one thread each) and on joblib, against the serial loop
   ``[clone(est).fit(X) for X in data]``; every result checked bitwise equal to it.
3. **Beyond this machine**: compute time and bytes moved per task at 1 and 2 workers, an
   Amdahl fit ``T(W) = s + p/W`` from them, extrapolated to 8–64 workers, beside the
   limits (scheduler overhead per task, bytes through the client).  The plan is written
   up in ``docs/scale_dask.md``.

BLAS runs on one thread in every contender (this machine has 2 cores shared with other
work; the load average is recorded with the results, which are noisy for that reason).

Run: ``python benchmarks/bench_batch.py [--quick]``; writes ``results/batch.json``
(``--quick`` prints and writes nothing).
"""

# ruff: noqa: E402, B023  (BLAS pinned before numpy is imported; lambdas run at once)
from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import gc
import json
import pickle
import tempfile
import time
import tracemalloc
from pathlib import Path

import dask
import dask.array as da
import numpy as np
from _timing import write_results
from distributed import Client, LocalCluster
from sklearn.base import clone

from algdiv.batch import _pack, _unpack, fit_many
from algdiv.commutant import _project
from algdiv.estimation import GroupCovariance, SymmetryShrinkage
from algdiv.estimation._streaming import _raw_part
from algdiv.groups import dihedral

M_STREAM = 64
BLOCK_ROWS = 65_536
IN_MEMORY_LIMIT = 2**30


def _timed(fn) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _best(fn, repeat: int = 3) -> float:
    return min(_timed(fn)[0] for _ in range(repeat))


def _peak(fn) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _lazy(n: int):
    return da.random.RandomState(0).standard_normal((n, M_STREAM), chunks=(BLOCK_ROWS, M_STREAM))


def bench_stream(sizes: list[int], shrink_sizes: list[int]) -> list[dict]:
    G = dihedral(M_STREAM)
    G.pair_orbits()
    from algdiv._progress import progress

    rows = []
    for n in progress(sizes, "stream sizes", unit="size"):
        X = _lazy(n)
        x_bytes = n * M_STREAM * 8
        block_bytes = BLOCK_ROWS * M_STREAM * 8
        rec = {"n": n, "M": M_STREAM, "x_bytes": x_bytes, "block_bytes": block_bytes,
               "blocks": int(X.numblocks[0])}
        rep = 3 if n <= 10**6 else 1  # best of rep: the machine is shared
        rec["floor_one_read_s"] = _best(lambda: float(X.sum().compute()), rep)
        rec["group_cov_s"] = _best(lambda: GroupCovariance(G, assume_centered=True).fit(X), rep)
        est = GroupCovariance(G, assume_centered=True).fit(X) if rep > 1 else None
        rec["group_cov_centred_s"] = _best(lambda: GroupCovariance(G).fit(X), rep)
        rec["dask_matmul_peer_s"] = _best(lambda: _project((X.T @ X).compute() / n, G), rep)
        peer = _project((X.T @ X).compute() / n, G) if rep > 1 else None
        if est is not None:
            rec["max_diff_vs_dask_peer"] = float(np.abs(peer - est.covariance_).max())
        rec["group_cov_peak_bytes"] = _peak(lambda: GroupCovariance(G, assume_centered=True).fit(X))
        if n in shrink_sizes:
            rec["shrinkage_s"], sh = _timed(lambda: SymmetryShrinkage(G, assume_centered=True)
                                            .fit(X))
            rec["shrinkage_rho"] = sh.shrinkage_
            if n <= 10**6:
                rec["shrinkage_peak_bytes"] = _peak(
                    lambda: SymmetryShrinkage(G, assume_centered=True).fit(X))
        if x_bytes <= IN_MEMORY_LIMIT:
            Xn = X.compute()
            rec["numpy_group_cov_s"], ref = _timed(
                lambda: GroupCovariance(G, assume_centered=True).fit(Xn))
            if est is not None:
                rec["max_diff_vs_numpy"] = float(np.abs(ref.covariance_ - est.covariance_).max())
            rec["numpy_group_cov_peak_bytes"] = x_bytes + _peak(
                lambda: GroupCovariance(G, assume_centered=True).fit(Xn))
            if n in shrink_sizes:
                rec["numpy_shrinkage_s"], shn = _timed(
                    lambda: SymmetryShrinkage(G, assume_centered=True).fit(Xn))
                rec["shrinkage_rho_numpy"] = shn.shrinkage_
            del Xn
        rec["group_cov_over_floor"] = rec["group_cov_s"] / rec["floor_one_read_s"]
        rec["group_cov_over_dask_peer"] = rec["group_cov_s"] / rec["dask_matmul_peer_s"]
        rec["peak_over_block"] = rec["group_cov_peak_bytes"] / block_bytes
        print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v)
                          for k, v in rec.items()}))
        rows.append(rec)
    return rows


def bench_stream_memmap(sizes: list[int]) -> list[dict]:
    """The same fits from a ``.npy`` memmap (page cache): the floor is then a plain read."""
    G = dihedral(M_STREAM)
    rows = []
    from algdiv._progress import progress

    with tempfile.TemporaryDirectory() as tmp:
        for n in progress(sizes, "memmap sizes", unit="size"):
            path = Path(tmp) / f"x_{n}.npy"
            mm = np.lib.format.open_memmap(path, mode="w+", dtype=float, shape=(n, M_STREAM))
            rng = np.random.default_rng(1)
            for a in range(0, n, BLOCK_ROWS):
                b = min(n, a + BLOCK_ROWS)
                mm[a:b] = rng.standard_normal((b - a, M_STREAM))
            mm.flush()
            del mm
            X = da.from_array(np.load(path, mmap_mode="r"), chunks=(BLOCK_ROWS, M_STREAM))
            float(X.sum().compute())  # into the page cache
            rec = {"n": n, "source": "npy memmap"}
            rec["floor_one_read_s"] = _best(lambda: float(X.sum().compute()))
            rec["group_cov_s"] = _best(lambda: GroupCovariance(G, assume_centered=True).fit(X))
            rec["dask_matmul_peer_s"] = _best(lambda: (X.T @ X).compute())
            rec["group_cov_over_floor"] = rec["group_cov_s"] / rec["floor_one_read_s"]
            rec["group_cov_over_dask_peer"] = rec["group_cov_s"] / rec["dask_matmul_peer_s"]
            print(json.dumps(rec))
            rows.append(rec)
            X = None  # release the memmap before the file goes
            path.unlink()
    return rows


def _same(a: list, b: list) -> bool:
    return all(np.array_equal(x.covariance_, y.covariance_)
               and np.array_equal(x.precision_, y.precision_) for x, y in zip(a, b))


def _cpu() -> float:
    """CPU seconds of this process (all its threads): runs on the workers through client.run."""
    return time.process_time()


def bench_many(n_problems: int, m: int = 32, n_samples: int = 64, rounds: int = 3) -> dict:
    """Serial loop, LocalCluster (1 and 2 workers) and joblib, alternating; best round kept.

    The clusters are started (and their workers have imported algdiv) before the timed
    region, as a user with a running cluster would have them; their start-up time is
    reported apart.  Beside the wall times, the CPU seconds spent by the client process
    (which holds the scheduler) and by each worker, which do not depend on what else
    runs on the machine: their sum over the serial loop's CPU time is the overhead of
    distributing, and ``serial CPU / (busiest worker + client)`` is the speedup a quiet
    machine with one core per process would give.
    """
    data = np.random.default_rng(0).standard_normal((n_problems, n_samples, m))
    est = GroupCovariance("dihedral")
    out = {"n_problems": n_problems, "M": m, "n_samples": n_samples, "rounds": rounds,
           "estimator": "GroupCovariance('dihedral')", "bitwise_equal": {},
           "workers_started_before_timing": True}
    ref = [clone(est).fit(X) for X in data]
    out["bytes_in_per_problem"] = len(pickle.dumps(data[0], protocol=5))
    out["bytes_out_per_problem_plain_pickle"] = len(pickle.dumps(ref[0], protocol=5))
    packed = _pack(ref[:200])
    out["bytes_out_per_problem"] = len(pickle.dumps(packed, protocol=5)) / 200
    # what the client does alone, per problem: serialize the input, deserialize the result
    t_ser, blob = _timed(lambda: (pickle.dumps(data[:200], protocol=5),
                                  pickle.dumps(packed, protocol=5)))
    t_de, _ = _timed(lambda: _unpack(pickle.loads(blob[1])))
    out["client_serialize_per_problem_s"] = (t_ser + t_de) / 200
    t_plain, _ = _timed(lambda: pickle.loads(pickle.dumps(ref[:200], protocol=5)))
    out["client_serialize_per_problem_plain_pickle_s"] = t_plain / 200
    clusters = {}
    for workers in (1, 2):
        start = time.perf_counter()
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0")
        client = Client(cluster, set_as_default=False)
        fit_many(est, data[:50], client=client)  # workers import algdiv once
        out[f"cluster_{workers}_startup_s"] = time.perf_counter() - start
        clusters[workers] = (cluster, client)
    fit_many(est, data[:50], n_jobs=2)  # start joblib's worker pool (kept warm by loky)
    runs = {
        "serial_loop": lambda: [clone(est).fit(X) for X in data],
        "fit_many_serial": lambda: fit_many(est, data),
        "cluster_1": lambda: fit_many(est, data, client=clusters[1][1]),
        "cluster_2": lambda: fit_many(est, data, client=clusters[2][1]),
        "joblib_2": lambda: fit_many(est, data, n_jobs=2),
    }
    best = dict.fromkeys(runs, np.inf)
    cpu: dict[str, dict] = {}
    load = []
    try:
        for _ in range(rounds):
            load.append(os.getloadavg()[0])
            for name, fn in runs.items():
                client = clusters[int(name[-1])][1] if name.startswith("cluster") else None
                w0 = client.run(_cpu) if client is not None else {}
                c0 = _cpu()
                t, got = _timed(fn)
                c1 = _cpu()
                w1 = client.run(_cpu) if client is not None else {}
                if t < best[name]:
                    best[name] = t
                    cpu[name] = {"client_s": c1 - c0,
                                 "workers_s": sorted(w1[k] - w0[k] for k in w0)}
                if name != "serial_loop":
                    out["bitwise_equal"][name] = _same(got, ref)
                del got
    finally:
        for cluster, client in clusters.values():
            client.close()
            cluster.close()
    out["load_average_during"] = load
    for name, t in best.items():
        out[f"{name}_s"] = t
    out["cpu_s"] = cpu
    serial_cpu = cpu["serial_loop"]["client_s"]
    for name in ("cluster_1", "cluster_2"):
        c = cpu[name]
        out[f"{name}_cpu_overhead"] = (c["client_s"] + sum(c["workers_s"])) / serial_cpu
    c2 = cpu["cluster_2"]
    out["cluster_2_cpu_bound_speedup"] = serial_cpu / (max(c2["workers_s"]) + c2["client_s"] / 2)
    out["compute_per_problem_s"] = best["serial_loop"] / n_problems
    out["speedup_cluster_2"] = best["serial_loop"] / best["cluster_2"]
    out["speedup_joblib_2"] = best["serial_loop"] / best["joblib_2"]
    out["target_speedup"] = 1.6
    return out


def summary_many(many: dict) -> str:
    """The lines the lead reads: the ratio, the target, the conditions."""
    load = ", ".join(f"{x:.1f}" for x in many["load_average_during"])
    return "\n".join([
        f"many problems: {many['n_problems']:,} x M = {many['M']} ({many['estimator']}), "
        f"best of {many['rounds']} interleaved rounds; workers started before the timed "
        f"region (start-up {many['cluster_2_startup_s']:.1f} s, not timed)",
        f"  serial loop {many['serial_loop_s']:.2f} s | LocalCluster 2 workers "
        f"{many['cluster_2_s']:.2f} s | joblib 2 {many['joblib_2_s']:.2f} s",
        f"  SPEEDUP LocalCluster(2) / serial loop = {many['speedup_cluster_2']:.2f}x "
        f"(target >= {many['target_speedup']}x: "
        f"{'met' if many['speedup_cluster_2'] >= many['target_speedup'] else 'NOT met'}); "
        f"joblib {many['speedup_joblib_2']:.2f}x",
        f"  CPU: distributing costs {many['cluster_2_cpu_overhead']:.2f}x the serial CPU "
        f"seconds; CPU-bound speedup on a quiet 2-core machine "
        f"{many['cluster_2_cpu_bound_speedup']:.2f}x; bitwise equal: "
        f"{all(many['bitwise_equal'].values())}; load average (1 min) during the rounds: "
        f"{load} on {os.cpu_count()} cores",
    ])


def bench_stream_cluster(n: int) -> dict:
    """Streaming GroupCovariance on 1 and 2 worker processes; per-block cost and bytes."""
    G = dihedral(M_STREAM)
    X = _lazy(n)
    block = X.blocks[0].compute()
    t_block = min(_timed(lambda: _raw_part(block))[0] for _ in range(5))
    t_gen = min(_timed(lambda: _lazy(BLOCK_ROWS).compute())[0] for _ in range(3))
    out = {"n": n, "M": M_STREAM, "blocks": int(X.numblocks[0]),
           "block_bytes": BLOCK_ROWS * M_STREAM * 8,
           "partial_bytes": len(pickle.dumps(_raw_part(block), protocol=5)),
           "compute_per_block_s": t_block, "generate_per_block_s": t_gen}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster, Client(cluster):
            GroupCovariance(G, assume_centered=True).fit(_lazy(BLOCK_ROWS * 2))
            t, _ = _timed(lambda: GroupCovariance(G, assume_centered=True).fit(X))
            out[f"cluster_{workers}_s"] = t
    return out


WORKERS = (1, 2, 8, 16, 32, 64)
#: Assumed for the extrapolation (a typical cluster): client/scheduler network bandwidth and
#: the scheduler's cost per task (dask's documentation: about 1 ms of overhead per task).
BANDWIDTH = 1.0e9
TASK_OVERHEAD = 1.0e-3


def amdahl(t1: float, t2: float) -> dict:
    """``T(W) = s + p/W`` through the two measurements (``p`` clipped at 0)."""
    p = max(2.0 * (t1 - t2), 0.0)
    s = t1 - p
    return {"serial_part_s": s, "parallel_part_s": p,
            "predicted_s": {str(w): s + p / w for w in WORKERS}}


def model_many(many: dict) -> dict:
    """Per-problem costs: compute c in parallel; client serialization and bytes in series.

    ``T(W) = n (c / W + z) + tasks(W) · o + n · bytes / B``: ``z`` the client's
    serialization per problem, ``o`` the scheduler's cost per task (4 tasks per worker),
    ``B`` the network bandwidth.  The limit is ``n (z + bytes/B)`` however many workers.
    """
    n, c = many["n_problems"], many["compute_per_problem_s"]
    z = many["client_serialize_per_problem_s"]
    nbytes = many["bytes_in_per_problem"] + many["bytes_out_per_problem"]
    pred = {str(w): n * (c / w + z + nbytes / BANDWIDTH) + 4 * w * TASK_OVERHEAD
            for w in WORKERS}
    return {"predicted_s": pred, "limit_s": n * (z + nbytes / BANDWIDTH),
            "measured_s": {"1": many["cluster_1_s"], "2": many["cluster_2_s"]},
            "bytes_per_problem": nbytes, "bandwidth_assumed": BANDWIDTH,
            "task_overhead_assumed_s": TASK_OVERHEAD}


def model_stream(sc: dict, n_target: int = 10**9) -> dict:
    """Blocks are read and reduced where they live; only M × M partials travel.

    ``T(W) = blocks (r + c) / W + blocks · o + depth · partial / B`` with ``r`` the read
    (here: generation) and ``c`` the Gram product of one block; extrapolated to
    ``n_target`` rows.  The limit is the aggregate read bandwidth of the workers, then
    the scheduler (``blocks · o``).
    """
    blocks = int(np.ceil(n_target / BLOCK_ROWS))
    per_block = sc["compute_per_block_s"] + sc["generate_per_block_s"]
    depth = int(np.ceil(np.log(blocks) / np.log(8)))
    pred = {str(w): blocks * per_block / w + blocks * TASK_OVERHEAD
            + depth * sc["partial_bytes"] / BANDWIDTH for w in WORKERS}
    return {"n_target": n_target, "blocks": blocks, "predicted_s": pred,
            "bytes_moved_total": blocks * sc["partial_bytes"],
            "bytes_read_total": n_target * M_STREAM * 8,
            "scheduler_floor_s": blocks * TASK_OVERHEAD}


def _mb(nbytes: float) -> str:
    return f"{nbytes / 2**20:,.0f} MiB"


def tables(payload: dict) -> str:
    """The Markdown tables of docs/scale_dask.md, from the JSON."""
    lines = ["Streaming, M = 64, `D_64`, X generated lazily by `dask.array.random` in blocks of "
             f"{BLOCK_ROWS:,} rows ({_mb(BLOCK_ROWS * M_STREAM * 8)}):", "",
             "| n | X | one read (floor) | GroupCovariance | ÷ floor | dask `X.T @ X` | "
             "ours ÷ dask | SymmetryShrinkage (plug-in) | peak memory | NumPy in memory: fit, "
             "peak (with X) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in payload["stream"]:
        shr = f"{r['shrinkage_s']:.1f} s" if "shrinkage_s" in r else "–"
        if "numpy_group_cov_s" in r:
            npy = (f"{r['numpy_group_cov_s']:.2f} s, {_mb(r['numpy_group_cov_peak_bytes'])}"
                   + (f"; shrinkage {r['numpy_shrinkage_s']:.1f} s"
                      if "numpy_shrinkage_s" in r else ""))
        else:
            npy = "not tried (X over 1 GiB)"
        lines.append(
            f"| {r['n']:.0e} | {_mb(r['x_bytes'])} | {r['floor_one_read_s']:.2f} s | "
            f"{r['group_cov_s']:.2f} s | {r['group_cov_over_floor']:.2f} | "
            f"{r['dask_matmul_peer_s']:.2f} s | {r['group_cov_over_dask_peer']:.2f} | {shr} | "
            f"{_mb(r['group_cov_peak_bytes'])} ({r['peak_over_block']:.1f} blocks) | {npy} |")
    lines += ["", "The same fit from a `.npy` memmap already in the page cache (the floor is then a "
              "plain read):", "",
              "| n | one read (floor) | GroupCovariance | ÷ floor | dask `X.T @ X` | ours ÷ dask |",
              "|---|---|---|---|---|---|"]
    for r in payload.get("stream_memmap", []):
        lines.append(f"| {r['n']:.0e} | {r['floor_one_read_s']:.2f} s | {r['group_cov_s']:.2f} s "
                     f"| {r['group_cov_over_floor']:.1f} | {r['dask_matmul_peer_s']:.2f} s | "
                     f"{r['group_cov_over_dask_peer']:.2f} |")
    m = payload["many"]
    lines += ["", f"Many problems: {m['n_problems']:,} problems of M = {m['M']} "
              f"({m['n_samples']} snapshots each), {m['estimator']}, best of {m['rounds']} "
              "alternating rounds:", "",
              "| engine | time | speedup over the serial loop | bitwise equal |",
              "|---|---|---|---|",
              f"| serial loop `[clone(est).fit(X) for X in data]` | {m['serial_loop_s']:.1f} s | 1 | – |"]
    for key, label in (("fit_many_serial", "`fit_many(est, data)` (serial)"),
                       ("cluster_1", "`fit_many(..., client=)`, LocalCluster 1 worker"),
                       ("cluster_2", "`fit_many(..., client=)`, LocalCluster 2 workers"),
                       ("joblib_2", "`fit_many(..., n_jobs=2)` (joblib)")):
        lines.append(f"| {label} | {m[key + '_s']:.1f} s | "
                     f"{m['serial_loop_s'] / m[key + '_s']:.2f} | {m['bitwise_equal'][key]} |")
    lines += ["", f"Cluster start-up (not in the times): {m['cluster_1_startup_s']:.1f} s "
              f"(1 worker), {m['cluster_2_startup_s']:.1f} s (2 workers). Load average of the "
              f"machine (2 cores, shared): {', '.join(f'{x:.1f}' for x in payload.get('load_average_many', payload['load_average_before']))}."]
    ex = payload["extrapolation"]
    sc = payload["stream_cluster"]
    mm, sm = ex["many_model"], ex["stream_model"]
    lines += ["", "Measured per task (one block / one problem) and the model's prediction:", "",
              "| | compute per unit | bytes in / out per unit | 1 worker | 2 workers | "
              + " | ".join(f"{w} workers" for w in ("8", "16", "32", "64")) + " | limit |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    lines.append(
        f"| many problems ({m['n_problems']:,}): measured | {m['compute_per_problem_s'] * 1e3:.2f} ms"
        f" | {m['bytes_in_per_problem'] / 1e3:.1f} kB / {m['bytes_out_per_problem'] / 1e3:.1f} kB"
        f" | {m['cluster_1_s']:.1f} s | {m['cluster_2_s']:.1f} s | | | | | |")
    lines.append(
        "| many problems: model | | | "
        + " | ".join(f"{mm['predicted_s'][w]:.1f} s" for w in ("1", "2", "8", "16", "32", "64"))
        + f" | {mm['limit_s']:.1f} s |")
    lines.append(
        f"| streaming n = {sc['n']:.0e}: measured | {sc['compute_per_block_s'] * 1e3:.0f} ms Gram"
        f" + {sc['generate_per_block_s'] * 1e3:.0f} ms read | "
        f"{sc['block_bytes'] / 2**20:.0f} MiB read locally / {sc['partial_bytes'] / 1e3:.1f} kB"
        f" | {sc['cluster_1_s']:.1f} s | {sc['cluster_2_s']:.1f} s | | | | | |")
    lines.append(
        f"| streaming n = {sm['n_target']:.0e}: model | | | "
        + " | ".join(f"{sm['predicted_s'][w]:.0f} s" for w in ("1", "2", "8", "16", "32", "64"))
        + f" | {sm['scheduler_floor_s']:.0f} s (scheduler) |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, prints only")
    parser.add_argument("--only", choices=["many"], help="rerun one part, merged into the JSON")
    parser.add_argument("--table", action="store_true", help="print the docs tables from the JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = parser.parse_args()
    if args.quiet:
        from algdiv._progress import set_quiet

        set_quiet(True)
    if args.table:
        from _timing import RESULTS

        print(tables(json.loads((RESULTS / "batch.json").read_text())))
        return
    if args.only == "many":
        many = bench_many(500 if args.quick else 10_000)
        print(json.dumps(many, indent=1))
        print(summary_many(many))
        if not args.quick:
            from _timing import RESULTS

            payload = json.loads((RESULTS / "batch.json").read_text())
            payload["many"] = many
            payload["extrapolation"]["many_amdahl_fit"] = amdahl(many["cluster_1_s"],
                                                                 many["cluster_2_s"])
            payload["extrapolation"]["many_model"] = model_many(many)
            payload["load_average_many"] = os.getloadavg()
            for key in ("benchmark", "machine"):
                payload.pop(key, None)
            print(write_results("batch", payload))
        return
    dask.config.set(scheduler="threads")
    sizes = [10**5, 10**6] if args.quick else [10**5, 10**6, 10**7]
    shrink = [10**5] if args.quick else [10**5, 10**6, 10**7]
    load_before = os.getloadavg()
    stream = bench_stream(sizes, shrink)
    stream_memmap = bench_stream_memmap(sizes[1:])
    many = bench_many(500 if args.quick else 10_000)
    print(json.dumps(many, indent=1))
    stream_cluster = bench_stream_cluster(10**6 if args.quick else 4 * 10**6)
    print(json.dumps(stream_cluster, indent=1))
    extrapolation = {
        "many_amdahl_fit": amdahl(many["cluster_1_s"], many["cluster_2_s"]),
        "stream_amdahl_fit": amdahl(stream_cluster["cluster_1_s"], stream_cluster["cluster_2_s"]),
        "many_model": model_many(many),
        "stream_model": model_stream(stream_cluster),
    }
    print(json.dumps(extrapolation, indent=1))
    payload = {"quick": args.quick, "blas_threads": 1, "cores": os.cpu_count(),
               "load_average_before": load_before, "load_average_after": os.getloadavg(),
               "stream": stream, "stream_memmap": stream_memmap, "many": many, "stream_cluster": stream_cluster,
               "extrapolation": extrapolation}
    print(summary_many(many))
    if args.quick:
        return
    print(write_results("batch", payload))


if __name__ == "__main__":
    main()
