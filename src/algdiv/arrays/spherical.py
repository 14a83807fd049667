"""Spherical arrays: Platonic layouts, their rotation groups as permutations, open-sphere fields.

``icosahedron()`` (12 points) and ``dodecahedron()`` (20 points) are unit vectors in the
standard orientation (vertices ``(0, ±1, ±φ)`` and cyclic permutations; ``(±1, ±1, ±1)``,
``(0, ±φ, ±1/φ)`` and cyclic permutations, φ the golden ratio), which are dual: the 20
dodecahedron vertices point at the centres of the icosahedron's faces, so both are invariant
under the same rotation group, the icosahedral group ``I`` of order 60 (≅ A_5).  The
32-point layout ``icosahedron() ∪ dodecahedron()`` is the classic 32-microphone arrangement.

:func:`layout_group` turns rotation matrices that map a layout onto itself into a
:class:`~algdiv.groups.PermutationGroup` on the sensor indices (``p[i] = j`` when the rotation
takes sensor ``i`` to sensor ``j``), so that the group average, the commutant and the matched
transform of the permutation machinery apply; :func:`icosahedral_group` does this with the two
generators of :func:`icosahedral_rotations`.

Open-sphere model: a plane wave from the unit direction ``v`` reaches the sensor at ``r`` with
the phase ``exp(i k ⟨r, v⟩)`` (:func:`plane_wave_steering`); a diffuse field (uniform
directions, uncorrelated) has the covariance ``sinc(k |r_i − r_j|)`` with
``sinc(x) = sin(x)/x`` (:func:`diffuse_covariance`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, check_finite
from ..groups import PermutationGroup, from_generators

__all__ = [
    "icosahedron",
    "dodecahedron",
    "icosahedral_rotations",
    "layout_group",
    "icosahedral_group",
    "plane_wave_steering",
    "diffuse_covariance",
]

_PHI = (1.0 + np.sqrt(5.0)) / 2.0


def _cyclic_coordinates(base: NDArray[Any]) -> NDArray[Any]:
    """``base`` and its two cyclic coordinate permutations, all sign choices."""
    pts = []
    for shift in range(3):
        for b in base:
            pts.append(np.roll(b, shift))
    return np.array(pts)


def _signs(v: Sequence[float]) -> NDArray[Any]:
    out = []
    for sx in (1, -1):
        for sy in (1, -1):
            for sz in (1, -1):
                out.append([sx * v[0], sy * v[1], sz * v[2]])
    return np.unique(np.round(np.array(out, dtype=float), 12), axis=0)


def icosahedron() -> NDArray[Any]:
    """The 12 vertices of a regular icosahedron on the unit sphere.

    Returns
    -------
    ndarray, shape (12, 3)

    Examples
    --------
    >>> import numpy as np
    >>> P = icosahedron()
    >>> np.round(np.unique(np.round(P @ P.T, 6)), 4)   # the four angles: cos = -1, ±1/√5, 1
    array([-1.    , -0.4472,  0.4472,  1.    ])
    """
    return np.asarray(_cyclic_coordinates(_signs([0.0, 1.0, _PHI])) / np.sqrt(1.0 + _PHI**2))


def dodecahedron() -> NDArray[Any]:
    """The 20 vertices of a regular dodecahedron on the unit sphere (dual to :func:`icosahedron`).

    Returns
    -------
    ndarray, shape (20, 3)

    Examples
    --------
    >>> import numpy as np
    >>> Q = dodecahedron()
    >>> Q.shape, bool(np.allclose(np.linalg.norm(Q, axis=1), 1))
    ((20, 3), True)
    """
    cube = _signs([1.0, 1.0, 1.0])
    rest = _cyclic_coordinates(_signs([0.0, _PHI, 1.0 / _PHI]))
    return np.asarray(np.vstack([cube, rest]) / np.sqrt(3.0))


def _rotation(axis: NDArray[Any], angle: float) -> NDArray[Any]:
    a = axis / np.linalg.norm(axis)
    K = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.asarray(np.eye(3) + np.sin(angle) * K + (1 - np.cos(angle)) * (K @ K))


def icosahedral_rotations() -> list[NDArray[Any]]:
    """Two rotation matrices generating the icosahedral rotation group (order 60).

    A rotation by ``2π/5`` about the vertex axis ``(0, 1, φ)`` and the rotation by ``2π/3``
    about ``(1, 1, 1)`` (the cyclic permutation of the coordinates).

    Returns
    -------
    list of two ndarrays, shape (3, 3)
        Orthogonal, determinant +1.

    Examples
    --------
    >>> import numpy as np
    >>> a, b = icosahedral_rotations()
    >>> bool(np.allclose(np.linalg.matrix_power(a, 5), np.eye(3)))
    True
    >>> bool(np.allclose(b @ [1.0, 2.0, 3.0], [3.0, 1.0, 2.0]))
    True
    """
    five = _rotation(np.array([0.0, 1.0, _PHI]), 2 * np.pi / 5)
    three = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    return [five, three]


def layout_group(
    points: ArrayLike, rotations: Sequence[ArrayLike], *, tol: float = 1e-8
) -> PermutationGroup:
    """The permutation group that rotations (or any orthogonal maps) induce on a layout.

    Parameters
    ----------
    points : array_like, shape (M, 3)
        Sensor positions.
    rotations : sequence of array_like, shape (3, 3)
        Orthogonal matrices, each mapping the set of points onto itself.
    tol : float
        Distance (relative to the layout's radius) within which an image must meet a sensor.

    Returns
    -------
    PermutationGroup
        Generated by one permutation per matrix: ``p[i] = j`` when ``Q r_i = r_j``.

    Raises
    ------
    ValueError
        If a matrix is not orthogonal or maps a sensor off the layout.

    Examples
    --------
    The rotation by 90 degrees about z on the four points of a square:

    >>> import numpy as np
    >>> sq = np.array([[1.0, 0, 0], [0, 1, 0], [-1, 0, 0], [0, -1, 0]])
    >>> rot = np.array([[0.0, -1, 0], [1, 0, 0], [0, 0, 1]])
    >>> G = layout_group(sq, [rot])
    >>> G.order, G.generators[0].tolist()
    (4, [1, 2, 3, 0])
    """
    p = as_float_array(points, "points")
    if p.ndim != 2 or p.shape[1] != 3 or np.iscomplexobj(p):
        raise ValueError(f"points must be real with shape (M, 3), got {p.shape}")
    check_finite(p, "points")
    scale = max(float(np.max(np.linalg.norm(p, axis=1))), np.finfo(float).tiny)
    perms = []
    for idx, Q in enumerate(rotations):
        q = as_float_array(Q, f"rotations[{idx}]")
        if q.shape != (3, 3) or np.iscomplexobj(q) or not np.allclose(q @ q.T, np.eye(3), atol=1e-9):
            raise ValueError(f"rotations[{idx}] must be a real orthogonal 3x3 matrix")
        image = p @ q.T
        d = np.linalg.norm(image[:, None, :] - p[None, :, :], axis=-1)
        j = np.argmin(d, axis=1)
        miss = d[np.arange(p.shape[0]), j] > tol * scale
        if np.any(miss) or np.unique(j).size != p.shape[0]:
            i = int(np.argmax(miss)) if np.any(miss) else 0
            raise ValueError(
                f"rotations[{idx}] does not map the layout onto itself (sensor {i} goes "
                f"{float(d[i, j[i]]):.3g} away from the nearest sensor)"
            )
        perms.append(j)
    return from_generators(perms, degree=p.shape[0])


def icosahedral_group(points: ArrayLike | None = None) -> PermutationGroup:
    """The icosahedral rotation group (order 60) acting on a layout's sensors.

    Parameters
    ----------
    points : array_like, shape (M, 3), optional
        A layout invariant under :func:`icosahedral_rotations` (default: :func:`icosahedron`);
        e.g. ``np.vstack([icosahedron(), dodecahedron()])`` for 32 sensors.

    Returns
    -------
    PermutationGroup

    Examples
    --------
    >>> import numpy as np
    >>> G = icosahedral_group()
    >>> G.order, G.n_pair_orbits          # 4 pair orbits: the 4 angles of the icosahedron
    (60, 4)
    >>> G32 = icosahedral_group(np.vstack([icosahedron(), dodecahedron()]))
    >>> G32.order, G32.degree
    (60, 32)
    """
    p = icosahedron() if points is None else points
    return layout_group(p, icosahedral_rotations())


def plane_wave_steering(points: ArrayLike, directions: ArrayLike, k: float) -> NDArray[Any]:
    """Open-sphere (free-field) responses ``exp(i k ⟨r_m, v⟩)`` to plane waves.

    Parameters
    ----------
    points : array_like, shape (M, 3)
        Sensor positions (metres, or any unit consistent with ``k``).
    directions : array_like, shape (D, 3)
        Unit vectors pointing towards the sources (normalized here).
    k : float
        Wavenumber ``2π f / c``.

    Returns
    -------
    ndarray, shape (M, D)
        One steering vector per column.

    Examples
    --------
    >>> import numpy as np
    >>> A = plane_wave_steering([[0, 0, 0.5], [0, 0, -0.5]], [[0, 0, 1.0]], np.pi)
    >>> np.round(A[:, 0], 12)
    array([0.+1.j, 0.-1.j])
    """
    p = as_float_array(points, "points")
    v = as_float_array(directions, "directions")
    if v.ndim == 1:
        v = v[None, :]
    if p.ndim != 2 or p.shape[1] != 3 or v.ndim != 2 or v.shape[1] != 3:
        raise ValueError(
            f"points and directions must have shape (M, 3) and (D, 3), got {p.shape} and {v.shape}"
        )
    check_finite(p, "points")
    check_finite(v, "directions")
    norm = np.linalg.norm(v, axis=1, keepdims=True)
    if np.any(norm == 0):
        raise ValueError("directions must be non-zero vectors")
    if not np.isfinite(k):
        raise ValueError(f"k must be a finite wavenumber, got {k}")
    return np.asarray(np.exp(1j * k * (p @ (v / norm).T)))


def diffuse_covariance(points: ArrayLike, k: float) -> NDArray[Any]:
    """The covariance ``sin(k d_ij) / (k d_ij)`` of a diffuse field at open-sphere sensors.

    The average of ``a(v) a(v)ᴴ`` over directions ``v`` uniform on the sphere, with
    :func:`plane_wave_steering`'s ``a``; unit power per sensor.

    Parameters
    ----------
    points : array_like, shape (M, 3)
    k : float
        Wavenumber.

    Returns
    -------
    ndarray, shape (M, M)
        Real symmetric positive semi-definite, ones on the diagonal.

    Examples
    --------
    >>> import numpy as np
    >>> R = diffuse_covariance([[0, 0, 0], [0, 0, 1.0]], np.pi / 2)
    >>> np.round(R, 6)
    array([[1.     , 0.63662],
           [0.63662, 1.     ]])
    """
    p = as_float_array(points, "points")
    if p.ndim != 2 or p.shape[1] != 3:
        raise ValueError(f"points must have shape (M, 3), got {p.shape}")
    check_finite(p, "points")
    d = np.linalg.norm(p[:, None, :] - p[None, :, :], axis=-1)
    return np.asarray(np.sinc(k * d / np.pi))
