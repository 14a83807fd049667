"""The transform manifold: geodesics between matched transforms and selection by relaxation.

Every orthonormal basis of ``ℂ^M`` is a point of the unitary group ``U(M)`` (of the
orthogonal group ``O(M)`` for real bases), and the classical transforms (DFT, DCT, WHT,
Haar, KLT) are particular points.  This module joins two bases by the shortest path on
that manifold, measures how well each point along it codes a covariance, and chooses a
point from data.

Aligned bases
-------------
A basis is a set of columns: its order and the phase (sign, for real bases) of each
column are arbitrary, and two bases that differ only by them should be at distance 0.
``V`` is *aligned* to ``U`` when its columns are permuted and re-phased so that the
relative rotation ``W = Uᴴ V`` is as close to the identity as those choices allow:

* order: the permutation ``π`` maximizes ``Σ_i |⟨u_i, v_π(i)⟩|`` (an assignment problem,
  :func:`scipy.optimize.linear_sum_assignment`);
* phases: column ``i`` is multiplied by ``conj(w) / |w|`` with ``w = ⟨u_i, v_π(i)⟩``, which
  makes the diagonal of ``W`` real and non-negative.

Together these minimize ``‖Uᴴ V D Π − I‖_F² = 2M − 2 Re tr(Uᴴ V D Π)`` over all column
permutations ``Π`` and diagonal unitary ``D`` (for a unitary ``W``, the distance to ``I``
is decided by the real part of the trace alone).  For real bases one more condition is
needed: a geodesic of ``O(M)`` exists only inside one connected component, so when
``det(Uᵀ V) = −1`` after the signs are fixed, the sign of the column with the smallest
``|⟨u_i, v_π(i)⟩|`` is flipped (the cheapest change that makes ``det = +1``).

Geodesics
---------
With ``W = Uᴴ V`` (aligned), the geodesic of the bi-invariant metric is
``U(t) = U expm(t logm W)``, ``U(0) = U``, ``U(1) = V``; every ``U(t)`` is unitary.
``logm`` is taken from the Schur form of ``W`` (a normal matrix, so its Schur form is
diagonal): ``W = Q diag(e^{iθ_j}) Qᴴ`` with ``θ_j ∈ (−π, π]`` (the principal branch; an
eigenvalue exactly at ``−1`` has two logarithms ``±iπ`` of the same length, and ``+iπ``
is used).  Real ``W ∈ SO(M)`` use the real Schur form instead, ``W = Z T Zᵀ`` with ``T``
made of ``2 × 2`` rotations by ``θ_k`` and ``±1`` entries; the ``−1`` entries come in
pairs (``det W = 1``) and each pair is a rotation by ``π``, so the path stays real.
The length of the path is ``‖logm W‖_F``.

Objectives along a path
-----------------------
With the coefficient variances ``σ_i² = (Uᴴ R U)_ii``:

* coding gain ``G(U) = (1/M Σ σ_i²) / (Π σ_i²)^{1/M}`` (arithmetic over geometric mean);
  the numerator is ``tr R / M`` for every basis and Hadamard's inequality gives
  ``Π σ_i² ≥ det R``, so the KLT (eigenvectors of ``R``) attains the maximum
  ``G = mean(λ) / geomean(λ)``;
* off-diagonal energy ``‖Uᴴ R U − diag‖_F² / ‖R‖_F²`` (0 exactly when ``U`` diagonalizes);
* capacity ``κ(U) = −log₂ Σ p_i²``, ``p_i = σ_i² / Σ σ²``: the structural capacity of the
  coefficient energies.  Schur–Horn (the diagonal is majorized by the eigenvalues) and the
  Schur concavity of Rényi entropy give ``κ(U) ≥ κ(R)``, with equality at the KLT.

Selection by relaxation
-----------------------
:class:`RelaxedTransform` starts at a group-matched basis (fixed before the data, so it
does not overfit) and moves along the geodesic toward the sample KLT (which fits the
training data best and generalizes worst at small ``n``), as far as the held-out coding
gain on blocked training folds supports (hv-block folds: for rows that are overlapping
windows of one signal, the rows that share samples with a held-out block are left out of
its training rows).

Examples
--------
>>> import numpy as np
>>> from algdiv.transforms import dct, dft, basis_geodesic
>>> U, V = dct(8).matrix, np.linalg.qr(np.random.default_rng(0).standard_normal((8, 8)))[0]
>>> P = basis_geodesic(U, V, 0.5)
>>> np.allclose(P.T @ P, np.eye(8))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import linalg

from .._validation import as_snapshots, as_square, check_hermitian
from ._transform import Transform
from .algebra import CommutantAlgebra
from .folds import FOLD_KINDS, dihedral_fold
from .generic import refine
from .matched import matched_transform

__all__ = [
    "Alignment",
    "align_bases",
    "BasisGeodesic",
    "basis_geodesic",
    "basis_distance",
    "coding_gain",
    "off_diagonal_energy",
    "basis_capacity",
    "objectives_along",
    "RelaxedTransform",
]

#: A basis is accepted as unitary when ``‖UᴴU − I‖_F ≤ _UNITARY_TOL · √M``.
_UNITARY_TOL = 1e-6


# -- validation -----------------------------------------------------------------------
def _as_basis(U: Any, name: str, size: int | None = None) -> NDArray[Any]:
    """A unitary (orthogonal) ``M × M`` matrix from an array or a :class:`Transform`."""
    u = np.asarray(U.matrix) if isinstance(U, Transform) else as_square(U, name)
    m = u.shape[0]
    if size is not None and m != size:
        raise ValueError(f"{name} must be {size}x{size} (the size of U), got {m}x{m}")
    err = float(np.linalg.norm(u.conj().T @ u - np.eye(m)))
    if err > _UNITARY_TOL * np.sqrt(m):
        raise ValueError(
            f"{name} must be unitary (orthogonal for real data), i.e. its columns an "
            f"orthonormal basis: ‖{name}ᴴ{name} − I‖_F is {err:.3g}"
        )
    return u


def _is_real(*arrays: NDArray[Any]) -> bool:
    return all(not np.iscomplexobj(a) or not np.any(a.imag) for a in arrays)


def _as_covariance(R: ArrayLike, size: int) -> NDArray[Any]:
    r = as_square(R, "R")
    if r.shape[0] != size:
        raise ValueError(f"R is {r.shape[0]}x{r.shape[0]} but the basis U has {size} columns")
    check_hermitian(r, "R")
    return r


# -- alignment ------------------------------------------------------------------------
@dataclass(frozen=True)
class Alignment:
    """``V`` re-ordered and re-phased to lie as close to ``U`` as its columns allow.

    ``basis[:, j] = phases[j] * V[:, permutation[j]]``; ``residual`` is
    ``‖Uᴴ basis − I‖_F`` (0 when the two bases are the same set of lines).

    Examples
    --------
    >>> import numpy as np
    >>> a = align_bases(np.eye(2), np.array([[0.0, 1.0], [-1.0, 0.0]]))
    >>> a.permutation, a.phases, a.residual
    (array([1, 0]), array([ 1., -1.]), 0.0)
    """

    basis: NDArray[Any]
    permutation: NDArray[Any]
    phases: NDArray[Any]
    residual: float


_TIE_DECIMALS = 9  # overlaps equal to 9 decimals are ties for the column matching


def _align(u: NDArray[Any], v: NDArray[Any], real: bool) -> Alignment:
    from scipy.optimize import linear_sum_assignment

    w = u.conj().T @ v
    # overlaps rounded before they decide anything: bases with symmetries (the eigenvectors
    # of a persymmetric R against the identity) tie exactly, and unrounded the tie would be
    # broken by the last bits of an eigensolver, which differ between LAPACK builds
    score = np.round(np.abs(w), _TIE_DECIMALS)
    _, perm = linear_sum_assignment(score, maximize=True)
    d = w[np.arange(w.shape[0]), perm]
    matched = score[np.arange(w.shape[0]), perm]
    nz = matched > 0  # (a vanishing overlap keeps its phase: no rounding noise decides it)
    if real:
        phases: NDArray[Any] = np.where(nz & (d.real < 0), -1.0, 1.0)
    else:
        phases = np.ones(d.shape, dtype=complex)
        phases[nz] = np.conj(d[nz]) / np.abs(d[nz])
    basis = v[:, perm] * phases
    if real:
        basis = basis.real
        sign, _ = np.linalg.slogdet(u.T @ basis)
        if sign < 0:  # the other component of O(M): flip the weakest matched column
            k = int(np.argmin(matched))
            phases = phases.copy()
            phases[k] = -phases[k]
            basis[:, k] = -basis[:, k]
    res = float(np.linalg.norm(u.conj().T @ basis - np.eye(u.shape[0])))
    basis.flags.writeable = False
    return Alignment(basis=basis, permutation=perm.astype(np.intp), phases=phases, residual=res)


def align_bases(U: ArrayLike | Transform, V: ArrayLike | Transform) -> Alignment:
    """Permute and re-phase the columns of ``V`` so that ``Uᴴ V`` is as close to ``I`` as possible.

    The column order solves the assignment problem ``max_π Σ_i |⟨u_i, v_π(i)⟩|`` and each
    column is multiplied by the unit number that makes ``⟨u_i, v_π(i)⟩`` real and
    non-negative; together they minimize ``‖Uᴴ V D Π − I‖_F`` over column permutations
    ``Π`` and diagonal unitary ``D``.  For real bases the phases are signs, and when
    ``det(Uᵀ V) = −1`` afterwards the sign of the weakest matched column is flipped, so
    that a real geodesic joins the two (see :mod:`algdiv.transforms.manifold`).  The
    overlaps are compared rounded to 9 decimals, so that exact ties (the eigenvectors of a
    persymmetric covariance against the identity) are broken the same way whatever the
    last bits of the eigensolver that produced ``V``.

    Parameters
    ----------
    U, V : array_like (M, M) or Transform
        Unitary matrices (orthogonal for real data), columns the basis vectors.

    Returns
    -------
    Alignment
        ``basis`` (the aligned ``V``), ``permutation``, ``phases`` and ``residual``.

    Raises
    ------
    ValueError
        If ``U`` or ``V`` is not square unitary, or their sizes differ.

    Examples
    --------
    A basis with its columns shuffled and signs flipped aligns back onto itself:

    >>> import numpy as np
    >>> from algdiv.transforms import dct
    >>> U = dct(6).matrix
    >>> V = U[:, [3, 0, 5, 1, 4, 2]] * np.array([1, -1, -1, 1, -1, 1])
    >>> a = align_bases(U, V)
    >>> np.allclose(a.basis, U), a.residual < 1e-12
    (True, True)
    """
    u = _as_basis(U, "U")
    v = _as_basis(V, "V", size=u.shape[0])
    return _align(u, v, _is_real(u, v))


# -- geodesics ------------------------------------------------------------------------
class BasisGeodesic:
    """The geodesic ``U(t) = U expm(t logm(Uᴴ V))`` on ``U(M)`` (``SO(M)`` for real bases).

    The decomposition of the relative rotation is computed once; ``geodesic(t)`` then costs
    two matrix products.  ``t = 0`` gives ``U``, ``t = 1`` gives ``V`` (aligned to ``U``
    first unless ``align=False``), values in between the bases along the shortest path,
    and values outside ``[0, 1]`` extrapolate along the same one-parameter subgroup.

    Parameters
    ----------
    U, V : array_like (M, M) or Transform
        Unitary (orthogonal) bases, columns the basis vectors.
    align : bool, default True
        Align ``V`` to ``U`` (:func:`align_bases`) before joining them.  With ``False``,
        real ``U`` and ``V`` must satisfy ``det(Uᵀ V) = +1``.

    Attributes
    ----------
    start, end : ndarray (M, M)
        ``U`` and the (aligned) ``V``.
    alignment : Alignment or None
        How ``V`` was aligned (``None`` with ``align=False``).
    angles : ndarray
        Rotation angles ``θ`` of ``Uᴴ V`` in ``[−π, π]``: one per eigenvalue (complex bases)
        or one per invariant plane (real bases).
    length : float
        The geodesic distance ``‖logm(Uᴴ V)‖_F``.
    real : bool
        Whether the path stays in ``O(M)``.

    Examples
    --------
    DCT-II to the DFT's real cousin, the DCT-IV, through orthogonal bases:

    >>> import numpy as np
    >>> from algdiv.transforms import dct
    >>> g = BasisGeodesic(dct(8), dct(8, type=4))
    >>> g.real, np.allclose(g(0.0), dct(8).matrix), np.allclose(g(1.0), g.end)
    (True, True, True)
    >>> mid = g(0.5)
    >>> np.allclose(mid.T @ mid, np.eye(8))
    True
    """

    def __init__(
        self, U: ArrayLike | Transform, V: ArrayLike | Transform, *, align: bool = True
    ) -> None:
        u = _as_basis(U, "U")
        v = _as_basis(V, "V", size=u.shape[0])
        self.real = _is_real(u, v)
        if self.real:
            u, v = u.real, v.real
        self.alignment: Alignment | None = _align(u, v, self.real) if align else None
        end = self.alignment.basis if self.alignment is not None else v
        u = np.array(u)
        u.flags.writeable = False
        end = np.array(end)
        end.flags.writeable = False
        self.start: NDArray[Any] = u
        self.end: NDArray[Any] = end
        w = u.conj().T @ end
        if self.real:
            self._real_log(w)
        else:
            t, q = linalg.schur(w, output="complex")
            self._q = q
            self.angles = np.angle(np.diag(t))
            self.length = float(np.linalg.norm(self.angles))
            # U Q: the start's coordinates in the eigenbasis of W, computed once
            self._uq = u @ q

    def _real_log(self, w: NDArray[Any]) -> None:
        m = w.shape[0]
        sign, _ = np.linalg.slogdet(w)
        if sign < 0:
            raise ValueError(
                "U and V are in different components of O(M) (det(Uᵀ V) = −1), so no real "
                "geodesic joins them; pass align=True (which fixes the sign of one column) "
                "or flip the sign of one column of V"
            )
        t, z = linalg.schur(w, output="real")
        planes: list[tuple[int, int]] = []
        angles: list[float] = []
        minus: list[int] = []
        i = 0
        while i < m:
            if i + 1 < m and t[i + 1, i] != 0.0:  # a 2 x 2 rotation block
                angles.append(
                    float(np.arctan2(t[i + 1, i] - t[i, i + 1], t[i, i] + t[i + 1, i + 1]))
                )
                planes.append((i, i + 1))
                i += 2
            else:
                if t[i, i] < 0:
                    minus.append(i)
                i += 1
        # det W = +1, so the -1 eigenvalues pair up into rotations by pi
        for a, b in zip(minus[0::2], minus[1::2], strict=True):
            planes.append((a, b))
            angles.append(float(np.pi))
        self._z = z
        self._uz = self.start @ z
        self._planes = np.array(planes, dtype=np.intp).reshape(-1, 2)
        self.angles = np.array(angles, dtype=float)
        self.length = float(np.sqrt(2.0) * np.linalg.norm(self.angles))

    def __call__(self, t: float) -> NDArray[Any]:
        """The basis at ``t`` (``U`` at 0, the aligned ``V`` at 1), an ``(M, M)`` array."""
        try:
            tt = float(t)
        except (TypeError, ValueError):
            raise TypeError(f"t must be a real number, got {type(t).__name__}") from None
        if not np.isfinite(tt):
            raise ValueError(f"t must be finite, got {t!r}")
        if not self.real:
            return np.asarray((self._uq * np.exp(1j * tt * self.angles)) @ self._q.conj().T)
        m = self.start.shape[0]
        rot = np.eye(m)
        p, q = self._planes[:, 0], self._planes[:, 1]
        c, s = np.cos(tt * self.angles), np.sin(tt * self.angles)
        rot[p, p], rot[q, q], rot[p, q], rot[q, p] = c, c, -s, s
        return np.asarray((self._uz @ rot) @ self._z.T)

    def __repr__(self) -> str:
        kind = "O" if self.real else "U"
        return f"<BasisGeodesic on {kind}({self.start.shape[0]}), length {self.length:.4g}>"


def basis_geodesic(
    U: ArrayLike | Transform, V: ArrayLike | Transform, t: float, *, align: bool = True
) -> NDArray[Any]:
    """The basis at ``t`` on the geodesic from ``U`` (``t = 0``) to the aligned ``V`` (``t = 1``).

    ``U expm(t logm(Uᴴ V))``; see :class:`BasisGeodesic` (build one to evaluate many ``t``).

    Parameters
    ----------
    U, V : array_like (M, M) or Transform
        Unitary (orthogonal) bases.
    t : float
        Position along the path.
    align : bool, default True
        Align ``V`` to ``U`` first (:func:`align_bases`).

    Returns
    -------
    ndarray (M, M)
        A unitary matrix (real orthogonal when ``U`` and ``V`` are real).

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.transforms import dct, wht
    >>> P = basis_geodesic(dct(4), wht(4), 0.25)
    >>> np.allclose(P.T @ P, np.eye(4))
    True
    """
    return BasisGeodesic(U, V, align=align)(t)


def basis_distance(U: ArrayLike | Transform, V: ArrayLike | Transform, *, align: bool = True) -> float:
    """Geodesic distance ``‖logm(Uᴴ V)‖_F`` between two bases (after alignment by default).

    It is 0 for two orderings / re-phasings of the same basis and at most ``π √M``.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.transforms import dct
    >>> basis_distance(dct(8), dct(8).matrix[:, ::-1]) < 1e-12
    True
    >>> round(basis_distance(np.eye(2), [[0.0, -1.0], [1.0, 0.0]], align=False) / np.pi, 6)
    0.707107
    """
    return BasisGeodesic(U, V, align=align).length


# -- objectives -----------------------------------------------------------------------
def _variances(r: NDArray[Any], u: NDArray[Any]) -> NDArray[Any]:
    """``diag(Uᴴ R U)``, real and clipped at 0 (rounding)."""
    return np.asarray(np.clip(np.einsum("ij,ij->j", u.conj(), r @ u).real, 0.0, None))


def _off_energy(d: NDArray[Any]) -> float:
    """``‖d − diag(d)‖_F²`` (computed from the off-diagonal entries, no cancellation)."""
    off = d.copy()
    np.fill_diagonal(off, 0.0)
    return float(np.sum(np.abs(off) ** 2))


def _gain_db(s: NDArray[Any]) -> float:
    """Coding gain in dB of coefficient variances ``s`` (last axis)."""
    mean = s.mean()
    if mean <= 0:
        return float("nan")
    if np.any(s <= 0):
        return float("inf")
    return float(10.0 * (np.log10(mean) - np.mean(np.log10(s))))


def coding_gain(R: ArrayLike, U: ArrayLike | Transform, *, db: bool = False) -> float:
    """Transform coding gain of the basis ``U`` for the covariance ``R``.

    ``G = (1/M Σ σ_i²) / (Π σ_i²)^{1/M}`` with ``σ_i² = (Uᴴ R U)_ii``: the arithmetic over the
    geometric mean of the coefficient variances.  ``G ≥ 1``; the KLT of ``R`` attains the
    maximum, ``mean(λ) / geomean(λ)`` of the eigenvalues (Hadamard's inequality).  A zero
    coefficient variance gives ``inf``.

    Parameters
    ----------
    R : array_like (M, M)
        Hermitian positive semi-definite covariance.
    U : array_like (M, M) or Transform
        Unitary basis, columns the basis vectors.
    db : bool, default False
        Return ``10 log10 G`` instead of ``G``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``R`` is not Hermitian, ``U`` not unitary, the sizes differ or ``tr R ≤ 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.linalg import toeplitz
    >>> from algdiv.transforms import dct, identity, klt
    >>> R = toeplitz(0.9 ** np.arange(8))
    >>> round(coding_gain(R, identity(8)), 6)
    1.0
    >>> round(coding_gain(R, dct(8), db=True), 2), round(coding_gain(R, klt(R), db=True), 2)
    (6.28, 6.31)
    """
    u = _as_basis(U, "U")
    r = _as_covariance(R, u.shape[0])
    g = _gain_db(_variances(r, u))
    if np.isnan(g):
        raise ValueError("R has a non-positive trace; its coding gain is undefined")
    return g if db else float(10.0 ** (g / 10.0))


def off_diagonal_energy(R: ArrayLike, U: ArrayLike | Transform) -> float:
    """Share of ``R``'s energy off the diagonal of ``Uᴴ R U``: ``‖Uᴴ R U − diag‖_F² / ‖R‖_F²``.

    0 exactly when ``U`` diagonalizes ``R`` (a KLT of ``R``), at most 1.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.transforms import dft, identity
    >>> C = np.array([[2.0, 1.0, 1.0], [1.0, 2.0, 1.0], [1.0, 1.0, 2.0]])   # circulant
    >>> off_diagonal_energy(C, dft(3)) < 1e-15, round(off_diagonal_energy(C, identity(3)), 4)
    (True, 0.3333)
    """
    u = _as_basis(U, "U")
    r = _as_covariance(R, u.shape[0])
    total = float(np.linalg.norm(r) ** 2)
    if total == 0.0:
        raise ValueError("R is zero; its off-diagonal energy share is undefined")
    return _off_energy(u.conj().T @ r @ u) / total


def basis_capacity(R: ArrayLike, U: ArrayLike | Transform) -> float:
    """Structural capacity of the coefficient energies: ``κ(U) = −log₂ Σ p_i²``, ``p = σ² / Σ σ²``.

    ``σ_i² = (Uᴴ R U)_ii``.  At the KLT it equals the structural capacity ``κ(R)`` of the
    spectrum (:func:`algdiv.discovery.structural_capacity`), and no basis gives less: a low
    ``κ(U)`` means the energy is compacted into few coefficients.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.transforms import dft, identity
    >>> C = np.ones((4, 4))                       # all energy in the mean
    >>> basis_capacity(C, identity(4)), round(basis_capacity(C, dft(4)), 12)
    (2.0, 0.0)
    """
    u = _as_basis(U, "U")
    r = _as_covariance(R, u.shape[0])
    s = _variances(r, u)
    total = s.sum()
    if total <= 0:
        raise ValueError("R has a non-positive trace; its capacity is undefined")
    p = s / total
    return float(max(-np.log2(np.sum(p * p)), 0.0))


def objectives_along(
    R: ArrayLike, geodesic: BasisGeodesic, t: ArrayLike | None = None
) -> dict[str, NDArray[Any]]:
    """Coding gain (dB), off-diagonal energy and capacity of ``R`` at points of a geodesic.

    Parameters
    ----------
    R : array_like (M, M)
        Hermitian covariance.
    geodesic : BasisGeodesic
    t : array_like, optional
        Positions; 11 equally spaced points of ``[0, 1]`` by default.

    Returns
    -------
    dict
        ``"t"``, ``"coding_gain_db"``, ``"off_diagonal_energy"``, ``"capacity"`` (arrays).

    Examples
    --------
    From the identity to the KLT the coding gain rises to its maximum and the
    off-diagonal energy falls to 0:

    >>> import numpy as np
    >>> from scipy.linalg import toeplitz
    >>> from algdiv.transforms import klt
    >>> D = np.diag(np.linspace(1.0, 2.0, 6))
    >>> R = D @ toeplitz(0.8 ** np.arange(6)) @ D
    >>> prof = objectives_along(R, BasisGeodesic(np.eye(6), klt(R)), [0.0, 0.5, 1.0])
    >>> np.round(prof["coding_gain_db"], 1)
    array([0.5, 1.7, 4.2])
    >>> bool(prof["off_diagonal_energy"][-1] < 1e-20)
    True
    """
    if not isinstance(geodesic, BasisGeodesic):
        raise TypeError(f"geodesic must be a BasisGeodesic, got {type(geodesic).__name__}")
    r = _as_covariance(R, geodesic.start.shape[0])
    ts = np.linspace(0.0, 1.0, 11) if t is None else np.asarray(t, dtype=float).ravel()
    if not np.all(np.isfinite(ts)):
        raise ValueError("t must hold finite numbers")
    gains, offs, caps = [], [], []
    total = float(np.linalg.norm(r) ** 2)
    for tt in ts:
        u = geodesic(float(tt))
        d = u.conj().T @ r @ u
        s = np.clip(np.diag(d).real, 0.0, None)
        gains.append(_gain_db(s))
        offs.append(_off_energy(d) / total)
        p = s / s.sum()
        caps.append(max(-np.log2(np.sum(p * p)), 0.0))
    return {
        "t": ts,
        "coding_gain_db": np.array(gains),
        "off_diagonal_energy": np.array(offs),
        "capacity": np.array(caps),
    }


# -- selection by relaxation ------------------------------------------------------------
class _Params:
    """``get_params`` / ``set_params`` as scikit-learn expects them (no sklearn import)."""

    _param_names: tuple[str, ...] = ()

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self._param_names}

    def set_params(self, **params: Any) -> Any:
        for k, v in params.items():
            if k not in self._param_names:
                raise ValueError(f"invalid parameter {k!r} for {type(self).__name__}")
            setattr(self, k, v)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._param_names)
        return f"{type(self).__name__}({args})"


def _sample_klt(s: NDArray[Any]) -> NDArray[Any]:
    _, vecs = np.linalg.eigh(s)
    return np.asarray(vecs[:, ::-1])


def _delay_gap(x: NDArray[Any]) -> int:
    """Rows to leave out on each side of a held-out block so that no training row shares a sample.

    When the rows are windows of one signal taken every ``s`` samples (delay embedding:
    ``x[i + 1, :-s] == x[i, s:]`` exactly for every ``i``), rows ``i`` and ``j`` share samples
    while ``|i − j| s < M``, so ``ceil(M / s) − 1`` rows either side of a block overlap it.
    Returns 0 when no stride ``s < M`` fits (rows that are not overlapping windows).
    """
    n, m = (int(v) for v in x.shape)
    if n < 2 or m < 2:
        return 0
    for s in range(1, m):
        # one row pair first: almost every stride of ordinary data fails there
        if np.array_equal(x[1, :-s], x[0, s:]) and np.array_equal(x[1:, :-s], x[:-1, s:]):
            return -(-m // s) - 1
    return 0


def _pooled_db(energy: NDArray[Any]) -> NDArray[Any]:
    """Coding gain (dB) of the fold-pooled energies ``energy[k, a, b]``, per ``(a, b)``."""
    pooled = energy.sum(axis=0)
    return np.array([[_gain_db(p) for p in row] for row in pooled])


def _choose(
    energy: NDArray[Any], rule: str, pooled: NDArray[Any] | None = None
) -> tuple[int, int, NDArray[Any]]:
    """The chosen ``(start, t index)`` and the pooled held-out gains (dB), from fold energies.

    ``energy[k, a, b]`` holds the held-out coefficient energies of fold ``k`` for start ``a``
    at grid point ``b``.  ``"best"``: the largest pooled gain (ties to the first start and
    the smallest ``t``).  ``"one_se"``: the smallest ``t`` (any start) whose pooled gain is
    within one standard error of the best (the simplest model the data cannot tell from
    it).  The standard error is that of the pooled gain's difference from the best point,
    by the jackknife over folds: with ``d_(i)`` the difference pooled over all folds but
    ``i``, ``se² = (k − 1)/k Σ_i (d_(i) − mean d)²``.  ``pooled``, when given, replaces the
    pooled gains (the learning-curve extrapolation); the standard errors still come from
    the fold energies.
    """
    n_a, n_b = energy.shape[1:3]
    scores = _pooled_db(energy) if pooled is None else np.asarray(pooled, dtype=float)
    finite = np.where(np.isnan(scores), -np.inf, scores)
    best = finite.max()
    a_best, b_best = (int(i) for i in np.argwhere(finite >= best - 1e-9 * max(abs(best), 1.0))[0])
    k = energy.shape[0]
    if rule == "best" or k < 2:
        return a_best, b_best, scores
    loo = np.array([_pooled_db(np.delete(energy, i, axis=0)) for i in range(k)])
    diff = loo[:, a_best, b_best][:, None, None] - loo
    diff = np.where(np.isfinite(diff), diff, np.nan)
    se = np.sqrt((k - 1) / k * np.nansum((diff - np.nanmean(diff, axis=0)) ** 2, axis=0))
    ok = finite >= best - np.nan_to_num(se, nan=0.0)
    for b in range(n_b):  # the smallest t first, then the better pooled gain
        cand = [a for a in range(n_a) if ok[a, b]]
        if cand:
            return max(cand, key=lambda a: finite[a, b]), b, scores
    return a_best, b_best, scores  # pragma: no cover - the best is always within its own SE


class _Start:
    """One candidate starting point: a fixed basis, or a group whose transform needs data."""

    def __init__(
        self, name: str, basis: NDArray[Any] | None = None, group: Any = None, searched: bool = False
    ):
        self.name = name
        self.searched = searched  # the group was selected from the training data
        self.basis = basis
        self.group = group
        self._transform: Transform | None = None

    def at(self, x: NDArray[Any], real: bool) -> NDArray[Any]:
        """The start for centred training rows ``x`` (made real for real data when it can be)."""
        u = self._complex_at(x)
        if real and np.iscomplexobj(u):
            r = _real_basis(u)
            if r is not None:
                return r
        return u

    def _complex_at(self, x: NDArray[Any]) -> NDArray[Any]:
        if self.basis is not None:
            return self.basis
        from ..estimation import GroupLedoitWolf

        if self._transform is None:
            self._transform = matched_transform(self.group)
        if self._transform.multiplicity_free:
            return np.asarray(self._transform.matrix)
        # the KL step inside each multiplicity block, from the group-shrunk estimate
        if isinstance(self.group, CommutantAlgebra):
            cov = x.T @ x.conj() / x.shape[0]
        else:
            cov = GroupLedoitWolf(self.group, assume_centered=True).fit(x).covariance_
        return np.asarray(refine(self._transform, cov).matrix)


def _real_basis(u: NDArray[Any], tol: float = 1e-8) -> NDArray[Any] | None:
    """A real orthonormal basis with the same lines or conjugate pairs as ``u``, or ``None``.

    When the columns of ``u`` are, up to phases, real vectors or conjugate pairs
    ``(v, e^{iψ} v̄)`` (the DFT: columns ``k`` and ``M − k``), every real column becomes
    real by a phase and every pair is replaced by ``√2 Re v, √2 Im v``, which span the same
    plane (``vᵀ v = 0`` makes them orthogonal and of equal norm).  Real data then keep a
    real geodesic.  Columns that pair up in no such way give ``None``.
    """
    from scipy.optimize import linear_sum_assignment

    g = u.T @ u  # <conj(u_i), u_j>
    m = g.shape[0]
    _, pair = linear_sum_assignment(np.abs(g), maximize=True)
    if np.any(np.abs(np.abs(g[np.arange(m), pair]) - 1.0) > tol) or np.any(pair[pair] != np.arange(m)):
        return None
    out = np.empty(u.shape, dtype=float)
    for i in range(m):
        j = int(pair[i])
        if j == i:  # u_i = e^{iφ} r: g_ii = e^{2iφ}
            out[:, i] = (u[:, i] * np.conj(np.sqrt(g[i, i]))).real
        elif i < j:
            out[:, i] = np.sqrt(2.0) * u[:, i].real
            out[:, j] = np.sqrt(2.0) * u[:, i].imag
    if np.linalg.norm(out.T @ out - np.eye(m)) > 1e-6 * np.sqrt(m):
        return None
    return out


class RelaxedTransform(_Params):
    """A basis chosen on the geodesic from a group-matched transform to the sample KLT.

    ``fit`` takes each candidate start (by default the matched transform of the group that
    :class:`algdiv.AutoGroupCovariance` selects from the data) and the geodesic from it to
    the KLT of the training covariance (aligned to the start, see
    :func:`align_bases`), and picks the start and the position ``t ∈ [0, 1]`` by held-out
    coding gain over ``n_folds`` blocked folds of the training rows: each fold's bases are
    built from the other folds (less ``gap`` rows on each side of the held-out block, so
    that overlapping windows of a delay-embedded signal do not leak into it) and the
    held-out coefficient variances of all folds are pooled.  With ``rule="one_se"`` the
    smallest ``t`` whose pooled gain is within one standard error of the best is taken (the
    standard error of the pooled difference from the best, by the jackknife over folds):
    the basis moves away from the matched transform only as far as the folds can tell
    the difference.  The basis is then rebuilt from all the training rows at the chosen
    ``(start, t)``.  ``t = 0`` keeps the matched
    transform (best when the data are few), ``t = 1`` is the sample KLT (best when they
    are many and unstructured).

    Parameters
    ----------
    start : str, Transform, array, group, CommutantAlgebra, or a list of them
        Candidate starting points; default ``("group", "dct2")``.  ``"group"``: the matched
        transform of the group that ``AutoGroupCovariance(ambient=ambient)`` selects from
        the training data (once, from all training rows; the folds then share it).  A fold kind (``"dct2"``, ``"dst4"``, … see
        :data:`FOLD_KINDS`): the matched transform of that fold of the dihedral commutant
        (the DCT-II for ``"dct2"``, the classical choice for stationary 1-D signals).  A
        Transform or unitary array is used as given (e.g. ``algdiv.transforms.dct(M)``);
        a group (or group text) or a :class:`CommutantAlgebra` (e.g.
        ``dihedral_fold(M, "dct2")``) gives its matched transform, with the multiplicity
        blocks diagonalized from the training data (group-shrunk by
        :class:`algdiv.GroupLedoitWolf`).  For real data a complex start made of real lines
        and conjugate pairs (the DFT) is replaced by the real basis of the same lines and
        planes, so that the path and ``components_`` stay real.
    ambient : PermutationGroup or str, optional
        Passed to :class:`algdiv.AutoGroupCovariance` for ``start="group"``.
    n_steps : int, default 11
        Number of ``t`` tried in ``[0, 1]``.
    spacing : {"quadratic", "linear"}, default "quadratic"
        ``t_k = (k / (n_steps − 1))²`` (finer near the matched start, where a long path to
        a noisy KLT makes small steps matter) or equally spaced.
    n_folds : int, default 5
        Number of contiguous (blocked) folds of the training rows.
    rule : {"one_se", "best"}, default "one_se"
        ``"one_se"``: the smallest ``t`` within one standard error of the best held-out
        gain; ``"best"``: the best held-out gain (ties to the first start and smaller ``t``).
    gap : int or "auto", default "auto"
        Training rows left out on each side of every held-out block (*hv-block*
        cross-validation), so that no training row shares samples with a held-out row.
        ``"auto"``: when the rows are overlapping windows of one signal (each row the
        previous one shifted by ``s < M`` samples, detected exactly), ``ceil(M / s) − 1``
        (``M − 1`` for a sliding window); otherwise 0.  Without it, the windows on either
        side of a fold boundary share up to ``M − 1`` samples and the folds overrate the
        sample KLT.  Folds left with fewer than 2 training rows are dropped; with fewer than
        2 folds left the folds cannot tell the points apart, and ``t = 0`` is kept at the
        first start that does not depend on the data (any but ``"group"``; the first start
        when all do).
    extrapolate : bool, default False
        Also build each fold's bases from each half of its training rows (alternate blocks;
        ``n₂ ≈ n₁ / 2`` rows against ``n₁``) and extrapolate the pooled held-out gain at every
        ``(start, t)`` to all ``n`` rows, as linear in the reciprocal of the number of
        training rows: ``g = g₁ + (g₁ − g₂)(1/n₁ − 1/n) / (1/n₂ − 1/n₁)``; the rule is applied
        to ``g`` (the standard errors still from the folds).  A learning-curve correction for
        folds that underrate the KLT of all ``n`` rows; used only when every half has at
        least ``2M`` rows.  It costs three KLTs per fold instead of one.
    assume_centered : bool, default False
        ``False``: the mean of the training rows is removed first.
    random_state : int, optional
        Seed of the group search for ``start="group"``.

    Attributes
    ----------
    components_ : ndarray (M, M)
        The chosen basis, columns the basis vectors (unitary; orthogonal for real data).
    t_ : float
        The chosen position along the geodesic.
    gap_ : int
        The rows left out on each side of a held-out block (``gap``, resolved).
    n_folds_used_ : int
        Folds that kept at least 2 training rows after the gap.
    start_ : str
        The name of the chosen start.
    group_ : PermutationGroup or None
        The selected group when a ``"group"`` start was a candidate.
    geodesic_ : BasisGeodesic
        The path from the chosen start (all training rows) to their sample KLT.
    cv_coding_gain_db_ : ndarray (n_starts, n_steps)
        The pooled held-out coding gain (dB) of every candidate start at every ``t`` (NaN
        when no fold could be used).
    cv_extrapolated_db_ : ndarray (n_starts, n_steps) or None
        The same extrapolated to all ``n`` rows (``extrapolate=True``), else ``None``.
    extrapolated_ : bool
        Whether the choice was made on the extrapolated gains.
    t_grid_ : ndarray (n_steps,)
    start_names_ : list of str
    location_ : ndarray (M,)
    n_features_in_ : int

    Examples
    --------
    AR(1) data: with 16 snapshots of 16 points the DCT start is kept; with 2000 the
    basis moves toward the sample KLT.

    >>> import numpy as np
    >>> from scipy.linalg import toeplitz
    >>> from algdiv.transforms import dct, coding_gain
    >>> R = toeplitz(0.9 ** np.arange(16))
    >>> rng = np.random.default_rng(0)
    >>> L = np.linalg.cholesky(R)
    >>> small = RelaxedTransform(start="dct2").fit(rng.standard_normal((16, 16)) @ L.T)
    >>> big = RelaxedTransform(start="dct2").fit(rng.standard_normal((2000, 16)) @ L.T)
    >>> float(small.t_) <= float(big.t_)
    True
    >>> Y = big.transform(rng.standard_normal((5, 16)))
    >>> Y.shape
    (5, 16)

    Rows that are overlapping windows of one signal are found, and the 15 windows that share
    a sample with a held-out block are left out of its training rows:

    >>> from numpy.lib.stride_tricks import sliding_window_view
    >>> W = sliding_window_view(rng.standard_normal(300), 16)
    >>> RelaxedTransform(start="dct2").fit(W).gap_
    15
    """

    _param_names = (
        "start",
        "ambient",
        "n_steps",
        "spacing",
        "n_folds",
        "rule",
        "gap",
        "extrapolate",
        "assume_centered",
        "random_state",
    )

    def __init__(
        self,
        start: Any = ("group", "dct2"),
        *,
        ambient: Any = None,
        n_steps: int = 11,
        spacing: str = "quadratic",
        n_folds: int = 5,
        rule: str = "one_se",
        gap: int | str = "auto",
        extrapolate: bool = False,
        assume_centered: bool = False,
        random_state: int | None = None,
    ) -> None:
        self.start = start
        self.ambient = ambient
        self.n_steps = n_steps
        self.spacing = spacing
        self.n_folds = n_folds
        self.rule = rule
        self.gap = gap
        self.extrapolate = extrapolate
        self.assume_centered = assume_centered
        self.random_state = random_state

    # -- fitting ----------------------------------------------------------------------
    def _starts(self, x: NDArray[Any]) -> list[_Start]:
        m = x.shape[1]
        items = list(self.start) if isinstance(self.start, (list, tuple)) else [self.start]
        if not items:
            raise ValueError("start must name at least one candidate, got an empty list")
        out: list[_Start] = []
        self.group_ = None
        for k, item in enumerate(items):
            name = f"start[{k}]"
            if isinstance(item, str) and item == "group":
                from ..discovery import AutoGroupCovariance

                est = AutoGroupCovariance(
                    ambient=self.ambient, assume_centered=True, random_state=self.random_state
                ).fit(x)
                self.group_ = est.group_
                out.append(_Start(f"group: {est.group_}", group=est.group_, searched=True))
            elif isinstance(item, str) and item in FOLD_KINDS:
                t = matched_transform(dihedral_fold(m, item))
                out.append(_Start(t.name, basis=np.asarray(t.matrix)))
            elif isinstance(item, Transform) or (
                isinstance(item, (np.ndarray, list)) and np.ndim(item) == 2
            ):
                u = _as_basis(item, name, size=m)
                label = item.name if isinstance(item, Transform) else "basis"
                out.append(_Start(label, basis=u))
            elif isinstance(item, CommutantAlgebra):
                if item.degree != m:
                    raise ValueError(f"{name} acts on {item.degree} points but X has {m} features")
                out.append(_Start(type(item).__name__, group=item))
            else:
                from .._validation import as_group

                try:
                    g = as_group(item, name, degree=m)
                except TypeError:
                    raise TypeError(
                        f"{name} must be 'group', a Transform, a unitary (M, M) array, a "
                        f"PermutationGroup, group text or a CommutantAlgebra, got "
                        f"{type(item).__name__}"
                    ) from None
                out.append(_Start(f"group: {g}", group=g))
        return out

    def _check_settings(self, n: int) -> tuple[int, int]:
        steps, folds = self.n_steps, self.n_folds
        if self.spacing not in ("linear", "quadratic"):
            raise ValueError(f"spacing must be 'linear' or 'quadratic', got {self.spacing!r}")
        if self.rule not in ("best", "one_se"):
            raise ValueError(f"rule must be 'best' or 'one_se', got {self.rule!r}")
        if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 2:
            raise ValueError(f"n_steps must be an integer >= 2, got {steps!r}")
        if isinstance(folds, bool) or not isinstance(folds, (int, np.integer)) or folds < 2:
            raise ValueError(f"n_folds must be an integer >= 2, got {folds!r}")
        gap = self.gap
        if not (isinstance(gap, str) and gap == "auto") and (
            isinstance(gap, bool) or not isinstance(gap, (int, np.integer)) or gap < 0
        ):
            raise ValueError(f"gap must be 'auto' or an integer >= 0, got {gap!r}")
        if not isinstance(self.extrapolate, (bool, np.bool_)):
            raise ValueError(f"extrapolate must be True or False, got {self.extrapolate!r}")
        need = 2 * int(folds) if not self.assume_centered else int(folds)
        if n < need:
            raise ValueError(
                f"X has {n} snapshot(s); {need} are needed for {folds} folds of at least "
                f"{need // int(folds)} (n_folds)"
            )
        return int(steps), int(folds)

    def fit(self, X: ArrayLike, y: Any = None) -> RelaxedTransform:
        """Choose the start and ``t`` on blocked folds of ``X``, then fit on all of ``X``.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_features)
            Real or complex snapshots, one per row (not modified).
        y : ignored

        Returns
        -------
        self
        """
        x = as_snapshots(X, "X", allow_1d=False)
        n, m = x.shape
        steps, folds = self._check_settings(n)
        location = np.zeros(m, dtype=x.dtype) if self.assume_centered else x.mean(axis=0)
        xc = x - location
        starts = self._starts(xc)
        real = _is_real(x)
        grid = np.linspace(0.0, 1.0, steps)
        if self.spacing == "quadratic":
            grid = grid**2
        gap = _delay_gap(x) if isinstance(self.gap, str) else int(self.gap)
        blocks = np.array_split(np.arange(n), folds)
        # held-out coefficient energies: fold x start x t x coefficient, from all the other
        # rows (less the gap) and, to extrapolate, from each half of them
        energy = np.zeros((folds, len(starts), steps, m))
        half = np.zeros_like(energy)
        sizes = np.zeros((folds, 2))
        used = np.zeros(folds, dtype=bool)
        for k, held in enumerate(blocks):
            keep = np.ones(n, dtype=bool)
            keep[max(int(held[0]) - gap, 0) : int(held[-1]) + gap + 1] = False
            if np.count_nonzero(keep) < 2:
                continue  # the gap leaves this fold nothing to train on
            used[k] = True
            energy[k] = self._held_out(x, keep, held, starts, grid, real)
            sizes[k, 0] = np.count_nonzero(keep)
            if self.extrapolate:
                others = [j for j in range(folds) if j != k]
                for h in (0, 1):  # alternate blocks, so that each half spans the rows
                    part = np.zeros(n, dtype=bool)
                    for j in others[h::2]:
                        part[blocks[j]] = True
                    part &= keep
                    if np.count_nonzero(part) >= 2:
                        half[k] += self._held_out(x, part, held, starts, grid, real) / 2
                        sizes[k, 1] += np.count_nonzero(part) / 2
                    else:
                        sizes[k, 1] = 0.0
        self.extrapolated_ = False
        self.cv_extrapolated_db_ = None
        if np.count_nonzero(used) >= 2:
            pooled = None
            n1, n2 = sizes[used, 0].mean(), sizes[used, 1].mean()
            if self.extrapolate and np.all(sizes[used, 1] >= 2 * m):
                # held-out gain linear in 1 / (training rows): from n2 and n1 rows to n
                g1, g2 = _pooled_db(energy[used]), _pooled_db(half[used])
                pooled = g1 + (g1 - g2) * (1.0 / n1 - 1.0 / n) / (1.0 / n2 - 1.0 / n1)
                self.extrapolated_ = True
                self.cv_extrapolated_db_ = pooled
            a_best, b_best, _ = _choose(energy[used], self.rule, pooled)
            scores = _pooled_db(energy[used])
        else:  # no held-out evidence: stay at a start fixed before the data, if there is one
            fixed = [a for a, st in enumerate(starts) if not st.searched]
            a_best, b_best = (fixed[0] if fixed else 0), 0
            scores = np.full((len(starts), steps), np.nan)
        s = xc.T @ xc.conj() / n
        geo = BasisGeodesic(starts[a_best].at(xc, real), _sample_klt(s))
        comp = geo(float(grid[b_best]))
        if geo.real:
            comp = comp.real
        self.location_ = location
        self.n_features_in_ = m
        self.t_grid_ = grid
        self.start_names_ = [st.name for st in starts]
        self.cv_coding_gain_db_ = scores
        self.t_ = float(grid[b_best])
        self.gap_ = gap
        self.n_folds_used_ = int(np.count_nonzero(used))
        self.start_ = starts[a_best].name
        self.geodesic_ = geo
        self.components_ = comp
        return self

    def _held_out(
        self,
        x: NDArray[Any],
        train: NDArray[Any],
        held: NDArray[Any],
        starts: list[_Start],
        grid: NDArray[Any],
        real: bool,
    ) -> NDArray[Any]:
        """Held-out coefficient energies (start x t x coefficient) of rows ``held``, bases from ``train``."""
        xt = x[train]
        mu = np.zeros(x.shape[1], dtype=x.dtype) if self.assume_centered else xt.mean(axis=0)
        xt = xt - mu
        xv = x[held] - mu
        end = _sample_klt(xt.T @ xt.conj() / xt.shape[0])
        out = np.zeros((len(starts), grid.size, x.shape[1]))
        for a, st in enumerate(starts):
            geo = BasisGeodesic(st.at(xt, real), end)
            for b, t in enumerate(grid):
                coef = xv @ geo(float(t)).conj()
                out[a, b] = np.sum(np.abs(coef) ** 2, axis=0)
        return out

    # -- using the fit ----------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "components_"):
            try:
                from sklearn.exceptions import NotFittedError
            except ImportError:  # pragma: no cover - scikit-learn is optional
                NotFittedError = ValueError
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )

    def _check_width(self, x: NDArray[Any], name: str) -> NDArray[Any]:
        if x.shape[1] != self.n_features_in_:
            raise ValueError(
                f"{name} has {x.shape[1]} features, but {type(self).__name__} was fitted "
                f"on {self.n_features_in_}"
            )
        return x

    def transform(self, X: ArrayLike) -> NDArray[Any]:
        """Coefficients ``Uᴴ (x − location_)`` of each row of ``X``, shape (n_samples, M)."""
        self._check_fitted()
        x = self._check_width(as_snapshots(X, "X"), "X")
        return np.asarray((x - self.location_) @ self.components_.conj())

    def inverse_transform(self, Y: ArrayLike) -> NDArray[Any]:
        """Rows ``U y + location_`` back from coefficients ``Y`` (n_samples, M)."""
        self._check_fitted()
        y = self._check_width(as_snapshots(Y, "Y"), "Y")
        return np.asarray(y @ self.components_.T + self.location_)

    def fit_transform(self, X: ArrayLike, y: Any = None) -> NDArray[Any]:
        """``fit(X).transform(X)``."""
        return self.fit(X).transform(X)

