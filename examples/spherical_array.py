"""(k) A spherical array in a diffuse field: the SO(3)-matched (zonal) estimate and the icosahedral group.

Two open-sphere layouts of radius 4.2 cm: the 12 vertices of an icosahedron, and 32 points
(the icosahedron's 12 vertices and the dodecahedron's 20, the classic 32-microphone layout).
At f = 3 kHz (kr = 2.31) the field is, per snapshot,

* diffuse: 400 plane waves from directions drawn uniformly on the sphere afresh for every
  snapshot, independent circular Gaussian amplitudes, total power 1 per sensor, so that the
  true covariance is exactly ``sinc(k |r_i − r_j|)`` (Funk–Hecke);
* plus, in two further scenarios, a point source from a random direction (one per trial) at
  −10 dB or 0 dB relative to the diffuse power;
* plus white sensor noise at −20 dB.

From n = 1 … 8 snapshots, each estimate ``Ĉ`` is scored by the relative Frobenius error
``‖Ĉ − R‖_F / ‖R‖_F`` against the true ``R`` (mean over trials):

* the sample covariance ``S``;
* Ledoit–Wolf shrinkage toward ``(tr S / M) I`` (the closed form of scikit-learn's
  ``ledoit_wolf``, written for complex data; checked equal to scikit-learn on real data);
* the zonal (SO(3)-matched) estimate ``algdiv.estimation.ZonalCovariance``: the nearest
  positive-definite kernel ``Σ_l c_l P_l(cos θ_ij)``, ``c_l >= 0``, plus white noise;
* the group average over the icosahedral rotation group (order 60, from two generators,
  ``algdiv.arrays.icosahedral_group``) through the permutation machinery
  (``GroupCovariance``), and ``GroupLedoitWolf`` (risk-optimal ``a S + b Φ_G(S) + c μ I``).

The bias floor of each structured estimate, ``‖Z(R) − R‖ / ‖R‖`` and ``‖Φ_G(R) − R‖ / ‖R‖``,
is reported beside it: zero for the diffuse field, not for the point source.

Run:  python examples/spherical_array.py [--quick] [--out DIR] [--seed N]
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

from algdiv import reynolds  # noqa: E402
from algdiv._progress import progress, set_quiet  # noqa: E402
from algdiv.arrays import (  # noqa: E402
    diffuse_covariance,
    dodecahedron,
    icosahedral_group,
    icosahedron,
    plane_wave_steering,
)
from algdiv.estimation import (  # noqa: E402
    GroupCovariance,
    GroupLedoitWolf,
    ZonalCovariance,
    zonal_projection,
)
from algdiv.experiments.stap import ledoit_wolf as complex_ledoit_wolf  # noqa: E402

DEFAULT_OUT = Path("algdiv-gallery")  # under the current folder; tools/make_figures.py writes docs/figures
RADIUS, FREQ, C = 0.042, 3000.0, 343.0
K_WAVE = 2 * np.pi * FREQ / C
N_WAVES = 400
NOISE_DB = -20.0
SCENARIOS = {"diffuse": None, "diffuse + point source at -10 dB": -10.0,
             "diffuse + point source at 0 dB": 0.0}  # point-source power relative to diffuse
NS = [1, 2, 3, 4, 6, 8]


def ledoit_wolf(X: np.ndarray) -> np.ndarray:
    """scikit-learn's ``ledoit_wolf`` (assume_centered=True) for complex or real data."""
    return complex_ledoit_wolf(X)[0]


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.standard_normal((n, 3))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _cn(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)


def snapshots(P: np.ndarray, n: int, point: np.ndarray | None, point_db: float,
              rng: np.random.Generator) -> np.ndarray:
    m = P.shape[0]
    X = np.empty((n, m), dtype=complex)
    for t in range(n):
        A = plane_wave_steering(P, _unit(rng, N_WAVES), K_WAVE)
        X[t] = A @ _cn(rng, N_WAVES) / np.sqrt(N_WAVES)
    if point is not None:
        a = plane_wave_steering(P, point, K_WAVE)[:, 0]
        X += np.sqrt(10 ** (point_db / 10)) * np.outer(_cn(rng, n), a)
    return X + np.sqrt(10 ** (NOISE_DB / 10)) * _cn(rng, n, m)


def truth(P: np.ndarray, point: np.ndarray | None, point_db: float) -> np.ndarray:
    R = diffuse_covariance(P, K_WAVE) + 10 ** (NOISE_DB / 10) * np.eye(P.shape[0])
    if point is not None:
        a = plane_wave_steering(P, point, K_WAVE)[:, 0]
        R = R + 10 ** (point_db / 10) * np.outer(a, a.conj())
    return R


def estimators(P: np.ndarray, G) -> dict:
    return {
        "sample covariance": lambda X: X.T @ X.conj() / X.shape[0],
        "Ledoit-Wolf": ledoit_wolf,
        "zonal Z(S) (SO(3))": lambda X: ZonalCovariance(P, assume_centered=True).fit(X).covariance_,
        "icosahedral average (|G| = 60)": lambda X: GroupCovariance(G, assume_centered=True)
        .fit(X).covariance_,
        "GroupLedoitWolf (icosahedral)": lambda X: GroupLedoitWolf(G, assume_centered=True)
        .fit(X).covariance_,
    }


def run(n_trials: int, rng: np.random.Generator) -> dict:
    layouts = {"icosahedron (M = 12)": icosahedron(),
               "ico + dodeca (M = 32)": np.vstack([icosahedron(), dodecahedron()])}
    out: dict = {"n": NS, "cases": []}
    for lname, U in layouts.items():
        P = RADIUS * U
        G = icosahedral_group(U)
        est = estimators(P, G)
        for scen, point_db in SCENARIOS.items():
            err = {name: np.zeros((len(NS), n_trials)) for name in est}
            floor = {"zonal": [], "group": []}
            for t in progress(range(n_trials), f"{lname}, {scen}", unit="trial"):
                point = None if point_db is None else _unit(rng, 1)
                R = truth(P, point, point_db or 0.0)
                nr = np.linalg.norm(R)
                floor["zonal"].append(np.linalg.norm(zonal_projection(R, P, nonnegative=True) - R) / nr)
                floor["group"].append(np.linalg.norm(reynolds(R, G) - R) / nr)
                X = snapshots(P, max(NS), point, point_db or 0.0, rng)
                for i, n in enumerate(NS):
                    for name, f in est.items():
                        if name.startswith("GroupLedoitWolf") and n < 2:
                            err[name][i, t] = np.nan  # no variance estimate from one snapshot
                            continue
                        err[name][i, t] = np.linalg.norm(f(X[:n]) - R) / nr
            out["cases"].append({
                "layout": lname, "M": int(P.shape[0]), "field": scen,
                "group_order": int(G.order), "group_pair_orbits": int(G.n_pair_orbits),
                "zonal_classes": int(ZonalCovariance(P).fit(np.ones((2, P.shape[0]))
                                                            + np.arange(P.shape[0])).n_classes_),
                "rel_error": {k: [None if np.isnan(v).all() else float(np.nanmean(v)) for v in e]
                              for k, e in err.items()},
                "bias_floor": {"zonal": float(np.mean(floor["zonal"])),
                               "group": float(np.mean(floor["group"]))},
            })
    return out


def check_ledoit_wolf(rng: np.random.Generator) -> float:
    """Our complex Ledoit–Wolf equals scikit-learn's on real data (max abs difference)."""
    from sklearn.covariance import ledoit_wolf as sk_ledoit_wolf

    X = rng.standard_normal((6, 12))
    return float(np.max(np.abs(ledoit_wolf(X) - sk_ledoit_wolf(X, assume_centered=True)[0])))


STYLE = {"sample covariance": "o-", "Ledoit-Wolf": "s-", "zonal Z(S) (SO(3))": "^-",
         "icosahedral average (|G| = 60)": "v--", "GroupLedoitWolf (icosahedral)": "d-"}


def plot(res: dict, path: Path, n_trials: int) -> None:
    fig, axes = plt.subplots(2, len(SCENARIOS), figsize=(4.6 * len(SCENARIOS), 7.6), sharex=True,
                             sharey=True)
    for ax, case in zip(axes.ravel(), res["cases"]):
        for name, e in case["rel_error"].items():
            y = np.array([np.nan if v is None else v for v in e])
            ax.semilogy(res["n"], y, STYLE[name], label=name)
        if case["bias_floor"]["zonal"] > 1e-6:
            ax.axhline(case["bias_floor"]["zonal"], color="C2", lw=0.8, ls=":",
                       label="bias floor of Z: ‖Z(R) − R‖/‖R‖")
        ax.set_title(f"{case['layout']}, {case['field'].replace('diffuse + ', '+ ')}",
                     fontsize=9)
        ax.grid(True, which="both", alpha=0.3)
        ax.set_xlabel("snapshots n")
    for ax in axes[:, 0]:
        ax.set_ylabel("relative Frobenius error ‖Ĉ − R‖/‖R‖")
    axes[0, 0].legend(fontsize=7)
    axes[0, -1].legend(fontsize=7)
    fig.suptitle(f"open sphere r = {100 * RADIUS:g} cm, f = {FREQ / 1000:g} kHz (kr = "
                 f"{K_WAVE * RADIUS:.2f}), diffuse power 1, sensor noise {NOISE_DB:g} dB, "
                 f"{n_trials} trials", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a few trials (smoke test)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the results")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = ap.parse_args(argv)
    if args.quiet:
        set_quiet(True)
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    t0 = time.perf_counter()
    n_trials = 3 if args.quick else 100
    res = run(n_trials, rng)
    res.update(n_trials=n_trials, radius_m=RADIUS, freq_hz=FREQ, kr=K_WAVE * RADIUS,
               n_plane_waves=N_WAVES, noise_db=NOISE_DB, scenarios=SCENARIOS, seed=args.seed,
               ledoit_wolf_vs_sklearn_max_abs_diff=check_ledoit_wolf(rng))
    plot(res, args.out / "spherical_array.png", n_trials)
    (args.out / "spherical_array.json").write_text(json.dumps(res, indent=1))
    for case in res["cases"]:
        print(f"\n{case['layout']}, {case['field']}: |G| = {case['group_order']}, "
              f"{case['group_pair_orbits']} pair orbits, {case['zonal_classes']} angle classes; "
              f"bias floor zonal {case['bias_floor']['zonal']:.3f}, group "
              f"{case['bias_floor']['group']:.3f}")
        print(f"  {'n':34s} " + " ".join(f"{n:6d}" for n in res["n"]))
        for name, e in case["rel_error"].items():
            print(f"  {name:34s} " + " ".join("     -" if v is None else f"{v:6.3f}" for v in e))
    print(f"\nLedoit-Wolf vs scikit-learn (real data): {res['ledoit_wolf_vs_sklearn_max_abs_diff']:.1e}")
    print(f"results in {args.out} ({time.perf_counter() - t0:.1f} s)")
    return res


if __name__ == "__main__":
    # many small complex eigenproblems: multi-threaded BLAS makes each one ~500x slower
    with threadpool_limits(limits=1):
        main(sys.argv[1:])
