"""Regenerate the figures and numbers under docs/figures/ on purpose.

The gallery scripts (examples/*.py) write into ``--out`` (default ``./algdiv-gallery``),
never into the docs, so running them cannot change tracked files.  This tool is the one
deliberate way to refresh the committed figures: it runs every example (full runs, as
quoted in docs/gallery.md, unless ``--quick``) with ``--out docs/figures``, and redraws
the adaptive-array figure of docs/estimation.md with the command line.

Run: ``python tools/make_figures.py [--quick] [--only NAME ...] [--out DIR]``.
``--quick`` and ``--out`` are for trying the tool; commit only full runs into docs/figures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ["adaptive_array", "doa_music", "massive_mimo", "graphs", "image_patches", "qmc_kernels",
            "real_data", "cma_phase", "room_doa", "spherical_array",
            "multiway_stap"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the examples' smoke runs")
    ap.add_argument("--only", nargs="+", choices=EXAMPLES + ["estimation"], metavar="NAME",
                    help="regenerate these only (example names, or 'estimation')")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "figures",
                    help="folder to write (default docs/figures)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    jobs: list[tuple[str, list[str]]] = []
    for name in args.only or EXAMPLES + ["estimation"]:
        if name == "estimation":
            cmd = [sys.executable, "-m", "algdiv.cli.main", "experiment", "adaptive-array",
                   "--M", "16", "--J", "4", "--trials", "30" if args.quick else "200",
                   "--plot",
                   str(args.out / "estimation_adaptive_array_M16.png")]
        else:
            cmd = [sys.executable, str(ROOT / "examples" / f"{name}.py"), "--out", str(args.out)]
            cmd += ["--quick"] if args.quick else []
        jobs.append((name, cmd))
    failed = []
    for name, cmd in jobs:
        t0 = time.perf_counter()
        print(f"== {name}: {' '.join(cmd[1:])}", flush=True)
        if subprocess.run(cmd, cwd=ROOT).returncode:
            failed.append(name)
        print(f"   {time.perf_counter() - t0:.1f} s", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"figures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
