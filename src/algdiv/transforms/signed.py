"""Matched transforms of signed-permutation (monomial) groups.

The commutant of a :class:`~algdiv.groups.SignedPermutationGroup` is a ``*``-algebra
spanned by its signed orbital matrices (:meth:`~algdiv.groups.SignedPermutationGroup.
signed_pair_orbits`), so the generic derivation of :mod:`algdiv.transforms.generic`
applies unchanged once it can draw random elements: :class:`SignedCommutant` draws them
in ``O(M²)`` from the labels and signs, never listing the group.

The negacyclic group (:func:`algdiv.groups.negacyclic`) has a closed form: the
odd-frequency DFT :func:`odft`, ``U[n, k] = exp(iπ(2k+1)n/M)/√M``, applied with one FFT.
Its dihedral extension on ``2M`` points, folded by its reflection, gives the DCT/DST of
types III and IV (docs/transforms.md, "Signed permutations").
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import scipy.fft as sfft
from numpy.typing import ArrayLike, NDArray

from .._limits import check_memory
from .._validation import as_square, check_hermitian
from ..groups import SignedPermutationGroup
from ._checks import derivation_rng
from ._transform import Block, Transform
from .algebra import CommutantAlgebra
from .generic import derive, refine

__all__ = ["SignedCommutant", "odft", "signed_matched_transform"]



class SignedCommutant(CommutantAlgebra):
    """The commutant of a signed-permutation group, as a :class:`CommutantAlgebra`.

    Everything is read from the signed pair orbits: ``dim`` is their number, ``project``
    the group average, random elements cost ``O(M²)``; the dense ``basis`` is only formed
    when asked for.  ``algdiv.matched_transform(SignedCommutant(G), R)`` derives the
    matched transform (see also :func:`signed_matched_transform`).

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.groups import negacyclic
    >>> A = SignedCommutant(negacyclic(6, reflection="half"))
    >>> A.degree, A.dim
    (6, 3)
    >>> bool(A.contains(np.eye(6)))
    True
    """

    def __init__(self, G: SignedPermutationGroup, *, name: str | None = None) -> None:
        if not isinstance(G, SignedPermutationGroup):
            raise TypeError(f"G must be a SignedPermutationGroup, got {type(G).__name__}")
        self._group = G
        self._degree = G.degree
        self._name = name or f"commutant of the {G.name}"
        self._labels, self._signs = G.signed_pair_orbits()
        self._dense: NDArray[Any] | None = None

    @property
    def group(self) -> SignedPermutationGroup:
        """The signed-permutation group."""
        return self._group

    @property
    def dim(self) -> int:
        """``dim C(G)``, the number of consistent signed pair orbits."""
        return self._group.commutant_dim

    @property
    def basis(self) -> NDArray[Any]:
        """An orthonormal (Frobenius) basis: the signed orbital matrices over ``√|O|``."""
        if self._dense is None:
            b = self._group.commutant_basis()
            norms = np.sqrt(np.abs(b).sum(axis=(1, 2)))
            self._dense = b / norms[:, None, None]
            self._dense.flags.writeable = False
        return self._dense

    def project(self, A: ArrayLike) -> NDArray[Any]:
        """The orthogonal projection onto the commutant: the group average, ``O(M²)``."""
        return self._group.reynolds(A)

    def _is_real_symmetric(self) -> bool:
        labels, signs = self._labels, self._signs
        return bool(np.array_equal(labels, labels.T) and np.array_equal(signs, signs.T))

    def _random_element(self, rng: np.random.Generator, complex_: bool) -> NDArray[Any]:
        c: NDArray[Any] = rng.standard_normal(self.dim)
        if complex_:
            c = c + 1j * rng.standard_normal(self.dim)
        keep = self._labels >= 0
        out = np.zeros((self._degree, self._degree), dtype=c.dtype)
        out[keep] = self._signs[keep] * c[self._labels[keep]]
        return out


class _Odft:
    """The odd-frequency DFT (or its inverse) along an axis, with one FFT."""

    def __init__(self, m: int, inverse: bool) -> None:
        self.inverse_ = inverse
        self.twist = np.exp((1j if inverse else -1j) * np.pi * np.arange(m) / m)

    def __call__(self, x: NDArray[Any], axis: int) -> NDArray[Any]:
        shape = [1] * x.ndim
        shape[axis] = -1
        w = self.twist.reshape(shape)
        if self.inverse_:
            return cast("NDArray[Any]", sfft.ifft(x, axis=axis, norm="ortho") * w)
        return cast("NDArray[Any]", sfft.fft(x * w, axis=axis, norm="ortho"))


def odft(M: int) -> Transform:
    """The odd-frequency DFT, matched transform of the negacyclic group ``negacyclic(M)``.

    Column ``k`` of ``U`` is ``exp(iπ(2k+1)n/M)/√M``, the eigenvector of the negacyclic
    shift for the eigenvalue ``exp(-iπ(2k+1)/M)``: ``forward(x) = fft(x · exp(-iπn/M),
    norm="ortho")``, ``O(M log M)``.  It diagonalizes every skew-circulant matrix.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.linalg import circulant
    >>> T = odft(4)
    >>> C = circulant([2.0, 1.0, 0.0, 0.5])
    >>> S = C * np.where(np.subtract.outer(np.arange(4), np.arange(4)) < 0, -1, 1)  # skew-circulant
    >>> D = T.block_diagonalize(S)
    >>> bool(np.allclose(D, np.diag(np.diag(D))))
    True
    """
    if isinstance(M, bool) or not isinstance(M, (int, np.integer)):
        raise TypeError(f"M must be an int, got {type(M).__name__}")
    if M < 1:
        raise ValueError(f"M must be at least 1, got {M}")
    m = int(M)
    return Transform(
        m,
        [Block(np.array([k]), 1, 1) for k in range(m)],
        name="odd DFT",
        forward=_Odft(m, inverse=False),
        inverse=_Odft(m, inverse=True),
        n_classes=m,
        multiplicity_free=True,
    )


def signed_matched_transform(
    G: SignedPermutationGroup,
    R: ArrayLike | None = None,
    *,
    rng: np.random.Generator | int | None = None,
) -> Transform:
    """The matched transform of a signed-permutation group: block-diagonalizes its commutant.

    ``negacyclic(M)`` gives :func:`odft`; every other group is derived from its signed
    pair orbits by the generic algorithm (no group element is listed), which is
    ``O(M³)``.  Given a Hermitian ``R``, each multiplicity block is diagonalized from it
    (hierarchical KL), as in :func:`algdiv.matched_transform`.

    Parameters
    ----------
    G : SignedPermutationGroup
    R : array_like, shape (M, M), optional
    rng : numpy.random.Generator or int, optional
        Randomness of the generic derivation; a fixed seed by default.

    Examples
    --------
    >>> from algdiv.groups import negacyclic
    >>> signed_matched_transform(negacyclic(8)).name
    'odd DFT'
    >>> T = signed_matched_transform(negacyclic(8, reflection="half"))
    >>> [(b.dim, b.multiplicity) for b in T.blocks]
    [(2, 1), (2, 1), (2, 1), (2, 1)]
    """
    if not isinstance(G, SignedPermutationGroup):
        raise TypeError(f"G must be a SignedPermutationGroup, got {type(G).__name__}")
    r = None
    if R is not None:
        r = as_square(R, "R", size=G.degree)
        check_hermitian(r, "R")
    rng = derivation_rng(rng)
    c = G.construction
    if c is not None and c[0] == "negacyclic" and c[2] is None:
        t = odft(G.degree)
    else:
        m = G.degree
        check_memory(16.0 * 6 * m * m, f"the matched transform of the {G.name}")
        t = derive(SignedCommutant(G), rng)
    return t if r is None else refine(t, r)
