"""Massive-MIMO uplink channel estimation from a single pilot.

The base station has a uniform linear array of ``M`` antennas; one user sends one pilot
symbol per coherence block of ``τ_c`` symbols, and the base station sees

    y = √ρ h + n,      n ~ CN(0, I),   ρ = pilot SNR,

with ``h`` drawn from a clustered multipath model in the style of 3GPP TR 38.901: a few
clusters, each made of 20 rays at the fixed offsets of TR 38.901 Table 7.5-3 scaled by
the cluster angular spread, every ray with a fresh uniform phase in every coherence
block.  The long-term covariance is therefore exactly
``R = Σ_c Σ_l (p_c/L) a(φ_c + c_AS α_l) a(…)ᴴ``.

Estimators of ``h`` from one pilot (all return ``(n_blocks, M)`` arrays):

* least squares ``y / √ρ``;
* MMSE with the known covariance ``√ρ R (ρR + I)⁻¹ y`` (the best linear estimator; the
  best of all estimators when ``h`` is Gaussian);
* group averaged: the received covariance ``ρR + I`` is estimated from the one snapshot
  ``y`` by the group average ``Φ_G(y yᴴ)`` and plugged into the same Wiener filter, with
  the eigenvalues of the implied ``R̂`` clipped at zero.  For the cyclic group
  ``Φ_G(y yᴴ)`` is the circulant of the circular autocorrelation, whose eigenvectors are
  the DFT: the estimator keeps DFT bin ``k`` with gain ``max(1 − 1/|Y_k|², 0)``.

Figures of merit: the normalized mean-square error and the spectral efficiency of
maximum-ratio combining with the estimate, ``(1 − τ_p/τ_c) log₂(1 + SINR)``, where SINR
is the use-and-then-forget bound that treats the estimation error as noise
(Marzetta et al. 2016; Björnson, Hoydis & Sanguinetti 2017, Theorem 4.4):

    SINR = ρ |E[vᴴh]|² / (ρ Var[vᴴh] + E‖v‖²),   v = ĥ.

Downlink, where training grows with the array: :func:`training_snr_db` (τ_p ≥ M orthogonal
pilots), :func:`statistical_beamformer` (what one pilot's group average can deliver: a
covariance, hence the principal eigenvector as a statistical beam), and the rate bound of each,
:func:`downlink_se_trained` and :func:`downlink_se_statistical` (error as noise, Médard 2000).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, as_group, as_snapshots, as_square, check_finite
from ..commutant import project_unchecked
from ..groups import PermutationGroup, cyclic
from .steering import ula_steering

__all__ = [
    "TR38901_RAY_OFFSETS",
    "ClusteredChannel",
    "clustered_channel",
    "pilot_observation",
    "ls_estimate",
    "mmse_estimate",
    "wiener_estimate",
    "group_average_estimate",
    "nmse",
    "effective_throughput",
    "training_snr_db",
    "statistical_beamformer",
    "downlink_se_statistical",
    "downlink_se_trained",
]

#: Ray offset angles of 3GPP TR 38.901 Table 7.5-3 (20 rays, unit cluster spread).
TR38901_RAY_OFFSETS: NDArray[Any] = np.array(
    [0.0447, 0.1413, 0.2492, 0.3715, 0.5129, 0.6797, 0.8844, 1.1481, 1.5195, 2.1551]
)
TR38901_RAY_OFFSETS = np.concatenate([TR38901_RAY_OFFSETS, -TR38901_RAY_OFFSETS])


def _snr(snr_db: float) -> float:
    if not np.isfinite(snr_db):
        raise ValueError(f"snr_db must be finite, got {snr_db}")
    return float(10.0 ** (snr_db / 10.0))


@dataclass(frozen=True)
class ClusteredChannel:
    """A clustered multipath channel seen by a ULA base station (one user, one drop).

    Parameters
    ----------
    n_antennas : int
        ``M``, antennas of the ULA.
    cluster_angles : ndarray, shape (C,)
        Mean direction of each cluster, radians from broadside.
    cluster_powers : ndarray, shape (C,)
        Positive, summing to 1 (``E‖h‖² = M``).
    cluster_spread : float
        ``c_AS`` in radians: the ray offsets are ``c_AS · TR38901_RAY_OFFSETS``.
    spacing : float
        Element spacing in wavelengths.

    Examples
    --------
    >>> import numpy as np
    >>> ch = ClusteredChannel(8, np.array([0.2]), np.array([1.0]), np.deg2rad(2.0), 0.5)
    >>> R = ch.covariance()
    >>> bool(np.isclose(np.trace(R).real, 8.0)), R.shape
    (True, (8, 8))
    """

    n_antennas: int
    cluster_angles: NDArray[Any]
    cluster_powers: NDArray[Any]
    cluster_spread: float
    spacing: float = 0.5
    _rays: NDArray[Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        angles = np.asarray(self.cluster_angles, float).ravel()
        powers = np.asarray(self.cluster_powers, float).ravel()
        if angles.size == 0 or angles.shape != powers.shape:
            raise ValueError("cluster_angles and cluster_powers must be non-empty, equal length")
        if np.any(powers <= 0) or not np.isclose(powers.sum(), 1.0):
            raise ValueError("cluster_powers must be positive and sum to 1")
        if self.n_antennas < 2:
            raise ValueError(f"n_antennas must be at least 2, got {self.n_antennas}")
        if not (self.cluster_spread >= 0 and self.spacing > 0):
            raise ValueError("cluster_spread must be >= 0 and spacing > 0")
        # keep private read-only copies: the rays below must stay in step with them
        for name, arr in (("cluster_angles", angles.copy()), ("cluster_powers", powers.copy())):
            arr.flags.writeable = False
            object.__setattr__(self, name, arr)
        rays = angles[:, None] + self.cluster_spread * TR38901_RAY_OFFSETS[None, :]
        # steering of every ray, scaled by its amplitude sqrt(p_c / L): (M, C*L)
        amp = np.sqrt(np.repeat(powers, TR38901_RAY_OFFSETS.size) / TR38901_RAY_OFFSETS.size)
        object.__setattr__(self, "_rays", ula_steering(rays.ravel(), self.n_antennas, self.spacing) * amp)

    def covariance(self) -> NDArray[Any]:
        """The long-term covariance ``R = E[h hᴴ]`` (exact: rays have independent phases)."""
        return cast("NDArray[Any]", self._rays @ self._rays.conj().T)

    def sample(self, n_blocks: int, rng: np.random.Generator) -> NDArray[Any]:
        """``n_blocks`` channel realizations ``(n_blocks, M)``, fresh ray phases in each."""
        phases = np.exp(2j * np.pi * rng.random((n_blocks, self._rays.shape[1])))
        return cast("NDArray[Any]", phases @ self._rays.T)


def clustered_channel(
    n_antennas: int,
    rng: np.random.Generator,
    *,
    n_clusters: int = 6,
    cluster_spread_deg: float = 5.0,
    angle_spread_deg: float = 15.0,
    sector_deg: float = 60.0,
    power_decay: float = 0.5,
    shadowing_db: float = 3.0,
    spacing: float = 0.5,
) -> ClusteredChannel:
    """Draw one drop of a 3GPP-like clustered channel.

    The user's direction is uniform in ``±sector_deg``; cluster directions scatter around
    it with a Gaussian of standard deviation ``angle_spread_deg`` (clipped to ±85°);
    cluster powers decay as ``exp(−power_decay·c)`` with log-normal per-cluster
    shadowing of ``shadowing_db``; rays inside a cluster follow TR 38.901 Table 7.5-3
    scaled by ``cluster_spread_deg`` (5° is the BS-side ``c_ASD`` of the UMa scenario).

    Examples
    --------
    >>> import numpy as np
    >>> ch = clustered_channel(16, np.random.default_rng(0))
    >>> ch.cluster_angles.shape, round(float(ch.cluster_powers.sum()), 12)
    ((6,), 1.0)
    """
    if n_clusters < 1:
        raise ValueError(f"n_clusters must be at least 1, got {n_clusters}")
    centre = rng.uniform(-sector_deg, sector_deg)
    angles = np.clip(centre + angle_spread_deg * rng.standard_normal(n_clusters), -85.0, 85.0)
    powers = np.exp(-power_decay * np.arange(n_clusters)) * 10 ** (
        -shadowing_db * rng.standard_normal(n_clusters) / 10
    )
    return ClusteredChannel(
        n_antennas,
        np.deg2rad(angles),
        powers / powers.sum(),
        float(np.deg2rad(cluster_spread_deg)),
        spacing,
    )


def pilot_observation(H: ArrayLike, snr_db: float, rng: np.random.Generator) -> NDArray[Any]:
    """``Y = √ρ H + N`` with unit-variance circular complex Gaussian noise.

    Examples
    --------
    >>> import numpy as np
    >>> Y = pilot_observation(np.ones((2, 4)), 20.0, np.random.default_rng(1))
    >>> Y.shape
    (2, 4)
    """
    h = as_snapshots(H, "H")
    noise = (rng.standard_normal(h.shape) + 1j * rng.standard_normal(h.shape)) / np.sqrt(2)
    return cast("NDArray[Any]", np.sqrt(_snr(snr_db)) * h + noise)


def ls_estimate(Y: ArrayLike, snr_db: float) -> NDArray[Any]:
    """Least squares from one pilot: ``ĥ = y / √ρ``.

    Examples
    --------
    >>> ls_estimate([[2.0, 4.0]], 0.0)   # ρ = 1
    array([[2., 4.]])
    """
    y = as_snapshots(Y, "Y")
    return cast("NDArray[Any]", y / np.sqrt(_snr(snr_db)))


def wiener_estimate(Y: ArrayLike, Ry: ArrayLike, snr_db: float) -> NDArray[Any]:
    """LMMSE from an estimate of the received covariance ``ρR + I``.

    With ``Ry = V diag(λ) Vᴴ`` the implied channel covariance is
    ``R̂ = V diag(max(λ − 1, 0)) Vᴴ / ρ`` and ``ĥ = √ρ R̂ (ρR̂ + I)⁻¹ y =
    V diag(max(1 − 1/λ, 0)) Vᴴ y / √ρ``.

    Parameters
    ----------
    Y : array_like, shape (n_blocks, M)
        Received pilots.
    Ry : array_like, shape (M, M) or (n_blocks, M, M)
        Hermitian estimate(s) of ``E[y yᴴ]``: one for all blocks or one per block.
    snr_db : float
        Pilot SNR ``ρ`` in dB.

    Examples
    --------
    With the exact received covariance this is the MMSE estimate:

    >>> import numpy as np
    >>> R = np.array([[2.0, 1.0], [1.0, 2.0]]); y = np.array([[1.0, 0.5]])
    >>> np.allclose(wiener_estimate(y, 10 * R + np.eye(2), 10.0), mmse_estimate(y, R, 10.0))
    True
    """
    y = as_snapshots(Y, "Y")
    ry = as_square(Ry, "Ry", batch=True, size=y.shape[1])
    if ry.ndim == 3 and ry.shape[0] != y.shape[0]:
        raise ValueError(f"Ry holds {ry.shape[0]} matrices for {y.shape[0]} pilots")
    lam, vecs = np.linalg.eigh((ry + np.conj(np.swapaxes(ry, -1, -2))) / 2)
    gain = np.clip(1.0 - 1.0 / np.maximum(lam, np.finfo(float).tiny), 0.0, None)
    coef = np.einsum("...ji,...j->...i", vecs.conj(), y)  # Vᴴ y per block
    return cast("NDArray[Any]", np.einsum("...ij,...j->...i", vecs, gain * coef) / np.sqrt(_snr(snr_db)))


def mmse_estimate(Y: ArrayLike, R: ArrayLike, snr_db: float) -> NDArray[Any]:
    """MMSE with the known channel covariance: ``ĥ = √ρ R (ρR + I)⁻¹ y``.

    Examples
    --------
    >>> import numpy as np
    >>> mmse_estimate([[1.0, 1.0]], np.eye(2), 0.0)   # ρ = 1: ĥ = y / 2
    array([[0.5, 0.5]])
    """
    y = as_snapshots(Y, "Y")
    r = as_square(R, "R", size=y.shape[1])
    rho = _snr(snr_db)
    w = np.sqrt(rho) * np.linalg.solve(rho * r + np.eye(r.shape[0]), r.conj().T).conj().T
    return cast("NDArray[Any]", y @ w.T)


def group_average_estimate(
    Y: ArrayLike, snr_db: float, group: PermutationGroup | str | None = None
) -> NDArray[Any]:
    """LMMSE with the covariance estimated from each single pilot by a group average.

    ``Ry`` for block ``k`` is ``Φ_G(y_k y_kᴴ)`` (no other block is used), then
    :func:`wiener_estimate`.

    Parameters
    ----------
    Y : array_like, shape (n_blocks, M)
    snr_db : float
    group : PermutationGroup or str, optional
        Default: the cyclic group ``Z_M`` (circulant averaging; DFT eigenvectors).

    Examples
    --------
    A channel along one DFT beam is recovered from one noisy pilot almost exactly:

    >>> import numpy as np
    >>> h = np.sqrt(8) * np.exp(2j * np.pi * 2 * np.arange(8) / 8)
    >>> y = np.sqrt(100.0) * h + 0.1 * np.random.default_rng(0).standard_normal(8)
    >>> h_hat = group_average_estimate(y[None, :], 20.0)
    >>> float(nmse(h_hat, h[None, :])) < 1e-3
    True
    """
    y = as_snapshots(Y, "Y")
    G = cyclic(y.shape[1]) if group is None else as_group(group, "group", degree=y.shape[1])
    if G.construction == ("cyclic", y.shape[1]):
        # Φ_{Z_M}(y yᴴ) is circulant with eigenvalues |DFT(y)_k|² (unitary DFT): the
        # Wiener filter is a gain per DFT bin, O(M log M) instead of an eigendecomposition.
        spec = np.fft.fft(y, axis=1, norm="ortho")
        power = np.maximum(np.abs(spec) ** 2, np.finfo(float).tiny)
        gain = np.clip(1.0 - 1.0 / power, 0.0, None)
        return cast("NDArray[Any]", np.fft.ifft(gain * spec, axis=1, norm="ortho") / np.sqrt(_snr(snr_db)))
    outer = y[:, :, None] * y[:, None, :].conj()
    return wiener_estimate(y, project_unchecked(outer, G), snr_db)


def nmse(H_hat: ArrayLike, H: ArrayLike) -> float:
    """Normalized mean-square error ``Σ‖ĥ − h‖² / Σ‖h‖²`` over all blocks.

    Examples
    --------
    >>> nmse([[1.0, 0.0]], [[1.0, 1.0]])
    0.5
    """
    hh = as_float_array(H_hat, "H_hat")
    h = as_float_array(H, "H")
    if hh.shape != h.shape:
        raise ValueError(f"H_hat has shape {hh.shape} but H has shape {h.shape}")
    check_finite(hh, "H_hat")
    check_finite(h, "H")
    return float(np.sum(np.abs(hh - h) ** 2) / np.sum(np.abs(h) ** 2))


def effective_throughput(
    H_hat: ArrayLike,
    H: ArrayLike,
    snr_db: float,
    *,
    tau_p: int = 1,
    tau_c: int = 200,
    bound: str = "uatf",
) -> float:
    """Spectral efficiency of maximum-ratio combining with the estimates (bit/s/Hz).

    ``bound="uatf"`` (default): ``(1 − τ_p/τ_c) log₂(1 + SINR)`` with the
    use-and-then-forget bound ``SINR = ρ|E[vᴴh]|² / (ρ Var[vᴴh] + E‖v‖²)``, ``v = ĥ``,
    the expectations taken as means over the blocks (rows).  It is a capacity lower
    bound valid for any estimator: the receiver knows only the mean effective gain, and
    the estimation error (and the gain's fluctuation) act as noise.

    ``bound="coherent"``: ``(1 − τ_p/τ_c) · mean_k log₂(1 + ρ|ĥ_kᴴh_k|²/‖ĥ_k‖²)``, the
    rate when the receiver also knows each block's effective scalar gain ``vᴴh``; the
    estimation error then costs only through the misalignment of ``ĥ`` with ``h``.

    The data SNR equals the pilot SNR ``snr_db``.

    Examples
    --------
    With a perfect and constant channel the bound is the Shannon rate of ``ρ‖h‖²``:

    >>> import numpy as np
    >>> h = np.ones((4, 2))
    >>> float(effective_throughput(h, h, 0.0, tau_p=0, tau_c=1)) == float(np.log2(1 + 2))
    True
    """
    hh = as_float_array(H_hat, "H_hat")
    h = as_float_array(H, "H")
    if hh.ndim != 2 or hh.shape != h.shape:
        raise ValueError(f"H_hat and H must both be (n_blocks, M), got {hh.shape} and {h.shape}")
    if not 0 <= tau_p < tau_c:
        raise ValueError(f"need 0 <= tau_p < tau_c, got tau_p={tau_p}, tau_c={tau_c}")
    check_finite(hh, "H_hat")
    check_finite(h, "H")
    if bound not in ("uatf", "coherent"):
        raise ValueError(f"bound must be 'uatf' or 'coherent', got {bound!r}")
    rho = _snr(snr_db)
    g = np.sum(hh.conj() * h, axis=1)  # vᴴh per block
    if bound == "coherent":
        norm2 = np.maximum(np.sum(np.abs(hh) ** 2, axis=1), np.finfo(float).tiny)
        return float((1 - tau_p / tau_c) * np.mean(np.log2(1 + rho * np.abs(g) ** 2 / norm2)))
    mean_g = g.mean()
    var_g = np.mean(np.abs(g - mean_g) ** 2)
    norm_v = np.mean(np.sum(np.abs(hh) ** 2, axis=1))
    sinr = rho * np.abs(mean_g) ** 2 / (rho * var_g + norm_v)
    return float((1 - tau_p / tau_c) * np.log2(1 + sinr))


# --------------------------------------------------------------------------------------
# Downlink: training overhead against a statistical beamformer from one pilot
# --------------------------------------------------------------------------------------


def training_snr_db(snr_db: float, tau_p: int, n_antennas: int) -> float:
    """Per-coefficient SNR of downlink training with ``τ_p ≥ M`` orthogonal pilots.

    The base station sends a pilot matrix ``√(ρτ_p/M) U``, ``U`` (M × τ_p) with orthonormal
    rows, at total power ρ per symbol; the user despreads with ``Uᴴ`` and sees every
    channel coefficient as ``√(ρτ_p/M) h_i + n_i`` (unit noise): the single-pilot model of
    :func:`pilot_observation` at SNR ``ρ τ_p / M``.  With ``τ_p = M`` that is ``ρ`` itself.

    Examples
    --------
    >>> training_snr_db(10.0, 64, 64), round(training_snr_db(10.0, 128, 64), 4)
    (10.0, 13.0103)
    """
    _snr(snr_db)
    if int(n_antennas) != n_antennas or n_antennas < 1:
        raise ValueError(f"n_antennas must be a positive integer, got {n_antennas}")
    if int(tau_p) != tau_p or tau_p < n_antennas:
        raise ValueError(f"tau_p must be an integer >= n_antennas={n_antennas} "
                         f"(orthogonal pilots), got {tau_p}")
    return float(snr_db + 10 * np.log10(tau_p / n_antennas))


def statistical_beamformer(
    Y: ArrayLike, group: PermutationGroup | str | None = None
) -> NDArray[Any]:
    """Unit-norm principal eigenvector of ``Φ_G(y yᴴ)`` for every pilot ``y`` (row of ``Y``).

    One pilot cannot identify an instantaneous M-dimensional channel; what its group average
    delivers is a covariance estimate, hence a *statistical* beamformer ``v`` (the direction
    of most average power).  For the cyclic group ``Φ_G(y yᴴ)`` is circulant and ``v`` is the
    DFT beam ``f_k``, ``k = argmax |(Fy)_k|``; for the trivial group ``v = y / ‖y‖``.

    Parameters
    ----------
    Y : array_like, shape (n_blocks, M)
    group : PermutationGroup or str, optional
        Default: the cyclic group ``Z_M``.

    Returns
    -------
    ndarray, shape (n_blocks, M)

    Examples
    --------
    >>> import numpy as np
    >>> f3 = np.exp(2j * np.pi * 3 * np.arange(8) / 8) / np.sqrt(8)
    >>> v = statistical_beamformer((5 * f3 + 0.1)[None, :])
    >>> bool(np.isclose(abs(np.vdot(v[0], f3)), 1.0))
    True
    """
    y = as_snapshots(Y, "Y")
    M = y.shape[1]
    G = cyclic(M) if group is None else as_group(group, "group", degree=M)
    if G.construction == ("cyclic", M):
        k = np.argmax(np.abs(np.fft.fft(y, axis=1)), axis=1)
        return cast("NDArray[Any]", np.exp(2j * np.pi * np.outer(k, np.arange(M)) / M) / np.sqrt(M))
    if G.order == 1:
        nrm = np.maximum(np.linalg.norm(y, axis=1, keepdims=True), np.finfo(float).tiny)
        return cast("NDArray[Any]", y / nrm)
    outer = y[:, :, None] * y[:, None, :].conj()
    _, vecs = np.linalg.eigh(project_unchecked(outer, G))
    return vecs[:, :, -1]


def _check_blocks(H: ArrayLike, V: ArrayLike, R: ArrayLike) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    h = as_snapshots(H, "H")
    v = as_snapshots(V, "V")
    if v.shape != h.shape:
        raise ValueError(f"V must have the shape of H {h.shape}, got {v.shape}")
    r = as_square(R, "R", size=h.shape[1])
    return h, v, r


def downlink_se_statistical(
    H: ArrayLike, V: ArrayLike, R: ArrayLike, snr_db: float, rng: np.random.Generator
) -> NDArray[Any]:
    """Per-block spectral efficiency of a beamformer chosen without the block's channel.

    The beamformer ``v`` (unit norm, independent of the block's channel ``h``) is applied
    to data at total power ρ; the effective gain is ``g = vᴴh``.  One beamformed pilot
    ``z = √ρ g + n`` lets the user form the LMMSE estimate ``ĝ = √ρ β z / (ρβ + 1)`` with
    ``β = vᴴ R v`` (long-term, known) and error variance ``σ² = β / (1 + ρβ)``; treating the
    error as noise gives the bound (Médard 2000; exact as a lower bound when ``h`` is
    Gaussian, so that the error is independent of ``ĝ``)

        SE_k = log₂(1 + ρ|ĝ_k|² / (ρσ² + 1)),

    returned per block, *before* the pilot-overhead factor ``(1 − τ_p/τ_c)`` (the caller
    charges the pilot, with ``τ_p`` ≥ 1).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> ch = ClusteredChannel(8, np.array([0.3]), np.array([1.0]), np.deg2rad(2.0))
    >>> R = ch.covariance(); v = np.linalg.eigh(R)[1][:, -1]
    >>> H = ch.sample(2000, rng)
    >>> se = downlink_se_statistical(H, np.tile(v, (2000, 1)), R, 10.0, rng)
    >>> coherent = np.log2(1 + 10 * np.abs(H @ v.conj()) ** 2)
    >>> bool(se.mean() < coherent.mean())
    True
    """
    h, v, r = _check_blocks(H, V, R)
    rho = _snr(snr_db)
    g = np.sum(v.conj() * h, axis=1)
    beta = np.einsum("ki,ij,kj->k", v.conj(), r, v).real
    n = (rng.standard_normal(g.shape) + 1j * rng.standard_normal(g.shape)) / np.sqrt(2)
    z = np.sqrt(rho) * g + n
    g_hat = np.sqrt(rho) * beta * z / (rho * beta + 1)
    err = beta / (1 + rho * beta)
    return cast("NDArray[Any]", np.log2(1 + rho * np.abs(g_hat) ** 2 / (rho * err + 1)))


def downlink_se_trained(
    H: ArrayLike, V: ArrayLike, Y_train: ArrayLike, R: ArrayLike, train_snr_db: float, snr_db: float
) -> NDArray[Any]:
    """Per-block spectral efficiency of a beamformer built from downlink training.

    The user has the despread training observation ``y = √ρ_t h + n`` of every coefficient
    (:func:`training_snr_db`), the base station applies ``v`` (unit norm, a function of
    ``y``, e.g. ``ĥ/‖ĥ‖`` with ``ĥ`` the LS or MMSE estimate; feedback assumed perfect and
    free, which favours training).  Given ``y``, ``h`` is Gaussian with mean
    ``ĥ_MMSE = √ρ_t R(ρ_t R + I)⁻¹ y`` and covariance ``C = R − ρ_t R(ρ_t R + I)⁻¹R``, so the
    effective gain ``g = vᴴh`` has conditional mean ``vᴴĥ_MMSE`` and variance ``vᴴCv``; treating
    the conditional error as noise (Médard 2000) gives

        SE_k = log₂(1 + ρ|vᴴĥ_MMSE,k|² / (ρ vᴴCv + 1)),

    per block, before the overhead factor ``(1 − τ_p/τ_c)``.

    Examples
    --------
    Perfect training gives the coherent rate ``log₂(1 + ρ‖h‖²)`` of maximum-ratio transmission:

    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> ch = ClusteredChannel(4, np.array([0.1]), np.array([1.0]), np.deg2rad(5.0))
    >>> H = ch.sample(3, rng); R = ch.covariance()
    >>> V = H / np.linalg.norm(H, axis=1, keepdims=True)
    >>> se = downlink_se_trained(H, V, 1e6 * H, R, 120.0, 0.0)
    >>> np.allclose(se, np.log2(1 + np.sum(np.abs(H) ** 2, axis=1)), rtol=1e-6)
    True
    """
    h, v, r = _check_blocks(H, V, R)
    y = as_snapshots(Y_train, "Y_train")
    if y.shape != h.shape:
        raise ValueError(f"Y_train must have the shape of H {h.shape}, got {y.shape}")
    rho, rho_t = _snr(snr_db), _snr(train_snr_db)
    M = h.shape[1]
    # W = √ρ_t R (ρ_t R + I)⁻¹ (R Hermitian): ĥ = y Wᵀ, C = R − √ρ_t W R
    A = rho_t * r + np.eye(M)
    W = np.sqrt(rho_t) * np.linalg.solve(A.conj().T, r.conj().T).conj().T
    C = r - np.sqrt(rho_t) * W @ r
    h_mmse = y @ W.T
    mean_g = np.sum(v.conj() * h_mmse, axis=1)
    var_g = np.einsum("ki,ij,kj->k", v.conj(), C, v).real
    return cast("NDArray[Any]", np.log2(1 + rho * np.abs(mean_g) ** 2 / (rho * np.maximum(var_g, 0) + 1)))
