"""Choosing among candidate groups by estimated risk (ours).

Consistency answers "which structure are the data consistent with"; the user's question is
"which estimate is best".  Candidates (see :func:`algdiv.discovery.candidates.candidate_entries`)
are groups fixed before the data are seen (ambient subgroups, the natural-order catalogue) and
groups found by a search on one half of the snapshots; the trivial group is always one.  For
each, the estimate is the risk-optimal combination ``Ĉ = a S + b Φ_H(S) + c (tr S/M) I``
(:class:`algdiv.GroupLedoitWolf`) and its relative risk ``E‖Ĉ − R‖²/‖R‖²`` is estimated:

* a fixed candidate (or one found on both halves): the unbiased in-sample estimate of
  :mod:`algdiv.estimation.risk`;
* one found on a single half: fitted on that half and scored on the other by
  ``‖Ĉ_A − S_B‖² − V̂_B(I)``, unbiased for ``E‖Ĉ_A − R‖²`` because the halves are independent,
  minus half of the training variance ``wᵀ V̂_A w`` to bring it from ``n/2`` to ``n``
  snapshots.  An in-sample estimate would be badly biased here: a group found by looking at
  ``S`` fits its noise, and its in-sample risk is anti-correlated with the truth.

``criterion="risk"`` takes, among the candidates within one standard error of the smallest
estimate, the one with the fewest pair orbits (the one-standard-error rule, see
:func:`_one_standard_error`); ``criterion="likelihood"`` the candidate
whose group average has the best held-out Gaussian likelihood (:func:`algdiv.select_group`;
with ``loaded=True``, as inside an ambient, each candidate at its best loading and the most
structured within one standard error: :mod:`algdiv.discovery.heldout`).
The smallest of several unbiased estimates is biased low (the winner's curse), so the
selected estimate's risk is also reported **held out**: fitted on each half, scored on the
other (the choice itself saw all the data).

Blind, :func:`guard_trivial` keeps the selected group only if its estimated gain over the plain
two-term shrinkage is significant (one-sided, family-wise level 5 % over the candidates).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from statistics import NormalDist
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..commutant import project_unchecked
from ..estimation.group_shrinkage import combine
from ..estimation.risk import SnapshotMoments
from ..estimation.selection import select_group
from ..groups import PermutationGroup

__all__ = [
    "Selection", "CandidateRisk", "Entry", "select_by_risk", "guard_trivial", "describe_group", "CRITERIA",
]

CRITERIA = ("risk", "likelihood")
_TIE = 1e-9


@dataclass(frozen=True)
class CandidateRisk:
    """One candidate of the selection, with its estimated risks (relative to ``‖R‖²``).

    Attributes
    ----------
    group : PermutationGroup
    n_pair_orbits : int
        ``dim C(H)``.
    average_risk : float
        Estimated ``E‖Φ_H(S) − R‖² / ‖R‖²`` of the group average alone.
    risk : float
        Estimated relative risk of the risk-optimal combination with ``S`` and the identity.
    weights : ndarray (3,)
        ``(a, b, c)`` of ``S``, ``Φ_H(S)``, ``(tr S/M) I``.
    standard_error : float
        Estimated standard error of ``risk`` minus the smallest candidate risk (``nan`` when
        not computed): the width of the one-standard-error rule.
    """

    group: PermutationGroup
    n_pair_orbits: int
    average_risk: float
    risk: float
    weights: NDArray[Any] = field(repr=False)
    standard_error: float = float("nan")


@dataclass
class Selection:
    """The risk-minimizing candidate group and its estimator.

    Attributes
    ----------
    group : PermutationGroup
        The selected group (the trivial group means: symmetry does not help these data).
    weights : ndarray (3,)
        ``(a, b, c)``: the estimate is ``a S + b Φ_H(S) + c (tr S / M) I``.
    risk : float
        The estimated relative risk ``E‖Ĉ − R‖²/‖R‖²`` that won the choice (unbiased for each
        candidate alone, biased low as the smallest of several).
    heldout_risk : float or None
        The selected estimate's risk held out: fitted on each half and scored on the other
        (two-fold, brought to ``n`` snapshots); ``None`` below 4 snapshots.
    criterion : str
        ``"risk"`` or ``"likelihood"``.
    candidates : list of CandidateRisk
        Every candidate, best first (by estimated risk of its combination).
    n_effective : int
        Independent snapshots behind ``S`` (``n − 1`` when the mean was estimated).
    kept_trivial : bool
        Whether the risk-minimizing group was set aside for the trivial group (the plain
        shrinkage toward the scaled identity) because its estimated gain was not significant
        (see :func:`guard_trivial`).
    """

    group: PermutationGroup
    weights: NDArray[Any]
    risk: float
    heldout_risk: float | None
    criterion: str
    candidates: list[CandidateRisk] = field(repr=False)
    n_effective: int = 0
    kept_trivial: bool = False

    @property
    def symmetry_helps(self) -> bool:
        """Whether the selected estimate gives a non-trivial group average weight (>= 1 %)."""
        return self.group.n_pair_orbits < self.group.degree**2 and self.weights[1] >= 0.01

    def table(self, limit: int = 8) -> str:
        """The best candidates, one line each (the selected one marked ``*``; ``± s.e.``: the
        standard error of a candidate's risk minus the smallest, behind the one-standard-error
        rule)."""
        lines = ["    dim C   risk(avg)  risk(comb)  ± s.e.    weights (S, group, identity)  group"]
        sel = np.asarray(self.group.pair_orbits()).tobytes()
        for c in self.candidates[:limit]:
            mark = "*" if np.asarray(c.group.pair_orbits()).tobytes() == sel else " "
            w = ", ".join(f"{v:.2f}" for v in c.weights)
            se = f"{c.standard_error:8.2g}" if np.isfinite(c.standard_error) else " " * 8
            lines.append(
                f"  {mark} {c.n_pair_orbits:5d}  {c.average_risk:9.4g}  {c.risk:10.4g}  {se}  "
                f"({w})  {describe_group(c.group)}"
            )
        if len(self.candidates) > limit:
            lines.append(f"    ... ({len(self.candidates) - limit} more candidates)")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "group": describe_group(self.group),
            "generators": self.group.generator_cycles(),
            "pair_orbits": int(self.group.n_pair_orbits),
            "weights": {"sample": float(self.weights[0]), "group_average": float(self.weights[1]),
                        "identity": float(self.weights[2])},
            "risk": float(self.risk),
            "heldout_risk": None if self.heldout_risk is None else float(self.heldout_risk),
            "criterion": self.criterion,
            "symmetry_helps": bool(self.symmetry_helps),
            "n_effective": self.n_effective,
            "kept_trivial": bool(self.kept_trivial),
            "candidates": [
                {"group": describe_group(c.group), "pair_orbits": int(c.n_pair_orbits),
                 "average_risk": float(c.average_risk), "risk": float(c.risk),
                 "standard_error": None if not np.isfinite(c.standard_error)
                 else float(c.standard_error)}
                for c in self.candidates[:_REPORTED]
            ],
        }


def describe_group(G: PermutationGroup) -> str:
    """A short name: the catalogue name up to relabelling, else the order and ``dim C``.

    >>> from algdiv.groups import dihedral, trivial, PermutationGroup
    >>> describe_group(dihedral(8)), describe_group(trivial(4))
    ('dihedral(8) (up to relabelling)', 'trivial (no symmetry)')
    >>> describe_group(PermutationGroup([[1, 0, 2, 3]]))
    'order-2 group, dim C = 10'
    """
    from ..groups import format_order
    from .naming import catalogue_name

    if G.n_pair_orbits == G.degree**2:
        return "trivial (no symmetry)"
    name = catalogue_name(G)
    if name:
        return f"{name} (up to relabelling)"
    return f"order-{format_order(G.order)} group, dim C = {G.n_pair_orbits}"


@dataclass(frozen=True)
class Entry:
    """A candidate group; ``found_on`` holds the indices of the snapshots a search found it
    from (``None`` for a candidate fixed before seeing the data)."""

    group: PermutationGroup
    found_on: NDArray[Any] | None = None


def _key(G: PermutationGroup) -> bytes:
    return np.asarray(G.pair_orbits()).tobytes()


_REPORTED = 20  # candidates listed in the report (with their standard errors)
_NESTED = np.array([[0, 1, 2], [1, 1, 2], [2, 2, 2]])  # the smaller of two nested projections


def _half_risk(G: PermutationGroup, train: SnapshotMoments, test: SnapshotMoments) -> tuple[float, float]:
    """Risk of the shrunk estimate and of the group average fitted on ``train``, scored on the
    independent ``test`` (``‖Ĉ − S_test‖² − V̂_test(I)``) and brought from ``n/2`` to ``n``
    snapshots by taking off half of the training variance."""
    w, _ = train.combination(G)
    _, var = train.terms(G)
    noise = test.full[1]
    risk = float(np.sum(np.abs(combine(train.S, G, w) - test.S) ** 2)) - noise
    avg = float(np.sum(np.abs(project_unchecked(train.S, G) - test.S) ** 2)) - noise
    return risk - 0.5 * float(w @ var[_NESTED] @ w), avg - 0.5 * var[1]


def _scored(
    items: list[Entry], halves: list[NDArray[Any]], full: SnapshotMoments, moments: list[SnapshotMoments]
) -> list[CandidateRisk]:
    """The estimated relative risk of every candidate's shrunk estimate at ``n`` snapshots.

    A candidate fixed in advance, or found on both halves: the unbiased in-sample estimate
    (:meth:`~algdiv.estimation.risk.SnapshotMoments.combination`).  One found on a single
    half: fitted there (weights by that half's in-sample risk) and scored on the other half
    by ``‖Ĉ_train − S_test‖² − V̂_test(I)``, unbiased for ``E‖Ĉ_train − R‖²`` at ``n/2``
    snapshots, with half of the training estimate's variance ``wᵀ V̂ w`` taken off to bring
    it to ``n`` (the variance falls as ``1/n``, the bias does not).  That score is paired
    with the trivial group's on the same split, and the difference added to the trivial
    group's in-sample estimate: the realized error of ``S_test``, which dominates a held-out
    score's noise, cancels.
    """
    scale = full.full[0] - full.full[1]
    scale = scale if scale > 0 else max(full.full[0], np.finfo(float).tiny)
    trivial = PermutationGroup([], full.m)
    _, base_risk = full.combination(trivial)
    base_avg = full.risk(trivial).risk
    base_half = [_half_risk(trivial, moments[t], moments[1 - t]) for t in (0, 1)]
    out = []
    for e in items:
        w_full, risk = full.combination(e.group)
        avg = full.risk(e.group).risk
        if e.found_on is not None:
            # paired with the trivial group on the same held-out half: the realized error of
            # S_test, the noisiest part of a held-out score, cancels in the difference
            t = 0 if np.array_equal(e.found_on, halves[0]) else 1
            h_risk, h_avg = _half_risk(e.group, moments[t], moments[1 - t])
            risk = base_risk + (h_risk - base_half[t][0])
            avg = base_avg + (h_avg - base_half[t][1])
        out.append(CandidateRisk(e.group, int(e.group.n_pair_orbits), avg / scale, risk / scale, w_full))
    # best first; near-ties to the most structured (fewest pair orbits)
    return sorted(out, key=lambda c: (round(c.risk / _TIE) * _TIE, c.n_pair_orbits))


def select_by_risk(
    z: NDArray[Any], entries: list[Entry], halves: list[NDArray[Any]] | None = None, *,
    criterion: str = "risk", moments: SnapshotMoments | None = None, loaded: bool = False,
) -> Selection:
    """Select among candidate ``entries`` from centred snapshots ``z`` (rows; internal API).

    ``z`` are independent zero-mean snapshots (or Helmert contrasts); the trivial group is
    added when missing.  ``halves`` is the two-fold split the searches used (default: first
    and second half); ``moments``, those of ``z`` when the caller has them already.
    ``loaded``: with ``criterion="likelihood"``, choose by the loaded held-out likelihood
    and the one-standard-error rule
    (:func:`algdiv.discovery.heldout.loaded_likelihood_choice`) instead of
    :func:`algdiv.select_group`.  See the module notes.
    """
    n, m = z.shape
    halves = halves if halves is not None else np.array_split(np.arange(n), 2)
    # One entry per commutant: a candidate fixed in advance, or found on both halves, is
    # validated both ways; one found on a single half only on the other.
    found: dict[bytes, tuple[PermutationGroup, set[int]]] = {}
    for e in [Entry(PermutationGroup([], m))] + list(entries):
        group, where = found.setdefault(_key(e.group), (e.group, set()))
        if e.found_on is None:
            where.update((0, 1))
        else:
            where.update(k for k in (0, 1) if np.array_equal(e.found_on, halves[k]))
    unique = {
        k: Entry(g, None if len(where) != 1 else halves[next(iter(where))])
        for k, (g, where) in found.items()
    }
    items = list(unique.values())
    if n < 4:
        # too few snapshots to validate risks: with the likelihood criterion and at least two
        # snapshots, leave-one-out likelihood among the fixed candidates; else the group
        # average of the most structured one (one snapshot: the one-snapshot estimator)
        fixed = [e.group for e in items if e.found_on is None]
        if criterion == "likelihood" and n >= 2:
            G = _likelihood_choice(z, fixed, n, loaded)
        else:
            G = min(fixed, key=lambda g: g.n_pair_orbits)
        if n >= 2:
            w, _ = SnapshotMoments(z).combination(G)
        else:
            w = np.array([0.0, 1.0, 0.0]) if G.n_pair_orbits < m * m else np.array([0.0, 0.0, 1.0])
        cand = CandidateRisk(G, int(G.n_pair_orbits), float("nan"), float("nan"), w)
        return Selection(G, w, float("nan"), None, criterion, [cand], n)
    full = moments if moments is not None else SnapshotMoments(z)
    parts = [SnapshotMoments(z[h]) for h in halves]
    scored = _scored(items, halves, full, parts)
    best = scored[0]
    if criterion == "risk":
        scored, best = _one_standard_error(scored, full)
    if criterion == "likelihood":
        chosen = _likelihood_choice(z, [c.group for c in scored], min(5, n), loaded)
        best = next(c for c in scored if _key(c.group) == _key(chosen))
    held = _heldout(best.group, full, parts)
    return Selection(best.group, best.weights, best.risk, held, criterion, scored, n)


def _likelihood_choice(
    z: NDArray[Any], groups: list[PermutationGroup], cv: int, loaded: bool
) -> PermutationGroup:
    """The held-out likelihood choice: plain (:func:`algdiv.select_group`) or loaded."""
    if loaded:
        from .heldout import loaded_likelihood_choice

        return groups[loaded_likelihood_choice(z, groups, cv).index]
    return select_group(z, groups, cv=cv, assume_centered=True).group


def _one_standard_error(
    scored: list[CandidateRisk], full: SnapshotMoments
) -> tuple[list[CandidateRisk], CandidateRisk]:
    """The most structured candidate whose estimated risk is within one standard error of the
    smallest (the one-standard-error rule).

    The candidates' risk estimates share most of their noise, but the smallest of many is
    biased low, and a noisy candidate with many pair orbits (a two-element group, say) wins
    by chance over a larger group that is as good.  The standard error of each estimate's
    difference from the smallest comes from per-snapshot linear terms
    (:meth:`~algdiv.estimation.risk.SnapshotMoments.influence`); among the candidates within
    one of them, the one with the fewest pair orbits is taken (ties: the smaller risk).
    A candidate with at least as many pair orbits as the smallest can never be taken, so
    beyond the first ``_REPORTED`` (those the report lists) its standard error is not
    computed (left NaN).
    """
    n = full.n
    scale = full.full[0] - full.full[1]
    scale = scale if scale > 0 else max(full.full[0], np.finfo(float).tiny)
    base = full.influence(scored[0].group, scored[0].weights)
    out = []
    for i, c in enumerate(scored):
        if i >= _REPORTED and c.n_pair_orbits >= scored[0].n_pair_orbits:
            # (never chosen over the smallest, and not shown: no O(n M²) terms for it)
            out.append(c)
            continue
        diff = full.influence(c.group, c.weights) - base
        se = float(np.std(diff, ddof=1) / np.sqrt(n)) / scale if n > 1 else float("nan")
        out.append(replace(c, standard_error=se))
    within = [c for c in out if c.risk <= out[0].risk + (c.standard_error if np.isfinite(c.standard_error) else 0.0)]
    # A 2-transitive group's average (dim C = 2: compound symmetry) is a second scaled-identity
    # target rather than a symmetry; being within one standard error earns it no preference.
    structured = [c for c in within if c.n_pair_orbits > 2 or c is out[0]]
    chosen = min(structured, key=lambda c: (c.n_pair_orbits, c.risk))
    return out, chosen


def _heldout(G: PermutationGroup, full: SnapshotMoments, halves: list[SnapshotMoments]) -> float:
    """Two-fold held-out relative risk of the selected group's shrunk estimate: fitted on each
    half, scored on the other, paired with the trivial group on the same split (see
    :func:`_scored`) and anchored on the trivial group's unbiased in-sample risk; the choice
    itself saw all the data."""
    a, b = halves
    scale = full.full[0] - full.full[1]
    trivial = PermutationGroup([], full.m)
    diff = 0.5 * sum(
        _half_risk(G, tr, te)[0] - _half_risk(trivial, tr, te)[0] for tr, te in ((a, b), (b, a))
    )
    risk = full.combination(trivial)[1] + diff
    return risk / scale if scale > 0 else float("nan")


GUARD_LEVEL = 0.05  # family-wise level of the test that a group beats the plain shrinkage


def guard_trivial(
    sel: Selection, moments: SnapshotMoments, level: float = GUARD_LEVEL
) -> Selection:
    """Keep the plain shrinkage toward the identity unless the selected group significantly
    beats it (internal API; used by the blind :class:`algdiv.AutoGroupCovariance`).

    The selected group's estimated risk ``r̂_H`` is compared with the trivial group's
    ``r̂_1`` (the two-term, Ledoit–Wolf-like combination).  The two estimates share most of
    their noise; the standard error of their difference ``se`` comes from the per-snapshot
    linear terms (:meth:`~algdiv.estimation.risk.SnapshotMoments.influence`).  The group is
    kept when ``r̂_1 − r̂_H > z se`` with ``z = Φ⁻¹(1 − level/K)``, ``K`` the number of
    non-trivial candidates: a one-sided test of "the group does not help" at family-wise
    level ``level`` (Bonferroni over the candidates the minimum was taken from).  Otherwise
    the trivial group is returned with its weights and its unbiased in-sample risk (a group
    fixed before seeing the data), and ``kept_trivial=True``.

    Why: an estimated gain within the noise buys a third weight that is itself estimated from
    the same snapshots; at ``n ≈ M`` that costs 1–6 % of Frobenius error on data with no
    symmetry (measured on ``benchmarks/bench_selection.py``), and a search over many
    candidates finds such a gain by chance in most data sets.
    """
    m, n = moments.m, moments.n
    if (sel.criterion != "risk" or sel.group.n_pair_orbits == m * m or moments.z is None
            or n < 4 or not 0 < level < 1):
        return sel
    trivial = next((c for c in sel.candidates if c.n_pair_orbits == m * m), None)
    if trivial is None:
        return sel
    key = _key(sel.group)
    chosen = next(c for c in sel.candidates if _key(c.group) == key)
    scale = moments.full[0] - moments.full[1]
    if not scale > 0:
        return sel
    diff = moments.influence(chosen.group, chosen.weights) - moments.influence(
        trivial.group, trivial.weights
    )
    se = float(np.std(diff, ddof=1) / np.sqrt(n)) / scale
    k = max(1, sum(c.n_pair_orbits < m * m for c in sel.candidates))
    z = NormalDist().inv_cdf(1.0 - level / k)
    if trivial.risk - chosen.risk > z * se:
        return sel
    return replace(sel, group=trivial.group, weights=trivial.weights, risk=trivial.risk,
                   heldout_risk=trivial.risk, kept_trivial=True)
