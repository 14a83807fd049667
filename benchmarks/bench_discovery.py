"""Matched-group discovery: success rates and times, each against a peer in the same run.

(a) subgroup selection inside D_16: data invariant under D_J (J = 2, 4, 8), in the
    adaptive-array jammer scenario (UCA, radius 1.5 λ, J jammers at 2πk/J, INR 30 dB,
    complex data) and for random D_J-invariant covariances (an independent U(0, 1) value on
    each pair orbit, made positive definite; real data); success rate of
    ``discover(X, ambient=dihedral(16))`` beside ``select_group`` (held-out likelihood)
    over every subgroup of D_16 (largest first), for n = 4 … 128 snapshots.  Success:
    the group found has the pair orbits (the commutant) of D_J.
(b) blind discovery: hidden relabellings of catalogue groups, two models of invariant
    covariance ("wishart": R0 = Φ_G(A Aᴴ), A complex Gaussian; "uniform": the model of (a),
    M <= 32), exact covariance and
    estimated from n = 10M, 100M, 1000M snapshots; success = the pair orbits of the
    identifiable group (the 2-closure, symmetrized for real covariances); rate and time.
(c) DC-GEVP time against M: the permutation dictionary of D_M (peer: D and N formed by
    Python loops over pairs plus scipy.linalg.eigh(D, N)), and "so" by the exact path
    against the dense path (the dense one needs O(M⁴) memory: M <= 64); exact at M = 1024.
(d) the exponential baseline: exhaustive search over all subgroups of D_16 against
    discover(ambient=D_16); brute force over all M! permutations (M <= 8) against the
    blind automorphism search.

Run: ``python benchmarks/bench_discovery.py [--quick] [--trials N]``; writes
``results/discovery.json``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # small matrices: threads only contend
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import scipy.linalg  # noqa: E402
from _timing import best_time, write_results  # noqa: E402

from algdiv import reynolds, select_group  # noqa: E402
from algdiv._progress import progress, set_quiet  # noqa: E402
from algdiv.arrays import interference_covariance, uca_dihedral_group, uca_steering  # noqa: E402
from algdiv.commutant import orbital_basis  # noqa: E402
from algdiv.discovery import automorphisms, bases, dc_gevp, discover  # noqa: E402
from algdiv.discovery.consistency import Consistency  # noqa: E402
from algdiv.discovery.diagnostics import indistinguishable_group  # noqa: E402
from algdiv.groups import (  # noqa: E402
    PermutationGroup,
    affine,
    cyclic,
    dihedral,
    direct_product,
    elementary_abelian,
    iterated_wreath,
    relabel,
    symmetric,
    wreath_product,
)


def same_pairs(a: PermutationGroup, b: PermutationGroup) -> bool:
    la, lb = a.pair_orbits().ravel(), b.pair_orbits().ravel()
    pairs = set(zip(la.tolist(), lb.tolist()))
    return len(pairs) == a.n_pair_orbits == b.n_pair_orbits


def draw(R0: np.ndarray, n: int, rng: np.random.Generator, complex_: bool) -> np.ndarray:
    w, v = np.linalg.eigh(R0)
    root = v * np.sqrt(np.clip(w, 0, None))
    z = rng.standard_normal((n, len(R0)))
    if complex_:
        z = (z + 1j * rng.standard_normal((n, len(R0)))) / np.sqrt(2)
    return z @ root.T


def all_subgroups(G: PermutationGroup) -> list[PermutationGroup]:
    """Every subgroup of a small group, from all pairs of elements (dihedral subgroups are
    2-generated), deduplicated by element set; largest first."""
    elems = G.elements()
    seen: dict[frozenset, PermutationGroup] = {}
    for a, b in itertools.combinations_with_replacement(range(len(elems)), 2):
        H = PermutationGroup([elems[a], elems[b]], G.degree)
        key = frozenset(e.tobytes() for e in H.elements())
        if key not in seen:
            seen[key] = H
    return sorted(seen.values(), key=lambda h: -h.order)


# -- (a) subgroup selection ---------------------------------------------------------------

def random_invariant(G: PermutationGroup, rng: np.random.Generator) -> np.ndarray:
    """A random real element of the commutant: an independent U(0, 1) value on each
    (symmetrized) pair orbit, shifted to be positive definite with smallest eigenvalue 1."""
    B = orbital_basis(G)
    R = np.tensordot(rng.uniform(0, 1, len(B)), B, axes=1)
    R = (R + R.T) / 2
    return R + (1 - np.linalg.eigvalsh(R)[0]) * np.eye(len(R))

def part_a(trials: int, ns: list[int], rng: np.random.Generator) -> list[dict]:
    M = 16
    D16 = dihedral(M)
    subs = all_subgroups(D16)
    rows = []
    for scenario in ("jammers", "random"):
        for J in (2, 4, 8):
            truth = uca_dihedral_group(M, J)
            if scenario == "jammers":
                R0 = interference_covariance(uca_steering(2 * np.pi * np.arange(J) / J, M), 30.0)
                cplx = True
            else:
                R0 = random_invariant(truth, rng)
                cplx = False
            # Sanity: the exact covariance's full symmetry is D_J (up to its commutant).
            truth_ok = bool(same_pairs(automorphisms(R0), truth))
            for n in ns:
                ok_d = ok_s = 0
                t_d = t_s = 0.0
                for _ in progress(range(trials), f"(a) {scenario} J={J} n={n}", unit="trial"):
                    X = draw(R0, n, rng, cplx)
                    t0 = time.perf_counter()
                    rep = discover(X, ambient=D16, rng=rng)
                    t1 = time.perf_counter()
                    sel = select_group(X, subs, cv=min(5, n))
                    t2 = time.perf_counter()
                    ok_d += same_pairs(rep.group, truth)
                    ok_s += same_pairs(sel.group, truth)
                    t_d += t1 - t0
                    t_s += t2 - t1
                rows.append({
                    "scenario": scenario, "J": J, "n": n, "trials": trials,
                    "exact_symmetry_is_D_J": truth_ok,
                    "discover_success": ok_d / trials, "select_group_success": ok_s / trials,
                    "discover_ms": 1e3 * t_d / trials, "select_group_ms": 1e3 * t_s / trials,
                })
    return rows


# -- (b) blind discovery ------------------------------------------------------------------

BLIND = {
    "cyclic(16)": lambda: cyclic(16),
    "dihedral(16)": lambda: dihedral(16),
    "elementary_abelian(4)": lambda: elementary_abelian(4),
    "iterated_wreath([2,2,2,2])": lambda: iterated_wreath([2, 2, 2, 2]),
    "symmetric(16)": lambda: symmetric(16),
    "affine(17)": lambda: affine(17),
    "cyclic(4) x dihedral(4)": lambda: direct_product(cyclic(4), dihedral(4)),
    "cyclic(4) wr symmetric(4)": lambda: wreath_product(cyclic(4), symmetric(4)),
    "dihedral(64)": lambda: dihedral(64),
}


def part_b(trials: int, factors: list[int], rng: np.random.Generator) -> list[dict]:
    rows = []
    for model in ("wishart", "uniform"):
        for name, make in BLIND.items():
            G = make()
            m = G.degree
            if model == "uniform" and m > 32:
                continue  # (33 orbit values in [0, 1]: the same story, at 4x the cost)
            for setting in ["exact"] + [f"n={f}M" for f in factors]:
                ok, elapsed = 0, 0.0
                for _ in progress(range(trials), f"(b) {model} {name} {setting}", unit="trial"):
                    hidden = relabel(G, rng.permutation(m))
                    if model == "wishart":
                        A = rng.standard_normal((m, m)) + 1j * rng.standard_normal((m, m))
                        R0 = reynolds(A @ A.conj().T, hidden)
                    else:
                        R0 = random_invariant(hidden, rng)
                    real = not np.any(np.imag(R0))
                    R0 = R0.real if real else R0
                    truth = indistinguishable_group(hidden, real_data=real)
                    t0 = time.perf_counter()
                    if setting == "exact":
                        rep = discover(R=R0)
                    else:
                        n = int(setting[2:-1]) * m
                        rep = discover(draw(R0, n, rng, complex_=not real), rng=rng)
                    elapsed += time.perf_counter() - t0
                    ok += same_pairs(rep.group, truth)
                rows.append({"model": model, "group": name, "M": m, "setting": setting,
                             "trials": trials, "success": ok / trials,
                             "ms": 1e3 * elapsed / trials})
    return rows


# -- (c) DC-GEVP scaling ------------------------------------------------------------------

def naive_dc_gevp(R: np.ndarray, B: np.ndarray) -> np.ndarray:
    """D and N by Python loops over pairs of dense matrices, then the same orthonormalized
    eigenproblem as dc_gevp (scipy.linalg.eigh(D, N) itself refuses the singular N)."""
    d = len(B)
    comm = [R @ b - b @ R for b in B]
    D = np.array([[np.vdot(comm[j], comm[k]).real for k in range(d)] for j in range(d)])
    N = np.array([[np.vdot(B[j], B[k]).real for k in range(d)] for j in range(d)])
    mu, q = np.linalg.eigh(N)
    keep = mu > 1e-10 * mu[-1] * np.sqrt(d)
    t = q[:, keep] / np.sqrt(mu[keep])
    return np.linalg.eigvalsh(t.T @ D @ t)


def generalized_eigh_on_singular_n(R: np.ndarray, B: np.ndarray) -> str:
    """What happens when the Gram matrix of the D_M dictionary goes to scipy directly."""
    d = len(B)
    comm = [R @ b - b @ R for b in B]
    D = np.array([[np.vdot(comm[j], comm[k]).real for k in range(d)] for j in range(d)])
    N = np.array([[np.vdot(B[j], B[k]).real for k in range(d)] for j in range(d)])
    try:
        scipy.linalg.eigh(D, N, eigvals_only=True)
    except np.linalg.LinAlgError as exc:
        return f"LinAlgError: {exc}"
    return "no error"


def part_c(ms_perm: list[int], ms_so: list[int], m_big: int, rng) -> dict:
    perm_rows, so_rows = [], []
    for m in ms_perm:
        W = rng.standard_normal((m, m))
        R = reynolds(W @ W.T, dihedral(m)) + 1e-3 * np.diag(rng.standard_normal(m))
        Bs = bases.permutations(dihedral(m), sparse_format=True)
        t_fast = best_time(lambda R=R, Bs=Bs: dc_gevp(R, Bs), repeat=3)
        row = {"M": m, "d": len(Bs), "dc_gevp_s": t_fast}
        if m <= 64:
            Bd = bases.permutations(dihedral(m))
            ev = dc_gevp(R, Bd).eigenvalues
            np.testing.assert_allclose(ev, naive_dc_gevp(R, Bd), atol=1e-8 * np.linalg.norm(R) ** 2)
            t_naive = best_time(lambda R=R, Bd=Bd: naive_dc_gevp(R, Bd), repeat=1, min_time=0.0)
            row.update({"naive_s": t_naive, "speedup": t_naive / t_fast})
        perm_rows.append(row)
    for m in ms_so:
        W = rng.standard_normal((m, m))
        R = W + W.T
        t_exact = best_time(lambda R=R: dc_gevp(R, "so"), repeat=3)
        row = {"M": m, "d": m * (m - 1) // 2, "exact_s": t_exact}
        if m <= 64:
            B = bases.so(m, sparse_format=True)
            t_dense = best_time(lambda R=R, B=B: dc_gevp(R, B), repeat=1, min_time=0.0)
            agree = np.allclose(dc_gevp(R, "so").eigenvalues, dc_gevp(R, B).eigenvalues,
                                atol=1e-8 * np.linalg.norm(R) ** 2)
            row.update({"dense_s": t_dense, "speedup": t_dense / t_exact, "agree": bool(agree)})
        so_rows.append(row)
    W = rng.standard_normal((m_big, m_big))
    t_big = best_time(lambda: dc_gevp(W + W.T, "so"), repeat=1, min_time=0.0)
    m0 = 16
    W = rng.standard_normal((m0, m0))
    scipy_msg = generalized_eigh_on_singular_n(W @ W.T, bases.permutations(dihedral(m0)))
    return {"permutation_dictionary_of_D_M": perm_rows, "so": so_rows,
            "scipy_eigh_D_N_on_the_D16_dictionary": scipy_msg,
            "so_exact_large": {"M": m_big, "exact_s": t_big}}


# -- (d) exponential baselines ------------------------------------------------------------

def exhaustive_subgroup_search(X: np.ndarray, subs: list[PermutationGroup], rng) -> PermutationGroup:
    """Test every subgroup with discover()'s global rule (α below its bootstrap quantile at
    the same level) and keep the largest consistent one."""
    S = X.T @ X.conj() / len(X)
    S = ((S + S.conj().T) / 2).real if not np.iscomplexobj(X) else (S + S.conj().T) / 2
    consistent = Consistency(S, len(X), np.iscomplexobj(X), 0.999, 100, rng)
    best = None
    for H in subs:
        if consistent(H)[0] and (best is None or H.order > best.order):
            best = H
    return best


def brute_force_aut(R: np.ndarray) -> int:
    m = len(R)
    return sum(
        1 for p in itertools.permutations(range(m))
        if np.allclose(R[np.ix_(p, p)], R, atol=1e-9)
    )


def part_d(rng, ms_brute: list[int]) -> dict:
    D16 = dihedral(16)
    t0 = time.perf_counter()
    subs = all_subgroups(D16)
    t_enum = time.perf_counter() - t0
    truth = uca_dihedral_group(16, 4)
    R0 = random_invariant(truth, rng)
    X = draw(R0, 128, rng, False)
    t_ex = best_time(lambda: exhaustive_subgroup_search(X, subs, np.random.default_rng(0)),
                     repeat=1, min_time=0.0)
    t_dc = best_time(lambda: discover(X, ambient=D16), repeat=3, min_time=0.0)
    found_ex = exhaustive_subgroup_search(X, subs, np.random.default_rng(0))
    found_dc = discover(X, ambient=D16).group
    subgroup_row = {
        "ambient": "D_16", "n_subgroups": len(subs), "enumerate_subgroups_s": t_enum,
        "exhaustive_s": t_ex + t_enum, "discover_s": t_dc, "speedup": (t_ex + t_enum) / t_dc,
        "exhaustive_correct": bool(found_ex is not None and same_pairs(found_ex, truth)),
        "discover_correct": bool(same_pairs(found_dc, truth)),
    }
    brute_rows = []
    for m in ms_brute:
        G = relabel(dihedral(m), rng.permutation(m))
        A = rng.standard_normal((m, m))
        R = reynolds(A @ A.T, G)
        t_b = best_time(lambda R=R: brute_force_aut(R), repeat=1, min_time=0.0)
        t_a = best_time(lambda R=R: automorphisms(R), repeat=3)
        order_b = brute_force_aut(R)
        brute_rows.append({"M": m, "brute_force_s": t_b, "automorphisms_s": t_a,
                           "speedup": t_b / t_a, "orders_agree": order_b == automorphisms(R).order})
    return {"subgroups_of_D16": subgroup_row, "all_permutations": brute_rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a fast smoke run")
    ap.add_argument("--trials", type=int, default=None, help="trials per cell in (a)")
    ap.add_argument("--blind-trials", type=int, default=None, help="trials per cell in (b)")
    ap.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = ap.parse_args()
    if args.quiet:
        set_quiet(True)
    rng = np.random.default_rng(2026)
    quick = args.quick
    trials = args.trials or (3 if quick else 100)
    blind_trials = args.blind_trials or (2 if quick else 10)
    ns = [4, 16, 64] if quick else [4, 8, 16, 32, 64, 128]
    start = time.perf_counter()

    a = part_a(trials, ns, rng)
    print("\n(a) subgroup selection in D_16: success rate (discover | select_group)")
    print(f"{'scenario':8s} {'J':>2s} " + " ".join(f"{'n=' + str(n):>13s}" for n in ns))
    for scen in ("jammers", "random"):
        for J in (2, 4, 8):
            cells = [r for r in a if r["scenario"] == scen and r["J"] == J]
            print(f"{scen:8s} {J:2d} " + " ".join(
                f"{r['discover_success']:5.2f} | {r['select_group_success']:4.2f}" for r in cells))
    mean_d = np.mean([r["discover_ms"] for r in a])
    mean_s = np.mean([r["select_group_ms"] for r in a])
    print(f"mean time per call: discover {mean_d:.1f} ms, select_group {mean_s:.1f} ms "
          f"(ratio {mean_d / mean_s:.2f})")

    b = part_b(blind_trials, [10] if quick else [10, 100, 1000], rng)
    print("\n(b) blind discovery: success rate (mean ms)")
    settings = list(dict.fromkeys(r["setting"] for r in b))
    print(f"{'model':8s} {'group':28s} " + " ".join(f"{s:>14s}" for s in settings))
    for model in ("wishart", "uniform"):
        for name in BLIND:
            cells = [r for r in b if r["group"] == name and r["model"] == model]
            if cells:
                print(f"{model:8s} {name:28s} " + " ".join(
                    f"{r['success']:5.2f} ({r['ms']:6.0f})" for r in cells))

    c = part_c([16, 32, 64] if quick else [16, 32, 64, 128, 256],
               [16, 32] if quick else [16, 32, 64],
               256 if quick else 1024, rng)
    print("\n(c) DC-GEVP time")
    for r in c["permutation_dictionary_of_D_M"]:
        extra = f", naive loops {r['naive_s']:.3g} s, speedup {r['speedup']:.0f}x" if "naive_s" in r else ""
        print(f"  D_M dictionary  M={r['M']:5d} d={r['d']:5d}: {r['dc_gevp_s']:.3g} s{extra}")
    for r in c["so"]:
        extra = (f", dense {r['dense_s']:.3g} s, speedup {r['speedup']:.0f}x, agree {r['agree']}"
                 if "dense_s" in r else "")
        print(f"  so(M) exact     M={r['M']:5d} d={r['d']:7d}: {r['exact_s']:.3g} s{extra}")
    big = c["so_exact_large"]
    print(f"  so(M) exact     M={big['M']:5d}: {big['exact_s']:.3g} s")
    print(f"  scipy.linalg.eigh(D, N) on the D_16 dictionary: {c['scipy_eigh_D_N_on_the_D16_dictionary']}")

    d = part_d(rng, [6, 7] if quick else [6, 7, 8])
    s = d["subgroups_of_D16"]
    print(f"\n(d) exhaustive over the {s['n_subgroups']} subgroups of D_16: {s['exhaustive_s']:.3g} s; "
          f"discover {s['discover_s']:.3g} s (speedup {s['speedup']:.1f}x; correct: exhaustive "
          f"{s['exhaustive_correct']}, discover {s['discover_correct']})")
    for r in d["all_permutations"]:
        print(f"    brute force over {r['M']}! permutations: {r['brute_force_s']:.3g} s; "
              f"automorphisms {r['automorphisms_s']:.3g} s (speedup {r['speedup']:.0f}x, "
              f"orders agree {r['orders_agree']})")
    total = time.perf_counter() - start
    print(f"\ntotal {total:.0f} s")
    if quick:  # a smoke run never replaces the committed full results
        return
    path = write_results("discovery", {
        "quick": quick, "trials": trials, "blind_trials": blind_trials, "seconds": total,
        "subgroup_selection": a, "blind": b, "dc_gevp_scaling": c, "exponential_baseline": d,
    })
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
