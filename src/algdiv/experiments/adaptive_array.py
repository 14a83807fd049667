"""The adaptive-array experiment: how many snapshots each estimator needs.

A uniform circular array of ``M`` sensors (radius 1.5 wavelengths) faces ``J``
equal-power jammers at azimuths ``2πk/J`` in unit white noise.  The interference-plus-
noise covariance ``R`` is then invariant under ``D_J`` acting on the sensor indices
(rotations by ``M/J`` positions and ``i → −i``; checked numerically and reported as
``truth_residual``).  Training data contain interference and noise only; the adaptive
weight is ``w = R̂⁻¹ s`` for the look direction ``s`` (azimuth ``0.3·2π/J``) and its
figure of merit the SINR loss ``|wᴴ s|² / (wᴴ R w · sᴴ R⁻¹ s)``.

Estimators compared at each snapshot count ``n`` (all trials share the same data):

``sample``            ``S`` (only ``n >= M``; Reed–Mallett–Brennan: ``E[loss] = (n+2−M)/(n+1)``)
``loading``           ``S + δI`` with ``δ`` chosen by an oracle per ``n`` (best mean loss)
``forward_backward``  ``(S + P S̄ Pᵀ)/2``, ``P`` the half turn ``i → i + M/2`` or, with
                      ``fb_exchange="reflection"``, ``i → −i`` (only ``n >= M/2``)
``group``             ``Φ_{D_J}(S)``
``shrinkage``         ``ρ Φ_{D_J}(S) + (1−ρ) S``, plug-in ``ρ`` per trial

The loss is averaged over trials in linear units and then converted to dB
(``average="linear"``; the RMB mean above), or averaged in dB (``average="db"``); both
tables are kept.  ``n_3db`` interpolates linearly, in (n, dB), where the mean loss first
rises above −3 dB.  Estimates that are rank deficient (the group average for very small
``n``) are inverted by a pseudo-inverse (eigenvalues below ``1e-10`` of the largest set
to zero); nothing is loaded unless stated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from .._cost import adaptive_array_seconds, check_seconds
from .._validation import as_int
from ..arrays import interference_covariance, uca_dihedral_group, uca_steering
from ..batch import map_problems
from ..commutant import effective_dimension, invariance_residual, project_unchecked
from ..groups import PermutationGroup

__all__ = ["ESTIMATORS", "PUBLISHED", "AdaptiveArrayResult", "adaptive_array"]

#: Estimator keys, in the order of the result tables.
ESTIMATORS = ("sample", "loading", "forward_backward", "group", "shrinkage")

#: Published snapshot counts at −3 dB, keyed by (M, J).
PUBLISHED = {
    (16, 4): {"group": 3.9, "loading": 7.4, "forward_backward": 15.6, "sample": 29.5},
    (48, 12): {"group": 3.8, "loading": 23.9, "forward_backward": 47.5, "sample": 93.9},
}

_PINV_RTOL = 1e-10
_DEFAULT_LEVELS = 10.0 ** np.arange(-2.0, 3.01, 0.125)  # loading levels / noise power


@dataclass
class AdaptiveArrayResult:
    """Loss tables and ``n_3db`` of :func:`adaptive_array`.

    Attributes
    ----------
    M, J, inr_db, radius, trials, seed, rogue
        The settings.
    snapshots : ndarray of int
        The snapshot counts ``n`` evaluated.
    loss_db : dict of str -> ndarray
        Mean SINR loss in dB per estimator and ``n`` (``nan`` where not defined), in the
        convention ``average``.
    n_3db : dict of str -> float
        Interpolated snapshot count at −3 dB (``nan`` if not reached on the grid).
    n_3db_se : dict of str -> float
        Monte Carlo standard error of ``n_3db`` (bootstrap over trials).
    average : str
        ``"linear"`` (dB of the mean loss) or ``"db"`` (mean of the loss in dB).
    alt_loss_db, alt_n_3db : dict
        The same in the other convention.
    loading_level : ndarray
        The oracle's loading level per ``n`` (units of the noise power).
    shrinkage_mean : ndarray
        Mean plug-in ``ρ`` per ``n``.
    d_eff : float
        ``M² / dim C(D_J)``.
    law : float
        ``2M / d_eff``, the predicted ``n_3db`` of the group estimator.
    truth_residual : float
        ``‖R − Φ_{D_J}(R)‖ / ‖R‖`` of the true covariance (0 without a rogue jammer).
    published : dict or None
        The published ``n_3db`` for this ``(M, J)``, if any.
    fb_exchange : str
        The conjugate symmetry used by forward–backward.
    """

    M: int
    J: int
    inr_db: float
    radius: float
    trials: int
    seed: int | None
    rogue: tuple[float, float] | None
    snapshots: NDArray[Any]
    loss_db: dict[str, NDArray[Any]]
    n_3db: dict[str, float]
    n_3db_se: dict[str, float]
    average: str
    alt_loss_db: dict[str, NDArray[Any]] = field(repr=False)
    alt_n_3db: dict[str, float] = field(repr=False)
    loading_level: NDArray[Any] = field(repr=False)
    shrinkage_mean: NDArray[Any] = field(repr=False)
    d_eff: float = 0.0
    law: float = 0.0
    truth_residual: float = 0.0
    published: dict[str, float] | None = None
    fb_exchange: str = "half_turn"

    def table(self) -> str:
        """``n_3db`` per estimator beside the published value and the law, as text."""
        head = f"{'estimator':18s} {'n_3dB':>8s} {'± se':>6s} {'published':>10s}"
        lines = [
            f"adaptive array: M={self.M}, J={self.J}, INR={self.inr_db:g} dB, "
            f"radius={self.radius:g}, {self.trials} trials, average={self.average}, "
            f"fb_exchange={self.fb_exchange}"
            + (f", rogue={self.rogue}" if self.rogue else ""),
            head,
            "-" * len(head),
        ]
        for key in ESTIMATORS:
            pub = (self.published or {}).get(key)
            pub_txt = f"{pub:10.1f}" if pub is not None else f"{'-':>10s}"
            lines.append(
                f"{key:18s} {self.n_3db[key]:8.2f} {self.n_3db_se[key]:6.2f} {pub_txt}"
            )
        lines.append(f"law 2M/d_eff = {self.law:.2f} (d_eff = {self.d_eff:.2f})")
        return "\n".join(lines)

    def plot(self, path: str | None = None, ax: Any = None) -> Any:
        """Loss (dB) against ``n`` for every estimator, the −3 dB line and each ``n_3db``.

        Needs matplotlib (imported here; the Agg backend when ``path`` is given and no
        ``ax``).  Returns the figure; writes it to ``path`` when given.
        """
        import matplotlib

        if ax is None and path is not None:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = (plt.subplots(figsize=(7, 4.2)) if ax is None else (ax.figure, ax))
        labels = {
            "sample": "sample covariance",
            "loading": "diagonal loading (oracle)",
            "forward_backward": "forward-backward",
            "group": f"group average D_{self.J}",
            "shrinkage": f"shrinkage toward D_{self.J}",
        }
        for key in ESTIMATORS:
            line = ax.plot(self.snapshots, self.loss_db[key], label=labels[key])[0]
            if np.isfinite(self.n_3db[key]):
                ax.plot([self.n_3db[key]], [-3.0], "o", color=line.get_color(), ms=4)
        ax.axhline(-3.0, color="0.5", lw=0.8, ls="--")
        ax.set_xscale("log")
        ax.set_ylim(max(-20.0, ax.get_ylim()[0]), 0.5)
        ax.set_xlabel("snapshots n")
        ax.set_ylabel("SINR loss (dB)")
        ax.set_title(
            f"UCA M={self.M}, {self.J} jammers at {self.inr_db:g} dB, {self.trials} trials"
            + (" + rogue" if self.rogue else "")
        )
        ax.legend(fontsize=8, loc="lower right")
        ax.grid(alpha=0.3)
        if path is not None:
            fig.savefig(path, dpi=100, bbox_inches="tight")
        return fig

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (nan becomes None)."""

        def clean(v: Any) -> Any:
            if isinstance(v, dict):
                return {k: clean(x) for k, x in v.items()}
            if isinstance(v, (np.ndarray, list, tuple)):
                return [clean(x) for x in np.asarray(v, dtype=object).tolist()]
            if isinstance(v, (float, np.floating)):
                return None if not np.isfinite(v) else float(v)
            if isinstance(v, np.integer):
                return int(v)
            return v

        return {
            "M": self.M,
            "J": self.J,
            "inr_db": self.inr_db,
            "radius": self.radius,
            "trials": self.trials,
            "seed": self.seed,
            "rogue": clean(list(self.rogue)) if self.rogue else None,
            "average": self.average,
            "fb_exchange": self.fb_exchange,
            "snapshots": clean(self.snapshots),
            "loss_db": clean(self.loss_db),
            "n_3db": clean(self.n_3db),
            "n_3db_se": clean(self.n_3db_se),
            "alt_loss_db": clean(self.alt_loss_db),
            "alt_n_3db": clean(self.alt_n_3db),
            "loading_level": clean(self.loading_level),
            "shrinkage_mean": clean(self.shrinkage_mean),
            "d_eff": self.d_eff,
            "law": self.law,
            "truth_residual": self.truth_residual,
            "published": self.published,
        }


def crossing(n: ArrayLike, loss_db: ArrayLike, level: float = -3.0) -> float:
    """First ``n`` where ``loss_db`` rises to ``level``, linearly interpolated in (n, dB).

    ``nan`` when the curve stays below ``level``; the first finite ``n`` when it starts
    above.

    Examples
    --------
    >>> crossing([1, 2, 3], [-9.0, -4.0, -2.0])
    2.5
    """
    x = np.asarray(n, float)
    y = np.asarray(loss_db, float)
    ok = np.isfinite(y)
    x, y = x[ok], y[ok]
    above = np.flatnonzero(y >= level)
    if above.size == 0:
        return float("nan")
    k = above[0]
    if k == 0:
        return float(x[0])
    return float(x[k - 1] + (level - y[k - 1]) * (x[k] - x[k - 1]) / (y[k] - y[k - 1]))


def _default_grid(M: int) -> NDArray[Any]:
    step = max(1, M // 16)
    return np.unique(np.concatenate([np.arange(1, M + 1), np.arange(M, int(2.5 * M) + 1, step)]))


def _weights(C: NDArray[Any], s: NDArray[Any]) -> NDArray[Any]:
    """``C⁻¹ s`` for a batch; a pseudo-inverse for the batch when some ``C`` is singular."""
    try:
        L = np.linalg.cholesky(C)
        piv = np.abs(np.diagonal(L, axis1=-2, axis2=-1)) ** 2
        scale = np.real(np.diagonal(C, axis1=-2, axis2=-1)).max(axis=-1)
        if np.all(piv.min(axis=-1) > _PINV_RTOL * scale):
            solved: NDArray[Any] = np.linalg.solve(
                C, np.broadcast_to(s, C.shape[:-1])[..., None]
            )[..., 0]
            return solved
    except np.linalg.LinAlgError:
        pass
    lam, V = np.linalg.eigh(C)
    c = np.einsum("tji,j->ti", V.conj(), s)
    inv = np.where(lam > _PINV_RTOL * lam[:, -1:], 1.0 / np.where(lam > 0, lam, 1.0), 0.0)
    w: NDArray[Any] = np.einsum("tij,tj->ti", V, inv * c)
    return w


def _loss(
    w: NDArray[Any], s: NDArray[Any], A: NDArray[Any], power: NDArray[Any], opt: float
) -> NDArray[Any]:
    """SINR loss of a batch of weights for ``R = A diag(power) Aᴴ + I`` (no M×M products)."""
    num = np.abs(w.conj() @ s) ** 2
    den = np.sum(np.abs(w.conj() @ A) ** 2 * power, axis=-1) + np.sum(np.abs(w) ** 2, axis=-1)
    loss: NDArray[Any] = num / den / opt
    return loss


def _loading_losses(
    V: NDArray[Any],
    mu: NDArray[Any],
    s: NDArray[Any],
    A: NDArray[Any],
    power: NDArray[Any],
    levels: NDArray[Any],
    opt: float,
) -> NDArray[Any]:
    """SINR loss of ``(S + δI)⁻¹ s`` for every level ``δ``, from the eigenpairs of ``S``.

    ``V`` (t, M, r) holds the eigenvectors of the ``r`` nonzero eigenvalues ``mu``; on
    the complement ``S + δI`` acts as ``δ``, so with ``c = Vᴴ s`` and
    ``s⊥ = s − V c``: ``w = V (c/(μ+δ)) + s⊥/δ``.  Returns (t, L).
    """
    Vh = V.conj().transpose(0, 2, 1)
    c = Vh @ s  # (t, r)
    d = Vh @ A  # (t, r, K)
    a_s = A.conj().T @ s  # a_kᴴ s, (K,)
    perp2 = np.maximum(np.real(s.conj() @ s) - np.sum(np.abs(c) ** 2, axis=1), 0.0)  # ‖s⊥‖²
    inv = 1.0 / (mu[:, :, None] + levels[None, None, :])  # (t, r, L)
    u = c[:, :, None] * inv
    num = np.sum(np.abs(c[:, :, None]) ** 2 * inv, axis=1) + perp2[:, None] / levels
    # a_kᴴ w = Σ_r conj(d_rk) u_r + (a_kᴴ s − Σ_r conj(d_rk) c_r)/δ
    a_w = d.conj().transpose(0, 2, 1) @ u  # (t, K, L)
    a_perp = a_s[None, :] - np.einsum("trk,tr->tk", d.conj(), c)  # (t, K)
    a_w = a_w + a_perp[:, :, None] / levels
    den = np.sum(np.abs(a_w) ** 2 * power[None, :, None], axis=1)
    den += np.sum(np.abs(u) ** 2, axis=1) + perp2[:, None] / levels**2
    losses: NDArray[Any] = num**2 / den / opt
    return losses


def _plugin_rho(
    S: NDArray[Any], T: NDArray[Any], sum_norm4: NDArray[Any], sum_q: NDArray[Any], n: int
) -> NDArray[Any]:
    """The plug-in ρ of :func:`algdiv.estimation.symmetry_shrinkage` from running moments.

    ``Σ_k ‖P⊥(A_k) − P⊥(S)‖² = Σ_k ‖P⊥ A_k‖² − n ‖P⊥ S‖²`` with
    ``‖P⊥ A_k‖² = ‖x_k‖⁴ − ‖Φ(x_k x_kᴴ)‖²``, so nested snapshot sets need only the
    running sums ``Σ ‖x_k‖⁴`` and ``Σ ‖Φ(x_k x_kᴴ)‖²``.
    """
    norm_S = np.sum(np.abs(S) ** 2, axis=(1, 2))
    perp_S = norm_S - np.sum(np.abs(T) ** 2, axis=(1, 2))
    num = (sum_norm4 - sum_q - n * perp_S) / n**2
    ok = perp_S > 1e-12 * norm_S
    return np.where(ok, np.clip(num / np.where(ok, perp_S, 1.0), 0.0, 1.0), 1.0)


def _orbit_sum_operator(G: PermutationGroup) -> tuple[sparse.csr_array, NDArray[Any]]:
    labels = G.pair_orbits().ravel()
    m2 = labels.size
    op = sparse.csr_array((np.ones(m2), (np.arange(m2), labels)), shape=(m2, G.n_pair_orbits))
    return op, G.pair_orbit_sizes().astype(float)


def _summaries(losses: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any]]:
    """(dB of the mean, mean of the dB) over the last axis (trials)."""
    with np.errstate(divide="ignore"):
        return 10 * np.log10(np.mean(losses, axis=-1)), np.mean(10 * np.log10(losses), axis=-1)


def _curves(
    per_trial: dict[str, NDArray[Any]],
    level_losses: NDArray[Any],
    idx: NDArray[Any] | None,
    average: str,
) -> dict[str, dict[str, NDArray[Any]]]:
    """Mean curves (both conventions) and the oracle loading choice, for trials ``idx``."""
    sel = slice(None) if idx is None else idx
    out: dict[str, dict[str, NDArray[Any]]] = {"linear": {}, "db": {}}
    for key, arr in per_trial.items():
        lin, db = _summaries(arr[:, sel])
        out["linear"][key], out["db"][key] = lin, db
    lin, db = _summaries(level_losses[:, :, sel])  # (n, levels)
    for conv, tab in (("linear", lin), ("db", db)):
        best = np.argmax(np.where(np.isfinite(tab), tab, -np.inf), axis=1)
        out[conv]["loading"] = tab[np.arange(tab.shape[0]), best]
        out[conv]["_best"] = best
    return out


#: Trials per task (fixed, so that results do not depend on how the work is split).
_TRIALS_PER_CHUNK = 50


@dataclass(frozen=True)
class _Setup:
    """Everything a chunk of trials needs (picklable; sent once per task)."""

    M: int
    grid: NDArray[Any]
    levels: NDArray[Any]
    A: NDArray[Any]
    s: NDArray[Any]
    power: NDArray[Any]
    amp: NDArray[Any]
    opt: float
    G: PermutationGroup
    exch: NDArray[Any]
    orbit_sum: sparse.csr_array
    orbit_size: NDArray[Any]


_T = TypeVar("_T")


def _progress(items: list[_T], desc: str) -> Iterable[_T]:
    try:
        from tqdm.auto import tqdm
    except ImportError:  # optional dependency
        return items
    bar: Iterable[_T] = tqdm(items, desc=desc, unit="chunk")
    return bar


def _simulate_chunk(
    task: tuple[np.random.SeedSequence, int], setup: _Setup
) -> tuple[dict[str, NDArray[Any]], NDArray[Any], NDArray[Any]]:
    """Losses of ``t`` trials from their own seed: (per-estimator (n, t), loading (n, L, t), ρ)."""
    seed, trials = task
    M, grid, levels = setup.M, setup.grid, setup.levels
    A, s, power, amp, opt, G = setup.A, setup.s, setup.power, setup.amp, setup.opt, setup.G
    exch, orbit_sum, orbit_size = setup.exch, setup.orbit_sum, setup.orbit_size
    n_jam = A.shape[1]
    rng = np.random.default_rng(seed)
    data = np.empty((trials, int(grid[-1]), M), complex)  # nested snapshot sets
    sum_S = np.zeros((trials, M, M), complex)
    sum_norm4 = np.zeros(trials)  # Σ_k ‖x_k‖⁴ = Σ_k ‖x_k x_kᴴ‖²
    sum_q = np.zeros(trials)  # Σ_k ‖Φ(x_k x_kᴴ)‖²
    per_trial = {k: np.full((grid.size, trials), np.nan) for k in ESTIMATORS if k != "loading"}
    level_losses = np.full((grid.size, levels.size, trials), np.nan)
    rhos = np.zeros((grid.size, trials))
    done = 0
    for gi in range(grid.size):
        n = int(grid[gi])
        new = n - done
        beta = (rng.standard_normal((trials, new, n_jam)) + 1j * rng.standard_normal(
            (trials, new, n_jam))) * (amp / np.sqrt(2))
        noise = (rng.standard_normal((trials, new, M)) + 1j * rng.standard_normal(
            (trials, new, M))) / np.sqrt(2)
        x = beta @ A.T + noise  # (trials, new, M)
        data[:, done:n] = x
        done = n
        sum_S += np.einsum("tki,tkj->tij", x, x.conj())
        sum_norm4 += np.sum(np.sum(np.abs(x) ** 2, axis=-1) ** 2, axis=-1)
        outer = (x[..., :, None] * x[..., None, :].conj()).reshape(-1, M * M)
        sums = (outer @ orbit_sum).reshape(trials, new, -1)
        sum_q += np.sum(np.abs(sums) ** 2 / orbit_size, axis=(1, 2))

        S = sum_S / n
        S = (S + S.conj().transpose(0, 2, 1)) / 2
        T = project_unchecked(S, G)
        # Loading (and the sample covariance) from one eigendecomposition of S; below
        # n = M only its n nonzero eigenpairs, from the n×n Gram matrix of the snapshots.
        if n < M:
            Y = data[:, :n, :]
            mu, Q = np.linalg.eigh(Y.conj() @ Y.transpose(0, 2, 1) / n)
            mu = np.maximum(mu, np.finfo(float).tiny)
            V = (Y.transpose(0, 2, 1) @ Q) / np.sqrt(n * mu)[:, None, :]  # (t, M, n)
        else:
            mu, V = np.linalg.eigh(S)
        level_losses[gi] = _loading_losses(V, mu, s, A, power, levels, opt).T
        if n >= M:
            per_trial["sample"][gi] = _loss(_weights(S, s), s, A, power, opt)
        if 2 * n >= M:  # below, the forward-backward average has rank 2n < M
            fb = (S + S.conj()[:, exch[:, None], exch[None, :]]) / 2
            per_trial["forward_backward"][gi] = _loss(_weights(fb, s), s, A, power, opt)
        per_trial["group"][gi] = _loss(_weights(T, s), s, A, power, opt)
        rho = _plugin_rho(S, T, sum_norm4, sum_q, n)
        rhos[gi] = rho
        shrunk = rho[:, None, None] * T + (1 - rho)[:, None, None] * S
        per_trial["shrinkage"][gi] = _loss(_weights(shrunk, s), s, A, power, opt)
    return per_trial, level_losses, rhos


def adaptive_array(
    M: int = 16,
    J: int = 4,
    inr_db: float = 30.0,
    radius: float = 1.5,
    trials: int = 400,
    snapshots: Sequence[int] | None = None,
    seed: int | None = 0,
    rogue: tuple[float, float] | None = None,
    *,
    average: str = "linear",
    fb_exchange: str = "half_turn",
    loading_levels: ArrayLike | None = None,
    bootstrap: int = 200,
    progress: bool = False,
    client: Any = None,
    n_jobs: int | None = None,
) -> AdaptiveArrayResult:
    """Run the uniform-circular-array experiment (the published scenario).

    Parameters
    ----------
    M : int, default 16
        Sensors (even, a multiple of ``J``).
    J : int, default 4
        Equal-power jammers at azimuths ``2πk/J``.
    inr_db : float, default 30
        Interference-to-noise ratio of each jammer (noise power 1).
    radius : float, default 1.5
        Array radius in wavelengths.
    trials : int, default 400
        Monte Carlo trials (vectorized in chunks of 50; every ``n`` uses nested snapshot
        sets).  Chunk ``c`` draws from ``SeedSequence(seed).spawn(...)[c]``, so the
        result depends on ``seed`` and ``trials`` only, not on the engine or the number
        of workers.
    snapshots : sequence of int, optional
        Snapshot counts; default every ``n`` from 1 to ``M``, then steps of
        ``max(1, M//16)`` up to ``2.5 M``.
    seed : int or None, default 0
        Root of the per-chunk ``numpy.random.SeedSequence`` children.
    rogue : (azimuth, inr_db), optional
        An extra jammer off the ``D_J`` orbit (the mismatch regime).
    average : {"linear", "db"}, default "linear"
        How losses are averaged over trials (see the module docstring).
    fb_exchange : {"half_turn", "reflection"}, default "half_turn"
        The conjugate symmetry used by forward–backward: ``i → i + M/2``, for which
        ``a_{i+M/2}(φ) = conj(a_i(φ))`` holds for every direction (a property of the
        array), or ``i → −i``, for which ``conj(a_{−i}(φ)) = a_i(π − φ)``: exact here only
        because the jammer set (``J`` even) is symmetric under ``φ → π − φ``.
    loading_levels : array_like, optional
        Levels the loading oracle sweeps (noise-power units); default 41 values from
        0.01 to 1000 (8 per decade).
    bootstrap : int, default 200
        Bootstrap resamples of the trials for ``n_3db_se`` (0 to skip).
    progress : bool, default False
        Show a tqdm progress bar over the chunks of trials (serial runs only; silently
        none if tqdm is missing).
    client : dask.distributed.Client, "local" or None
        Spread the chunks of trials over a dask cluster (see :func:`algdiv.batch.map_problems`).
    n_jobs : int or None
        Without a client: joblib worker processes for the chunks (``None``: serial).
        Every engine gives bitwise the same result (BLAS on one thread per task).

    Returns
    -------
    AdaptiveArrayResult

    Examples
    --------
    >>> from algdiv.experiments import adaptive_array
    >>> res = adaptive_array(M=8, J=2, trials=30, snapshots=range(1, 25), bootstrap=0)
    >>> res.n_3db["group"] < res.n_3db["forward_backward"] < res.n_3db["sample"]
    True
    """
    M, J, trials = (as_int(v, k, minimum=1) for v, k in ((M, "M"), (J, "J"), (trials, "trials")))
    if M % 2 or M % J:
        raise ValueError(f"M must be even and a multiple of J, got M={M}, J={J}")
    if average not in ("linear", "db"):
        raise ValueError(f"average must be 'linear' or 'db', got {average!r}")
    if fb_exchange not in ("half_turn", "reflection"):
        raise ValueError(f"fb_exchange must be 'half_turn' or 'reflection', got {fb_exchange!r}")
    if not (np.isfinite(inr_db) and np.isfinite(radius) and radius > 0):
        raise ValueError(f"inr_db must be finite and radius positive, got {inr_db}, {radius}")
    grid = _default_grid(M) if snapshots is None else np.asarray(snapshots)
    if grid.ndim != 1 or grid.size == 0 or not np.issubdtype(grid.dtype, np.integer):
        raise ValueError(f"snapshots must be a non-empty 1-D sequence of ints, got {snapshots!r}")
    if np.any(grid < 1) or np.any(np.diff(grid) <= 0):
        raise ValueError("snapshots must be positive and strictly increasing")
    levels = _DEFAULT_LEVELS if loading_levels is None else np.asarray(loading_levels, float)
    if levels.ndim != 1 or levels.size == 0 or np.any(levels <= 0):
        raise ValueError("loading_levels must be a non-empty 1-D array of positive levels")

    if client is None:  # on a cluster the number of workers is the user's to judge
        check_seconds(adaptive_array_seconds(M, trials),
                      f"adaptive_array with M = {M} and {trials} trials", n_jobs or 1)

    az = 2 * np.pi * np.arange(J) / J
    inr = np.full(J, float(inr_db))
    if rogue is not None:
        if len(rogue) != 2:
            raise ValueError(f"rogue must be (azimuth, inr_db), got {rogue!r}")
        az = np.append(az, float(rogue[0]))
        inr = np.append(inr, float(rogue[1]))
    A = uca_steering(az, M, radius)
    R = interference_covariance(A, inr)
    s = uca_steering(0.3 * 2 * np.pi / J, M, radius)[:, 0]
    opt = float(np.real(s.conj() @ np.linalg.solve(R, s)))
    G = uca_dihedral_group(M, J)
    d_eff = effective_dimension(G)
    power = 10 ** (inr / 10)  # jammer powers (noise power 1)
    amp = np.sqrt(power)
    if fb_exchange == "half_turn":
        exch = (np.arange(M) + M // 2) % M
    else:
        exch = (-np.arange(M)) % M
    orbit_sum, orbit_size = _orbit_sum_operator(G)

    setup = _Setup(M=M, grid=grid, levels=levels, A=A, s=s, power=power, amp=amp, opt=opt,
                   G=G, exch=exch, orbit_sum=orbit_sum, orbit_size=orbit_size)
    # Fixed chunks of trials, each with its own child seed: the result does not depend on
    # the engine or the number of workers (only on seed and trials).
    sizes = [min(_TRIALS_PER_CHUNK, trials - a) for a in range(0, trials, _TRIALS_PER_CHUNK)]
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    tasks = list(zip(seeds, sizes))
    if progress and client is None and n_jobs in (None, 1):
        parts = []
        for task in _progress(tasks, f"adaptive array M={M}"):
            parts.extend(map_problems(_simulate_chunk, [task], setup))
    else:
        parts = map_problems(_simulate_chunk, tasks, setup, client=client, n_jobs=n_jobs)
    per_trial = {k: np.concatenate([p[0][k] for p in parts], axis=1) for k in parts[0][0]}
    level_losses = np.concatenate([p[1] for p in parts], axis=2)
    rho_mean = np.concatenate([p[2] for p in parts], axis=1).mean(axis=1)

    curves = _curves(per_trial, level_losses, None, average)
    other = "db" if average == "linear" else "linear"
    loss_db = {k: curves[average][k] for k in ESTIMATORS}
    alt_loss_db = {k: curves[other][k] for k in ESTIMATORS}
    n_3db = {k: crossing(grid, loss_db[k]) for k in ESTIMATORS}
    alt_n_3db = {k: crossing(grid, alt_loss_db[k]) for k in ESTIMATORS}
    se = {k: float("nan") for k in ESTIMATORS}
    if bootstrap:
        boot_rng = np.random.default_rng(None if seed is None else seed + 1)
        draws: dict[str, list[float]] = {k: [] for k in ESTIMATORS}
        for _ in range(int(bootstrap)):
            idx = boot_rng.integers(0, trials, trials)
            cb = _curves(per_trial, level_losses, idx, average)[average]
            for k in ESTIMATORS:
                draws[k].append(crossing(grid, cb[k]))
        se = {k: float(np.nanstd(v)) if np.any(np.isfinite(v)) else float("nan")
              for k, v in draws.items()}
    return AdaptiveArrayResult(
        M=M,
        J=J,
        inr_db=float(inr_db),
        radius=float(radius),
        trials=trials,
        seed=seed,
        rogue=None if rogue is None else (float(rogue[0]), float(rogue[1])),
        snapshots=grid.astype(int),
        loss_db=loss_db,
        n_3db=n_3db,
        n_3db_se=se,
        average=average,
        alt_loss_db=alt_loss_db,
        alt_n_3db=alt_n_3db,
        loading_level=levels[curves[average]["_best"]],
        shrinkage_mean=rho_mean,
        d_eff=float(d_eff),
        law=float(2 * M / d_eff),
        truth_residual=float(invariance_residual(R, G)),
        published=PUBLISHED.get((M, J)),
        fb_exchange=fb_exchange,
    )
