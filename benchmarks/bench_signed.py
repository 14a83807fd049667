"""Signed-permutation groups and hybrid wreaths: the group average's speed and what it buys.

Speed (every row against its peers in alternating rounds of the same run):

* ``SignedPermutationGroup.reynolds`` of ``negacyclic(M)`` vs the naive sum over the
  ``2M`` elements by signed indexing, ``(1/|G|) Σ_g s s' ⊙ A[p⁻¹][:, p⁻¹]`` (the
  strongest naive peer), vs ``algdiv.reynolds`` of the unsigned ``cyclic(M)`` (the
  permutation analogue), and the physical floor, one copy of the ``M × M`` matrix.

Accuracy (relative Frobenius error ``‖R̂ − R‖_F / ‖R‖_F``, mean over trials, real Gaussian
snapshots, ``n`` in ``{M/4, M, 4M}``):

* a skew-circulant covariance (``R[i, j] = r(i − j)``, ``r(k − M) = −r(k)``,
  ``r(k) = 0.9^k`` for ``0 <= k < M``: an antiperiodic AR(1)-like process), ``M = 64``:
  the negacyclic group average against the sample covariance, Ledoit–Wolf (scikit-learn)
  and the average over the *unsigned* ``cyclic(M)`` (the wrong group: it forgets the
  signs);
* a covariance invariant under the hybrid wreath ``iterated_wreath([4, 4, 4],
  "elementary_abelian")`` (Haar–Walsh; a random positive spectrum on its 10 classes),
  ``M = 64``: its group average against the sample covariance, Ledoit–Wolf and the
  average over the larger binary-tree group ``iterated_wreath([2] * 6)`` (Haar; 7 classes,
  it merges Walsh classes the data keep apart).

Run: ``python benchmarks/bench_signed.py [--quick]``; writes ``results/signed.json`` (a
``--quick`` run writes nothing).
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import best_time, write_results
from threadpoolctl import threadpool_limits

from algdiv import reynolds
from algdiv._progress import progress, set_quiet
from algdiv.groups import cyclic, iterated_wreath, negacyclic
from algdiv.transforms import tree_transform


def naive_signed_sum(A: np.ndarray, elements: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """(1/|G|) Σ_g Q_g A Q_gᵀ by indexing: (Q A Qᵀ)[p[i], p[j]] = s[i] s[j] A[i, j]."""
    acc = np.zeros_like(A)
    for p, s in elements:
        q = np.argsort(p)
        acc += np.outer(s[q], s[q]) * A[q][:, q]
    return acc / len(elements)


def paired(fns: list, repeat: int) -> list[float]:
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            best[k] = min(best[k], best_time(fn, repeat=1, min_time=0.05))
    return best


def bench_speed(m: int, rng: np.random.Generator, repeat: int) -> dict:
    G = negacyclic(m)
    G.signed_pair_orbits()
    A = rng.standard_normal((m, m))
    elements = G.elements()
    np.testing.assert_allclose(G.reynolds(A), naive_signed_sum(A, elements), atol=1e-12)
    C = cyclic(m)
    C.pair_orbits()
    ours, unsigned, copy = paired([lambda: G.reynolds(A), lambda: reynolds(A, C), lambda: A.copy()],
                                  repeat)
    # the naive sum is hundreds of times slower: one timed call is enough above M = 256
    naive = best_time(lambda: naive_signed_sum(A, elements), repeat=1 if m > 256 else repeat,
                      min_time=0.0)
    return {"M": m, "order": G.order, "signed_reynolds_s": ours, "naive_signed_sum_s": naive,
            "unsigned_cyclic_reynolds_s": unsigned, "copy_s": copy,
            "speedup_vs_naive": naive / ours, "ratio_to_unsigned": ours / unsigned,
            "ratio_to_copy": ours / copy}


def skew_circulant(m: int, rho: float = 0.9) -> np.ndarray:
    i, j = np.indices((m, m))
    d = i - j
    r = rho ** (d % m)
    R = np.where(d >= 0, r, -r)
    return (R + R.T) / 2  # real symmetric skew-circulant: r(k) and -r(M - k) averaged


def hybrid_covariance(rng: np.random.Generator) -> np.ndarray:
    T = tree_transform([4, 4, 4], "elementary_abelian")
    lam = np.empty(T.size)
    for b in T.blocks:
        lam[b.indices] = rng.uniform(0.2, 5.0)
    u = T.matrix
    return (u * lam) @ u.T


def relative_error(est: np.ndarray, R: np.ndarray) -> float:
    return float(np.linalg.norm(est - R) / np.linalg.norm(R))


def bench_accuracy(name: str, R: np.ndarray, estimators: dict, ns: list[int], trials: int,
                   rng: np.random.Generator) -> dict:
    from sklearn.covariance import ledoit_wolf

    m = R.shape[0]
    L = np.linalg.cholesky(R + 1e-12 * np.eye(m))
    rows = []
    for n in progress(ns, f"accuracy {name}", unit="n"):
        errs: dict[str, list[float]] = {k: [] for k in ["sample", "ledoit_wolf", *estimators]}
        for _ in range(trials):
            X = rng.standard_normal((n, m)) @ L.T
            S = X.T @ X / n
            errs["sample"].append(relative_error(S, R))
            errs["ledoit_wolf"].append(relative_error(ledoit_wolf(X, assume_centered=True)[0], R))
            for key, fn in estimators.items():
                errs[key].append(relative_error(fn(S), R))
        rows.append({"n": n, **{k: float(np.mean(v)) for k, v in errs.items()}})
    return {"case": name, "M": m, "trials": trials, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for smoke tests")
    parser.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = parser.parse_args()
    if args.quiet:
        set_quiet(True)
    rng = np.random.default_rng(0)
    repeat = 3 if args.quick else 7
    trials = 20 if args.quick else 200
    with threadpool_limits(limits=1, user_api="blas"):
        speed = [bench_speed(m, rng, repeat)
                 for m in progress([64, 256] if args.quick else [256, 1024], "speed sizes", unit="M")]
        m = 64
        ns = [m // 4, m, 4 * m]
        neg, cyc = negacyclic(m), cyclic(m)
        acc = [bench_accuracy(
            "skew-circulant (antiperiodic AR, rho = 0.9)", skew_circulant(m),
            {"negacyclic average": neg.reynolds, "cyclic average (unsigned)": lambda S: reynolds(S, cyc)},
            ns, trials, rng)]
        hyb, haar = iterated_wreath([4, 4, 4], "elementary_abelian"), iterated_wreath([2] * 6)
        acc.append(bench_accuracy(
            "Haar-Walsh invariant (iterated_wreath([4, 4, 4], elementary_abelian))",
            hybrid_covariance(rng),
            {"hybrid wreath average": lambda S: reynolds(S, hyb),
             "binary-tree (Haar) average": lambda S: reynolds(S, haar)},
            ns, trials, rng))

    print("signed Reynolds (negacyclic) vs the naive signed sum and the unsigned cyclic Reynolds")
    for r in speed:
        print(f"M={r['M']:5d} |G|={r['order']:5d} ours {r['signed_reynolds_s']:.2e} s  naive "
              f"{r['naive_signed_sum_s']:.2e} s ({r['speedup_vs_naive']:.0f}x)  unsigned "
              f"{r['unsigned_cyclic_reynolds_s']:.2e} s (ratio {r['ratio_to_unsigned']:.2f})  "
              f"{r['ratio_to_copy']:.1f}x one copy")
    for a in acc:
        print(f"\n{a['case']}, M = {a['M']}, {a['trials']} trials: mean relative Frobenius error")
        keys = [k for k in a["rows"][0] if k != "n"]
        print("n      " + "  ".join(f"{k:>26s}" for k in keys))
        for r in a["rows"]:
            print(f"{r['n']:<6d} " + "  ".join(f"{r[k]:>26.4f}" for k in keys))
    if not args.quick:
        path = write_results("signed", {"blas_threads": "1 (threadpoolctl)", "speed": speed,
                                        "accuracy": acc})
        print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
