"""Commutant algebras given by matrices, for transforms that do not come from a group.

A :class:`CommutantAlgebra` is a ``*``-algebra of ``M × M`` matrices (closed under
sums, products and conjugate transposes), given by a spanning set.  Its common
block-diagonalizing basis is its matched transform.  The commutant of a permutation
group is one (use the group itself); the dihedral folds of
:func:`algdiv.transforms.dihedral_fold` are others.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_square

__all__ = ["CommutantAlgebra"]


class CommutantAlgebra:
    """The matrix ``*``-algebra spanned by ``matrices``.

    Parameters
    ----------
    matrices : array_like, shape (k, M, M)
        A spanning set (real or complex).  The span must be closed under conjugate
        transposition (checked) and under products (not checked here: the matched
        transform verifies the block structure it finds and reports failure).
    name : str, optional

    Examples
    --------
    The symmetric circulants on 4 points (the commutant of ``D_4``):

    >>> import numpy as np
    >>> from scipy.linalg import circulant
    >>> A = CommutantAlgebra([np.eye(4), circulant([0, 1, 0, 1]), circulant([0, 0, 1, 0])])
    >>> A.degree, A.dim
    (4, 3)
    >>> bool(A.contains(circulant([5.0, 2.0, 1.0, 2.0])))
    True
    """

    def __init__(self, matrices: ArrayLike, *, name: str | None = None) -> None:
        mats = as_square(matrices, "matrices", batch=True)
        if mats.ndim != 3 or mats.shape[0] == 0:
            raise ValueError(
                f"matrices must be a non-empty stack (k, M, M), got shape {mats.shape}"
            )
        self._degree = int(mats.shape[-1])
        self._name = name or f"matrix algebra on {self._degree} points"
        self._basis = _orthonormal_span(mats)
        adj = np.conj(np.swapaxes(mats, -1, -2))
        if not np.allclose(self.project(adj), adj, atol=1e-9 * max(1.0, np.abs(mats).max())):
            raise ValueError("matrices must span a set closed under conjugate transposition")

    @property
    def degree(self) -> int:
        """The size ``M`` of the matrices."""
        return self._degree

    @property
    def dim(self) -> int:
        """The dimension of the span."""
        return int(self._basis.shape[0])

    @property
    def name(self) -> str:
        return self._name

    @property
    def basis(self) -> NDArray[Any]:
        """An orthonormal (Frobenius) basis of the span, shape ``(dim, M, M)``."""
        return self._basis

    def __repr__(self) -> str:
        return f"<CommutantAlgebra {self._name} of dimension {self.dim}>"

    def project(self, A: ArrayLike) -> NDArray[Any]:
        """The orthogonal (Frobenius) projection of ``A`` (or a stack) onto the span."""
        a = as_square(A, "A", batch=True, size=self.degree)
        b = self.basis  # (a subclass may build it on demand)
        coef = np.einsum("kij,...ij->...k", np.conj(b), a)
        return cast("NDArray[Any]", np.einsum("...k,kij->...ij", coef, b))

    def contains(self, A: ArrayLike, tol: float = 1e-10) -> bool:
        """Whether ``A`` lies in the span, within relative Frobenius tolerance ``tol``."""
        a = as_square(A, "A", size=self.degree)
        norm = float(np.linalg.norm(a))
        return norm == 0.0 or float(np.linalg.norm(a - self.project(a))) <= tol * norm

    # -- what the generic derivation needs ------------------------------------------------
    def _is_real_symmetric(self) -> bool:
        b = self.basis
        return not np.iscomplexobj(b) and np.allclose(b, np.swapaxes(b, -1, -2))

    def _random_element(self, rng: np.random.Generator, complex_: bool) -> NDArray[Any]:
        c = rng.standard_normal(self.dim)
        if complex_:
            c = c + 1j * rng.standard_normal(self.dim)
        return np.tensordot(c, self.basis, axes=1)


def _orthonormal_span(mats: NDArray[Any]) -> NDArray[Any]:
    k, m, _ = mats.shape
    flat = mats.reshape(k, m * m)
    _, s, vh = np.linalg.svd(flat, full_matrices=False)
    rank = int(np.sum(s > 1e-10 * s[0])) if s.size and s[0] > 0 else 0
    if rank == 0:
        raise ValueError("matrices span only the zero matrix")
    return vh[:rank].reshape(rank, m, m).copy()
