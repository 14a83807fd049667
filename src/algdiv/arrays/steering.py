"""Steering vectors of uniform circular and linear arrays, and the symmetry groups they carry.

Conventions: angles first, then the number of sensors; the result always has one column
per direction, shape ``(M, K)``.  Positions are in wavelengths; a plane wave from
azimuth ``φ`` gives the sensor at ``p_i`` the phase ``exp(j 2π u(φ)·p_i)`` with
``u(φ) = (cos φ, sin φ)``.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..groups import PermutationGroup, dihedral, subgroup

__all__ = ["uca_steering", "ula_steering", "uca_dihedral_group", "interference_covariance"]


def _check_sensors(M: object) -> int:
    if isinstance(M, bool) or not isinstance(M, (int, np.integer)):
        raise TypeError(f"M must be an int, got {type(M).__name__}")
    if M < 1:
        raise ValueError(f"M must be at least 1, got {M}")
    return int(M)


def _directions(angles: ArrayLike, name: str) -> NDArray[Any]:
    phi = np.atleast_1d(np.asarray(angles, dtype=float))
    if phi.ndim != 1:
        raise ValueError(f"{name} must be a scalar or 1-D, got shape {phi.shape}")
    if not np.all(np.isfinite(phi)):
        raise ValueError(f"{name} must be finite")
    return phi


def uca_steering(azimuth: ArrayLike, M: int, radius: float = 1.5) -> NDArray[Any]:
    """Steering vectors of a uniform circular array: ``a_i(φ) = exp(j 2π r cos(φ − 2πi/M))``.

    Sensor ``i`` sits at angle ``2πi/M`` on a circle of radius ``r`` wavelengths.  The
    array has the dihedral symmetry of the circle: rotating the sensors by one step
    rotates the azimuth, ``a_{i+1}(φ) = a_i(φ − 2π/M)``; reflecting them mirrors it,
    ``a_{−i}(φ) = a_i(−φ)``; and for even ``M`` the half turn conjugates,
    ``a_{i+M/2}(φ) = conj(a_i(φ))``.

    Parameters
    ----------
    azimuth : float or array_like of float, shape (K,)
        Directions in radians.
    M : int
        Number of sensors.
    radius : float, default 1.5
        Radius in wavelengths.

    Returns
    -------
    ndarray, complex, shape (M, K)
        One steering vector per column (``K = 1`` for a scalar azimuth), unit-modulus
        entries.

    Examples
    --------
    >>> import numpy as np
    >>> a = uca_steering(0.4, 8)[:, 0]
    >>> bool(np.allclose(np.roll(a, -4), a.conj()))   # half turn = conjugation
    True
    >>> uca_steering([0.1, 0.2], 8).shape
    (8, 2)
    """
    m = _check_sensors(M)
    phi = _directions(azimuth, "azimuth")
    if not (np.isfinite(radius) and radius > 0):
        raise ValueError(f"radius must be a positive number of wavelengths, got {radius}")
    theta = 2 * np.pi * np.arange(m) / m
    return cast("NDArray[Any]", np.exp(2j * np.pi * radius * np.cos(theta[:, None] - phi[None, :])))


def ula_steering(angle: ArrayLike, M: int, spacing: float = 0.5) -> NDArray[Any]:
    """Steering vectors of a uniform linear array: ``a_m(θ) = exp(j 2π d m sin θ)``.

    Element ``m = 0..M−1`` sits at ``m·d`` (``d`` in wavelengths), ``θ`` is measured from
    broadside.  Reversal conjugates up to a unimodular factor,
    ``a_{M−1−m} = e^{j 2π d (M−1) sin θ} conj(a_m)``, so every source covariance
    ``a aᴴ`` is persymmetric: the forward-backward property.

    Returns
    -------
    ndarray, complex, shape (M, K)
        One column per angle (``K = 1`` for a scalar).

    Examples
    --------
    >>> import numpy as np
    >>> A = ula_steering(0.3, 5)
    >>> J = np.eye(5)[::-1]
    >>> R = A @ A.conj().T
    >>> bool(np.allclose(J @ R.conj() @ J, R))
    True
    """
    m = _check_sensors(M)
    th = _directions(angle, "angle")
    if not (np.isfinite(spacing) and spacing > 0):
        raise ValueError(f"spacing must be a positive number of wavelengths, got {spacing}")
    return cast("NDArray[Any]", np.exp(2j * np.pi * spacing * np.arange(m)[:, None] * np.sin(th)[None, :]))


def uca_dihedral_group(M: int, J: int) -> PermutationGroup:
    """``D_J`` acting on the ``M`` sensors of a UCA: rotation by ``M/J`` positions and ``i → −i``.

    The covariance of ``J`` equal-power sources at azimuths ``2πk/J`` (plus white noise)
    is invariant under exactly this group: the rotation permutes the sources and the
    reflection maps azimuth ``φ`` to ``−φ``.  It is a subgroup of ``dihedral(M)`` of
    order ``2J`` (``J`` for ``J = 1``).

    Examples
    --------
    >>> from algdiv import effective_dimension
    >>> [round(effective_dimension(uca_dihedral_group(16, J)), 2) for J in (2, 4, 8, 16)]
    [3.88, 7.53, 14.22, 28.44]
    """
    m = _check_sensors(M)
    j = _check_sensors(J)
    if m % j:
        raise ValueError(f"J must divide M, got M={m}, J={j}")
    i = np.arange(m)
    group = subgroup(dihedral(m), [(i + m // j) % m, (-i) % m])
    group._name = f"dihedral group D_{j} on the {m} sensors of a circular array"
    group._short = f"D_{j}"
    return group


def interference_covariance(
    steering: ArrayLike, inr_db: ArrayLike, noise_power: float = 1.0
) -> NDArray[Any]:
    """``R = Σ_k σ_k² a_k a_kᴴ + σ² I`` with ``σ_k² = σ² 10^(INR_k / 10)``.

    Parameters
    ----------
    steering : array_like, shape (M, K)
        One steering vector per column.
    inr_db : float or array_like, shape (K,)
        Interference-to-noise ratio of each source, in dB.
    noise_power : float, default 1.0

    Examples
    --------
    >>> import numpy as np
    >>> R = interference_covariance(uca_steering(0.0, 4), 10.0)
    >>> float(R[0, 0].real)
    11.0
    """
    A = np.asarray(steering)
    if A.ndim != 2:
        raise ValueError(f"steering must be (M, K), got shape {A.shape}")
    p = noise_power * 10 ** (np.broadcast_to(np.asarray(inr_db, float), (A.shape[1],)) / 10)
    return cast("NDArray[Any]", (A * p) @ A.conj().T + noise_power * np.eye(A.shape[0]))
