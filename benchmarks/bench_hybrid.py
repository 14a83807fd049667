"""Tree transforms of the hybrid wreaths against pywt's wavelet packets and a dense product.

Every row times algdiv and its peer in alternating rounds of the same run and reports the
ratio (algdiv time / peer time; below 1 means algdiv is faster) and the physical floor,
one copy of the input (``x.copy()``):

* Haar-Walsh (``iterated_wreath(b, "elementary_abelian")``, Walsh inside each level,
  Haar across levels) vs ``pywt.WaveletPacket(x, "haar", mode="periodization")`` asked
  for the leaves of the same packet tree (:func:`algdiv.transforms.packet_tree`; the
  coefficients agree up to the order and signs of the Walsh functions, checked before
  timing), at ``2^20`` for ``[4]*10`` and ``[32]*4``, and for a batch of 64 signals of
  ``2^14`` (target: at most the peer's time, like ``haar_coefficients`` against
  ``pywt.wavedec``);
* the same and a hybrid Fourier tree (``[64, 64]`` with cyclic nodes, a DFT inside each
  level) vs the dense product ``Uᴴ x`` with ``U`` precomputed, at ``2^12``;
* the Fourier tree ``[16]*5`` (``2^20``, cyclic nodes) vs one ``scipy.fft.fft`` of the
  same length, the like-for-like FFT.

BLAS is pinned to one thread for every row (threadpoolctl).

Run: ``python benchmarks/bench_hybrid.py [--quick]``; writes ``results/hybrid.json`` (a
``--quick`` run writes nothing).
"""

from __future__ import annotations

import argparse

import numpy as np
import scipy.fft
from _timing import best_time, paired, row, write_results
from threadpoolctl import threadpool_limits

from algdiv._progress import progress, set_quiet
from algdiv.transforms import packet_tree, tree_coefficients, tree_transform


def packet_leaves(x: np.ndarray, tree: list[str]) -> list[np.ndarray]:
    """The leaves of a Haar packet tree by pywt (the peer): one WaveletPacket, each path read."""
    import pywt

    depth = max(len(p) for p in tree)
    wp = pywt.WaveletPacket(x, "haar", mode="periodization", maxlevel=depth, axis=-1)
    return [wp[p].data for p in tree]


def check_packets(x: np.ndarray, branching: list[int]) -> None:
    """algdiv's Haar-Walsh coefficients are pywt's packet coefficients up to order and sign."""
    ours = np.sort(np.abs(tree_coefficients(x, branching, "elementary_abelian")), axis=-1)
    ref = np.sort(np.abs(np.concatenate(packet_leaves(x, packet_tree(branching)), axis=-1)), axis=-1)
    np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-9)


def bench_packets(cases: list[tuple[list[int], tuple[int, ...]]], rng: np.random.Generator,
                  repeat: int) -> list[dict]:
    out = []
    for branching, shape in progress(cases, "packet cases", unit="case"):
        x = rng.standard_normal(shape)
        check_packets(x if x.ndim == 1 else x[:4], branching)
        tree = packet_tree(branching)
        ours, peer = paired(
            lambda x=x, b=branching: tree_coefficients(x, b, "elementary_abelian"),
            lambda x=x, t=tree: packet_leaves(x, t),
            repeat,
        )
        floor = best_time(lambda x=x: x.copy(), repeat=repeat)
        size = " x ".join(f"2^{int(np.log2(s))}" if s > 64 else str(s) for s in shape)
        out.append(row(f"Haar-Walsh {branching} vs pywt.WaveletPacket", size, ours, peer,
                       f"pywt.WaveletPacket ({len(tree)} leaves)", 1.0, floor))
    return out


def bench_dense(cases: list[tuple[list[int], str]], rng: np.random.Generator, repeat: int) -> list[dict]:
    out = []
    for branching, node in progress(cases, "dense cases", unit="case"):
        T = tree_transform(branching, node)
        uh = np.ascontiguousarray(T.matrix.conj().T)
        x = rng.standard_normal(T.size)
        np.testing.assert_allclose(tree_coefficients(x, branching, node), uh @ x, rtol=1e-9, atol=1e-9)
        ours, peer = paired(lambda x=x, b=branching, n=node: tree_coefficients(x, b, n),
                            lambda uh=uh, x=x: uh @ x, repeat)
        floor = best_time(lambda x=x: x.copy(), repeat=repeat)
        out.append(row(f"{T.name} {branching} ({node}) vs dense", f"2^{int(np.log2(T.size))}",
                       ours, peer, "U^H @ x (U precomputed)", None, floor))
    return out


def bench_fft(branching: list[int], rng: np.random.Generator, repeat: int) -> dict:
    x = rng.standard_normal(int(np.prod(branching)))
    ours, peer = paired(lambda: tree_coefficients(x, branching, "cyclic"),
                        lambda: scipy.fft.fft(x, norm="ortho"), repeat)
    floor = best_time(lambda: x.copy(), repeat=repeat)
    return row(f"Fourier tree {branching} (cyclic) vs one FFT", f"2^{int(np.log2(x.size))}",
               ours, peer, "scipy.fft.fft (same length)", None, floor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for smoke tests")
    parser.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = parser.parse_args()
    if args.quiet:
        set_quiet(True)
    rng = np.random.default_rng(0)
    repeat = 3 if args.quick else 7
    if args.quick:
        packets = [([4] * 5, (1 << 10,)), ([2, 8, 4], (8, 64))]
        dense = [([4] * 4, "elementary_abelian"), ([16, 16], "cyclic")]
        fourier = [16, 16, 16]
    else:
        packets = [([4] * 10, (1 << 20,)), ([32] * 4, (1 << 20,)), ([4] * 7, (64, 1 << 14))]
        dense = [([4] * 6, "elementary_abelian"), ([64, 64], "cyclic")]
        fourier = [16] * 5
    with threadpool_limits(limits=1, user_api="blas"):
        rows = bench_packets(packets, rng, repeat)
        rows += bench_dense(dense, rng, repeat)
        rows.append(bench_fft(fourier, rng, repeat))

    print("algdiv tree transforms vs peers (BLAS pinned to one thread); ratio = algdiv / peer; "
          "floor = one copy of the input")
    print(f"{'case':58s} {'size':>12s} {'algdiv':>9s} {'peer':>9s} {'ratio':>6s} {'x copy':>7s} "
          f"{'target':>7s}")
    for r in rows:
        tgt = "" if r["target_ratio"] is None else f"<={r['target_ratio']:g}x"
        ok = "" if r["meets_target"] is None else (" ok" if r["meets_target"] else " MISSED")
        floor = "" if r.get("ratio_to_copy") is None else f"{r['ratio_to_copy']:.1f}"
        print(f"{r['case']:58s} {r['size']:>12s} {r['algdiv_s']:>9.2e} {r['peer_s']:>9.2e} "
              f"{r['ratio']:>6.2f} {floor:>7s} {tgt:>7s}{ok}")
    if not args.quick:
        path = write_results(
            "hybrid",
            {
                "blas_threads": "1 (threadpoolctl) for every row",
                "targets": {"haar_walsh_vs_pywt_wavelet_packet": "<= 1x"},
                "rows": rows,
            },
        )
        print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
