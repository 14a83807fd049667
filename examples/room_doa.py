"""(b2) Direction finding in a reverberant room simulated by pyroomacoustics.

An independent simulator: pyroomacoustics (image-source method, ``ShoeBox`` with the wall
absorption and reflection order that Sabine's formula gives for a target RT60 of 0.2, 0.4
or 0.6 s, ``pra.inverse_sabine``) renders K = 2 white-noise sources at 1.5–2 m from the
array, in the horizontal plane, in a 6 × 5 × 3 m room, onto two arrays that share a centre
(drawn afresh per trial near the middle of the room):

* a uniform linear array (ULA) of 8 microphones 4 cm apart along x;
* a uniform circular array (UCA) of 12 microphones on a 10 cm radius.

White sensor noise is added at 20 dB below the mean received power.  The microphone signals
go through one STFT (pyroomacoustics' ``transform.stft.analysis``, 256 points, hop 128,
16 kHz; 51 bins in 300–3500 Hz) and the SAME n frames (n = 1, 2, 4, 8, 32, taken 0.25 s after the sources start, so
the reverberation is established) feed every method:

* pyroomacoustics' own ``MUSIC``, ``NormMUSIC``, ``SRP`` (SRP-PHAT) and ``TOPS``;
* MUSIC on algdiv's covariance estimates, per frequency bin:
  - the sample covariance (this reproduces ``NormMUSIC``; the example checks it);
  - forward–backward averaging (the array's centro-symmetry: the exchange i → M−1−i on the
    ULA, the antipodal map i → i + M/2 on the UCA, with conjugation; ``ForwardBackward``);
  - ULA: spatial smoothing, the 3 subarrays of 6 microphones of each frame
    (``delay_embed``), forward–backward averaged; it decorrelates coherent reflections;
  - UCA: the phase-mode transform to a virtual ULA.  The rotation average of a UCA
    covariance is circulant (its eigenvectors are the DFT whatever the sources: blind to
    direction), so the rotations are used as a change of basis instead: the spatial DFT
    over the 12 microphones maps a plane wave from azimuth φ to the phase modes
    ``j^m J_m(kr) e^{jmφ}``, ``|m| <= h = min(⌊kr⌋, 5)``; dividing by ``j^m J_m(kr)`` gives a
    virtual ULA ``e^{jmφ}`` with coloured noise ``Q = diag(1/(M |J_m(kr)|²))``, on which
    forward–backward averaging and subarray smoothing (3 subarrays) apply, and MUSIC runs
    as the generalized eigenproblem of (R, Q).  Bins with fewer than K + 3 modes (low kr)
    are skipped;
  - ``AutoGroupCovariance`` (risk-selected group and shrinkage; ambient: the reversal of the
    ULA, the rotations Z_12 of the UCA) at n = 8 and 32 frames (it costs ~50 ms per bin).

How the per-bin estimates are combined (as in pyroomacoustics, ``doa/music.py``): each
bin's pseudospectrum ``1/‖E_nᴴ a_f(φ)‖²`` is evaluated on the common azimuth grid, divided
by its maximum over the grid (``frequency_normalization=True``, i.e. ``NormMUSIC``; plain
``MUSIC`` skips this and lets the loudest bins dominate), and the bins are averaged; the K
largest peaks of the average (``GridCircle.find_peaks``) are the estimates.  Bins are those
of 300–3500 Hz.  The errors are matched to the true direct-path azimuths by the best
assignment; the ULA's grid covers 0–180° (its front–back ambiguity), the UCA's 0–360°.

Run:  python examples/room_doa.py [--quick] [--out DIR] [--seed N] [--sources K] [--rt60 S ...]
[--rooms N]   (K = 1 or 3 write room_doa_K1/K3.json and .png)
(needs the optional extra ``pip install algdiv[room]``: pyroomacoustics)
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
from scipy.linalg import eigh  # noqa: E402
from scipy.optimize import linear_sum_assignment  # noqa: E402
from scipy.special import jv  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from algdiv import AutoGroupCovariance  # noqa: E402
from algdiv._progress import progress, set_quiet  # noqa: E402
from algdiv.estimation import ForwardBackward, delay_embed, sample_covariance  # noqa: E402
from algdiv.groups import cyclic, from_generators  # noqa: E402

try:
    import pyroomacoustics as pra
except ImportError:  # pragma: no cover - main() says so in one line (after --help works)
    pra = None

DEFAULT_OUT = Path("algdiv-gallery")  # under the current folder; tools/make_figures.py writes docs/figures
FS, NFFT, HOP, C = 16000, 256, 128, 343.0
FREQ_RANGE = (300.0, 3500.0)
ROOM = (6.0, 5.0, 3.0)
K = 2  # sources; main() sets it from --sources
SNR_DB = 20.0
M_ULA, D_ULA, L_SUB = 8, 0.04, 6
M_UCA, R_UCA = 12, 0.10
START_S = 0.25
FRAMES = [1, 2, 4, 8, 32]
WITHIN_DEG = 5.0
MIN_SEP_DEG = 20.0
N_SMOOTH_UCA = 3  # subarrays of the virtual ULA
AUTO_FRAMES = (8, 32)  # AutoGroupCovariance costs ~50 ms per bin: run it at these n only


# -- the room -----------------------------------------------------------------------------
def _geometry(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    centre = np.array([3.0 + rng.uniform(-0.3, 0.3), 2.2 + rng.uniform(-0.2, 0.2), 1.4])
    ula = centre[:, None] + np.outer([1.0, 0.0, 0.0], (np.arange(M_ULA) - (M_ULA - 1) / 2) * D_ULA)
    g = 2 * np.pi * np.arange(M_UCA) / M_UCA
    uca = centre[:, None] + R_UCA * np.vstack([np.cos(g), np.sin(g), np.zeros(M_UCA)])
    while True:  # sources in front of the ULA (azimuth 20..160 degrees), well apart
        az = np.sort(rng.uniform(np.deg2rad(20), np.deg2rad(160), K))
        if K == 1 or np.min(np.diff(az)) >= np.deg2rad(MIN_SEP_DEG):
            break
    dist = rng.uniform(1.5, 2.0, K)
    src = centre[:, None] + dist * np.vstack([np.cos(az), np.sin(az), np.zeros(K)])
    return ula, uca, src, az


def simulate(rt60: float, rng: np.random.Generator) -> dict:
    """One room, both arrays, K white-noise sources; the STFT frames of every microphone."""
    ula, uca, src, az = _geometry(rng)
    if rt60 > 0:
        e_abs, max_order = pra.inverse_sabine(rt60, ROOM)
        room = pra.ShoeBox(ROOM, fs=FS, materials=pra.Material(e_abs), max_order=max_order)
    else:  # anechoic: the direct paths only
        max_order = 0
        room = pra.ShoeBox(ROOM, fs=FS, max_order=0)
    room.add_microphone_array(np.hstack([ula, uca]))
    n_sig = int(START_S * FS) + (max(FRAMES) + 2) * HOP + NFFT
    for s in src.T:
        room.add_source(s, signal=rng.standard_normal(n_sig))
    room.simulate()
    sig = room.mic_array.signals[:, :n_sig]
    power = np.mean(sig ** 2)
    sig = sig + np.sqrt(power / 10 ** (SNR_DB / 10)) * rng.standard_normal(sig.shape)
    start = int(START_S * FS)
    seg = sig[:, start:start + (max(FRAMES) - 1) * HOP + NFFT]
    X = pra.transform.stft.analysis(seg.T, NFFT, HOP)  # (frames, bins, mics)
    X = np.transpose(X, (2, 1, 0))[..., : max(FRAMES)]  # (mics, bins, frames), as pra wants
    return {"X_ula": X[:M_ULA], "X_uca": X[M_ULA:], "ula": ula, "uca": uca, "az": az,
            "centre": ula.mean(axis=1), "max_order": int(max_order),
            "rt60_measured": float(np.mean(room.measure_rt60())) if rt60 > 0 else 0.0}


# -- MUSIC on any per-bin covariance, combined as pyroomacoustics does ---------------------
def _bins() -> np.ndarray:
    lo, hi = (int(round(f / FS * NFFT)) for f in FREQ_RANGE)
    return np.arange(lo, hi)


def _normalized_average(pssl: list[np.ndarray]) -> np.ndarray:
    """NormMUSIC's combination: each bin's spectrum over its grid maximum, then the mean."""
    P = np.array(pssl)
    return np.sum(P / P.max(axis=1, keepdims=True), axis=0) / len(pssl)


def _music_bin(R: np.ndarray, steer: np.ndarray, k: int, Q: np.ndarray | None = None) -> np.ndarray:
    """``1/‖E_nᴴ a‖²`` (E_n: the M − K smallest (generalized) eigenvectors of R (, Q))."""
    R = (R + R.conj().T) / 2
    if Q is None:
        _, v = np.linalg.eigh(R)
    else:
        _, v = eigh(R, Q)
    en = v[:, : R.shape[0] - k]
    return 1.0 / np.sum(np.abs(en.conj().T @ steer) ** 2, axis=0)


def _peaks(spectrum: np.ndarray, grid: np.ndarray, k: int) -> np.ndarray:
    g = pra.doa.GridCircle(azimuth=grid)
    g.set_values(spectrum)
    return np.asarray(grid[g.find_peaks(k=k)])


def _fb_order(m: int, circular: bool) -> np.ndarray:
    """An order of the sensors in which the exchange i -> M-1-i is the centro-symmetry."""
    if not circular:
        return np.arange(m)
    half = np.arange(m // 2)
    return np.concatenate([half, (half + m // 2)[::-1]])


def _fb(Xf: np.ndarray, order: np.ndarray) -> np.ndarray:
    R = np.empty((Xf.shape[1],) * 2, dtype=complex)
    R[np.ix_(order, order)] = ForwardBackward(assume_centered=True).fit(Xf[:, order]).covariance_
    return R


def _smoothed_fb(Xf: np.ndarray, length: int) -> np.ndarray:
    sub = np.concatenate([delay_embed(x, length) for x in Xf])
    return np.asarray(ForwardBackward(assume_centered=True).fit(sub).covariance_)


def _phase_modes(kr: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Modes m = -h..h, the transform T (virtual ULA e^{jmφ}) and its noise colour Q = T Tᴴ."""
    h = min(int(np.floor(kr)), M_UCA // 2 - 1)  # M > 2h + 1: aliased modes stay small
    m = np.arange(-h, h + 1)
    gam = 2 * np.pi * np.arange(M_UCA) / M_UCA
    F = np.exp(1j * np.outer(m, gam)) / M_UCA
    cm = (1j ** m) * jv(m, kr)
    T = F / cm[:, None]
    return m, T, (T @ T.conj().T).real


def _ambient_reversal(m: int):
    return from_generators([np.arange(m)[::-1]])


class Methods:
    """Every DOA method on one array; ``run(X, n)`` returns {method: azimuths}."""

    def __init__(self, mics: np.ndarray, circular: bool):
        self.circular = circular
        self.centre = mics.mean(axis=1, keepdims=True)
        self.L = mics - self.centre
        self.M = mics.shape[1]
        self.grid = np.deg2rad(np.arange(0.0, 360.0, 1.0) if circular else np.arange(0.0, 180.5, 1.0))
        self.bins = _bins()
        kw = {"num_src": K, "azimuth": self.grid, "c": C}
        self.pra = {
            "pra MUSIC": pra.doa.MUSIC(self.L, FS, NFFT, **kw),
            "pra NormMUSIC": pra.doa.NormMUSIC(self.L, FS, NFFT, **kw),
            "pra SRP-PHAT": pra.doa.SRP(self.L, FS, NFFT, **kw),
            "pra TOPS": pra.doa.TOPS(self.L, FS, NFFT, **kw),
        }
        mv = self.pra["pra MUSIC"].mode_vec
        self.steer = [np.asarray(mv[int(f), :, :]) for f in self.bins]  # (M, grid) per bin
        self.order = _fb_order(self.M, circular)
        self.auto_log: list[tuple[int, float]] = []
        # the rotations of the UCA (D_12 would be 4x slower per bin), the reversal of the ULA
        self.ambient = cyclic(self.M) if circular else _ambient_reversal(self.M)
        if circular:
            self.modes = []
            for f in self.bins:
                kr = 2 * np.pi * f * FS / NFFT * R_UCA / C
                m, T, Q = _phase_modes(kr)
                self.modes.append((m, T, Q) if m.size >= K + 3 else None)

    def _spectrum(self, Xb: list[np.ndarray], est) -> np.ndarray:
        return _normalized_average([_music_bin(est(x), a, K) for x, a in zip(Xb, self.steer)])

    def _smoothed_ula(self, Xb: list[np.ndarray]) -> np.ndarray:
        return _normalized_average([_music_bin(_smoothed_fb(x, L_SUB), a[:L_SUB], K)
                                    for x, a in zip(Xb, self.steer)])

    def _virtual_ula(self, Xb: list[np.ndarray], fb: bool, n_sub: int) -> np.ndarray:
        out = []
        for x, md in zip(Xb, self.modes):
            if md is None:
                continue
            m, T, Q = md
            R = T @ sample_covariance(x) @ T.conj().T
            if fb:  # the virtual ULA e^{jmφ} is conjugate-centro-symmetric; Q is FB-invariant
                R = (R + R[::-1, ::-1].conj()) / 2
            length = m.size - n_sub + 1
            Rs = sum(R[i:i + length, i:i + length] for i in range(n_sub)) / n_sub
            Qs = sum(Q[i:i + length, i:i + length] for i in range(n_sub)) / n_sub
            steer = np.exp(1j * np.outer(np.arange(length), self.grid))
            out.append(_music_bin(Rs, steer, K, Qs))
        return _normalized_average(out)

    def _auto(self, x: np.ndarray) -> np.ndarray:
        est = AutoGroupCovariance(ambient=self.ambient, assume_centered=True).fit(x)
        # which group, and how much weight its average gets (b of a S + b Φ_H(S) + c μ I)
        self.auto_log.append((int(est.group_.order), float(est.shrinkage_[1])))
        return np.asarray(est.covariance_)

    def run(self, X: np.ndarray, n: int) -> dict[str, np.ndarray]:
        Xn = X[:, :, :n]
        res = {}
        for name, doa in self.pra.items():
            doa.locate_sources(Xn, num_src=K, freq_bins=self.bins)
            res[name] = np.asarray(self.grid[doa.src_idx])
        Xb = [Xn[:, f, :].T for f in self.bins]  # (n, M) snapshots per bin
        spectra = {"algdiv sample covariance": self._spectrum(Xb, sample_covariance),
                   "algdiv forward-backward": self._spectrum(Xb, lambda x: _fb(x, self.order))}
        if self.circular:
            spectra["algdiv phase modes (virtual ULA)"] = self._virtual_ula(Xb, False, 1)
            spectra["algdiv phase modes + FB"] = self._virtual_ula(Xb, True, 1)
            spectra["algdiv phase modes + FB + smoothing"] = self._virtual_ula(Xb, True,
                                                                              N_SMOOTH_UCA)
        else:
            spectra["algdiv spatial smoothing + FB"] = self._smoothed_ula(Xb)
        if n in AUTO_FRAMES:
            spectra["algdiv AutoGroupCovariance"] = self._spectrum(Xb, self._auto)
        for name, s in spectra.items():
            res[name] = _peaks(s, self.grid, K)
        self.last_spectra = spectra
        return res


def _errors(est: np.ndarray, truth: np.ndarray, circular: bool) -> np.ndarray:
    """Per-source absolute errors (degrees) under the best assignment of estimates."""
    est = np.resize(est, truth.size)  # fewer peaks than sources: repeat the ones found
    d = np.abs(est[:, None] - truth[None, :])
    if circular:
        d = np.minimum(d, 2 * np.pi - d)
    r, c = linear_sum_assignment(d)
    return np.rad2deg(d[r, c])


def run(rt60s: list[float], n_trials: int, rng: np.random.Generator,
        frames: list[int] = FRAMES) -> dict:
    out: dict = {"rt60": rt60s, "frames": frames, "arrays": {}}
    results = {arr: {} for arr in ("ULA", "UCA")}
    measured_rt60: dict[str, float] = {}
    orders: dict[str, int] = {}
    pra_check = 0.0
    auto_log: dict[str, list[tuple[int, float]]] = {"ULA": [], "UCA": []}
    for rt60 in rt60s:
        errs: dict = {arr: {} for arr in ("ULA", "UCA")}
        rts = []
        for _ in progress(range(n_trials), f"room_doa RT60={rt60}", unit="room"):
            sim = simulate(rt60, rng)
            centre = sim["centre"]
            for arr, X, mics, circ in (("ULA", sim["X_ula"], sim["ula"], False),
                                       ("UCA", sim["X_uca"], sim["uca"], True)):
                meth = Methods(mics, circ)
                assert np.allclose(meth.centre[:, 0], centre)
                meth.auto_log = auto_log[arr]
                for n in frames:
                    est = meth.run(X, n)
                    # the sample covariance through our pipeline is pyroomacoustics' NormMUSIC
                    # (checked for n >= K: with fewer frames than sources the noise subspace is
                    # not unique, and two eigensolvers may pick different bases of it)
                    ours = meth.last_spectra["algdiv sample covariance"]
                    theirs = meth.pra["pra NormMUSIC"].grid.values
                    if n >= K:
                        pra_check = max(pra_check, float(np.max(np.abs(ours - theirs))))
                    for name, e in est.items():
                        errs[arr].setdefault(name, {}).setdefault(n, []).append(
                            _errors(e, sim["az"], circ))
            rts.append(sim["rt60_measured"])
            orders[str(rt60)] = sim["max_order"]
        measured_rt60[str(rt60)] = float(np.mean(rts))
        for arr in errs:
            for name, by_n in errs[arr].items():
                r = results[arr].setdefault(name, {"mean_abs_error_deg": {}, "median_abs_error_deg": {},
                                                   f"share_within_{WITHIN_DEG:g}_deg": {}})
                for key in r:
                    r[key].setdefault(str(rt60), [None] * len(frames))
                for n, e in by_n.items():
                    e = np.concatenate(e)
                    i = frames.index(n)
                    r["mean_abs_error_deg"][str(rt60)][i] = float(np.mean(e))
                    r["median_abs_error_deg"][str(rt60)][i] = float(np.median(e))
                    r[f"share_within_{WITHIN_DEG:g}_deg"][str(rt60)][i] = float(
                        np.mean(e < WITHIN_DEG))
    out["arrays"] = results
    out["auto_selection"] = {
        arr: {"bins": len(log),
              "share_nontrivial_group_with_weight": float(np.mean([o > 1 and b > 0.05
                                                                  for o, b in log])) if log else None,
              "mean_group_average_weight_b": float(np.mean([b for _, b in log])) if log else None,
              "group_orders_selected": {str(o): int(c) for o, c in zip(*np.unique(
                  [o for o, _ in log], return_counts=True))} if log else {}}
        for arr, log in auto_log.items()}
    out["image_source_max_order"] = orders
    out["rt60_measured_s"] = measured_rt60  # Schroeder integration of the simulated RIRs
    out["max_abs_diff_our_sample_music_vs_pra_normmusic"] = pra_check
    return out


STYLE = {
    "pra MUSIC": ("0.6", ":", "x"), "pra NormMUSIC": ("k", "-", "o"),
    "pra SRP-PHAT": ("0.4", "--", "s"), "pra TOPS": ("0.7", "-.", "d"),
    "algdiv sample covariance": ("C7", "", "."),
    "algdiv forward-backward": ("C0", "-", "^"),
    "algdiv spatial smoothing + FB": ("C3", "-", "v"),
    "algdiv phase modes (virtual ULA)": ("C2", "--", "<"),
    "algdiv phase modes + FB": ("C1", "-", ">"),
    "algdiv phase modes + FB + smoothing": ("C3", "-", "v"),
    "algdiv AutoGroupCovariance": ("C4", "--", "P"),
}


def plot(res: dict, path: Path, n_trials: int) -> None:
    rt60s = res["rt60"]
    key = f"share_within_{WITHIN_DEG:g}_deg"
    fig, axes = plt.subplots(2, len(rt60s), figsize=(max(4.0 * len(rt60s), 6.4), 7.2), sharey=True,
                             squeeze=False)
    for row, arr in enumerate(("ULA", "UCA")):
        for col, rt in enumerate(rt60s):
            ax = axes[row, col]
            for name, r in res["arrays"][arr].items():
                if name == "algdiv sample covariance":
                    continue  # identical to pra NormMUSIC (checked)
                y = np.array([np.nan if v is None else v for v in r[key][str(rt)]])
                colour, ls, mk = STYLE[name]
                ax.semilogx(res["frames"], y, color=colour, ls=ls or "-", marker=mk, label=name)
            ax.set_xticks(res["frames"], [str(f) for f in res["frames"]])
            ax.set_ylim(-0.02, 1.02)
            ax.grid(alpha=0.3)
            ax.set_title(f"{arr} (M = {M_ULA if arr == 'ULA' else M_UCA}), RT60 = {rt} s",
                         fontsize=9)
            if row == 1:
                ax.set_xlabel("STFT frames n (256 points, 16 kHz)")
            if col == 0:
                ax.set_ylabel(f"share of sources within {WITHIN_DEG:g}°")
        axes[row, -1].legend(fontsize=7, loc="lower right")
    fig.suptitle(f"pyroomacoustics 6×5×3 m room, K = {K} noise sources, {n_trials} rooms per RT60",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a few rooms (smoke test)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the results")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--sources", type=int, default=2, choices=[1, 2, 3],
                    help="number of sources K (default 2)")
    ap.add_argument("--rt60", type=float, nargs="+", default=None,
                    help="target RT60s in seconds (default 0.2 0.4 0.6; 0 = anechoic)")
    ap.add_argument("--rooms", type=int, default=None, help="rooms per RT60 (default 20)")
    ap.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = ap.parse_args(argv)
    if args.quiet:
        set_quiet(True)
    if pra is None:
        sys.exit("room_doa.py needs pyroomacoustics: pip install 'algdiv[room]' "
                 "(or pip install pyroomacoustics)")
    args.out.mkdir(parents=True, exist_ok=True)
    global K
    K = args.sources
    stem = "room_doa" if K == 2 else f"room_doa_K{K}"
    rng = np.random.default_rng(args.seed)
    t0 = time.perf_counter()
    rt60s = args.rt60 or ([0.2] if args.quick else [0.2, 0.4, 0.6])
    n_trials = args.rooms or (1 if args.quick else 20)
    res = run(rt60s, n_trials, rng, [1, 8] if args.quick else FRAMES)
    res.update(n_trials=n_trials, K=K, snr_db=SNR_DB, seed=args.seed, fs=FS, nfft=NFFT, hop=HOP,
               freq_range_hz=list(FREQ_RANGE), room_m=list(ROOM), M_ula=M_ULA, spacing_ula_m=D_ULA,
               M_uca=M_UCA, radius_uca_m=R_UCA, pyroomacoustics=pra.__version__)
    plot(res, args.out / f"{stem}.png", n_trials)
    (args.out / f"{stem}.json").write_text(json.dumps(res, indent=1))
    key = f"share_within_{WITHIN_DEG:g}_deg"
    for arr, methods in res["arrays"].items():
        for rt in rt60s:
            print(f"\n{arr}, RT60 {rt} s: share within {WITHIN_DEG:g} deg | mean abs error (deg)"
                  f" for n = {res['frames']}")
            for name, r in methods.items():
                sh = " ".join("  -  " if v is None else f"{v:5.2f}" for v in r[key][str(rt)])
                me = " ".join("   -  " if v is None else f"{v:6.1f}"
                              for v in r["mean_abs_error_deg"][str(rt)])
                print(f"  {name:38s} {sh} | {me}")
    for arr, a in res["auto_selection"].items():
        print(f"AutoGroupCovariance on the {arr}: {a['bins']} bins, non-trivial group with weight "
              f"> 0.05 in {a['share_nontrivial_group_with_weight']}, mean weight b "
              f"{a['mean_group_average_weight_b']}, orders {a['group_orders_selected']}")
    print(f"\nour sample-covariance MUSIC vs pra NormMUSIC: max |diff| "
          f"{res['max_abs_diff_our_sample_music_vs_pra_normmusic']:.2e}")
    print(f"results in {args.out} ({time.perf_counter() - t0:.1f} s)")
    return res


if __name__ == "__main__":
    # many small complex eigenproblems: multi-threaded BLAS makes each one ~500x slower
    with threadpool_limits(limits=1):
        main(sys.argv[1:])
