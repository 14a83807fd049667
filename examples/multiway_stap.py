"""(m) Multi-way data: space-time adaptive processing and image patches, group × Kronecker structure.

Two-way snapshots (sensors × pulses, patch rows × columns) have two kinds of structure: a
symmetry per mode or across modes (a permutation group, averaged over by the Reynolds
projection) and separability (``R = A ⊗ B``, fitted by the flip-flop maximum likelihood).
This example compares, on the same snapshots,

* the peers: the sample covariance, Ledoit–Wolf, the separable MLE
  (:class:`algdiv.estimation.SeparableCovariance`);
* the group average with a symmetry of the joint index (``Φ_G(S)``, ``G`` exact or a product
  of per-mode groups);
* the separable MLE inside the commutant of a group per mode
  (:class:`algdiv.estimation.KroneckerGroupCovariance`).

STAP (:func:`algdiv.experiments.stap`): a circular array of 8 sensors × 8 pulses, a clutter
ridge (Doppler ``0.25 cos φ``) and two jammers at ``±90°``; mean SINR loss of MVDR against
the number of snapshots, ``n_3dB`` per estimator, and each estimator's loss as ``n → ∞``
(the bias of a structure the data do not have).  Image patches
(:func:`algdiv.experiments.multiway_patches`): 8 × 8 patches of pywt's camera and ascent,
held-out log-likelihood with blocked folds.

Run:  python examples/multiway_stap.py [--quick] [--out DIR] [--seed N] [--table-from JSON]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from algdiv._progress import progress, set_quiet  # noqa: E402
from algdiv.experiments import multiway_patches, stap  # noqa: E402
from algdiv.experiments.multiway_patches import PATCH_ESTIMATORS  # noqa: E402
from algdiv.experiments.stap import STAP_ESTIMATORS  # noqa: E402

DEFAULT_OUT = Path("algdiv-gallery")  # under the current folder; tools/make_figures.py writes docs/figures
PEERS = ("sample", "ledoit_wolf", "separable")
LABELS = {
    "sample": "sample covariance",
    "ledoit_wolf": "Ledoit–Wolf",
    "separable": "separable MLE (flip-flop)",
    "group_exact": "group average, exact H (order 4)",
    "group_product": "group average, D_2 × Z_2 (product)",
    "group_cyclic": "group average, D_2 × Z_8 (product)",
    "kronecker_group": "Kronecker MLE in C(D_2) ⊗ C(Z_2)",
}
PATCH_LABELS = {
    **LABELS,
    "group_product": "group average, flips Z_2 × Z_2",
    "group_square": "group average, square D_4 (flips + transpose)",
    "kronecker_group": "Kronecker MLE in C(Z_2) ⊗ C(Z_2) (flips)",
    "kronecker_dihedral": "Kronecker MLE in C(D_8) ⊗ C(D_8)",
    "kronecker_dct": "Kronecker MLE in DCT-II fold ⊗ DCT-II fold",
}


def _fmt(v: float | None, digits: int = 1) -> str:
    return "—" if v is None or not np.isfinite(v) else f"{v:.{digits}f}"


def table_markdown(res: dict) -> str:
    """The gallery tables (markdown) from the results JSON."""
    s = res["stap"]
    peers = [s["n_3db"][k] for k in PEERS if s["n_3db"][k] is not None]
    best_peer = min(peers) if peers else None
    lines = [
        f"STAP, {s['trials']} trials (n_3dB: snapshots to a mean SINR loss of −3 dB; "
        "— = not reached on the grid up to "
        f"n = {s['snapshots'][-1]}):",
        "",
        "| estimator | n_3dB | ± se | loss as n → ∞ (dB) |",
        "|---|---|---|---|",
    ]
    for k in STAP_ESTIMATORS:
        v = s["n_3db"][k]
        bold = v is not None and best_peer is not None and v <= best_peer and k not in PEERS
        cell = f"**{_fmt(v)}**" if bold else _fmt(v)
        lines.append(
            f"| {LABELS[k]} | {cell} | {_fmt(s['n_3db_se'][k])} | "
            f"{_fmt(s['limit_loss_db'][k], 2)} |"
        )
    p = res["patches"]
    ns = p["snapshots"]
    lines += [
        "",
        f"Image patches, held-out log-likelihood per patch (nats, higher is better; "
        f"{p['trials']} blocked folds) and relative error against the image's big-sample "
        "covariance:",
        "",
        "| estimator | " + " | ".join(f"ll n={n}" for n in ns) + " | "
        + " | ".join(f"err n={n}" for n in ns) + " |",
        "|---|" + "---|" * (2 * len(ns)),
    ]
    for k in PATCH_ESTIMATORS:
        lines.append(
            f"| {PATCH_LABELS[k]} | "
            + " | ".join(_fmt(v) if v is not None else "−∞" for v in p["loglik"][k])
            + " | "
            + " | ".join(_fmt(v, 3) for v in p["rel_error"][k])
            + " |"
        )
    return "\n".join(lines)


def plot(res: dict, path: Path) -> None:
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.4))
    s = res["stap"]
    for k in STAP_ESTIMATORS:
        y = np.array([np.nan if v is None else v for v in s["loss_db"][k]])
        ax1.plot(s["snapshots"], y, marker=".", label=LABELS[k],
                 ls="--" if k in PEERS else "-")
    ax1.axhline(-3.0, color="0.5", lw=0.8, ls=":")
    ax1.set_xscale("log")
    ax1.set_ylim(-30, 0.5)
    ax1.set_xlabel("snapshots n")
    ax1.set_ylabel("mean SINR loss (dB)")
    ax1.set_title("STAP: UCA 8 sensors × 8 pulses, clutter ridge + 2 jammers")
    ax1.legend(fontsize=7, loc="lower right")
    ax1.grid(alpha=0.3)
    p = res["patches"]
    for k in PATCH_ESTIMATORS:
        y = np.array([np.nan if v is None else v for v in p["loglik"][k]])
        ax2.plot(p["snapshots"], y, marker="o", label=PATCH_LABELS[k],
                 ls="--" if k in PEERS else "-")
    ax2.set_xscale("log")
    lo = np.nanmin([v for k in PATCH_ESTIMATORS for v in p["loglik"][k] if v is not None])
    ax2.set_ylim(max(lo, 0.0) - 5, None)
    ax2.set_xlabel("training patches n")
    ax2.set_ylabel("held-out log-likelihood per patch (nats)")
    ax2.set_title("8×8 image patches, blocked folds")
    ax2.legend(fontsize=7, loc="lower right")
    ax2.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="few trials, short grid (smoke test)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the figure and JSON")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--table-from", type=Path, metavar="JSON",
                    help="print the gallery tables (markdown) from a results JSON and exit")
    ap.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = ap.parse_args(argv)
    if args.quiet:
        set_quiet(True)
    if args.table_from is not None:
        res = json.loads(args.table_from.read_text())
        print(table_markdown(res))
        return res
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    bar = progress(total=2, desc="multiway_stap: STAP", unit="study")
    with threadpool_limits(limits=1):  # small matrices: threads only add contention
        if args.quick:
            s = stap(trials=4, snapshots=(8, 16, 32, 64, 128, 256), seed=args.seed, bootstrap=20)
        else:
            s = stap(trials=200, seed=args.seed)
        bar.update()
        bar.set_description("multiway_stap: patches")
        if args.quick:
            p = multiway_patches((64, 256), seed=args.seed)
        else:
            p = multiway_patches((64, 256, 1024), seed=args.seed)
        bar.update()
    bar.close()
    res = {"quick": args.quick, "seed": args.seed, "stap": s.to_dict(), "patches": p.to_dict()}
    plot(res, args.out / "multiway_stap.png")
    (args.out / "multiway_stap.json").write_text(json.dumps(res, indent=1) + "\n")
    print(table_markdown(res))
    print(f"figure and JSON in {args.out} ({time.perf_counter() - t0:.1f} s)")
    return res


if __name__ == "__main__":
    main(sys.argv[1:])
