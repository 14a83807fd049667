"""``algdiv demo``: the whole pipeline on built-in data with a hidden symmetry."""

from __future__ import annotations

import argparse
import time
from typing import Any

from . import _common
from .discover_cmd import add_report_options, check_report_outputs, write_outputs


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser(
        "demo",
        help="discover a hidden symmetry in built-in data and show what it buys",
        description="Draw snapshots whose covariance is invariant under a randomly relabelled "
        "group, find the group blindly, print the report, and compare the group-averaged "
        "covariance estimate with the sample covariance when snapshots are scarce.",
    )
    cmd.add_argument("--group", default="dihedral(16)", metavar="TEXT", help="the hidden group")
    cmd.add_argument(
        "--n-samples", type=_common.positive_int, default=1600, metavar="N",
        help="snapshots to draw (default 1600)",
    )
    cmd.add_argument("--seed", type=_common.seed, default=0, metavar="INT", help="random seed")
    add_report_options(cmd)
    cmd.set_defaults(handler=run)


def _estimation_gain(truth: Any, G: Any, n: int, trials: int, rng: Any) -> tuple[float, float]:
    """Mean relative Frobenius error of S and of Φ_G(S) from ``n`` snapshots."""
    import numpy as np

    from ..estimation import group_average

    chol = np.linalg.cholesky(truth)
    norm = np.linalg.norm(truth)
    err_s = err_g = 0.0
    for _ in range(trials):
        X = rng.standard_normal((n, truth.shape[0])) @ chol.T
        S = X.T @ X / n
        err_s += float(np.linalg.norm(S - truth) / norm)
        err_g += float(np.linalg.norm(group_average(X, G) - truth) / norm)
    return err_s / trials, err_g / trials


def recovery_verdict(found: Any, hidden: Any, covariance: Any) -> str:
    """How the found group relates to the hidden one, as one sentence.

    Groups with the same commutant estimate identically; a found group whose commutant
    is smaller but still contains the true covariance is a *larger* symmetry of these
    data (for real data a cyclic covariance is symmetric, so ``Z_M`` is found as
    ``D_M``).
    """
    import numpy as np

    from ..commutant import reynolds

    invariant = np.allclose(reynolds(covariance, found), covariance, atol=1e-10)
    if not invariant:
        return "no (the true covariance is not invariant under the group found)"
    if found.n_pair_orbits == hidden.n_pair_orbits:
        return "yes (the same commutant as the hidden group)"
    if found.n_pair_orbits < hidden.n_pair_orbits:
        return (
            f"yes, and more: the data have a larger symmetry than the {hidden.short_name} "
            f"that built them (dim C(G) {found.n_pair_orbits} instead of "
            f"{hidden.n_pair_orbits}), which the true covariance also has"
        )
    return (
        f"partly: a subgroup of the symmetry (dim C(G) {found.n_pair_orbits} instead of "
        f"{hidden.n_pair_orbits})"
    )


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from .._progress import progress, set_quiet
    from ..datasets import hidden_symmetry
    from ..discovery import discover
    from ..groups import parse

    set_quiet(args.quiet)
    check_report_outputs(args)
    start = time.perf_counter()
    base = parse(args.group)
    _common.check_discover_cost(base.degree, "the demo data")
    from .._limits import check_memory

    check_memory(
        3 * 8.0 * args.n_samples * base.degree,
        f"{args.n_samples} demo snapshots of {base.degree} points",
    )
    data = hidden_symmetry(base, args.n_samples, rng=args.seed)
    m = data.X.shape[1]
    print(
        f"Data: {data.X.shape[0]} snapshots of length {m}; their covariance is invariant under "
        f"the {data.base_group.name}, hidden by a random relabelling of the {m} indices.\n"
    )
    report = discover(data.X, rng=args.seed)
    print(report)
    found = report.group
    print("\nRecovered the hidden symmetry: " + recovery_verdict(found, data.group, data.covariance))
    rng = np.random.default_rng(args.seed + 1)
    print("\nWhat the group buys with few snapshots (mean relative Frobenius error, 200 trials):")
    print(f"  {'n':>4} {'sample covariance':>18} {'group average':>14} {'gain':>6}")
    for n in progress((2, 4, 8, 16), "estimation trials", unit="n"):
        e_s, e_g = _estimation_gain(data.covariance, found, n, 200, rng)
        print(f"  {n:>4} {e_s:>18.3f} {e_g:>14.3f} {e_s / e_g:>5.1f}x")
    write_outputs(report, args, title=f"algdiv demo: hidden {data.base_group.short_name}")
    print(f"\ndone in {time.perf_counter() - start:.1f} s")
    return 0
