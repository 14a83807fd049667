"""Risk-optimal group selection: ``AutoGroupCovariance`` against the estimators people use.

Planted covariances, each hidden by a random relabelling of the indices (a new one per
draw), real and circular-complex Gaussian snapshots with their mean estimated by every
estimator (``assume_centered=False``):

* ``trivial``: a generic covariance ``W Wᴴ / M`` (no symmetry);
* ``cyclic``, ``dihedral``, ``z2m`` (``Z_2^m``), ``tree`` (the binary-tree group),
  ``product`` (``D_k × D_k`` on a ``k × k`` grid): ``Φ_G(W Wᴴ / M)``, a random invariant
  covariance (``W`` real for real data, complex for complex data);
* ``ar1``: the stationary ``ρ^|i−j|``, ``ρ = 0.9`` (only approximately dihedral-invariant);
* ``spiked``: ``I + Σ_{k<3} 5 u_k u_kᴴ`` with random unit ``u_k`` (no symmetry).

Estimators: the sample covariance (divisor ``n − 1``), scikit-learn's ``LedoitWolf`` and
``OAS`` (for complex data the same formulas on complex data, checked against scikit-learn
on real data in every run), ``AutoGroupCovariance`` blind and with an ambient group (the
relabelled ``D_M`` for cyclic, dihedral, AR(1), trivial and spiked; the binary-tree group
for ``Z_2^m`` and the tree; ``D_k × D_k`` for the product), and the oracle group average
``Φ_G(S)`` of the planted group (``D_M`` for AR(1); ``S`` itself for trivial and spiked).

Per cell (family × M × n × real/complex): the mean relative Frobenius error
``‖Ĉ − R‖_F / ‖R‖_F`` and Stein loss ``tr(Ĉ R⁻¹) − log det(Ĉ R⁻¹) − M`` of each, the paired
ratios ``auto / min(LedoitWolf, OAS)`` and ``auto / oracle`` over the draws (mean and 95 %
upper bound ``mean + 1.96 sd / √draws``), and the time per fit.

Targets (issue "risk-optimal group selection"): in every cell ``auto / min(LW, OAS)`` mean
``<= 1.02`` and upper bound ``<= 1.05``; where the oracle beats Ledoit–Wolf by more than
20 %, ``auto <= 1.25 × oracle`` with the ambient at every ``n``, and blind at ``n >= 4M``.
``min(LW, OAS)`` is taken draw by draw (the smaller of the two errors in each draw: an
oracle choice between them).  Reported beside it, not as a target: the same ratios against
the better of the two estimators in the cell (smaller mean error; a choice a user could make
in advance), and each peer's own ratio to the draw-by-draw minimum (how far that bar lies
from either peer).

``--ambient-draws K`` runs the ambient estimator on the first ``K`` draws of each cell only
(to save time; at ``M = 64`` its fits take 0.4–2 s); its ratios are then over those draws, paired with the
same draws of the peers and the oracle.

Run: ``python benchmarks/bench_selection.py [--quick] [--draws N] [--sizes 16 64] [--name NAME]``;
writes ``results/NAME.json`` (default ``selection``; ``--quick``: ``NAME_quick.json``).
Runs split over processes (``--families``, ``--ns``) are combined by
``--merge PART.json ... --name NAME``: each part's cells replace those of ``results/NAME.json``
with the same (family, M, n, complex) key, the others are kept, and the seconds are summed.
"""

# ruff: noqa: E402  (BLAS threads are pinned before numpy is imported)
from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import json
import math
import sys
import time
import zlib
from pathlib import Path

import numpy as np
from _timing import RESULTS, write_results
from sklearn.covariance import OAS, LedoitWolf

from algdiv import AutoGroupCovariance, reynolds
from algdiv._progress import progress, set_quiet
from algdiv.groups import (
    cyclic,
    dihedral,
    direct_product,
    elementary_abelian,
    iterated_wreath,
    relabel,
    trivial,
)

FAMILIES = ("trivial", "cyclic", "dihedral", "z2m", "tree", "product", "ar1", "spiked")


def planted(family: str, m: int, cplx: bool, rng: np.random.Generator):
    """(R, the oracle group, the ambient group), all under one random relabelling."""
    perm = rng.permutation(m)
    k = math.isqrt(m)
    bits = m.bit_length() - 1
    truth = {
        "trivial": trivial(m), "cyclic": cyclic(m), "dihedral": dihedral(m),
        "z2m": elementary_abelian(bits), "tree": iterated_wreath([2] * bits),
        "product": direct_product(dihedral(k), dihedral(k)), "ar1": dihedral(m),
        "spiked": trivial(m),
    }[family]
    ambient = {
        "z2m": iterated_wreath([2] * bits), "tree": iterated_wreath([2] * bits),
        "product": direct_product(dihedral(k), dihedral(k)),
    }.get(family, dihedral(m))
    G, A = relabel(truth, perm), relabel(ambient, perm)
    w = rng.standard_normal((m, m))
    if cplx:
        w = (w + 1j * rng.standard_normal((m, m))) / np.sqrt(2)
    if family == "ar1":
        i = np.arange(m)
        inv = np.argsort(perm)  # R'[perm[i], perm[j]] = R[i, j], as relabel() moves points
        R = (0.9 ** np.abs(i[:, None] - i[None, :]))[np.ix_(inv, inv)]
    elif family == "spiked":
        u = rng.standard_normal((m, 3)) + (1j * rng.standard_normal((m, 3)) if cplx else 0)
        u /= np.linalg.norm(u, axis=0)
        R = np.eye(m) + 5 * (u @ u.conj().T)
    elif family == "trivial":
        R = w @ w.conj().T / m
    else:
        R = reynolds(w @ w.conj().T / m, G)
    R = (R + R.conj().T) / 2
    oracle = None if family in ("trivial", "spiked") else G
    return R, oracle, A


def snapshots(R: np.ndarray, n: int, cplx: bool, rng: np.random.Generator) -> np.ndarray:
    w, v = np.linalg.eigh(R)
    root = v * np.sqrt(np.clip(w, 0, None))
    z = rng.standard_normal((n, R.shape[0]))
    if cplx:
        z = (z + 1j * rng.standard_normal(z.shape)) / np.sqrt(2)
    return z @ root.T + 3.0  # a non-zero mean, estimated by every estimator


def ledoit_wolf_oas(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's Ledoit–Wolf and OAS formulas, on real or complex data."""
    n, m = x.shape
    xc = x - x.mean(axis=0)
    S = xc.T @ xc.conj() / n
    mu = np.trace(S).real / m
    delta = np.sum(np.abs(S - mu * np.eye(m)) ** 2) / m
    norms = np.sum(np.abs(xc) ** 2, axis=1)
    beta = (np.sum(norms**2) / n - np.sum(np.abs(S) ** 2)) / (n * m)
    lw = min(beta, delta) / delta if delta > 0 else 0.0
    alpha = np.mean(np.abs(S) ** 2)
    num, den = alpha + mu**2, (n + 1) * (alpha - mu**2 / m)
    oas = 1.0 if den == 0 else min(num / den, 1.0)
    eye = mu * np.eye(m)
    return (1 - lw) * S + lw * eye, (1 - oas) * S + oas * eye


def stein(C: np.ndarray, R: np.ndarray) -> float:
    if not np.all(np.isfinite(C)):  # (an estimator not run on this draw)
        return float("nan")
    a = np.linalg.solve(R, C)
    sign, logdet = np.linalg.slogdet(a)
    if sign.real <= 0 or not np.isfinite(logdet):
        return float("inf")
    return float(np.trace(a).real - logdet - R.shape[0])


def run_cell(family: str, m: int, n: int, cplx: bool, draws: int,
             ambient_draws: int | None = None) -> dict:
    tag = f"{family}-{m}-{n}-{int(cplx)}"
    seeds = np.random.SeedSequence(zlib.crc32(tag.encode())).spawn(draws)
    names = ("sample", "ledoit_wolf", "oas", "auto_blind", "auto_ambient", "oracle")
    n_ambient = draws if ambient_draws is None else min(ambient_draws, draws)
    err = {k: [] for k in names}
    loss = {k: [] for k in names}
    times = {"auto_blind": 0.0, "auto_ambient": 0.0, "ledoit_wolf": 0.0}
    chosen = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        R, G, A = planted(family, m, cplx, rng)
        x = snapshots(R, n, cplx, rng)
        xc = x - x.mean(axis=0)
        S = xc.T @ xc.conj() / max(n - 1, 1)
        t0 = time.perf_counter()
        lw, oas = ledoit_wolf_oas(x)
        times["ledoit_wolf"] += time.perf_counter() - t0
        if not cplx and n > 1:  # the complex-capable formulas are scikit-learn's
            np.testing.assert_allclose(lw, LedoitWolf().fit(x).covariance_, rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(oas, OAS().fit(x).covariance_, rtol=1e-9, atol=1e-12)
        ests = {"sample": S, "ledoit_wolf": lw, "oas": oas}
        for key, amb in (("auto_blind", None), ("auto_ambient", A)):
            if key == "auto_ambient" and len(err["sample"]) >= n_ambient:
                ests[key] = np.full_like(S, np.nan)  # (past the ambient draws: not run)
                continue
            t0 = time.perf_counter()
            est = AutoGroupCovariance(ambient=amb).fit(x)
            times[key] += time.perf_counter() - t0
            ests[key] = est.covariance_
            if key == "auto_blind":
                chosen.append(int(est.group_.n_pair_orbits))
        ests["oracle"] = S if G is None else reynolds(S, G)
        norm = np.linalg.norm(R)
        for k in names:
            err[k].append(float(np.linalg.norm(ests[k] - R) / norm))
            loss[k].append(stein(ests[k], R))
    e = {k: np.array(v) for k, v in err.items()}
    k = n_ambient  # the draws the ambient estimator ran on (the first ones)

    def paired(a: np.ndarray, b: np.ndarray) -> dict:
        r = a / b
        return {"mean": float(r.mean()),
                "upper95": float(r.mean() + 1.96 * r.std(ddof=1) / np.sqrt(len(r)))}

    # the target's peer: the smaller of the two errors in each draw (an oracle choice
    # between LW and OAS, draw by draw); beside it the better of the two estimators in
    # this cell (the one with the smaller mean error), which a user could pick in advance
    peer = np.minimum(e["ledoit_wolf"], e["oas"])
    better = "ledoit_wolf" if e["ledoit_wolf"].mean() <= e["oas"].mean() else "oas"
    return {
        "family": family, "M": m, "n": n, "complex": cplx, "draws": draws,
        "ambient_draws": k,
        "error": {name: float(v[:k].mean() if name == "auto_ambient" else v.mean())
                  for name, v in e.items()},
        "stein": {name: float(np.median(v[:k] if name == "auto_ambient" else v))
                  for name, v in loss.items()},
        "blind_vs_peer": paired(e["auto_blind"], peer),
        "ambient_vs_peer": paired(e["auto_ambient"][:k], peer[:k]),
        "better_peer": better,
        "blind_vs_better_peer": paired(e["auto_blind"], e[better]),
        "ambient_vs_better_peer": paired(e["auto_ambient"][:k], e[better][:k]),
        "peers_vs_peer": {"ledoit_wolf": paired(e["ledoit_wolf"], peer),
                          "oas": paired(e["oas"], peer)},
        "blind_vs_oracle": paired(e["auto_blind"], e["oracle"]),
        "ambient_vs_oracle": paired(e["auto_ambient"][:k], e["oracle"][:k]),
        "oracle_gain_over_lw": float(e["ledoit_wolf"].mean() / e["oracle"].mean()),
        "seconds_per_fit": {name: v / (k if name == "auto_ambient" else draws)
                            for name, v in times.items()},
        "blind_selected_pair_orbits_median": float(np.median(chosen)),
    }


def verdict(cell: dict) -> dict:
    """Which targets apply to the cell and whether they are met."""
    out = {}
    for mode in ("blind", "ambient"):
        p = cell[f"{mode}_vs_peer"]
        out[f"{mode}_never_worse"] = p["mean"] <= 1.02 and p["upper95"] <= 1.05
    if cell["oracle_gain_over_lw"] > 1.2:
        out["ambient_near_oracle"] = cell["ambient_vs_oracle"]["mean"] <= 1.25
        if cell["n"] >= 4 * cell["M"]:
            out["blind_near_oracle"] = cell["blind_vs_oracle"]["mean"] <= 1.25
    return out


def _key(cell: dict) -> tuple:
    return (cell["family"], cell["M"], cell["n"], bool(cell["complex"]))


def merge(name: str, parts: list[str], note: str | None) -> Path:
    """Replace the cells of ``results/NAME.json`` by those of the ``parts`` (same key)."""
    path = RESULTS / f"{name}.json"
    base = json.loads(path.read_text()) if path.exists() else {"cells": [], "seconds": 0.0}
    cells = {_key(c): c for c in base["cells"]}
    seconds = 0.0
    for part in parts:
        data = json.loads(Path(part).read_text())
        seconds += float(data.get("seconds", 0.0))
        for c in data["cells"]:
            cells[_key(c)] = c
    order = {f: i for i, f in enumerate(FAMILIES)}
    merged = sorted(cells.values(), key=lambda c: (c["M"], order.get(c["family"], 99), c["n"],
                                                   bool(c["complex"])))
    payload = {k: v for k, v in base.items() if k not in ("benchmark", "machine")}
    payload.update(cells=merged, seconds=seconds,
                   sizes=sorted({c["M"] for c in merged}),
                   families=[f for f in FAMILIES if any(c["family"] == f for c in merged)],
                   draws=max(c["draws"] for c in merged))
    if note:
        payload["note"] = note
    return write_results(name, payload)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--merge", nargs="+", metavar="PART", help="merge these results files into "
                    "results/NAME.json (cells keyed by family, M, n, complex) and exit")
    ap.add_argument("--note", help="with --merge: the note stored in the merged JSON")
    ap.add_argument("--quick", action="store_true", help="few draws, M = 16, real only")
    ap.add_argument("--draws", type=int, default=50)
    ap.add_argument("--ambient-draws", type=int, default=None, metavar="K",
                    help="run the ambient estimator on the first K draws of each cell only "
                         "(its fits at M = 64 take 0.4-2 s; default: all draws)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[16, 64])
    ap.add_argument("--families", nargs="+", default=list(FAMILIES), choices=FAMILIES)
    ap.add_argument("--name", default="selection", help="results/NAME.json")
    ap.add_argument("--ns", nargs="+", type=float, default=[0.25, 1, 4, 16], metavar="K",
                    help="snapshot counts as multiples of M (default 0.25 1 4 16)")
    ap.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = ap.parse_args(argv)
    if args.merge:
        print(f"wrote {merge(args.name, args.merge, args.note)}", file=sys.stderr)
        return
    if args.quiet:
        set_quiet(True)
    sizes = [16] if args.quick else args.sizes
    draws = 3 if args.quick else args.draws
    kinds = (False,) if args.quick else (False, True)
    cells = []
    start = time.perf_counter()
    bar = progress(total=len(sizes) * len(args.families) * len(args.ns) * len(kinds), desc="cells",
                   unit="cell")
    for m in sizes:
        for family in args.families:
            for n in [max(int(k * m), 2) for k in args.ns]:
                for cplx in kinds:
                    cell = run_cell(family, m, n, cplx, draws, args.ambient_draws)
                    cell["targets"] = verdict(cell)
                    cells.append(cell)
                    print(
                        f"{family:9s} M={m:3d} n={n:5d} {'C' if cplx else 'R'}  "
                        f"S {cell['error']['sample']:.3f}  LW {cell['error']['ledoit_wolf']:.3f}  "
                        f"OAS {cell['error']['oas']:.3f}  blind {cell['error']['auto_blind']:.3f}  "
                        f"amb {cell['error']['auto_ambient']:.3f}  oracle {cell['error']['oracle']:.3f}"
                        f"  blind/peer {cell['blind_vs_peer']['mean']:.3f}"
                        f" ({cell['blind_vs_peer']['upper95']:.3f})"
                        f"  amb/oracle {cell['ambient_vs_oracle']['mean']:.2f}"
                        f"  {cell['seconds_per_fit']['auto_blind']:.2f}s/fit",
                        flush=True,
                    )
                    bar.update()
    bar.close()
    payload = {
        "draws": draws, "sizes": sizes, "families": list(args.families),
        "seconds": time.perf_counter() - start, "cells": cells,
    }
    path = write_results(f"{args.name}_quick" if args.quick else args.name, payload)
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
