"""Signed-permutation (monomial) groups: permutations that may flip the sign of a coordinate.

A *signed permutation* is a pair ``(p, s)``: a permutation ``p`` of ``0..M-1`` (``p[i]``
the image of ``i``) and signs ``s[i] = ±1``.  Its matrix ``Q = P diag(s)`` maps
``e_i -> s[i] e_{p[i]}``, so ``(Q x)[p[i]] = s[i] x[i]``; products compose like the
matrices.  A covariance ``R`` is invariant when ``Q R Qᵀ = R`` for every element, and
the commutant ``C(G) = {A : Q A Qᵀ = A}`` is what the group average projects onto.

Signed pair orbits (ours, the signed analogue of the orbital basis)
--------------------------------------------------------------------
``(Q A Qᵀ)[p[i], p[j]] = s[i] s[j] A[i, j]``: the group moves the pair ``(i, j)`` to
``(p[i], p[j])`` and multiplies the entry by ``s[i] s[j]``.  Track the sign too: the
graph on ``(i, j, ε)`` (``ε = ±``) with an edge ``(i, j, ε) -> (p[i], p[j], ε s[i] s[j])``
per generator is the double cover of the pair graph.  Its connected components (a
union-find over the generators; the group is never listed) come in two kinds:

* an orbit ``O`` of pairs whose two lifts are different components: the signs are
  consistent, ``σ(i, j) = +1`` when ``(i, j, +)`` lies in the lift with the smaller
  component label and ``-1`` otherwise, and ``B_O[i, j] = σ(i, j)`` on ``O`` (zero
  elsewhere) is an element of the commutant;
* an orbit whose lifts are one component: some element maps ``(i, j)`` to itself with
  sign ``-1``, which forces ``A[i, j] = -A[i, j]``; every commutant element vanishes
  there.

The ``B_O`` of the consistent orbits are an orthogonal basis of ``C(G)``, so its
dimension is their number, and the Reynolds projection
``Φ_G(A) = (1/|G|) Σ_g Q_g A Q_gᵀ`` is, entry by entry,
``Φ_G(A)[i, j] = σ(i, j) · mean_{(k, l) ∈ O} σ(k, l) A[k, l]`` on consistent orbits and
``0`` on vanishing ones: ``O(M²)`` whatever ``|G|``.

The order and membership come from the faithful action on ``2M`` points ``±i``
(point ``i`` for ``+e_i``, ``i + M`` for ``-e_i``), by Schreier-Sims.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._limits import check_memory
from ._group import DEFAULT_ELEMENT_LIMIT, PermutationGroup
from .permutations import as_permutation

__all__ = [
    "SignedPermutationGroup",
    "as_signed_permutation",
    "signed_permutation_matrix",
    "negacyclic",
    "hyperoctahedral",
    "sign_flips",
]

SignedPermutation = tuple[NDArray[np.intp], NDArray[np.int8]]


def as_signed_permutation(g: Any, degree: int | None = None, *, name: str = "g") -> SignedPermutation:
    """Validate a signed permutation ``(p, s)``: a permutation and signs ``±1`` of one length.

    Returns read-only copies ``(p as intp, s as int8)``.

    Raises
    ------
    TypeError
        If ``g`` is not a pair.
    ValueError
        If ``p`` is not a permutation, a sign is not ``±1``, or a length differs from
        ``degree``.

    Examples
    --------
    >>> p, s = as_signed_permutation(([1, 2, 0], [1, 1, -1]))
    >>> p.tolist(), s.tolist()
    ([1, 2, 0], [1, 1, -1])
    """
    if not _is_pair(g):
        raise TypeError(
            f"{name} must be a pair (permutation, signs) of two 1-D sequences, got "
            f"{type(g).__name__}" + (f" of length {len(g)}" if isinstance(g, (tuple, list)) else "")
        )
    p = as_permutation(g[0], degree, name=f"{name}'s permutation")
    try:
        s_raw = np.asarray(g[1])
    except Exception as exc:  # pragma: no cover - numpy reads any sequence
        raise ValueError(f"{name}'s signs could not be read as an array: {exc}") from None
    if s_raw.shape != p.shape:
        raise ValueError(
            f"{name}'s signs must have shape {p.shape} like its permutation, got {s_raw.shape}"
        )
    if s_raw.dtype == bool or not np.issubdtype(s_raw.dtype, np.number):
        raise ValueError(f"{name}'s signs must be numbers +1 or -1, got dtype {s_raw.dtype}")
    if s_raw.size and not np.all((s_raw == 1) | (s_raw == -1)):
        bad = s_raw[(s_raw != 1) & (s_raw != -1)][0]
        raise ValueError(f"{name}'s signs must all be +1 or -1, got {bad.item()!r}")
    s = s_raw.astype(np.int8)
    p = np.array(p, dtype=np.intp)
    p.flags.writeable = False
    s.flags.writeable = False
    return p, s


def _is_pair(g: Any) -> bool:
    return (
        isinstance(g, (tuple, list))
        and len(g) == 2
        and all(np.ndim(part) == 1 for part in g)
    )


def signed_permutation_matrix(g: Any) -> NDArray[np.float64]:
    """The matrix ``Q = P diag(s)`` of ``(p, s)``: ``Q e_i = s[i] e_{p[i]}`` (for tests, small ``M``).

    Examples
    --------
    >>> signed_permutation_matrix(([1, 0], [1, -1]))
    array([[ 0., -1.],
           [ 1.,  0.]])
    """
    p, s = as_signed_permutation(g)
    m = p.size
    q = np.zeros((m, m))
    q[p, np.arange(m)] = s
    return q


def _doubled(p: NDArray[np.intp], s: NDArray[np.int8]) -> NDArray[np.intp]:
    """The permutation of ``±i`` (``i`` and ``i + M``) by which ``(p, s)`` acts."""
    m = p.size
    neg = (s < 0).astype(np.intp)
    return np.concatenate([p + m * neg, p + m * (1 - neg)])


def _undoubled(d: NDArray[np.intp], m: int) -> SignedPermutation:
    p = (d[:m] % m).astype(np.intp)
    s = np.where(d[:m] < m, 1, -1).astype(np.int8)
    return p, s


class SignedPermutationGroup:
    """A finite group of signed permutations of ``0..M-1``, given by generators.

    Parameters
    ----------
    generators : iterable of (permutation, signs) pairs
        Each generator maps ``e_i`` to ``signs[i] e_{permutation[i]}``.  May be empty
        (the trivial group), in which case ``degree`` is required.
    degree : int, optional
        The number of coordinates ``M``; read from the generators when omitted.

    The group is never enumerated unless :meth:`elements` is asked for: the signed pair
    orbits (hence the commutant and the Reynolds projection) come from a union-find over
    the generators, the order from the faithful action on ``2M`` points
    (:meth:`doubled`).

    Examples
    --------
    The negacyclic shift ``x -> (-x[M-1], x[0], ..., x[M-2])`` generates a group of order
    ``2M`` whose invariant covariances are the skew-circulant matrices:

    >>> import numpy as np
    >>> M = 4
    >>> G = SignedPermutationGroup([((np.arange(M) + 1) % M, [1, 1, 1, -1])])
    >>> G.order, G.commutant_dim
    (8, 4)
    >>> G.reynolds(np.eye(M) + np.diag([1.0, 1.0, 1.0], 1))
    array([[ 1.  ,  0.75,  0.  ,  0.  ],
           [ 0.  ,  1.  ,  0.75,  0.  ],
           [ 0.  ,  0.  ,  1.  ,  0.75],
           [-0.75,  0.  ,  0.  ,  1.  ]])
    """

    def __init__(self, generators: Iterable[Any], degree: int | None = None) -> None:
        gens = list(generators)
        if degree is None:
            if not gens:
                raise ValueError("degree is required when no generators are given")
            first = gens[0]
            if not _is_pair(first):
                raise TypeError(
                    f"generator 0 must be a pair (permutation, signs), got {type(first).__name__}"
                )
            degree = len(first[0])
        if isinstance(degree, bool) or not isinstance(degree, (int, np.integer)) or degree < 1:
            raise ValueError(f"degree must be a positive int, got {degree!r}")
        m = int(degree)
        checked = [as_signed_permutation(g, m, name=f"generator {k}") for k, g in enumerate(gens)]
        perms = np.array([c[0] for c in checked], dtype=np.intp).reshape(len(checked), m)
        signs = np.array([c[1] for c in checked], dtype=np.int8).reshape(len(checked), m)
        perms.flags.writeable = False
        signs.flags.writeable = False
        self._perms, self._signs, self._degree = perms, signs, m
        self._name: str | None = None
        self._short: str | None = None
        self._construction: tuple[Any, ...] | None = None
        self._order: int | None = None
        self._doubled: PermutationGroup | None = None
        self._labels: NDArray[np.int64] | None = None
        self._pair_signs: NDArray[np.int8] | None = None
        self._dim: int | None = None
        self._counts: NDArray[np.int64] | None = None
        self._proj: tuple[Any, ...] | None = None
        # closed form of (labels, signs, dim) for catalogue groups (negacyclic)
        self._closed: Any = None

    @classmethod
    def from_permutation_group(cls, G: PermutationGroup) -> SignedPermutationGroup:
        """``G`` with every sign ``+1``: the same commutant and Reynolds projection.

        Examples
        --------
        >>> from algdiv.groups import dihedral
        >>> SignedPermutationGroup.from_permutation_group(dihedral(6)).commutant_dim
        4
        """
        if not isinstance(G, PermutationGroup):
            raise TypeError(f"G must be a PermutationGroup, got {type(G).__name__}")
        ones = np.ones(G.degree, dtype=np.int8)
        out = cls([(g, ones) for g in G.generators], G.degree)
        out._name = f"{G.name} (all signs +1)"
        out._short = G.short_name
        out._order = G.known_order
        return out

    @classmethod
    def from_doubled(cls, G: PermutationGroup, *, name: str | None = None) -> SignedPermutationGroup:
        """The signed-permutation group acting on the ``2M`` points ``±i`` as ``G`` does.

        Point ``i`` stands for ``+e_i`` and ``i + M`` for ``-e_i`` (as in :meth:`doubled`).
        Every generator of ``G`` must commute with the swap ``i <-> i + M``: it maps each
        pair ``{i, i + M}`` onto a pair, the images of ``+e_i`` and ``-e_i`` being
        opposite.  A known order of ``G`` carries over (the action is faithful).

        Raises
        ------
        TypeError
            If ``G`` is not a :class:`PermutationGroup`.
        ValueError
            If ``G``'s degree is odd or a generator does not map pairs ``±i`` to pairs.

        Examples
        --------
        >>> from algdiv.groups import PermutationGroup
        >>> G = SignedPermutationGroup.from_doubled(PermutationGroup([[1, 2, 3, 4, 5, 0]], 6))
        >>> G == negacyclic(3), G.order
        (True, 6)
        """
        if not isinstance(G, PermutationGroup):
            raise TypeError(f"G must be a PermutationGroup, got {type(G).__name__}")
        if G.degree % 2:
            raise ValueError(f"G must act on 2M points ±i, got an odd degree {G.degree}")
        m = G.degree // 2
        gens = np.asarray(G.generators, dtype=np.intp).reshape(-1, 2 * m)
        partner = np.concatenate([np.arange(m, 2 * m), np.arange(m)])
        for k, d in enumerate(gens):
            if not np.array_equal(d[partner], partner[d]):
                raise ValueError(
                    f"generator {k} of G does not map the pairs (i, i + M) onto pairs, so it is "
                    "not a signed permutation"
                )
        out = cls([_undoubled(d, m) for d in gens], m)
        out._order = G.known_order
        out._doubled = G
        out._name = name
        return out

    # -- description ---------------------------------------------------------------------
    @property
    def degree(self) -> int:
        """The number of coordinates ``M``."""
        return self._degree

    @property
    def permutations(self) -> NDArray[np.intp]:
        """Read-only ``(k, M)`` permutations of the generators."""
        return self._perms

    @property
    def signs(self) -> NDArray[np.int8]:
        """Read-only ``(k, M)`` signs (``±1``, int8) of the generators."""
        return self._signs

    @property
    def generators(self) -> list[SignedPermutation]:
        """The generators as ``(permutation, signs)`` pairs (read-only arrays)."""
        return [(p, s) for p, s in zip(self._perms, self._signs)]

    @property
    def name(self) -> str:
        """Human-readable description."""
        if self._name is not None:
            return self._name
        k = len(self._perms)
        return f"signed permutation group on {self._degree} points with {k} generator{'s' * (k != 1)}"

    @property
    def short_name(self) -> str:
        """Compact symbol, ``'G±'`` when unnamed."""
        return self._short or "G±"

    @property
    def construction(self) -> tuple[Any, ...] | None:
        """How a catalogue group was built, e.g. ``('negacyclic', 8, None)``."""
        return self._construction

    def __repr__(self) -> str:
        return f"<{self.name}>"

    def generator_matrices(self) -> NDArray[np.float64]:
        """The generators' matrices ``Q = P diag(s)`` as a dense ``(k, M, M)`` stack.

        A dictionary for :func:`algdiv.dc_gevp`: a covariance invariant under the group
        commutes with every ``Q``, so the certificate ``λ_min`` is 0.

        Examples
        --------
        >>> negacyclic(3).generator_matrices()[0]
        array([[ 0.,  0., -1.],
               [ 1.,  0.,  0.],
               [ 0.,  1.,  0.]])
        """
        m, k = self._degree, len(self._perms)
        check_memory(8.0 * k * m * m, f"the generator matrices of the {self.name}")
        out = np.zeros((k, m, m))
        cols = np.arange(m)
        for r, (p, s) in enumerate(zip(self._perms, self._signs)):
            out[r, p, cols] = s
        return out

    # -- the faithful action on 2M points ---------------------------------------------------
    def doubled(self) -> PermutationGroup:
        """The same group acting on the ``2M`` points ``±i`` (``i`` and ``i + M``): faithful.

        Examples
        --------
        >>> negacyclic(3).doubled().generators
        array([[1, 2, 3, 4, 5, 0]])
        """
        if self._doubled is None:
            m = self._degree
            gens = [_doubled(p, s) for p, s in zip(self._perms, self._signs)]
            self._doubled = PermutationGroup(gens, 2 * m)
            if self._order is not None:
                self._doubled._order = self._order
        return self._doubled

    def underlying(self) -> PermutationGroup:
        """The permutation group of the supports (the signs forgotten)."""
        return PermutationGroup(self._perms, self._degree)

    @property
    def order(self) -> int:
        """The number of elements (Schreier-Sims on :meth:`doubled`, or from the construction)."""
        if self._order is None:
            self._order = self.doubled().order
        return self._order

    def contains(self, g: Any) -> bool:
        """Whether the signed permutation ``(p, s)`` is an element of the group.

        Examples
        --------
        >>> G = negacyclic(4)
        >>> G.contains(([2, 3, 0, 1], [1, 1, -1, -1])), G.contains(([2, 3, 0, 1], [1, 1, 1, 1]))
        (True, False)
        """
        p, s = as_signed_permutation(g, self._degree, name="g")
        return self.doubled().contains(_doubled(p, s))

    def __eq__(self, other: object) -> bool:
        """Equal as groups of signed permutations (each generator set lies in the other group)."""
        if not isinstance(other, SignedPermutationGroup):
            return NotImplemented
        if other.degree != self._degree:
            return False
        return self.doubled() == other.doubled()

    def __hash__(self) -> int:
        return hash(("SignedPermutationGroup", self._degree))

    def elements(self, limit: int = DEFAULT_ELEMENT_LIMIT) -> list[SignedPermutation]:
        """All elements as ``(permutation, signs)`` pairs, the identity first (for tests).

        Raises
        ------
        ValueError
            If the order exceeds ``limit``.
        """
        m = self._degree
        return [_undoubled(d, m) for d in self.doubled().elements(limit)]

    # -- signed pair orbits, commutant, Reynolds ---------------------------------------------
    def signed_pair_orbits(self) -> tuple[NDArray[np.int64], NDArray[np.int8]]:
        """Labels and signs of the signed pair orbits: two read-only ``(M, M)`` arrays.

        ``labels[i, j]`` numbers the consistent orbits ``0..commutant_dim - 1`` in order of
        their first pair (row-major) and is ``-1`` on pairs whose orbit forces ``A[i, j] =
        -A[i, j]``; ``signs[i, j]`` is ``σ(i, j) = ±1`` there and ``0`` on vanishing pairs.
        The commutant is spanned by the matrices ``signs * (labels == k)``.  Computed by
        connected components of the double cover of the pair graph (see the module
        notes), ``O(M² · #generators)``; the memory is estimated first
        (:func:`algdiv.set_max_memory`).

        Examples
        --------
        >>> labels, signs = negacyclic(3).signed_pair_orbits()
        >>> labels
        array([[0, 1, 2],
               [2, 0, 1],
               [1, 2, 0]])
        >>> signs
        array([[ 1,  1,  1],
               [-1,  1,  1],
               [-1, -1,  1]], dtype=int8)
        """
        if self._labels is None:
            if self._closed is not None:
                self._labels, self._pair_signs, self._dim = self._closed()
            else:
                self._labels, self._pair_signs, self._dim = _signed_pair_orbits(
                    self._perms, self._signs, self._degree, self.name
                )
        assert self._pair_signs is not None
        return self._labels, self._pair_signs

    @property
    def commutant_dim(self) -> int:
        """``dim C(G)``: the number of consistent signed pair orbits."""
        if self._dim is None:
            self.signed_pair_orbits()
        assert self._dim is not None
        return self._dim

    @property
    def effective_dimension(self) -> float:
        """``d_eff = M² / dim C(G)`` (``inf`` when the commutant is ``{0}``, impossible: ``I`` is in it)."""
        return self._degree**2 / self.commutant_dim

    def _orbit_counts(self) -> NDArray[np.int64]:
        if self._counts is None:
            labels, _ = self.signed_pair_orbits()
            flat = labels.ravel()
            self._counts = np.bincount(flat[flat >= 0], minlength=self.commutant_dim)
        return self._counts

    def commutant_basis(self) -> NDArray[np.float64]:
        """The signed orbital matrices ``B_O = σ · 1_O``: an orthogonal basis of ``C(G)``, ``(dim, M, M)``.

        Examples
        --------
        >>> negacyclic(2).commutant_basis()
        array([[[ 1.,  0.],
                [ 0.,  1.]],
        <BLANKLINE>
               [[ 0.,  1.],
                [-1.,  0.]]])
        """
        labels, signs = self.signed_pair_orbits()
        m, dim = self._degree, self.commutant_dim
        check_memory(8.0 * dim * m * m, f"a dense commutant basis of the {self.name}")
        basis = np.zeros((dim, m, m))
        i, j = np.nonzero(labels >= 0)
        basis[labels[i, j], i, j] = signs[i, j]
        return basis

    def reynolds(self, A: ArrayLike) -> NDArray[Any]:
        """The group average ``Φ_G(A) = (1/|G|) Σ_g Q_g A Q_gᵀ``, without listing the group.

        Each entry becomes ``σ(i, j)`` times the mean of ``σ · A`` over its signed pair
        orbit, and ``0`` on orbits that force ``A[i, j] = -A[i, j]``: the orthogonal
        (Frobenius) projection onto the commutant, ``O(M²)`` per matrix.

        Parameters
        ----------
        A : array_like, shape (..., M, M)
            Real or complex; leading axes are a batch.  Not modified.

        Returns
        -------
        ndarray, shape (..., M, M)

        Raises
        ------
        ValueError
            If ``A`` is not a stack of ``M × M`` matrices or holds NaN/inf.

        Examples
        --------
        >>> import numpy as np
        >>> sign_flips(3).reynolds(np.ones((3, 3)))
        array([[1., 0., 0.],
               [0., 1., 0.],
               [0., 0., 1.]])
        """
        from .._validation import as_square

        a = as_square(A, "A", batch=True, size=self._degree)
        return self._project(a)

    def _plan(self) -> tuple[NDArray[np.intp] | None, NDArray[np.int64], NDArray[np.float64], NDArray[np.int64]]:
        """Cached ``(kept pairs or None when all are, their labels, signs, orbit sizes)``."""
        if self._proj is None:
            labels, signs = self.signed_pair_orbits()
            flat = labels.ravel()
            if np.all(flat >= 0):
                keep, lab, sg = None, flat, signs.ravel().astype(np.float64)
            else:
                keep = np.flatnonzero(flat >= 0)
                lab, sg = flat[keep], signs.ravel()[keep].astype(np.float64)
            self._proj = (keep, lab, sg, self._orbit_counts())
        return self._proj

    def _project(self, a: NDArray[Any]) -> NDArray[Any]:
        keep, lab, sg, counts = self._plan()
        m, dim = self._degree, self.commutant_dim
        batch = a.shape[:-2]
        flat = a.reshape(-1, m * m)
        x = (flat if keep is None else flat[:, keep]) * sg
        n_rows = x.shape[0]
        if n_rows == 1:
            codes = lab
        else:
            codes = (np.arange(n_rows, dtype=np.int64)[:, None] * dim + lab[None, :]).ravel()
        size = n_rows * dim
        if np.iscomplexobj(x):
            sums = np.bincount(codes, x.real.ravel(), size) + 1j * np.bincount(codes, x.imag.ravel(), size)
        else:
            sums = np.bincount(codes, x.ravel(), size)
        means = sums.reshape(n_rows, dim) / counts
        vals = means[:, lab] * sg + 0.0  # + 0.0: no negative zeros
        if keep is None:
            return vals.reshape(batch + (m, m))
        out = np.zeros((n_rows, m * m), dtype=means.dtype)
        out[:, keep] = vals
        return out.reshape(batch + (m, m))

    def invariance_residual(self, R: ArrayLike) -> float:
        """``‖R − Φ_G(R)‖_F / ‖R‖_F``: 0 exactly when every ``Q R Qᵀ = R``.

        Examples
        --------
        >>> import numpy as np
        >>> negacyclic(4).invariance_residual(np.eye(4))
        0.0
        """
        from .._validation import as_square

        r = as_square(R, "R", size=self._degree)
        norm = float(np.linalg.norm(r))
        return 0.0 if norm == 0.0 else float(np.linalg.norm(r - self._project(r)) / norm)


def _signed_pair_orbits(
    perms: NDArray[np.intp], signs: NDArray[np.int8], m: int, what: str
) -> tuple[NDArray[np.int64], NDArray[np.int8], int]:
    """Connected components of the double cover of the pair graph (see the module notes)."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    k = len(perms)
    n = m * m
    # nodes 2n (int64), edges 2n per generator (two int64 ends), labels and work arrays
    check_memory(float(n) * (2 * k * 16 + 8 * 8), f"the signed pair orbits of the {what}")
    idx = np.arange(n, dtype=np.int64)
    i, j = idx // m, idx % m
    src, dst = [], []
    for p, s in zip(perms, signs):
        target = p[i].astype(np.int64) * m + p[j]
        flip = (s[i].astype(np.int64) * s[j] < 0).astype(np.int64)
        for e in (0, 1):
            src.append(2 * idx + e)
            dst.append(2 * target + (e ^ flip))
    if src:
        s_all, d_all = np.concatenate(src), np.concatenate(dst)
        graph = coo_array((np.ones(s_all.size, dtype=np.int8), (s_all, d_all)), shape=(2 * n, 2 * n))
        _, comp = connected_components(graph, directed=True, connection="weak")
        comp = comp.astype(np.int64)
    else:
        comp = np.arange(2 * n, dtype=np.int64)
    plus, minus = comp[0::2], comp[1::2]
    vanishing = plus == minus
    root = np.minimum(plus, minus)
    pair_signs = np.where(vanishing, 0, np.where(plus == root, 1, -1)).astype(np.int8)
    # Number the consistent orbits by their first pair in row-major order.
    flat = np.full(n, -1, dtype=np.int64)
    ok = np.flatnonzero(~vanishing)
    roots, first, inverse = np.unique(root[ok], return_index=True, return_inverse=True)
    rank = np.empty(roots.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(roots.size)
    flat[ok] = rank[inverse.ravel()]
    labels = flat.reshape(m, m)
    square_signs = pair_signs.reshape(m, m)
    labels.flags.writeable = False
    square_signs.flags.writeable = False
    return labels, square_signs, int(roots.size)


def _check_m(M: object, name: str = "M") -> int:
    if isinstance(M, bool) or not isinstance(M, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(M).__name__}")
    if M < 1:
        raise ValueError(f"{name} must be at least 1, got {M}")
    return int(M)


def _negacyclic_orbits(m: int) -> tuple[NDArray[np.int64], NDArray[np.int8], int]:
    """Closed form for the negacyclic shift: the orbit of ``(i, j)`` is ``(j - i) mod M``, with
    sign ``+1`` above the diagonal and ``-1`` below (the skew-circulant pattern); none vanishes."""
    check_memory(9.0 * m * m, f"the signed pair orbits of the negacyclic group on {m} points")
    i = np.arange(m)[:, None]
    j = np.arange(m)[None, :]
    labels = ((j - i) % m).astype(np.int64)
    signs = np.where(j >= i, 1, -1).astype(np.int8)
    labels.flags.writeable = False
    signs.flags.writeable = False
    return labels, signs, m


def negacyclic(M: int, reflection: str | None = None) -> SignedPermutationGroup:
    """The negacyclic shift ``e_i -> e_{i+1}``, ``e_{M-1} -> -e_0`` (order ``2M``), optionally with a reflection.

    It is the cyclic group ``Z_{2M}`` acting on the antiperiodic sequences
    ``x(n + M) = -x(n)`` (a fold of ``Z_{2M}`` by its central rotation ``n -> n + M``
    with the sign character), written on the samples ``0..M-1``.  Its invariant
    covariances are the skew-circulant matrices ``R[i, j] = r(i - j)`` with
    ``r(k - M) = -r(k)``, diagonalized by the odd-frequency DFT
    ``U[n, k] = exp(iπ(2k+1)n/M)/√M`` (``M`` classes).

    Parameters
    ----------
    M : int
    reflection : {None, "whole", "half"}
        Add the reflection ``n -> -n`` (``"whole"``: ``e_0 -> e_0``,
        ``e_i -> -e_{M-i}``) or ``n -> -1-n`` (``"half"``: ``e_i -> e_{M-1-i}``) of the
        antiperiodic sequences: the negacyclic dihedral group of order ``4M``
        (``M ≥ 2``), whose invariant covariances are the symmetric skew-circulants and
        whose classes pair the frequencies ``k`` and ``M-1-k``.

    Examples
    --------
    >>> G = negacyclic(8)
    >>> G.order, G.commutant_dim
    (16, 8)
    >>> H = negacyclic(8, reflection="half")
    >>> H.order, H.commutant_dim
    (32, 4)
    """
    m = _check_m(M)
    i = np.arange(m)
    s = np.ones(m, dtype=np.int8)
    s[m - 1] = -1
    gens: list[tuple[NDArray[Any], NDArray[Any]]] = [((i + 1) % m, s)]
    order = 2 * m
    if reflection == "whole":
        rs = -np.ones(m, dtype=np.int8)
        rs[0] = 1
        gens.append(((-i) % m, rs))
    elif reflection == "half":
        gens.append((m - 1 - i, np.ones(m, dtype=np.int8)))
    elif reflection is not None:
        raise ValueError(f"reflection must be None, 'whole' or 'half', got {reflection!r}")
    if reflection is not None and m >= 2:
        order = 4 * m
    G = SignedPermutationGroup(gens, m)
    if reflection is None:
        G._closed = partial(_negacyclic_orbits, m)
    tag = "" if reflection is None else f" with the {reflection}-sample reflection"
    G._name = f"negacyclic group on {m} points{tag}"
    G._short = f"Z_{2 * m}^-" if reflection is None else f"D_{2 * m}^-"
    G._construction = ("negacyclic", m, reflection)
    G._order = order
    return G


def hyperoctahedral(M: int) -> SignedPermutationGroup:
    """All ``2^M M!`` signed permutations (the hyperoctahedral group ``B_M``): commutant ``{c I}``.

    Examples
    --------
    >>> G = hyperoctahedral(4)
    >>> G.order, G.commutant_dim
    (384, 1)
    """
    m = _check_m(M)
    ones = np.ones(m, dtype=np.int8)
    flip = ones.copy()
    flip[0] = -1
    gens: list[tuple[NDArray[Any], NDArray[Any]]] = [(np.arange(m), flip)]
    if m >= 2:
        t = np.arange(m)
        t[[0, 1]] = [1, 0]
        gens.append((t, ones))
    if m >= 3:
        gens.append(((np.arange(m) + 1) % m, ones))
    G = SignedPermutationGroup(gens, m)
    G._name = f"hyperoctahedral group B_{m} on {m} points"
    G._short = f"B_{m}"
    G._construction = ("hyperoctahedral", m)
    from math import factorial

    G._order = 2**m * factorial(m)
    return G


def sign_flips(M: int) -> SignedPermutationGroup:
    """The sign changes of single coordinates, ``Z_2^M`` acting diagonally: commutant = diagonal matrices.

    Examples
    --------
    >>> sign_flips(5).order, sign_flips(5).commutant_dim
    (32, 5)
    """
    m = _check_m(M)
    gens = []
    for k in range(m):
        s = np.ones(m, dtype=np.int8)
        s[k] = -1
        gens.append((np.arange(m), s))
    G = SignedPermutationGroup(gens, m)
    G._name = f"sign flips Z_2^{m} on {m} points"
    G._short = f"Z_2^{m}(±)"
    G._construction = ("sign_flips", m)
    G._order = 2**m
    return G
