"""(f) Quasi-Monte-Carlo kernels: the Gram matrix's group is found, and it is cyclic or Z_2^m.

* A rank-1 lattice x_i = {i·z/n} with a shift-invariant kernel (the Korobov kernel
  K(x, y) = Π_j (1 + γ·2π²·B_2({x_j − y_j})), B_2(t) = t² − t + 1/6): K_ik depends on
  (i − k) mod n only, so the Gram matrix is circulant and the FFT diagonalizes it.
* A digital net in base 2 (the first 2^m points of the 2-D Sobol' sequence, generating
  matrices I-reversed and Pascal mod 2) with a digitally shift-invariant Walsh kernel
  K(x, y) = Π_j (1 + γ·ω(x_j ⊕ y_j)), ω(t) = Σ_{k≥1} 2^(−2⌊log₂ k⌋) wal_k(t): the points
  form a group under digit-wise XOR, x_i ⊕ x_k = x_(i XOR k), so K_ik depends on i XOR k
  and the Walsh–Hadamard transform diagonalizes it.

The group of each Gram matrix is found blindly (algdiv.discovery.automorphisms, no
ambient group), then checked: does it contain the expected group (the shifts i → i + 1,
resp. the translations i → i XOR 2^b)?  The data determine a group only up to its pair
orbits, and a real symmetric matrix cannot tell (i, k) from (k, i), so the blind answer
can be larger than the expected group (a dihedral instead of a cyclic group, and extra
"multiplier" symmetries of a particular lattice); any group containing the expected one
is still diagonalized by the FFT / FWHT.  The payoff: the Gram eigenvalues in
O(n log n) (an FFT / FWHT of one column) instead of O(n³), timed against
numpy.linalg.eigvalsh.

Run:  python examples/qmc_kernels.py [--quick] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from math import comb
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy.stats import qmc  # noqa: E402

from algdiv import discover, is_invariant, matched_transform  # noqa: E402
from algdiv._progress import progress, set_quiet  # noqa: E402
from algdiv.discovery import automorphisms  # noqa: E402
from algdiv.groups import cyclic, elementary_abelian  # noqa: E402
from algdiv.transforms import fwht  # noqa: E402

DEFAULT_OUT = Path("algdiv-gallery")  # under the current folder; tools/make_figures.py writes docs/figures
GAMMA = 1.0


def lattice(n: int, z: tuple[int, ...]) -> np.ndarray:
    return (np.arange(n)[:, None] * np.array(z)[None, :] % n) / n


def korobov_gram(x: np.ndarray) -> np.ndarray:
    t = (x[:, None, :] - x[None, :, :]) % 1.0
    return np.prod(1 + GAMMA * 2 * np.pi**2 * (t * t - t + 1 / 6), axis=-1)


def sobol_net(m: int) -> np.ndarray:
    """First 2^m points of the 2-D Sobol' sequence in natural (not Gray-code) order."""
    bits = (np.arange(1 << m)[:, None] >> np.arange(m)) & 1  # bits[i, r] = digit r of i
    pascal = np.array([[comb(c, r) % 2 for c in range(m)] for r in range(m)])  # comb=0 if r>c
    weights = 2.0 ** -(np.arange(m) + 1)
    x1 = bits @ weights  # van der Corput: digit r of i -> 2^-(r+1)
    x2 = ((bits @ pascal.T) % 2) @ weights
    return np.c_[x1, x2]


def walsh_omega(t: np.ndarray, m: int) -> np.ndarray:
    """ω(t) = Σ_{k≥1} 2^(−2⌊log₂k⌋) wal_k(t) for t with m binary digits (closed form).

    Σ_{k<2^b} wal_k(t) = 2^b·[t < 2^-b], so the sum over the octave 2^a <= k < 2^(a+1)
    is 2^(a+1)[t < 2^-(a+1)] − 2^a [t < 2^-a]; octaves a >= m only see t = 0.
    """
    out = np.zeros_like(t)
    for a in range(m):
        out += 4.0**-a * (2 ** (a + 1) * (t < 2.0 ** -(a + 1)) - 2**a * (t < 2.0**-a))
    tail = sum(4.0**-a * 2**a for a in range(m, 60))  # Σ_{a>=m} 2^-a: t = 0 only
    return out + tail * (t == 0)


def walsh_gram(x: np.ndarray, m: int) -> np.ndarray:
    d = (np.round(x * (1 << m))).astype(np.int64)
    t = (d[:, None, :] ^ d[None, :, :]) / float(1 << m)
    return np.prod(1 + GAMMA * walsh_omega(t, m), axis=-1)


def offdiag(U: np.ndarray, K: np.ndarray) -> float:
    D = U.conj().T @ K @ U
    return float(np.linalg.norm(D - np.diag(np.diag(D))) / np.linalg.norm(K))


def study(name: str, x: np.ndarray, K: np.ndarray, expected, U: np.ndarray) -> dict:
    G = automorphisms(K)
    named = discover(R=K)  # the full pipeline: the same group, named when it is a catalogue one
    T = matched_transform(G)
    distinct = np.unique(np.round(np.linalg.eigvalsh(K) / np.abs(K).max(), 9)).size
    return {
        "name": name,
        "n": int(len(x)),
        "found_order": int(G.order),
        "discover_agrees": bool(named.group == G),
        "discover_name": named.name or "(no catalogue name)",
        "found_generators": int(G.generators.shape[0]),
        "expected_group": expected.name,
        "expected_order": int(expected.order),
        "contains_expected": bool(all(G.contains(g) for g in expected.generators)),
        "gram_invariant_under_expected": bool(is_invariant(K, expected)),
        "offdiag_in_fast_basis": offdiag(U, K),
        "matched_transform_of_found_group": T.name,
        "eigenvalue_classes_of_found_group": int(T.n_classes),
        "distinct_gram_eigenvalues": int(distinct),
        "_K": K,
        "_x": x,
        "_U": U,
        "_G": G,
    }


def _lattice_eigs(K: np.ndarray) -> np.ndarray:
    return np.sort(np.fft.fft(K[:, 0]).real)  # circulant: eigenvalues = DFT of a column


def _net_eigs(K: np.ndarray) -> np.ndarray:
    return np.sort(np.sqrt(len(K)) * fwht(K[:, 0]))  # XOR-convolution: Hadamard of a column


def _best_of(fn, K: np.ndarray, repeats: int) -> tuple[np.ndarray, float]:
    """Result and the best wall time of ``repeats`` calls (these machines are noisy)."""
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn(K)
        best = min(best, time.perf_counter() - t0)
    return out, best


def timings(sizes: list[int]) -> list[dict]:
    rows = []
    for n in progress(sizes, "qmc_kernels timings", unit="n"):
        m = int(np.log2(n))
        slow_repeats = 3 if n <= 1024 else 1
        for kind in ("lattice", "net"):
            if kind == "lattice":
                K = korobov_gram(lattice(n, (1, 433 % n)))
                fast, t_fast = _best_of(_lattice_eigs, K, 20)
            else:
                K = walsh_gram(sobol_net(m), m)
                fast, t_fast = _best_of(_net_eigs, K, 20)
            dense, t_dense = _best_of(np.linalg.eigvalsh, K, slow_repeats)
            err = float(np.max(np.abs(fast - dense)) / np.max(np.abs(dense)))
            rows.append({"n": n, "kind": kind, "fast_s": t_fast, "eigvalsh_s": t_dense,
                         "ratio": t_dense / t_fast, "max_rel_diff": err})
    return rows


def plot(results: list[dict], path: Path) -> None:
    fig, axes = plt.subplots(len(results), 3, figsize=(12, 3.8 * len(results)))
    for row, r in enumerate(results):
        ax = axes[row, 0]
        ax.plot(*r["_x"].T, "o", ms=3)
        ax.set_aspect("equal")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_title(f"{r['name']} (n = {r['n']})", fontsize=9)
        ax = axes[row, 1]
        ax.imshow(r["_K"], cmap="viridis")
        ax.set_title(f"Gram matrix; blind |Aut| = {r['found_order']}, "
                     f"contains {r['expected_group'].split(' on ')[0]}: "
                     f"{r['contains_expected']}", fontsize=8)
        ax = axes[row, 2]
        D = r["_U"].conj().T @ r["_K"] @ r["_U"]
        ax.imshow(np.log10(np.abs(D) + 1e-16), cmap="magma", vmin=-16, vmax=2)
        basis = "DFT (FFT)" if "lattice" in r["name"] else "Walsh-Hadamard (FWHT)"
        ax.set_title(f"log10 |Uᴴ K U| in the {basis} basis;\n"
                     f"off-diagonal {r['offdiag_in_fast_basis']:.1e}", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the figures")
    ap.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = ap.parse_args(argv)
    if args.quiet:
        set_quiet(True)
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    m = 5 if args.quick else 6
    n = 1 << m
    net = sobol_net(m)
    ref = qmc.Sobol(2, scramble=False).random(n)  # scipy's points, in Gray-code order
    same_set = bool(np.allclose(net[np.lexsort(net.T[::-1])], ref[np.lexsort(ref.T[::-1])]))
    F = np.fft.fft(np.eye(n), axis=0, norm="ortho").conj().T  # columns: DFT basis vectors
    W = fwht(np.eye(n), axis=0)
    fib_n, fib_z = (55, (1, 34)) if args.quick else (89, (1, 55))
    cases = [
        study(f"Fibonacci lattice z = {fib_z}", lattice(fib_n, fib_z),
              korobov_gram(lattice(fib_n, fib_z)), cyclic(fib_n),
              np.fft.fft(np.eye(fib_n), axis=0, norm="ortho").conj().T),
        study("rank-1 lattice z = (1, 19)", lattice(n, (1, 19)),
              korobov_gram(lattice(n, (1, 19))), cyclic(n), F),
        study("Sobol' digital net (base 2)", net, walsh_gram(net, m), elementary_abelian(m), W),
    ]
    plot([cases[0], cases[2]], args.out / "qmc_kernels.png")
    tim = timings([256, 512] if args.quick else [256, 1024, 4096])
    res = {"cases": [{k: v for k, v in c.items() if not k.startswith("_")} for c in cases],
           "net_equals_scipy_sobol_as_a_set": same_set, "timings": tim}
    (args.out / "qmc_kernels.json").write_text(json.dumps(res, indent=1))
    for c in res["cases"]:
        print(f"{c['name']:32s} n={c['n']:3d} blind |Aut|={c['found_order']:5d} "
              f"expected {c['expected_group']} (order {c['expected_order']}): contained "
              f"{c['contains_expected']}; off-diagonal in FFT/FWHT basis "
              f"{c['offdiag_in_fast_basis']:.1e}")
        print(f"{'':32s} algdiv.discover: {c['discover_name']}, same group "
              f"{c['discover_agrees']}")
        print(f"{'':32s} matched transform of the found group: "
              f"{c['matched_transform_of_found_group']}, "
              f"{c['eigenvalue_classes_of_found_group']} eigenvalue classes; the Gram matrix has "
              f"{c['distinct_gram_eigenvalues']} distinct eigenvalues")
    print(f"Sobol' net equals scipy.stats.qmc.Sobol(scramble=False) as a set: {same_set}")
    print(f"{'n':>6} {'kind':>8} {'FFT/FWHT s':>11} {'eigvalsh s':>11} {'ratio':>8} "
          f"{'max rel diff':>13}")
    for t in tim:
        print(f"{t['n']:6d} {t['kind']:>8} {t['fast_s']:11.2e} {t['eigvalsh_s']:11.2e} "
              f"{t['ratio']:8.0f} {t['max_rel_diff']:13.1e}")
    print(f"figure in {args.out} ({time.perf_counter() - t0:.1f} s)")
    return res


if __name__ == "__main__":
    main(sys.argv[1:])
