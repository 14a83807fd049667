"""3GPP TR 38.901 tapped-delay-line (TDL) power-delay profiles and symbol-spaced channels.

The five TDL models of 3GPP TR 38.901 (V16.1.0 / V19.2.0, section 7.7.2; the tables did not
change between these versions) typed in from:

* TDL-A: Table 7.7.2-1 (NLOS, 23 taps)
* TDL-B: Table 7.7.2-2 (NLOS, 23 taps)
* TDL-C: Table 7.7.2-3 (NLOS, 24 taps)
* TDL-D: Table 7.7.2-4 (LOS, 13 taps; the first tap is a LOS path of −0.2 dB plus a
  Rayleigh path of −13.5 dB at the same delay, K₁ = 13.3 dB)
* TDL-E: Table 7.7.2-5 (LOS, 14 taps; first tap −0.03 dB LOS plus −22.03 dB Rayleigh,
  K₁ = 22 dB)

Delays are normalized by the RMS delay spread ``DS`` (the actual delay of tap ``k`` is
``τ_k = τ_norm,k · DS``, TR 38.901 eq. 7.7-1), powers are in dB.  Each LOS profile lists its
zero-delay LOS path as a separate entry (``los_path``) before the Rayleigh entries, as the
tables do.  ``tests/test_arrays_tdl.py`` checks every number against the JSON copies shipped
in the ``sionna-no-rt`` 2.2.0 wheel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

__all__ = ["TDLProfile", "TDL_PROFILES", "tdl_profile", "tdl_channel"]


@dataclass(frozen=True)
class TDLProfile:
    """One TR 38.901 TDL power-delay profile.

    Attributes
    ----------
    name : str
        ``"TDL-A"`` … ``"TDL-E"``.
    table : str
        The TR 38.901 table it is typed from.
    delays : tuple of float
        Normalized delays ``τ_norm`` (multiply by the RMS delay spread), one per entry.
    powers_db : tuple of float
        Power of each entry in dB.
    los : bool
        Whether entry 0 is a deterministic line-of-sight path (the Rician first tap).
    """

    name: str
    table: str
    delays: tuple[float, ...]
    powers_db: tuple[float, ...]
    los: bool = False

    @property
    def k_factor_db(self) -> float | None:
        """Rician K-factor of the first tap in dB (LOS profiles), else ``None``."""
        if not self.los:
            return None
        return self.powers_db[0] - self.powers_db[1]

    @property
    def n_taps(self) -> int:
        """Number of taps as TR 38.901 counts them (the LOS and Rayleigh first entries are one tap)."""
        return len(self.delays) - int(self.los)


TDL_PROFILES: dict[str, TDLProfile] = {
    "TDL-A": TDLProfile(
        "TDL-A", "TR 38.901 Table 7.7.2-1",
        (0.0000, 0.3819, 0.4025, 0.5868, 0.4610, 0.5375, 0.6708, 0.5750, 0.7618, 1.5375, 1.8978,
         2.2242, 2.1718, 2.4942, 2.5119, 3.0582, 4.0810, 4.4579, 4.5695, 4.7966, 5.0066, 5.3043,
         9.6586),
        (-13.4, 0.0, -2.2, -4.0, -6.0, -8.2, -9.9, -10.5, -7.5, -15.9, -6.6, -16.7, -12.4, -15.2,
         -10.8, -11.3, -12.7, -16.2, -18.3, -18.9, -16.6, -19.9, -29.7),
    ),
    "TDL-B": TDLProfile(
        "TDL-B", "TR 38.901 Table 7.7.2-2",
        (0.0000, 0.1072, 0.2155, 0.2095, 0.2870, 0.2986, 0.3752, 0.5055, 0.3681, 0.3697, 0.5700,
         0.5283, 1.1021, 1.2756, 1.5474, 1.7842, 2.0169, 2.8294, 3.0219, 3.6187, 4.1067, 4.2790,
         4.7834),
        (0.0, -2.2, -4.0, -3.2, -9.8, -1.2, -3.4, -5.2, -7.6, -3.0, -8.9, -9.0, -4.8, -5.7, -7.5,
         -1.9, -7.6, -12.2, -9.8, -11.4, -14.9, -9.2, -11.3),
    ),
    "TDL-C": TDLProfile(
        "TDL-C", "TR 38.901 Table 7.7.2-3",
        (0.0, 0.2099, 0.2219, 0.2329, 0.2176, 0.6366, 0.6448, 0.6560, 0.6584, 0.7935, 0.8213,
         0.9336, 1.2285, 1.3083, 2.1704, 2.7105, 4.2589, 4.6003, 5.4902, 5.6077, 6.3065, 6.6374,
         7.0427, 8.6523),
        (-4.4, -1.2, -3.5, -5.2, -2.5, 0.0, -2.2, -3.9, -7.4, -7.1, -10.7, -11.1, -5.1, -6.8,
         -8.7, -13.2, -13.9, -13.9, -15.8, -17.1, -16.0, -15.7, -21.6, -22.8),
    ),
    "TDL-D": TDLProfile(
        "TDL-D", "TR 38.901 Table 7.7.2-4",
        (0.0, 0.0, 0.035, 0.612, 1.363, 1.405, 1.804, 2.596, 1.775, 4.042, 7.937, 9.424, 9.708,
         12.525),
        (-0.2, -13.5, -18.8, -21.0, -22.8, -17.9, -20.1, -21.9, -22.9, -27.8, -23.6, -24.8,
         -30.0, -27.7),
        los=True,
    ),
    "TDL-E": TDLProfile(
        "TDL-E", "TR 38.901 Table 7.7.2-5",
        (0.0, 0.0, 0.5133, 0.5440, 0.5630, 0.5440, 0.7112, 1.9092, 1.9293, 1.9589, 2.6426,
         3.7136, 5.4524, 12.0034, 20.6519),
        (-0.03, -22.03, -15.8, -18.1, -19.8, -22.9, -22.4, -18.6, -20.8, -22.6, -22.3, -25.6,
         -20.2, -29.8, -29.2),
        los=True,
    ),
}


def tdl_profile(name: str) -> TDLProfile:
    """The TR 38.901 profile called ``name`` (``"A"`` or ``"TDL-A"``, any case).

    Examples
    --------
    >>> p = tdl_profile("D")
    >>> p.name, p.table, p.n_taps, round(p.k_factor_db, 1)
    ('TDL-D', 'TR 38.901 Table 7.7.2-4', 13, 13.3)
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str such as 'TDL-A', got {type(name).__name__}")
    key = name.strip().upper()
    key = key if key.startswith("TDL-") else f"TDL-{key}"
    if key not in TDL_PROFILES:
        raise ValueError(f"name must be one of {sorted(TDL_PROFILES)}, got {name!r}")
    return TDL_PROFILES[key]


def tdl_channel(
    profile: TDLProfile | str,
    delay_spread: float,
    symbol_period: float,
    rng: np.random.Generator,
    *,
    n_realizations: int = 1,
    pre: int = 3,
    post: int = 3,
    normalize: bool = True,
) -> NDArray[Any]:
    """Symbol-spaced impulse responses of a block-fading TDL channel.

    Every entry ``k`` of the profile is a path of delay ``τ_k = τ_norm,k · DS`` and complex
    gain ``a_k``: ``CN(0, p_k)`` for the Rayleigh entries, ``√p_0 e^{jφ}`` with uniform
    ``φ`` for a LOS entry.  Sampling the band-limited (ideal low-pass, bandwidth ``1/T``)
    channel at the symbol rate gives

        h[n] = Σ_k a_k sinc(n − pre − τ_k / T),   n = 0 … pre + ⌈max τ / T⌉ + post,

    so the first path lands at index ``pre``.  Gains are drawn once per realization and held
    for the whole block (no Doppler).

    Parameters
    ----------
    profile : TDLProfile or str
    delay_spread : float
        RMS delay spread ``DS`` in seconds (TR 38.901 Table 7.7.3-1: e.g. 100 ns "nominal").
    symbol_period : float
        ``T`` in seconds.
    rng : numpy.random.Generator
    n_realizations : int, default 1
    pre, post : int, default 3
        Samples kept before the first and after the last path (sinc tails).
    normalize : bool, default True
        Scale each realization to unit energy ``Σ|h[n]|² = 1``.

    Returns
    -------
    ndarray, shape (n_realizations, n_samples), complex

    Examples
    --------
    >>> import numpy as np
    >>> h = tdl_channel("TDL-A", 100e-9, 200e-9, np.random.default_rng(0), n_realizations=2)
    >>> h.shape, np.allclose(np.sum(np.abs(h) ** 2, axis=1), 1.0)
    ((2, 12), True)
    """
    prof = tdl_profile(profile) if isinstance(profile, str) else profile
    if not isinstance(prof, TDLProfile):
        raise TypeError(f"profile must be a TDLProfile or a name, got {type(profile).__name__}")
    for nm, v in (("delay_spread", delay_spread), ("symbol_period", symbol_period)):
        if not (np.isfinite(v) and v > 0):
            raise ValueError(f"{nm} must be a positive number of seconds, got {v}")
    if int(n_realizations) != n_realizations or n_realizations < 1:
        raise ValueError(f"n_realizations must be a positive integer, got {n_realizations}")
    if min(pre, post) < 0:
        raise ValueError(f"pre and post must be >= 0, got pre={pre}, post={post}")
    tau = np.asarray(prof.delays) * delay_spread / symbol_period  # in symbols
    p = 10.0 ** (np.asarray(prof.powers_db) / 10.0)
    shape = (int(n_realizations), tau.size)
    gains = np.sqrt(p / 2) * (rng.standard_normal(shape) + 1j * rng.standard_normal(shape))
    if prof.los:
        gains[:, 0] = np.sqrt(p[0]) * np.exp(2j * np.pi * rng.random(shape[0]))
    n = np.arange(pre + int(np.ceil(tau.max())) + post + 1)
    h = gains @ np.sinc(n[None, :] - pre - tau[:, None])
    if normalize:
        h /= np.sqrt(np.sum(np.abs(h) ** 2, axis=1, keepdims=True))
    return cast("NDArray[Any]", h)
