"""The Transform object: a unitary change of basis with its isotypic block structure."""

from __future__ import annotations

import cmath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_float_array, as_square
from .._validation import check_finite as _check_finite
from ._checks import normalize_axis

__all__ = ["Transform", "Block"]

#: Below this many entries a direct check of the input is cheaper than the sentinel.
_SENTINEL_MIN_SIZE = 4096

#: ``kernel(x, axis)`` applies a transform along ``axis`` of a validated array.
Kernel = Callable[[NDArray[Any], int], NDArray[Any]]


@dataclass(frozen=True, eq=False)
class Block:
    """One isotypic component of a matched transform.

    The component is ``multiplicity`` copies of one irreducible representation of
    dimension ``dim``.  ``indices`` lists its ``multiplicity * dim`` columns copy by copy
    (copy 0's ``dim`` columns first), so that for every invariant covariance ``C`` the
    submatrix ``(Uᴴ C U)[indices][:, indices]`` equals ``kron(B, I_dim)`` for some
    ``multiplicity × multiplicity`` matrix ``B``.

    Examples
    --------
    >>> import numpy as np
    >>> b = Block(np.array([4, 5, 6, 7]), dim=2, multiplicity=2)
    >>> b.copies
    array([[4, 5],
           [6, 7]])
    """

    indices: NDArray[Any]
    dim: int
    multiplicity: int
    _copies: NDArray[Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        idx = np.asarray(self.indices, dtype=np.intp).copy()
        if idx.size != self.dim * self.multiplicity:
            raise ValueError(
                f"a block of {self.multiplicity} copies of dimension {self.dim} needs "
                f"{self.dim * self.multiplicity} indices, got {idx.size}"
            )
        idx.flags.writeable = False
        object.__setattr__(self, "indices", idx)
        object.__setattr__(self, "_copies", idx.reshape(self.multiplicity, self.dim))

    @property
    def copies(self) -> NDArray[Any]:
        """``(multiplicity, dim)`` column indices, one row per copy of the irrep."""
        return self._copies


class _RightMultiply:
    """Kernel ``x -> x @ w`` along an axis (a picklable object, not a closure)."""

    def __init__(self, w: NDArray[Any]) -> None:
        self.w = w

    def __call__(self, x: NDArray[Any], axis: int) -> NDArray[Any]:
        return np.moveaxis(np.moveaxis(x, axis, -1) @ self.w, -1, axis)


def _dense_kernels(u: NDArray[Any]) -> tuple[Kernel, Kernel]:
    return _RightMultiply(np.conj(u)), _RightMultiply(np.ascontiguousarray(u.T))


class Transform:
    """A matched transform: unitary ``U`` (columns = basis vectors) and its block structure.

    ``forward(x)`` computes ``Uᴴ x`` and ``inverse(y)`` computes ``U y`` along an axis,
    with a fast kernel when one is known (FFT, DCT/DST, Walsh-Hadamard, Haar, Kronecker
    products) and a dense product otherwise.  ``blocks`` are the isotypic components;
    ``eigenvalue_classes`` the groups of columns that share a diagonal entry of
    ``Uᴴ C U`` for every invariant covariance ``C`` (its eigenvalues when the transform
    diagonalizes, see :attr:`diagonalizes`).

    Transforms are made by :func:`algdiv.matched_transform` and the constructors of
    :mod:`algdiv.transforms` (``dft``, ``dct``, ``dst``, ``wht``, ``haar``, ``klt``).

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.transforms import dft
    >>> T = dft(4)
    >>> T.name, T.size, T.diagonalizes
    ('DFT', 4, True)
    >>> x = np.array([1.0, 2.0, 3.0, 4.0])
    >>> np.allclose(T.forward(x), T.matrix.conj().T @ x)
    True
    >>> np.allclose(T.inverse(T.forward(x)), x)
    True
    """

    def __init__(
        self,
        size: int,
        blocks: Sequence[Block] | Callable[[], Sequence[Block]],
        *,
        name: str,
        matrix: ArrayLike | None = None,
        forward: Kernel | None = None,
        inverse: Kernel | None = None,
        refined: bool = False,
        n_classes: int | None = None,
        multiplicity_free: bool | None = None,
        sentinel: int | None = None,
    ) -> None:
        self._size = int(size)
        self._name = name
        self._refined = bool(refined)
        # Blocks may be given lazily (the DFT on 2^20 points has 2^20 of them), with
        # their counts as hints so that common questions do not build them.
        self._blocks: tuple[Block, ...] | None = None
        self._blocks_fn = blocks if callable(blocks) else None
        if self._blocks_fn is None:
            self._set_blocks(blocks)  # type: ignore[arg-type]
        self._n_classes = n_classes
        self._multiplicity_free = multiplicity_free
        # A forward coefficient that is a combination of every input with nonzero
        # weights (row 0 of the FFT, DCT/DST, WHT and Haar): NaN/inf anywhere in a
        # signal reaches it, so checking it after the transform replaces a full pass
        # over the input.
        self._sentinel = sentinel
        self._matrix: NDArray[Any] | None = None
        if matrix is not None:
            u = np.array(matrix)
            u.flags.writeable = False
            self._matrix = u
            if forward is None or inverse is None:
                forward, inverse = _dense_kernels(u)
        if forward is None or inverse is None:
            raise ValueError("a transform needs a matrix or both kernels")
        self._forward, self._inverse = forward, inverse
        # A C-level callable for one 1-D signal when the kernel offers one (scipy.fft):
        # on short signals a Python frame is a measurable share of the whole call.
        self._forward_1d = getattr(forward, "one_signal", None)
        self._shape_1d = (self._size,)

    # -- description ------------------------------------------------------------------
    @property
    def name(self) -> str:
        """Short name such as ``'DFT'``, ``'DCT-II'``, ``'Haar'`` or ``'generic'``."""
        return self._name

    @property
    def size(self) -> int:
        """The number of points ``M``."""
        return self._size

    def _set_blocks(self, blocks: Sequence[Block]) -> None:
        blocks = tuple(blocks)
        covered = (
            np.sort(np.concatenate([b.indices for b in blocks]))
            if blocks
            else np.zeros(0, dtype=np.intp)
        )
        if not np.array_equal(covered, np.arange(self._size)):
            raise ValueError("the blocks of a transform must partition its columns")
        self._blocks = blocks

    @property
    def blocks(self) -> list[Block]:
        """The isotypic components (a list of :class:`Block`), which partition the columns."""
        if self._blocks is None:
            self._set_blocks(self._blocks_fn())  # type: ignore[misc]
        return list(self._blocks)  # type: ignore[arg-type]

    @property
    def eigenvalue_classes(self) -> list[NDArray[Any]]:
        """Column groups sharing a diagonal entry of ``Uᴴ C U`` for every invariant ``C``.

        One class per copy of each irrep, so ``len`` is the resolution ``Σ_ρ m_ρ``.
        """
        return [row.copy() for b in self.blocks for row in b.copies]

    @property
    def n_classes(self) -> int:
        """``len(eigenvalue_classes)``: the number of distinct eigenvalues possible."""
        if self._n_classes is None:
            self._n_classes = sum(b.multiplicity for b in self.blocks)
        return self._n_classes

    @property
    def multiplicity_free(self) -> bool:
        """True when every irrep occurs once (a Gelfand pair): ``U`` diagonalizes."""
        if self._multiplicity_free is None:
            self._multiplicity_free = all(b.multiplicity == 1 for b in self.blocks)
        return self._multiplicity_free

    @property
    def diagonalizes(self) -> bool:
        """True when ``Uᴴ C U`` is diagonal for the invariant covariances it was made for.

        Multiplicity-free transforms diagonalize every invariant covariance; others only
        the covariance given as ``R`` when they were refined by it (hierarchical KL).
        """
        return self._refined or self.multiplicity_free

    @property
    def matrix(self) -> NDArray[Any]:
        """The unitary ``M × M`` matrix ``U`` (read-only), columns the basis vectors."""
        if self._matrix is None:
            u = np.ascontiguousarray(self._inverse(np.eye(self._size), 1).T)
            u.flags.writeable = False
            self._matrix = u
        return self._matrix

    def __repr__(self) -> str:
        return (
            f"<Transform {self._name} on {self._size} points, "
            f"{self.n_classes} eigenvalue class(es)>"
        )

    # -- application ------------------------------------------------------------------
    def _check(
        self, x: ArrayLike, axis: int, name: str, check_finite: bool = True
    ) -> tuple[NDArray[Any], int]:
        # Kept lean: this runs on every call, often on small arrays.
        if type(x) is np.ndarray and x.dtype.kind in "fc":
            arr = x
        else:
            arr = as_float_array(x, name)
        nd = arr.ndim
        if type(axis) is int and -nd <= axis < nd:
            ax = axis % nd
        else:
            if nd == 0:
                raise ValueError(f"{name} must have at least one dimension, got a scalar")
            ax = normalize_axis(axis, nd, name)
        if arr.shape[ax] != self._size:
            raise ValueError(
                f"{name} has length {arr.shape[ax]} along axis {axis} but the transform "
                f"acts on {self._size} points"
            )
        # One BLAS reduction (Σ|x|², NaN/inf propagate) instead of an isfinite pass; the
        # exact check only on suspicion (an overflowing sum of finite values passes it).
        if check_finite and not cmath.isfinite(np.vdot(arr, arr)):
            _check_finite(arr, name)
        return arr, ax

    def forward(self, x: ArrayLike, axis: int = -1, *, check_finite: bool = True) -> NDArray[Any]:
        """Coefficients ``Uᴴ x`` along ``axis`` (any batch shape; ``x`` is not modified).

        Parameters
        ----------
        x : array_like
            Real or complex; its length along ``axis`` must be :attr:`size`.
        axis : int
        check_finite : bool
            Refuse NaN/inf (one extra pass over ``x``; skip it when the data are known
            to be finite).

        Raises
        ------
        ValueError
            If the length along ``axis`` is not ``size`` or ``x`` holds NaN/inf.
        """
        s = self._sentinel
        if (
            type(x) is np.ndarray
            and x.shape == self._shape_1d
            and s is not None
            and x.dtype.kind in "fc"
            and (axis == -1 or axis == 0)
        ):
            # One signal, the common short case: no checks before the kernel, one scalar after.
            f = self._forward_1d
            y = f(x) if f is not None else self._forward(x, 0)
            if check_finite and not cmath.isfinite(y[s]):
                _check_finite(x, "x")
            return y
        if s is None or not check_finite or np.size(x) < _SENTINEL_MIN_SIZE:
            arr, ax = self._check(x, axis, "x", check_finite)
            return self._forward(arr, ax)
        arr, ax = self._check(x, axis, "x", False)
        y = self._forward(arr, ax)
        if not cmath.isfinite(np.take(y, s, axis=ax).sum()):
            _check_finite(arr, "x")  # raises unless a finite sum merely overflowed
        return y

    def inverse(self, y: ArrayLike, axis: int = -1, *, check_finite: bool = True) -> NDArray[Any]:
        """Synthesis ``U y`` along ``axis``, the inverse of :meth:`forward`."""
        arr, ax = self._check(y, axis, "y", check_finite)
        return self._inverse(arr, ax)

    # -- second-order views -----------------------------------------------------------
    def block_diagonalize(self, R: ArrayLike) -> NDArray[Any]:
        """``Uᴴ R U``: block diagonal (diagonal when :attr:`diagonalizes`) for invariant ``R``.

        Examples
        --------
        >>> import numpy as np
        >>> from scipy.linalg import circulant
        >>> from algdiv.transforms import dft
        >>> D = dft(4).block_diagonalize(circulant([3.0, 1.0, 0.0, 1.0]))
        >>> np.allclose(D, np.diag(np.diag(D)))
        True
        """
        r = as_square(R, "R", size=self._size)
        u = self.matrix
        return cast("NDArray[Any]", np.conj(u.T) @ r @ u)

    def spectrum(self, R: ArrayLike) -> NDArray[Any]:
        """The real diagonal of ``Uᴴ R U``: the eigenvalues of an invariant ``R``, by column.

        Examples
        --------
        >>> import numpy as np
        >>> from algdiv.transforms import dft
        >>> np.round(dft(3).spectrum(np.eye(3) + 1.0), 12)
        array([4., 1., 1.])
        """
        return np.real(np.diagonal(self.block_diagonalize(R))).copy()

    def block_residual(self, R: ArrayLike) -> float:
        """How far ``Uᴴ R U`` is from the structure ``⊕ kron(B_ρ, I_dρ)``, relative to ``‖R‖``.

        0 (to rounding) for every covariance invariant under the group the transform
        was matched to; large for a generic matrix.

        Examples
        --------
        >>> import numpy as np
        >>> from scipy.linalg import circulant
        >>> from algdiv.transforms import dft
        >>> dft(5).block_residual(circulant([2.0, 1.0, 0.0, 0.0, 1.0])) < 1e-12
        True
        >>> dft(5).block_residual(np.diag([1.0, 2.0, 3.0, 4.0, 5.0])) > 0.1
        True
        """
        d = self.block_diagonalize(R)
        return _structure_residual(d, self.blocks) / max(float(np.linalg.norm(R)), 1e-300)


def _structure_residual(d: NDArray[Any], blocks: Sequence[Block]) -> float:
    """Frobenius distance from ``d`` to its projection onto ``⊕ kron(B, I)``."""
    proj = np.zeros_like(d)
    for b in blocks:
        c = b.copies
        sub = d[c[:, None, :], c[None, :, :]]  # (m, m, dim): entries ((a, i), (b, i))
        means = sub.mean(axis=-1)
        proj[np.ix_(b.indices, b.indices)] = np.kron(means, np.eye(b.dim))
    return float(np.linalg.norm(d - proj))
