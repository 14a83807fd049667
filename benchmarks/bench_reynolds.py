"""Reynolds projection Φ_G: algdiv's pair-orbit mean against the naive sum over the group.

Peers, timed in the same run:
* the naive sum over the group done by indexing, ``(1/|G|) Σ_g A[p_g⁻¹][:, p_g⁻¹]`` (the
  strongest naive peer; the targets are stated against it: >= 500x at D_256), and the
  same sum with dense permutation matrices ``P_g A P_gᵀ`` as published reference code
  computes it (printed for reference);
* the physical floor: one copy of the ``M × M`` matrix (one read and one write of every
  entry), the faster of ``A.copy()`` (a new array, whose fresh pages the kernel clears,
  as it does for the projection's output) and ``np.copyto`` into an existing array;
  any projection reads every entry once and writes every entry once (target: within 2x
  of one copy at M >= 1024, with BLAS pinned to one thread and with default threads);
* one ``numpy.bincount`` pass over the ``M²`` entries, and the general pair-orbit mean
  (``bincount`` then a gather by the labels), which the tree group used before its level
  sums (for reference).

The times against one copy are taken in interleaved rounds (the functions take turns in a
shuffled order, so that load on a shared machine hits all of them; the tree rows time one
call per turn); the min over the rounds is reported, with the median and the ratio of
thread CPU times beside it.  The cyclic and dihedral groups at ``M = 1024`` (their
wrapped-diagonal sums) are also timed against one copy and against the general
pair-orbit mean (a ``bincount`` over the labels, then a gather) of the same group.

Run: ``python benchmarks/bench_reynolds.py [--quick]``; writes ``results/reynolds.json``.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from _timing import best_time, naive_index_sum, naive_matrix_sum, paired, write_results
from threadpoolctl import threadpool_limits

from algdiv import reynolds
from algdiv._progress import progress, set_quiet
from algdiv.commutant import project_unchecked
from algdiv.groups import cyclic, dihedral, iterated_wreath, relabel
from algdiv.groups.permutations import permutation_matrix


def bench_dihedral(m: int, rng: np.random.Generator) -> dict:
    A = rng.standard_normal((m, m))
    start = time.perf_counter()
    G = dihedral(m)
    G.pair_orbits()
    G.pair_orbit_sizes()
    label_time = time.perf_counter() - start
    elements = G.elements()
    mats = np.stack([permutation_matrix(g) for g in elements])
    t_fast, t_copy = paired(lambda: reynolds(A, G), lambda: A.copy(), repeat=9)
    t_matrix = best_time(lambda: naive_matrix_sum(A, mats), repeat=2, min_time=0.0)
    t_index = best_time(lambda: naive_index_sum(A, elements), repeat=3, min_time=0.0)
    err = float(np.abs(reynolds(A, G) - naive_index_sum(A, elements)).max())
    return {
        "group": G.name,
        "M": m,
        "order": G.order,
        "label_time_s": label_time,
        "reynolds_s": t_fast,
        "naive_matrix_sum_s": t_matrix,
        "naive_index_sum_s": t_index,
        "speedup_vs_matrix_sum": t_matrix / t_fast,
        "speedup_vs_index_sum": t_index / t_fast,
        "copy_s": t_copy,
        "ratio_to_copy": t_fast / t_copy,
        "max_abs_difference": err,
    }


def interleaved(fns: dict, rounds: int, min_time: float) -> dict:
    """Per function, the min and the median over ``rounds`` of the time of one call, the
    functions taking turns round by round (load on a shared machine hits all of them),
    in a shuffled order;
    each round loops a function to ``min_time`` (0: one call per round, so that the min
    is a call that ran without being interrupted).  Also the min of the CPU time of the
    calling thread (``time.thread_time``; BLAS threads are not counted, but every BLAS
    call here runs on the calling thread), which time slices lost to other processes do
    not inflate."""
    for fn in fns.values():  # (a first call: caches, allocator, plans)
        fn()
    times: dict = {name: [] for name in fns}
    cpu: dict = {name: [] for name in fns}
    order = list(fns.items())
    shuffle = np.random.default_rng(0)
    for _ in range(rounds):
        # a new order each round: each function follows each of the others about as
        # often (what ran just before decides what is still in the caches)
        for i in shuffle.permutation(len(order)):
            name, fn = order[i]
            n, start, start_cpu = 0, time.perf_counter(), time.thread_time()
            while True:
                fn()
                n += 1
                elapsed = time.perf_counter() - start
                if elapsed >= min_time:
                    break
            cpu[name].append((time.thread_time() - start_cpu) / n)
            times[name].append(elapsed / n)
    return {name: (min(t), float(np.median(t)), min(cpu[name])) for name, t in times.items()}


def time_against_copy(A: np.ndarray, G, rounds: int, min_time: float) -> dict:
    """reynolds (and its unchecked core) against the two ways of copying ``A``: a new
    array (``A.copy()``, which pays for fresh pages as reynolds does for its output) and
    ``np.copyto`` into an existing one; the faster of the two is the floor, so the ratio
    is the larger of reynolds / copy and reynolds / copyto.  Each copy is timed in its own
    interleaved set with reynolds: ``copyto``'s destination is a third matrix, which in
    the same rounds would crowd the caches for the others."""
    out = np.empty_like(A)
    new = interleaved({
        "reynolds": lambda: reynolds(A, G),
        "unchecked": lambda: project_unchecked(A, G),
        "copy": lambda: A.copy(),
    }, rounds, min_time)
    into = interleaved({
        "reynolds": lambda: reynolds(A, G),
        "copyto": lambda: np.copyto(out, A),
    }, rounds, min_time)
    # the pair that gives the larger ratio (by the min times) sets the reported ones
    if new["reynolds"][0] / new["copy"][0] >= into["reynolds"][0] / into["copyto"][0]:
        ours, floor = new["reynolds"], new["copy"]
    else:
        ours, floor = into["reynolds"], into["copyto"]
    median_ratio = max(new["reynolds"][1] / new["copy"][1],
                       into["reynolds"][1] / into["copyto"][1])
    cpu_ratio = max(new["reynolds"][2] / new["copy"][2], into["reynolds"][2] / into["copyto"][2])
    return {
        "reynolds_s": ours[0],
        "reynolds_median_s": ours[1],
        "unchecked_s": new["unchecked"][0],
        "unchecked_median_s": new["unchecked"][1],
        "copy_new_array_s": new["copy"][0],
        "copyto_existing_s": into["copyto"][0],
        "copy_s": floor[0],
        "copy_median_s": floor[1],
        "ratio_to_copy": ours[0] / floor[0],
        "ratio_to_copy_median": median_ratio,
        "unchecked_ratio_to_copy": new["unchecked"][0] / min(new["copy"][0], into["copyto"][0]),
        "ratio_to_copy_cpu": cpu_ratio,
        # against a copy that also returns a new array (and pays for its fresh pages)
        "ratio_to_new_array_copy": new["reynolds"][0] / new["copy"][0],
    }


def bench_tree(m: int, rng: np.random.Generator, rounds: int) -> dict:
    depth = m.bit_length() - 1
    start = time.perf_counter()
    G = iterated_wreath([2] * depth)
    labels = G.pair_orbits()
    G.pair_orbit_sizes()
    label_time = time.perf_counter() - start
    A = rng.standard_normal((m, m))
    flat, weights = labels.ravel(), A.ravel()
    rounds = max(rounds, int(rounds * 1024**2 * 40 // m**2))  # more single calls when short
    load = os.getloadavg()[0]  # (a shared machine: how busy it was)
    with threadpool_limits(limits=1):  # BLAS pinned to one thread, as in the test suite
        pinned = time_against_copy(A, G, rounds, min_time=0.0)
    default = time_against_copy(A, G, rounds, min_time=0.0)  # the threads users get
    load = max(load, os.getloadavg()[0])
    t_bincount = best_time(lambda: np.bincount(flat, weights=weights), repeat=3, min_time=0.1)
    counts = G.pair_orbit_sizes()

    def label_path() -> np.ndarray:  # the general pair-orbit mean (used before the level sums)
        return (np.bincount(flat, weights=weights, minlength=counts.size) / counts)[labels]

    t_labels = best_time(label_path, repeat=3, min_time=0.1)
    err = float(np.max(np.abs(label_path() - reynolds(A, G))))
    return {
        "group": G.name,
        "M": m,
        "order_log2": G.order.bit_length() - 1,
        "label_time_s": label_time,
        "rounds": rounds,
        "load_average_1min": load,
        "cpus": os.cpu_count(),
        **pinned,
        "default_threads": default,
        "bincount_pass_s": t_bincount,
        "ratio_to_bincount": pinned["reynolds_s"] / t_bincount,
        "label_path_s": t_labels,
        "speedup_vs_label_path": t_labels / pinned["reynolds_s"],
        "max_abs_difference": err,
    }


def bench_general(G, rng: np.random.Generator, rounds: int) -> dict:
    """Cyclic/dihedral at M >= 400 (wrapped-diagonal sums) against one copy in interleaved
    rounds, and the general pair-orbit mean of the same group (a relabelled copy, labels
    cached), which those groups used before."""
    m = G.degree
    A = rng.standard_normal((m, m))
    H = relabel(G, np.arange(m))  # the same group without its closed form
    H.pair_orbits()
    H.pair_orbit_sizes()
    with threadpool_limits(limits=1):
        t = time_against_copy(A, G, rounds, min_time=0.02)
    t_labels = best_time(lambda: project_unchecked(A, H), repeat=5, min_time=0.1)
    err = float(np.max(np.abs(reynolds(A, G) - project_unchecked(A, H))))
    return {"group": G.name, "M": m, **t, "label_path_s": t_labels,
            "speedup_vs_label_path": t_labels / t["reynolds_s"], "max_abs_difference": err}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for smoke tests")
    parser.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = parser.parse_args()
    if args.quiet:
        set_quiet(True)
    rng = np.random.default_rng(0)
    dihedral_sizes = [32, 64] if args.quick else [64, 256]
    tree_sizes = [256] if args.quick else [1024, 2048, 4096]
    rounds = 5 if args.quick else 25  # (the tree rows take more: one call per round)

    print("Reynolds projection on D_M vs the naive sums over its 2M elements and one copy")
    print(f"{'M':>6} {'labels s':>10} {'reynolds s':>11} {'copy s':>9} {'x copy':>7} "
          f"{'index sum s':>12} {'speedup':>8} {'matrix sum s':>13} {'speedup':>8}")
    dihedral_rows = []
    for m in progress(dihedral_sizes, "dihedral sizes", unit="M"):
        r = bench_dihedral(m, rng)
        dihedral_rows.append(r)
        print(f"{m:>6} {r['label_time_s']:>10.2e} {r['reynolds_s']:>11.2e} {r['copy_s']:>9.2e} "
              f"{r['ratio_to_copy']:>7.1f} {r['naive_index_sum_s']:>12.2e} "
              f"{r['speedup_vs_index_sum']:>8.0f} {r['naive_matrix_sum_s']:>13.2e} "
              f"{r['speedup_vs_matrix_sum']:>8.0f}")

    print("\nBinary-tree group (order 2^(M-1)): projection vs one copy (the faster of a new "
          "array and a copy into an existing one), BLAS pinned to one thread / default threads;"
          " min (median) over interleaved rounds")
    print(f"{'M':>6} {'labels s':>9} {'reynolds s':>11} {'copy s':>9} {'x copy':>13} "
          f"{'default: x copy':>16} {'label path s':>13} {'speedup':>8}")
    tree_rows = []
    for m in progress(tree_sizes, "tree sizes", unit="M"):
        r = bench_tree(m, rng, rounds)
        tree_rows.append(r)
        d = r["default_threads"]
        print(f"{m:>6} {r['label_time_s']:>9.3f} {r['reynolds_s']:>11.2e} {r['copy_s']:>9.2e} "
              f"{r['ratio_to_copy']:>5.2f} ({r['ratio_to_copy_median']:.2f}) "
              f"{d['ratio_to_copy']:>8.2f} ({d['ratio_to_copy_median']:.2f}) "
              f"{r['label_path_s']:>13.2e} {r['speedup_vs_label_path']:>8.1f}")
    general_sizes = [256] if args.quick else [1024]
    print("\nCyclic and dihedral (wrapped-diagonal sums) vs one copy and the pair-orbit mean")
    print(f"{'group':>40} {'reynolds s':>11} {'copy s':>9} {'x copy':>7} {'labels s':>9} "
          f"{'speedup':>8}")
    general_rows = []
    for m in general_sizes:
        for G in progress((cyclic(m), dihedral(m)), f"groups M={m}", unit="group"):
            r = bench_general(G, rng, rounds)
            general_rows.append(r)
            print(f"{G.name:>40} {r['reynolds_s']:>11.2e} {r['copy_s']:>9.2e} "
                  f"{r['ratio_to_copy']:>7.1f} {r['label_path_s']:>9.2e} "
                  f"{r['speedup_vs_label_path']:>8.1f}")
    big = [r for r in dihedral_rows if r["M"] == 256]
    if big:
        ok = big[0]["speedup_vs_index_sum"] >= 500
        print(f"\ntarget >= 500x the index sum at D_256: {big[0]['speedup_vs_index_sum']:.0f}x "
              f"{'met' if ok else 'MISSED'}")
    for r in tree_rows:
        if r["M"] >= 1024:
            print(f"M = {r['M']}: load average {r['load_average_1min']:.1f} on {r['cpus']} cores")
            for mode, x in (("pinned", r), ("default threads", r["default_threads"])):
                ok = x["ratio_to_copy"] <= 2
                print(f"target <= 2x one copy at M = {r['M']}, {mode}: "
                      f"{x['ratio_to_copy']:.2f}x {'met' if ok else 'MISSED'} (median "
                      f"{x['ratio_to_copy_median']:.2f}x; without the input checks "
                      f"{x['unchecked_ratio_to_copy']:.2f}x; thread CPU time "
                      f"{x['ratio_to_copy_cpu']:.2f}x)")

    if not args.quick:
        path = write_results(
            "reynolds",
            {
                "targets": {
                    "speedup_vs_index_sum_at_M256": 500,
                    "tree_ratio_to_copy_at_M_ge_1024": 2,
                },
                "dihedral": dihedral_rows,
                "binary_tree": tree_rows,
                "general": general_rows,
            },
        )
        print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
