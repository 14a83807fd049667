"""``algdiv experiment ...``: reproduce the published experiments from the command line."""

from __future__ import annotations

import argparse
import json

from . import _common


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exp = sub.add_parser("experiment", help="run a reproducible published experiment")
    actions = exp.add_subparsers(
        dest="action", metavar="EXPERIMENT", parser_class=type(exp), required=True
    )

    aa = actions.add_parser(
        "adaptive-array",
        help="snapshots to -3 dB SINR loss on a circular array, per estimator",
        description="The uniform-circular-array experiment: J equal-power jammers on a D_J "
        "orbit, MVDR weights from each covariance estimate, SINR loss against the optimum.",
    )
    aa.add_argument("--M", type=_common.positive_int, default=16, help="sensors (default 16)")
    aa.add_argument("--J", type=_common.positive_int, default=4, help="jammers (default 4)")
    aa.add_argument("--trials", type=_common.positive_int, default=400, help="Monte Carlo trials (default 400)")
    aa.add_argument("--inr-db", type=float, default=30.0, help="INR per jammer (default 30)")
    aa.add_argument("--radius", type=float, default=1.5, help="radius in wavelengths")
    aa.add_argument("--seed", type=_common.seed, default=0, help="random seed (default 0)")
    aa.add_argument(
        "--average", choices=("linear", "db"), default="linear",
        help="average the loss over trials in linear units (default) or in dB",
    )
    aa.add_argument(
        "--fb-exchange", choices=("half_turn", "reflection"), default="half_turn",
        help="conjugate symmetry for forward-backward: i -> i+M/2 (default) or i -> -i",
    )
    aa.add_argument(
        "--rogue", type=float, nargs=2, metavar=("AZIMUTH", "INR_DB"),
        help="add a jammer off the D_J orbit (azimuth in radians)",
    )
    aa.add_argument("--plot", metavar="FIG.png", help="write the loss-against-n figure")
    aa.add_argument("--json", metavar="OUT.json", help="write the full result as JSON")
    aa.add_argument("--no-progress", action="store_true", help="no progress bar (as --quiet)")
    _common.add_engine_options(aa)
    aa.set_defaults(handler=run_adaptive_array)

    vl = actions.add_parser(
        "variance-law",
        help="Frobenius error of S over that of the group average, against d_eff",
    )
    vl.add_argument("group", metavar="GROUP", help='group text, e.g. "dihedral(16)"')
    vl.add_argument("--n", type=_common.positive_int, default=1, help="snapshots per trial (default 1)")
    vl.add_argument("--trials", type=_common.positive_int, default=2000, help="trials (default 2000)")
    vl.add_argument("--seed", type=_common.seed, default=0, help="random seed (default 0)")
    vl.add_argument("--real", action="store_true", help="real instead of complex snapshots")
    _common.add_engine_options(vl)
    vl.set_defaults(handler=run_variance_law)


def run_adaptive_array(args: argparse.Namespace) -> int:
    from .._progress import enabled
    from ..experiments import adaptive_array

    _common.check_output(args.json, "--json")
    _common.check_output(args.plot, "--plot", suffixes=_common.PLOT_SUFFIXES)
    _common.check_plotting(args.plot)
    _common.check_experiment_time("adaptive-array", args, M=args.M)
    res = adaptive_array(
        M=args.M,
        J=args.J,
        inr_db=args.inr_db,
        radius=args.radius,
        trials=args.trials,
        seed=args.seed,
        rogue=tuple(args.rogue) if args.rogue else None,
        average=args.average,
        fb_exchange=args.fb_exchange,
        progress=enabled(args.quiet or args.no_progress),
        **_common.engine(args),
    )
    print(res.table())
    if args.json:
        try:
            with open(args.json, "w") as fh:
                json.dump(res.to_dict(), fh, indent=1)
        except OSError as exc:
            raise ValueError(f"cannot write {args.json}: {exc.strerror or exc}") from None
        print(f"wrote {args.json}")
    if args.plot:
        res.plot(args.plot)
        print(f"wrote {args.plot}")
    return 0


def run_variance_law(args: argparse.Namespace) -> int:
    from ..experiments import variance_law
    from ..groups import parse

    G = parse(args.group)
    from .._limits import check_memory

    check_memory(
        8.0 * 4 * G.degree**2,
        f"the variance law on {G.degree} points (a few {G.degree} x {G.degree} arrays)",
    )
    _common.check_experiment_time("variance-law", args, M=G.degree)
    res = variance_law(
        G, n=args.n, trials=args.trials, seed=args.seed, complex_data=not args.real,
        **_common.engine(args),
    )
    print(
        f"ratio E|S-I|^2 / E|Phi_G(S)-I|^2 = {res.ratio:.4f} +- {res.ratio_se:.4f}  "
        f"(d_eff = {res.d_eff:.4f}; n = {res.n}, {res.trials} trials, "
        f"{'complex' if res.complex_data else 'real'} data)"
    )
    return 0
