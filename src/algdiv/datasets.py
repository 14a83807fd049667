"""Built-in data with a known, hidden symmetry: for the demo, tutorials and tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._validation import as_group, is_int
from .groups import PermutationGroup, relabel
from .groups.permutations import conjugate_matrix

__all__ = ["HiddenSymmetry", "hidden_symmetry"]


@dataclass(frozen=True)
class HiddenSymmetry:
    """Snapshots drawn from a covariance invariant under a relabelled group.

    Attributes
    ----------
    X : ndarray (n_samples, M)
        The snapshots, one per row.
    covariance : ndarray (M, M)
        The true covariance ``R`` (invariant under ``group``).
    group : PermutationGroup
        The hidden group: ``base_group`` with its points renamed by ``relabelling``.
    base_group : PermutationGroup
        The group in its standard labelling.
    relabelling : ndarray of int
        The permutation that hides it.
    """

    X: NDArray[Any]
    covariance: NDArray[Any]
    group: PermutationGroup
    base_group: PermutationGroup
    relabelling: NDArray[Any]


def hidden_symmetry(
    group: PermutationGroup | str = "dihedral(16)",
    n_samples: int = 1600,
    *,
    correlation: float = 0.8,
    complex_data: bool = False,
    rng: np.random.Generator | int | None = 0,
) -> HiddenSymmetry:
    """Gaussian snapshots whose covariance has a symmetry hidden by a random relabelling.

    The covariance is the group average of ``correlation ** |i - j|`` plus a small
    diagonal, so it is invariant under ``group`` and has decaying correlations, then its
    indices are shuffled by a random permutation ``σ``: the data are invariant under
    ``σ G σ^{-1}``, which nothing in the data names.

    Parameters
    ----------
    group : PermutationGroup or str
        The symmetry in its standard labelling (default: ``dihedral(16)``).
    n_samples : int
        Number of snapshots.
    correlation : float
        In ``(-1, 1)``; how strongly neighbouring indices correlate before averaging.
    complex_data : bool
        Draw circular complex Gaussian snapshots instead of real ones.
    rng : numpy.random.Generator or int, optional
        Seed or generator (default 0: the same data every time).

    Examples
    --------
    >>> data = hidden_symmetry("cyclic(8)", n_samples=10, rng=1)
    >>> data.X.shape
    (10, 8)
    >>> import algdiv
    >>> algdiv.is_invariant(data.covariance, data.group)
    True
    """
    base = as_group(group, "group")
    if not is_int(n_samples) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive int, got {n_samples!r}")
    if not -1 < correlation < 1:
        raise ValueError(f"correlation must lie in (-1, 1), got {correlation}")
    gen = np.random.default_rng(rng)
    m = base.degree
    i = np.arange(m)
    seed_cov = correlation ** np.abs(i[:, None] - i[None, :]) + 0.1 * np.eye(m)
    from .commutant import project_unchecked

    r0 = project_unchecked(seed_cov, base)
    sigma = gen.permutation(m)
    cov = conjugate_matrix(sigma, r0)
    cov = (cov + cov.T) / 2
    chol = np.linalg.cholesky(cov)
    if complex_data:
        z = (gen.standard_normal((n_samples, m)) + 1j * gen.standard_normal((n_samples, m)))
        X = z @ chol.T / np.sqrt(2)
    else:
        X = gen.standard_normal((n_samples, m)) @ chol.T
    return HiddenSymmetry(X, cov, relabel(base, sigma), base, sigma)
