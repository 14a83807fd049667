"""Strongly regular graphs and association schemes built from their definitions (for tests).

* Shrikhande graph: the Cayley graph of Z_4 x Z_4 with connection set
  {±(1, 0), ±(0, 1), ±(1, 1)} (S. S. Shrikhande, Ann. Math. Statist. 30 (1959) 781-798).
* The 4 x 4 rook's graph: cells of a 4 x 4 board, adjacent in the same row or column.
* The triangular graph T(8): the 2-subsets of {0..7}, adjacent when they meet.
* The three Chang graphs: T(8) Seidel-switched with respect to the edges of a perfect
  matching, an 8-cycle, or a triangle plus a 5-cycle of K_8 (L. C. Chang, Sci. Record 4
  (1960) 12-18; see Brouwer and Van Maldeghem, *Strongly regular graphs*, CUP 2022, §10.B).
* Latin-square graphs: the n² cells of a Latin square, adjacent in the same row, column or
  symbol: strongly regular with parameters (n², 3(n-1), n, 6).
"""

from __future__ import annotations

import itertools

import numpy as np


def shrikhande() -> np.ndarray:
    pts = [(a, b) for a in range(4) for b in range(4)]
    steps = {(1, 0), (3, 0), (0, 1), (0, 3), (1, 1), (3, 3)}
    return np.array(
        [[((p[0] - q[0]) % 4, (p[1] - q[1]) % 4) in steps for q in pts] for p in pts]
    ).astype(int)


def rook(n: int = 4) -> np.ndarray:
    pts = [(a, b) for a in range(n) for b in range(n)]
    return np.array([[(p[0] == q[0]) != (p[1] == q[1]) for q in pts] for p in pts]).astype(int)


def triangular(n: int = 8) -> tuple[np.ndarray, list[tuple[int, int]]]:
    pairs = list(itertools.combinations(range(n), 2))
    adj = np.array([[len(set(a) & set(b)) == 1 for b in pairs] for a in pairs]).astype(int)
    return adj, pairs


def seidel_switch(adj: np.ndarray, subset: list[int]) -> np.ndarray:
    out = adj.copy()
    s = np.zeros(len(adj), dtype=bool)
    s[subset] = True
    across = s[:, None] != s[None, :]
    out[across] = 1 - out[across]
    return out


CHANG_SWITCHING_SETS = {
    "matching": [(0, 1), (2, 3), (4, 5), (6, 7)],
    "C8": [(i, (i + 1) % 8) for i in range(8)],
    "C3+C5": [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (5, 6), (6, 7), (3, 7)],
}


def chang(which: str) -> np.ndarray:
    adj, pairs = triangular(8)
    index = {p: i for i, p in enumerate(pairs)}
    subset = [index[tuple(sorted(e))] for e in CHANG_SWITCHING_SETS[which]]  # type: ignore[misc]
    return seidel_switch(adj, subset)


def latin_square_graph(square: list[list[int]]) -> np.ndarray:
    n = len(square)
    cells = [(r, c) for r in range(n) for c in range(n)]
    return np.array(
        [
            [
                p != q
                and (p[0] == q[0] or p[1] == q[1] or square[p[0]][p[1]] == square[q[0]][q[1]])
                for q in cells
            ]
            for p in cells
        ]
    ).astype(int)


CYCLIC_5 = [[(i + j) % 5 for j in range(5)] for i in range(5)]
# A Latin square of order 5 that is not isotopic to the cyclic one (not a group table).
NONCYCLIC_5 = [[0, 1, 2, 3, 4], [1, 0, 3, 4, 2], [2, 4, 0, 1, 3], [3, 2, 4, 0, 1], [4, 3, 1, 2, 0]]


def srg_parameters(adj: np.ndarray) -> tuple[int, int, int, int] | None:
    """(v, k, λ, μ) when ``adj`` is strongly regular, else None (from A² = k I + λ A + μ (J - I - A))."""
    v = len(adj)
    deg = adj.sum(axis=1)
    if not np.all(deg == deg[0]):
        return None
    sq = adj @ adj
    off = ~np.eye(v, dtype=bool)
    lam = np.unique(sq[(adj == 1) & off])
    mu = np.unique(sq[(adj == 0) & off])
    if lam.size != 1 or mu.size > 1:
        return None
    return v, int(deg[0]), int(lam[0]), int(mu[0]) if mu.size else 0
