"""The double-commutator eigenvalue problem (DC-GEVP).

Minimize ``‖[R, G]‖_F² / ‖G‖_F²`` over ``G = Σ_k c_k B_k``.  With the commutators
``C_k = [R, B_k]`` stacked as the rows of a ``(d, M²)`` matrix, ``D = C̄ Cᵀ`` holds
``D_jk = ⟨[R,B_j], [R,B_k]⟩_F = tr(B_jᴴ [R,[R,B_k]])`` and ``N = B̄ Bᵀ`` is the Gram
matrix; the problem is ``D c = λ N c``.  Both products are single BLAS calls, ``O(d²M²)``.

``N`` is never handed to a generalized solver: the span is first orthonormalized
(eigendecomposition of ``N``, directions with negligible weight dropped), which turns a
redundant or rank-deficient dictionary into an ordinary Hermitian eigenproblem.

For the conjugation-invariant dictionaries ``so``, ``u`` and ``gl`` the answer is known in
closed form from ``R = V Λ Vᴴ``: ``ad_R²`` acts on ``V E_ab Vᴴ`` as multiplication by
``(λ_a − λ_b)²``.  That exact path costs ``O(M³)`` (one ``eigh``) instead of ``O(M⁶)``.

Coefficients are real when ``R`` and every ``B_k`` are real, complex otherwise (the
complex span; for ``u(M)`` this is ``gl(M)``, whose eigenvalues are those of ``u(M)``
because ``ad_R`` preserves Hermitian and skew-Hermitian parts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.linalg
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from .._validation import as_square, check_hermitian
from . import bases as _bases

__all__ = ["dc_gevp", "DCGEVPResult"]

_DEFAULT_TOL = 1e-6  # residual below which a direction counts as (numerically) commuting
_DENSE_LIMIT = 150_000_000  # entries of the (d, M²) commutator stack
_GENERATOR_LIMIT = 100_000_000  # entries of the (k, M, M) near-null generator stack
_LAM_FLOOR = 1e-13  # relative eigenvalues below this are rounding noise
_SPARSE_FROM = 1 << 21  # a dense (d, M²) dictionary above this many entries ...
_SPARSE_RATIO = 16  # ... with at most 1/16 of them nonzero is handled as sparse


#: Builds the eigenvectors ``idx`` of the pencil: ``(generators (k, M, M), coefficients (d, k))``.
_Builder = Callable[[NDArray[np.intp]], tuple[NDArray[Any], NDArray[Any]]]
#: One family of eigenvectors of the exact path, described in R's eigenbasis:
#: ``(kind, a, b, scale)`` for the pair kinds "anti", "isym", "unit" (index arrays ``a``,
#: ``b``), or ``("diag", weights (k, M), factor)``.
_Entry = tuple[Any, ...]

class DCGEVPResult:
    """The solution of a DC-GEVP: spectrum, near-null generators, certificate.

    Attributes
    ----------
    eigenvalues : ndarray
        Ascending ``λ_k = ‖[R, G_k]‖_F² / ‖G_k‖_F²`` over an orthonormal basis of the span.
    certificate : float
        ``λ_min``: no nonzero generator in the span does better; 0 iff one commutes.
    residual : float
        ``‖[R, G*]‖_F / (‖R‖_F ‖G*‖_F)`` of the minimizer ``G*`` (scale-free, ours).
    null_dim : int
        Dimension of the near-null eigenspace (see :func:`dc_gevp` for the rule).
    generators : ndarray, shape (k, M, M)
        Unit-norm generators spanning the near-null space, ``k = max(null_dim, 1)``: the
        first is always the minimizer ``G*``, even when ``null_dim == 0``.
    coefficients : ndarray, shape (d, k)
        Their coefficients in the dictionary (in the fixed ``so``/``u``/``gl`` order for
        the exact path).
    residuals : ndarray, shape (k,)
        The scale-free residual of each generator, recomputed from the matrices.
    method : str
        ``"dense"`` or ``"exact"``.
    rank : int
        Dimension of the span actually searched (after dropping redundant directions and,
        with ``exclude_trivial``, the trivially commuting ones).

    Generators are built on first access (the exact path at large ``M`` never forms
    more than asked for); :meth:`generator` builds any single eigenvector.
    """

    def __init__(
        self,
        eigenvalues: NDArray[np.float64],
        null_dim: int,
        method: str,
        rank: int,
        r_norm: float,
        build: _Builder,
        r: NDArray[Any],
    ) -> None:
        self.eigenvalues: NDArray[Any] = eigenvalues
        self.null_dim: int = int(null_dim)
        self.method: str = method
        self.rank: int = int(rank)
        self._r_norm = r_norm
        self._build = build  # (indices) -> (generators (k,M,M), coefficients (d,k))
        self._R = r
        self._cache: tuple[NDArray[Any], NDArray[Any], NDArray[np.float64]] | None = None

    @property
    def certificate(self) -> float:
        return float(self.eigenvalues[0]) if self.eigenvalues.size else float("inf")

    def _residuals(self, gens: NDArray[Any]) -> NDArray[np.float64]:
        norms = np.linalg.norm(gens, axis=(1, 2))
        comm = np.matmul(self._R, gens) - np.matmul(gens, self._R)
        with np.errstate(invalid="ignore", divide="ignore"):
            res = np.linalg.norm(comm, axis=(1, 2)) / (self._r_norm * norms)
        residuals: NDArray[np.float64] = np.where(self._r_norm == 0, 0.0, res)
        return residuals

    def _materialize(self) -> tuple[NDArray[Any], NDArray[Any], NDArray[np.float64]]:
        if self._cache is None:
            k = max(self.null_dim, 1)
            m = self._R.shape[0]
            if k * m * m > _GENERATOR_LIMIT:
                raise ValueError(
                    f"the near-null space holds {k} generators of size {m}x{m} ({k * m * m} "
                    "entries); use result.generator(i), a tolerance, or exclude_trivial=True"
                )
            gens, coefs = self._build(np.arange(k))
            self._cache = (gens, coefs, self._residuals(gens))
        return self._cache

    def generator(self, i: int = 0) -> NDArray[Any]:
        """The ``i``-th unit-norm eigenvector as an ``M×M`` matrix (``i = 0``: the minimizer).

        Any ``i`` below ``rank`` is allowed, near-null or not; nothing else is built.
        """
        if not 0 <= i < self.rank:
            raise ValueError(f"i must be in [0, {self.rank}), got {i}")
        one: NDArray[Any] = self._build(np.array([i]))[0][0]
        return one

    @property
    def generators(self) -> NDArray[Any]:
        return self._materialize()[0]

    @property
    def coefficients(self) -> NDArray[Any]:
        return self._materialize()[1]

    @property
    def residuals(self) -> NDArray[np.float64]:
        return self._materialize()[2]

    @property
    def residual(self) -> float:
        return float(self.residuals[0])

    def __repr__(self) -> str:
        return (
            f"DCGEVPResult(method={self.method!r}, rank={self.rank}, null_dim={self.null_dim}, "
            f"certificate={self.certificate:.3g}, residual={self.residual:.3g})"
        )


def _null_dim(lam_rel: NDArray[Any], tol: float | None) -> int:
    """How many eigenvalues belong to the near-null space.

    With ``tol``: those with residual ``√λ_rel <= tol``.  Without: among those with
    residual ``<= 1e-6`` and the next one, cut at the largest gap in ``log λ``.
    """
    thr = (_DEFAULT_TOL if tol is None else tol) ** 2
    below = int(np.searchsorted(lam_rel, thr, side="right"))
    if tol is not None or below == 0 or below == lam_rel.size:
        return below
    x = np.log10(np.maximum(lam_rel[: below + 1], _LAM_FLOOR))
    return int(np.argmax(np.diff(x))) + 1


def _clusters(w: NDArray[Any], scale: float) -> list[NDArray[Any]]:
    """Indices of (numerically) equal eigenvalues of ``R``; ``w`` ascending."""
    tol = 1e-9 * max(scale, np.finfo(float).tiny)
    breaks = np.flatnonzero(np.diff(w) > tol) + 1
    return np.split(np.arange(w.size), breaks)


def _read_basis(basis: object, m: int) -> tuple[NDArray[Any] | sparse.csr_array, bool]:
    """The dictionary as a ``(d, M²)`` dense array or sparse matrix; and whether complex."""
    if isinstance(basis, np.ndarray) and basis.ndim == 3:
        items: list[Any] | None = None
        arr = basis
    elif sparse.issparse(basis):
        raise TypeError("basis must be a stack or a list of matrices, got a single sparse matrix")
    else:
        try:
            items = list(basis)  # type: ignore[call-overload]
        except TypeError:
            raise TypeError(
                f"basis must be 'so', 'u', 'gl', a (d, M, M) array or a list of matrices, "
                f"got {type(basis).__name__}"
            ) from None
        arr = None
        if not items:
            raise ValueError("basis is empty")
        if not any(sparse.issparse(b) for b in items):
            try:
                arr = np.asarray(items)
            except ValueError as exc:
                raise ValueError(f"basis matrices could not be stacked: {exc}") from None
            items = None
    if arr is not None:
        if arr.ndim != 3 or arr.shape[1:] != (m, m):
            raise ValueError(
                f"basis must hold {m}x{m} matrices to match R, got an array of shape {arr.shape}"
            )
        if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
            raise TypeError(f"basis must be numeric, got dtype {arr.dtype}")
        if not np.all(np.isfinite(arr)):
            raise ValueError("basis contains NaN or infinite values")
        if not np.issubdtype(arr.dtype, np.inexact):
            arr = arr.astype(float)
        flat = arr.reshape(arr.shape[0], m * m)
        if flat.size > _SPARSE_FROM and np.count_nonzero(flat) * _SPARSE_RATIO <= flat.size:
            # Mostly zeros (permutation matrices: 1/M): the sparse path costs O(nnz·M)
            # instead of O(d·M³) and gives the same sums (only exact zeros are dropped).
            return sparse.csr_array(flat), bool(np.iscomplexobj(arr))
        return flat, bool(np.iscomplexobj(arr))
    rows = []
    for k, b in enumerate(items):  # type: ignore[arg-type]
        c = sparse.coo_array(b) if sparse.issparse(b) else sparse.coo_array(np.asarray(b))
        if c.shape != (m, m):
            raise ValueError(f"basis matrix {k} is {c.shape[0]}x{c.shape[1]}, R is {m}x{m}")
        if not np.all(np.isfinite(c.data)):
            raise ValueError(f"basis matrix {k} contains NaN or infinite values")
        rows.append(c)
    cplx = any(np.iscomplexobj(c.data) for c in rows)
    dtype = complex if cplx else float
    kk = np.concatenate([np.full(c.nnz, k) for k, c in enumerate(rows)])
    ff = np.concatenate([c.coords[0] * m + c.coords[1] for c in rows])
    vv = np.concatenate([c.data.astype(dtype) for c in rows])
    flat = sparse.csr_array((vv, (kk, ff)), shape=(len(rows), m * m))
    return flat, cplx


def _commutators(r: NDArray[Any], flat: NDArray[Any] | sparse.csr_array, m: int) -> NDArray[Any]:
    """``[R, B_k]`` for every row of ``flat``, as a dense ``(d, M²)`` array."""
    d = flat.shape[0]
    if isinstance(flat, np.ndarray):
        b = flat.reshape(d, m, m)
        dense: NDArray[Any] = (np.matmul(r, b) - np.matmul(b, r)).reshape(d, m * m)
        return dense
    coo = flat.tocoo()
    k, f = coo.coords
    i, j = f // m, f % m
    # All B_k side by side (M x dM) and stacked (dM x M): two sparse-dense products.
    side = sparse.csr_array((coo.data, (i, k * m + j)), shape=(m, d * m))
    stack = sparse.csr_array((coo.data, (k * m + i, j)), shape=(d * m, m))
    rb = np.asarray((side.T @ r.T).T).reshape(m, d, m).transpose(1, 0, 2)  # R B_k
    br = np.asarray(stack @ r).reshape(d, m, m)  # B_k R
    commutators: NDArray[Any] = (rb - br).reshape(d, m * m)
    return commutators


def dc_gevp(
    R: ArrayLike,
    basis: str | ArrayLike | Sequence[ArrayLike],
    *,
    exclude_trivial: bool = False,
    tol: float | None = None,
) -> DCGEVPResult:
    """Solve the double-commutator eigenvalue problem ``D c = λ N c``.

    Finds the generators ``G = Σ c_k B_k`` that commute best with ``R``:
    ``min ‖[R, G]‖_F² / ‖G‖_F²``.  ``λ_min = 0`` iff a nonzero generator in the span
    commutes exactly; otherwise it is a certified gap.

    Parameters
    ----------
    R : array_like, shape (M, M)
        Hermitian (real symmetric or complex).  Not modified.
    basis : {"so", "u", "gl"}, array_like (d, M, M) or list of matrices
        The dictionary (see :mod:`algdiv.discovery.bases`): a stacked array or a list of
        dense or ``scipy.sparse`` matrices, real or complex, possibly redundant.  The
        strings select the exact ``O(M³)`` path for ``so(M)`` (real ``R`` only), ``u(M)``
        or ``gl(M)``, whose answer equals the dense path on the dictionaries
        ``bases.so(M)``, ``bases.u(M)``, ``bases.gl(M)``.
    exclude_trivial : bool
        Project out the directions that commute with ``R`` for a trivial reason: the
        polynomials ``I, R, R², …`` (spanned by ``R``'s spectral projectors, eigenvalues
        grouped within ``1e-9·‖R‖₂``).  The commutators are unchanged; only the Gram
        matrix and the returned generators are.  The projectors are never formed: their
        inner products with the dictionary come from ``R``'s eigenvectors, so the extra
        memory is ``O(M²)`` (one ``eigh``) whatever the number of eigenvalue clusters.
    tol : float, optional
        Residual ``‖[R,G]‖_F / (‖R‖_F ‖G‖_F)`` at or below which a direction counts as
        commuting.  Given: ``null_dim`` counts those directions.  Omitted: among the
        directions with residual ``<= 1e-6`` and the next one, the rank is cut at the
        largest gap in ``log λ`` (relative eigenvalues ``λ/‖R‖_F² < 1e-13`` count as
        rounding noise, so exact zeros of different sizes form one cluster).

    Returns
    -------
    DCGEVPResult
        ``eigenvalues`` (ascending), ``certificate`` (``λ_min``), ``residual``,
        ``null_dim``, ``generators``, ``coefficients``, ``residuals``, ``method``.

    Raises
    ------
    ValueError
        If ``R`` is not square, not finite or not Hermitian; if the basis matrices do not
        match ``R`` in size or hold NaN; if ``basis="so"`` with a complex ``R``.
    TypeError
        If ``basis`` is not a string, array or list of matrices.

    Examples
    --------
    A symmetric circulant matrix commutes with the cyclic shifts:

    >>> import numpy as np
    >>> from scipy.linalg import circulant
    >>> from algdiv.discovery import bases
    >>> R = circulant([4., 1., 0.5, 1.])
    >>> res = dc_gevp(R, bases.shifts(4))
    >>> res.null_dim, res.residual < 1e-12
    (3, True)

    A generic matrix does not; the certificate says by how much at best:

    >>> R2 = R + np.diag([0., 0.3, 0., 0.])
    >>> res2 = dc_gevp(R2, bases.shifts(4))
    >>> res2.null_dim, bool(res2.certificate > 1e-3)
    (0, True)

    The exact path for ``so(M)`` agrees with the dense one:

    >>> rng = np.random.default_rng(0)
    >>> A = rng.standard_normal((5, 5)); A = A + A.T
    >>> bool(np.allclose(dc_gevp(A, "so").eigenvalues, dc_gevp(A, bases.so(5)).eigenvalues))
    True
    """
    r = as_square(R, "R")
    check_hermitian(r, "R")
    if tol is not None and not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a non-negative number, got {tol!r}")
    r = (r + np.conj(r.T)) / 2  # exactly Hermitian from here on
    if isinstance(basis, str):
        return _exact(r, basis, exclude_trivial, tol)
    return _dense(r, basis, exclude_trivial, tol)


class _Trivial:
    """The trivially commuting directions: ``R``'s spectral projectors, never formed densely.

    With ``R = V Λ Vᴴ`` and the eigenvalues grouped into clusters ``c`` (equal within
    ``1e-9·‖R‖₂``), the polynomials in ``R`` are spanned by the orthonormal directions
    ``T_c = P_c / √|c|``, ``P_c = V_c V_cᴴ``.  Everything the DC-GEVP needs from them
    comes from ``V`` in ``O(M²)`` memory:

    * ``⟨T_c, B⟩ = Σ_{a∈c} v_aᴴ B v_a / √|c|`` (the diagonal of ``Vᴴ B V``, summed per
      cluster; ``O(nnz(B)·M)`` for a sparse ``B``);
    * ``Σ_c x_c T_c = V diag(x_{c(a)} / √|c(a)|) Vᴴ``.

    (Stacking the ``T_c`` as ``M²``-vectors instead needs about ``M³/2`` numbers when most
    eigenvalues are double, as for dihedral invariance.)
    """

    def __init__(self, r: NDArray[Any]) -> None:
        w, v = np.linalg.eigh(r)
        scale = float(np.max(np.abs(w), initial=0.0))
        clusters = _clusters(w, scale)
        self.v = v
        self.label = np.empty(w.size, dtype=np.intp)
        for c, idx in enumerate(clusters):
            self.label[idx] = c
        self.size = np.array([idx.size for idx in clusters], dtype=float)
        self.count = len(clusters)

    def _per_cluster(self, diag: NDArray[Any]) -> NDArray[Any]:
        """``(k, M)`` per-eigenvector values -> ``(k, t)`` sums over clusters / √|c|."""
        k = diag.shape[0]
        rows = np.repeat(np.arange(k), diag.shape[1])
        cols = np.tile(self.label, k)
        out = np.zeros((k, self.count), dtype=diag.dtype)
        np.add.at(out, (rows, cols), diag.ravel())
        per_cluster: NDArray[Any] = out / np.sqrt(self.size)
        return per_cluster

    def inner(self, flat: NDArray[Any] | sparse.csr_array) -> NDArray[Any]:
        """``out[c, k] = ⟨T_c, B_k⟩`` for the rows of ``flat`` (shape ``(t, d)``)."""
        v, d = self.v, flat.shape[0]
        m = v.shape[0]
        vc = np.conj(v)
        if isinstance(flat, np.ndarray):
            diag = np.empty((d, m), dtype=np.result_type(v, flat))
            step = max(1, 2**22 // (m * m))  # rows per batch: bounded (batch, M, M) temporaries
            for s in range(0, d, step):
                bv = np.matmul(flat[s : s + step].reshape(-1, m, m), v)
                diag[s : s + step] = np.sum(vc * bv, axis=1)
        else:
            coo = flat.tocoo()
            k_idx, f = coo.coords
            i, j = f // m, f % m
            diag = np.zeros((d, m), dtype=np.result_type(v, coo.data))
            step = max(1, 2**22 // max(m, 1))  # entries per chunk: bounded (chunk, M) temporaries
            for s in range(0, coo.nnz, step):
                sl = slice(s, s + step)
                terms = vc[i[sl]] * v[j[sl]] * coo.data[sl, None]
                np.add.at(diag, k_idx[sl], terms)
        return self._per_cluster(diag).T

    def combine(self, x: NDArray[Any]) -> NDArray[Any]:
        """``Σ_c x[c, k] T_c`` for each column of ``x`` (shape ``(t, k)``), as ``(k, M²)``."""
        v = self.v
        m = v.shape[0]
        scaled = x / np.sqrt(self.size)[:, None]  # (t, k)
        out = np.empty((x.shape[1], m * m), dtype=np.result_type(v, x))
        for k in range(x.shape[1]):
            out[k] = ((v * scaled[self.label, k]) @ np.conj(v.T)).ravel()
        return out


class _Problem:
    """A dictionary's DC-GEVP in orthonormal coordinates (shared with ``sequential``).

    ``flat``: the dictionary as ``(d, M²)`` rows; ``dmat``: ``D``; ``t``: ``(d, r)`` map
    from orthonormal coordinates to dictionary coefficients; ``dt = tᴴ D t``; ``triv``:
    the trivial directions projected out (or ``None``).
    """

    def __init__(self, r: NDArray[Any], basis: object, exclude_trivial: bool) -> None:
        m = r.shape[0]
        flat, basis_complex = _read_basis(basis, m)
        d = flat.shape[0]
        if d * m * m > _DENSE_LIMIT:
            raise ValueError(
                f"the dense DC-GEVP would stack {d} commutators of size {m}x{m} "
                f"({d * m * m} entries); use basis='so'/'u'/'gl' or a smaller dictionary"
            )
        cplx = basis_complex or np.iscomplexobj(r)
        if cplx:
            r = r.astype(complex)
            flat = flat.astype(complex)
        comm = _commutators(r, flat, m)
        dmat = np.conj(comm) @ comm.T if cplx else comm @ comm.T
        if sparse.issparse(flat):
            nmat = (flat.conj() @ flat.T).toarray() if cplx else (flat @ flat.T).toarray()
        else:
            nmat = np.conj(flat) @ flat.T if cplx else flat @ flat.T
        triv, self.w_tb = None, None
        if exclude_trivial:
            triv = _Trivial(r)
            w_tb = triv.inner(flat)  # <T_c, B_k>: remove the trivial part from the Gram matrix
            if not cplx:
                w_tb = w_tb.real
            nmat = nmat - np.conj(w_tb.T) @ w_tb
            self.w_tb = w_tb
        nmat = (nmat + np.conj(nmat.T)) / 2
        self.dmat = (dmat + np.conj(dmat.T)) / 2
        mu, q = scipy.linalg.eigh(nmat)
        mu_max = float(mu[-1]) if mu.size else 0.0
        keep = mu > 1e-10 * max(mu_max, np.finfo(float).tiny) * max(1, d) ** 0.5
        if not np.any(keep):
            raise ValueError("basis spans nothing (after removing trivial directions)")
        self.t = q[:, keep] / np.sqrt(mu[keep])
        dt = np.conj(self.t.T) @ self.dmat @ self.t
        self.dt = (dt + np.conj(dt.T)) / 2
        self.r, self.flat, self.triv, self.m = r, flat, triv, m

    def matrices(self, coef: NDArray[Any]) -> NDArray[Any]:
        """``Σ_k c_k B_k`` (trivial part removed) for each column of ``coef``: ``(k, M, M)``."""
        flat, m = self.flat, self.m
        g = np.asarray(flat.T @ coef).T if sparse.issparse(flat) else coef.T @ flat
        if self.triv is not None:
            g = g - self.triv.combine(self.w_tb @ coef)
        return g.reshape(coef.shape[1], m, m)


def _dense(r: NDArray[Any], basis: object, exclude_trivial: bool, tol: float | None) -> DCGEVPResult:
    prob = _Problem(r, basis, exclude_trivial)
    lam, y = scipy.linalg.eigh(prob.dt)
    lam = np.maximum(lam, 0.0)
    r_norm = float(np.linalg.norm(r))
    lam_rel = lam / r_norm**2 if r_norm > 0 else np.zeros_like(lam)
    null_dim = _null_dim(lam_rel, tol)
    coef_all = prob.t @ y

    def build(idx: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any]]:
        c = coef_all[:, idx]
        return prob.matrices(c), c

    return DCGEVPResult(lam, null_dim, "dense", prob.t.shape[1], r_norm, build, prob.r)


def _exact(r: NDArray[Any], kind: str, exclude_trivial: bool, tol: float | None) -> DCGEVPResult:
    if kind not in ("so", "u", "gl"):
        raise ValueError(f"basis given as text must be 'so', 'u' or 'gl', got {kind!r}")
    m = r.shape[0]
    cplx_r = np.iscomplexobj(r) and np.any(r.imag != 0)
    if kind == "so" and cplx_r:
        raise ValueError(
            "basis='so' needs a real symmetric R (ad_R² does not preserve so(M) for complex "
            "Hermitian R); use 'u' or pass bases.so(M) for the dense path"
        )
    if not cplx_r:
        r = r.real
    w, v = np.linalg.eigh(r)
    scale = float(np.max(np.abs(w), initial=0.0))
    a, b = np.triu_indices(m, 1)
    off = (w[a] - w[b]) ** 2
    # Each eigenvector is described by a small matrix E in R's eigenbasis (G = V E Vᴴ):
    # ("pair", a, b, type) for off-diagonal ones, ("diag", weights) for diagonal ones.
    entries: list[_Entry] = []
    lams: list[NDArray[Any]] = []
    s = 2**-0.5
    if kind == "so":
        lams.append(off)
        entries.append(("anti", a, b, s))
    elif kind == "gl":
        lams += [off, off]
        entries += [("unit", a, b, 1.0), ("unit", b, a, 1.0)]
    else:
        lams += [off, off]
        entries += [("anti", a, b, s), ("isym", a, b, s)]
    if kind != "so":
        diag_w = []
        for idx in _clusters(w, scale):
            if exclude_trivial:
                diag_w += _traceless(idx, m)
            else:
                for j in idx:
                    e = np.zeros(m)
                    e[j] = 1.0
                    diag_w.append(e)
        if diag_w:
            lams.append(np.zeros(len(diag_w)))
            entries.append(("diag", np.array(diag_w), 1j if kind == "u" else 1.0))
    lam = np.concatenate(lams)
    order = np.argsort(lam, kind="stable")
    lam = lam[order]
    r_norm = float(np.linalg.norm(r))
    lam_rel = lam / r_norm**2 if r_norm > 0 else np.zeros_like(lam)
    null_dim = _null_dim(lam_rel, tol)
    sizes = np.cumsum([0] + [_entry_size(e) for e in entries])

    def build(idx: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any]]:
        gens = []
        for pos in order[idx]:
            blk = int(np.searchsorted(sizes, pos, side="right")) - 1
            gens.append(_entry_matrix(entries[blk], pos - sizes[blk], v, m))
        g = np.array(gens)
        if kind == "so":
            g = g.real
        coef = _bases.coordinates(kind, g).T
        if kind != "gl":
            coef = coef.real
        return g, coef

    return DCGEVPResult(lam, null_dim, "exact", lam.size, r_norm, build, r)


def _traceless(idx: NDArray[Any], m: int) -> list[NDArray[Any]]:
    """Orthonormal vectors supported on ``idx`` summing to zero (Helmert), ``|idx| - 1`` of them."""
    out = []
    for t in range(1, idx.size):
        e = np.zeros(m)
        e[idx[:t]] = 1.0
        e[idx[t]] = -float(t)
        out.append(e / np.sqrt(t * (t + 1)))
    return out


def _entry_size(entry: _Entry) -> int:
    return len(entry[1]) if entry[0] == "diag" else entry[1].size


def _entry_matrix(entry: _Entry, pos: int, v: NDArray[Any], m: int) -> NDArray[Any]:
    kind = entry[0]
    out: NDArray[Any]
    if kind == "diag":
        weights, factor = entry[1][pos], entry[2]
        out = factor * (v * weights) @ np.conj(v.T)
        return out
    _, a, b, c = entry
    va, vb = v[:, a[pos]], v[:, b[pos]]
    if kind == "unit":
        out = c * np.outer(va, np.conj(vb))
        return out
    e_ab = np.outer(va, np.conj(vb))
    e_ba = np.outer(vb, np.conj(va))
    out = c * (e_ab - e_ba) if kind == "anti" else 1j * c * (e_ab + e_ba)  # else "isym"
    return out
