"""Large M on one machine: time and peak memory against M, with fitted log-log exponents.

Operations, each on a relabelled dihedral group ``D_M`` (hidden by a random relabelling, so
nothing can use the catalogue's point order) unless stated:

* ``labels (closed form)``: ``pair_orbits()`` of ``relabel(dihedral(M), σ)``, filled in
  row blocks from ``(j - i) mod M`` in the smallest dtype;
* ``labels (generic)``: the same labels from the generators only (sampled Schreier
  generators, verified), as for any group given by generators;
* ``reynolds``: ``Φ_G(A)`` for one dense ``A`` once the labels are cached; peer: the
  textbook group sum over the ``2M`` elements by fancy indexing (M <= 512); floor: one
  pass over ``A`` (``A.sum()``);
* ``matched transform (generic)``: ``matched_transform(G, method="generic")`` (the
  derivation from the generators; the catalogue path recognizes the DFT in microseconds);
* ``discover(R=R)``: exact discovery on a relabelled dihedral covariance (blind
  automorphism search, certificate, diagnostics);
* ``certificate``: its DC-GEVP over the generators' permutation matrices with the
  trivially commuting directions removed; peer: the former code with one dense ``M²`` row
  per spectral projector (``M³/2`` numbers), M <= 512;
* ``discover(X), 10·M snapshots``: blind discovery from 10·M real Gaussian snapshots of
  the same covariance (M <= 256);
* ``order (random 2-generator)``: ``PermutationGroup.order`` of the group of two random
  permutations (``S_M`` or ``A_M``); peer: sympy's Schreier-Sims (M <= 32: at M = 64 it
  takes 30-40 s);
* ``order + pair orbits`` of two graph automorphism groups on 1000 vertices given by
  generators: the Hamming graph H(3, 10) (``S_10 wr S_3``, order ``6·10!³``) and the torus
  ``C_10³`` (``D_10 wr S_3``).

* ``generic group at ~10^4 points``: groups given by generators only, as a user reaches
  them (the group text ``from_generators([[...], ...])``, parsed: the construction is
  unknown), ``affine(10007)`` (``AGL(1, p)``: orbits reached one point at a time, order
  ``p(p-1)``) and ``C_2 wr C_5000`` (10 000 points, order ``2^5000 · 5000``: a plain chain
  would be 5000 levels deep; the block kernel takes the levels below the action on the
  5000 blocks): ``order``, ``contains`` (a member and a non-member) and ``n_pair_orbits``;
  peer: sympy's Schreier-Sims on the same shapes at 10^3 and 200 points (it does not finish
  at 10^4 in minutes), where ours is timed too;
* ``chain depth``: the order of ``C_2 wr C_k`` from its generators for k = 500 ... 5000
  (beside the former chain's times at the same sizes, measured before the block kernel);
* ``deadline``: ``C_3 wr C_3000`` (no blocks of size 2, a plain chain 3000 levels deep,
  many minutes) under a 10 s time limit: the seconds until it refuses, and the message.

In the JSON under ``generic_groups``; ``--only generic`` reruns these rows alone and
merges them into ``results/scale.json`` (with ``--quick``: smaller sizes, nothing written).

Times are the best of a few calls (BLAS pinned to one thread: the machine has 2 shared
cores), peak memory is the ``tracemalloc`` peak of one call (numpy reports its buffers to
it).  Exponents are least-squares slopes of ``log t`` (and ``log bytes``) on ``log M`` over
the sizes measured from M = 256 on (the asymptotic regime).

Run: ``python benchmarks/bench_scale.py [--quick] [--max-m N]``; writes
``results/scale.json`` and ``docs/figures/scale.png`` (``--quick``: M <= 512, writes
``results/scale_quick.json`` and no figure).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from _timing import naive_index_sum, write_results  # noqa: E402

import algdiv  # noqa: E402
from algdiv import matched_transform, reynolds  # noqa: E402
from algdiv._progress import progress, set_quiet
from algdiv.discovery import bases, dc_gevp  # noqa: E402
from algdiv.groups import PermutationGroup, dihedral, relabel, symmetric  # noqa: E402
from algdiv.groups.formatting import format_order  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FIGURE = ROOT / "docs" / "figures" / "scale.png"

# The largest M each operation is run at in the full run, and why it stops there.
CUTS = {
    "labels (closed form)": (4096, ""),
    "labels (generic)": (4096, ""),
    "reynolds": (4096, ""),
    "matched transform (generic)": (2048, "O(M³) per call, about a minute expected at M = 4096"),
    "discover(R=R)": (2048, "eigh and a dense M×M search per call; about a minute at M = 4096"),
    "certificate": (2048, "with discover(R=R)"),
    "discover(X), 10·M snapshots": (256, "the issue's target size (the null-model bootstrap grows as M³)"),
    "order (random 2-generator)": (4096, ""),
}


def timed(fn, repeat: int) -> tuple[float, int]:
    """(best wall time over ``repeat`` calls, tracemalloc peak of one more call)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak


def hidden_dihedral(m: int, seed: int = 0) -> PermutationGroup:
    return relabel(dihedral(m), np.random.default_rng(seed).permutation(m))


def invariant_covariance(G: PermutationGroup, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((G.degree, G.degree))
    return reynolds(a @ a.T / G.degree + np.eye(G.degree), G)


def old_certificate(r: np.ndarray, gens: np.ndarray) -> float:
    """The former certificate: trivial directions as dense M² rows (the peer)."""
    from algdiv.discovery import bases
    from algdiv.discovery.gevp import _clusters

    m = r.shape[0]
    flat = bases.permutations(list(gens)).reshape(len(gens), -1)
    w, v = np.linalg.eigh(r)
    rows = [(v[:, i] @ v[:, i].T).ravel() / np.sqrt(i.size) for i in _clusters(w, np.abs(w).max())]
    triv = np.array(rows)
    b = flat.reshape(-1, m, m)
    comm = (r @ b - b @ r).reshape(len(b), -1)
    dmat = comm @ comm.T
    w_tb = triv @ flat.T
    nmat = flat @ flat.T - w_tb.T @ w_tb
    mu, q = np.linalg.eigh(nmat)
    keep = mu > 1e-10 * mu[-1]
    t = q[:, keep] / np.sqrt(mu[keep])
    return float(np.linalg.eigvalsh(t.T @ dmat @ t)[0])


def graph_groups() -> dict[str, PermutationGroup]:
    idx = np.arange(1000).reshape(10, 10, 10)
    out = {}
    for name, node in (("Hamming H(3,10): S_10 wr S_3", symmetric(10)),
                       ("torus C_10^3: D_10 wr S_3", dihedral(10))):
        gens = []
        for axis in range(3):
            for s in node.generators:
                gens.append(np.moveaxis(np.moveaxis(idx, axis, 0)[s], 0, axis).ravel())
        gens += [idx.transpose(1, 0, 2).ravel(), idx.transpose(1, 2, 0).ravel()]
        out[name] = PermutationGroup(gens, 1000)
    return out


def discover_x(G: PermutationGroup, add) -> None:
    """Blind ``discover(X)`` from 10·M snapshots of a ``G``-invariant covariance (one row)."""
    m = G.degree
    R = invariant_covariance(G)
    w, v = np.linalg.eigh(R)
    X = np.random.default_rng(3).standard_normal((10 * m, m)) @ (v * np.sqrt(w)).T
    t, p = timed(lambda: algdiv.discover(X), 1)
    add("discover(X), 10·M snapshots", m, t, p, found=algdiv.discover(X).name or "")


def measure(sizes: list[int], quick: bool) -> list[dict]:
    rows: list[dict] = []

    def add(op: str, m: int, seconds: float, peak: int, **extra) -> None:
        rows.append({"op": op, "M": m, "seconds": seconds, "peak_bytes": peak, **extra})
        parts = [f"{op:30s} M={m:5d} {seconds * 1e3:10.2f} ms {peak / 2**20:9.1f} MiB"]
        for key, value in extra.items():
            parts.append(f"{key}={value:.3g}" if isinstance(value, float) else f"{key}={value}")
        print("  ".join(parts), flush=True)

    for m in progress(sizes, desc="sizes", unit="M"):
        one_size(m, add)
    for m in (16, 32):
        sympy_peer(m, add)
    if not quick:
        for name, G in graph_groups().items():
            graph_group(name, G.generators, add)
    return rows


def _printer(rows: list[dict]):
    def add(op: str, m: int, seconds: float, peak: int, **extra) -> None:
        rows.append({"op": op, "M": m, "seconds": seconds, "peak_bytes": peak, **extra})
        parts = [f"{op:45s} M={m:5d} {seconds:8.2f} s {peak / 2**20:9.1f} MiB"]
        for key, value in extra.items():
            parts.append(f"{key}={value:.3g}" if isinstance(value, float) else f"{key}={value}")
        print("  ".join(parts), flush=True)
    return add


def one_size(m: int, add) -> None:
    """Every operation at one M (a function, so the timed closures bind its locals)."""
    rep = 3 if m <= 1024 else 1
    if m <= CUTS["labels (closed form)"][0]:
        t, p = timed(lambda: hidden_dihedral(m).pair_orbits(), rep)
        add("labels (closed form)", m, t, p, dtype=str(hidden_dihedral(m).pair_orbits().dtype))
    if m <= CUTS["labels (generic)"][0]:
        gens = hidden_dihedral(m).generators
        t, p = timed(lambda: PermutationGroup(gens, m).pair_orbits(), rep)
        add("labels (generic)", m, t, p)
    G = hidden_dihedral(m)
    G.pair_orbits()
    A = np.random.default_rng(2).standard_normal((m, m))
    if m <= CUTS["reynolds"][0]:
        t, p = timed(lambda: reynolds(A, G), max(rep, 5))
        floor, _ = timed(lambda: A.sum(), 5)
        extra = {"floor_seconds": floor}
        if m <= 512:
            elements = G.elements()
            peer, _ = timed(lambda: naive_index_sum(A, elements), 1)
            extra["peer_seconds"] = peer
            extra["peer_ratio"] = peer / t
        add("reynolds", m, t, p, **extra)
    if m <= CUTS["matched transform (generic)"][0]:
        t, p = timed(lambda: matched_transform(G, method="generic"), 1 if m >= 512 else rep)
        add("matched transform (generic)", m, t, p)
    if m <= CUTS["discover(R=R)"][0]:
        R = invariant_covariance(G)
        t, p = timed(lambda: algdiv.discover(R=R), 1 if m >= 512 else rep)
        add("discover(R=R)", m, t, p)
        basis = bases.permutations(G.generators)
        t, p = timed(lambda: dc_gevp(R, basis, exclude_trivial=True).certificate,
                     1 if m >= 512 else rep)
        extra = {}
        if m <= 512:
            peer, peer_peak = timed(lambda: old_certificate(R, G.generators), 1)
            extra = {"peer_seconds": peer, "peer_peak_bytes": peer_peak}
        add("certificate", m, t, p, **extra)
    if m <= CUTS["discover(X), 10·M snapshots"][0]:
        discover_x(G, add)
    if m <= CUTS["order (random 2-generator)"][0]:
        rng = np.random.default_rng(m)
        gens = [rng.permutation(m) for _ in range(2)]
        t, p = timed(lambda: PermutationGroup(gens, m).order, rep)
        add("order (random 2-generator)", m, t, p)


def sympy_peer(m: int, add) -> None:
    """sympy's Schreier-Sims on a small random 2-generator group (the peer)."""
    from sympy.combinatorics import Permutation
    from sympy.combinatorics import PermutationGroup as SympyGroup

    rng = np.random.default_rng(m)
    gens = [rng.permutation(m) for _ in range(2)]
    peer, _ = timed(lambda: SympyGroup([Permutation(g.tolist()) for g in gens]).order(), 1)
    ours, p = timed(lambda: PermutationGroup(gens, m).order, 3)
    add("order (random 2-generator)", m, ours, p, peer_seconds=peer, peer_ratio=peer / ours)


def graph_group(name: str, gens: np.ndarray, add) -> None:
    """Order and pair orbits of a graph's automorphism group given by generators."""

    def both():
        H = PermutationGroup(gens, 1000)
        return H.order, H.n_pair_orbits

    t, p = timed(both, 1)
    H = PermutationGroup(gens, 1000)
    add(f"order + pair orbits: {name}", 1000, t, p, order=str(H.order),
        n_pair_orbits=H.n_pair_orbits, verified=H.order_is_verified)


def _from_text(gens: np.ndarray) -> PermutationGroup:
    """The group as a user reaches it from generators alone: the group text
    ``from_generators([[...], ...])`` (what ``algdiv group describe`` and ``--group`` take),
    parsed, so that nothing of its construction is known."""
    from algdiv.groups import parse

    return parse("from_generators(" + str(gens.tolist()).replace(" ", "") + ")")


def _generic_cases(big: bool) -> dict[str, np.ndarray]:
    from algdiv.groups import affine, parse

    p, blocks = (10007, 5000) if big else (1009, 100)
    return {f"affine({p})": affine(p).generators,
            f"C_2 wr C_{blocks}": parse(f"wreath_product(cyclic(2), cyclic({blocks}))").generators}


def _non_member(G: PermutationGroup) -> np.ndarray:
    """A permutation outside both benchmark groups: a transposition of two points in
    different blocks (C_2 wr C_k keeps blocks; AGL(1, p) is sharply 2-transitive)."""
    g = np.arange(G.degree)
    g[[0, 2]] = g[[2, 0]]
    return g


#: Chain depths of ``C_2 wr C_k`` (base length k) timed for the depth scaling, and the
#: times of the former chain (every level explicit, O(depth² M) sifting) measured at the
#: same sizes on this machine before the block kernel (for the docs' before/after table).
DEPTHS = (500, 1000, 2000, 5000)
FORMER_SECONDS = {500: 1.51, 1000: 5.52, 2000: 43.9}


def generic_rows(add, peers: bool = True) -> None:
    """Order, membership and pair orbits of groups given by generators at ~10^4 points,
    with sympy at ~10^3 points (and ours there too); chain depth scaling; the deadline."""
    sizes = [(True, False), (False, True)] if peers else [(True, False)]
    for big, with_sympy in sizes:
        for name, gens in _generic_cases(big).items():
            generic_case(name, gens, with_sympy, add)
    from algdiv.groups import parse

    for k in DEPTHS if peers else DEPTHS[:2]:
        gens = parse(f"wreath_product(cyclic(2), cyclic({k}))").generators
        t, p = timed(lambda g=gens: _from_text(g).order, 1)
        extra = {"order_ok": _from_text(gens).order == 2**k * k}
        if k in FORMER_SECONDS:
            extra["former_seconds"] = FORMER_SECONDS[k]
        add(f"chain depth: order, C_2 wr C_{k}", 2 * k, t, p, **extra)
    deadline_row(add, 3000 if peers else 600, limit=10.0 if peers else 1.0)


def deadline_row(add, k: int, limit: float) -> None:
    """A deep chain the block kernel does not reach (``C_3 wr C_k``: no central
    involution), under a time limit: the seconds until it refuses, and the message."""
    from algdiv._limits import ResourceLimitError, max_time
    from algdiv.groups import parse

    G = _from_text(parse(f"wreath_product(cyclic(3), cyclic({k}))").generators)
    t0 = time.perf_counter()
    message = ""
    with max_time(limit):
        try:
            _ = G.order
        except ResourceLimitError as exc:
            message = str(exc)
    add(f"deadline: order, C_3 wr C_{k}, limit {limit:g} s", 3 * k,
        time.perf_counter() - t0, 0, refused=bool(message), message=message)


def generic_case(name: str, gens: np.ndarray, with_sympy: bool, add) -> None:
    t_order, p_order = timed(lambda: _from_text(gens).order, 1)
    G = _from_text(gens)
    member, outsider = gens[0][gens[-1]], _non_member(G)
    extra = {"order": format_order(G.order),
             "verified": G.order_is_verified}
    t_cont, _ = timed(lambda: (G.contains(member), G.contains(outsider)), 1)
    assert G.contains(member) and not G.contains(outsider)
    t_pairs, p_pairs = timed(lambda: PermutationGroup(gens).n_pair_orbits, 1)
    n_pairs = PermutationGroup(gens).n_pair_orbits
    if with_sympy:
        from sympy.combinatorics import Permutation
        from sympy.combinatorics import PermutationGroup as SympyGroup

        def sym():
            S = SympyGroup([Permutation(g.tolist()) for g in gens])
            return S.order(), S.contains(Permutation(member.tolist()))

        peer, _ = timed(sym, 1)
        assert sym()[0] == G.order
        extra.update(peer_seconds=peer, peer_ratio=peer / (t_order + t_cont))
    add(f"generic group: order, {name}", G.degree, t_order, p_order, **extra)
    add(f"generic group: contains x2, {name}", G.degree, t_cont, 0)
    add(f"generic group: pair orbits, {name}", G.degree, t_pairs, p_pairs,
        n_pair_orbits=n_pairs)


def exponents(rows: list[dict]) -> dict:
    out = {}
    for op in dict.fromkeys(r["op"] for r in rows):
        pts = sorted((r["M"], r["seconds"], r["peak_bytes"]) for r in rows
                     if r["op"] == op and r["M"] >= 256)
        if len(pts) < 2:
            continue
        lm = np.log([p[0] for p in pts])
        out[op] = {
            "time": float(np.polyfit(lm, np.log([max(p[1], 1e-9) for p in pts]), 1)[0]),
            "memory": float(np.polyfit(lm, np.log([max(p[2], 1) for p in pts]), 1)[0]),
            "from_M": int(pts[0][0]),
            "to_M": int(pts[-1][0]),
        }
    return out


def plot(rows: list[dict], fits: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(11, 4.2))
    for op in fits:
        pts = sorted((r["M"], r["seconds"], r["peak_bytes"]) for r in rows if r["op"] == op)
        ms = [p[0] for p in pts]
        label = f"{op} (t ~ M^{fits[op]['time']:.2f})"
        ax_t.loglog(ms, [p[1] for p in pts], "o-", label=label)
        ax_m.loglog(ms, [p[2] / 2**20 for p in pts], "o-",
                    label=f"{op} (M^{fits[op]['memory']:.2f})")
    ms = np.array(sorted({r["M"] for r in rows if r["M"] >= 64}))
    ax_m.loglog(ms, ms**2 * 8 / 2**20, "k:", label="one M×M float64 array")
    ax_t.set(xlabel="M", ylabel="seconds (best of a few)", title="time")
    ax_m.set(xlabel="M", ylabel="MiB (tracemalloc peak)", title="peak memory")
    for ax in (ax_t, ax_m):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    print(f"wrote {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="M <= 512; does not overwrite scale.json")
    parser.add_argument("--max-m", type=int, default=4096, help="largest M (a power of 2)")
    parser.add_argument("--only", choices=["generic", "discover"],
                        help="rerun the generic-group rows, or the blind discover(X) rows, alone, "
                             "merged into scale.json")
    parser.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = parser.parse_args(argv)
    if args.quiet:
        set_quiet(True)
    if args.only == "discover":
        import json

        from _timing import RESULTS

        op = "discover(X), 10·M snapshots"
        new_rows: list[dict] = []
        for m in [2**k for k in range(6, 13) if 2**k <= CUTS[op][0]]:
            discover_x(hidden_dihedral(m), _printer(new_rows))
        path = RESULTS / "scale.json"
        payload = json.loads(path.read_text())
        payload["rows"] = [r for r in payload["rows"] if r["op"] != op] + new_rows
        payload.pop("benchmark", None)
        payload.pop("machine", None)
        print(f"wrote {write_results('scale', payload)}")
        return 0
    if args.only == "generic":
        import json

        from _timing import RESULTS

        rows: list[dict] = []
        generic_rows(_printer(rows), peers=not args.quick)
        if not args.quick:
            path = RESULTS / "scale.json"
            payload = json.loads(path.read_text())
            payload["generic_groups"] = rows
            payload.pop("benchmark", None)
            payload.pop("machine", None)
            print(f"wrote {write_results('scale', payload)}")
        return 0
    top = min(args.max_m, 512 if args.quick else args.max_m)
    sizes = [2**k for k in range(6, 13) if 2**k <= top]
    start = time.perf_counter()
    rows = measure(sizes, args.quick)
    generic: list[dict] = []
    if not args.quick:
        generic_rows(_printer(generic))
    fits = exponents(rows)
    for op, f in fits.items():
        print(f"{op:40s} time ~ M^{f['time']:.2f}   memory ~ M^{f['memory']:.2f}"
              f"   (M = {f['from_M']}..{f['to_M']})")
    payload = {
        "sizes": sizes,
        "cuts": {op: {"max_M": c[0], "why": c[1]} for op, c in CUTS.items()},
        "rows": rows,
        "generic_groups": generic,
        "exponents": fits,
        "wall_seconds": time.perf_counter() - start,
        "blas_threads": 1,
    }
    path = write_results("scale_quick" if args.quick else "scale", payload)
    print(f"wrote {path}")
    if not args.quick:
        plot(rows, fits, FIGURE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
