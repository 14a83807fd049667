"""The PermutationGroup object: a finite group acting on ``0..M-1``, given by generators."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from math import factorial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._cost import Deadline, chain_seconds, pair_orbit_seconds
from .._limits import check_memory, check_time
from .._validation import is_int
from . import _orbits, _schreier
from .permutations import as_permutation, closure, compose, is_identity, to_cycles

__all__ = ["PermutationGroup", "DEFAULT_ELEMENT_LIMIT"]

#: ``elements()`` refuses groups larger than this unless given a larger ``limit``.
DEFAULT_ELEMENT_LIMIT = 100_000


class PermutationGroup:
    """A finite permutation group on ``degree`` points, given by generators.

    The group is never enumerated unless :meth:`elements` is asked for.  Its order
    comes from the construction when known (catalogue groups and products), otherwise
    from Schreier-Sims.  Orbits and pair orbits are computed from the generators and
    cached.

    Parameters
    ----------
    generators : sequence of array_like of int
        Each ``g`` is a permutation with ``g[i]`` the image of ``i``.  May be empty
        (the trivial group), in which case ``degree`` is required.
    degree : int, optional
        Number of points ``M``; inferred from the generators when omitted.

    Raises
    ------
    ValueError
        If a generator is not a bijection of ``0..M-1`` or the lengths differ; the
        message names the generator by its position.

    Examples
    --------
    >>> from algdiv.groups import PermutationGroup
    >>> G = PermutationGroup([[1, 2, 3, 0], [0, 3, 2, 1]])
    >>> G.order
    8
    >>> G.orbits()
    [array([0, 1, 2, 3])]
    >>> G.contains([3, 2, 1, 0])
    True
    """

    def __init__(self, generators: Iterable[ArrayLike], degree: int | None = None) -> None:
        gens = list(generators)
        if degree is None:
            if not gens:
                raise ValueError("degree is required when no generators are given")
            degree = len(np.asarray(gens[0]))
        if not is_int(degree) or degree < 1:
            raise ValueError(f"degree must be a positive int, got {degree!r}")
        degree = int(degree)
        checked = [as_permutation(g, degree, name=f"generator {k}") for k, g in enumerate(gens)]
        arr = np.array(checked, dtype=np.intp).reshape(len(checked), degree)
        arr.flags.writeable = False
        self._gens = arr
        self._degree = degree
        self._name: str | None = None
        self._short: str | None = None
        self._expression: str | None = None
        self._construction: tuple[Any, ...] | None = None
        self._order: int | None = None
        self._labels_fn: Callable[[], tuple[int, NDArray[Any]]] | None = None
        self._pair_fn: Callable[[NDArray[Any], NDArray[Any]], NDArray[Any]] | None = None
        self._sizes_fn: Callable[[], NDArray[Any]] | None = None
        self._labels: NDArray[Any] | None = None
        self._n_pair_orbits: int | None = None
        self._pair_counts: NDArray[Any] | None = None
        self._orbits: list[NDArray[Any]] | None = None
        self._sympy: Any = None
        self._giant: str | None = None  # "S" or "A" once recognized as S_M or A_M
        self._chain: _schreier.StabilizerChain | None = None

    # -- construction helpers used by the catalogue ------------------------------------
    @classmethod
    def _built(
        cls,
        generators: ArrayLike,
        degree: int,
        *,
        name: str | None = None,
        short: str | None = None,
        expression: str | None = None,
        construction: tuple[Any, ...] | None = None,
        order: int | None = None,
        labels: Callable[[], tuple[int, NDArray[Any]]] | None = None,
        pair_fn: Callable[[NDArray[Any], NDArray[Any]], NDArray[Any]] | None = None,
        n_pair_orbits: int | None = None,
        pair_sizes: Callable[[], NDArray[Any]] | None = None,
    ) -> PermutationGroup:
        """A group whose order and/or pair-orbit labels are known from its construction.

        ``pair_fn(i, j)`` is a closed form of the label of the pairs ``(i, j)`` (int
        arrays, broadcast); with it the labels are never formed for a single pair, and
        the full array is filled in row blocks.  ``n_pair_orbits`` and ``pair_sizes``
        (a callable) give ``dim C(G)`` and the orbit sizes without the labels.
        """
        group = cls(list(np.asarray(generators, dtype=np.intp).reshape(-1, degree)), degree)
        group._name = name
        group._short = short
        group._expression = expression
        group._construction = construction
        group._order = None if order is None else int(order)
        group._labels_fn = labels
        group._pair_fn = pair_fn
        group._n_pair_orbits = None if n_pair_orbits is None else int(n_pair_orbits)
        group._sizes_fn = pair_sizes
        return group

    @classmethod
    def from_structure(
        cls,
        generators: ArrayLike,
        degree: int,
        *,
        order: int | None = None,
        labels: Callable[[], tuple[int, NDArray[Any]]] | None = None,
        name: str | None = None,
    ) -> PermutationGroup:
        """A group whose order and/or pair-orbit labels the caller already knows.

        For code that builds groups from their structure (searches, products): ``order``
        skips Schreier–Sims; ``labels`` is a callable returning ``(dim C(G), labels)``,
        called on first use.  The caller vouches for both; the generators are still
        checked to be permutations.

        Examples
        --------
        >>> import numpy as np
        >>> G = PermutationGroup.from_structure([[1, 2, 0]], 3, order=3)
        >>> G.known_order, G.n_pair_orbits
        (3, 3)
        """
        return cls._built(generators, degree, order=order, labels=labels, name=name)

    @property
    def known_order(self) -> int | None:
        """The order if it is already known (construction, or computed before), else ``None``:
        never runs Schreier–Sims."""
        return self._order

    # -- pickling -----------------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        # The structured label function is a closure (not picklable) and the sympy group
        # is only a cache; both are dropped.  Labels not yet computed are rebuilt on demand
        # from the construction, which is plain data, so the fast path survives a round trip.
        state = dict(self.__dict__)
        state["_labels_fn"] = None
        state["_pair_fn"] = None
        state["_sizes_fn"] = None
        state["_sympy"] = None
        state["_chain"] = None  # a cache, rebuilt on demand
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._gens.flags.writeable = False
        if self._labels is not None:
            self._labels.flags.writeable = False
        # The closures (label function, closed forms) come back from the construction,
        # which is plain data (rebuilding a catalogue group is cheap), so the fast paths
        # survive a round trip.
        if self._construction is not None:
            group = _rebuilt(self._construction, self._gens)
            if group is not None:
                if self._labels is None:
                    self._labels_fn = group._labels_fn
                self._pair_fn = group._pair_fn
                self._sizes_fn = group._sizes_fn

    # -- basic attributes ---------------------------------------------------------------
    @property
    def degree(self) -> int:
        """Number of points ``M`` the group acts on."""
        return self._degree

    @property
    def generators(self) -> NDArray[np.intp]:
        """Read-only ``(k, M)`` int array; row ``g`` maps ``i`` to ``g[i]``."""
        return self._gens

    @property
    def name(self) -> str:
        """Human-readable description, e.g. ``'dihedral group D_16 on 16 points'``."""
        if self._name is not None:
            return self._name
        k = len(self._gens)
        return f"permutation group on {self._degree} points with {k} generator{'s' * (k != 1)}"

    @property
    def short_name(self) -> str:
        """Compact symbol such as ``'D_16'`` or ``'Z_4 x D_5'``; ``'G'`` when unnamed."""
        return self._short or "G"

    @property
    def expression(self) -> str | None:
        """Text that :func:`algdiv.groups.parse` turns back into this group, when built."""
        return self._expression

    @property
    def construction(self) -> tuple[Any, ...] | None:
        """How a catalogue group was built, e.g. ``('cyclic', 12)``; ``None`` otherwise."""
        return self._construction

    def __repr__(self) -> str:
        return f"<{self.name}>"

    def __str__(self) -> str:
        return self.name

    # -- order, orbits ------------------------------------------------------------------
    @property
    def order(self) -> int:
        """The exact number of elements (a Python int, possibly huge).

        Known from the construction for catalogue groups and products.  Otherwise:
        ``S_M`` and ``A_M`` are recognized first (a transitive group whose random
        element has a cycle of prime length ``p``, ``M/2 < p <= M - 3``, contains
        ``A_M`` by Jordan's theorem; the parity of the generators decides), and any
        other group gets a randomized Schreier-Sims stabilizer chain over numpy arrays,
        verified by the Schreier-Sims test when the chain is shallow enough (see
        :attr:`order_is_verified`).  A chain too deep for that test, in a group with
        blocks of size 2 (the orbits of a fixed-point-free involution commuting with
        it), ends at the action on the blocks: below it the kernel is a subspace of
        ``C_2^(M/2)`` over GF(2), so ``C_2 wr C_5000`` on 10 000 points takes seconds
        where 5000 levels took minutes.

        Raises
        ------
        ResourceLimitError
            (a ``ValueError``) when the chain's first level is estimated, before work,
            to exceed the time limit (:func:`algdiv._limits.set_max_time`), or when the
            chain, whose depth is found as it is built, runs past that limit.

        Examples
        --------
        >>> import numpy as np
        >>> from algdiv.groups import PermutationGroup
        >>> rng = np.random.default_rng(0)
        >>> G = PermutationGroup([rng.permutation(200), rng.permutation(200)])
        >>> from math import factorial
        >>> G.order in (factorial(200), factorial(200) // 2)
        True
        """
        if self._order is None:
            if len(self._gens) == 0 or all(is_identity(g) for g in self._gens):
                self._order = 1
            else:
                self._structure()
                if self._giant is not None:
                    self._order = _schreier.giant_order(self._gens)
                else:
                    self._order = self._chain.order  # type: ignore[union-attr]
        return self._order

    @property
    def order_is_verified(self) -> bool:
        """Whether :attr:`order` and :meth:`contains` are proven, not just almost sure.

        True for catalogue groups (order from the construction), recognized ``S_M`` or
        ``A_M``, and stabilizer chains that passed the deterministic Schreier-Sims test.
        False only for a chain too deep for that test (hundreds of base points), which
        keeps the randomized guarantee: it errs with probability below ``2**-48``.

        Examples
        --------
        >>> from algdiv.groups import PermutationGroup, wreath_product, symmetric, dihedral
        >>> G = PermutationGroup(wreath_product(symmetric(4), dihedral(6)).generators)
        >>> G.order, G.order_is_verified
        (2293235712, True)
        """
        if self._chain is None and self._giant is None and self._order is not None:
            return True
        self._structure()
        return self._giant is not None or self._chain.verified  # type: ignore[union-attr]

    def _structure(self) -> None:
        """Recognize a giant or build the stabilizer chain (once)."""
        if self._giant is not None or self._chain is not None:
            return
        rng = np.random.default_rng(0)
        gens = np.array([g for g in self._gens if not is_identity(g)], dtype=np.intp)
        gens = gens.reshape(-1, self._degree)
        if len(gens) and len(self.orbits()) == 1 and _schreier.is_giant(gens, rng):
            self._giant = "S" if any(_schreier.parity(g) for g in gens) else "A"
            return
        largest = max(len(o) for o in self.orbits())
        what = f"the stabilizer chain (order, membership) of {self._what()}"
        check_time(chain_seconds(self._degree, largest), what)
        what = f"the stabilizer chain of {self._expression or self.name}"
        # The depth is found while the chain is built: the deadline bounds what the
        # estimate above cannot (it counts the first level only).
        self._chain = _schreier.build_chain(
            gens, self._degree, rng, known_order=self._order, deadline=Deadline(what),
            transitive=len(self.orbits()) == 1,
        )

    def orbits(self) -> list[NDArray[Any]]:
        """The orbits on the points, each a sorted int array, ordered by smallest point."""
        if self._orbits is None:
            n, lab = _orbits.orbit_labels(self._gens, self._degree)
            order = np.argsort(lab, kind="stable")
            splits = np.cumsum(np.bincount(lab, minlength=n))[:-1]
            self._orbits = [o for o in np.split(order, splits)]
        return [o.copy() for o in self._orbits]

    def is_transitive(self) -> bool:
        """True when the group has a single orbit on the points."""
        return len(self.orbits()) == 1

    def pair_orbits(self) -> NDArray[Any]:
        """Label of the orbit of every ordered pair ``(i, j)``: a read-only ``(M, M)`` array.

        Labels are ``0..dim C(G) - 1``, stored in the smallest integer dtype
        (:func:`label_dtype`: ``uint8``, ``uint16``, ``int32`` or ``int64``).  Computed
        from the generators (or the construction's closed form, in row blocks) in
        ``O(M^2 * #generators)`` and cached; the elements are never listed.  The memory
        is estimated first and refused above the limit of :mod:`algdiv._limits` with a
        :class:`~algdiv._limits.ResourceLimitError` (a ``ValueError``) naming the size;
        :meth:`pair_orbit_of` gives single labels without the array when the
        construction has a closed form.

        Examples
        --------
        >>> from algdiv.groups import cyclic
        >>> cyclic(4).pair_orbits()
        array([[0, 1, 2, 3],
               [3, 0, 1, 2],
               [2, 3, 0, 1],
               [1, 2, 3, 0]], dtype=uint8)
        """
        if self._labels is None:
            m = self._degree
            n_known = self._n_pair_orbits
            out_bytes = np.dtype(label_dtype(m * m if n_known is None else n_known)).itemsize
            if self._pair_fn is not None and n_known is not None:
                per_entry = out_bytes
            elif self._labels_fn is not None:
                per_entry = out_bytes + 2 * 8  # products build int64 codes first
            else:
                per_entry = out_bytes + 3 * 8  # int32 transversal and inverse, labels, merge
            check_memory(float(m) * m * per_entry, f"the pair-orbit labels of {self._what()}")
            if self._pair_fn is None and self._labels_fn is None and self._is_giant_by_order():
                # S_M, or A_M with M >= 4: 2-transitive, so the pairs (i, i) and the rest
                self._pair_fn = lambda i, j: (i != j).astype(np.int64)
                n_known = self._n_pair_orbits = 2
            if self._pair_fn is not None and n_known is not None:
                n, labels = n_known, _orbits.fill_rows(m, label_dtype(n_known), self._pair_fn)
            elif self._labels_fn is not None:
                n, labels = self._labels_fn()
            else:
                check_time(pair_orbit_seconds(m, len(self._gens)),
                           f"the pair-orbit labels of {self._what()}")
                n, labels = _orbits.pair_orbit_labels(self._gens, self._degree)
            labels = np.ascontiguousarray(labels, dtype=label_dtype(int(n)))
            labels.flags.writeable = False
            self._labels, self._n_pair_orbits = labels, int(n)
        return self._labels

    def _is_giant_by_order(self) -> bool:
        """Whether the order, already known, says the group is ``S_M`` or (``M >= 4``) ``A_M``."""
        m = self._degree
        if self._order is None or m < 4:
            return False
        full = factorial(m)
        return self._order == full or self._order == full // 2

    def _what(self) -> str:
        m = self._degree
        return f"{self._expression or self.name} ({m} x {m} pairs)"

    def pair_orbit_of(self, i: ArrayLike, j: ArrayLike) -> NDArray[Any]:
        """Labels of the pairs ``(i, j)`` (int arrays, broadcast against each other).

        From the construction's closed form when there is one (cyclic and dihedral
        groups: from ``(j - i) mod M``; also trivial, symmetric, elementary abelian, their
        direct products, relabellings and iterated wreaths), so that, e.g., ``cyclic(100000)`` answers
        without its ``10^10`` labels; otherwise read from :meth:`pair_orbits`.

        Examples
        --------
        >>> from algdiv.groups import cyclic, dihedral
        >>> cyclic(100000).pair_orbit_of([0, 5], [3, 2])
        array([    3, 99997])
        >>> dihedral(100000).pair_orbit_of(5, 2)
        array(3)
        """
        m = self._degree
        ii = np.asarray(i)
        jj = np.asarray(j)
        for name, arr in (("i", ii), ("j", jj)):
            if not np.issubdtype(arr.dtype, np.integer):
                raise TypeError(f"{name} must hold integers, got dtype {arr.dtype}")
            if arr.size and (arr.min() < 0 or arr.max() >= m):
                raise ValueError(f"{name} must hold points in 0..{m - 1}, got {arr.min()}..{arr.max()}")
        ii, jj = np.broadcast_arrays(ii.astype(np.int64), jj.astype(np.int64))
        return self._pair_labels(ii, jj)

    def _pair_labels(self, i: NDArray[Any], j: NDArray[Any]) -> NDArray[Any]:
        """:meth:`pair_orbit_of` on trusted int64 arrays (used by products and relabellings)."""
        if self._labels is None and self._pair_fn is not None:
            return np.asarray(self._pair_fn(i, j), dtype=np.int64)
        return np.asarray(self.pair_orbits()[i, j], dtype=np.int64)

    @property
    def n_pair_orbits(self) -> int:
        """Number of orbits on ordered pairs, which is ``dim C(G)``.

        Known without the labels for catalogue groups and their products.
        """
        if self._n_pair_orbits is None:
            self.pair_orbits()
        return self._n_pair_orbits  # type: ignore[return-value]

    def pair_orbit_sizes(self) -> NDArray[Any]:
        """Number of ordered pairs in each pair orbit (cached, read-only).

        From the construction's closed form when known (no labels), else counted.
        """
        if self._pair_counts is None:
            if self._sizes_fn is not None and self._labels is None:
                counts = np.asarray(self._sizes_fn(), dtype=np.int64)
            else:
                counts = np.bincount(self.pair_orbits().ravel(), minlength=self.n_pair_orbits)
            counts.flags.writeable = False
            self._pair_counts = counts
        return self._pair_counts

    # -- membership, equality -----------------------------------------------------------
    def to_sympy(self) -> Any:
        """The same group as a :class:`sympy.combinatorics.PermutationGroup` (cached)."""
        if self._sympy is None:
            from sympy.combinatorics import Permutation
            from sympy.combinatorics import PermutationGroup as SympyGroup

            gens = [Permutation(g.tolist()) for g in self._gens] or [
                Permutation(list(range(self._degree)))
            ]
            self._sympy = SympyGroup(gens)
        return self._sympy

    def contains(self, p: ArrayLike) -> bool:
        """Whether the permutation ``p`` belongs to the group (by sifting; see :attr:`order`).

        Raises
        ------
        ValueError
            If ``p`` is not a permutation of the group's degree.
        """
        p = as_permutation(p, self._degree, name="p")
        if is_identity(p):
            return True
        if any(np.array_equal(p, g) for g in self._gens):
            return True
        closed = _closed_form_membership(self._construction, p)
        if closed is not None:
            return closed
        # A necessary condition that is cheap once the labels are cached: elements
        # preserve every pair orbit.
        if self._labels is not None:
            lab = self._labels
            if not np.array_equal(lab[p[:, None], p[None, :]], lab):
                return False
        self._structure()
        if self._giant == "S":
            return True
        if self._giant == "A":
            return _schreier.parity(p) == 0
        return self._chain.contains(p)  # type: ignore[union-attr]

    def __contains__(self, p: ArrayLike) -> bool:
        return self.contains(p)

    def is_subgroup_of(self, other: PermutationGroup) -> bool:
        """True when every generator of this group lies in ``other`` (same degree)."""
        if not isinstance(other, PermutationGroup) or other.degree != self._degree:
            return False
        return all(other.contains(g) for g in self._gens)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PermutationGroup):
            return NotImplemented
        if other.degree != self._degree:
            return False
        if self._gens.shape == other._gens.shape and np.array_equal(self._gens, other._gens):
            return True
        if self._order is not None and other._order is not None and self._order != other._order:
            return False
        return self.is_subgroup_of(other) and other.is_subgroup_of(self)

    def __hash__(self) -> int:
        return hash(("PermutationGroup", self._degree))

    def is_abelian(self) -> bool:
        """True when all generators commute pairwise (so the whole group does)."""
        gens = self._gens
        for a in range(len(gens)):
            for b in range(a + 1, len(gens)):
                if not np.array_equal(compose(gens[a], gens[b]), compose(gens[b], gens[a])):
                    return False
        return True

    # -- elements (only on request) -----------------------------------------------------
    def elements(self, limit: int = DEFAULT_ELEMENT_LIMIT) -> NDArray[np.intp]:
        """All elements as an ``(order, M)`` int array, the identity first.

        Parameters
        ----------
        limit : int
            Refuse (``ValueError``) when the order exceeds this.  Algorithms in algdiv
            never call this by default; it exists for tests and small examples.

        Examples
        --------
        >>> from algdiv.groups import dihedral
        >>> dihedral(4).elements().shape
        (8, 4)
        >>> from algdiv.groups import symmetric
        >>> symmetric(20).elements()
        Traceback (most recent call last):
        ...
        ValueError: symmetric group S_20 on 20 points has 2432902008176640000 elements, more than limit=100000; pass a larger limit to enumerate it anyway
        """
        order = self.order
        if order > limit:
            raise ValueError(
                f"{self.name} has {order} elements, more than limit={limit}; "
                "pass a larger limit to enumerate it anyway"
            )
        return closure(self._gens, self._degree)

    def generator_cycles(self) -> list[str]:
        """Each generator in cycle notation, e.g. ``'(0 1 2 3)'``; ``'()'`` for the identity."""
        out = []
        for g in self._gens:
            cyc = to_cycles(g)
            out.append("".join("(" + " ".join(map(str, c)) + ")" for c in cyc) or "()")
        return out


def label_dtype(n: int) -> np.dtype:
    """The integer dtype of the pair-orbit labels of a group with ``n`` pair orbits.

    The smallest of ``uint8``, ``uint16``, ``int32``, ``int64`` that holds the codes
    ``a·n + b`` of two labels (``n² - 1``): code that pairs labels (symmetrizing,
    products) then cannot overflow.  Labels are always non-negative, so they suit
    ``numpy.bincount`` and indexing.

    Examples
    --------
    >>> [str(label_dtype(n)) for n in (9, 200, 5000, 10**5)]
    ['uint8', 'uint16', 'int32', 'int64']
    """
    top = n * n - 1
    for dt in (np.uint8, np.uint16, np.int32):
        if top <= np.iinfo(dt).max:
            return np.dtype(dt)
    return np.dtype(np.int64)


def _rebuilt(construction: tuple[Any, ...], gens: NDArray[Any]) -> PermutationGroup | None:
    """The catalogue group of an unpickled group, rebuilt from its construction.

    ``None`` when the construction is unknown or does not give back the same generators.
    """
    from . import catalogue, products

    kind, *args = construction
    builders: dict[str, Callable[..., PermutationGroup]] = {
        "trivial": catalogue.trivial,
        "cyclic": catalogue.cyclic,
        "dihedral": catalogue.dihedral,
        "elementary_abelian": catalogue.elementary_abelian,
        "symmetric": catalogue.symmetric,
        "iterated_wreath": lambda levels, node: catalogue.iterated_wreath(list(levels), node),
        "affine": catalogue.affine,
        "direct_product": products.direct_product,
        "wreath_product": products.wreath_product,
        "relabel": products.relabel,
    }
    if kind in builders:
        group = builders[kind](*args)
        if group._gens.shape == gens.shape and np.array_equal(group._gens, gens):
            return group
    return None


def _closed_form_membership(construction: tuple[Any, ...] | None, p: NDArray[Any]) -> bool | None:
    """Membership in the regular catalogue groups without a stabilizer chain.

    ``cyclic(M)`` holds exactly the rotations ``i → i + c``; ``dihedral(M)`` also the
    reflections ``i → c − i`` (all mod ``M``).  ``None`` for any other construction.
    """
    if construction is None or construction[0] not in ("cyclic", "dihedral"):
        return None
    m = p.size
    i = np.arange(m)
    if np.array_equal(p, (i + p[0]) % m):
        return True
    if construction[0] == "dihedral" and np.array_equal(p, (p[0] - i) % m):
        return True
    return False
