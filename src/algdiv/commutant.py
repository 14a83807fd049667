"""The commutant C(G) of a permutation group and the Reynolds projection onto it.

``C(G) = {A : P_g A P_gᵀ = A for all g}`` is spanned by the orbital matrices, one 0/1
matrix per orbit of ``G`` on ordered pairs ``(i, j)``.  They are mutually orthogonal,
so the orthogonal projection onto ``C(G)`` (the Reynolds operator
``Φ_G(A) = (1/|G|) Σ_g P_g A P_gᵀ``) replaces each entry of ``A`` by the mean of ``A``
over its pair orbit.  With the pair-orbit labels cached this is one pass over the
``M²`` entries, whatever ``|G|``: the group's elements are never listed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from ._circulant_average import circulant_kind, circulant_project
from ._limits import check_memory
from ._tree_average import tree_levels, tree_project
from ._validation import as_float_array, as_group, as_square, check_finite
from .groups import PermutationGroup
from .groups.signed import SignedPermutationGroup

__all__ = [
    "orbital_basis",
    "commutant_dim",
    "effective_dimension",
    "reynolds",
    "is_invariant",
    "invariance_residual",
]

_DENSE_BASIS_LIMIT = 50_000_000  # entries of a dense (dim, M, M) orbital basis


def orbital_basis(
    G: PermutationGroup, *, sparse_format: bool = False
) -> NDArray[np.float64] | list[Any]:
    """The orbital matrices of ``G``: a basis of its commutant.

    ``B_k[i, j] = 1`` when the pair ``(i, j)`` lies in the ``k``-th pair orbit, else 0.
    The ``B_k`` are orthogonal in the Frobenius inner product and sum to the all-ones
    matrix.

    Parameters
    ----------
    G : PermutationGroup
    sparse_format : bool
        Return a list of ``scipy.sparse.csr_array`` instead of a dense ``(dim, M, M)``
        array (required when the dense array would be very large).

    Examples
    --------
    >>> from algdiv.groups import dihedral
    >>> B = orbital_basis(dihedral(4))
    >>> B.shape
    (3, 4, 4)
    >>> B[1].astype(int)
    array([[0, 1, 0, 1],
           [1, 0, 1, 0],
           [0, 1, 0, 1],
           [1, 0, 1, 0]])
    """
    G = as_group(G)
    labels = G.pair_orbits()
    dim, m = G.n_pair_orbits, G.degree
    if sparse_format:
        flat = labels.ravel()
        order = np.argsort(flat, kind="stable")
        bounds = np.concatenate([[0], np.cumsum(G.pair_orbit_sizes())])
        out = []
        for k in range(dim):
            idx = order[bounds[k] : bounds[k + 1]]
            out.append(
                sparse.csr_array(
                    (np.ones(idx.size), (idx // m, idx % m)), shape=(m, m)
                )
            )
        return out
    if dim * m * m > _DENSE_BASIS_LIMIT:
        raise ValueError(
            f"a dense orbital basis of {G.name} would hold {dim * m * m} entries; "
            "pass sparse_format=True"
        )
    check_memory(8.0 * dim * m * m, f"a dense orbital basis of {G.name} (or pass sparse_format=True)")
    basis = np.zeros((dim, m, m))
    i, j = np.indices((m, m))
    basis[labels, i, j] = 1.0
    return basis


def commutant_dim(G: PermutationGroup) -> int:
    """``dim C(G)``, the number of orbits of ``G`` on ordered pairs.

    Examples
    --------
    >>> from algdiv.groups import cyclic
    >>> commutant_dim(cyclic(16))
    16
    """
    return as_group(G).n_pair_orbits


def effective_dimension(G: PermutationGroup) -> float:
    """``d_eff = M² / dim C(G)``: how many times fewer free parameters ``Φ_G`` leaves.

    ``dim C(G)`` is the number of free parameters of a ``G``-invariant matrix, so
    ``d_eff`` is ``M²`` over that number.  It is also an error ratio, in one case: for
    circular complex Gaussian snapshots with an identity-scaled covariance
    ``R = σ² I`` the entries of ``S − R`` are uncorrelated with equal variance, and the
    expected squared Frobenius error of ``Φ_G(S)`` is exactly ``d_eff`` times smaller
    than that of ``S``.  For other covariances, and for real data (where
    ``S_ij = S_ji`` are the same number), the ratio differs: real Gaussian data give
    about 5.9 for ``D_4`` on 16 points, where ``d_eff = 7.53`` (docs/estimation.md, "The
    variance law").

    Examples
    --------
    >>> from algdiv.groups import dihedral
    >>> round(effective_dimension(dihedral(16)), 2)
    28.44
    """
    G = as_group(G)
    return G.degree**2 / G.n_pair_orbits


def _project(
    a: NDArray[Any],
    G: PermutationGroup | SignedPermutationGroup,
    *,
    finite_name: str | None = None,
) -> NDArray[Any]:
    """Φ_G on a validated ``(..., M, M)`` array (no checks).

    Internal API for algdiv's own packages, under the name :data:`project_unchecked`:
    ``a`` must already be a float or complex array of shape ``(..., M, M)`` with
    ``M = G.degree`` and ``G`` a :class:`PermutationGroup` or a
    :class:`~algdiv.groups.SignedPermutationGroup` (what :func:`reynolds` checks at the
    public boundary; a signed group averages through its signed pair orbits).
    ``_project`` is the old name, kept as an alias.

    With ``finite_name``, ``a`` may still hold NaN or infinities: every entry lies in one
    pair orbit, so a non-finite entry makes its orbit's sum non-finite, and only then is
    ``a`` checked (:func:`~algdiv._validation.check_finite`, its error naming
    ``finite_name``).  The finiteness check thus costs no pass over ``a`` of its own.
    """
    if isinstance(G, SignedPermutationGroup):
        return G.reynolds(a)
    levels = tree_levels(G)
    if levels is not None:  # a tree group in natural order: level sums, no labels
        finite = [True]
        out = tree_project(a, levels, finite)
        if finite_name is not None and not finite[0]:
            check_finite(a, finite_name)
        return out
    kind = circulant_kind(G)
    if kind is not None:  # cyclic or dihedral in natural order: wrapped-diagonal sums
        finite = [True]
        out = circulant_project(a, kind, finite)
        if finite_name is not None and not finite[0]:
            check_finite(a, finite_name)
        return out
    labels = G.pair_orbits()
    counts = G.pair_orbit_sizes()
    m, dim = G.degree, G.n_pair_orbits
    flat = labels.ravel()
    batch_shape = a.shape[:-2]
    stack = a.reshape(-1, m * m)
    complex_ = np.iscomplexobj(a)
    if stack.shape[0] == 1:
        row = stack[0]
        means = np.bincount(flat, weights=row.real, minlength=dim) / counts
        if complex_:
            with np.errstate(invalid="ignore"):  # (inf * 1j: checked below)
                means = means + 1j * (np.bincount(flat, weights=row.imag, minlength=dim) / counts)
        if finite_name is not None and not np.all(np.isfinite(means)):
            check_finite(a, finite_name)
        one: NDArray[Any] = means[labels].reshape(a.shape)
        return one
    # Many matrices: one sparse (dim x M²) averaging operator applied to all of them.
    avg = sparse.csr_array(
        (1.0 / counts[flat], (flat, np.arange(m * m))), shape=(dim, m * m)
    )
    means = (avg @ stack.T).T  # (batch, dim)
    if finite_name is not None and not np.all(np.isfinite(means)):
        check_finite(a, finite_name)
    many: NDArray[Any] = means[:, labels].reshape(batch_shape + (m, m))
    return many


#: Internal API: :func:`_project` under a name other packages may import.
project_unchecked = _project


def reynolds(A: ArrayLike, G: PermutationGroup) -> NDArray[Any]:
    """The Reynolds projection ``Φ_G(A) = (1/|G|) Σ_g P_g A P_gᵀ`` onto the commutant.

    Each entry is replaced by the mean of ``A`` over its pair orbit: ``O(M²)`` per matrix
    once the labels are cached, whatever the group's order.  It is the orthogonal
    projection onto ``C(G)``: idempotent, self-adjoint, and it keeps Hermitian and
    positive semi-definite matrices so.

    Parameters
    ----------
    A : array_like, shape (..., M, M)
        Real or complex matrices; leading axes are a batch.  Not modified.
    G : PermutationGroup, SignedPermutationGroup or str
        The group (or its text, see :func:`algdiv.groups.parse`), of degree ``M``; a
        signed-permutation group averages ``Q_g A Q_gᵀ`` over its signed permutations.

    Returns
    -------
    ndarray, shape (..., M, M)
        Float or complex, like ``A``.

    Raises
    ------
    ValueError
        If ``A`` is not square, holds NaN/inf, or its size differs from the degree.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv import reynolds
    >>> from algdiv.groups import cyclic
    >>> A = np.arange(9.).reshape(3, 3)
    >>> reynolds(A, cyclic(3))
    array([[4., 3., 5.],
           [5., 4., 3.],
           [3., 5., 4.]])
    """
    if isinstance(G, SignedPermutationGroup):  # signed pair orbits (see its reynolds)
        return G.reynolds(A)
    G = as_group(G)
    a = _as_matrices(A, G.degree)
    return _project(a, G, finite_name="A")


def _as_matrices(A: ArrayLike, m: int) -> NDArray[Any]:
    """``as_square(A, "A", batch=True, size=m)`` but for its finiteness pass, which
    :func:`_project` makes from the orbit sums instead (same messages)."""
    a = as_float_array(A, "A")
    if a.ndim < 2:
        raise ValueError(f"A must be a square matrix (..., M, M), got shape {a.shape}")
    if a.shape[-1] != a.shape[-2]:
        raise ValueError(f"A must be square, got shape {a.shape}")
    if a.shape[-1] != m:
        raise ValueError(f"A is {a.shape[-1]}x{a.shape[-1]} but the group acts on {m} points")
    return a


def invariance_residual(R: ArrayLike, G: PermutationGroup | str) -> float:
    """``‖R − Φ_G(R)‖_F / ‖R‖_F``: 0 exactly when ``R`` is ``G``-invariant.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.groups import cyclic
    >>> invariance_residual(np.eye(4), cyclic(4))
    0.0
    """
    G = as_group(G)
    r = as_square(R, "R", size=G.degree)
    norm = float(np.linalg.norm(r))
    if norm == 0.0:
        return 0.0
    return float(np.linalg.norm(r - _project(r, G)) / norm)


def is_invariant(R: ArrayLike, G: PermutationGroup | str, tol: float = 1e-10) -> bool:
    """Whether ``P_g R P_gᵀ = R`` for all ``g``, within relative Frobenius tolerance ``tol``.

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.groups import cyclic, dihedral
    >>> from scipy.linalg import circulant
    >>> C = circulant([4., 1., 0., 2.])
    >>> is_invariant(C, cyclic(4)), is_invariant(C, dihedral(4))
    (True, False)
    """
    if tol < 0:
        raise ValueError(f"tol must be non-negative, got {tol}")
    return invariance_residual(R, G) <= tol
