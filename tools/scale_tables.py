"""Render the tables of benchmarks/results/scale.json into docs/scale.md.

The block between the line starting ``## Results (`` and the paragraph starting
``Reading the numbers.`` is replaced, so the page always shows the committed results; so
is the block between the ``<!-- generic groups -->`` and ``<!-- end generic groups -->``
lines (groups given by generators: ``generic_groups`` in the JSON).

Run: ``python tools/scale_tables.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "scale.json"
PAGE = ROOT / "docs" / "scale.md"
START, END = "## Results (", "Reading the numbers."


def _time(seconds: float) -> str:
    ms = 1e3 * seconds
    if ms < 1:
        return f"{ms:.2f} ms"
    return f"{ms:.3g} ms" if ms < 1000 else f"{seconds:.3g} s"


def _mem(nbytes: float) -> str:
    mib = nbytes / 2**20
    return f"{mib:.2g} MiB" if mib < 10 else f"{mib:.0f} MiB" if mib < 1024 else f"{mib / 1024:.2f} GiB"


def render(data: dict) -> list[str]:
    rows = data["rows"]
    sizes = data["sizes"]
    fits = data["exponents"]
    ops = [op for op in dict.fromkeys(r["op"] for r in rows)
           if not op.startswith("order + pair orbits")]
    out = [
        f"## Results (one core, BLAS pinned to one thread; run took {data['wall_seconds']:.0f} s)",
        "",
        "Time (best of a few calls) and peak memory (`tracemalloc`) per call; a blank cell was "
        "not run (see the cuts below). The exponents are least-squares slopes on log-log axes "
        "from M = 256 on.",
        "",
        "| operation | " + " | ".join(f"M={m}" for m in sizes) + " | time ~ M^k | memory ~ M^k |",
        "|---|" + "---|" * len(sizes) + "---|---|",
    ]
    for op in ops:
        cells = {r["M"]: r for r in rows if r["op"] == op}
        line = [f"`{op}`"]
        for m in sizes:
            r = cells.get(m)
            line.append("" if r is None else f"{_time(r['seconds'])}<br>{_mem(r['peak_bytes'])}")
        fit = fits.get(op)
        line += [f"{fit['time']:.2f}", f"{fit['memory']:.2f}"] if fit else ["–", "–"]
        out.append("| " + " | ".join(line) + " |")
    out += ["", "**Against peers** (same run):", "",
            "| operation | M | ours | peer | ratio | peer |", "|---|---|---|---|---|---|"]
    names = {
        "reynolds": "group sum over the 2M elements (fancy indexing)",
        "certificate": "former code (dense spectral projectors), peak memory beside",
        "order (random 2-generator)": "sympy Schreier-Sims",
    }
    for r in rows:
        if "peer_seconds" not in r:
            continue
        peer = _time(r["peer_seconds"])
        if "peer_peak_bytes" in r:
            peer += f", {_mem(r['peer_peak_bytes'])} (ours {_mem(r['peak_bytes'])})"
        out.append(f"| `{r['op']}` | {r['M']} | {_time(r['seconds'])} | {peer} | "
                   f"{r['peer_seconds'] / r['seconds']:.3g}× | {names.get(r['op'], '')} |")
    floors = [r for r in rows if "floor_seconds" in r]
    if floors:
        out += ["", "Reynolds against the one-pass floor (`A.sum()`): " + ", ".join(
            f"M={r['M']}: {r['seconds'] / r['floor_seconds']:.0f}×" for r in floors) + "."]
    graphs = [r for r in rows if r["op"].startswith("order + pair orbits")]
    if graphs:
        out += ["", "**Automorphism groups of 1000-vertex graphs, given by generators** "
                "(order by the numpy Schreier-Sims, then the pair-orbit labels):", "",
                "| group | time | peak memory | order | pair orbits | verified |",
                "|---|---|---|---|---|---|"]
        for r in graphs:
            out.append(f"| {r['op'].split(': ', 1)[1]} | {_time(r['seconds'])} | "
                       f"{_mem(r['peak_bytes'])} | {r['order']} | {r['n_pair_orbits']} | "
                       f"{r['verified']} |")
    cuts = [f"`{op}` stops at M = {c['max_M']}: {c['why']}" for op, c in data["cuts"].items()
            if c["why"]]
    if cuts:
        out += ["", "Cuts: " + "; ".join(cuts) + "."]
    out += ["", "![time and peak memory against M](figures/scale.png)", ""]
    return out


GENERIC_START, GENERIC_END = "<!-- generic groups -->", "<!-- end generic groups -->"


def render_generic(rows: list[dict]) -> list[str]:
    """Groups given by generators: order, membership, pair orbits; chain depth; deadline."""
    by_op = {r["op"]: r for r in rows}
    names = list(dict.fromkeys(r["op"].split(", ", 1)[1] for r in rows
                               if r["op"].startswith("generic group: order, ")))
    out = ["| group | points | order (chain built) | `contains`, a member and a non-member | "
           "pair orbits | sympy (order + `contains`) |", "|---|---|---|---|---|---|"]
    for name in names:
        o = by_op[f"generic group: order, {name}"]
        c = by_op.get(f"generic group: contains x2, {name}")
        p = by_op.get(f"generic group: pair orbits, {name}")
        order = f"{_time(o['seconds'])}, {_mem(o['peak_bytes'])}; {o['order']}"
        order += "" if o.get("verified") else " (randomized)"
        peer = (f"{_time(o['peer_seconds'])} ({o['peer_ratio']:.3g}×)"
                if "peer_seconds" in o else "")
        out.append(f"| `{name}` | {o['M']} | {order} | {_time(c['seconds']) if c else ''} | "
                   f"{_time(p['seconds']) + ', ' + _mem(p['peak_bytes']) if p else ''} | {peer} |")
    depth = [r for r in rows if r["op"].startswith("chain depth: order, ")]
    if depth:
        out += ["", "| group (base length k) | points | order from generators | former chain |",
                "|---|---|---|---|"]
        for r in depth:
            former = _time(r["former_seconds"]) if "former_seconds" in r else ""
            out.append(f"| `{r['op'].split(', ', 1)[1]}` | {r['M']} | {_time(r['seconds'])} | "
                       f"{former} |")
    for r in rows:
        if r["op"].startswith("deadline: ") and r.get("refused"):
            out += ["", f"`{r['op'].split(': ', 1)[1]}` (points: {r['M']}): refused after "
                    f"{_time(r['seconds'])}:", "", "```", r["message"], "```"]
    return out


def main() -> None:
    data = json.loads(RESULTS.read_text())
    text = PAGE.read_text()
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(START))
    end = next(i for i, line in enumerate(lines) if line.startswith(END) and i > start)
    lines[start:end] = render(data)
    if GENERIC_START in lines and GENERIC_END in lines and data.get("generic_groups"):
        g0, g1 = lines.index(GENERIC_START), lines.index(GENERIC_END)
        lines[g0 + 1 : g1] = render_generic(data["generic_groups"])
    PAGE.write_text("\n".join(lines) + "\n")
    print(f"updated {PAGE}")


if __name__ == "__main__":
    main()
