"""Whether a group explains an estimated covariance at its noise level (ours).

For an exact covariance (``n_samples`` not given) a group is consistent when
``δ = ‖R − Φ_G(R)‖_F / ‖R‖_F <= 1e-8``.  For ``n`` snapshots, a group ``G`` is consistent when
``α = δ²/δ₀² <= q``, and a larger ``H' ⊇ H`` extends ``H`` when the energy of ``R̂`` in
``C(H) ⊖ C(H')``, ``‖Φ_H(R̂) − Φ_H'(R̂)‖²``, over its closed-form expectation under ``H'`` is
``<= q``.  The threshold ``q`` is the ``level`` quantile of that ratio when the hypothesis is
true: a parametric bootstrap (``n_boot`` Gaussian samples with covariance ``Φ(R̂)``, real or
circular complex like the data, at most 256 snapshots each) gives its mean and variance, and
``q`` is the quantile of the scaled chi-square with those moments.  A ratio at most 1 (the
mean) is accepted without the bootstrap.  Heavy tails scale the Gaussian noise floor by
Mardia's kurtosis (:func:`kurtosis_factor`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.stats import chi2

from ..commutant import project_unchecked
from ..groups import PermutationGroup
from .diagnostics import expected_perp_energy

__all__ = ["Consistency", "kurtosis_factor", "whitener", "EXACT_DELTA"]

#: ``δ`` at or below which an exact covariance counts as invariant.
EXACT_DELTA = 1e-8
_BOOT_N = 256  # snapshots per bootstrap sample at most

#: A test statistic of one ``(M, M)`` matrix, or of a stack ``(k, M, M)`` (one per matrix).
_Stat = Callable[[NDArray[Any]], "np.float64 | NDArray[np.float64]"]
#: The statistic's expectation under the hypothesis for ``n`` snapshots.
_Mean = Callable[[int], float]


class Consistency:
    """Decides whether a group explains ``R̂`` at its noise level (cached per commutant).

    Decisions use *whitened* statistics (ours): with ``R₀ = Φ_G(R̂)`` and
    ``W = (R₀ + εI)^{-1/2}`` (``ε = tr R₀ / M``, the mean eigenvalue), ``W`` is ``G``-invariant,
    so it commutes with every ``Φ_H`` for ``H ⊆ G``; the energy of ``W R̂ W`` outside a commutant then has
    the closed-form null mean of the diagnostics module with ``W R₀ W`` in place of ``R₀``.
    Whitening weighs the strong directions by their noise, as a likelihood does, which gives
    far more power than the raw Frobenius energy when the spectrum is spread; the ridge
    keeps the weak directions, where a Gaussian model of real data is least reliable,
    from dominating.  ``δ``, ``δ₀``
    and ``α`` are still reported as defined in :mod:`algdiv.discovery.diagnostics`.
    """

    def __init__(
        self,
        r: NDArray[Any],
        n: int | None,
        complex_data: bool,
        level: float,
        n_boot: int,
        rng: np.random.Generator,
        eta: float = 1.0,
    ) -> None:
        self.r, self.n, self.cplx, self.eta = r, n, complex_data, eta
        self.level, self.n_boot, self.rng = level, n_boot, rng
        self.norm = float(np.linalg.norm(r))
        self.cache: dict[bytes, tuple[bool, float, float | None]] = {}
        self.limits: dict[bytes, float] = {}
        self._white_cache: NDArray[Any] | None = None

    def __call__(self, G: PermutationGroup) -> tuple[bool, float, float | None, float | None]:
        """(consistent, δ, α, α's quantile if already known)."""
        key = np.asarray(G.pair_orbits()).tobytes()
        if key not in self.cache:
            self.cache[key] = self._decide(G)
        ok, delta, alpha = self.cache[key]
        return ok, delta, alpha, self.limits.get(key)

    def _decide(self, G: PermutationGroup) -> tuple[bool, float, float | None]:
        r0 = project_unchecked(self.r, G)
        perp = float(np.linalg.norm(self.r - r0) ** 2)
        delta = float(np.sqrt(perp) / self.norm) if self.norm else 0.0
        if self.n is None:
            return delta <= EXACT_DELTA, delta, None
        expected = expected_perp_energy(r0, G, self.n, complex_data=self.cplx)
        alpha = perp / expected if expected > 0 else (0.0 if perp == 0 else float("inf"))
        w = whitener(r0)
        e0 = w @ r0 @ w

        def stat(ws: NDArray[Any]) -> np.float64 | NDArray[np.float64]:  # ws = W S W
            energy: np.float64 | NDArray[np.float64] = np.sum(
                np.abs(ws - project_unchecked(ws, G)) ** 2, axis=(-2, -1)
            )
            return energy

        def mean(n: int) -> float:
            return expected_perp_energy(e0, G, n, complex_data=self.cplx)

        return self._test(r0, stat, mean, w), delta, alpha

    def extends(self, H: PermutationGroup, Hp: PermutationGroup) -> bool:
        """Whether the larger ``Hp ⊇ H`` still explains the data (a nested test, ours).

        Only the directions ``C(H) ⊖ C(Hp)`` change, so the statistic is the whitened
        energy there, ``‖Φ_H(W R̂ W) − Φ_Hp(W R̂ W)‖²``, against its null mean
        ``E‖S − Φ_Hp S‖² − E‖S − Φ_H S‖²`` at the whitened truth: far fewer degrees of
        freedom than the global test, hence far more power.
        """
        return self.extension(H, Hp)[1]()

    def extension(
        self, H: PermutationGroup, Hp: PermutationGroup
    ) -> tuple[float, Callable[[], bool]]:
        """The nested statistic over its null mean, and a callable that decides the test."""
        if self.n is None:
            return 0.0, lambda: self(Hp)[0]
        r0 = project_unchecked(self.r, Hp)
        w = whitener(r0)
        e0 = w @ r0 @ w

        def stat(ws: NDArray[Any]) -> np.float64 | NDArray[np.float64]:  # ws = W S W
            energy: np.float64 | NDArray[np.float64] = np.sum(
                np.abs(project_unchecked(ws, H) - project_unchecked(ws, Hp)) ** 2, axis=(-2, -1)
            )
            return energy

        def mean(n: int) -> float:
            big = expected_perp_energy(e0, Hp, n, complex_data=self.cplx)
            small = expected_perp_energy(e0, H, n, complex_data=self.cplx)
            return max(big - small, 0.0)

        expected = mean(self.n) * self.eta
        ratio = float(stat(w @ self.r @ w)) / expected if expected > 0 else float("inf")
        return ratio, lambda: self._test(r0, stat, mean, w)

    def _snapshots(self) -> int:
        """``n`` (only asked for when the covariance is estimated: ``n`` is given)."""
        if self.n is None:
            raise ValueError("an exact covariance (n_samples not given) has no noise level")
        return int(self.n)

    def _test(self, r0: NDArray[Any], stat: _Stat, mean: _Mean, w: NDArray[Any]) -> bool:
        """Whether ``stat(W R̂ W)`` is within the bootstrap ``level`` quantile of its null law."""
        # Heavy tails scale the noise of S by the kurtosis factor η (elliptical model).
        observed, expected = float(stat(w @ self.r @ w)), mean(self._snapshots()) * self.eta
        if expected <= 0:
            return observed <= 1e-12 * max(float(np.linalg.norm(r0)) ** 2, np.finfo(float).tiny)
        if observed <= expected:  # at most the mean: below any upper quantile
            return True
        return observed / expected <= self._quantile(r0, stat, mean, w)

    def _white(self) -> NDArray[Any]:
        """Sample covariances of ``n_boot`` white Gaussian samples, drawn once per search.

        The null law of the ratios settles quickly with n (a weighted chi-square in the
        limit), so a bootstrap sample has at most _BOOT_N snapshots, with its own mean.
        Every test of one search reuses them (common random numbers): a bootstrap sample
        from ``R₀`` is ``R₀^{1/2} W R₀^{1/2}``, two small products instead of a new draw.
        """
        if self._white_cache is None:
            n, m = min(self._snapshots(), _BOOT_N), self.r.shape[0]
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
            r0 = project_unchecked(self.r, G)
            self.limits[key] = self._quantile(
                r0,
                lambda s: np.sum(np.abs(s - project_unchecked(s, G)) ** 2, axis=(-2, -1)),
                lambda n: expected_perp_energy(r0, G, n, complex_data=self.cplx),
            )
        return self.limits[key]

    def _quantile(
        self, r0: NDArray[Any], stat: _Stat, expected: _Mean, w: NDArray[Any] | None = None
    ) -> float:
        """The ``level`` quantile of ``stat(W S W) / expected(n)`` for ``S`` drawn from ``r0``
        (``W = I`` when ``w`` is None).

        The bootstrap gives the mean and variance of the ratio; the quantile is that of the
        scaled chi-square with the same two moments (Satterthwaite), which is smooth and
        reaches tails that ``n_boot`` samples alone could not.  ``S = root·Z·rootᴴ`` with
        ``Z`` a white sample covariance, so ``W S W = T Z Tᴴ`` with ``T = W·root``: two
        products per bootstrap sample instead of four.
        """
        n = min(self._snapshots(), _BOOT_N)
        if expected(n) <= 0:  # nothing outside the commutant can vary (trivial group)
            return 1.0
        lam, v = np.linalg.eigh(r0)
        root = v * np.sqrt(np.clip(lam, 0, None))
        t = root if w is None else w @ root
        s = t @ self._white() @ np.conj(t.T)  # W S W = T·(white sample cov.)·Tᴴ
        ratio = stat(s) / expected(n)
        mean, var = float(ratio.mean()), float(ratio.var(ddof=1))
        if not (mean > 0 and var > 0):
            return float(np.max(ratio))
        dof = 2 * mean**2 / var
        return float(chi2.ppf(self.level, dof) * mean / dof)


def kurtosis_factor(x: NDArray[Any], s: NDArray[Any], complex_data: bool) -> float:
    """Mardia's multivariate kurtosis over its Gaussian value: ``η ≈ 1`` for Gaussian data.

    With ``S`` the uncentered sample covariance of the same ``n`` snapshots, the
    leverage ``x_kᴴ (nS)⁻¹ x_k`` of Gaussian data is ``Beta(M/2, (n−M)/2)`` (real) or
    ``Beta(M, n−M)`` (complex), so ``E[(x_kᴴ S⁻¹ x_k)²] = nM(M+2)/(n+2)`` or
    ``nM(M+1)/(n+1)`` exactly.  For an elliptical distribution the covariance of ``S``
    outside ``span{R}`` is ``η`` times the Gaussian one, which is all the tests use.
    Returns 1 when ``n <= M + 2`` or ``S`` is singular.
    """
    n, m = x.shape
    root = _inverse_root(s, n)
    if root is None:
        return 1.0
    lev = np.sum(np.abs(x.conj() @ root) ** 2, axis=1)  # x_kᴴ S⁻¹ x_k
    return kurtosis_from_sum(float(np.sum(lev**2)), n, m, complex_data)


def _inverse_root(s: NDArray[Any], n: int) -> NDArray[Any] | None:
    """``V`` with ``V Vᴴ = S⁻¹``, or None when ``n <= M + 2`` or ``S`` is singular."""
    m = s.shape[0]
    if n <= m + 2:
        return None
    w, v = np.linalg.eigh(s)
    if w[0] <= 1e-12 * max(w[-1], np.finfo(float).tiny):
        return None
    root: NDArray[Any] = v / np.sqrt(w)
    return root


def kurtosis_from_sum(sum_lev2: float, n: int, m: int, complex_data: bool) -> float:
    """:func:`kurtosis_factor` from ``Σ_k (x_kᴴ S⁻¹ x_k)²`` (summed blockwise for a dask X)."""
    gauss = n * m * (m + 1) / (n + 1) if complex_data else n * m * (m + 2) / (n + 2)
    return float(sum_lev2 / n / gauss)


def streamed_kurtosis(
    X: Any, s: NDArray[Any], n: int, complex_data: bool, shift: NDArray[Any] | None
) -> float:
    """:func:`kurtosis_factor` of a dask ``X`` (rows, less ``shift``) with covariance ``s``:
    one blockwise pass."""
    from ..estimation._streaming import leverage_fourth_moment

    root = _inverse_root(s, n)
    if root is None:
        return 1.0
    return kurtosis_from_sum(leverage_fourth_moment(X, root, shift=shift), n, s.shape[0], complex_data)


def whitener(r0: NDArray[Any]) -> NDArray[Any]:
    """``(R₀ + εI)^{-1/2}``, ``ε`` the mean eigenvalue; invariant under every group ``R₀`` is."""
    w, v = np.linalg.eigh(r0)
    eps = max(float(np.sum(np.clip(w, 0, None))) / len(w), np.finfo(float).tiny)
    white: NDArray[Any] = (v / np.sqrt(np.clip(w, 0, None) + eps)) @ np.conj(v.T)
    return white

