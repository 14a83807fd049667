"""Order and membership of a permutation group from its generators, over numpy arrays.

Two steps, both on ``(k, M)`` integer arrays (no Python-level permutation objects):

1. **Giant recognition.**  For a transitive group on ``M >= 8`` points, a random element
   with a cycle of prime length ``p``, ``M/2 < p <= M - 3``, gives (raised to the least
   common multiple of its other cycle lengths, which ``p`` does not divide) a pure
   ``p``-cycle.  A transitive group holding a ``p``-cycle with ``p > M/2`` is primitive
   (a block system would have fewer than ``p`` blocks, so the cycle would fix every block
   and fit inside one block of size ``<= M/2``), and by Jordan's theorem a primitive
   group holding a ``p``-cycle with ``p <= M - 3`` contains ``A_M``.  The group is then
   ``S_M`` when some generator is odd and ``A_M`` otherwise: order, membership (parity)
   and everything else follow without a stabilizer chain.  Roughly ``ln 2 / ln M`` of the
   elements of ``S_M`` or ``A_M`` have such a cycle, so a few dozen random elements
   (product replacement) recognize a giant almost surely; a group that is not a giant
   never passes the test (no error in that direction).
2. **Randomized Schreier-Sims** otherwise, with transversals stored as explicit
   permutations and every sift vectorized over a batch.  Random elements are sifted until
   ``_CONSECUTIVE`` in a row sift to the identity; a chain for a proper subgroup lets a
   uniform random element through with probability at most 1/2, so that alone errs with
   probability below ``2**-_CONSECUTIVE``.  The chain is then **verified** by the
   Schreier-Sims test (every Schreier generator of every level sifts to the identity
   through the levels below it; Schreier's lemma makes this a proof), batched in numpy,
   whenever its cost is below ``_VERIFY_BUDGET`` element operations; failures are
   added and the test repeated.  When the order is known beforehand (a catalogue group,
   or a group found by the automorphism search), reaching it ends the random phase and
   proves the chain.  Other chains too deep for the test (hundreds of levels) keep the
   randomized guarantee, and :attr:`StabilizerChain.verified` says which.
3. **Blocks of size 2** when the chain gets too deep for that test (:func:`build_chain`).
   Blocks ``{y, σ(y)}`` of size 2 are exactly the orbits of a fixed-point-free involution
   ``σ`` commuting with the group, and for a transitive group such a ``σ`` is a column of
   the first level's transversal (:func:`central_involution`).  Once the base points
   lie in blocks that form a base of the action on the blocks, the rest of the chain is
   a subgroup of the kernel of that action, which lies in ``C_2^(M/2)`` (each element
   fixes or swaps the two points of every block): a subspace over GF(2), kept in reduced
   echelon form with bit-packed rows (:class:`BlockKernel`).  ``C_2 wr C_5000`` from its
   generators is then one level over the 5000 blocks and a kernel of rank 4999, not a
   chain 5000 levels deep sifted at ``O(depth x M)`` per element.  The kernel is filled
   from the same random elements, with the same stopping rule (48 in a row change
   nothing), so the guarantee is the randomized one.

Every loop checks a :class:`~algdiv._cost.Deadline`: a chain whose depth no estimate before
work could know stops at the time limit with a one-line
:class:`~algdiv._limits.ResourceLimitError` (or earlier, when the sifts still needed at
the current depth would take it past the limit).
"""

from __future__ import annotations

import time
from math import factorial
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from .._cost import Deadline
from .._limits import check_memory

_GIANT_TRIES = 80  # random elements tried for a long prime cycle
_CONSECUTIVE = 48  # random elements in a row that must sift to the identity
_VERIFY_BUDGET = 6e8  # element operations allowed for the deterministic Schreier-Sims test (~2 s)
_BATCH_ENTRIES = 1 << 22  # entries of one (batch, M) block in vectorized sifting
_WARMUP = 50  # product-replacement steps before random elements are used
_POOL = 10  # the smallest pool of product replacement


def _primes_between(lo: int, hi: int) -> set[int]:
    """Primes ``p`` with ``lo < p <= hi``."""
    if hi < 2:
        return set()
    sieve = np.ones(hi + 1, dtype=bool)
    sieve[:2] = False
    for d in range(2, int(hi**0.5) + 1):
        if sieve[d]:
            sieve[d * d :: d] = False
    return {int(p) for p in np.flatnonzero(sieve) if p > lo}


def cycle_lengths(p: NDArray[Any]) -> NDArray[Any]:
    """Length of the cycle through each point of the permutation ``p``."""
    m = p.size
    graph = coo_array((np.ones(m, dtype=np.int8), (np.arange(m), p)), shape=(m, m))
    _, comp = connected_components(graph, directed=True, connection="weak")
    lengths: NDArray[np.intp] = np.bincount(comp)[comp]
    return lengths


def parity(p: NDArray[Any]) -> int:
    """0 for an even permutation, 1 for an odd one (``M`` minus the number of cycles)."""
    m = p.size
    graph = coo_array((np.ones(m, dtype=np.int8), (np.arange(m), p)), shape=(m, m))
    n_cycles, _ = connected_components(graph, directed=True, connection="weak")
    return (m - int(n_cycles)) % 2


_ROW_LOOP_DEGREE = 256  # from this degree on, row-by-row gathers beat take_along_axis


def rows_gather(a: NDArray[Any], idx: NDArray[Any]) -> NDArray[Any]:
    """``out[r] = a[r][idx[r]]`` for 2-D arrays (composition of permutations row by row).

    For long rows a loop of 1-D gathers, which stay in cache, is several times faster
    than :func:`numpy.take_along_axis` (measured at ``M = 5000``: 0.11 s against 0.50 s
    for 2000 rows).
    """
    if a.shape[1] < _ROW_LOOP_DEGREE:
        return np.take_along_axis(a, idx, axis=1)
    out = np.empty(idx.shape, dtype=a.dtype)
    for r in range(len(idx)):
        np.take(a[r], idx[r], out=out[r])
    return out


def rows_inverse(rows: NDArray[Any]) -> NDArray[Any]:
    """The inverse of every row (a permutation) of a 2-D array, in its dtype."""
    inv = np.empty_like(rows)
    ar = np.arange(rows.shape[1], dtype=rows.dtype)
    if rows.shape[1] < _ROW_LOOP_DEGREE:
        np.put_along_axis(inv, rows.astype(np.intp), np.broadcast_to(ar, rows.shape), axis=1)
        return inv
    for r in range(len(rows)):
        inv[r, rows[r]] = ar
    return inv


def _inverse(p: NDArray[Any]) -> NDArray[Any]:
    """The inverse permutation by one scatter (``O(M)``, where ``argsort`` is ``O(M log M)``)."""
    inv = np.empty_like(p)
    inv[p] = np.arange(p.size, dtype=p.dtype)
    return inv


class RandomElements:
    """Near-uniform random elements by product replacement ("rattle"), one at a time."""

    def __init__(self, gens: NDArray[Any], rng: np.random.Generator) -> None:
        m = gens.shape[1]
        self._pool = [gens[k % len(gens)].copy() for k in range(max(_POOL, len(gens)))]
        self._acc = np.arange(m)
        self._rng = rng
        for _ in range(_WARMUP):
            self.next()

    def next(self) -> NDArray[Any]:
        pool, rng = self._pool, self._rng
        i, j = rng.choice(len(pool), size=2, replace=False)
        other = pool[j] if rng.random() < 0.5 else _inverse(pool[j])
        pool[i] = pool[i][other] if rng.random() < 0.5 else other[pool[i]]
        self._acc = self._acc[pool[i]]
        return self._acc.copy()


def is_giant(gens: NDArray[Any], rng: np.random.Generator, tries: int = _GIANT_TRIES) -> bool:
    """True when the (transitive) group generated by ``gens`` provably contains ``A_M``.

    ``False`` means no proof was found (certainly so when the group is not a giant).
    """
    m = gens.shape[1]
    if m < 8:
        return False
    primes = _primes_between(m // 2, m - 3)
    if not primes:
        return False
    source = RandomElements(gens, rng)
    for _ in range(tries):
        g = source.next()
        lengths = cycle_lengths(g)
        if not primes.isdisjoint(lengths.tolist()):
            # One cycle of prime length p > M/2: the other cycles are shorter, so p
            # divides none of their lengths and a power of g is a pure p-cycle.
            return True
    return False


class BlockKernel:
    """A subgroup of the kernel on the blocks ``{y, σ(y)}`` of a central involution ``σ``.

    An element ``h`` that maps every block ``{y, σ(y)}`` to itself either fixes or swaps
    the two points of each block, so the kernel of the action on the blocks lies in
    ``C_2^k`` (``k = M/2`` blocks) and ``h`` is the vector over GF(2) of the blocks it
    swaps; composition is addition.  A subgroup is then a subspace, kept as a basis in
    reduced row echelon form (rows bit-packed in ``uint64`` words), so that reducing a
    vector, adding one and testing membership are a few vectorized operations:
    thousands of chain levels of order 2 become one subspace of rank thousands.
    """

    def __init__(self, sigma: NDArray[Any]) -> None:
        m = sigma.size
        self.sigma = sigma
        self._ident = np.arange(m)
        self.reps = np.flatnonzero(self._ident < sigma)  # one point per block
        self.k = int(self.reps.size)
        self.words = (self.k + 63) // 64
        check_memory(8.0 * self.k * self.words, f"a GF(2) basis of {self.k} blocks")
        self.rows = np.zeros((self.k, self.words), dtype=np.uint64)
        self.pivots = np.zeros(self.k, dtype=np.intp)
        self.rank = 0

    @property
    def order(self) -> int:
        return 1 << self.rank

    def reset(self) -> None:
        self.rank = 0

    def vector(self, h: NDArray[Any]) -> NDArray[np.bool_] | None:
        """The blocks ``h`` swaps, or ``None`` when ``h`` moves some block."""
        if not np.all((h == self._ident) | (h == self.sigma)):
            return None
        out: NDArray[np.bool_] = h[self.reps] != self.reps
        return out

    def _reduce(self, v: NDArray[np.bool_]) -> NDArray[np.uint64]:
        packed = np.zeros(8 * self.words, dtype=np.uint8)
        bits = np.packbits(v, bitorder="little")
        packed[: bits.size] = bits
        w = packed.view(np.uint64)
        r = self.rank
        if r:
            sel = np.flatnonzero(v[self.pivots[:r]])  # RREF: the coefficient is v[pivot]
            if sel.size:
                w = w ^ np.bitwise_xor.reduce(self.rows[sel], axis=0)
        return w

    def add(self, v: NDArray[np.bool_]) -> bool:
        """Add ``v`` to the span; whether the span grew."""
        w = self._reduce(v)
        nz = np.flatnonzero(w)
        if nz.size == 0:
            return False
        word = int(nz[0])
        x = int(w[word])
        bit = (x & -x).bit_length() - 1
        r = self.rank
        hit = np.flatnonzero((self.rows[:r, word] >> np.uint64(bit)) & np.uint64(1))
        if hit.size:
            self.rows[hit] ^= w  # clear the new pivot column in the other rows
        self.rows[r] = w
        self.pivots[r] = 64 * word + bit
        self.rank = r + 1
        return True

    def contains(self, v: NDArray[np.bool_]) -> bool:
        return not self._reduce(v).any()


_CENTRAL_ROWS = 32  # rows of the transversal that screen the candidates of a central involution


def central_involution(
    T: NDArray[Any], orbit: NDArray[Any], pos: NDArray[Any], gens: NDArray[Any],
    rng: np.random.Generator,
) -> NDArray[Any] | None:
    """A fixed-point-free involution that commutes with a transitive group, or ``None``.

    ``T`` is the transversal of the whole orbit of ``b = orbit[0]`` (row ``j`` maps ``b``
    to ``orbit[j]``).  A permutation ``σ`` commuting with a transitive group is fixed by
    ``x = σ(b)``: ``σ(u(b)) = u(x)``, i.e. ``σ`` is the column ``x`` of ``T``; the column
    defines one exactly when it commutes with every generator, and then ``σ`` is a
    bijection (its image is invariant, hence everything) without fixed points (the
    centralizer of a transitive group is semiregular), an involution when ``σ(x) = b``.
    Its orbits ``{y, σ(y)}`` are then blocks of size 2, and every block system with
    blocks of size 2 arises so (the map to the other point of one's block commutes with
    the group).  A few rows screen all ``M`` columns at once; the survivors are checked
    in full.
    """
    m = T.shape[1]
    if m % 2 or orbit.size != m:
        return None
    ar = np.arange(m)
    b = int(orbit[0])
    cand = T[pos[ar], ar].astype(np.intp) == b  # σ_x(x) = b
    cand[b] = False
    rows = rng.choice(m, size=min(m, _CENTRAL_ROWS), replace=False)
    for g in gens:
        lhs = T[pos[g[orbit[rows]]]]  # σ_x(g y) for the sampled y
        rhs = g[T[rows].astype(np.intp)]  # g σ_x(y)
        cand &= np.all(lhs == rhs, axis=0)
        if not cand.any():
            return None
    for x in np.flatnonzero(cand)[:8]:
        sigma = np.empty(m, dtype=np.intp)
        sigma[orbit] = T[:, x]
        if all(np.array_equal(sigma[g], g[sigma]) for g in gens):
            return sigma
    return None


def central_involution_by_orbits(
    gens: NDArray[Any], degree: int, rng: np.random.Generator
) -> NDArray[Any] | None:
    """:func:`central_involution` of an intransitive group, one orbit at a time.

    An involution commuting with the group's action on each orbit commutes with the
    group (each element acts on each orbit on its own), so the union of one per orbit
    is one for the group; ``None`` when some orbit has none (odd orbits, fixed points).
    """
    from ._orbits import _transversal, orbit_labels

    n, lab = orbit_labels(gens, degree)
    order = np.argsort(lab, kind="stable")
    orbits = np.split(order, np.cumsum(np.bincount(lab, minlength=n))[:-1])
    if any(o.size % 2 for o in orbits):
        return None
    largest = max(o.size for o in orbits)
    check_memory(4.0 * largest * largest, f"the transversal of an orbit of {largest} points")
    sigma = np.empty(degree, dtype=np.intp)
    local = np.empty(degree, dtype=np.intp)
    for orb in orbits:
        d = orb.size
        local[orb] = np.arange(d)
        lg = local[gens[:, orb]]  # the generators on this orbit, in local points
        U, _ = _transversal(lg, d, np.zeros(d, dtype=np.intp))
        ar = np.arange(d)
        s = central_involution(U, ar, ar, lg, rng)
        if s is None:
            return None
        sigma[orb] = orb[s]
    return sigma


class _DeepChain(Exception):
    """The plain chain got too deep to verify and the group has blocks of size 2."""

    def __init__(self, sigma: NDArray[Any], chain: StabilizerChain) -> None:
        super().__init__("deep chain")
        self.sigma = sigma
        self.chain = chain  # its first level (the whole orbit) is reused


def build_chain(
    gens: NDArray[Any],
    degree: int,
    rng: np.random.Generator,
    known_order: int | None = None,
    deadline: Deadline | None = None,
    transitive: bool = False,
) -> StabilizerChain:
    """The stabilizer chain of ``<gens>``, through the blocks of size 2 when it gets deep.

    A plain chain first; when it becomes too deep for the Schreier-Sims test (so it
    would stay unverified anyway) and the group has a fixed-point-free central
    involution (blocks of size 2), it is rebuilt with the levels below the action on
    the blocks replaced by a :class:`BlockKernel` (a GF(2) subspace).
    """
    try:
        return StabilizerChain(gens, degree, rng, known_order, deadline,
                               watch_depth=degree % 2 == 0)
    except _DeepChain as deep:
        sigma, first = deep.sigma, deep.chain
    return StabilizerChain(gens, degree, rng, known_order, deadline, sigma=sigma,
                           first=first if transitive else None)


class StabilizerChain:
    """A base and strong generating set with explicit transversals (numpy arrays).

    With ``sigma`` (a fixed-point-free involution commuting with the group), the chain
    stops where the pointwise stabilizer of the base lies in the kernel of the action on
    the blocks ``{y, σ(y)}``; that stabilizer is a :class:`BlockKernel`, and the order is
    the product of the basic orbit lengths times ``2^rank``.  A residue that fixes the
    base but moves a block adds a base point in that block (and the kernel restarts).

    Attributes
    ----------
    base : list of int
    order : int
        ``Π |Δ_i|`` over the basic orbits (times the kernel's order).
    verified : bool
        Whether the deterministic Schreier-Sims test was run and passed, or the order
        reached a known order.
    """

    def __init__(
        self,
        gens: NDArray[Any],
        degree: int,
        rng: np.random.Generator,
        known_order: int | None = None,
        deadline: Deadline | None = None,
        sigma: NDArray[Any] | None = None,
        watch_depth: bool = False,
        first: StabilizerChain | None = None,
    ) -> None:
        self.m = degree
        dt = np.int16 if degree <= np.iinfo(np.int16).max else np.int32
        self._dtype = dt
        self._deadline = deadline
        self.base: list[int] = []
        self._gens: list[list[NDArray[Any]]] = []  # strong generators per level
        self._orbit: list[NDArray[Any]] = []  # orbit points per level
        self._pos: list[NDArray[Any]] = []  # point -> index in the orbit, or -1
        self._T: list[NDArray[Any]] = []  # (n_i, M) u_j with u_j(b_i) = orbit[j]
        self._Tinv: list[NDArray[Any]] = []
        self._n: list[int] = []
        self._rows = 0  # coset representatives stored, all levels
        # seconds of the last few sifts through every level: their minimum, a robust lower
        # bound of the next one (one sift of a loaded machine can be preempted)
        self._full_sifts: list[float] = []
        # every (level, orbit point), for one vectorized check of which levels' orbits
        # a new strong generator leaves (instead of one check per level)
        self._member = np.zeros((0, degree), dtype=bool)  # [level, point] in the orbit
        self._pts = np.zeros(0, dtype=np.intp)
        self._lvl = np.zeros(0, dtype=np.intp)
        self._npts = 0
        self._bottom = None if sigma is None else BlockKernel(sigma)
        gens = np.asarray(gens, dtype=np.intp).reshape(-1, degree)
        ident = np.arange(degree)
        nontrivial = [g for g in gens if not np.array_equal(g, ident)]
        # Schreier's lemma needs any generating set of each level's group; for the top
        # level that is the given generators, usually far fewer than the strong ones.
        self._top = np.array(nontrivial, dtype=np.intp).reshape(-1, degree)
        if first is not None:  # the first level of a chain of the same group
            self.base.append(first.base[0])
            self._gens.append(list(first._gens[0]))
            self._orbit.append(first._orbit[0])
            self._pos.append(first._pos[0])
            self._T.append(first._T[0])
            self._Tinv.append(first._Tinv[0])
            self._n.append(first._n[0])
            self._rows = first._n[0]
            self._track(0, first._orbit[0])
        elif self._bottom is not None and nontrivial:
            # the first level is the whole orbit of a point under the given generators
            self._new_level(int(np.flatnonzero(self._top[0] != ident)[0]))
            for g in nontrivial:
                self._extend(0, g)
        # The kernel is filled by random elements alone, so it is used only where product
        # replacement has every generator in its pool from the start (its usual regime).
        self._watch = watch_depth and self._bottom is None and len(self._top) <= _POOL
        self._watched = 0
        for g in nontrivial:
            if self._absorb(g):
                self._watch_depth(rng)
            if deadline is not None:
                deadline.check(self._progress())
        if nontrivial:
            source = RandomElements(np.array(nontrivial), rng)
            streak = 0
            while streak < _CONSECUTIVE and self.order != known_order:
                if deadline is not None:
                    per_sift = min(self._full_sifts) if len(self._full_sifts) >= 4 else 0.0
                    deadline.check(self._progress(),
                                   remaining=0.8 * (_CONSECUTIVE - streak) * per_sift)
                if self._absorb(source.next()):
                    streak = 0
                    self._watch_depth(rng)
                else:
                    streak += 1
        if known_order is not None and self.order == known_order:
            # The chain's group lies in G and has G's order: it is G (a proof).
            self.verified = True
        elif self._bottom is not None:
            self.verified = False  # randomized: errs with probability below 2**-_CONSECUTIVE
        else:
            self.verified = self._verify() if nontrivial else True
        self._deadline = None  # the chain is built: nothing it does later is timed

    def _watch_depth(self, rng: np.random.Generator) -> None:
        """Once the chain is too deep for the Schreier-Sims test, look (once) for blocks
        of size 2 and, if there are some, start again through the block kernel."""
        self._watched += 1
        if self._watch and self._watched % 16 == 0 and self._verify_cost() > _VERIFY_BUDGET:
            self._watch = False
            sigma = self._central_involution(rng)
            if sigma is not None:
                raise _DeepChain(sigma, self)

    def _progress(self) -> str:
        depth = len(self.base)
        out = f"a chain {depth} level{'s' * (depth != 1)} deep so far"
        if self._bottom is not None:
            out += f" over a block kernel of rank {self._bottom.rank}"
        return out

    def _central_involution(self, rng: np.random.Generator) -> NDArray[Any] | None:
        if not self.base or self.m % 2:
            return None
        if self._n[0] == self.m:  # transitive: the first level's transversal has it
            return central_involution(self._T[0], self._orbit[0], self._pos[0], self._top, rng)
        return central_involution_by_orbits(self._top, self.m, rng)

    # -- the chain ---------------------------------------------------------------------
    @property
    def order(self) -> int:
        out = 1 if self._bottom is None else self._bottom.order
        for n in self._n:
            out *= int(n)
        return out

    @property
    def kernel_rank(self) -> int | None:
        """The rank of the block kernel (``None`` for a plain chain)."""
        return None if self._bottom is None else self._bottom.rank

    def _track(self, level: int, points: NDArray[Any]) -> None:
        """Record new orbit points of a level (for :meth:`_open_levels`)."""
        if level >= len(self._member):
            cap = max(8, 2 * len(self._member))
            check_memory(float(cap) * self.m, f"the orbit table of a chain {cap} levels deep "
                         f"on {self.m} points")
            grown = np.zeros((cap, self.m), dtype=bool)
            grown[: len(self._member)] = self._member
            self._member = grown
        self._member[level, points] = True
        n, k = self._npts, points.size
        if n + k > self._pts.size:
            cap = max(64, 2 * (n + k))
            self._pts = np.resize(self._pts, cap)
            self._lvl = np.resize(self._lvl, cap)
        self._pts[n : n + k] = points
        self._lvl[n : n + k] = level
        self._npts = n + k

    def _open_levels(self, h: NDArray[Any], upto: int) -> set[int]:
        """The levels ``<= upto`` whose orbit ``h`` does not map into itself."""
        n = self._npts
        lvl, pts = self._lvl[:n], self._pts[:n]
        if upto < len(self.base) - 1:
            keep = lvl <= upto
            lvl, pts = lvl[keep], pts[keep]
        out = ~self._member[lvl, h[pts]]
        return set(np.unique(lvl[out]).tolist()) if out.any() else set()

    def _new_level(self, point: int) -> None:
        m = self.m
        self._track(len(self.base), np.array([point], dtype=np.intp))
        self.base.append(point)
        self._gens.append([])
        self._orbit.append(np.array([point], dtype=np.intp))
        pos = np.full(m, -1, dtype=np.intp)
        pos[point] = 0
        self._pos.append(pos)
        ident = np.arange(m, dtype=self._dtype)[None, :]
        self._T.append(ident.copy())
        self._Tinv.append(ident.copy())
        self._n.append(1)

    def _extend(self, level: int, new_gen: NDArray[Any]) -> None:
        """Add a generator to a level and extend its orbit and transversal (BFS).

        The BFS first finds the new points and, for each, the point and generator it is
        reached from (small arrays); the new coset representatives are then written into
        one allocation of the final size.  A BFS of many short layers (an orbit reached
        one point at a time, as under ``i -> i + 1``) thus costs ``O(new rows x M)``, not
        a copy of the whole transversal per layer.
        """
        self._gens[level].append(new_gen)
        gens = self._gens[level]
        n0 = n = self._n[level]
        pos = self._pos[level]
        steps: list[tuple[NDArray[Any], NDArray[Any], NDArray[Any]]] = []
        # Only the new generator can take the current orbit outside itself; the points
        # it reaches are then closed under every generator.
        frontier, use = self._orbit[level], [new_gen]
        layers = 0
        while frontier.size:
            layers += 1
            if self._deadline is not None and layers % 256 == 0:
                self._deadline.check(self._progress())
            nxt = []
            for g in use:
                img = g[frontier]
                fresh = pos[img] < 0
                if not fresh.any():
                    continue
                img, src = img[fresh], frontier[fresh]
                img, first = np.unique(img, return_index=True)
                pos[img] = np.arange(n, n + img.size)
                n += img.size
                steps.append((g, src[first], img))
                nxt.append(img)
            frontier = np.concatenate(nxt) if nxt else np.empty(0, dtype=np.intp)
            use = gens
        if n == n0:
            return
        self._rows += n - n0
        check_memory(
            2.0 * self._rows * self.m * np.dtype(self._dtype).itemsize,
            f"the Schreier-Sims transversals of a group on {self.m} points "
            f"({self._rows} coset representatives)",
        )
        T = np.empty((n, self.m), dtype=self._dtype)
        T[:n0] = self._T[level]
        for g, src, img in steps:
            T[pos[img]] = g[T[pos[src]]]  # u_{g x} = g ∘ u_x; src rows are written already
        Tinv = np.empty_like(T)
        Tinv[:n0] = self._Tinv[level]
        inverses: dict[int, NDArray[Any]] = {}
        for g, src, img in steps:
            ginv = inverses.get(id(g))
            if ginv is None:
                ginv = inverses[id(g)] = _inverse(g)
            # u_{g x}^{-1} = u_x^{-1} ∘ g^{-1}: one column gather for the whole step
            Tinv[pos[img]] = np.take(Tinv[pos[src]], ginv, axis=1)
        self._T[level], self._Tinv[level] = T, Tinv
        fresh_points = [img for _, _, img in steps]
        self._orbit[level] = np.concatenate([self._orbit[level]] + fresh_points)
        self._track(level, np.concatenate(fresh_points))
        self._n[level] = n

    def sift(self, batch: NDArray[Any], start: int = 0) -> tuple[NDArray[Any], NDArray[Any]]:
        """Sift each row of ``batch`` from level ``start``.

        Returns the residues and, per row, the level where it dropped out (its base
        image was outside the basic orbit), or ``len(base)`` when it went through.
        """
        res = np.array(batch, dtype=np.intp, copy=True)
        drop = np.full(len(res), len(self.base), dtype=np.intp)
        alive = np.arange(len(res))
        for level in range(start, len(self.base)):
            if alive.size == 0:
                break
            img = res[alive, self.base[level]]
            idx = self._pos[level][img]
            out = idx < 0
            drop[alive[out]] = level
            alive, idx = alive[~out], idx[~out]
            moved = idx > 0
            if moved.any():
                rows, idx = alive[moved], idx[moved]
                res[rows] = rows_gather(self._Tinv[level][idx], res[rows])
        return res, drop

    def sift_one(self, g: NDArray[Any]) -> tuple[NDArray[Any], int]:
        """:meth:`sift` for one permutation (1-D gathers: far less overhead per level)."""
        h = np.asarray(g, dtype=np.intp)
        base, pos, tinv = self.base, self._pos, self._Tinv
        for level in range(len(base)):
            idx = pos[level][h[base[level]]]
            if idx < 0:
                return h, level
            if idx:
                h = tinv[level][idx][h]
        return h, len(base)

    def _absorb(self, g: NDArray[Any]) -> bool:
        """Sift ``g``; if it does not sift to the identity, add its residue.  Returns
        whether the chain changed."""
        t0 = time.perf_counter()
        h, j = self.sift_one(g)
        h = h.astype(np.intp, copy=False)
        if j == len(self.base):
            self._full_sifts = self._full_sifts[-7:] + [time.perf_counter() - t0]
        bottom = self._bottom
        if bottom is not None and j == len(self.base):
            v = bottom.vector(h)
            if v is not None:
                if not bottom.add(v):
                    return False
                # a new kernel element; the levels above must stay closed under it
                for level in sorted(self._open_levels(h, j - 1)):
                    self._extend(level, h)
                return True
            # h fixes the base but moves a block: a base point in a moved block, and
            # the kernel below restarts (its elements need not fix the new point)
            moved = np.flatnonzero((h != np.arange(self.m)) & (h != bottom.sigma))
            self._new_level(int(moved[0]))
            bottom.reset()
        else:
            moved = np.flatnonzero(h != np.arange(self.m))
            if j == len(self.base):
                if moved.size == 0:
                    return False
                self._new_level(int(moved[0]))
        open_levels = self._open_levels(h, j)
        for level in range(j + 1):
            if level in open_levels:
                self._extend(level, h)
            else:
                self._gens[level].append(h)  # the orbit is closed under h already
        return True

    def contains(self, p: NDArray[Any]) -> bool:
        h, j = self.sift_one(p)
        if j < len(self.base):
            return False
        if self._bottom is None:
            return bool(np.array_equal(h, np.arange(self.m)))
        v = self._bottom.vector(h)
        return v is not None and self._bottom.contains(v)

    # -- verification ------------------------------------------------------------------
    def _verify_cost(self) -> float:
        """Element operations of the Schreier-Sims test on the chain as it stands."""
        cost = 0.0
        depth = len(self.base)
        for level in range(depth):
            n_gens = len(self._top) if level == 0 else len(self._gens[level])
            cost += self._n[level] * n_gens * (depth - level) * self.m
        return cost

    def _verify(self) -> bool:
        """The Schreier-Sims test, with failures added; False when over budget."""
        for _ in range(1000):
            if self._verify_cost() > _VERIFY_BUDGET:
                return False
            failure = self._first_failure()
            if failure is None:
                return True
            self._absorb(failure)
        return False

    def _level_gens(self, level: int) -> NDArray[Any]:
        if level == 0:
            return self._top
        return np.array(self._gens[level], dtype=np.intp)

    def _first_failure(self) -> NDArray[Any] | None:
        m = self.m
        ident = np.arange(m)
        for level in range(len(self.base) - 1, -1, -1):
            if self._deadline is not None:
                self._deadline.check(self._progress() + ", verifying")
            n = self._n[level]
            T = self._T[level]
            Tinv = self._Tinv[level]
            orbit = self._orbit[level][:n]
            pos = self._pos[level]
            gens = self._level_gens(level)
            step = max(1, _BATCH_ENTRIES // (m * max(1, len(gens))))
            for s in range(0, n, step):
                js = np.arange(s, min(n, s + step))
                # s ∘ u_j for every generator and j: (len(gens) * len(js), M)
                Tj = T[js]
                su = np.concatenate([g.astype(Tj.dtype)[Tj] for g in gens])
                target = pos[gens[:, orbit[js]].reshape(-1)]  # index of s(orbit[j])
                sch = rows_gather(Tinv[target], su).astype(np.intp)
                keep = ~np.all(sch == ident, axis=1)
                if not keep.any():
                    continue
                res, drop = self.sift(sch[keep], start=level + 1)
                bad = (drop < len(self.base)) | ~np.all(res == ident, axis=1)
                if bad.any():
                    failure: NDArray[Any] = sch[keep][np.argmax(bad)]
                    return failure
        return None


def giant_order(gens: NDArray[Any]) -> int:
    """``M!`` when some generator is odd, ``M!/2`` otherwise (for a recognized giant)."""
    m = gens.shape[1]
    odd = any(parity(g) for g in gens)
    return factorial(m) if odd else factorial(m) // 2
