"""(g) Real data nobody here made: does a symmetry help, against Ledoit–Wolf and OAS?

Data shipped inside installed packages (no download):

* ``camera``, ``ascent``: non-overlapping 8×8 patches of PyWavelets' bundled photographs
  (``pywt.data``), 64-dimensional snapshots;
* ``digits``: scikit-learn's bundled 8×8 handwritten digits (``load_digits``), 64 pixels;
* ``ecg``: PyWavelets' bundled electrocardiogram (``pywt.data.ecg``, 1024 samples) cut into
  non-overlapping windows of 8 samples (delay embedding without overlap).

Folds are blocks (horizontal stripes of the image, contiguous runs of digits or windows), so
that training and test data share no sample.  For each fold and training size ``n`` in
``{M, 4M, 16M}`` (capped by the data outside the fold), ``n`` training snapshots are drawn
from the other blocks and every estimator is scored by the mean held-out Gaussian
log-likelihood of the fold (scikit-learn's ``score``; higher is better): the sample
covariance, ``LedoitWolf``, ``OAS`` and ``AutoGroupCovariance`` (blind; its candidates
include the catalogue groups in the data's own index order, e.g. ``D_8 × D_8`` acting on the
rows and columns of a patch).  The selected group is named per fit.

Run:  python examples/real_data.py [--quick] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

try:
    import pywt.data
except ImportError:  # an optional dependency: say so in one line instead of a traceback
    sys.exit(
        "real_data.py needs PyWavelets for its photographs and ECG: "
        "pip install -e \".[plot,wavelets]\" (or pip install PyWavelets)"
    )
from sklearn.covariance import OAS, EmpiricalCovariance, LedoitWolf  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402

from algdiv import AutoGroupCovariance  # noqa: E402
from algdiv._progress import progress, set_quiet  # noqa: E402
from algdiv.discovery.selection import describe_group  # noqa: E402

DEFAULT_OUT = Path("algdiv-gallery")
ESTIMATORS = ("sample", "ledoit_wolf", "oas", "auto")
FOLDS = 4


def image_blocks(img: np.ndarray, b: int = 8) -> list[np.ndarray]:
    """Non-overlapping b×b patches, grouped by horizontal stripe (one stripe per fold)."""
    h, w = (s - s % b for s in img.shape)
    tiles = img[:h, :w].reshape(h // b, b, w // b, b).swapaxes(1, 2).reshape(h // b, -1, b * b)
    rows = np.array_split(np.arange(h // b), FOLDS)
    return [tiles[r].reshape(-1, b * b).astype(float) for r in rows]


def datasets() -> dict[str, list[np.ndarray]]:
    digits = load_digits().data.astype(float)
    ecg = pywt.data.ecg().astype(float)
    windows = ecg[: ecg.size - ecg.size % 8].reshape(-1, 8)
    return {
        "camera": image_blocks(pywt.data.camera()),
        "ascent": image_blocks(pywt.data.ascent()),
        "digits": np.array_split(digits, FOLDS),
        "ecg": np.array_split(windows, FOLDS),
    }


def fit_all(train: np.ndarray) -> dict:
    return {
        "sample": EmpiricalCovariance().fit(train),
        "ledoit_wolf": LedoitWolf().fit(train),
        "oas": OAS().fit(train),
        "auto": AutoGroupCovariance().fit(train),
    }


def score(est, test: np.ndarray) -> float:
    """Mean held-out log-likelihood; ``-inf`` for a singular estimate."""
    with np.errstate(all="ignore"):
        w = np.linalg.eigvalsh(est.covariance_)
        if w.min() <= 1e-10 * max(w.max(), 1e-300):
            return float("-inf")
        return float(est.score(test))


def run(name: str, blocks: list[np.ndarray], factors: tuple, rng: np.random.Generator) -> list:
    m = blocks[0].shape[1]
    rows = []
    for f in factors:
        scores = {k: [] for k in ESTIMATORS}
        chosen: Counter = Counter()
        helps = 0
        times = []
        n_used = []
        for k, test in enumerate(blocks):
            pool = np.vstack([b for j, b in enumerate(blocks) if j != k])
            n = min(f * m, pool.shape[0])
            train = pool[np.sort(rng.choice(pool.shape[0], n, replace=False))]
            start = time.perf_counter()
            ests = fit_all(train)
            times.append(time.perf_counter() - start)
            for key, est in ests.items():
                scores[key].append(score(est, test))
            sel = ests["auto"].selection_
            chosen[describe_group(ests["auto"].group_)] += 1
            helps += bool(sel is not None and sel.symmetry_helps)
            n_used.append(n)
        mean = {k: float(np.mean(v)) for k, v in scores.items()}
        best_peer = max(mean["ledoit_wolf"], mean["oas"])
        rows.append({
            "dataset": name, "M": m, "n": int(np.median(n_used)), "factor": f,
            "score": mean, "auto_minus_best_peer": mean["auto"] - best_peer,
            "auto_wins": bool(mean["auto"] > best_peer),
            "selected": dict(chosen), "symmetry_helps_folds": helps, "folds": len(blocks),
        })
        print(f"{name:7s} n={rows[-1]['n']:5d}  " + "  ".join(
            f"{k} {v:9.3f}" for k, v in mean.items()) +
            f"  auto-best {rows[-1]['auto_minus_best_peer']:+.3f}  selected {dict(chosen)}",
            flush=True)
    return rows


def figure(rows: list, path: Path) -> None:
    names = sorted({r["dataset"] for r in rows}, key=[r["dataset"] for r in rows].index)
    fig, axes = plt.subplots(1, len(names), figsize=(3.6 * len(names), 3.2), squeeze=False)
    for ax, name in zip(axes[0], names):
        sub = [r for r in rows if r["dataset"] == name]
        n = [r["n"] for r in sub]
        for key, style in (("oas", "s--"), ("auto", "o-"), ("sample", "x:")):
            diff = [r["score"][key] - r["score"]["ledoit_wolf"] for r in sub]
            diff = [d if np.isfinite(d) else np.nan for d in diff]
            ax.plot(n, diff, style, label=key.replace("_", " "))
        ax.axhline(0, color="k", lw=0.8, label="Ledoit-Wolf")
        ax.set_xscale("log")
        ax.set_title(f"{name} (M = {sub[0]['M']})")
        ax.set_xlabel("training snapshots n")
        ax.set_ylabel("held-out log-likelihood − LW (nats/sample)")
        ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one training size, two datasets")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the figure and JSON")
    ap.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = ap.parse_args(argv)
    if args.quiet:
        set_quiet(True)
    args.out.mkdir(parents=True, exist_ok=True)
    data = datasets()
    if args.quick:
        data = {k: data[k] for k in ("digits", "ecg")}
    factors = (1,) if args.quick else (1, 4, 16)
    rng = np.random.default_rng(0)
    rows = []
    for name, blocks in progress(list(data.items()), desc="datasets"):
        rows += run(name, blocks, factors, rng)
    figure(rows, args.out / "real_data.png")
    result = {"folds": FOLDS, "rows": rows}
    (args.out / "real_data.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
