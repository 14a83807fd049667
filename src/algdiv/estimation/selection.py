"""Choosing a group from data: held-out Gaussian likelihood of the group-averaged estimate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validation import as_snapshots
from ..commutant import project_unchecked
from ..groups import PermutationGroup
from ._base import resolve_group
from .averaging import _sample_covariance
from .estimators import _log_likelihood_cov

__all__ = ["GroupSelection", "select_group"]

_CRITERIA = ("heldout_nll",)


@dataclass(frozen=True)
class GroupSelection:
    """What :func:`select_group` found.

    Attributes
    ----------
    group : PermutationGroup
        The chosen candidate (lowest score).
    index : int
        Its position in ``candidates``.
    scores : ndarray of float
        The criterion for every candidate, in the order given (``inf`` when the
        group-averaged estimate of some training fold is singular).
    candidates : list of PermutationGroup
        The candidates, resolved to groups on ``M`` points.
    criterion : str
    """

    group: PermutationGroup
    index: int
    scores: NDArray[np.float64]
    candidates: list[PermutationGroup] = field(repr=False)
    criterion: str = "heldout_nll"

    def table(self) -> str:
        """One line per candidate: score and name, the chosen one marked."""
        lines = []
        for k, (g, s) in enumerate(zip(self.candidates, self.scores)):
            mark = "*" if k == self.index else " "
            lines.append(f"{mark} {s:12.5g}  {g.name}")
        return "\n".join(lines)


def select_group(
    X: ArrayLike,
    candidates: Sequence[PermutationGroup | str],
    criterion: str = "heldout_nll",
    *,
    cv: int = 5,
    assume_centered: bool = True,
) -> GroupSelection:
    """Pick, among candidate groups, the one whose group average best predicts held-out data.

    For each candidate the data are split into ``cv`` contiguous folds; ``Φ_G(S)`` of the
    other folds is scored by the mean negative Gaussian log-likelihood of the held-out
    fold (complex circular for complex data), and the scores are averaged over folds
    (weighted by fold size).  A group that is too large forces a wrong structure and
    loses likelihood; one that is too small overfits.  Candidates whose scores agree to
    1e-9 relative are tied (the same commutant; or, for real data, a cyclic group and its
    dihedral extension, whose averages of a real symmetric ``S`` coincide); a tie goes to
    the most structured of them (fewest pair orbits, then the earliest), the largest
    symmetry the data cannot tell apart.

    Parameters
    ----------
    X : array_like, shape (n_samples, M)
        Real or complex snapshots, at least 2.
    candidates : sequence of PermutationGroup or str
        Groups on ``M`` points, group text, or family names (``"trivial"``, ``"cyclic"``,
        ``"dihedral"``, ``"symmetric"``).
    criterion : {"heldout_nll"}
        The only criterion so far.
    cv : int, default 5
        Number of folds (at most ``n_samples``).
    assume_centered : bool, default True
        No mean removal by default (``R = E[x xᴴ]``).

    Returns
    -------
    GroupSelection
        ``.group``, ``.scores`` (one per candidate), ``.index``, ``.candidates``.

    Examples
    --------
    A circulant (cyclic-invariant) covariance that is not symmetric circulant:

    >>> import numpy as np
    >>> from scipy.linalg import circulant, sqrtm
    >>> from algdiv import select_group
    >>> c = np.array([4.0, 1.5 + 1.0j, 0.3, 0.2, 0.3, 1.5 - 1.0j])
    >>> R = circulant(c)                    # Hermitian circulant, not real
    >>> rng = np.random.default_rng(0)
    >>> Z = (rng.standard_normal((60, 6)) + 1j * rng.standard_normal((60, 6))) / np.sqrt(2)
    >>> X = Z @ sqrtm(R).T
    >>> sel = select_group(X, ["symmetric", "dihedral", "cyclic", "trivial"])
    >>> sel.group.short_name
    'Z_6'
    """
    if criterion not in _CRITERIA:
        raise ValueError(f"criterion must be one of {_CRITERIA}, got {criterion!r}")
    x = as_snapshots(X, "X")
    n, m = x.shape
    if n < 2:
        raise ValueError(f"X must hold at least 2 snapshots to hold some out, got {n}")
    if isinstance(cv, bool) or not isinstance(cv, (int, np.integer)) or cv < 2:
        raise ValueError(f"cv must be an int >= 2, got {cv!r}")
    if isinstance(candidates, (str, PermutationGroup)) or len(candidates) == 0:
        raise ValueError("candidates must be a non-empty sequence of groups or names")
    groups = [resolve_group(c, m, name=f"candidates[{k}]") for k, c in enumerate(candidates)]
    if not assume_centered:
        x = x - x.mean(axis=0)
    folds = np.array_split(np.arange(n), min(int(cv), n))
    # Sample covariances per fold once; every candidate projects the same training S.
    train_S, test_S = [], []
    for test in folds:
        train = np.setdiff1d(np.arange(n), test)
        train_S.append(_sample_covariance(x[train], True))
        test_S.append(_sample_covariance(x[test], True))
    scores = np.zeros(len(groups))
    for k, G in enumerate(groups):
        for test, S_tr, S_te in zip(folds, train_S, test_S):
            ll = _log_likelihood_cov(S_te, project_unchecked(S_tr, G))
            scores[k] -= ll * len(test) / n
    best = _most_structured_best(scores, groups)
    return GroupSelection(groups[best], best, scores, groups, criterion)


def _most_structured_best(scores: NDArray[np.float64], groups: list[PermutationGroup]) -> int:
    """Index of the lowest score; among near-ties, the group with the smallest commutant."""
    low = float(np.min(scores))
    if not np.isfinite(low):
        return int(np.argmin(scores))
    tied = np.flatnonzero(scores <= low + 1e-9 * max(abs(low), 1.0))
    # (equal commutants give equal estimates, so the order would add nothing to the key)
    return int(min(tied, key=lambda k: (groups[k].n_pair_orbits, k)))
