"""Unbiased Frobenius risk of group averages, and risk-optimal shrinkage (ours).

For ``n`` independent zero-mean snapshots ``z_k`` with covariance ``R``, the sample covariance
``S = (1/n) Σ_k z_k z_kᴴ`` and a self-adjoint projection ``L`` of matrices (``L = Φ_H``, the
Reynolds projection of a group ``H``; ``L = I``; or ``J(A) = (tr A / M) I``):

    E‖L(S) − R‖² = ‖(I − L) R‖² + E‖L(S − R)‖²          (bias² + variance)

With ``A_k = z_k z_kᴴ`` and ``D_k = A_k − S``, the sample variance of the ``A_k`` gives the
unbiased variance estimate ``V̂(L) = Σ_k ‖L(D_k)‖² / (n(n − 1))``, and
``Σ_k ‖L(D_k)‖² = Σ_k ‖L(A_k)‖² − n ‖L(S)‖²``.  Since ``E‖L S‖² = ‖L R‖² + V(L)``, the risk of
``L(S)`` has the unbiased estimate

    r̂(L) = ‖(I − L) S‖² − V̂(I) + 2 V̂(L)

(Mallows' C_p / Stein's unbiased risk in this setting); ``V̂(I)`` is the sample covariance's
own risk.  For a group, ``‖Φ_H(A_k)‖² = Σ_O |Σ_{(i,j)∈O} z_ki z̄_kj|² / |O|`` over its pair
orbits ``O``, so each candidate costs ``O(n M²)`` from its pair-orbit labels; the group's
elements are never listed.  The one exception is opt-in: the subgroups of a small ambient
(at most a few hundred elements, which the ambient search lists anyway) take the same terms from
``‖Φ_H(z zᴴ)‖² = (1/|H|) Σ_{h∈H} |zᴴ P_h z|²`` for all of them in one pass
(:meth:`SnapshotMoments.add_subgroup_energies`).

**Three-way shrinkage.**  The projections ``I ⊇ Φ_H ⊇ J`` are nested (the identity is in every
commutant), so for ``Ĉ = a S + b Φ_H(S) + c (tr S / M) I`` the Gram matrix of the three terms
is ``G_ij = ‖L_max(i,j) S‖²`` (the smaller projection) and ``E⟨L_i S, R⟩ = ‖L_i R‖²``, whose
unbiased estimate is ``h_i = ‖L_i S‖² − V̂(L_i)``.  The estimated risk is
``wᵀ G w − 2 hᵀ w + ‖R‖²̂`` with ``‖R‖²̂ = ‖S‖² − V̂(I)``; it is minimized over the simplex
``a, b, c >= 0, a + b + c = 1`` (a 3 × 3 quadratic program: the stationary points of its
seven faces and a fine grid, since a noisy Gram estimate need not be positive definite).
Without the group term this is Ledoit–Wolf's shrinkage toward the scaled identity (their
``b²`` is our ``V̂(I) − V̂(J)`` with ``1/n²`` for ``1/(n(n−1))``).

**Far fewer snapshots than dimensions.**  Below ``n = M/2`` the variances ``V̂(I)`` and ``V̂(J)`` of
the sample covariance and of its trace (which set the shrinkage toward the identity) are taken
from the Gaussian model, with unbiased Gaussian estimates of ``‖R‖²`` and ``(tr R)²``, instead of
the fourth moments: at a handful of snapshots the latter are too noisy to use (OAS's regime).  The
group's own ``V̂(Φ_G)`` keeps its fourth-moment estimate.  Heavy-tailed data below ``M/2`` are then
shrunk less than they should be; from ``M/2`` on (where real, heavy-tailed data measured better
with the fourth moments) nothing changes.

**Estimated means.**  With ``assume_centered=False`` the data are first replaced by their
``n − 1`` Helmert contrasts ``z_j = (Σ_{k<=j} x_k − j x_{j+1}) / sqrt(j (j + 1))``, which satisfy
``Σ_j z_j z_jᴴ = Σ_k (x_k − x̄)(x_k − x̄)ᴴ`` exactly and, for Gaussian data, are independent with
covariance ``R``: every formula above then holds with ``n − 1`` snapshots, and ``S`` is the
unbiased sample covariance (divisor ``n − 1``).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from .._limits import check_memory
from .._validation import as_group, as_snapshots
from ..commutant import project_unchecked
from ..groups import PermutationGroup

__all__ = [
    "RiskEstimate",
    "group_risk",
    "helmert_contrasts",
    "shrinkage_weights",
    "SnapshotMoments",
]

_CHUNK_ENTRIES = 4_000_000  # outer-product entries per batch (bounds memory to ~64 MB)


def helmert_contrasts(X: ArrayLike) -> NDArray[Any]:
    """The ``n − 1`` orthonormal contrasts of the rows of ``X``: centring without a mean.

    ``z_j = (Σ_{k<=j} x_k − j x_{j+1}) / sqrt(j (j + 1))`` for ``j = 1 … n − 1``.  The rows of
    the Helmert matrix are orthonormal and orthogonal to the all-ones vector, so
    ``Σ_j z_j z_jᴴ = Σ_k (x_k − x̄)(x_k − x̄)ᴴ``; for Gaussian snapshots the ``z_j`` are
    independent with the snapshots' covariance.

    Parameters
    ----------
    X : array_like, shape (n_samples, M)
        Real or complex snapshots (``n_samples >= 2``).  Not modified.

    Returns
    -------
    ndarray, shape (n_samples - 1, M)

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).standard_normal((5, 3))
    >>> Z = helmert_contrasts(X)
    >>> Xc = X - X.mean(axis=0)
    >>> bool(np.allclose(Z.T @ Z, Xc.T @ Xc))
    True
    """
    x = as_snapshots(X, "X")
    if x.shape[0] < 2:
        raise ValueError(f"X needs at least 2 snapshots for contrasts, got {x.shape[0]}")
    return _helmert(x)


def _helmert(x: NDArray[Any]) -> NDArray[Any]:
    n = x.shape[0]
    j = np.arange(1, n, dtype=float)[:, None]
    partial = np.cumsum(x, axis=0)[:-1]  # Σ_{k<=j} x_k, j = 1 … n−1
    contrasts: NDArray[Any] = (partial - j * x[1:]) / np.sqrt(j * (j + 1))
    return contrasts


class SnapshotMoments:
    """The second and (per projection) fourth moments of centred snapshots, for risk estimates.

    Built once from ``z`` (``n`` independent zero-mean snapshots, or Helmert contrasts);
    :meth:`projected` then gives, for any group, ``‖Φ_H(S)‖²`` and ``V̂(Φ_H)`` in
    ``O(n M²)`` from its pair-orbit labels.  Internal API of the risk-based selection.
    """

    def __init__(self, z: NDArray[Any]) -> None:
        self.z: NDArray[Any] | None = z
        self._streamed: dict[bytes, float] = {}
        self.n, self.m = z.shape
        s = z.T @ z.conj()
        self.S = (s + s.conj().T) / (2 * self.n)
        if not np.iscomplexobj(z):
            self.S = self.S.real
        norms2 = np.sum(np.abs(z) ** 2, axis=1)  # ‖z_k‖²
        trace = float(np.trace(self.S).real)
        self._norms2 = norms2
        self._cache: dict[bytes, tuple[float, float]] = {}
        # per group, the per-snapshot terms of influence(): ‖Φ_G(z_k z_kᴴ)‖² and 2 z_kᴴ Φ_G(S) z_k
        # (the forms are None until asked for when the terms came from add_subgroup_energies)
        self._per_snapshot: dict[bytes, tuple[NDArray[Any], NDArray[Any] | None]] = {}
        self._form_full: NDArray[Any] | None = None  # 2 z_kᴴ S z_k
        # the identity I and the scaled-identity projection J
        self.full = self._pack(float(np.sum(np.abs(self.S) ** 2)), float(np.sum(norms2**2)))
        self.iso = self._pack(trace**2 / self.m, float(np.sum(norms2**2)) / self.m)
        self._gaussian_below_m()

    @classmethod
    def from_sums(
        cls,
        n: int,
        sum_outer: NDArray[Any],
        norm4: float,
        orbit_energy: dict[bytes, float],
    ) -> SnapshotMoments:
        """The moments from sums over ``n`` snapshots read blockwise (a ``dask.array``).

        ``sum_outer = Σ_k z_k z_kᴴ``, ``norm4 = Σ_k ‖z_k‖⁴`` and, per group (keyed by its
        pair-orbit labels' bytes), ``Σ_k ‖Φ_G(z_k z_kᴴ)‖²``: everything :meth:`combination`
        needs for those groups, without the snapshots (so no :meth:`influence`).
        """
        self = cls.__new__(cls)
        self.z = None
        self.n = int(n)
        self.m = sum_outer.shape[0]
        S = (sum_outer + sum_outer.conj().T) / (2 * self.n)
        self.S = S if np.iscomplexobj(S) and np.any(S.imag != 0) else S.real
        trace = float(np.trace(self.S).real)
        self._norms2 = np.zeros(0)
        self._cache = {}
        self._per_snapshot = {}
        self._form_full = None
        self._streamed = {k: float(v) for k, v in orbit_energy.items()}
        self.full = self._pack(float(np.sum(np.abs(self.S) ** 2)), float(norm4))
        self.iso = self._pack(trace**2 / self.m, float(norm4) / self.m)
        self._gaussian_below_m()
        return self

    def _gaussian_below_m(self) -> None:
        """Below ``M/2`` snapshots, ``V(I)`` and ``V(J)`` from the Gaussian model (see the notes).

        With far fewer snapshots than dimensions the fourth-moment estimates of the sample
        covariance's own variance are too noisy to set the shrinkage toward the identity (the
        reason OAS beats Ledoit–Wolf there).  For Gaussian snapshots ``E‖S‖² = a(1 + 1/n) + b/n``
        and ``E (tr S)² = b + 2a/n`` (real; complex circular: ``a + b/n`` and ``b + a/n``) with
        ``a = ‖R‖²``, ``b = (tr R)²``; solving gives unbiased ``â, b̂``, and then
        ``V(I) = (a + b)/n``, ``V(J) = 2a/(nM)`` (complex: ``b/n``, ``a/(nM)``).
        """
        n, m = self.n, self.m
        if 2 * n >= m or n < 2:
            return
        s2 = self.full[0]
        tr2 = float(np.trace(self.S).real) ** 2
        cplx = bool(np.iscomplexobj(self.S))
        system = np.array([[1.0, 1.0 / n], [1.0 / n, 1.0]]) if cplx else np.array(
            [[1.0 + 1.0 / n, 1.0 / n], [2.0 / n, 1.0]]
        )
        a, b = (max(float(v), 0.0) for v in np.linalg.solve(system, [s2, tr2]))
        v_full = b / n if cplx else (a + b) / n
        v_iso = a / (n * m) if cplx else 2.0 * a / (n * m)
        self.full = (s2, v_full)
        self.iso = (self.iso[0], v_iso)

    def _pack(self, s2: float, q: float) -> tuple[float, float]:
        """``(‖L S‖², V̂(L))`` from ``‖L S‖²`` and ``Σ_k ‖L A_k‖²``."""
        n = self.n
        if n < 2:
            return s2, float("nan")
        return s2, max(q - n * s2, 0.0) / (n * (n - 1))

    def projected(self, G: PermutationGroup) -> tuple[float, float]:
        """``(‖Φ_G S‖², V̂(Φ_G))`` for a group on ``M`` points (cached by commutant)."""
        labels = np.asarray(G.pair_orbits())
        key = labels.tobytes()
        cached = self._cache.get(key)
        if cached is None:
            if G.n_pair_orbits == self.m * self.m:
                cached = self.full
            else:
                s2 = float(np.sum(np.abs(project_unchecked(self.S, G)) ** 2))
                if key in self._streamed:
                    q = self._streamed[key]
                elif key in self._per_snapshot:
                    q = float(self._per_snapshot[key][0].sum())
                elif self.z is None:
                    raise ValueError("streamed moments hold no fourth moments for this group")
                else:
                    q = self._orbit_energy(labels, G)
                cached = self._pack(s2, q)
            self._cache[key] = cached
        return cached

    def _orbit_energy(self, labels: NDArray[Any], G: PermutationGroup) -> float:
        """``Σ_k ‖Φ_G(z_k z_kᴴ)‖² = Σ_k Σ_O |Σ_{(i,j)∈O} z_ki z̄_kj|² / |O|`` (the terms of
        the sum are kept for :meth:`influence`)."""
        m, dim = self.m, G.n_pair_orbits
        counts = np.asarray(G.pair_orbit_sizes(), dtype=float)
        flat = labels.ravel().astype(np.intp)
        # (dim, M²) orbit indicator; applied to a C-ordered (M², chunk) block so that scipy
        # reads the dense operand in place (dense @ sparse would copy a transposed block)
        ind = sparse.csr_array(
            (np.ones(m * m), (flat, np.arange(m * m))), shape=(dim, m * m)
        )
        z = self.z
        if z is None:
            raise ValueError("streamed moments keep no snapshots")
        # Φ_G(S) as its orbit means: z_kᴴ Φ_G(S) z_k = Σ_O mean_O(S) · conj(Σ_{(i,j)∈O} z_ki z̄_kj),
        # so the influence terms of Φ_G come from the same orbit sums, without an M × M form
        means = ind @ self.S.ravel() / counts
        step = max(1, _CHUNK_ENTRIES // (m * m))
        per = np.empty(self.n)
        forms = np.empty(self.n)
        for start in range(0, self.n, step):
            zt = np.ascontiguousarray(z[start : start + step].T)  # (M, chunk), C order
            outer = (zt[:, None, :] * zt.conj()[None, :, :]).reshape(m * m, zt.shape[1])
            sums = ind @ outer  # (dim, chunk): orbit sums of each z_k z_kᴴ
            per[start : start + zt.shape[1]] = np.sum(np.abs(sums) ** 2 / counts[:, None], axis=0)
            forms[start : start + zt.shape[1]] = 2.0 * (means @ sums.conj()).real
        self._per_snapshot[labels.tobytes()] = (per, forms)
        return float(per.sum())

    def add_subgroup_energies(
        self, elements: NDArray[np.intp], groups: list[PermutationGroup],
        members: list[NDArray[np.intp]],
    ) -> None:
        """The fourth-moment terms of many subgroups of one small group, in one pass.

        ``Φ_H`` is an orthogonal projection, so ``‖Φ_H(A)‖² = ⟨A, Φ_H(A)⟩``, and for
        ``A = z zᴴ`` this is ``(1/|H|) Σ_{h∈H} |zᴴ P_h z|²``.  With ``c_k(g) = Σ_i z̄_ki z_k,g(i)``
        for every element ``g`` of the group (``O(n · |A| · M)``, once), the per-snapshot terms
        of every subgroup are means of ``|c_k(g)|²`` over its elements: one matrix product for
        all of them, where the pair-orbit sums cost ``O(n M²)`` per subgroup.  For the ambient
        pools of the risk selection (at most a few hundred elements, listed anyway).

        ``elements``: the ``(|A|, M)`` elements; ``members[j]``: the indices of ``groups[j]``'s
        elements among them.  Groups already known are skipped.
        """
        z = self.z
        if z is None:
            raise ValueError("streamed moments keep no snapshots")
        keys = [np.asarray(G.pair_orbits()).tobytes() for G in groups]
        todo = [j for j, key in enumerate(keys) if key not in self._per_snapshot]
        if not todo:
            return
        order = elements.shape[0]
        mean_over = np.zeros((order, len(todo)))
        for col, j in enumerate(todo):
            mean_over[members[j], col] = 1.0 / len(members[j])
        check_memory(8.0 * self.n * len(todo), "the per-snapshot risk terms of the ambient's subgroups")
        per = np.empty((len(todo), self.n))  # one contiguous row per subgroup
        step = max(1, _CHUNK_ENTRIES // (order * self.m))
        for start in range(0, self.n, step):
            zc = z[start : start + step]
            c = np.einsum("kgi,ki->kg", zc[:, elements], zc.conj())  # c_k(g), (chunk, |A|)
            c2 = c.real**2 + c.imag**2 if np.iscomplexobj(c) else c**2
            per[:, start : start + zc.shape[0]] = mean_over.T @ c2.T
        for col, j in enumerate(todo):
            self._per_snapshot[keys[j]] = (per[col], None)

    def _linear_terms(self, G: PermutationGroup) -> tuple[list[NDArray[Any]], list[NDArray[Any]]]:
        """Per-snapshot ``u_k(L) = 2 z_kᴴ L(S) z_k`` and ``q_k(L) = ‖L(z_k z_kᴴ)‖²`` for
        ``L = I, Φ_G, J`` (see :meth:`influence`)."""
        z = self.z
        if z is None:
            raise ValueError("streamed moments keep no snapshots: no per-snapshot terms")
        norms2 = self._norms2
        labels = np.asarray(G.pair_orbits())
        key = labels.tobytes()
        if self._form_full is None:  # 2 z_kᴴ S z_k: z̄ S through BLAS, then row-wise dots
            self._form_full = 2.0 * np.einsum("kj,kj->k", z.conj() @ self.S, z).real
        if G.n_pair_orbits == self.m * self.m:
            form_g, q_g = self._form_full, norms2**2
        else:
            self.projected(G)
            if key not in self._per_snapshot:  # cached before the terms were kept
                self._orbit_energy(labels, G)
            q_g, form_g = self._per_snapshot[key]
            if form_g is None:  # terms from add_subgroup_energies: the form through BLAS
                form_g = 2.0 * np.einsum("kj,kj->k", z.conj() @ project_unchecked(self.S, G), z).real
                self._per_snapshot[key] = (q_g, form_g)
        trace = float(np.trace(self.S).real)
        u = [self._form_full, form_g, 2.0 * trace / self.m * norms2]
        q = [norms2**2, q_g, norms2**2 / self.m]
        return u, q

    def influence(self, G: PermutationGroup, weights: NDArray[np.float64]) -> NDArray[np.float64]:
        """Per-snapshot linear terms ``g_k`` of the combination's risk estimate (weights fixed).

        The estimate of :meth:`combination` is linear in ``‖L S‖²`` and ``V̂(L)`` for
        ``L ∈ {I, Φ_G, J}``; to first order each of those is a mean over snapshots, with
        terms ``u_k = 2 z_kᴴ L(S) z_k`` (of ``‖L S‖²``) and ``(q_k − u_k)/(n − 1)`` (of
        ``V̂(L)``, ``q_k = ‖L(z_k z_kᴴ)‖²``).  So ``Var(r̂) ≈ Var_k(g_k)/n``, and the variance
        of the difference of two candidates' estimates is that of ``g_k − g'_k`` (the shared
        noise cancels): the standard error behind the one-standard-error rule of the
        selection.  ``O(n M²)`` per group, from the terms kept by :meth:`projected`.
        """
        u, q = self._linear_terms(G)
        n = self.n
        w = np.asarray(weights, dtype=float)
        nested = np.array([[0, 1, 2], [1, 1, 2], [2, 2, 2]])
        alpha = np.array([np.sum(np.outer(w, w)[nested == l]) for l in range(3)]) - 2 * w
        alpha[0] += 1.0
        gamma = 2 * w
        gamma[0] -= 1.0
        parts = [alpha[l] * u[l] + gamma[l] * (q[l] - u[l]) / max(n - 1, 1) for l in range(3)]
        g: NDArray[np.float64] = parts[0] + parts[1] + parts[2]
        return g

    # -- the risk of one estimator ----------------------------------------------------
    def terms(
        self, G: PermutationGroup, evaluate: SnapshotMoments | None = None
    ) -> tuple[NDArray[Any], NDArray[Any]]:
        """``β̂ = (‖R‖², ‖Φ_G R‖², ‖J R‖²)`` and ``V̂ = (V(I), V(Φ_G), V(J))`` at ``n`` snapshots.

        ``evaluate``: estimate the ``Φ_G`` terms from these (independent) snapshots instead,
        with the variance rescaled to ``n`` (``V ∝ 1/n``).  Use it when ``G`` was chosen by
        looking at the data behind ``self``: the in-sample ``‖Φ_G S‖²`` is then biased up.
        """
        s2_full, v_full = self.full
        s2_j, v_j = self.iso
        if evaluate is None:
            s2_g, v_g = self.projected(G)
            var_g = v_g
        else:
            s2_g, v_g = evaluate.projected(G)
            var_g = v_g * evaluate.n / self.n
        beta = np.array([s2_full - v_full, s2_g - v_g, s2_j - v_j])
        return beta, np.array([v_full, var_g, v_j])

    def risk(self, G: PermutationGroup, evaluate: SnapshotMoments | None = None) -> RiskEstimate:
        """The unbiased risk estimate of ``Φ_G(S)`` (see the module notes)."""
        beta, var = self.terms(G, evaluate)
        bias2 = beta[0] - beta[1]  # ‖(I − Φ_G) R‖²
        return RiskEstimate(
            risk=bias2 + var[1],
            bias2=bias2,
            variance=var[1],
            sample_risk=var[0],
            norm2=beta[0],
            n_effective=self.n,
        )

    def combination(
        self, G: PermutationGroup, evaluate: SnapshotMoments | None = None
    ) -> tuple[NDArray[np.float64], float]:
        """Risk-optimal simplex weights ``(a, b, c)`` of ``S``, ``Φ_G S``, ``(tr S/M) I`` and
        the estimated risk ``E‖Ĉ − R‖²`` of that combination (``evaluate`` as in :meth:`terms`)."""
        beta, var = self.terms(G, evaluate)
        k = np.array([[0, 1, 2], [1, 1, 2], [2, 2, 2]])  # the smaller of two nested projections
        gram = beta[k] + var[k]
        w, value = _simplex_min(gram, beta)
        return w, value + beta[0]


@dataclass(frozen=True)
class RiskEstimate:
    """Unbiased estimates of ``E‖Φ_H(S) − R‖_F²`` and its parts.

    Attributes
    ----------
    risk : float
        ``bias2 + variance``; may be negative by chance when the true risk is small.
    bias2 : float
        ``‖(I − Φ_H) R‖²`` (estimated: ``‖(I − Φ_H) S‖²`` minus its expected noise part).
    variance : float
        ``E‖Φ_H(S − R)‖²``.
    sample_risk : float
        ``E‖S − R‖²``: the sample covariance's risk, for comparison.
    norm2 : float
        ``‖R‖²``, for relative risks.
    n_effective : int
        Independent snapshots behind ``S`` (``n − 1`` with an estimated mean).
    """

    risk: float
    bias2: float
    variance: float
    sample_risk: float
    norm2: float
    n_effective: int

    @property
    def relative(self) -> float:
        """``risk / ‖R‖²`` (the squared relative Frobenius error), ``nan`` if ``‖R‖²̂ <= 0``."""
        return self.risk / self.norm2 if self.norm2 > 0 else float("nan")


def _simplex_min(
    gram: NDArray[np.float64], h: NDArray[np.float64]
) -> tuple[NDArray[np.float64], float]:
    """``min wᵀ G w − 2 hᵀ w`` over the probability simplex (three weights).

    ``G`` is the estimated Gram matrix, positive semi-definite in expectation but not always
    in a noisy estimate, so the minimum is taken over the stationary points of every face
    (the KKT system of each support set, least squares when singular) and a grid of step
    1/60, which bounds the error of a non-convex case.
    """
    k = len(h)
    points = [np.eye(k)[i] for i in range(k)]
    for size in range(2, k + 1):
        for support in combinations(range(k), size):
            idx = list(support)
            kkt = np.zeros((size + 1, size + 1))
            kkt[:size, :size] = 2 * gram[np.ix_(idx, idx)]
            kkt[:size, size] = 1.0
            kkt[size, :size] = 1.0
            rhs = np.concatenate([2 * h[idx], [1.0]])
            ws = np.linalg.lstsq(kkt, rhs, rcond=None)[0][:size]
            if np.all(ws >= -1e-12) and abs(ws.sum() - 1) <= 1e-9:
                w = np.zeros(k)
                w[idx] = np.clip(ws, 0.0, None)
                points.append(w / w.sum())
    a, b = np.meshgrid(np.arange(61), np.arange(61), indexing="ij")
    keep = a + b <= 60
    grid = np.stack([a[keep], b[keep], 60 - a[keep] - b[keep]], axis=1) / 60.0
    cand = np.vstack([np.array(points), grid])
    values = np.einsum("pi,ij,pj->p", cand, gram, cand) - 2 * cand @ h
    best = int(np.argmin(values))
    return cand[best], float(values[best])


def _moments(X: ArrayLike, G: PermutationGroup, assume_centered: bool, what: str) -> SnapshotMoments:
    """Validated snapshots (centred by contrasts unless ``assume_centered``) as moments."""
    x = as_snapshots(X, "X", size=G.degree)
    need = 2 if assume_centered else 3
    if x.shape[0] < need:
        raise ValueError(
            f"X needs at least {need} snapshots to estimate {what} "
            f"(assume_centered={assume_centered}), got {x.shape[0]}"
        )
    return SnapshotMoments(x if assume_centered else _helmert(x))


def group_risk(
    X: ArrayLike, G: PermutationGroup | str, *, assume_centered: bool = False
) -> RiskEstimate:
    """Unbiased estimate of the Frobenius risk ``E‖Φ_G(S) − R‖²`` from the snapshots alone.

    ``r̂ = ‖(I − Φ_G) S‖² − V̂(I) + 2 V̂(Φ_G)`` with ``V̂(L) = Σ_k ‖L(x_k x_kᴴ − S)‖² / (n(n−1))``
    (see :mod:`algdiv.estimation.risk`): the bias ``‖R − Φ_G R‖²`` and the variance
    ``E‖Φ_G(S − R)‖²`` estimated separately, in ``O(n M²)`` from the pair orbits.

    Parameters
    ----------
    X : array_like, shape (n_samples, M)
        Real or complex snapshots, at least 2 (3 when ``assume_centered=False``).
    G : PermutationGroup or str
    assume_centered : bool, default False
        ``False``: the mean is estimated, the risk is that of the unbiased sample covariance
        (divisor ``n − 1``) and its group average, computed from Helmert contrasts.

    Returns
    -------
    RiskEstimate

    Examples
    --------
    White noise is invariant under every group: the bias is about 0 and the group average
    of a large group has far less risk than the sample covariance.

    >>> import numpy as np
    >>> from algdiv.groups import cyclic
    >>> X = np.random.default_rng(0).standard_normal((50, 8))
    >>> est = group_risk(X, cyclic(8))
    >>> bool(est.risk < est.sample_risk / 3)
    True
    """
    G = as_group(G)
    return _moments(X, G, assume_centered, "a risk").risk(G)


def shrinkage_weights(
    X: ArrayLike, G: PermutationGroup | str, *, assume_centered: bool = False
) -> tuple[NDArray[Any], float]:
    """Risk-optimal convex weights of ``S``, ``Φ_G(S)`` and ``(tr S / M) I``.

    Minimizes the unbiased risk estimate of ``a S + b Φ_G(S) + c (tr S/M) I`` over
    ``a, b, c >= 0``, ``a + b + c = 1`` (see the module notes).  With no structure in the
    data (``b → 0``) it is Ledoit–Wolf-like shrinkage toward the scaled identity.

    Returns
    -------
    weights : ndarray (3,)
        ``(a, b, c)``.
    risk : float
        The estimated risk ``E‖Ĉ − R‖²`` of the combination (in-sample, unbiased for fixed
        weights).

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.groups import cyclic
    >>> X = np.random.default_rng(0).standard_normal((20, 8))
    >>> w, r = shrinkage_weights(X, cyclic(8))
    >>> bool(abs(w.sum() - 1) < 1e-12 and w.min() >= 0)
    True
    """
    G = as_group(G)
    return _moments(X, G, assume_centered, "weights").combination(G)
