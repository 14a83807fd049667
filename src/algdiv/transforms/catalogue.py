"""The classical transforms as :class:`Transform` objects with fast kernels.

Each constructor returns the matched transform of a catalogue group (or fold) in the
library's conventions: ``forward(x) = Uᴴ x`` equals the classical forward transform
with orthonormal scaling, exactly.

=========================  =====================================  ==============================
constructor                matched to                             forward equals
=========================  =====================================  ==============================
``dft(M)``                 ``cyclic(M)`` (dihedral: pairs k, -k)  ``scipy.fft.fft(x, norm="ortho")``
``dct(M, t)``/``dst(M, t)`` ``dihedral_fold(M, "dct2")`` etc.     ``scipy.fft.dct(x, t, norm="ortho")``
``wht(M)``                 ``elementary_abelian(m)``              ``hadamard(M) @ x / sqrt(M)``
``haar(M)``                ``iterated_wreath([2] * m)``           concatenated ``pywt.wavedec``
``hierarchical(b)``        ``iterated_wreath(b)``                 DCT-II of the children, per level
``klt(R)``                 ``trivial(M)`` and ``R``               eigenvectors of ``R``
``kron(T1, T2)``           ``direct_product(G1, G2)``             ``T1 ⊗ T2`` by reshaping
``tree_transform(b, n)``   ``iterated_wreath(b, n)`` (hybrid)     per level DCT-II/DFT/WHT of children
``odft(M)``                ``negacyclic(M)`` (signed)             ``fft(x·exp(-iπn/M), norm="ortho")``
=========================  =====================================  ==============================

(``tree_transform`` lives in :mod:`algdiv.transforms.hybrid`, ``odft`` in
:mod:`algdiv.transforms.signed`.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, cast

import numpy as np
import scipy.fft as sfft
from numpy.typing import ArrayLike, NDArray

from .._validation import as_square, check_hermitian
from ._transform import Block, Transform
from .folds import OddTrigKernel, _roman, parse_kind
from .kernels import (
    _apply_real,
    _fwht_axis,
    _haar_last,
    _ihaar_last,
    sequency_order,
)

__all__ = ["dft", "dct", "dst", "wht", "haar", "hierarchical", "klt", "identity", "kron"]


def _check_m(M: object, name: str = "M", minimum: int = 1) -> int:
    if isinstance(M, bool) or not isinstance(M, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(M).__name__}")
    if M < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {M}")
    return int(M)


def _power_of_two(M: int) -> int:
    if M & (M - 1):
        raise ValueError(f"M must be a power of two, got {M}")
    return M.bit_length() - 1


def _singletons(m: int) -> list[Block]:
    return [Block(np.array([k]), 1, 1) for k in range(m)]


def _diagonal(m: int, **kwargs: Any) -> dict[str, Any]:
    """Keyword arguments for a transform whose blocks are its ``m`` single columns and
    whose first coefficient weighs every input (``sentinel``, see Transform)."""
    return {"n_classes": m, "multiplicity_free": True, "sentinel": 0, **kwargs}


# Kernels are small objects rather than closures so that transforms pickle.
class _Scipy:
    """``scipy.fft.<name>(x, axis=axis, norm="ortho", **kw)``."""

    def __init__(self, name: str, **kw: int) -> None:
        # type=2 is scipy's default; not passing it saves a measurable part of the
        # dispatch cost on short signals.
        kw = {k: v for k, v in kw.items() if not (k == "type" and v == 2)}
        self.fn, self.kw = getattr(sfft, name), {"norm": "ortho", **kw}
        self.one_signal = partial(self.fn, **self.kw)  # 1-D input: the default axis

    def __call__(self, x: NDArray[Any], axis: int) -> NDArray[Any]:
        return cast("NDArray[Any]", self.fn(x, axis=axis, **self.kw))


class _LastAxis:
    """A last-axis function of real arrays applied along ``axis`` (complex: re and im)."""

    def __init__(self, fn: Callable[[NDArray[Any]], NDArray[Any]]) -> None:
        self.fn = fn

    def __call__(self, x: NDArray[Any], axis: int) -> NDArray[Any]:
        return np.moveaxis(_apply_real(self.fn, np.moveaxis(x, axis, -1)), -1, axis)


class _Reindexed:
    """``kernel`` preceded (``before``) or followed by ``np.take(·, index, axis)``."""

    def __init__(self, kernel: Callable[..., NDArray[Any]], index: NDArray[Any], before: bool) -> None:
        self.kernel, self.index, self.before = kernel, index, before

    def __call__(self, x: NDArray[Any], axis: int) -> NDArray[Any]:
        if self.before:
            return self.kernel(np.take(x, self.index, axis=axis), axis)
        return np.take(self.kernel(x, axis), self.index, axis=axis)


class _Kron:
    """``k1 ⊗ k2`` on ``m1·m2`` points by reshaping the axis to ``(m1, m2)``."""

    def __init__(
        self, k1: Callable[..., NDArray[Any]], k2: Callable[..., NDArray[Any]], m1: int, m2: int
    ) -> None:
        self.k1, self.k2, self.m1, self.m2 = k1, k2, m1, m2

    def __call__(self, x: NDArray[Any], axis: int) -> NDArray[Any]:
        shape = x.shape
        y = x.reshape(shape[:axis] + (self.m1, self.m2) + shape[axis + 1 :])
        return cast("NDArray[Any]", self.k2(self.k1(y, axis), axis + 1).reshape(shape))


def _blocks_of(t: Transform) -> list[Block]:
    return t.blocks


def _copy(x: NDArray[Any], axis: int) -> NDArray[Any]:
    return np.array(x, copy=True)


def dft(M: int, *, pairs: bool = False) -> Transform:
    """The unitary DFT, matched transform of ``cyclic(M)``: ``forward = fft(x, norm="ortho")``.

    Column ``k`` of ``U`` is ``exp(2πi k n / M) / sqrt(M)``.

    Parameters
    ----------
    M : int
    pairs : bool
        Group frequencies ``k`` and ``M - k`` into one two-dimensional block: the block
        structure of the dihedral group ``D_M`` (symmetric circulants).

    Examples
    --------
    >>> import numpy as np, scipy.fft
    >>> x = np.arange(6.0)
    >>> np.allclose(dft(6).forward(x), scipy.fft.fft(x, norm="ortho"))
    True
    >>> [b.indices.tolist() for b in dft(6, pairs=True).blocks]
    [[0], [1, 5], [2, 4], [3]]
    """
    m = _check_m(M)
    kernels: dict[str, Any] = {
        "name": "DFT", "forward": _Scipy("fft"), "inverse": _Scipy("ifft"), "sentinel": 0
    }
    if pairs:
        return Transform(
            m, partial(_dihedral_blocks, m), n_classes=m // 2 + 1, multiplicity_free=True,
            **kernels,
        )
    return Transform(m, partial(_singletons, m), **_diagonal(m, **kernels))


def _dihedral_blocks(m: int) -> list[Block]:
    blocks = [Block(np.array([0]), 1, 1)]
    for k in range(1, m // 2 + 1):
        idx = [k] if 2 * k == m else [k, m - k]
        blocks.append(Block(np.array(idx), len(idx), 1))
    return blocks


def _trig(M: int, type: int, family: str) -> Transform:
    m = _check_m(M, minimum=2 if (family, type) == ("dct", 1) else 1)
    fam, t = parse_kind((family, type))
    name = f"{fam.upper()}-{_roman(t)}"
    if t > 4:  # not in scipy: one FFT of the symmetric extension's length
        kw = {
            "name": name,
            "forward": OddTrigKernel(m, fam, t),
            "inverse": OddTrigKernel(m, fam, t, inverse=True),
        }
        return Transform(m, partial(_singletons, m), **_diagonal(m, **kw))
    return Transform(
        m,
        partial(_singletons, m),
        **_diagonal(m, name=name, forward=_Scipy(fam, type=t), inverse=_Scipy("i" + fam, type=t)),
    )


def dct(M: int, type: int = 2) -> Transform:
    """The orthonormal DCT of type 1-8: the matched transform of ``dihedral_fold(M, "dct<type>")``.

    For types 1-4 ``forward`` is ``scipy.fft.dct(x, type, norm="ortho")``; types 5-8
    (not in scipy) apply :func:`~algdiv.transforms.folds.dtt_matrix` with one FFT of
    the symmetric extension's length, ``O(M log M)``.

    Examples
    --------
    >>> import numpy as np, scipy.fft
    >>> x = np.arange(5.0)
    >>> np.allclose(dct(5).forward(x), scipy.fft.dct(x, norm="ortho"))
    True
    """
    return _trig(M, type, "dct")


def dst(M: int, type: int = 2) -> Transform:
    """The orthonormal DST of type 1-8: the matched transform of ``dihedral_fold(M, "dst<type>")``.

    Types 1-4 via ``scipy.fft.dst``; types 5-8 via one FFT (see :func:`dct`).

    Examples
    --------
    >>> import numpy as np, scipy.fft
    >>> x = np.arange(5.0)
    >>> np.allclose(dst(5, 4).forward(x), scipy.fft.dst(x, 4, norm="ortho"))
    True
    """
    return _trig(M, type, "dst")


def wht(M: int, order: str = "natural") -> Transform:
    """Walsh-Hadamard transform on ``M = 2^m`` points, matched to ``elementary_abelian(m)``.

    Parameters
    ----------
    M : int
        A power of two.
    order : {"natural", "sequency"}
        ``"natural"``: ``U = hadamard(M) / sqrt(M)`` (Sylvester order).  ``"sequency"``:
        the same columns sorted by their number of sign changes.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.linalg import hadamard
    >>> np.allclose(wht(8).matrix, hadamard(8) / np.sqrt(8))
    True
    >>> (np.diff(np.sign(wht(8, "sequency").matrix), axis=0) != 0).sum(axis=0)
    array([0, 1, 2, 3, 4, 5, 6, 7])
    """
    m = _check_m(M)
    bits = _power_of_two(m)
    if order == "natural":
        kw = {"name": "WHT", "forward": _fwht_axis, "inverse": _fwht_axis}
        return Transform(m, partial(_singletons, m), **_diagonal(m, **kw))
    if order != "sequency":
        raise ValueError(f"order must be 'natural' or 'sequency', got {order!r}")
    seq = sequency_order(bits)
    kw = {
        "name": "WHT (sequency)",
        "forward": _Reindexed(_fwht_axis, seq, before=False),
        "inverse": _Reindexed(_fwht_axis, np.argsort(seq), before=True),
    }
    return Transform(m, partial(_singletons, m), **_diagonal(m, **kw))


def _haar_transform(m: int) -> Transform:
    bits = _power_of_two(m)
    blocks = [Block(np.array([0]), 1, 1)]
    for level in range(bits):
        size = 1 << level
        blocks.append(Block(np.arange(size, 2 * size), size, 1))
    return Transform(
        m,
        blocks,
        name="Haar",
        forward=_LastAxis(_haar_last),
        inverse=_LastAxis(_ihaar_last),
        sentinel=0,
    )


def haar(M: int) -> Transform:
    """The orthonormal full-depth Haar wavelet as the :class:`Transform` on ``M = 2^m`` points.

    It is matched to ``iterated_wreath([2] * m)``; its blocks are ``[a], [d_m],
    [d_{m-1}], ..., [d_1]`` (the tree levels, irreps of dimension ``1, 1, 2, ..., M/2``).
    Like :func:`dft` and :func:`wht`, it takes the number of points; the coefficients of
    an array come from :func:`algdiv.transforms.haar_coefficients` (``O(M)``, any axis,
    equal to ``np.concatenate(pywt.wavedec(x, "haar", mode="periodization"))``) or from
    ``haar(M).forward(x)``.

    Raises
    ------
    TypeError
        If ``M`` is not an int (an array asks for :func:`haar_coefficients`).
    ValueError
        If ``M`` is not a positive power of two.

    Examples
    --------
    >>> import numpy as np
    >>> T = haar(8)
    >>> [b.dim for b in T.blocks]
    [1, 1, 2, 4]
    >>> x = np.array([1.0, 2.0, 3.0, 4.0])
    >>> haar(4).forward(x)
    array([ 5. , -2. , -0.70710678, -0.70710678])
    """
    if isinstance(M, bool) or not isinstance(M, (int, np.integer)):
        raise TypeError(
            f"haar(M) takes the number of points (an int), got {type(M).__name__}; for the "
            "Haar coefficients of an array use algdiv.transforms.haar_coefficients(x, axis) "
            "or haar(M).forward(x)"
        )
    return _haar_transform(_check_m(M))


class _Tree:
    """Hierarchical (tree) analysis or synthesis on leaves shaped ``branching``."""

    def __init__(self, branching: tuple[int, ...], inverse: bool) -> None:
        self.branching, self.inverse_ = branching, inverse

    def __call__(self, x: NDArray[Any], axis: int) -> NDArray[Any]:
        u = np.moveaxis(x, axis, -1)
        lead = u.shape[:-1]
        b = self.branching
        if not self.inverse_:
            a = u.reshape(lead + b)
            details = []
            for _ in range(len(b)):  # finest level first
                c = sfft.dct(a, type=2, axis=-1, norm="ortho")
                details.append(c[..., 1:].reshape(lead + (-1,)))
                a = c[..., 0]
            out = np.concatenate([a[..., None]] + details[::-1], axis=-1)
        else:
            a = u[..., 0]
            start = 1
            for level, bl in enumerate(b):
                nodes = int(np.prod(b[:level], dtype=np.int64))
                d = u[..., start : start + nodes * (bl - 1)].reshape(lead + b[:level] + (bl - 1,))
                start += nodes * (bl - 1)
                a = sfft.idct(np.concatenate([a[..., None], d], axis=-1), type=2, axis=-1, norm="ortho")
            out = a.reshape(lead + (-1,))
        return np.moveaxis(out, -1, axis)


def hierarchical(branching: Sequence[int]) -> Transform:
    """The tree (hierarchical) basis matched to ``iterated_wreath(branching)`` (symmetric nodes).

    Leaves are the points in the order of :func:`algdiv.groups.iterated_wreath` (leaf
    ``(c_0, c_1, ...)`` has index ``(c_0 b_1 + c_1) b_2 + ...``).  Level by level from
    the leaves up, the children of every node are transformed by the orthonormal DCT-II
    of length ``b``: its first coefficient (the scaled sum) moves up a level, the other
    ``b - 1`` are the details of that node.  Coefficients: ``[a, details of level 0
    (root), level 1, ..., level m-1]``, each level ``(nodes, b - 1)`` in C order.  The
    blocks are the levels, irreps of dimension ``(nodes at depth l)·(b_l - 1)``;
    ``O(M Σ log b)``.  For ``branching = [2] * m`` it is exactly the Haar transform.

    Examples
    --------
    >>> import numpy as np
    >>> T = hierarchical([3, 2])
    >>> [(b.dim, b.multiplicity) for b in T.blocks]
    [(1, 1), (2, 1), (3, 1)]
    >>> np.allclose(hierarchical([2, 2, 2]).matrix, haar(8).matrix)
    True
    """
    if isinstance(branching, (str, bytes)) or not isinstance(branching, Sequence):
        raise TypeError(f"branching must be a sequence of ints, got {type(branching).__name__}")
    levels = tuple(_check_m(b, f"branching[{k}]", minimum=2) for k, b in enumerate(branching))
    if not levels:
        raise ValueError("branching must name at least one level")
    m = int(np.prod(levels, dtype=np.int64))
    blocks, start, nodes = [Block(np.array([0]), 1, 1)], 1, 1
    for bl in levels:
        size = nodes * (bl - 1)
        blocks.append(Block(np.arange(start, start + size), size, 1))
        start += size
        nodes *= bl
    return Transform(
        m,
        blocks,
        name="hierarchical" if any(b != 2 for b in levels) else "Haar",
        forward=_Tree(levels, inverse=False),
        inverse=_Tree(levels, inverse=True),
        sentinel=0,
    )


def identity(M: int) -> Transform:
    """The identity, matched transform of ``trivial(M)`` before any data (one block of
    ``M`` copies of the trivial irrep).

    Examples
    --------
    >>> identity(3).blocks[0].multiplicity
    3
    """
    m = _check_m(M)
    return Transform(
        m,
        [Block(np.arange(m), 1, m)],
        name="identity",
        forward=_copy,
        inverse=_copy,
    )


def klt(R: ArrayLike) -> Transform:
    """The Karhunen-Loève transform: eigenvectors of ``R``, eigenvalues decreasing.

    The matched transform of the trivial group given ``R``; each column's largest entry
    is made real positive.

    Examples
    --------
    >>> import numpy as np
    >>> T = klt(np.diag([1.0, 3.0, 2.0]))
    >>> T.spectrum(np.diag([1.0, 3.0, 2.0]))
    array([3., 2., 1.])
    """
    from .generic import refine

    r = as_square(R, "R")
    check_hermitian(r, "R")
    return refine(identity(r.shape[0]), r)


def kron(first: Transform, second: Transform) -> Transform:
    """``first ⊗ second`` on ``M1·M2`` points (index ``i·M2 + j``), applied by reshaping.

    The matched transform of ``direct_product(G1, G2)`` from those of the factors;
    blocks are the products of the factors' blocks (irreps of ``G1 × H`` are products).

    Examples
    --------
    >>> import numpy as np, scipy.fft
    >>> T = kron(dft(4), dft(3))
    >>> X = np.random.default_rng(0).standard_normal((4, 3))
    >>> np.allclose(T.forward(X.ravel()), scipy.fft.fft2(X, norm="ortho").ravel())
    True
    """
    for k, t in enumerate((first, second)):
        if not isinstance(t, Transform):
            raise TypeError(f"factor {k} must be a Transform, got {type(t).__name__}")
    m1, m2 = first.size, second.size
    return Transform(
        m1 * m2,
        partial(_kron_blocks, first, second),
        name=f"{first.name} ⊗ {second.name}",
        forward=_Kron(first._forward, second._forward, m1, m2),
        inverse=_Kron(first._inverse, second._inverse, m1, m2),
        n_classes=first.n_classes * second.n_classes,
        multiplicity_free=first.multiplicity_free and second.multiplicity_free,
        sentinel=0 if first._sentinel == 0 and second._sentinel == 0 else None,
    )


def _kron_blocks(first: Transform, second: Transform) -> list[Block]:
    m2 = second.size
    blocks = []
    for b1 in first.blocks:
        for b2 in second.blocks:
            c1, c2 = b1.copies, b2.copies
            idx = c1[:, None, :, None] * m2 + c2[None, :, None, :]
            blocks.append(
                Block(idx.reshape(-1), b1.dim * b2.dim, b1.multiplicity * b2.multiplicity)
            )
    return blocks


def relabelled(t: Transform, sigma: NDArray[Any]) -> Transform:
    """The transform for the points renamed by ``sigma`` (``U' = P_σ U``)."""
    s = np.asarray(sigma, dtype=np.intp)
    return Transform(
        t.size,
        partial(_blocks_of, t),
        name=t.name,
        forward=_Reindexed(t._forward, s, before=True),
        inverse=_Reindexed(t._inverse, np.argsort(s), before=False),
        n_classes=t.n_classes,
        multiplicity_free=t.multiplicity_free,
        sentinel=t._sentinel,
    )


def symmetric_transform(M: int) -> Transform:
    """The matched transform of ``S_M`` (and of every 2-transitive group): the mean and
    an orthonormal basis of its complement, here the orthonormal DCT-II."""
    m = _check_m(M)
    blocks = [Block(np.array([0]), 1, 1)]
    if m > 1:
        blocks.append(Block(np.arange(1, m), m - 1, 1))
    return Transform(
        m,
        blocks,
        name="mean + complement (DCT-II)",
        forward=_Scipy("dct", type=2),
        inverse=_Scipy("idct", type=2),
        sentinel=0,
    )
