"""The adaptive array with the group found from the same snapshots (``adaptive_array_selection``).

Snapshots to −3 dB SINR loss for the group average of the published ``D_J`` (oracle), of the
full automorphism group of the true covariance, of the group ``AutoGroupCovariance`` selects
inside the array's ``D_M`` (``discovered``) and blind, and of the full shrunk estimates, at
M = 16 (J = 4) and M = 48 (J = 12).  Targets (issue "risk-optimal group selection"):
``discovered`` within 10 % of the oracle's ``n_3dB``; ``blind`` ``n_3dB <= 8`` at M = 16.

Run: ``python benchmarks/bench_array_selection.py [--quick] [--trials N] [--sizes 16 48] [--keep]
[--snapshots N ...]``; writes ``results/array_selection.json`` (``--quick``:
``array_selection_quick.json``).  ``--snapshots`` replaces the default grid (e.g. ``2 3 4 5 6 7 8``
around the crossing, where the selections cost most per trial at M = 48).
"""

# ruff: noqa: E402  (BLAS threads are pinned before numpy is imported)
from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import json
import time

import numpy as np
from _timing import RESULTS, write_results

from algdiv._progress import set_quiet
from algdiv.experiments import adaptive_array_selection


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--trials", type=int, default=40)
    ap.add_argument("--sizes", type=int, nargs="+", default=[16, 48])
    ap.add_argument("--snapshots", type=int, nargs="+", default=None,
                    help="snapshot counts (default: the experiment's grid)")
    ap.add_argument("--selections", nargs="+", default=["discovered", "blind"],
                    choices=["discovered", "blind"],
                    help="the selections to run (the columns of one left out are null)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the committed runs of the other sizes in the JSON")
    ap.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = ap.parse_args(argv)
    if args.quiet:
        set_quiet(True)
    runs = []
    for m in [16] if args.quick else args.sizes:
        start = time.perf_counter()
        res = adaptive_array_selection(M=m, J=m // 4, trials=2 if args.quick else args.trials,
                                       snapshots=args.snapshots, selections=args.selections,
                                       progress=not args.quiet)
        seconds = time.perf_counter() - start
        print(f"M = {m}, {res.trials} trials, {seconds:.0f} s\n{res.table()}", flush=True)
        oracle = res.n_3db["oracle"]
        runs.append({
            "M": m, "J": m // 4, "trials": res.trials, "criterion": res.criterion,
            "seconds": seconds, "snapshots": res.snapshots.tolist(),
            "loss_db": {k: [None if np.isnan(v) else float(v) for v in arr]
                        for k, arr in res.loss_db.items()},
            "n_3db": {k: None if np.isnan(v) else float(v) for k, v in res.n_3db.items()},
            "median_order": {k: [None if np.isnan(x) else float(x) for x in v]
                             for k, v in res.orders.items()},
            "selections": list(args.selections),
            "automorphism_order": res.automorphism_order,
            "discovered_over_oracle": float(res.n_3db["discovered"] / oracle),
            "targets": {
                "discovered_within_10pct_of_oracle": bool(
                    np.isfinite(res.n_3db["discovered"])
                    and res.n_3db["discovered"] <= 1.1 * oracle),
                "blind_n3db_at_most_8": None if "blind" not in args.selections
                else bool(m != 16 or res.n_3db["blind"] <= 8),
            },
        })
    name = "array_selection_quick" if args.quick else "array_selection"
    if args.keep and (RESULTS / f"{name}.json").exists():
        done = {r["M"] for r in runs}
        old = json.loads((RESULTS / f"{name}.json").read_text())["runs"]
        runs = sorted([r for r in old if r["M"] not in done] + runs, key=lambda r: r["M"])
    write_results(name, {"runs": runs})


if __name__ == "__main__":
    main()
