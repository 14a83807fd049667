"""How many snapshots before a planted group can be seen entry by entry?

For the planted covariances of ``bench_selection.py`` (a random invariant covariance
``Φ_G(W Wᴴ / M)`` hidden by a random relabelling), blind discovery has to tell the pair
orbits of ``G`` apart from the entries of the sample covariance.  Two orbits whose values
differ by ``Δ`` are told apart reliably only when ``Δ`` is a few standard errors of an
entry, ``se_ij = √((R_ii R_jj + |R_ij|²) / n)`` for real Gaussian data (``√(R_ii R_jj / n)``
for circular complex data).  Per draw this script takes the distinct orbit values of ``R``
(the orbits of ``(i, j)`` and ``(j, i)`` carry the same value for a real symmetric ``R`` and
count once), the gaps between neighbours in sorted order, and reports

* ``median_gap_over_se``: the median gap over the median entry standard error at
  ``n = 4M`` and ``16M``;
* ``share_gaps_over_3se``: the share of gaps above three standard errors there;
* ``n_over_M_for_half``: the snapshots (as a multiple of ``M``) at which half of the gaps
  exceed three standard errors: ``9 · (se√n)² / median_gap²`` over ``M``.

This is a property of the planted model, not of any algorithm: below ``n_over_M_for_half``
most pair orbits are closer than the noise of single entries, so a blind search that
matches entries (colour classes, near-automorphisms) cannot find the planted group except by
chance, whatever its decision rule; it explains the blind-versus-oracle gap that
``bench_selection.py`` measures at ``n ∈ {4M, 16M}``.

Run: ``python benchmarks/bench_identifiability.py [--draws 50] [--sizes 16 64] [--quick]``;
writes ``results/identifiability.json`` (``--quick``: ``identifiability_quick.json``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import machine  # noqa: E402
from bench_selection import planted  # noqa: E402

from algdiv._progress import progress, set_quiet  # noqa: E402

FAMILIES = ("cyclic", "dihedral", "z2m", "tree", "product")
RESULTS = Path(__file__).resolve().parent / "results"


def orbit_gaps(R: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Gaps between neighbouring distinct orbit values of ``R`` (real and imaginary parts)."""
    k = int(labels.max()) + 1
    flat = labels.ravel()
    counts = np.bincount(flat, minlength=k)
    re = np.bincount(flat, weights=R.real.ravel(), minlength=k) / counts
    im = np.bincount(flat, weights=R.imag.ravel(), minlength=k) / counts
    scale = float(np.max(np.abs(R)))
    vals = np.round(np.concatenate([re, im[np.abs(im) > 1e-12 * scale]]) / scale, 10)
    distinct = np.unique(vals) * scale
    return np.diff(distinct)


def entry_se(R: np.ndarray, n: int, cplx: bool) -> float:
    """Median standard error of an off-diagonal entry of the sample covariance."""
    d = np.real(np.diag(R))
    var = np.outer(d, d) + (0.0 if cplx else np.abs(R) ** 2)
    off = ~np.eye(R.shape[0], dtype=bool)
    return float(np.median(np.sqrt(var[off] / n)))


def cell(family: str, m: int, cplx: bool, draws: int, rng: np.random.Generator) -> dict[str, Any]:
    ratio = {4: [], 16: []}
    share = {4: [], 16: []}
    need = []
    for _ in range(draws):
        R, G, _ = planted(family, m, cplx, rng)
        gaps = orbit_gaps(R, np.asarray(G.pair_orbits()))
        for mult in (4, 16):
            se = entry_se(R, mult * m, cplx)
            ratio[mult].append(float(np.median(gaps)) / se)
            share[mult].append(float(np.mean(gaps > 3 * se)))
        se1 = entry_se(R, 1, cplx)  # se at n snapshots is se1 / √n
        need.append(9 * se1**2 / float(np.median(gaps)) ** 2 / m)
    return {
        "family": family, "M": m, "complex": cplx, "draws": draws,
        "median_gap_over_se": {f"{k}M": float(np.median(v)) for k, v in ratio.items()},
        "share_gaps_over_3se": {f"{k}M": float(np.mean(v)) for k, v in share.items()},
        "n_over_M_for_half": float(np.median(need)),
    }


def table(rows: list[dict[str, Any]]) -> str:
    """Markdown table of the cells."""
    out = [
        "| planted | M | data | median gap / s.e. at 4M | at 16M | gaps > 3 s.e. at 16M | n/M for half the gaps > 3 s.e. |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r['family']} | {r['M']} | {'complex' if r['complex'] else 'real'} | "
            f"{r['median_gap_over_se']['4M']:.2f} | {r['median_gap_over_se']['16M']:.2f} | "
            f"{100 * r['share_gaps_over_3se']['16M']:.0f} % | {r['n_over_M_for_half']:.0f} |"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--draws", type=int, default=50)
    ap.add_argument("--sizes", type=int, nargs="+", default=[16, 64])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="3 draws, M = 16 (identifiability_quick.json)")
    ap.add_argument("--table", action="store_true", help="print the committed table and exit")
    ap.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = ap.parse_args(argv)
    if args.quiet:
        set_quiet(True)
    if args.table:
        print(table(json.loads((RESULTS / "identifiability.json").read_text())["cells"]))
        return 0
    draws, sizes = (3, [16]) if args.quick else (args.draws, args.sizes)
    rng = np.random.default_rng(args.seed)
    cells = [(m, c, f) for m in sizes for c in (False, True) for f in FAMILIES]
    rows = [cell(f, m, c, draws, rng) for m, c, f in progress(cells, "cells", unit="cell")]
    print(table(rows))
    out = RESULTS / ("identifiability_quick.json" if args.quick else "identifiability.json")
    out.write_text(json.dumps({"benchmark": "identifiability", "machine": machine(),
                               "seed": args.seed, "cells": rows}, indent=1, allow_nan=False))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
