"""(b) Direction of arrival on a uniform linear array: one-snapshot MUSIC with a group average.

A ULA of M = 16 sensors at half-wavelength spacing receives K = 2 uncorrelated sources
(SNR 10 dB each) from directions drawn afresh in every trial (uniform in ±60°, at least
15° apart).  Root-MUSIC is run on four covariance estimates built from the same n
snapshots:

* the sample covariance S (the classical multi-snapshot MUSIC);
* the group average Φ_G(S) with G = Z_M, the cyclic shifts of the sensor indices.
  Why this group: a ULA covariance is Toeplitz-Hermitian, and no permutation group has
  exactly the Toeplitz matrices as its commutant.  The commutant of Z_M is the circulants,
  the shift-structured matrices nearest to Toeplitz, and it keeps the phase progression
  a(θ) = exp(jπ m sin θ) distinguishable from its mirror image; adding the reversal
  i → −i (the dihedral group) would make every estimate real, mapping θ and −θ onto each
  other.  Φ_{Z_M}(x xᴴ) is the circulant of the circular autocorrelation of x; it has
  full rank from ONE snapshot (when no DFT bin of x vanishes), but it is exact only when
  the sources sit on the DFT grid sin θ = 2k/M;
* forward-backward averaging (S + J S̄ J)/2 (the exchange J with conjugation: a group
  of order two acting antilinearly, the classical ULA symmetry);
* the Toeplitz average of S (the diagonal means; the structure of the true covariance,
  but not the commutant of any group);
* rank promotion: every snapshot is delay-embedded into its M − L + 1 = 6 windows of
  L = 11 sensors (algdiv.delay_embed; the classical spatial smoothing), then
  forward-backward averaged.  It uses the translation structure of the array rather than
  a group acting on the M sensors, and gives a rank-K estimate from one snapshot.

The stochastic Cramér–Rao bound for uncorrelated sources (algdiv.arrays.ula_crb) is
averaged over the same directions.  A second figure shows pseudospectra from one
snapshot for sources on and off the DFT grid.

Run:  python examples/doa_music.py [--quick] [--out DIR] [--seed N]
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
    doa_rmse,
    music_spectrum,
    root_music,
    ula_crb,
    ula_steering,
)
from algdiv.estimation import (  # noqa: E402
    ForwardBackward,
    ToeplitzAverage,
    delay_embed,
    group_average,
    sample_covariance,
)
from algdiv.groups import cyclic  # noqa: E402

DEFAULT_OUT = Path("algdiv-gallery")  # under the current folder; tools/make_figures.py writes docs/figures
M, K, SNR_DB, MIN_SEP_DEG = 16, 2, 10.0, 15.0
SUCCESS_DEG = 2.0  # a trial succeeds when both directions are within this of the truth
L_SMOOTH = 11  # subarray length for the delay embedding (about 2M/3, the usual choice)


def _directions(rng: np.random.Generator) -> np.ndarray:
    while True:
        deg = np.sort(rng.uniform(-60.0, 60.0, K))
        if np.min(np.diff(deg)) >= MIN_SEP_DEG:
            return np.deg2rad(deg)


def _snapshots(theta: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    A = ula_steering(theta, M)
    p = 10 ** (SNR_DB / 10)
    s = np.sqrt(p / 2) * (rng.standard_normal((n, K)) + 1j * rng.standard_normal((n, K)))
    noise = (rng.standard_normal((n, M)) + 1j * rng.standard_normal((n, M))) / np.sqrt(2)
    return s @ A.T + noise


ESTIMATORS = {
    "sample covariance": lambda X: sample_covariance(X),
    "group average Z_M": lambda X: group_average(X, cyclic(M)),
    "forward-backward": lambda X: ForwardBackward(assume_centered=True).fit(X).covariance_,
    "Toeplitz average": lambda X: ToeplitzAverage(assume_centered=True).fit(X).covariance_,
    "delay embedding L=11 + FB": lambda X: ForwardBackward(assume_centered=True)
    .fit(np.concatenate([delay_embed(x, L_SMOOTH) for x in X]))
    .covariance_,
}


def rmse_vs_snapshots(ns: list[int], n_trials: int, rng: np.random.Generator) -> dict:
    est = {name: np.zeros((len(ns), n_trials, K)) for name in ESTIMATORS}
    truth = np.zeros((n_trials, K))
    crb = np.zeros(len(ns))
    for t in progress(range(n_trials), "doa_music trials", unit="trial"):
        theta = _directions(rng)
        truth[t] = theta
        X = _snapshots(theta, max(ns), rng)
        for i, n in enumerate(ns):
            for name, f in ESTIMATORS.items():
                est[name][i, t] = root_music(f(X[:n]), K)
            p = np.full(K, 10 ** (SNR_DB / 10))
            crb[i] += np.mean(np.diag(ula_crb(theta, p, 1.0, M, n))) / n_trials
    rmse = {
        name: [
            float(np.rad2deg(np.sqrt(np.mean([doa_rmse(e[i, t], truth[t]) ** 2
                                              for t in range(n_trials)]))))
            for i in range(len(ns))
        ]
        for name, e in est.items()
    }
    # RMSE is dominated by the occasional failed trial at small n: report the success rate too
    ok = {
        name: [float(np.mean(np.max(np.abs(np.sort(e[i], axis=-1) - truth), axis=-1)
                             < np.deg2rad(SUCCESS_DEG))) for i in range(len(ns))]
        for name, e in est.items()
    }
    return {"n": ns, "rmse_deg": rmse, "crb_deg": np.rad2deg(np.sqrt(crb)).tolist(),
            f"success_rate_within_{SUCCESS_DEG:g}_deg": ok}


def plot_rmse(res: dict, path: Path, n_trials: int) -> None:
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    styles = {"sample covariance": "o-", "group average Z_M": "s-",
              "forward-backward": "^-", "Toeplitz average": "d-",
              "delay embedding L=11 + FB": "v-"}
    for name, r in res["rmse_deg"].items():
        ax.loglog(res["n"], r, styles[name], label=name)
    ax.loglog(res["n"], res["crb_deg"], "k--", label="stochastic CRB")
    ax.set_xlabel("snapshots n")
    ax.set_ylabel("RMSE of root-MUSIC (degrees)")
    ax.set_title(f"ULA M={M}, K={K} sources at {SNR_DB:g} dB, random directions "
                 f"({n_trials} trials)", fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_spectra(path: Path, rng: np.random.Generator) -> dict:
    grid = np.deg2rad(np.linspace(-90, 90, 1801))
    cases = {
        "sources on the DFT grid (sin θ = 2k/M)": np.arcsin(np.array([-3, 1]) * 2 / M),
        "sources off the grid": np.deg2rad([-25.0, 10.0]),
    }
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    peaks = {}
    for ax, (title, theta) in zip(axes, cases.items()):
        X = _snapshots(theta, 100, rng)
        curves = {
            "sample covariance, n=100": sample_covariance(X),
            "sample covariance, n=1": sample_covariance(X[:1]),
            "group average Z_M, n=1": group_average(X[:1], cyclic(M)),
        }
        smoothed = ESTIMATORS["delay embedding L=11 + FB"](X[:1])
        peaks[title] = {"truth_deg": np.rad2deg(theta).round(2).tolist()}
        for (label, R), style in zip(curves.items(), ["k-", ":", "-"]):
            s = music_spectrum(R, K, grid)
            ax.plot(np.rad2deg(grid), 10 * np.log10(s / s.max()), style, label=label, lw=1.2)
            peaks[title][label] = np.rad2deg(root_music(R, K)).round(2).tolist()
        s = music_spectrum(smoothed, K, grid)
        ax.plot(np.rad2deg(grid), 10 * np.log10(s / s.max()), "--", lw=1.2,
                label="delay embedding L=11 + FB, n=1")
        peaks[title]["delay embedding L=11 + FB, n=1"] = (
            np.rad2deg(root_music(smoothed, K)).round(2).tolist())
        for th in theta:
            ax.axvline(np.rad2deg(th), color="r", lw=0.6, alpha=0.6)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("direction (degrees)")
        ax.set_ylim(-40, 2)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("MUSIC pseudospectrum (dB)")
    axes[0].legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return peaks


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a few trials (smoke test)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the figures")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = ap.parse_args(argv)
    if args.quiet:
        set_quiet(True)
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    t0 = time.perf_counter()
    ns = [1, 2, 4, 8, 16, 32, 64, 128] if not args.quick else [1, 4, 16]
    n_trials = 10 if args.quick else 400
    res = rmse_vs_snapshots(ns, n_trials, rng)
    plot_rmse(res, args.out / "doa_music_rmse.png", n_trials)
    res["one_snapshot_peaks_deg"] = plot_spectra(args.out / "doa_music_spectra.png", rng)
    res.update(n_trials=n_trials, M=M, K=K, snr_db=SNR_DB, seed=args.seed)
    (args.out / "doa_music.json").write_text(json.dumps(res, indent=1))
    names = list(res["rmse_deg"])
    print(f"{'n':>5} " + " ".join(f"{k:>{len(k)}}" for k in names) + f" {'CRB':>8}")
    for i, n in enumerate(ns):
        row = " ".join(f"{res['rmse_deg'][k][i]:{len(k)}.3f}" for k in names)
        print(f"{n:5d} {row} {res['crb_deg'][i]:8.3f}")
    print(f"\nsuccess rate (both sources within {SUCCESS_DEG:g} degrees)")
    ok = res[f"success_rate_within_{SUCCESS_DEG:g}_deg"]
    for i, n in enumerate(ns):
        print(f"{n:5d} " + " ".join(f"{ok[k][i]:{len(k)}.3f}" for k in names))
    print(f"RMSE in degrees; figures in {args.out} ({time.perf_counter() - t0:.1f} s)")
    return res


if __name__ == "__main__":
    main(sys.argv[1:])
