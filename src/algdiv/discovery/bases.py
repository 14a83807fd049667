"""Dictionaries of candidate generators for the DC-GEVP.

Each function returns the matrices ``B_1 .. B_d`` as a dense ``(d, M, M)`` array, or with
``sparse_format=True`` as a list of ``scipy.sparse.csr_array`` (needed when the dense
stack would be large).  :func:`algdiv.dc_gevp` accepts either.

No permutation dictionary holds the identity: it commutes with every matrix, so it
would sit in the null space of every problem.  ``toeplitz`` and ``hankel`` are linear
structures, not groups; ``toeplitz`` contains ``I`` and ``u`` contains ``i·I``, which
``dc_gevp(..., exclude_trivial=True)`` projects out.

The Lie-algebra dictionaries are orthonormal in the Frobenius inner product and their
order is fixed, because the exact path of :func:`algdiv.dc_gevp` reports coefficients in
it:

* ``so(M)``: ``(E_ab - E_ba)/√2`` for ``a < b`` (row-major over the upper triangle);
* ``u(M)``: ``i·E_aa`` (``a = 0..M-1``), then ``(E_ab - E_ba)/√2``, then
  ``i(E_ab + E_ba)/√2`` for ``a < b``;
* ``gl(M)``: the matrix units ``E_ab``, row-major.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from .._validation import as_group, as_int
from ..groups import PermutationGroup
from ..groups.permutations import as_permutation, is_identity

__all__ = [
    "permutations",
    "transpositions",
    "shifts",
    "reflections",
    "so",
    "u",
    "gl",
    "toeplitz",
    "hankel",
    "kron",
    "coordinates",
    "as_permutation_stack",
]

_DENSE_LIMIT = 50_000_000  # entries of a dense (d, M, M) dictionary
_STRING_KINDS = ("so", "u", "gl")


def _size(M: object) -> int:
    return as_int(M, "M", minimum=1)


def _from_triplets(
    d: int, m: int, k: NDArray[Any], i: NDArray[Any], j: NDArray[Any], v: NDArray[Any], sparse_format: bool
) -> NDArray[Any] | list[Any]:
    """Build ``d`` matrices from entries ``B_k[i, j] = v``."""
    if sparse_format:
        flat = sparse.csr_array((v, (k, i * m + j)), shape=(d, m * m))
        matrices: list[Any] = []  # scipy.sparse.csr_array (scipy is untyped)
        for row in range(d):
            sl = slice(flat.indptr[row], flat.indptr[row + 1])
            idx = flat.indices[sl]
            matrices.append(sparse.csr_array((flat.data[sl], (idx // m, idx % m)), shape=(m, m)))
        return matrices
    if d * m * m > _DENSE_LIMIT:
        raise ValueError(
            f"a dense dictionary of {d} matrices of size {m}x{m} would hold {d * m * m} "
            "entries; pass sparse_format=True"
        )
    out = np.zeros((d, m, m), dtype=np.result_type(v, float))
    np.add.at(out, (k, i, j), v)
    return out


def _permutation_dictionary(perms: NDArray[Any], m: int, sparse_format: bool) -> NDArray[Any] | list[Any]:
    perms = np.asarray([p for p in perms if not is_identity(p)], dtype=np.intp).reshape(-1, m)
    d = len(perms)
    k = np.repeat(np.arange(d), m)
    cols = np.tile(np.arange(m), d)
    rows = perms.ravel()  # P e_i = e_{p[i]}: entry (p[i], i)
    return _from_triplets(d, m, k, rows, cols, np.ones(d * m), sparse_format)


def permutations(
    G: PermutationGroup | str | Sequence[ArrayLike] | NDArray[Any],
    *,
    max_elements: int = 1024,
    sparse_format: bool = False,
) -> NDArray[Any] | list[Any]:
    """Permutation matrices of a group's elements (small groups) or of its generators.

    Parameters
    ----------
    G : PermutationGroup, group text, or sequence of permutations
        The ambient group (e.g. the automorphisms of a sensor geometry), or explicit
        permutations ``p`` (``p[i]`` the image of ``i``).
    max_elements : int
        Use every non-identity element when ``|G| <= max_elements``; above it, only the
        generators (the elements are never listed).
    sparse_format : bool
        Return a list of sparse matrices.

    Returns
    -------
    ndarray (d, M, M) or list of csr_array
        The identity is always left out.

    Examples
    --------
    >>> from algdiv.groups import dihedral, iterated_wreath
    >>> permutations(dihedral(8)).shape      # the 15 non-identity elements
    (15, 8, 8)
    >>> len(permutations(iterated_wreath([2] * 6), sparse_format=True))  # generators only
    6
    """
    if isinstance(G, (PermutationGroup, str)):
        group = as_group(G)
        m = group.degree
        if max_elements >= 1 and _small_order(group, max_elements):
            perms = group.elements(limit=max_elements)
        else:
            perms = group.generators
    else:
        rows = list(G)
        if not rows:
            raise ValueError("G must hold at least one permutation")
        m = len(np.asarray(rows[0]))
        perms = np.array(
            [as_permutation(p, m, name=f"permutation {k}") for k, p in enumerate(rows)]
        )
    return _permutation_dictionary(perms, m, sparse_format)


def _small_order(group: PermutationGroup, limit: int) -> bool:
    # A quick bound first, so that huge catalogue groups never reach Schreier-Sims.
    if group.known_order is not None:
        return group.known_order <= limit
    return group.order <= limit


def transpositions(M: int, *, sparse_format: bool = False) -> NDArray[Any] | list[Any]:
    """The ``M(M-1)/2`` transpositions ``(a b)``, ``a < b`` in row-major order.

    Examples
    --------
    >>> transpositions(4).shape
    (6, 4, 4)
    """
    m = _size(M)
    a, b = np.triu_indices(m, 1)
    perms = np.tile(np.arange(m), (a.size, 1))
    rows = np.arange(a.size)
    perms[rows, a], perms[rows, b] = b, a
    return _permutation_dictionary(perms, m, sparse_format)


def shifts(M: int, *, sparse_format: bool = False) -> NDArray[Any] | list[Any]:
    """The ``M - 1`` nontrivial cyclic shifts ``i -> i + s (mod M)``, ``s = 1..M-1``.

    Examples
    --------
    >>> S = shifts(5)
    >>> S.shape
    (4, 5, 5)
    >>> int(S[0] @ [1, 0, 0, 0, 0] @ [0, 1, 2, 3, 4])   # e_0 goes to e_1
    1
    """
    m = _size(M)
    i = np.arange(m)
    perms = (i[None, :] + np.arange(1, m)[:, None]) % m
    return _permutation_dictionary(perms.reshape(-1, m), m, sparse_format)


def reflections(M: int, *, sparse_format: bool = False) -> NDArray[Any] | list[Any]:
    """The reflections ``i -> s - i (mod M)``, ``s = 0..M-1`` (those that are not ``I``).

    Examples
    --------
    >>> reflections(6).shape
    (6, 6, 6)
    """
    m = _size(M)
    i = np.arange(m)
    perms = (np.arange(m)[:, None] - i[None, :]) % m
    return _permutation_dictionary(perms, m, sparse_format)


def so(M: int, *, sparse_format: bool = False) -> NDArray[Any] | list[Any]:
    """Orthonormal basis of ``so(M)``: ``(E_ab - E_ba)/√2`` for ``a < b``; ``d = M(M-1)/2``.

    Examples
    --------
    >>> B = so(3)
    >>> B.shape, float(np.sum(B[0] * B[0]))
    ((3, 3, 3), 1.0)
    """
    m = _size(M)
    a, b = np.triu_indices(m, 1)
    d = a.size
    k = np.concatenate([np.arange(d), np.arange(d)])
    v = np.concatenate([np.full(d, 2**-0.5), np.full(d, -(2**-0.5))])
    return _from_triplets(d, m, k, np.concatenate([a, b]), np.concatenate([b, a]), v, sparse_format)


def u(M: int, *, sparse_format: bool = False) -> NDArray[Any] | list[Any]:
    """Orthonormal basis of ``u(M)`` (skew-Hermitian matrices), ``d = M²``.

    Order: ``i·E_aa``; ``(E_ab - E_ba)/√2``; ``i(E_ab + E_ba)/√2`` (``a < b``).  Its span
    holds ``i·I``, which commutes with everything: pass ``exclude_trivial=True`` to
    :func:`algdiv.dc_gevp` to remove it.

    Examples
    --------
    >>> B = u(2)
    >>> B.shape, bool(np.allclose(B, -np.conj(np.swapaxes(B, 1, 2))))
    ((4, 2, 2), True)
    """
    m = _size(M)
    a, b = np.triu_indices(m, 1)
    p = a.size
    s = 2**-0.5
    diag = np.arange(m)
    k = np.concatenate([diag, m + np.arange(p), m + np.arange(p), m + p + np.arange(p),
                        m + p + np.arange(p)])
    i = np.concatenate([diag, a, b, a, b])
    j = np.concatenate([diag, b, a, b, a])
    v = np.concatenate([np.full(m, 1j), np.full(p, s + 0j), np.full(p, -s + 0j),
                        np.full(p, 1j * s), np.full(p, 1j * s)])
    return _from_triplets(m * m, m, k, i, j, v, sparse_format)


def gl(M: int, *, sparse_format: bool = False) -> NDArray[Any] | list[Any]:
    """The matrix units ``E_ab`` (row-major), a basis of ``gl(M)``; ``d = M²``.

    Examples
    --------
    >>> gl(2)[1].astype(int)
    array([[0, 1],
           [0, 0]])
    """
    m = _size(M)
    idx = np.arange(m * m)
    return _from_triplets(m * m, m, idx, idx // m, idx % m, np.ones(m * m), sparse_format)


def toeplitz(M: int, *, sparse_format: bool = False) -> NDArray[Any] | list[Any]:
    """0/1 matrices of the ``2M - 1`` diagonals ``j - i = k``, ``k = -(M-1)..M-1``.

    Their span is the Toeplitz matrices; it contains ``I`` (``k = 0``).

    Examples
    --------
    >>> T = toeplitz(3)
    >>> T.shape
    (5, 3, 3)
    >>> T[3].astype(int)     # k = 1: the first superdiagonal
    array([[0, 1, 0],
           [0, 0, 1],
           [0, 0, 0]])
    """
    m = _size(M)
    i, j = np.indices((m, m))
    k = (j - i + m - 1).ravel()
    return _from_triplets(2 * m - 1, m, k, i.ravel(), j.ravel(), np.ones(m * m), sparse_format)


def hankel(M: int, *, sparse_format: bool = False) -> NDArray[Any] | list[Any]:
    """0/1 matrices of the ``2M - 1`` anti-diagonals ``i + j = k``, ``k = 0..2M-2``.

    Examples
    --------
    >>> H = hankel(3)
    >>> H.shape
    (5, 3, 3)
    >>> H[2].astype(int)     # the exchange matrix
    array([[0, 0, 1],
           [0, 1, 0],
           [1, 0, 0]])
    """
    m = _size(M)
    i, j = np.indices((m, m))
    k = (i + j).ravel()
    return _from_triplets(2 * m - 1, m, k, i.ravel(), j.ravel(), np.ones(m * m), sparse_format)


def _as_list(b: object, name: str) -> list[Any]:
    if sparse.issparse(b):
        raise TypeError(f"{name} must be a stack or list of matrices, got one sparse matrix")
    if isinstance(b, np.ndarray):
        if b.ndim != 3 or b.shape[1] != b.shape[2]:
            raise ValueError(f"{name} must be a (d, M, M) stack, got shape {b.shape}")
        return list(b)
    if not isinstance(b, Iterable):
        raise TypeError(f"{name} must be a stack or list of matrices, got {type(b).__name__}")
    items = list(b)
    if not items:
        raise ValueError(f"{name} is empty")
    return items


def kron(
    b1: ArrayLike | Sequence[ArrayLike],
    b2: ArrayLike | Sequence[ArrayLike],
    *,
    with_identity: bool = True,
    sparse_format: bool = False,
) -> NDArray[Any] | list[Any]:
    """Kronecker-structured dictionary ``{A ⊗ B}`` for a product index set ``[M1] × [M2]``.

    With ``with_identity`` (the default) each factor dictionary is completed by its
    identity first, so ``A ⊗ I`` and ``I ⊗ B`` (the factor-wise generators of a direct
    product) are included; ``I ⊗ I`` is always left out.  Index ``(i, j)`` is
    ``i·M2 + j``, as in :func:`algdiv.groups.direct_product`.

    Examples
    --------
    >>> K = kron(shifts(3), shifts(2))
    >>> K.shape                        # (2 + 1)(1 + 1) - 1
    (5, 6, 6)
    """
    f1, f2 = _as_list(b1, "b1"), _as_list(b2, "b2")
    m1, m2 = f1[0].shape[0], f2[0].shape[0]
    if with_identity:
        f1 = [sparse.eye_array(m1, format="csr")] + f1
        f2 = [sparse.eye_array(m2, format="csr")] + f2
    out = []
    for a_idx, a in enumerate(f1):
        for b_idx, b in enumerate(f2):
            if with_identity and a_idx == 0 and b_idx == 0:
                continue
            out.append(sparse.kron(sparse.csr_array(a), sparse.csr_array(b), format="csr"))
    if sparse_format:
        return [sparse.csr_array(x) for x in out]
    m = m1 * m2
    if len(out) * m * m > _DENSE_LIMIT:
        raise ValueError(
            f"a dense Kronecker dictionary would hold {len(out) * m * m} entries; "
            "pass sparse_format=True"
        )
    return np.stack([x.toarray() for x in out])


def coordinates(kind: str, G: ArrayLike) -> NDArray[Any]:
    """Coefficients of matrices ``G`` (``(..., M, M)``) in the ``so``, ``u`` or ``gl`` dictionary.

    For an orthonormal dictionary these are the inner products ``⟨B_k, G⟩``; a matrix
    in the span is recovered exactly from them.

    Examples
    --------
    >>> B = so(4)
    >>> c = np.arange(6.)
    >>> np.allclose(coordinates("so", np.tensordot(c, B, axes=1)), c)
    True
    """
    if kind not in _STRING_KINDS:
        raise ValueError(f"kind must be one of {_STRING_KINDS}, got {kind!r}")
    g = np.asarray(G)
    m = g.shape[-1]
    if kind == "gl":
        return g.reshape(g.shape[:-2] + (m * m,))
    a, b = np.triu_indices(m, 1)
    s = 2**-0.5
    if kind == "so":
        so_coordinates: NDArray[Any] = s * (g[..., a, b] - g[..., b, a])
        return so_coordinates
    diag = -1j * np.diagonal(g, axis1=-2, axis2=-1)
    anti = s * (g[..., a, b] - g[..., b, a])
    sym = -1j * s * (g[..., a, b] + g[..., b, a])
    return np.concatenate([diag, anti, sym], axis=-1)


def as_permutation_stack(basis: object) -> NDArray[Any] | None:
    """The permutations behind a dictionary of permutation matrices, or ``None``.

    Each matrix must have exactly one entry 1 in every column and every row, all other
    entries 0.  Returns a ``(d, M)`` int array with ``p[i]`` the row of column ``i``'s 1.

    Examples
    --------
    >>> as_permutation_stack(shifts(3)).tolist()
    [[1, 2, 0], [2, 0, 1]]
    >>> as_permutation_stack(so(3)) is None
    True
    """
    try:
        items = _as_list(basis, "basis") if not isinstance(basis, str) else None
    except (TypeError, ValueError):
        return None
    if not items:
        return None
    out = []
    for b in items:
        if sparse.issparse(b):
            c = sparse.coo_array(b)
            c.sum_duplicates()
            rows, cols, vals = c.coords[0], c.coords[1], c.data
            m = b.shape[0]
        else:
            arr = np.asarray(b)
            if arr.ndim != 2:
                return None
            m = arr.shape[0]
            rows, cols = np.nonzero(arr)
            vals = arr[rows, cols]
        if rows.size != m or not np.all(vals == 1):
            return None
        p = np.full(m, -1)
        p[cols] = rows
        if np.any(p < 0) or np.unique(p).size != m:
            return None
        out.append(p)
    return np.array(out, dtype=np.intp)
