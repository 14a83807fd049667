"""Matched transforms: fast kernels and the generic derivation against their peers.

Every row times algdiv and its peer in the same run and reports the ratio
(algdiv time / peer time; below 1 means algdiv is faster):

* ``fwht`` (orthonormal Walsh-Hadamard) vs ``scipy.fft.fft`` of the same length
  (target <= 1.5x at 2^16 and 2^20) and vs a dense Hadamard product at 2^12;
* ``haar`` vs ``pywt.wavedec(x, "haar", mode="periodization")`` at 2^20 (target <= 1x);
* ``Transform.forward`` of the DCT-II vs calling ``scipy.fft.dct`` directly
  (validation and dispatch overhead; target <= 1.1x);
* the generic derivation (``matched_transform(G, method="generic")``) for groups that
  are not in the catalogue, against one ``numpy.linalg.eigh`` of an ``M × M`` Hermitian
  matrix as a yardstick (target: under 1 s at M = 256).

BLAS is pinned to one thread (``OPENBLAS_NUM_THREADS=1`` etc., set before numpy is
imported) because ``scipy.fft`` runs on one thread by default and the machines these
run on are shared; pass ``--threads N`` to change it.

Run: ``python benchmarks/bench_transforms.py [--quick]``; writes ``results/transforms.json``.
"""

from __future__ import annotations

import argparse
import os
import sys


def _pin_threads(argv: list[str]) -> str:
    n = "1"
    if "--threads" in argv:
        n = argv[argv.index("--threads") + 1]
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = n
    return n


_THREADS = _pin_threads(sys.argv)

import numpy as np  # noqa: E402
import scipy.fft  # noqa: E402
from _timing import best_time, write_results  # noqa: E402
from scipy.linalg import hadamard  # noqa: E402

from algdiv import matched_transform  # noqa: E402
from algdiv.groups import affine, cyclic, symmetric, wreath_product  # noqa: E402
from algdiv.transforms import dct, fwht, haar  # noqa: E402


def paired(ours_fn, peer_fn, repeat: int, min_time: float = 0.05) -> tuple[float, float]:
    """Best times of two functions measured in alternating rounds (drift hits both)."""
    ours = peer = float("inf")
    for _ in range(repeat):
        ours = min(ours, best_time(ours_fn, repeat=1, min_time=min_time))
        peer = min(peer, best_time(peer_fn, repeat=1, min_time=min_time))
    return ours, peer


def row(name: str, size: str, ours: float, peer: float, peer_name: str, target: float | None) -> dict:
    ratio = ours / peer
    return {
        "case": name,
        "size": size,
        "algdiv_s": ours,
        "peer": peer_name,
        "peer_s": peer,
        "ratio": ratio,
        "target_ratio": target,
        "meets_target": None if target is None else bool(ratio <= target),
    }


def bench_fwht(bits: list[int], rng: np.random.Generator, repeat: int) -> list[dict]:
    out = []
    for b in bits:
        x = rng.standard_normal(1 << b)
        ours, peer = paired(lambda x=x: fwht(x), lambda x=x: scipy.fft.fft(x), repeat)
        out.append(row("fwht vs fft", f"2^{b}", ours, peer, "scipy.fft.fft", 1.5))
    return out


def bench_dense_hadamard(b: int, rng: np.random.Generator, repeat: int) -> dict:
    n = 1 << b
    H = hadamard(n).astype(float) / np.sqrt(n)
    x = rng.standard_normal(n)
    assert np.allclose(fwht(x), H @ x)
    ours, peer = paired(lambda: fwht(x), lambda: H @ x, repeat)
    return row("fwht vs dense Hadamard", f"2^{b}", ours, peer, "H @ x (H precomputed)", None)


def bench_haar(b: int, rng: np.random.Generator, repeat: int) -> list[dict]:
    import pywt

    x = rng.standard_normal(1 << b)
    ref = np.concatenate(pywt.wavedec(x, "haar", mode="periodization"))
    assert np.allclose(haar(x), ref)
    ours, peer = paired(
        lambda: haar(x), lambda: pywt.wavedec(x, "haar", mode="periodization"), repeat
    )
    batch = rng.standard_normal((64, 1 << max(b - 6, 1)))
    ours_b, peer_b = paired(
        lambda: haar(batch), lambda: pywt.wavedec(batch, "haar", mode="periodization"), repeat
    )
    return [
        row("haar vs pywt.wavedec", f"2^{b}", ours, peer, "pywt.wavedec (list)", 1.0),
        row("haar vs pywt.wavedec", f"64 x 2^{max(b - 6, 1)}", ours_b, peer_b,
            "pywt.wavedec (list)", None),
    ]


def bench_dct_overhead(shapes: list[tuple[int, ...]], rng: np.random.Generator, repeat: int) -> list[dict]:
    out = []
    for shape in shapes:
        x = rng.standard_normal(shape)
        T = dct(shape[-1])
        assert np.allclose(T.forward(x), scipy.fft.dct(x, norm="ortho"))
        # a few-percent effect on a noisy machine: many short alternating rounds
        ours, peer = paired(
            lambda T=T, x=x: T.forward(x), lambda x=x: scipy.fft.dct(x, norm="ortho"),
            4 * repeat, min_time=0.02,
        )
        out.append(row("Transform.forward (DCT-II) vs scipy.fft.dct", " x ".join(map(str, shape)),
                       ours, peer, "scipy.fft.dct", 1.1))
    x = rng.standard_normal(shapes[1])
    T = dct(shapes[1][-1])
    ours, peer = paired(
        lambda: T.forward(x, check_finite=False), lambda: scipy.fft.dct(x, norm="ortho"),
        4 * repeat, min_time=0.02,
    )
    out.append(row("  same, check_finite=False", " x ".join(map(str, shapes[1])),
                   ours, peer, "scipy.fft.dct", None))
    return out


def bench_generic(groups: list, rng: np.random.Generator) -> list[dict]:
    out = []
    for G in groups:
        m = G.degree
        G.pair_orbits()  # labels are the group's business (cached), not the transform's
        T = matched_transform(G, method="generic")
        a = rng.standard_normal((m, m)) + 1j * rng.standard_normal((m, m))
        h = a + np.conj(a.T)
        ours, peer = paired(
            lambda G=G: matched_transform(G, method="generic"),
            lambda h=h: np.linalg.eigh(h),
            3,
            min_time=0.0,
        )
        r = row("generic derivation", f"{G.short_name} (M={m})", ours, peer,
                "one complex eigh (M x M)", None)
        r["blocks"] = [[b.dim, b.multiplicity] for b in T.blocks]
        r["target_seconds"] = 1.0 if m >= 200 else None
        r["meets_target"] = None if m < 200 else bool(ours < 1.0)
        out.append(r)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for smoke tests")
    parser.add_argument("--threads", default="1", help="BLAS threads (default 1)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    repeat = 3 if args.quick else 7

    rows = []
    rows += bench_fwht([12, 16] if args.quick else [16, 20], rng, repeat)
    rows.append(bench_dense_hadamard(10 if args.quick else 12, rng, repeat))
    rows += bench_haar(14 if args.quick else 20, rng, repeat)
    shapes = [(64,), (1000, 256), (1 << 16,)] if not args.quick else [(64,), (100, 256)]
    rows += bench_dct_overhead(shapes, rng, repeat)
    if args.quick:
        groups = [wreath_product(cyclic(4), symmetric(4)), affine(31)]
    else:
        groups = [
            wreath_product(cyclic(4), symmetric(16)),
            wreath_product(cyclic(4), symmetric(64)),
            wreath_product(cyclic(16), symmetric(16)),
            affine(61),
            affine(127),
            affine(251),
        ]
    rows += bench_generic(groups, rng)

    print(f"algdiv transforms vs peers (BLAS threads: {_THREADS}); ratio = algdiv / peer")
    print(f"{'case':44s} {'size':>24s} {'algdiv':>10s} {'peer':>10s} {'ratio':>7s} {'target':>7s}")
    for r in rows:
        target = r["target_ratio"] if r["target_ratio"] is not None else r.get("target_seconds")
        tgt = "" if target is None else (f"<={target:g}" + ("s" if "target_seconds" in r else "x"))
        ok = "" if r["meets_target"] is None else (" ok" if r["meets_target"] else " MISSED")
        print(f"{r['case']:44s} {r['size']:>24s} {r['algdiv_s']:>10.2e} {r['peer_s']:>10.2e} "
              f"{r['ratio']:>7.2f} {tgt:>7s}{ok}")

    if not args.quick:
        path = write_results(
            "transforms",
            {
                "blas_threads": int(args.threads),
                "targets": {
                    "fwht_vs_fft_2^16_2^20": "<= 1.5x",
                    "haar_vs_pywt_2^20": "<= 1x",
                    "transform_forward_vs_scipy_dct": "<= 1.1x",
                    "generic_derivation_M256": "< 1 s",
                },
                "rows": rows,
            },
        )
        print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
