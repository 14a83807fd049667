"""Matched transforms: fast kernels and the generic derivation against their peers.

Every row times algdiv and its peer in the same run and reports the ratio
(algdiv time / peer time; below 1 means algdiv is faster) and the physical floor, one
copy of the input (``x.copy()``: one read and one write of every entry):

* ``fwht`` (orthonormal Walsh-Hadamard of a real input) vs ``scipy.fft.rfft`` of the same
  real input, the like-for-like FFT (target <= 1.5x at 2^16 and 2^20), and vs a dense
  Hadamard product at 2^12;
* ``haar_coefficients`` vs ``pywt.wavedec(x, "haar", mode="periodization")`` at 2^20
  (target <= 1x);
* ``Transform.forward`` of the DCT-II vs calling ``scipy.fft.dct`` directly
  (validation and dispatch overhead; target <= 1.1x);
* the generic derivation (``matched_transform(G, method="generic")``) for groups that
  are not in the catalogue, against one ``numpy.linalg.eigh`` of an ``M × M`` Hermitian
  matrix as a yardstick (target: under 1 s at M = 256).

Threads: every row is timed with BLAS pinned to one thread (threadpoolctl); the ``fwht``
rows are also timed with the default BLAS threads, what a user gets without doing
anything (``fwht`` limits BLAS to one thread inside itself, so the two should agree;
``scipy.fft`` runs on one worker by default).

Run: ``python benchmarks/bench_transforms.py [--quick]``; writes ``results/transforms.json``
(a ``--quick`` run writes nothing).
"""

from __future__ import annotations

import argparse

import numpy as np
import scipy.fft
from _timing import best_time, paired, row, write_results
from scipy.linalg import hadamard
from threadpoolctl import threadpool_limits

from algdiv import matched_transform
from algdiv._progress import progress, set_quiet
from algdiv.groups import affine, cyclic, symmetric, wreath_product
from algdiv.transforms import dct, fwht, haar_coefficients


def bench_fwht(bits: list[int], rng: np.random.Generator, repeat: int) -> list[dict]:
    out = []
    for b in progress(bits, "fwht sizes", unit="size"):
        x = rng.standard_normal(1 << b)
        with threadpool_limits(limits=1, user_api="blas"):
            ours, peer = paired(lambda x=x: fwht(x), lambda x=x: scipy.fft.rfft(x), repeat)
            floor = best_time(lambda x=x: x.copy(), repeat=repeat)
        # default BLAS threads: what a user who pins nothing gets
        ours_d, peer_d = paired(lambda x=x: fwht(x), lambda x=x: scipy.fft.rfft(x), repeat)
        r = row("fwht vs rfft", f"2^{b}", ours, peer, "scipy.fft.rfft",
                1.5 if b >= 16 else None, floor)
        r.update({"algdiv_default_threads_s": ours_d, "peer_default_threads_s": peer_d,
                  "ratio_default_threads": ours_d / peer_d})
        out.append(r)
    return out


def bench_dense_hadamard(b: int, rng: np.random.Generator, repeat: int) -> dict:
    n = 1 << b
    H = hadamard(n).astype(float) / np.sqrt(n)
    x = rng.standard_normal(n)
    np.testing.assert_allclose(fwht(x), H @ x, rtol=1e-10, atol=1e-10)
    ours, peer = paired(lambda: fwht(x), lambda: H @ x, repeat)
    floor = best_time(lambda: x.copy(), repeat=repeat)
    return row("fwht vs dense Hadamard", f"2^{b}", ours, peer, "H @ x (H precomputed)", None,
               floor)


def bench_haar(b: int, rng: np.random.Generator, repeat: int) -> list[dict]:
    import pywt

    x = rng.standard_normal(1 << b)
    ref = np.concatenate(pywt.wavedec(x, "haar", mode="periodization"))
    np.testing.assert_allclose(haar_coefficients(x), ref, rtol=1e-10, atol=1e-10)
    ours, peer = paired(
        lambda: haar_coefficients(x), lambda: pywt.wavedec(x, "haar", mode="periodization"),
        repeat,
    )
    floor = best_time(lambda: x.copy(), repeat=repeat)
    batch = rng.standard_normal((64, 1 << max(b - 6, 1)))
    ours_b, peer_b = paired(
        lambda: haar_coefficients(batch),
        lambda: pywt.wavedec(batch, "haar", mode="periodization"), repeat,
    )
    floor_b = best_time(lambda: batch.copy(), repeat=repeat)
    return [
        row("haar_coefficients vs pywt.wavedec", f"2^{b}", ours, peer, "pywt.wavedec (list)",
            1.0, floor),
        row("haar_coefficients vs pywt.wavedec", f"64 x 2^{max(b - 6, 1)}", ours_b, peer_b,
            "pywt.wavedec (list)", None, floor_b),
    ]


def bench_dct_overhead(shapes: list[tuple[int, ...]], rng: np.random.Generator, repeat: int) -> list[dict]:
    out = []
    for shape in progress(shapes, "dct shapes", unit="shape"):
        x = rng.standard_normal(shape)
        T = dct(shape[-1])
        np.testing.assert_allclose(T.forward(x), scipy.fft.dct(x, norm="ortho"),
                                   rtol=1e-12, atol=1e-12)
        # a few-percent effect on a noisy machine: many short alternating rounds
        ours, peer = paired(
            lambda T=T, x=x: T.forward(x), lambda x=x: scipy.fft.dct(x, norm="ortho"),
            4 * repeat, min_time=0.02,
        )
        floor = best_time(lambda x=x: x.copy(), repeat=repeat)
        out.append(row("Transform.forward (DCT-II) vs scipy.fft.dct", " x ".join(map(str, shape)),
                       ours, peer, "scipy.fft.dct", 1.1, floor))
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
    for G in progress(groups, "generic groups", unit="group"):
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
    parser.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = parser.parse_args()
    if args.quiet:
        set_quiet(True)
    rng = np.random.default_rng(0)
    repeat = 3 if args.quick else 7

    rows = bench_fwht([12, 16] if args.quick else [16, 20], rng, repeat)
    with threadpool_limits(limits=1, user_api="blas"):
        rows += _pinned_rows(args, rng, repeat)

    print("algdiv transforms vs peers (BLAS pinned to one thread); ratio = algdiv / peer; "
          "floor = one copy of the input")
    print(f"{'case':44s} {'size':>22s} {'algdiv':>9s} {'peer':>9s} {'ratio':>6s} {'x copy':>7s} "
          f"{'target':>7s}")
    for r in rows:
        target = r["target_ratio"] if r["target_ratio"] is not None else r.get("target_seconds")
        tgt = "" if target is None else (f"<={target:g}" + ("s" if "target_seconds" in r else "x"))
        ok = "" if r["meets_target"] is None else (" ok" if r["meets_target"] else " MISSED")
        floor = "" if r.get("ratio_to_copy") is None else f"{r['ratio_to_copy']:.1f}"
        print(f"{r['case']:44s} {r['size']:>22s} {r['algdiv_s']:>9.2e} {r['peer_s']:>9.2e} "
              f"{r['ratio']:>6.2f} {floor:>7s} {tgt:>7s}{ok}")
    print("\nfwht with the default BLAS threads (nothing pinned by the caller):")
    for r in rows:
        if "ratio_default_threads" in r:
            print(f"{r['case']:44s} {r['size']:>22s} {r['algdiv_default_threads_s']:>9.2e} "
                  f"{r['peer_default_threads_s']:>9.2e} {r['ratio_default_threads']:>6.2f}")

    if not args.quick:
        path = write_results(
            "transforms",
            {
                "blas_threads": "1 (threadpoolctl) for every row; fwht rows also default",
                "targets": {
                    "fwht_vs_rfft_2^16_2^20": "<= 1.5x",
                    "haar_vs_pywt_2^20": "<= 1x",
                    "transform_forward_vs_scipy_dct": "<= 1.1x",
                    "generic_derivation_M256": "< 1 s",
                },
                "rows": rows,
            },
        )
        print(f"\nwrote {path}")


def _pinned_rows(args: argparse.Namespace, rng: np.random.Generator, repeat: int) -> list[dict]:
    rows = [bench_dense_hadamard(10 if args.quick else 12, rng, repeat)]
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
    return rows


if __name__ == "__main__":
    main()
