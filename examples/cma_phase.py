"""(h) CMA phase ambiguity on 3GPP TDL channels: predicted against measured rotation.

The constant-modulus cost is invariant under every phase rotation (U(1)); a QPSK or 16-QAM
constellation only under rotations by multiples of π/2 (Z₄).  So CMA opens the eye and leaves
a rotation that its cost cannot see, fixed by the dynamics.  algdiv.arrays.cma_predict_rotation
predicts it from the channel and the initial equalizer only (never the converged taps):

* zeroth order: the phase of the largest tap of ``g₀ = h ⋆ w₀`` (exact if the channel's
  convolution matrix had orthonormal rows: the CMA cost depends only on the moduli |g_j|, so
  the mean flow then keeps every tap's phase);
* mean ODE: the averaged recursion ``w ← w − (μ/2) ∂J/∂w̄`` with the closed-form gradient for
  an i.i.d. circular source (kurtosis κ) and white noise, integrated from ``w₀`` for as many
  iterations as the stochastic algorithm runs, then the phase of its largest combined tap.

Measured: the stochastic CMA equalizer (algdiv.arrays.cma_equalize) on simulated data, its
rotation read from the correlation of the last 5000 outputs with the sent symbols at the best
delay.  Rotations are compared modulo π/2.

Settings, fixed before the first run (and not changed after it): TR 38.901 TDL-A … TDL-E
(algdiv.arrays.tdl_channel; block fading, band-limited sinc sampling), RMS delay spread
DS = 100 ns ("nominal", TR 38.901 Table 7.7.3-2) at symbol period T = 200 ns (5 Mbaud), each
realization scaled to unit energy; QPSK and 16-QAM; SNR (symbol energy over noise, after the
channel) 10, 15, 20, 25, 30 dB; 21-tap equalizer, centre-spike start, μ = 10⁻³, 30 000
symbols; 40 channel realizations per profile (the same realizations at every SNR).  A trial
counts as converged when the output MSE after gain and phase correction is below −10 dB.

Run:  python examples/cma_phase.py [--quick] [--out DIR] [--seed N] [--table-from JSON]
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

from algdiv._progress import progress, set_quiet  # noqa: E402
from algdiv.arrays import (  # noqa: E402
    TDL_PROFILES,
    cma_equalize,
    cma_predict_rotation,
    constellation,
    measure_rotation,
    tdl_channel,
    wrap_quarter,
)

DEFAULT_OUT = Path("algdiv-gallery")  # under the current folder; tools/make_figures.py writes docs/figures
DS, T = 100e-9, 200e-9
N_TAPS, STEP, N_EVAL, MSE_OK_DB = 21, 1e-3, 5000, -10.0
PREDICTORS = ("mean_ode", "zeroth_order")


def run(consts: list[str], profiles: list[str], snrs: list[float], n_real: int, n_sym: int,
        rng: np.random.Generator) -> dict:
    trials: list[dict] = []
    jobs = [(p, c, s) for p in profiles for c in consts for s in snrs]
    channels = {p: tdl_channel(p, DS, T, rng, n_realizations=n_real) for p in profiles}
    for prof, cname, snr in progress(jobs, "cma_phase", unit="cell"):
        h = channels[prof]
        pts = constellation(cname)
        kappa = float(np.mean(np.abs(pts) ** 4))
        noise_var = 10 ** (-snr / 10)
        s = pts[rng.integers(0, pts.size, (n_real, n_sym))]
        x = np.stack([np.convolve(s[b], h[b])[:n_sym] for b in range(n_real)])
        x += np.sqrt(noise_var / 2) * (rng.standard_normal(x.shape) + 1j * rng.standard_normal(x.shape))
        eq = cma_equalize(x, N_TAPS, STEP, modulus=kappa)
        meas = measure_rotation(eq.output[:, -N_EVAL:], s[:, -N_EVAL - N_TAPS + 1:], n_taps=N_TAPS,
                                max_delay=N_TAPS + h.shape[1])
        pred = cma_predict_rotation(h, N_TAPS, STEP, eq.output.shape[1], kurtosis=kappa,
                                    noise_var=noise_var)
        for b in range(n_real):
            trials.append({
                "profile": prof, "constellation": cname, "snr_db": snr, "realization": b,
                "measured_deg": float(np.rad2deg(meas["rotation"][b])),
                "mse_db": float(10 * np.log10(meas["mse"][b])),
                "delay": int(meas["delay"][b]),
                **{f"{k}_deg": float(np.rad2deg(pred[k][b])) for k in PREDICTORS},
                **{f"{k}_delay": int(pred[f"delay_{k}"][b]) for k in PREDICTORS},
            })
    return {"trials": trials, "summary": summarize(trials, consts, profiles, snrs)}


def pack(res: dict) -> str:
    """The results as JSON, trials as one compact row each (angles rounded to 10⁻⁴°)."""
    trials = res["trials"]
    cols = list(trials[0]) if trials else []
    rows = [[round(t[c], 4) if isinstance(t[c], float) else t[c] for c in cols] for t in trials]
    body = json.dumps({**{k: v for k, v in res.items() if k != "trials"},
                       "trials": {"columns": cols, "rows": ["@@"]}}, indent=1)
    packed = ",\n  ".join(json.dumps(r, separators=(",", ":")) for r in rows)
    return body.replace('"@@"', packed)


def unpack(res: dict) -> dict:
    """Inverse of :func:`pack` (also accepts trials already as a list of dicts)."""
    t = res["trials"]
    if isinstance(t, dict):
        res = {**res, "trials": [dict(zip(t["columns"], r)) for r in t["rows"]]}
    return res


def _errors(rows: list[dict], key: str) -> np.ndarray:
    return np.abs(np.rad2deg(wrap_quarter(np.deg2rad(
        [r[f"{key}_deg"] - r["measured_deg"] for r in rows]))))


def summarize(trials: list[dict], consts: list[str], profiles: list[str], snrs: list[float]) -> list[dict]:
    out = []
    for c in consts:
        for p in profiles:
            for s in snrs:
                rows = [t for t in trials if (t["constellation"], t["profile"], t["snr_db"]) == (c, p, s)]
                ok = [t for t in rows if t["mse_db"] < MSE_OK_DB]
                cell: dict = {"constellation": c, "profile": p, "snr_db": s, "n": len(rows),
                              "n_converged": len(ok)}
                for key in PREDICTORS:
                    e = _errors(ok, key) if ok else np.array([np.nan])
                    cell[f"{key}_mean_abs_err_deg"] = float(np.mean(e))
                    cell[f"{key}_median_abs_err_deg"] = float(np.median(e))
                    cell[f"{key}_p90_abs_err_deg"] = float(np.percentile(e, 90))
                    cell[f"{key}_share_within_2deg"] = float(np.mean(e <= 2.0))
                    cell[f"{key}_delay_agrees"] = float(np.mean([t[f"{key}_delay"] == t["delay"] for t in ok])) if ok else float("nan")
                out.append(cell)
    return out


def plot(res: dict, path: Path) -> None:
    consts, profiles, snrs = res["constellations"], res["profiles"], res["snr_db"]
    fig, axes = plt.subplots(1, 1 + len(consts), figsize=(4.7 * (1 + len(consts)), 4.2))
    trials = res["trials"]
    for key, mk, lab in (("zeroth_order", "x", "zeroth order (phase of g₀)"),
                         ("mean_ode", ".", "mean ODE from w₀")):
        axes[0].plot([t["measured_deg"] for t in trials], [t[f"{key}_deg"] for t in trials], mk, ms=4,
                     alpha=0.4, label=lab)
    axes[0].plot([-45, 45], [-45, 45], "k-", lw=0.8)
    axes[0].set_xlabel("measured rotation mod 90° (deg)")
    axes[0].set_ylabel("predicted rotation mod 90° (deg)")
    axes[0].set_title(f"all {len(trials)} trials (profiles × SNRs × constellations)", fontsize=9)
    axes[0].legend(fontsize=7)
    for ax, c in zip(axes[1:], consts):
        for i, p in enumerate(profiles):
            cells = [[t for t in trials if (t["constellation"], t["profile"], t["snr_db"]) == (c, p, s)]
                     for s in snrs]
            col = f"C{i}"
            ax.plot(snrs, [np.mean(_errors(r, "mean_ode")) for r in cells], "o-", color=col,
                    label=f"{p} mean ODE")
            ax.plot(snrs, [np.mean(_errors(r, "zeroth_order")) for r in cells], "x--", color=col,
                    alpha=0.6, label=f"{p} zeroth order")
        ax.axhline(2.0, color="k", lw=0.8, ls=":")
        ax.set_yscale("log")
        ax.set_xlabel("SNR (dB)")
        ax.set_ylabel("mean |predicted − measured| mod 90° (deg)")
        ax.set_title(f"{c}, all trials; dotted line = 2° target", fontsize=9)
    axes[1].legend(fontsize=6, ncol=2)
    for ax in axes:
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def table_markdown(res: dict) -> str:
    """The gallery table (|predicted − measured| in degrees), generated from the JSON."""
    lines = ["| constellation | profile | SNR (dB) | converged | mean ODE, converged: mean / p90 (°) "
             "| mean ODE, all trials: mean / p90 (°), within 2° | zeroth order, converged: mean / p90 (°) |",
             "|---|---|---|---|---|---|---|"]
    for x in res["summary"]:
        rows = [t for t in res["trials"]
                if (t["constellation"], t["profile"], t["snr_db"]) == (x["constellation"], x["profile"], x["snr_db"])]
        e = _errors(rows, "mean_ode")
        conv = "—" if x["n_converged"] == 0 else (
            f"{x['mean_ode_mean_abs_err_deg']:.2f} / {x['mean_ode_p90_abs_err_deg']:.2f}")
        zero = "—" if x["n_converged"] == 0 else (
            f"{x['zeroth_order_mean_abs_err_deg']:.1f} / {x['zeroth_order_p90_abs_err_deg']:.1f}")
        lines.append(
            f"| {x['constellation']} | {x['profile']} | {x['snr_db']:g} | {x['n_converged']}/{x['n']} "
            f"| {conv} | {np.mean(e):.2f} / {np.percentile(e, 90):.2f}, {100 * np.mean(e <= 2.0):.0f} % "
            f"| {zero} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="few realizations, short streams (smoke test)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the figure and JSON")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--table-from", type=Path, metavar="JSON",
                    help="print the gallery table (markdown) from a results JSON and exit")
    ap.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = ap.parse_args(argv)
    if args.quiet:
        set_quiet(True)
    if args.table_from is not None:
        res = unpack(json.loads(args.table_from.read_text()))
        print(table_markdown(res))
        return res
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    t0 = time.perf_counter()
    profiles = list(TDL_PROFILES)
    if args.quick:
        consts, snrs, n_real, n_sym = ["qpsk"], [20.0], 4, 10000
    else:
        consts, snrs, n_real, n_sym = ["qpsk", "16qam"], [10.0, 15.0, 20.0, 25.0, 30.0], 40, 30000
    res = run(consts, profiles, snrs, n_real, n_sym, rng)
    ok = [t for t in res["trials"] if t["mse_db"] < MSE_OK_DB]
    overall = {k: {"mean_abs_err_deg": float(np.mean(_errors(ok, k))),
                   "median_abs_err_deg": float(np.median(_errors(ok, k))),
                   "share_within_2deg": float(np.mean(_errors(ok, k) <= 2.0))} for k in PREDICTORS}
    res.update(constellations=consts, profiles=profiles, snr_db=snrs, n_realizations=n_real,
               n_symbols=n_sym, n_taps=N_TAPS, step=STEP, delay_spread_s=DS, symbol_period_s=T,
               n_eval=N_EVAL, converged_mse_db=MSE_OK_DB, seed=args.seed, overall=overall,
               n_converged=len(ok), n_trials=len(res["trials"]))
    plot(res, args.out / "cma_phase.png")
    # (strict JSON: a statistic with no trials behind it is null, not NaN)
    res = json.loads(json.dumps(res), parse_constant=lambda _: None)
    (args.out / "cma_phase.json").write_text(pack(res))
    print(table_markdown(res))
    for k, v in overall.items():
        print(f"{k:13s}: mean |error| {v['mean_abs_err_deg']:.2f}°, median {v['median_abs_err_deg']:.2f}°, "
              f"{100 * v['share_within_2deg']:.0f} % within 2° ({len(ok)}/{len(res['trials'])} converged)")
    print(f"figure and JSON in {args.out} ({time.perf_counter() - t0:.1f} s)")
    return res


if __name__ == "__main__":
    main(sys.argv[1:])
