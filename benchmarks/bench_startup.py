"""Start-up time of the command line and of ``import algdiv``.

Each case runs in a fresh interpreter (best of ``--repeat``); the floor is the bare
interpreter (``python -c pass``) and the peer ``python -c "import numpy"``, the cost of
the one dependency ``import algdiv`` may bring.  Writes benchmarks/results/startup.json
(``--quick`` prints without writing).

Run: ``python benchmarks/bench_startup.py [--quick] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "startup.json"

CASES = {
    "python -c pass (floor)": ["-c", "pass"],
    "python -c 'import numpy' (peer)": ["-c", "import numpy"],
    "import algdiv": ["-c", "import algdiv"],
    "algdiv --version": ["-m", "algdiv.cli.main", "--version"],
    "algdiv --help": ["-m", "algdiv.cli.main", "--help"],
    "algdiv group describe 'dihedral(16)'": ["-m", "algdiv.cli.main", "group", "describe",
                                             "dihedral(16)"],
    "import algdiv; algdiv.discover (first use)": ["-c", "import algdiv; algdiv.discover"],
}


def best_of(args: list[str], repeat: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, *args], env=env, check=True, capture_output=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats; do not write JSON")
    ap.add_argument("--repeat", type=int, default=None)
    ap.add_argument("--quiet", action="store_true", help="no progress bar (shown on stderr only when it is a terminal)")
    args = ap.parse_args(argv)
    repeat = args.repeat or (2 if args.quick else 7)
    sys.path.insert(0, str(ROOT / "src"))
    from algdiv._progress import progress, set_quiet

    if args.quiet:
        set_quiet(True)

    times = {name: best_of(cmd, repeat) for name, cmd in progress(CASES.items(), "startup")}
    floor = times["python -c pass (floor)"]
    numpy_time = times["python -c 'import numpy' (peer)"]
    print(f"{'case':<46} {'seconds':>8} {'- floor':>8} {'/ numpy':>8}")
    for name, t in times.items():
        print(f"{name:<46} {t:8.3f} {t - floor:8.3f} {t / numpy_time:8.2f}")
    result = {"repeat": repeat, "python": sys.version.split()[0], "seconds": times,
              "floor_seconds": floor, "numpy_import_seconds": numpy_time}
    if not args.quick:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=1) + "\n")
        print(f"wrote {RESULTS}")
    return result


if __name__ == "__main__":
    main()
