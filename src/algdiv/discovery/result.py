"""The Discovery report: the matched group found from data, as text, JSON and an estimator."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..commutant import project_unchecked
from ..groups import PermutationGroup, format_order
from .selection import Selection

if TYPE_CHECKING:
    from ..coherent import CoherentConfiguration
    from ..groups.signed import SignedPermutationGroup
    from ..transforms import Transform

__all__ = ["Discovery"]


@dataclass
class Discovery:
    """The matched group found from data, with its certificate and diagnostics.

    Attributes
    ----------
    group : PermutationGroup
        The matched group (given by generators).
    name : str or None
        Catalogue name up to relabelling (e.g. ``"dihedral(16)"``), when it is one.
    delta : float
        ``δ = ‖R̂ − Φ_G(R̂)‖_F / ‖R̂‖_F``.
    delta0 : float or None
        The noise floor ``δ₀`` (``None`` for an exact covariance).
    alpha : float or None
        ``α = δ²/δ₀²``.
    alpha_limit : float or None
        The bootstrap quantile below which ``α`` counts as consistent.
    kappa : float
        Structural capacity of the group-averaged covariance ``Φ_G(R̂)``.
    d_eff : float
        ``M² / dim C(G)``.
    certificate : float
        DC-GEVP ``λ_min / ‖R̂‖_F²`` over the dictionary searched (the ambient's elements,
        or the found group's generators in blind mode): no generator in that span commutes
        better.
    generator_residual : float
        Largest ``‖[R̂, P]‖/(‖R̂‖‖P‖)`` over the group's generators.
    notes : list of str
        Identifiability and search notes.
    mode : str
        ``"ambient"`` or ``"blind"``.
    ambient : str or None
        The ambient group's name in ambient mode.
    n_samples : int or None
    kurtosis : float
        Mardia's kurtosis over its Gaussian value (1 when only ``R`` was given); the
        consistency tests scale the Gaussian noise floor by it.
    covariance : ndarray
        The ``R̂`` the search used.
    selected : Selection or None
        The candidate group whose estimate has the least estimated risk (snapshots only;
        ``None`` when only ``R`` was given): ``selected.group``, ``selected.weights``,
        ``selected.risk``, ``selected.heldout_risk``, ``selected.candidates``.
    assume_centered : bool
        Whether ``R̂`` was ``(1/n) Σ x xᴴ`` (``True``) or the mean was estimated.
    scheme : CoherentConfiguration or None
        Structure beyond groups (exact covariances only): the coherent closure of ``R``
        when it has fewer cells (free parameters) than the pair orbits of the group found,
        i.e. ``R`` lies in a non-Schurian coherent algebra; ``None`` otherwise. Its
        estimator is :class:`algdiv.SchemeCovariance`.
    signed_group : SignedPermutationGroup or None
        Signed symmetry (exact covariances only): the signed permutations ``Q`` with
        ``Q R Qᵀ = R`` when their commutant is smaller than the pair orbits of the group
        found allow (see :func:`algdiv.discovery.signed_automorphisms`); ``None`` otherwise.
        Its estimator is :class:`algdiv.GroupCovariance` over it.
    """

    group: PermutationGroup
    name: str | None
    delta: float
    delta0: float | None
    alpha: float | None
    alpha_limit: float | None
    kappa: float
    d_eff: float
    certificate: float
    generator_residual: float
    notes: list[str] = field(default_factory=list)
    mode: str = "blind"
    ambient: str | None = None
    n_samples: int | None = None
    kurtosis: float = 1.0
    covariance: NDArray[Any] | None = field(default=None, repr=False)
    selected: Selection | None = None
    assume_centered: bool = True
    scheme: CoherentConfiguration | None = field(default=None, repr=False)
    signed_group: SignedPermutationGroup | None = field(default=None, repr=False)
    _transform: Transform | None = field(default=None, repr=False)

    @property
    def order(self) -> int:
        return self.group.order

    @property
    def generators(self) -> list[str]:
        """The generators in cycle notation."""
        return self.group.generator_cycles()

    @property
    def transform(self) -> Transform:
        """The matched transform of the group (:func:`algdiv.matched_transform`), on demand.

        Multiplicity blocks, if any, are diagonalized from ``Φ_G(R̂)``.
        """
        if self._transform is None:
            from ..transforms import matched_transform

            r0 = None if self.covariance is None else project_unchecked(self.covariance, self.group)
            self._transform = matched_transform(self.group, r0)
        return self._transform

    @property
    def recommended_estimator(self) -> str:
        """Which estimator the selection (or, without snapshots, the search) points to."""
        sel = self.selected
        if sel is not None:
            a, b, c = sel.weights
            if not sel.symmetry_helps:
                if c < 0.005:
                    return "sample covariance: no symmetry and no shrinkage helps these data"
                return (
                    "GroupLedoitWolf(trivial group): no symmetry helps these data; shrinkage "
                    f"toward the scaled identity (weights S {a:.2f}, identity {c:.2f})"
                )
            return (
                f"GroupLedoitWolf(selected group): weights S {a:.2f}, group average {b:.2f}, "
                f"identity {c:.2f}"
            )
        if self.scheme is not None:
            return (
                "SchemeCovariance(report.scheme): the average over the cells of the coherent "
                "closure, with fewer free parameters than any group average"
            )
        if self.signed_group is not None:
            return (
                "GroupCovariance(report.signed_group): the average over the signed automorphisms, "
                "with fewer free parameters than any permutation group average"
            )
        if self.group.order == 1:
            return "sample covariance (no symmetry found); consider DiagonalLoading"
        return "GroupCovariance(group): the group average over the matched group"

    def estimator(self) -> Any:
        """An unfitted estimator for new data from the same source.

        With snapshots: :class:`algdiv.GroupLedoitWolf` for the selected group (its weights
        are re-estimated at fit).  With only a covariance: :class:`algdiv.SchemeCovariance`
        over :attr:`scheme` when ``R`` has structure beyond groups, else
        :class:`algdiv.GroupCovariance` over :attr:`signed_group` when ``R`` has signed
        symmetry, else over the consistent group.
        """
        from ..estimation import GroupCovariance, SchemeCovariance
        from ..estimation.group_shrinkage import GroupLedoitWolf

        if self.selected is not None:
            return GroupLedoitWolf(self.selected.group, assume_centered=self.assume_centered)
        if self.scheme is not None:
            return SchemeCovariance(self.scheme, assume_centered=True)
        if self.signed_group is not None:
            return GroupCovariance(self.signed_group, assume_centered=True)
        return GroupCovariance(self.group, assume_centered=True)

    def _signed_dict(self) -> dict[str, Any] | None:
        sg = self.signed_group
        if sg is None:
            return None
        m = sg.degree
        order = sg.order
        return {
            "order": order if order < 2**53 else format_order(order, exact=True),
            "commutant_dim": int(sg.commutant_dim),
            "group_commutant_dim": int(self.group.n_pair_orbits),
            "d_eff": m * m / sg.commutant_dim,
            "generators": [
                [[int(v) for v in p], [int(v) for v in s]]
                for p, s in zip(sg.permutations, sg.signs)
            ],
            "estimator": "GroupCovariance",
        }

    def _scheme_dict(self) -> dict[str, Any] | None:
        cc = self.scheme
        if cc is None:
            return None
        real = self.covariance is None or not np.iscomplexobj(self.covariance)
        m = cc.degree
        own = cc.n_symmetric_classes if real else cc.rank
        return {
            "rank": int(cc.rank),
            "free_parameters": int(own),
            "group_free_parameters": int(
                _symmetric_classes(self.group) if real else self.group.n_pair_orbits
            ),
            "d_eff": m * m / own,
            "fibres": int(cc.n_fibres),
            "association_scheme": bool(cc.is_homogeneous),
            "symmetric": bool(cc.is_symmetric),
            "estimator": "SchemeCovariance",
        }

    def _label(self) -> str:
        if self.name:
            return f"{self.name} (up to relabelling)"
        if self.ambient and self.group.order > 1:
            return f"a subgroup of order {format_order(self.group.order)} of the {self.ambient}"
        return f"group of order {format_order(self.group.order)} on {self.group.degree} points"

    def _transform_name(self) -> str:
        try:
            t = self.transform
        except Exception as exc:  # the report must print even if the derivation fails
            return f"unavailable ({type(exc).__name__}: {exc})"
        return str(getattr(t, "name", type(t).__name__))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable summary (orders beyond 2^53 become strings)."""
        order = self.group.order
        return {
            "group": {
                "order": order if order < 2**53 else format_order(order, exact=True),
                "degree": self.group.degree,
                "name": self.name,
                "generators": self.generators,
                "pair_orbits": int(self.group.n_pair_orbits),
            },
            "transform": self._transform_name(),
            "delta": float(self.delta),
            "delta0": None if self.delta0 is None else float(self.delta0),
            "alpha": None if self.alpha is None else float(self.alpha),
            "alpha_limit": None if self.alpha_limit is None else float(self.alpha_limit),
            "kappa": float(self.kappa),
            "d_eff": float(self.d_eff),
            "certificate": float(self.certificate),
            "generator_residual": float(self.generator_residual),
            "mode": self.mode,
            "ambient": self.ambient,
            "n_samples": self.n_samples,
            "kurtosis": float(self.kurtosis),
            "recommended_estimator": self.recommended_estimator,
            "selected": None if self.selected is None else self.selected.to_dict(),
            "assume_centered": self.assume_centered,
            "scheme": self._scheme_dict(),
            "signed": self._signed_dict(),
            "notes": list(self.notes),
        }

    def __str__(self) -> str:
        g = self.group
        gens = self.generators
        shown = gens[:6] + ([f"... ({len(gens) - 6} more)"] if len(gens) > 6 else [])

        def fmt(v: float | None) -> str:
            return "n/a (exact covariance)" if v is None else f"{v:.4g}"

        lines = [
            f"Matched group ({self.mode} search): {self._label()}",
            f"  order {format_order(g.order)}, {g.degree} points, dim C(G) = {g.n_pair_orbits}, "
            f"d_eff = {self.d_eff:.4g}",
            "  generators: " + ("none (trivial group)" if not gens else ", ".join(shown)),
            f"  matched transform: {self._transform_name()}",
            f"  residual delta = {self.delta:.4g}, noise floor delta0 = {fmt(self.delta0)}, "
            f"alpha = {fmt(self.alpha)}"
            + ("" if self.alpha_limit is None else f" (consistent below {self.alpha_limit:.3g})"),
            f"  structural capacity kappa = {self.kappa + 0.0:.4g} bits",
            f"  certificate lambda_min/|R|^2 = {self.certificate:.3g}, "
            f"largest generator residual = {self.generator_residual:.3g}",
            f"  recommended estimator: {self.recommended_estimator}",
        ]
        sd = self._scheme_dict()
        if sd is not None:
            lines.append(
                f"Structure beyond groups: the coherent closure of R has rank {sd['rank']} "
                f"({sd['free_parameters']} free parameters against {sd['group_free_parameters']} "
                f"for the group), d_eff = {sd['d_eff']:.4g}; "
                + ("an association scheme" if sd["association_scheme"] else
                   f"a coherent configuration with {sd['fibres']} fibres")
            )
        sgd = self._signed_dict()
        if sgd is not None and self.signed_group is not None:
            lines.append(
                f"Signed symmetry: signed permutations Q with Q R Q^T = R form a group of order "
                f"{format_order(self.signed_group.order)}, dim C = {sgd['commutant_dim']} against "
                f"{sgd['group_commutant_dim']} for the group, d_eff = {sgd['d_eff']:.4g}"
            )
        sel = self.selected
        if sel is not None:
            held = "n/a" if sel.heldout_risk is None else f"{sel.heldout_risk:.4g}"
            lines += [
                f"Selected by {sel.criterion} (the best estimate among {len(sel.candidates)} "
                "candidate groups):",
                f"  symmetry helps these data: {'yes' if sel.symmetry_helps else 'no'}",
                f"  relative risk |C - R|^2/|R|^2: {sel.risk:.4g} as selected, {held} held out "
                "(fitted on each half, scored on the other)",
                sel.table(limit=5),
            ]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _symmetric_classes(G: PermutationGroup) -> int:
    """Pair orbits of ``G`` up to transposition: the free parameters of a real symmetric
    ``G``-invariant matrix."""
    lab = np.asarray(G.pair_orbits()).astype(np.int64)
    n = G.n_pair_orbits
    return int(np.unique(np.minimum(lab, lab.T) * n + np.maximum(lab, lab.T)).size)
