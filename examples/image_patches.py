"""(e) Images: the matched group of 8×8 patches of a photograph; DCT against KLT compaction.

The photographs are the ones PyWavelets ships inside its package (pywt.data, no
download): `camera` (the cameraman) trains, `ascent` and `aero` test.  Patches are 8×8
pixels (64-dimensional snapshots, the image mean removed).

Discovery with an ambient group: the candidates are the ten subgroups of the symmetry
group of the square (flips, transposition, rotations; D_4 acting on the 64 pixels) and,
as deliberately wrong candidates, the torus shifts Z_8 × Z_8 and D_8 × D_8.  Each is
scored by the held-out Gaussian likelihood of its group-averaged covariance
(algdiv.select_group, 5 contiguous folds of non-overlapping patches), and the residual δ
and coloring index α (algdiv.discovery) are reported for each.

The full pipeline algdiv.discover (bootstrap test of α against its noise distribution,
greedy search over the subgroups of the ambient D_4) is run twice: on the 4096
non-overlapping patches, and on all overlapping patches treated as independent
snapshots (which they are not: neighbouring windows share pixels).

Compaction: the fraction of a held-out image's patch energy left outside the k
coefficients of largest training variance, for the pixel basis, the 2-D DCT-II
(scipy.fft.dctn, fixed a priori; the matched transform of the 2-D dihedral fold), the KLT
of the training covariance, and the matched transform of the selected group refined by
the training covariance (the KL step inside each isotypic block, i.e. the KLT of
Φ_G(R̂)).  Coding gain = arithmetic / geometric mean of the coefficient variances.

Run:  python examples/image_patches.py [--quick] [--out DIR]
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

try:
    import pywt.data
except ImportError:  # an optional dependency: say so in one line instead of a traceback
    sys.exit(
        "image_patches.py needs PyWavelets for its photographs: "
        "pip install -e \".[plot,wavelets]\" (or pip install PyWavelets)"
    )
from scipy import fft  # noqa: E402

from algdiv import discover, matched_transform, reynolds  # noqa: E402
from algdiv._progress import progress, set_quiet  # noqa: E402
from algdiv.discovery import coloring_index, residual  # noqa: E402
from algdiv.estimation import select_group  # noqa: E402
from algdiv.groups import cyclic, dihedral, direct_product, from_generators  # noqa: E402

DEFAULT_OUT = Path("algdiv-gallery")  # under the current folder; tools/make_figures.py writes docs/figures
B = 8  # patch side


def patches(img: np.ndarray, step: int) -> np.ndarray:
    win = np.lib.stride_tricks.sliding_window_view(img, (B, B))[::step, ::step]
    return win.reshape(-1, B * B).astype(float)


def square_symmetries() -> dict:
    """The subgroups of D_4 acting on the pixels of a B×B patch (index = B·row + col)."""
    r, c = np.divmod(np.arange(B * B), B)
    flip_lr = B * r + (B - 1 - c)
    flip_ud = B * (B - 1 - r) + c
    transpose = B * c + r
    anti = B * (B - 1 - c) + (B - 1 - r)
    rot180 = B * (B - 1 - r) + (B - 1 - c)
    rot90 = B * c + (B - 1 - r)
    gens = {
        "trivial": [],
        "<flip left-right>": [flip_lr],
        "<flip up-down>": [flip_ud],
        "<rotation 180>": [rot180],
        "<transpose>": [transpose],
        "<anti-transpose>": [anti],
        "<both flips> (Klein)": [flip_lr, flip_ud],
        "<both transposes> (Klein)": [transpose, anti],
        "<rotation 90> (Z_4)": [rot90],
        "D_4 (all 8 symmetries)": [flip_lr, transpose],
    }
    out = {}
    for name, g in gens.items():
        G = from_generators(np.array(g, dtype=np.intp).reshape(-1, B * B), degree=B * B)
        out[name] = G
    out["torus shifts Z_8 x Z_8 (wrong)"] = direct_product(cyclic(B), cyclic(B))
    out["torus D_8 x D_8 (wrong)"] = direct_product(dihedral(B), dihedral(B))
    return out


def dct_matrix() -> np.ndarray:
    """Columns: the 2-D orthonormal DCT-II basis images (row-major pixel order)."""
    return fft.idctn(np.eye(B * B).reshape(B * B, B, B), axes=(1, 2), norm="ortho").reshape(
        B * B, B * B).T


def compaction(U: np.ndarray, train: np.ndarray, tests: dict) -> dict:
    """Residual energy fraction vs k (coefficients ordered by training variance) and gain."""
    var_train = np.mean(np.abs(train @ U.conj()) ** 2, axis=0)
    order = np.argsort(var_train)[::-1]
    out = {}
    for name, X in tests.items():
        var = np.mean(np.abs(X @ U.conj()) ** 2, axis=0)[order]
        resid = 1 - np.cumsum(var) / var.sum()
        gain = 10 * np.log10(np.mean(var) / np.exp(np.mean(np.log(np.maximum(var, 1e-300)))))
        out[name] = {"residual": np.maximum(resid, 1e-12).tolist(), "coding_gain_db": float(gain)}
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="coarser patch sampling (smoke test)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the figures")
    ap.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = ap.parse_args(argv)
    if args.quiet:
        set_quiet(True)
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    images = {k: getattr(pywt.data, k)().astype(float) for k in ("camera", "ascent", "aero")}
    mean = images["camera"].mean()
    step = 4 if args.quick else 1
    train = patches(images["camera"], step) - mean
    blocks = patches(images["camera"], B) - mean  # non-overlapping: for selection/diagnostics
    tests = {k: patches(v, step) - v.mean() for k, v in images.items()}
    R = train.T @ train / len(train)
    R = (R + R.T) / 2

    cands = square_symmetries()
    sel = select_group(blocks, list(cands.values()))
    n_eff = len(blocks)  # the non-overlapping patches: a conservative sample size for α
    diag = {
        name: {
            "order": int(G.order),
            "dim_commutant": int(G.n_pair_orbits),
            "heldout_nll": float(s),
            "delta": float(residual(R, G)),
            "alpha": float(coloring_index(R, G, n_eff)),
        }
        for (name, G), s in zip(cands.items(), sel.scores)
    }
    chosen = list(cands)[sel.index]
    G = cands[chosen]
    ambient = cands["D_4 (all 8 symmetries)"]
    found = {}
    for label, X in progress([("non-overlapping patches", blocks), ("all overlapping patches", train)],
                             "image_patches discover", unit="set"):
        rep = discover(X, ambient=ambient)
        found[label] = {"order": int(rep.order), "n_samples": len(X),
                        "equals": [k for k, H in cands.items() if H == rep.group],
                        "alpha": float("nan") if rep.alpha is None else float(rep.alpha),
                        "alpha_limit": float("nan") if rep.alpha_limit is None
                        else float(rep.alpha_limit),
                        "delta": float(rep.delta)}

    bases = {
        "pixels": np.eye(B * B),
        "2-D DCT-II (a priori)": dct_matrix(),
        "KLT of camera": np.linalg.eigh(R)[1],
        f"matched {chosen} + KL": matched_transform(G, reynolds(R, G)).matrix,
    }
    comp = {name: compaction(U, train, tests)
            for name, U in progress(list(bases.items()), "image_patches bases", unit="basis")}

    fig, axes = plt.subplots(1, 3, figsize=(14, 4.3))
    axes[0].imshow(images["camera"], cmap="gray")
    axes[0].set_title("training photograph (pywt.data.camera)", fontsize=9)
    axes[0].axis("off")
    ks = np.arange(1, B * B + 1)
    styles = ["k:", "C0-", "C3--", "C2-."]
    for (name, c), st in zip(comp.items(), styles):
        axes[1].semilogy(ks, c["ascent"]["residual"], st, label=name)
    axes[1].set_xlim(1, 40)
    axes[1].set_ylim(1e-4, 1)
    axes[1].set_xlabel("coefficients kept k (ordered by training variance)")
    axes[1].set_ylabel("energy left out (held-out image: ascent)")
    axes[1].grid(True, which="both", alpha=0.3)
    axes[1].legend(fontsize=8)
    names = list(comp)
    shown = names[1:]  # the pixel basis has 0 dB gain by construction
    short = ["2-D DCT-II", "KLT", f"{chosen.split(' (')[0]}\n+ KL"]
    x = np.arange(len(shown))
    for j, img in enumerate(images):
        axes[2].bar(x + 0.27 * (j - 1), [comp[n][img]["coding_gain_db"] for n in shown],
                    0.27, label=img + (" (train)" if img == "camera" else " (test)"))
    axes[2].set_xticks(x, short, fontsize=8)
    axes[2].set_ylabel("coding gain (dB)")
    axes[2].grid(axis="y", alpha=0.3)
    lo = min(comp[n][i]["coding_gain_db"] for n in shown for i in images)
    hi = max(comp[n][i]["coding_gain_db"] for n in shown for i in images)
    axes[2].set_ylim(lo - 1.0, hi + 1.5)
    axes[2].legend(fontsize=8, ncol=3, loc="upper center")
    fig.suptitle(f"8x8 patches: selected group {chosen} (|G| = {G.order}); "
                 "energy compaction on a different photograph", fontsize=10)
    fig.tight_layout()
    fig.savefig(args.out / "image_patches.png", dpi=90)
    plt.close(fig)

    res = {"selected_group": chosen, "candidates": diag, "discover": found, "n_train_patches": len(train),
           "coding_gain_db": {n: {i: comp[n][i]["coding_gain_db"] for i in images}
                              for n in names},
           "residual_energy_at_k": {n: {i: {k: comp[n][i]["residual"][k - 1]
                                            for k in (1, 4, 8, 16)} for i in images}
                                    for n in names}}
    strict = json.loads(json.dumps(res), parse_constant=lambda _: None)  # (NaN -> null)
    (args.out / "image_patches.json").write_text(json.dumps(strict, indent=1, allow_nan=False))
    print(f"{'candidate':32s} {'|G|':>4} {'dim C':>6} {'held-out NLL':>13} {'delta':>8} "
          f"{'alpha':>9}")
    for name, d in diag.items():
        mark = "*" if name == chosen else " "
        print(f"{mark}{name:31s} {d['order']:4d} {d['dim_commutant']:6d} "
              f"{d['heldout_nll']:13.4f} {d['delta']:8.4f} {d['alpha']:9.1f}")
    for label, f in found.items():
        print(f"algdiv.discover on {f['n_samples']} {label}: order {f['order']} "
              f"= {f['equals']}, alpha = {f['alpha']:.3g} (consistent below {f['alpha_limit']:.3g})")
    print(f"\n{'coding gain (dB)':32s} " + " ".join(f"{i:>8}" for i in images))
    for n in names:
        print(f"{n:32s} " + " ".join(f"{comp[n][i]['coding_gain_db']:8.2f}" for i in images))
    print(f"figure in {args.out} ({time.perf_counter() - t0:.1f} s)")
    return res


if __name__ == "__main__":
    main(sys.argv[1:])
