"""Trigonometric transforms as folds of the dihedral commutant (see docs/transforms.md).

Take ``L`` points on a circle and the dihedral group ``D_L``; its commutant is the
algebra of symmetric circulants ``C_ij = c((i - j) mod L)``, ``c(k) = c(-k)``.  A pair
of reflections ``n -> a - n`` (whole-sample when ``a`` is even, half-sample when odd)
with signs ``ε`` cuts out the subspace ``V = {x : x(a - n) = ε x(n)}``, which every
symmetric circulant preserves; ``x`` in ``V`` is fixed by its ``M`` samples
``x(0), ..., x(M-1)``.  Restricting the commutant to ``V`` (the Hecke algebra
``e_χ C(D_L) e_χ``) gives a commutative algebra of ``M × M`` matrices whose common
eigenbasis is a discrete cosine or sine transform:

=====  ======  ===============================  ===================================
kind   L       reflections (offset a, sign ε)   folded matrices
=====  ======  ===============================  ===================================
dct1   2M - 2  (0, +)                           whole-sample even at 0 and M - 1
dct2   2M      (-1, +)                          ``r(i - j) + r(i + j + 1)``
dct3   4M      (0, +), (2M, -)                  even at 0, odd at M
dct4   4M      (-1, +), (2M - 1, -)             half-sample even / odd
dst1   2M + 2  (-2, -)                          odd at -1 and M
dst2   2M      (-1, -)                          ``r(i - j) - r(i + j + 1)``
dst3   4M      (-2, -), (2M - 2, +)             odd at -1, even at M - 1
dst4   4M      (-1, -), (2M - 1, +)             half-sample odd / even
dct5   2M - 1  (0, +)                           whole even at 0, half even at M - 1/2
dct6   2M - 1  (-1, +)                          half even at -1/2, whole even at M - 1
dct7   4M - 2  (0, +), (2M - 1, -)              whole even at 0, half odd at M - 1/2
dct8   4M + 2  (-1, +), (2M, -)                 half even at -1/2, whole odd at M
dst5   2M + 1  (-2, -)                          whole odd at -1, half odd at M + 1/2
dst6   2M + 1  (-1, -)                          half odd at -1/2, whole odd at M
dst7   4M + 2  (-2, -), (2M - 1, +)             whole odd at -1, half even at M - 1/2
dst8   4M - 2  (-1, -), (2M - 2, +)             half odd at -1/2, whole even at M - 1
=====  ======  ===============================  ===================================

(For the single-reflection kinds the second reflection of the pair is the first one
again modulo ``L``.)  The matched transform of the fold is the orthonormal
``scipy.fft.dct``/``dst`` of that type (``norm="ortho"``), column for column, for types
1-4.  Types 5-8 (odd periods) have no scipy reference; their matched transform is
:func:`dtt_matrix` (the classical kernel, weighted and normalized, positive weights),
applied in ``O(M log M)`` by :class:`OddTrigKernel` (one FFT of length ``L``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..groups import PermutationGroup, dihedral
from .algebra import CommutantAlgebra

__all__ = ["DihedralFold", "dihedral_fold", "dtt_matrix", "parse_kind", "FOLD_KINDS"]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8}


def _spec(family: str, t: int, m: int) -> tuple[int, list[tuple[int, int]]]:
    """Period ``L`` and the reflections ``(a, ε)`` for ``family``-``t`` on ``m`` points."""
    table = {
        ("dct", 1): (2 * m - 2, [(0, 1)]),
        ("dct", 2): (2 * m, [(-1, 1)]),
        ("dct", 3): (4 * m, [(0, 1), (2 * m, -1)]),
        ("dct", 4): (4 * m, [(-1, 1), (2 * m - 1, -1)]),
        ("dst", 1): (2 * m + 2, [(-2, -1)]),
        ("dst", 2): (2 * m, [(-1, -1)]),
        ("dst", 3): (4 * m, [(-2, -1), (2 * m - 2, 1)]),
        ("dst", 4): (4 * m, [(-1, -1), (2 * m - 1, 1)]),
        # odd periods: types V-VIII
        ("dct", 5): (2 * m - 1, [(0, 1)]),
        ("dct", 6): (2 * m - 1, [(-1, 1)]),
        ("dct", 7): (4 * m - 2, [(0, 1), (2 * m - 1, -1)]),
        ("dct", 8): (4 * m + 2, [(-1, 1), (2 * m, -1)]),
        ("dst", 5): (2 * m + 1, [(-2, -1)]),
        ("dst", 6): (2 * m + 1, [(-1, -1)]),
        ("dst", 7): (4 * m + 2, [(-2, -1), (2 * m - 1, 1)]),
        ("dst", 8): (4 * m - 2, [(-1, -1), (2 * m - 2, 1)]),
    }
    return table[(family, t)]


FOLD_KINDS = tuple(f"{f}{t}" for f in ("dct", "dst") for t in range(1, 9))


def parse_kind(kind: object) -> tuple[str, int]:
    """``"dct2"``, ``"DCT-II"`` or ``("dct", 2)`` -> ``("dct", 2)``.

    Examples
    --------
    >>> parse_kind("DST-IV"), parse_kind(("dct", 1))
    (('dst', 4), ('dct', 1))
    """
    if isinstance(kind, tuple) and len(kind) == 2:
        family, t = str(kind[0]).lower(), kind[1]
    elif isinstance(kind, str):
        s = kind.strip().lower().replace("-", "").replace("_", "").replace(" ", "")
        family, rest = s[:3], s[3:]
        t = _ROMAN.get(rest, int(rest) if rest.isdigit() else None)
    else:
        raise TypeError(f"kind must be a str such as 'dct2' or a tuple, got {type(kind).__name__}")
    if family not in ("dct", "dst") or t not in range(1, 9):
        raise ValueError(
            f"kind must name a DCT or DST of type 1-8 (e.g. 'dct2', 'DST-IV'), got {kind!r}"
        )
    return family, int(t)


def _roman(t: int) -> str:
    return {v: k.upper() for k, v in _ROMAN.items()}[t]


# Types V-VIII (no scipy reference): kernel(n, k) as a function of the sample n, valid on
# all of Z_L, with the symmetries of the table above.
_KERNELS = {
    ("dct", 5): lambda n, k, m: np.cos(np.pi * n * k / (m - 0.5)),
    ("dct", 6): lambda n, k, m: np.cos(np.pi * (n + 0.5) * k / (m - 0.5)),
    ("dct", 7): lambda n, k, m: np.cos(np.pi * n * (k + 0.5) / (m - 0.5)),
    ("dct", 8): lambda n, k, m: np.cos(np.pi * (n + 0.5) * (k + 0.5) / (m + 0.5)),
    ("dst", 5): lambda n, k, m: np.sin(np.pi * (n + 1) * (k + 1) / (m + 0.5)),
    ("dst", 6): lambda n, k, m: np.sin(np.pi * (n + 0.5) * (k + 1) / (m + 0.5)),
    ("dst", 7): lambda n, k, m: np.sin(np.pi * (n + 1) * (k + 0.5) / (m + 0.5)),
    ("dst", 8): lambda n, k, m: np.sin(np.pi * (n + 0.5) * (k + 0.5) / (m - 0.5)),
}


def dtt_matrix(m: int, kind: str | tuple[str, int]) -> NDArray[Any]:
    """The orthonormal ``m × m`` matrix of a trigonometric transform (rows: basis functions).

    Types 1-4 come from ``scipy.fft``.  Types 5-8 (odd periods, not in scipy) are the
    classical kernels (e.g. DCT-V: ``cos(π n k / (m - 1/2))``) weighted by ``sqrt`` of
    the orbit size of each sample under the fold's reflections (the image of the fold
    isometry) and normalized row by row: positive weights, no sign flips.

    Examples
    --------
    >>> import numpy as np
    >>> C = dtt_matrix(5, "dct5")
    >>> np.allclose(C @ C.T, np.eye(5))
    True
    """
    family, t = parse_kind(kind)
    if t <= 4:
        import scipy.fft as sfft

        fn = sfft.dct if family == "dct" else sfft.dst
        return cast("NDArray[Any]", fn(np.eye(m), type=t, axis=0, norm="ortho"))
    period, refl = _spec(family, t, m)
    n = np.arange(m)
    weight = np.sqrt(_orbit_sizes(m, period, refl).astype(float))
    rows = _KERNELS[(family, t)](n[None, :], n[:, None], m) * weight[None, :]
    return cast("NDArray[Any]", rows / np.linalg.norm(rows, axis=1, keepdims=True))


class DihedralFold(CommutantAlgebra):
    """The dihedral commutant restricted to a sign-character subspace (see module docs).

    Made by :func:`dihedral_fold`.  Besides the :class:`CommutantAlgebra` interface it
    knows its ``kind``, ``period`` ``L``, ``reflections``, the isometry ``J`` from
    ``ℂ^M`` onto the subspace ``V ⊂ ℂ^L`` (:attr:`isometry`) and the dihedral group it
    folds (:attr:`group`).
    """

    def __init__(self, m: int, family: str, t: int) -> None:
        period, refl = _spec(family, t, m)
        self._degree = m
        self._family, self._type = family, t
        self._period = period
        self._reflections = tuple(refl)
        self._name = f"{family.upper()}-{_roman(t)} fold of D_{period} on {m} points"
        self._iso = _isometry(m, period, refl)
        rows, cols = np.nonzero(self._iso)
        self._nz = (rows, cols, self._iso[rows, cols])
        self._basis_cache: NDArray[Any] | None = None

    @property
    def kind(self) -> str:
        """``'dct1'`` ... ``'dst4'``."""
        return f"{self._family}{self._type}"

    @property
    def family(self) -> str:
        return self._family

    @property
    def type(self) -> int:
        return self._type

    @property
    def period(self) -> int:
        """``L``, the number of points of the dihedral group that is folded."""
        return self._period

    @property
    def reflections(self) -> tuple[tuple[int, int], ...]:
        """``(a, ε)`` pairs: ``x(a - n) = ε x(n)`` (mod ``L``) on the subspace."""
        return self._reflections

    @property
    def isometry(self) -> NDArray[Any]:
        """``J``, ``(L, M)`` with orthonormal columns spanning ``V``; column ``n`` is
        supported on the orbit of sample ``n``."""
        return self._iso.copy()

    @property
    def group(self) -> PermutationGroup:
        """The dihedral group ``D_L`` whose commutant is folded."""
        return dihedral(self._period)

    @property
    def dim(self) -> int:
        return self._degree  # commutative and multiplicity-free on V

    def element(self, r: ArrayLike) -> NDArray[Any]:
        """``Jᵀ C J`` for the symmetric circulant ``C`` with ``C[i, j] = r(dist(i, j))``.

        ``r`` holds ``r(0), ..., r(L // 2)``; ``dist`` is the circular distance.  For
        ``dct2`` this is ``r(|i - j|) + r(i + j + 1)``.
        """
        r = np.asarray(r)
        if r.ndim != 1 or r.size != self._period // 2 + 1:
            raise ValueError(
                f"r must hold r(0..L//2), {self._period // 2 + 1} values, got shape {r.shape}"
            )
        rows, cols, vals = self._nz
        p, q = rows[:, None], rows[None, :]
        diff = (p - q) % self._period
        dist = np.minimum(diff, self._period - diff)
        contrib = vals[:, None] * vals[None, :] * r[dist]
        out = np.zeros((self._degree, self._degree), dtype=np.result_type(r, float))
        np.add.at(out, (np.broadcast_to(cols[:, None], contrib.shape),
                        np.broadcast_to(cols[None, :], contrib.shape)), contrib)
        return out

    @property
    def basis(self) -> NDArray[Any]:
        """An orthonormal basis of the fold, shape ``(M, M, M)`` (memory ``M³``)."""
        if self._basis_cache is None:
            if self._degree > 128:
                raise ValueError(
                    f"a dense basis of a fold on {self._degree} points would hold "
                    f"{self._degree ** 3} entries; use element() instead"
                )
            eye = np.eye(self._period // 2 + 1)
            mats = np.array([self.element(e) for e in eye])
            from .algebra import _orthonormal_span

            self._basis_cache = _orthonormal_span(mats)
        return self._basis_cache

    def _is_real_symmetric(self) -> bool:
        return True

    def _random_element(self, rng: np.random.Generator, complex_: bool) -> NDArray[Any]:
        return self.element(rng.standard_normal(self._period // 2 + 1))


def _reflection_group(period: int, refl: list[tuple[int, int]]) -> list[tuple[NDArray[Any], NDArray[Any]]]:
    """The (small, dihedral) group generated by the signed reflections, as pairs
    ``(p, s)`` acting by ``(S x)[p[i]] = s[i] x[i]``."""
    ident = np.arange(period)
    gens = [((a - ident) % period, np.full(period, s, dtype=float)) for a, s in refl]
    elems = [(ident, np.ones(period))]
    seen = {(ident.tobytes(), np.ones(period).tobytes())}
    frontier = list(elems)
    while frontier:
        nxt = []
        for p, s in frontier:
            for gp, gs in gens:
                q, t = gp[p], gs[p] * s
                key = (q.tobytes(), t.tobytes())
                if key not in seen:
                    seen.add(key)
                    elems.append((q, t))
                    nxt.append((q, t))
        frontier = nxt
    return elems


def _orbit_sizes(m: int, period: int, refl: list[tuple[int, int]]) -> NDArray[Any]:
    """Size of the orbit of each sample ``0..m-1`` under the reflections (``O(L)``)."""
    images = np.sort(np.array([p[:m] for p, _ in _reflection_group(period, refl)]), axis=0)
    return cast("NDArray[Any]", 1 + np.count_nonzero(np.diff(images, axis=0), axis=0))


def _isometry(m: int, period: int, refl: list[tuple[int, int]]) -> NDArray[Any]:
    """Orthonormal basis of ``V``: column ``n`` is the normalized ``e_χ e_n``."""
    iso = np.zeros((period, m))
    for p, s in _reflection_group(period, refl):
        np.add.at(iso, (p[:m], np.arange(m)), s[:m])
    norms = np.linalg.norm(iso, axis=0)
    if np.any(norms < 1e-12):
        raise AssertionError("a sample point is forced to zero by the character")  # pragma: no cover
    return cast("NDArray[Any]", iso / norms)


# Types V-VIII as ``trig(2π (n + α) f_k / L)``: (trig, α, f_k as a function of k).
_ODD_FORM: dict[tuple[str, int], tuple[str, float, Callable[[NDArray[Any]], NDArray[Any]]]] = {
    ("dct", 5): ("cos", 0.0, lambda k: k),
    ("dct", 6): ("cos", 0.5, lambda k: k),
    ("dct", 7): ("cos", 0.0, lambda k: 2 * k + 1),
    ("dct", 8): ("cos", 0.5, lambda k: 2 * k + 1),
    ("dst", 5): ("sin", 1.0, lambda k: k + 1),
    ("dst", 6): ("sin", 0.5, lambda k: k + 1),
    ("dst", 7): ("sin", 1.0, lambda k: 2 * k + 1),
    ("dst", 8): ("sin", 0.5, lambda k: 2 * k + 1),
}


class OddTrigKernel:
    """Fast ``O(M log M)`` DCT/DST of types V-VIII through one FFT of length ``L``.

    Row ``k`` of :func:`dtt_matrix` is ``c_k sqrt(|orbit(n)|) trig(2π (n + α) f_k / L)``;
    ``Σ_n u_n e^{∓2πi (n + α) f / L}`` is a phase times the FFT of the zero-padded ``u``
    at ``±f``.  ``c_k`` is the closed form ``1 / sqrt(L/2 ± (L/2)[2f ≡ 0] cos(4π α f / L))``.
    Call as ``kernel(x, axis)``; ``inverse=True`` gives the transpose (its inverse).
    """

    def __init__(self, m: int, family: str, t: int, inverse: bool = False) -> None:
        period, refl = _spec(family, t, m)
        trig, alpha, freq = _ODD_FORM[(family, t)]
        f = np.asarray(freq(np.arange(m)), dtype=np.intp)
        self.m, self.period, self.inverse_, self.cos = m, period, inverse, trig == "cos"
        self.f, self.neg = f % period, (-f) % period
        self.weight = np.sqrt(_orbit_sizes(m, period, refl).astype(float))
        self.phase = np.exp(2j * np.pi * alpha * f / period)
        alias = np.where((2 * f) % period == 0, np.cos(4 * np.pi * alpha * f / period), 0.0)
        self.scale = 1.0 / np.sqrt(period / 2 + (1 if self.cos else -1) * period / 2 * alias)

    def __call__(self, x: NDArray[Any], axis: int) -> NDArray[Any]:
        import scipy.fft as sfft

        real = not np.iscomplexobj(x)
        u = np.moveaxis(x, axis, -1)
        if not self.inverse_:
            spec = sfft.fft(u * self.weight, n=self.period, axis=-1)
            minus = np.conj(self.phase) * spec[..., self.f]
            plus = self.phase * spec[..., self.neg]
            out = (plus + minus) / 2 if self.cos else (plus - minus) / 2j
            out = out * self.scale
        else:
            v = u * self.scale
            a = np.zeros(u.shape[:-1] + (self.period,), dtype=complex)
            b = np.zeros_like(a)
            a[..., self.f] = v * self.phase
            b[..., self.neg] = v * np.conj(self.phase)
            both = a + b if self.cos else (a - b) / 1j
            out = sfft.ifft(both, axis=-1)[..., : self.m] * (self.period / 2) * self.weight
        if real:
            out = out.real
        return np.moveaxis(out, -1, axis)


def dihedral_fold(M: int, kind: str | tuple[str, int] = "dct2") -> DihedralFold:
    """The folded dihedral commutant whose matched transform is a DCT or DST.

    Parameters
    ----------
    M : int
        Number of samples (``M >= 2`` for ``dct1``, ``M >= 1`` otherwise).
    kind : str or tuple
        ``'dct1'`` ... ``'dct8'``, ``'dst1'`` ... ``'dst8'`` (also ``'DCT-II'`` or
        ``('dct', 2)``).  See the table in :mod:`algdiv.transforms.folds`.

    Returns
    -------
    DihedralFold
        A :class:`~algdiv.transforms.CommutantAlgebra`; ``algdiv.matched_transform`` of it
        is the orthonormal ``scipy.fft`` transform of that kind.

    Examples
    --------
    The DCT-II fold holds the Toeplitz-plus-Hankel matrices ``r(i-j) + r(i+j+1)``:

    >>> import numpy as np
    >>> F = dihedral_fold(4, "dct2")
    >>> F.period, F.reflections
    (8, ((-1, 1),))
    >>> r = np.array([4.0, 2.0, 1.0, 0.5, 0.25])
    >>> i, j = np.indices((4, 4))
    >>> np.allclose(F.element(r), r[np.abs(i - j)] + r[np.minimum(i + j + 1, 8 - i - j - 1)])
    True
    """
    if isinstance(M, bool) or not isinstance(M, (int, np.integer)):
        raise TypeError(f"M must be an int, got {type(M).__name__}")
    family, t = parse_kind(kind)
    minimum = 2 if (family, t) == ("dct", 1) else 1
    if M < minimum:
        raise ValueError(f"M must be at least {minimum} for {family.upper()}-{_roman(t)}, got {M}")
    return DihedralFold(int(M), family, t)
