"""(d) Graphs: the automorphism group as the matched group, against the Laplacian eigenbasis.

For the cycle C_12, the hypercube Q_4 and the Petersen graph, the automorphism group is
found blindly from the Laplacian L (algdiv.discovery.automorphisms: colour refinement
with individualization; no ambient group) and checked against the known group (orders
2n, 2^m·m!, 120).  Its matched transform U (algdiv.matched_transform) is derived from
the group alone, before L is looked at, and:

* diagonalizes L and every other operator that commutes with the automorphisms (the
  adjacency matrix, the heat kernel exp(−tL), any invariant covariance): these graphs are
  distance-transitive, so the action is multiplicity-free (a Gelfand pair);
* predicts the Laplacian spectrum's degeneracies: the eigenvalue classes of U (one per
  irreducible component) are the distinct Laplacian eigenvalues, with multiplicities
  equal to the irreducibles' dimensions.

The Laplacian eigenbasis (numpy.linalg.eigh), the usual graph Fourier transform, also
diagonalizes L but is fixed only up to rotations inside each degenerate eigenspace, and
it must be recomputed for each operator.  For the cycle, U is the DFT with its fast
kernel; for the hypercube, the subgroup Z_2^4 of translations gives the Walsh–Hadamard
transform, which diagonalizes L as well.

Run:  python examples/graphs.py [--quick] [--out DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy.linalg import expm  # noqa: E402

from algdiv import discover, is_invariant, matched_transform  # noqa: E402
from algdiv._progress import progress, set_quiet  # noqa: E402
from algdiv.discovery import automorphisms  # noqa: E402
from algdiv.transforms import wht  # noqa: E402

DEFAULT_OUT = Path("algdiv-gallery")  # under the current folder; tools/make_figures.py writes docs/figures


def cycle(n: int) -> tuple[np.ndarray, np.ndarray]:
    i = np.arange(n)
    A = np.zeros((n, n))
    A[i, (i + 1) % n] = A[(i + 1) % n, i] = 1
    ang = 2 * np.pi * i / n
    return A, np.c_[np.cos(ang), np.sin(ang)]


def hypercube(m: int) -> tuple[np.ndarray, np.ndarray]:
    n = 1 << m
    i = np.arange(n)
    A = np.zeros((n, n))
    for b in range(m):
        A[i, i ^ (1 << b)] = 1
    # projection of the m-cube onto the plane: bit b moves along direction b
    dirs = np.array([[np.cos(np.pi * b / m), np.sin(np.pi * b / m)] for b in range(m)])
    bits = (i[:, None] >> np.arange(m)) & 1
    return A, bits @ dirs


def petersen() -> tuple[np.ndarray, np.ndarray]:
    # Kneser graph K(5, 2): 2-subsets of {0..4}, adjacent when disjoint.
    verts = list(itertools.combinations(range(5), 2))
    A = np.array([[float(not set(u) & set(v)) for v in verts] for u in verts])
    pos = np.zeros((10, 2))
    outer = [(0, 1), (2, 3), (0, 4), (1, 2), (3, 4)]  # a 5-cycle of pairwise disjoint pairs
    for k, e in enumerate(outer):
        a = np.pi / 2 + 2 * np.pi * k / 5
        pos[verts.index(e)] = 2 * np.array([np.cos(a), np.sin(a)])
        # each outer vertex has exactly one inner neighbour: the other pair disjoint from it
        (nb,) = [v for v in verts if v not in outer and not set(v) & set(e)]
        pos[verts.index(nb)] = np.array([np.cos(a), np.sin(a)])
    return A, pos


def analyse(name: str, A: np.ndarray, expected_order: int) -> dict:
    L = np.diag(A.sum(1)) - A
    G = automorphisms(L)
    named = discover(R=L)  # the full pipeline: the same group, named when it is a catalogue one
    T = matched_transform(G)
    U = T.matrix
    D = U.conj().T @ L @ U
    off = float(np.linalg.norm(D - np.diag(np.diag(D))) / np.linalg.norm(L))
    heat = expm(-0.3 * L)
    Dh = U.conj().T @ heat @ U
    off_heat = float(np.linalg.norm(Dh - np.diag(np.diag(Dh))) / np.linalg.norm(heat))
    lam = np.linalg.eigvalsh(L)
    distinct, mult = np.unique(np.round(lam, 8), return_counts=True)
    class_values = sorted(
        (round(float(np.real(np.mean(np.diag(D)[c]))), 8), len(c)) for c in T.eigenvalue_classes
    )
    return {
        "name": name,
        "n_vertices": int(A.shape[0]),
        "group_order": int(G.order),
        "discover_agrees": bool(named.group == G),
        "discover_name": named.name or "(no catalogue name)",
        "expected_order": expected_order,
        "invariant": bool(is_invariant(L, G)),
        "transform": T.name,
        "multiplicity_free": bool(T.multiplicity_free),
        "blocks": [(int(b.dim), int(b.multiplicity)) for b in T.blocks],
        "offdiag_L": off,
        "offdiag_heat_kernel": off_heat,
        "laplacian_eigenvalues": distinct.tolist(),
        "laplacian_multiplicities": mult.tolist(),
        "matched_class_values_and_sizes": class_values,
        "_U": U,
        "_D": D,
        "_lam": lam,
        "_T": T,
    }


def plot(results: list[dict], graphs: list[tuple], path: Path) -> None:
    fig, axes = plt.subplots(len(results), 4, figsize=(14, 3.4 * len(results)))
    for row, (res, (A, pos)) in enumerate(zip(results, graphs)):
        ax = axes[row, 0]
        for i, j in zip(*np.nonzero(np.triu(A))):
            ax.plot(*pos[[i, j]].T, "k-", lw=0.8)
        ax.plot(*pos.T, "o", ms=7, color="tab:blue")
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(f"{res['name']}: |Aut| = {res['group_order']} (found blindly)", fontsize=9)
        ax = axes[row, 1]
        U = res["_U"]
        ax.imshow(np.real(U), cmap="RdBu_r", vmin=-np.abs(U).max(), vmax=np.abs(U).max())
        ax.set_title(f"matched basis Re U ({res['transform']}), from the group only", fontsize=9)
        ax = axes[row, 2]
        ax.imshow(np.log10(np.abs(res["_D"]) + 1e-16), cmap="viridis", vmin=-16, vmax=1)
        ax.set_title(f"log10 |Uᴴ L U|, off-diagonal {res['offdiag_L']:.1e}", fontsize=9)
        ax = axes[row, 3]
        lam = res["_lam"]
        ax.plot(lam, "k.", ms=10, label="eigh(L): Laplacian eigenvalues")
        d = np.real(np.diag(res["_D"]))
        order = np.argsort(d, kind="stable")
        colours = np.zeros(len(d), int)
        for k, c in enumerate(res["_T"].eigenvalue_classes):
            colours[c] = k
        ax.scatter(np.arange(len(d)), d[order], c=colours[order], cmap="tab10", s=60,
                   marker="s", alpha=0.5, label="diag(Uᴴ L U), coloured by class")
        ax.set_title("spectrum: eigenvalue classes of U = Laplacian eigenspaces", fontsize=9)
        ax.set_xlabel("index")
        ax.legend(fontsize=7, loc="upper left")
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller graphs (smoke test)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the figures")
    ap.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = ap.parse_args(argv)
    if args.quiet:
        set_quiet(True)
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    n, m = (8, 3) if args.quick else (12, 4)
    graphs = [cycle(n), hypercube(m), petersen()]
    names = [f"cycle C_{n}", f"hypercube Q_{m}", "Petersen graph"]
    orders = [2 * n, (1 << m) * int(np.prod(np.arange(1, m + 1))), 120]
    results = [analyse(nm, A, o) for nm, (A, _), o in
               progress(list(zip(names, graphs, orders)), "graphs", unit="graph")]
    # the hypercube's translation subgroup Z_2^m: the Walsh-Hadamard transform
    Aq = graphs[1][0]
    Lq = np.diag(Aq.sum(1)) - Aq
    W = wht(1 << m).matrix
    Dw = W.T @ Lq @ W
    wht_off = float(np.linalg.norm(Dw - np.diag(np.diag(Dw))) / np.linalg.norm(Lq))
    plot(results, graphs, args.out / "graphs.png")
    out = {"graphs": [{k: v for k, v in r.items() if not k.startswith("_")} for r in results],
           "hypercube_wht_offdiag": wht_off}
    (args.out / "graphs.json").write_text(json.dumps(out, indent=1))
    for r in results:
        ok = "ok" if r["group_order"] == r["expected_order"] else "MISMATCH"
        print(f"{r['name']:16s} |Aut|={r['group_order']:>4} (expected {r['expected_order']}, "
              f"{ok}; discover: {r['discover_name']}, same group {r['discover_agrees']})\n"
              f"{'':16s} transform={r['transform']:8s} multiplicity-free={r['multiplicity_free']}"
              f"  offdiag(UᴴLU)={r['offdiag_L']:.1e}  offdiag(Uᴴ e^(-tL) U)="
              f"{r['offdiag_heat_kernel']:.1e}")
        print(f"{'':16s} Laplacian eigenvalues {r['laplacian_eigenvalues']} with multiplicities "
              f"{r['laplacian_multiplicities']}; matched classes {len(r['_T'].eigenvalue_classes)}")
    print(f"hypercube: Walsh-Hadamard (Z_2^{m}) off-diagonal of WᵀLW {wht_off:.1e}")
    print(f"figure in {args.out} ({time.perf_counter() - t0:.1f} s)")
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
