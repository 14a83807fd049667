"""The adaptive-array experiment with the group found from the same snapshots.

The scenario of :func:`algdiv.experiments.adaptive_array` (a uniform circular array of ``M``
sensors, radius 1.5 wavelengths, ``J`` equal-power jammers at azimuths ``2πk/J``, INR 30 dB,
unit noise, look direction ``0.3·2π/J``; SINR loss of ``w = R̂⁺ s``).  Per trial and snapshot
count ``n`` the MVDR weight is computed from the group average ``Φ_H(S)`` of

``oracle``        the published ``D_J`` (fixed in advance);
``automorphism``  the full automorphism group of the true covariance (fixed; order 32 at
                  ``M = 16``: ``D_J`` and the transpositions of the sensor pairs on the jammer
                  axes);
``discovered``    the group :class:`algdiv.AutoGroupCovariance` selects among the subgroups of
                  the array's rotation-reflection group ``D_M`` from the same ``n`` snapshots;
``blind``         the group it selects with no ambient group;

and, beside them, from the full risk-optimal estimate ``a S + b Φ_H(S) + c (tr S/M) I`` of the
two selections (``discovered_full``, ``blind_full``) and from ``S`` itself (``sample``).  The
selection criterion is the held-out Gaussian likelihood (``criterion="likelihood"``): it is
scale-free and weighs the weak (noise) directions that MVDR relies on, where the Frobenius risk
is dominated by the 30 dB jammer eigenvalues.  Inside the ambient ``D_M`` each candidate is
scored with its best loading and the most structured within one standard error is taken
(:mod:`algdiv.discovery.heldout`): with three or four snapshots at ``M = 48`` the plain held-out
likelihood cannot score ``D_12`` (its trivial block is 3 × 3, its training average singular or
nearly so) and took ``D_24`` or ``D_48``, whose phantom jammers cost 20 dB.  An identity-shrunk
estimate wrecks the beamformer, which is why the group average alone feeds MVDR in the first four.

Every trial has its own seed from ``numpy.random.SeedSequence(seed).spawn(trials)``, and the
snapshot sets are nested in ``n``; results do not depend on how trials are split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..arrays import interference_covariance, uca_dihedral_group, uca_steering
from ..commutant import project_unchecked
from ..groups import PermutationGroup, dihedral
from .adaptive_array import crossing

__all__ = ["ARRAY_SELECTION_ESTIMATORS", "ArraySelectionResult", "adaptive_array_selection"]

#: Estimator keys of :func:`adaptive_array_selection`, in table order.
ARRAY_SELECTION_ESTIMATORS = (
    "oracle", "automorphism", "discovered", "blind", "discovered_full", "blind_full", "sample",
)


@dataclass
class ArraySelectionResult:
    """Loss tables of :func:`adaptive_array_selection`.

    Attributes
    ----------
    M, J, trials, seed, criterion
        The settings.
    snapshots : ndarray of int
    loss_db : dict of str -> ndarray
        dB of the mean SINR loss over trials, per estimator and ``n``.
    n_3db : dict of str -> float
        Snapshots to reach −3 dB (linear interpolation; ``nan`` if not reached).
    orders : dict of str -> ndarray
        Median order (as a float) of the group selected per ``n`` (``discovered``, ``blind``).
    automorphism_order : int
    """

    M: int
    J: int
    trials: int
    seed: int
    criterion: str
    snapshots: NDArray[Any]
    loss_db: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    n_3db: dict[str, float] = field(default_factory=dict)
    orders: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    automorphism_order: int = 0

    def table(self) -> str:
        """A text table: one row per ``n``, one column per estimator."""
        keys = ARRAY_SELECTION_ESTIMATORS
        head = "    n " + "".join(f"{k:>16s}" for k in keys)
        rows = [head]
        for i, n in enumerate(self.snapshots):
            rows.append(f"{n:5d} " + "".join(f"{self.loss_db[k][i]:16.2f}" for k in keys))
        rows.append("n_3dB " + "".join(f"{self.n_3db[k]:16.2f}" for k in keys))
        return "\n".join(rows)


def _loss(C: NDArray[Any], s: NDArray[Any], R: NDArray[Any], opt: float) -> float:
    lam, V = np.linalg.eigh(C)
    keep = lam > 1e-10 * lam[-1]
    w = (V[:, keep] / lam[keep]) @ (V[:, keep].conj().T @ s)
    return float(np.abs(w.conj() @ s) ** 2 / np.real(w.conj() @ R @ w) / opt)


def adaptive_array_selection(
    M: int = 16,
    J: int = 4,
    trials: int = 40,
    snapshots: Sequence[int] | None = None,
    seed: int = 0,
    *,
    criterion: str = "likelihood",
    selections: Sequence[str] = ("discovered", "blind"),
    progress: bool = False,
) -> ArraySelectionResult:
    """Snapshots to −3 dB SINR loss when the group is found from the same snapshots.

    Parameters
    ----------
    M, J : int
        Sensors and jammers (``J`` divides ``M``, ``M`` even).
    trials : int, default 40
        Monte Carlo trials (each runs two selections per ``n``: about a second each).
    snapshots : sequence of int, optional
        Default ``2 … 8`` and ``2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32`` scaled by ``M/16``.
    seed : int, default 0
    criterion : {"likelihood", "risk"}, default "likelihood"
        Passed to :class:`algdiv.AutoGroupCovariance`.
    selections : sequence of {"discovered", "blind"}, default both
        The selections to run (each is one :class:`algdiv.AutoGroupCovariance` fit per trial
        and ``n``); the columns of one left out (and its ``_full``) are ``nan``.
    progress : bool, default False
        A progress bar over trials.

    Returns
    -------
    ArraySelectionResult

    Examples
    --------
    >>> from algdiv.experiments import adaptive_array_selection
    >>> res = adaptive_array_selection(M=8, J=2, trials=2, snapshots=[4, 8])
    >>> sorted(res.loss_db) == sorted(ARRAY_SELECTION_ESTIMATORS)
    True
    """
    from .._progress import progress as bar
    from ..discovery import AutoGroupCovariance, automorphisms

    if M % 2 or J < 1 or M % J:
        raise ValueError(f"M must be even and a multiple of J, got M={M}, J={J}")
    if trials < 1:
        raise ValueError(f"trials must be positive, got {trials}")
    runs = tuple(selections)
    if not runs or any(k not in ("discovered", "blind") for k in runs) or len(set(runs)) < len(runs):
        raise ValueError(
            f"selections must be distinct values among 'discovered' and 'blind', got {selections!r}"
        )
    if snapshots is None:
        base = np.array([2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32])
        small = np.arange(2, 9)  # the group estimates cross −3 dB near 4 snapshots at any M
        grid = np.unique(np.concatenate([small, np.round(base * M / 16).astype(int)]))
    else:
        grid = np.asarray(snapshots, dtype=int)
    if grid.ndim != 1 or grid.size == 0 or np.any(grid < 1) or np.any(np.diff(grid) <= 0):
        raise ValueError("snapshots must be a non-empty increasing sequence of positive ints")
    A = uca_steering(2 * np.pi * np.arange(J) / J, M, 1.5)
    R = interference_covariance(A, np.full(J, 30.0))
    s = uca_steering(0.3 * 2 * np.pi / J, M, 1.5)[:, 0]
    opt = float(np.real(s.conj() @ np.linalg.solve(R, s)))
    groups: dict[str, PermutationGroup] = {
        "oracle": uca_dihedral_group(M, J),
        "automorphism": automorphisms(R),
    }
    ambient = dihedral(M)
    root = np.linalg.cholesky(R)
    losses = {k: np.zeros((grid.size, trials)) for k in ARRAY_SELECTION_ESTIMATORS}
    orders = {k: np.zeros((grid.size, trials)) for k in ("discovered", "blind")}
    for key in ("discovered", "blind"):
        if key not in runs:
            losses[key][:] = losses[f"{key}_full"][:] = orders[key][:] = np.nan
    seeds = np.random.SeedSequence(seed).spawn(trials)
    for t in bar(range(trials), desc="trials", quiet=not progress):
        rng = np.random.default_rng(seeds[t])
        z = rng.standard_normal((grid[-1], M)) + 1j * rng.standard_normal((grid[-1], M))
        x = (z / np.sqrt(2)) @ root.T
        for i, n in enumerate(grid):
            xn = x[:n]
            S = xn.T @ xn.conj() / n
            for key, G in groups.items():
                losses[key][i, t] = _loss(project_unchecked(S, G), s, R, opt)
            losses["sample"][i, t] = _loss(S, s, R, opt)
            for key, amb in (("discovered", ambient), ("blind", None)):
                if key not in runs:
                    continue
                est = AutoGroupCovariance(
                    ambient=amb, criterion=criterion, assume_centered=True
                ).fit(xn)
                losses[key][i, t] = _loss(project_unchecked(S, est.group_), s, R, opt)
                losses[f"{key}_full"][i, t] = _loss(est.covariance_, s, R, opt)
                orders[key][i, t] = float(est.group_.order)
    with np.errstate(divide="ignore"):
        loss_db = {k: 10 * np.log10(v.mean(axis=1)) for k, v in losses.items()}
    return ArraySelectionResult(
        M=M, J=J, trials=trials, seed=seed, criterion=criterion, snapshots=grid,
        loss_db=loss_db, n_3db={k: crossing(grid, v) for k, v in loss_db.items()},
        orders={k: np.median(v, axis=1) for k, v in orders.items()},
        automorphism_order=int(groups["automorphism"].order),
    )
