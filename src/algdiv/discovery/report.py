"""``discover()``: from data to the matched group, with its certificate and diagnostics.

Two searches (SPEC §4-5):

* **with an ambient group** (e.g. the array geometry's dihedral group): the dictionary is
  the ambient's non-identity elements (its generators when it has more than 1024
  elements); the DC-GEVP certifies how well the best generator in their span commutes
  (trivial directions projected out).  The group is then grown best-first: at each step
  every element not yet in it is scored by the nested statistic of the extension (over its
  null mean; ties broken by the element's own commutator ``‖[R̂, P_g]‖``, the diagonal of
  ``D``), and the best-scored extension that the nested test accepts is taken.  Then it is
  pruned: each generator is re-tested against the group of all the others, where a wrong
  one stands out.  Grow and prune alternate until nothing changes.  The result is a
  subgroup of the ambient.
* **blind**: for an exact covariance, its automorphism group (colour refinement with
  individualization).  For an estimate, two searches: the automorphism group of ``R̂`` for
  a ladder of colour tolerances ``0, ¼, ½, 1, 2, 4, 8`` times the typical standard error of
  an entry, ``mean(diag R̂)/√n`` (finds large groups whose pair orbits stand apart), and
  the near-automorphisms of ``R̂`` matched entry by entry within their standard errors
  (:mod:`algdiv.discovery.matching`), grown and pruned as above (finds groups with many
  close orbit values).  The largest group consistent with the data wins.

Consistency (ours).  For an exact covariance (``n_samples`` not given): ``δ <= 1e-8``.  For
``n`` snapshots, a group ``G`` is consistent when ``α = δ²/δ₀² <= q``, and a larger
``H' ⊇ H`` extends ``H`` when the energy of ``R̂`` in ``C(H) ⊖ C(H')``,
``‖Φ_H(R̂) − Φ_H'(R̂)‖²``, over its closed-form expectation under ``H'`` is ``<= q``.  The
threshold ``q`` is the ``level`` quantile of that ratio when the hypothesis is true: a
parametric bootstrap (``n_boot`` Gaussian samples with covariance ``Φ(R̂)``, real or
circular complex like the data, at most 256 snapshots each) gives its mean and variance,
and ``q`` is the quantile of the scaled chi-square with those moments.  A ratio at most
1 (the mean) is accepted without the bootstrap.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components
from scipy.stats import chi2

from .._validation import as_group, as_snapshots, as_square, check_hermitian
from ..commutant import _project
from ..estimation import sample_covariance
from ..groups import PermutationGroup, symmetric
from ..groups.permutations import conjugate_matrix
from . import bases
from .automorphisms import _edge_colours, automorphisms, default_tol
from .diagnostics import expected_perp_energy, identifiability_notes, structural_capacity
from .gevp import dc_gevp
from .matching import near_automorphisms
from .naming import catalogue_name
from .rounding import permutation_residual

__all__ = ["discover", "Discovery"]

_EXACT_DELTA = 1e-8
_BOOT_N = 256
_ROUNDS = 4  # grow-and-prune rounds of the ambient search
_TOL_LADDER = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)


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
    notes: list = field(default_factory=list)
    mode: str = "blind"
    ambient: str | None = None
    n_samples: int | None = None
    kurtosis: float = 1.0
    covariance: NDArray = field(default=None, repr=False)  # type: ignore[assignment]
    _transform: Any = field(default=None, repr=False)

    @property
    def order(self) -> int:
        return self.group.order

    @property
    def generators(self) -> list[str]:
        """The generators in cycle notation."""
        return self.group.generator_cycles()

    @property
    def transform(self):
        """The matched transform of the group (:func:`algdiv.matched_transform`), on demand.

        Multiplicity blocks, if any, are diagonalized from ``Φ_G(R̂)``.
        """
        if self._transform is None:
            from ..transforms import matched_transform

            r0 = _project(self.covariance, self.group)
            self._transform = matched_transform(self.group, r0)
        return self._transform

    @property
    def recommended_estimator(self) -> str:
        """Which estimator the diagnostics point to, as text."""
        if self.group.order == 1:
            return "sample covariance (no symmetry found); consider DiagonalLoading"
        return "GroupCovariance(group): the group average over the matched group"

    def estimator(self):
        """An unfitted :class:`algdiv.GroupCovariance` for the found group."""
        from ..estimation import GroupCovariance

        return GroupCovariance(self.group, assume_centered=True)

    def _label(self) -> str:
        if self.name:
            return f"{self.name} (up to relabelling)"
        if self.ambient and self.group.order > 1:
            return f"a subgroup of order {self.group.order} of the {self.ambient}"
        return f"group of order {self.group.order} on {self.group.degree} points"

    def _transform_name(self) -> str:
        try:
            t = self.transform
        except Exception as exc:  # the report must print even if the derivation fails
            return f"unavailable ({type(exc).__name__}: {exc})"
        return str(getattr(t, "name", type(t).__name__))

    def to_dict(self) -> dict:
        """A JSON-serializable summary (orders beyond 2^53 become strings)."""
        order = self.group.order
        return {
            "group": {
                "order": order if order < 2**53 else str(order),
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
            "notes": list(self.notes),
        }

    def __str__(self) -> str:
        g = self.group
        gens = self.generators
        shown = gens[:6] + ([f"... ({len(gens) - 6} more)"] if len(gens) > 6 else [])
        fmt = lambda v: "n/a (exact covariance)" if v is None else f"{v:.4g}"  # noqa: E731
        lines = [
            f"Matched group ({self.mode} search): {self._label()}",
            f"  order {g.order}, {g.degree} points, dim C(G) = {g.n_pair_orbits}, "
            f"d_eff = {self.d_eff:.4g}",
            "  generators: " + ("none (trivial group)" if not gens else ", ".join(shown)),
            f"  matched transform: {self._transform_name()}",
            f"  residual delta = {self.delta:.4g}, noise floor delta0 = {fmt(self.delta0)}, "
            f"alpha = {fmt(self.alpha)}"
            + ("" if self.alpha_limit is None else f" (consistent below {self.alpha_limit:.3g})"),
            f"  structural capacity kappa = {self.kappa:.4g} bits",
            f"  certificate lambda_min/|R|^2 = {self.certificate:.3g}, "
            f"largest generator residual = {self.generator_residual:.3g}",
            f"  recommended estimator: {self.recommended_estimator}",
        ]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


class _Consistency:
    """Decides whether a group explains ``R̂`` at its noise level (cached per commutant).

    Decisions use *whitened* statistics (ours): with ``R₀ = Φ_G(R̂)`` and
    ``W = (R₀ + εI)^{-1/2}`` (``ε = tr R₀ / M``, the mean eigenvalue), ``W`` is ``G``-invariant,
    so it commutes with every ``Φ_H`` for ``H ⊆ G``; the energy of ``W R̂ W`` outside a commutant then has
    the closed-form null mean of the diagnostics module with ``W R₀ W`` in place of ``R₀``.
    Whitening weighs the strong directions by their noise, as a likelihood does, which gives
    far more power than the raw Frobenius energy when the spectrum is spread; the ridge
    keeps the weak directions, where a Gaussian model of real data is least reliable,
    from dominating.  ``δ``, ``δ₀``
    and ``α`` are still reported as SPEC §5 defines them.
    """

    def __init__(self, r, n, complex_data, level, n_boot, rng, eta=1.0):
        self.r, self.n, self.cplx, self.eta = r, n, complex_data, eta
        self.level, self.n_boot, self.rng = level, n_boot, rng
        self.norm = float(np.linalg.norm(r))
        self.cache: dict[bytes, tuple] = {}
        self.limits: dict[bytes, float] = {}
        self._white_cache: NDArray | None = None

    def __call__(self, G: PermutationGroup) -> tuple[bool, float, float | None, float | None]:
        """(consistent, δ, α, α's quantile if already known)."""
        key = np.asarray(G.pair_orbits()).tobytes()
        if key not in self.cache:
            self.cache[key] = self._decide(G)
        ok, delta, alpha = self.cache[key]
        return ok, delta, alpha, self.limits.get(key)

    def _decide(self, G: PermutationGroup) -> tuple[bool, float, float | None]:
        r0 = _project(self.r, G)
        perp = float(np.linalg.norm(self.r - r0) ** 2)
        delta = np.sqrt(perp) / self.norm if self.norm else 0.0
        if self.n is None:
            return delta <= _EXACT_DELTA, delta, None
        expected = expected_perp_energy(r0, G, self.n, complex_data=self.cplx)
        alpha = perp / expected if expected > 0 else (0.0 if perp == 0 else float("inf"))
        w = _whitener(r0)
        e0 = w @ r0 @ w

        def stat(s):
            ws = w @ s @ w
            return np.sum(np.abs(ws - _project(ws, G)) ** 2, axis=(-2, -1))

        def mean(n):
            return expected_perp_energy(e0, G, n, complex_data=self.cplx)

        return self._test(r0, stat, mean), delta, alpha

    def extends(self, H: PermutationGroup, Hp: PermutationGroup) -> bool:
        """Whether the larger ``Hp ⊇ H`` still explains the data (a nested test, ours).

        Only the directions ``C(H) ⊖ C(Hp)`` change, so the statistic is the whitened
        energy there, ``‖Φ_H(W R̂ W) − Φ_Hp(W R̂ W)‖²``, against its null mean
        ``E‖S − Φ_Hp S‖² − E‖S − Φ_H S‖²`` at the whitened truth: far fewer degrees of
        freedom than the global test, hence far more power.
        """
        return self.extension(H, Hp)[1]()

    def extension(self, H: PermutationGroup, Hp: PermutationGroup) -> tuple[float, Any]:
        """The nested statistic over its null mean, and a callable that decides the test."""
        if self.n is None:
            return 0.0, lambda: self(Hp)[0]
        r0 = _project(self.r, Hp)
        w = _whitener(r0)
        e0 = w @ r0 @ w

        def stat(s):
            ws = w @ s @ w
            return np.sum(np.abs(_project(ws, H) - _project(ws, Hp)) ** 2, axis=(-2, -1))

        def mean(n):
            big = expected_perp_energy(e0, Hp, n, complex_data=self.cplx)
            small = expected_perp_energy(e0, H, n, complex_data=self.cplx)
            return max(big - small, 0.0)

        expected = mean(self.n) * self.eta
        ratio = float(stat(self.r)) / expected if expected > 0 else float("inf")
        return ratio, lambda: self._test(r0, stat, mean)

    def _test(self, r0: NDArray, stat, mean) -> bool:
        # Heavy tails scale the noise of S by the kurtosis factor η (elliptical model).
        observed, expected = float(stat(self.r)), mean(self.n) * self.eta
        if expected <= 0:
            return observed <= 1e-12 * max(float(np.linalg.norm(r0)) ** 2, np.finfo(float).tiny)
        if observed <= expected:  # at most the mean: below any upper quantile
            return True
        return observed / expected <= self._quantile(r0, stat, mean)

    def _white(self) -> NDArray:
        """Sample covariances of ``n_boot`` white Gaussian samples, drawn once per search.

        The null law of the ratios settles quickly with n (a weighted chi-square in the
        limit), so a bootstrap sample has at most _BOOT_N snapshots, with its own mean.
        Every test of one search reuses them (common random numbers): a bootstrap sample
        from ``R₀`` is ``R₀^{1/2} W R₀^{1/2}``, two small products instead of a new draw.
        """
        if self._white_cache is None:
            n, m = min(int(self.n), _BOOT_N), self.r.shape[0]
            z = self.rng.standard_normal((self.n_boot, n, m))
            if self.cplx:
                z = (z + 1j * self.rng.standard_normal((self.n_boot, n, m))) / np.sqrt(2)
            self._white_cache = np.matmul(np.swapaxes(z, 1, 2), np.conj(z)) / n
        return self._white_cache

    def limit(self, G: PermutationGroup) -> float | None:
        """The bootstrap ``level`` quantile of the reported (unwhitened) ``α`` for ``G``."""
        key = np.asarray(G.pair_orbits()).tobytes()
        if self.n is None:
            return None
        if key not in self.limits:
            r0 = _project(self.r, G)
            self.limits[key] = self._quantile(
                r0,
                lambda s: np.sum(np.abs(s - _project(s, G)) ** 2, axis=(-2, -1)),
                lambda n: expected_perp_energy(r0, G, n, complex_data=self.cplx),
            )
        return self.limits[key]

    def _quantile(self, r0: NDArray, stat, expected) -> float:
        """The ``level`` quantile of ``stat(S) / expected(n)`` for ``S`` drawn from ``r0``.

        The bootstrap gives the mean and variance of the ratio; the quantile is that of the
        scaled chi-square with the same two moments (Satterthwaite), which is smooth and
        reaches tails that ``n_boot`` samples alone could not.
        """
        n = min(int(self.n), _BOOT_N)
        if expected(n) <= 0:  # nothing outside the commutant can vary (trivial group)
            return 1.0
        w, v = np.linalg.eigh(r0)
        root = v * np.sqrt(np.clip(w, 0, None))
        s = root @ self._white() @ np.conj(root.T)  # S = root·(white sample cov.)·rootᴴ
        ratio = stat(s) / expected(n)
        mean, var = float(ratio.mean()), float(ratio.var(ddof=1))
        if not (mean > 0 and var > 0):
            return float(np.max(ratio))
        dof = 2 * mean**2 / var
        return float(chi2.ppf(self.level, dof) * mean / dof)


def kurtosis_factor(x: NDArray, s: NDArray, complex_data: bool) -> float:
    """Mardia's multivariate kurtosis over its Gaussian value: ``η ≈ 1`` for Gaussian data.

    With ``S`` the uncentered sample covariance of the same ``n`` snapshots, the
    leverage ``x_kᴴ (nS)⁻¹ x_k`` of Gaussian data is ``Beta(M/2, (n−M)/2)`` (real) or
    ``Beta(M, n−M)`` (complex), so ``E[(x_kᴴ S⁻¹ x_k)²] = nM(M+2)/(n+2)`` or
    ``nM(M+1)/(n+1)`` exactly.  For an elliptical distribution the covariance of ``S``
    outside ``span{R}`` is ``η`` times the Gaussian one, which is all the tests use.
    Returns 1 when ``n <= M + 2`` or ``S`` is singular.
    """
    n, m = x.shape
    if n <= m + 2:
        return 1.0
    w, v = np.linalg.eigh(s)
    if w[0] <= 1e-12 * max(w[-1], np.finfo(float).tiny):
        return 1.0
    y = (x.conj() @ v) / np.sqrt(w)  # whitened snapshots: rows y_k with |y_k|² = x_kᴴ S⁻¹ x_k
    lev = np.sum(np.abs(y) ** 2, axis=1)
    gauss = n * m * (m + 1) / (n + 1) if complex_data else n * m * (m + 2) / (n + 2)
    return float(np.mean(lev**2) / gauss)


def _whitener(r0: NDArray) -> NDArray:
    """``(R₀ + εI)^{-1/2}``, ``ε`` the mean eigenvalue; invariant under every group ``R₀`` is."""
    w, v = np.linalg.eigh(r0)
    eps = max(float(np.sum(np.clip(w, 0, None))) / len(w), np.finfo(float).tiny)
    return (v / np.sqrt(np.clip(w, 0, None) + eps)) @ np.conj(v.T)


def discover(
    X: ArrayLike | None = None,
    *,
    R: ArrayLike | None = None,
    n_samples: int | None = None,
    ambient: PermutationGroup | str | None = None,
    level: float = 0.999,
    n_boot: int = 100,
    rng: np.random.Generator | int | None = None,
) -> Discovery:
    """Find the matched group of the data, with a certificate and noise-aware diagnostics.

    Parameters
    ----------
    X : array_like (n_samples, M), optional
        Snapshots, one per row (real or complex); ``R̂ = (1/n) Σ x xᴴ = Xᵀ conj(X) / n`` for rows ``x``.
    R : array_like (M, M), optional
        A covariance instead of ``X`` (exact, or estimated from ``n_samples``).
    n_samples : int, optional
        Snapshots behind ``R``; omit for an exact covariance (consistency is then
        ``δ <= 1e-8``).
    ambient : PermutationGroup or str, optional
        Search only subgroups of this group (e.g. the array geometry's symmetries);
        without it, the search is blind.
    level : float
        Per decision: the quantile of the statistic's null distribution (``α``, or its
        nested form when a group is extended) below which the data count as consistent
        with the group (see the module notes).  Higher keeps true groups whole more
        often; lower rejects too-large groups at smaller ``n``.
    n_boot : int
        Bootstrap samples per candidate group.
    rng : numpy.random.Generator or int, optional
        Randomness of the bootstrap (default: a fixed seed, so results are reproducible).

    Returns
    -------
    Discovery
        ``print(report)`` is a readable summary; ``report.to_dict()`` is JSON-ready.

    Raises
    ------
    ValueError
        If both or neither of ``X`` and ``R`` are given, if ``R`` is not square, finite
        and Hermitian, or the ambient's degree differs from ``M``.

    Examples
    --------
    An exactly dihedral covariance with its points hidden by a relabelling:

    >>> import numpy as np
    >>> from algdiv import reynolds
    >>> from algdiv.groups import dihedral, relabel
    >>> rng = np.random.default_rng(0)
    >>> A = rng.standard_normal((10, 10))
    >>> R = reynolds(A @ A.T, relabel(dihedral(10), rng.permutation(10)))
    >>> rep = discover(R=R)
    >>> rep.name, rep.order, rep.to_dict()["group"]["order"]
    ('dihedral(10)', 20, 20)

    From snapshots, restricted to the subgroups of an ambient group:

    >>> from algdiv.groups import subgroup
    >>> i = np.arange(16)
    >>> D4 = subgroup(dihedral(16), [(i + 4) % 16, (-i) % 16])
    >>> B = rng.standard_normal((16, 16))
    >>> R0 = reynolds(B @ B.T, D4)
    >>> X = rng.standard_normal((400, 16)) @ np.linalg.cholesky(R0).T
    >>> rep = discover(X, ambient=dihedral(16))
    >>> rep.group == D4, rep.alpha < rep.alpha_limit
    (True, True)
    """
    if (X is None) == (R is None):
        raise ValueError("give exactly one of X (snapshots) or R (a covariance)")
    if X is not None:
        if n_samples is not None:
            raise ValueError("n_samples is implied by X; give it only with R")
        x = as_snapshots(X, "X")
        n: int | None = x.shape[0]
        r = sample_covariance(x)  # S[i, j] = mean of x_i conj(x_j)
        complex_data = bool(np.iscomplexobj(x) and np.any(x.imag != 0))
    else:
        r = as_square(R, "R")
        if n_samples is not None:
            if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)):
                raise TypeError(f"n_samples must be an int, got {type(n_samples).__name__}")
            if n_samples < 1:
                raise ValueError(f"n_samples must be positive, got {n_samples}")
        n = None if n_samples is None else int(n_samples)
        complex_data = bool(np.iscomplexobj(r) and np.any(r.imag != 0))
    check_hermitian(r, "R" if X is None else "the sample covariance")
    r = (r + np.conj(r.T)) / 2
    if not complex_data:
        r = r.real
    m = r.shape[0]
    if not (0 < level < 1):
        raise ValueError(f"level must be in (0, 1), got {level}")
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 10:
        raise ValueError(f"n_boot must be an int >= 10, got {n_boot!r}")
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(
        0 if rng is None else rng
    )
    eta = kurtosis_factor(x, r, complex_data) if X is not None else 1.0
    consistent = _Consistency(r, n, complex_data, level, int(n_boot), gen, eta)
    notes: list[str] = []
    if eta > 1.5:
        notes.append(
            f"heavy-tailed data: Mardia kurtosis {eta:.3g} times the Gaussian value; the "
            "consistency tests scale the noise floor by it (alpha is reported unscaled)"
        )
    if ambient is not None:
        amb = as_group(ambient, "ambient", degree=m)
        group, certificate = _ambient_search(r, amb, consistent, notes)
        mode = "ambient"
    else:
        group = _blind_search(r, n, consistent)
        certificate = _certificate(r, group)
        mode = "blind"
        if n is None:  # (with noise, equal-looking entries prove nothing)
            notes += _beyond_groups(r, group, default_tol(r))
    _, delta, alpha, _ = consistent(group)
    limit = consistent.limit(group)
    notes += identifiability_notes(group, real_data=not complex_data)
    if ambient is not None:
        notes += _ambient_notes(r, n, group, amb, consistent)
    elif n is not None and consistent(symmetric(m))[0]:
        notes.append(
            f"the data are consistent even with the symmetric group S_{m} (all variances equal, all "
            f"covariances equal): either the covariance is exchangeable, or {n} snapshots are too few "
            "to tell finer structure apart, and the group reported is the largest not rejected"
        )
    r_norm = float(np.linalg.norm(r)) or 1.0
    gen_res = max((permutation_residual(r, g) for g in group.generators), default=0.0)
    r0 = _project(r, group)
    return Discovery(
        group=group,
        name=catalogue_name(group),
        delta=float(delta),
        delta0=None if n is None else float(np.sqrt(expected_perp_energy(
            r0, group, n, complex_data=complex_data)) / r_norm),
        alpha=alpha,
        alpha_limit=limit,
        kappa=structural_capacity(r0) if np.trace(r0).real > 0 else 0.0,
        d_eff=m * m / group.n_pair_orbits,
        certificate=float(certificate),
        generator_residual=float(gen_res),
        notes=notes,
        mode=mode,
        ambient=None if ambient is None else amb.name,
        n_samples=n,
        kurtosis=float(eta),
        covariance=r,
    )


def _certificate(r: NDArray, group: PermutationGroup) -> float:
    if len(group.generators) == 0:
        return 0.0
    try:
        res = dc_gevp(r, bases.permutations(group.generators), exclude_trivial=True)
    except ValueError:  # the generators are polynomials in R: they commute trivially
        return 0.0
    return res.certificate / max(float(np.linalg.norm(r)) ** 2, np.finfo(float).tiny)


def _ambient_search(r, amb, consistent, notes) -> tuple[PermutationGroup, float]:
    m = r.shape[0]
    small = amb._order is not None and amb._order <= 1024 or (
        amb._order is None and amb.order <= 1024
    )
    perms = amb.elements(limit=1024)[1:] if small else amb.generators
    if not small:
        notes.append(
            f"the ambient group has {amb.order} elements: only subgroups generated by its "
            f"{len(perms)} generators were searched"
        )
    if len(perms) == 0:
        return PermutationGroup([], m), 0.0
    res = dc_gevp(r, bases.permutations(perms, sparse_format=True), exclude_trivial=True)
    r2 = max(float(np.linalg.norm(r)) ** 2, np.finfo(float).tiny)
    # Each element's own commutator ‖[R, P_g]‖² is the diagonal of D; rank by it.
    own = np.array([np.linalg.norm(r - conjugate_matrix(p, r)) for p in perms])
    ranked = [perms[k] for k in np.argsort(own, kind="stable")]
    chosen: list[NDArray] = []
    banned: set[bytes] = set()
    for _ in range(_ROUNDS):
        chosen = _grow(chosen, ranked, banned, consistent, m, small)
        pruned = _prune(chosen, consistent, m)
        if len(pruned) == len(chosen):
            break
        banned |= {p.tobytes() for p in chosen} - {p.tobytes() for p in pruned}
        chosen = pruned
    order = len(_closure(np.array(chosen).reshape(-1, m))) if small else None
    return _group(chosen, m, order=order), res.certificate / r2


def _grow(chosen, ranked, banned, consistent, m, small, by_labels=False) -> list:
    """Grow the group best-first: at each step, among the elements not yet in it, try them in
    increasing order of their nested statistic (over its null mean) and add the first that
    the nested test accepts; stop when none is accepted.

    ``by_labels``: skip every element that maps each pair orbit of the current group to
    itself instead of testing membership (the commutant, all the data see, would not
    change); no Schreier–Sims, which is slow for large groups on many points.
    """
    chosen = list(chosen)
    current = _group(chosen, m)
    # The ambient is small here (or only its generators are tried), so the subgroup's
    # elements can be kept as a set for O(1) membership.
    members = _closure(current.generators) if small else set()
    while True:
        scored = []
        for k, p in enumerate(ranked):
            key = p.tobytes()
            if key in banned or key in members:
                continue
            if not (by_labels or small) and current.contains(p):
                continue
            if _fixes_labels(current, p):
                # (p maps every pair orbit to itself: the commutant, all that the data can
                # see, is unchanged, so p belongs to the largest consistent group; by labels,
                # it adds nothing and is skipped.)
                if not by_labels:
                    scored.append((-1.0, k, p, None))
                continue
            ratio, decide = consistent.extension(current, _group(chosen + [p], m))
            scored.append((ratio, k, p, decide))
        if not scored:
            return chosen
        scored.sort(key=lambda item: (item[0], item[1]))
        for _ratio, _, p, decide in scored:
            if decide is None or decide():
                chosen.append(p)
                current = _group(chosen, m)
                if small:
                    members = _closure(current.generators)
                break
        else:
            return chosen


def _prune(chosen, consistent, m) -> list:
    """Drop a generator whose structure the data reject once the others are in place.

    Early in the greedy search a wrong element is tested against a small group, where its
    violation is diluted over many directions; tested against all the other generators,
    it is concentrated in ``C(H_rest) ⊖ C(H)``, where the nested test has power.
    """
    chosen = list(chosen)
    changed = True
    while changed and len(chosen) > 1:
        changed = False
        full = _group(chosen, m)
        for p in list(chosen):
            rest = [q for q in chosen if q is not p]
            smaller = _group(rest, m)
            if smaller.n_pair_orbits == full.n_pair_orbits:
                continue
            if not consistent.extends(smaller, full):
                chosen = rest
                changed = True
                break
    return chosen


def _group(gens: list, m: int, order: int | None = None) -> PermutationGroup:
    """The group generated by ``gens``, its pair orbits as the components of the graph
    ``(i, j) -> (g i, g j)`` (cheap for the few generators tried here)."""
    arr = np.array(gens, dtype=np.intp).reshape(-1, m)

    def labels() -> tuple[int, NDArray]:
        idx = np.arange(m * m).reshape(m, m)
        src = np.tile(idx.ravel(), len(arr))
        dst = np.concatenate([idx[g[:, None], g[None, :]].ravel() for g in arr])
        graph = coo_array((np.ones(src.size, dtype=np.int8), (src, dst)), shape=(m * m, m * m))
        n, lab = connected_components(graph, directed=True, connection="weak")
        return int(n), lab.reshape(m, m)

    return PermutationGroup._built(
        arr, m, labels=labels if len(arr) else None, order=order if len(arr) else 1
    )


def _closure(gens: NDArray) -> set[bytes]:
    """All elements (as bytes) of a group known to be small (a subgroup of a small ambient)."""
    m = gens.shape[1]
    ident = np.arange(m, dtype=np.intp)
    seen = {ident.tobytes()}
    frontier = [ident]
    while frontier:
        nxt = []
        for h in frontier:
            for g in gens:
                e = g[h]
                key = e.tobytes()
                if key not in seen:
                    seen.add(key)
                    nxt.append(e)
        frontier = nxt
    return seen


def _fixes_labels(G: PermutationGroup, p: NDArray) -> bool:
    lab = G.pair_orbits()
    return bool(np.array_equal(lab[p[:, None], p[None, :]], lab))


def _blind_search(r: NDArray, n: int | None, consistent) -> PermutationGroup:
    """The largest group consistent with the data, from two independent searches.

    Exact covariance: the automorphism group of ``R``.  Estimated: (1) the automorphism
    group of ``R̂`` for a ladder of colour tolerances, which finds large groups whose pair
    orbits stand apart; (2) near-automorphisms matched entry by entry within their standard
    errors (:func:`~algdiv.discovery.matching.near_automorphisms`), grown into a group
    best-first and pruned like the ambient search, which finds groups with many close orbit
    values.  The larger consistent answer wins, or the group both generate if it is
    consistent too.
    """
    if n is None:
        return automorphisms(r)
    se = float(np.mean(np.abs(np.diag(r)))) / np.sqrt(n)  # typical standard error of an entry
    m = r.shape[0]
    best = PermutationGroup([], m)
    for factor in _TOL_LADDER:
        tol = factor * se if factor > 0 else None
        with warnings.catch_warnings():
            # a noisy colouring can make the search long; a partial answer is a subgroup,
            # which the consistency test then judges like any other candidate
            warnings.simplefilter("ignore", RuntimeWarning)
            # (S_M, the worst exact case, needs M²/2 nodes)
            cand = automorphisms(r, tol=tol, max_nodes=2 * m**2 + 1000)
        if cand.order > best.order and consistent(cand)[0]:
            best = cand
    if best.n_pair_orbits <= 2:  # nothing is larger than a 2-transitive group
        return best
    matched = _matched_search(r, n, consistent)
    if len(matched.generators) and not all(_fixes_labels(best, g) for g in matched.generators):
        # (compared by their commutants, which is all the data see: no Schreier–Sims)
        both = _group(list(best.generators) + list(matched.generators), m)
        if consistent(both)[0]:
            return both
        if matched.n_pair_orbits < best.n_pair_orbits:
            return matched
    return best


def _matched_search(r: NDArray, n: int, consistent) -> PermutationGroup:
    """Grow and prune a group from the near-automorphisms of ``R̂`` (the best ``min(2M, 48)`` by
    their own commutator ``‖R̂ − P R̂ Pᵀ‖``)."""
    m = r.shape[0]
    cands = near_automorphisms(r, n)
    if not cands:
        return PermutationGroup([], m)
    own = np.array([np.linalg.norm(r - conjugate_matrix(p, r)) for p in cands])
    ranked = [cands[k] for k in np.argsort(own, kind="stable")[: min(2 * m, 48)]]
    chosen: list[NDArray] = []
    banned: set[bytes] = set()
    for _ in range(_ROUNDS):
        chosen = _grow(chosen, ranked, banned, consistent, m, False, by_labels=True)
        pruned = _prune(chosen, consistent, m)
        if len(pruned) == len(chosen):
            break
        banned |= {p.tobytes() for p in chosen} - {p.tobytes() for p in pruned}
        chosen = pruned
    return _group(chosen, m)


def _beyond_groups(r: NDArray, group: PermutationGroup, tol: float) -> list[str]:
    """Structure no group explains: equal entries that the symmetry group does not relate.

    ``R`` is constant on each colour class; a group's pair orbits refine the classes.  When
    they are strictly finer, ``R`` has equalities (e.g. the classes of a non-Schurian
    association scheme, or of a strongly regular graph that is not rank 3) that no
    permutation group accounts for: the commutant of the group found is larger than the
    algebra the data actually live in.
    """
    colours = _edge_colours(r, tol)
    n_colours = int(np.unique(colours).size)
    lab = np.asarray(group.pair_orbits())
    n = group.n_pair_orbits
    sym = np.unique(np.minimum(lab, lab.T) * n + np.maximum(lab, lab.T)).size
    seen = n if np.iscomplexobj(r) else sym
    if seen > n_colours:
        return [
            f"structure beyond groups: R takes {n_colours} distinct values but its symmetry "
            f"group has {seen} pair orbits, so some equalities among its entries are not "
            "explained by any permutation symmetry (e.g. a non-Schurian association scheme)"
        ]
    return []


def _ambient_notes(r, n, group, amb, consistent) -> list[str]:
    """An ambient too small: the whole ambient fits, and a consistent group outside it exists."""
    notes = []
    if group.n_pair_orbits != amb.n_pair_orbits:
        return notes  # the data reject part of the ambient: it is not too small
    blind = _blind_search(r, n, consistent)
    if blind.n_pair_orbits < group.n_pair_orbits and not blind.is_subgroup_of(amb):
        notes.append(
            f"an ambient group too small: the data are consistent with a group of order "
            f"{blind.order} (dim C = {blind.n_pair_orbits}) that is not a subgroup of the "
            f"ambient (best subgroup: dim C = {group.n_pair_orbits})"
        )
    return notes
