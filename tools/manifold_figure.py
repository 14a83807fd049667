"""Draw docs/figures/manifold.png: objectives along DFT → DCT → KLT, and relaxation against n.

Left: an AR(1) covariance (ρ = 0.9, M = 16) along the geodesics DFT → DCT-II → KLT of R (the
path parameter runs 0..1 on the first leg and 1..2 on the second): coding gain and off-diagonal
energy.  Right: the held-out coding gain along the geodesic from the DCT to the sample KLT of
n ∈ {M, 16M, 256M} training snapshots (scored on the true R), with the point RelaxedTransform
chooses from the training data alone.

Run: ``python tools/manifold_figure.py [--out docs/figures] [--seed 0]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy.linalg import toeplitz  # noqa: E402

from algdiv.transforms import (  # noqa: E402
    BasisGeodesic,
    RelaxedTransform,
    coding_gain,
    dct,
    dft,
    klt,
    objectives_along,
)

M = 16


def main(argv: list[str] | None = None) -> Path:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("docs/figures"))
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    R = toeplitz(0.9 ** np.arange(M))
    ts = np.linspace(0, 1, 41)
    p1 = objectives_along(R, BasisGeodesic(dft(M), dct(M)), ts)
    p2 = objectives_along(R, BasisGeodesic(dct(M), klt(R)), ts)
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.2))
    s = np.concatenate([ts, 1 + ts])
    ax.plot(s, np.concatenate([p1["coding_gain_db"], p2["coding_gain_db"]]), "C0-")
    ax.set_xlabel("path parameter: DFT (0) → DCT-II (1) → KLT of R (2)")
    ax.set_ylabel("coding gain (dB)", color="C0")
    ax2 = ax.twinx()
    ax2.plot(s, np.concatenate([p1["off_diagonal_energy"], p2["off_diagonal_energy"]]), "C3--")
    ax2.set_ylabel("off-diagonal energy share", color="C3")
    ax.set_title(f"AR(1), ρ = 0.9, M = {M}: objectives along the geodesics")
    rng = np.random.default_rng(args.seed)
    L = np.linalg.cholesky(R)
    for k, n in enumerate((M, 16 * M, 256 * M)):
        X = rng.standard_normal((n, M)) @ L.T
        rt = RelaxedTransform(start="dct2").fit(X)
        g = rt.geodesic_
        held = [coding_gain(R, g(float(t)), db=True) for t in ts]
        bx.plot(ts, held, f"C{k}-", label=f"n = {n}")
        bx.plot([rt.t_], [coding_gain(R, rt.components_, db=True)], f"C{k}o", ms=8)
    bx.axhline(coding_gain(R, klt(R), db=True), color="k", lw=0.8, ls=":", label="KLT of the true R")
    bx.set_xlabel("t: DCT-II (0) → sample KLT (1)")
    bx.set_ylabel("coding gain on the true R (dB)")
    bx.set_title("relaxation: dots = the t chosen on training folds")
    bx.legend(loc="lower left")
    fig.tight_layout()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "manifold.png"
    fig.savefig(path, dpi=100)
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main()
