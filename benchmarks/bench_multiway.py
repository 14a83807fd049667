"""Multi-way data: STAP n_3dB and image-patch likelihoods, and the cost of the separable fits.

1. **STAP** (:func:`algdiv.experiments.stap`): a circular array of 8 sensors × 8 pulses,
   clutter ridge + 2 jammers; mean SINR loss of MVDR against the snapshot count ``n`` and
   ``n_3dB`` for the sample covariance, Ledoit–Wolf, the separable MLE (the peers) and the
   group / Kronecker-group estimators.  Target: the best group-structured ``n_3dB`` at most
   the best peer's.
2. **Image patches** (:func:`algdiv.experiments.multiway_patches`): held-out log-likelihood
   and relative error at ``n ∈ {64, 256, 1024}`` with blocked folds.
3. **Time** of one fit on ``(n, 8, 8)`` snapshots: :class:`SeparableCovariance` and
   :class:`KroneckerGroupCovariance` against scikit-learn's ``LedoitWolf`` (the strongest
   structure-free peer, timed in the same run), with the physical floor (one pass over
   the data: the sample covariance ``Xᵀ X / n``).

Run: ``python benchmarks/bench_multiway.py [--quick]``; writes ``results/multiway.json``
(``--quick`` writes ``results/multiway_quick.json`` and leaves the committed JSON alone).
"""

# ruff: noqa: E402  (BLAS threads are pinned before numpy is imported)
from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import time

import numpy as np
from _timing import best_time, paired, row, write_results

from algdiv._progress import progress, set_quiet
from algdiv.estimation import KroneckerGroupCovariance, SeparableCovariance
from algdiv.experiments import multiway_patches, stap
from algdiv.experiments.multiway_patches import PATCH_ESTIMATORS, patch_pool
from algdiv.experiments.stap import STAP_ESTIMATORS
from algdiv.groups import from_generators

PEERS = ("sample", "ledoit_wolf", "separable")


def timing(quick: bool) -> list[dict]:
    from sklearn.covariance import LedoitWolf

    rows = []
    flip = from_generators([np.arange(8)[::-1].copy()], 8)
    pool = patch_pool()
    for n in progress((64, 1024) if quick else (64, 256, 1024, 4096), "timing sizes", unit="n"):
        X = pool[:n]
        flat = X.reshape(n, -1)
        floor_t = best_time(lambda flat=flat, n=n: flat.T @ flat / n, repeat=3)
        for name, est in (
            ("separable", SeparableCovariance(assume_centered=True, tol=1e-6)),
            ("kronecker_group", KroneckerGroupCovariance((flip, flip), assume_centered=True,
                                                         tol=1e-6)),
        ):
            ours, peer = paired(lambda est=est, X=X: est.fit(X),
                                lambda flat=flat: LedoitWolf(assume_centered=True).fit(flat),
                                repeat=3 if quick else 5)
            r = row(f"{name} fit", f"n={n}, 8x8", ours, peer, "sklearn LedoitWolf", None, floor_t)
            r["n_iter"] = int(est.n_iter_)
            rows.append(r)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer trials, fewer sizes")
    parser.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = parser.parse_args()
    if args.quiet:
        set_quiet(True)
    t0 = time.perf_counter()
    trials = 10 if args.quick else 200
    grid = (4, 8, 16, 32, 64, 128, 256) if args.quick else None
    res = stap(trials=trials, **({} if grid is None else {"snapshots": grid}), seed=0)
    print(res.table())
    best_peer = min((res.n_3db[k] for k in PEERS if np.isfinite(res.n_3db[k])), default=np.inf)
    ours = {k: res.n_3db[k] for k in STAP_ESTIMATORS if k not in PEERS}
    best_ours_key = min(ours, key=lambda k: ours[k] if np.isfinite(ours[k]) else np.inf)
    print(f"best peer n_3dB {best_peer:.2f}; best group-structured {best_ours_key} "
          f"{ours[best_ours_key]:.2f}; ratio {ours[best_ours_key] / best_peer:.3f}")
    patches = multiway_patches((64, 256, 1024), seed=0)
    print(patches.table())
    rows = timing(args.quick)
    for r in rows:
        print(f"{r['case']:24s} {r['size']:14s} {r['algdiv_s'] * 1e3:8.2f} ms  "
              f"LedoitWolf {r['peer_s'] * 1e3:7.2f} ms  ratio {r['ratio']:6.2f}  "
              f"floor {r['copy_s'] * 1e3:6.3f} ms  iters {r['n_iter']}")
    payload = {
        "quick": args.quick,
        "stap": res.to_dict(),
        "stap_summary": {
            "best_peer_n_3db": float(best_peer),
            "best_structured": best_ours_key,
            "best_structured_n_3db": float(ours[best_ours_key]),
            "meets_target": bool(ours[best_ours_key] <= best_peer),
        },
        "patches": patches.to_dict(),
        "patch_estimators": list(PATCH_ESTIMATORS),
        "timing": rows,
        "wall_s": time.perf_counter() - t0,
    }
    path = write_results("multiway_quick" if args.quick else "multiway", payload)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
