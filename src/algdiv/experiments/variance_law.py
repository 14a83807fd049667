"""The variance law of group averaging: error of S over that of Φ_G(S) is d_eff.

For an identity-scaled covariance ``R = σ² I`` and circular complex Gaussian snapshots,
the entries of ``S − R`` are uncorrelated with equal variance, so projecting onto the
``dim C(G)``-dimensional commutant keeps exactly ``dim C(G) / M²`` of the expected
squared Frobenius error: ``E‖S − R‖² / E‖Φ_G(S) − R‖² = M² / dim C(G) = d_eff``.  (For
real data the ratio differs, because ``S_ij = S_ji``; it is ``d_eff`` only for complex
data, which is what is simulated by default.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._cost import check_seconds, variance_law_seconds
from .._validation import as_group, as_int
from ..batch import map_problems
from ..commutant import effective_dimension, project_unchecked
from ..groups import PermutationGroup

__all__ = ["VarianceLawResult", "variance_law"]


@dataclass(frozen=True)
class VarianceLawResult:
    """Measured Frobenius error ratio of :func:`variance_law` beside ``d_eff``.

    Attributes
    ----------
    ratio : float
        ``mean ‖S − R‖² / mean ‖Φ_G(S) − R‖²`` over the trials.
    ratio_se : float
        Its standard error (delta method over trials).
    d_eff : float
        ``M² / dim C(G)``, the predicted ratio.
    error_sample, error_group : float
        The two mean squared Frobenius errors (``R = I``).
    n, trials : int
    complex_data : bool
    """

    ratio: float
    ratio_se: float
    d_eff: float
    error_sample: float
    error_group: float
    n: int
    trials: int
    complex_data: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


#: Trials per task at most (fixed: results do not depend on how the work is split).
_TRIALS_PER_CHUNK = 250


def _errors(
    task: tuple[np.random.SeedSequence, int], G: PermutationGroup, n: int, complex_data: bool
) -> tuple[NDArray[Any], NDArray[Any]]:
    """‖S − I‖² and ‖Φ_G(S) − I‖² for one chunk of trials drawn from its own seed."""
    seed, t = task
    m = G.degree
    rng = np.random.default_rng(seed)
    eye = np.eye(m)
    if complex_data:
        x = (rng.standard_normal((t, n, m)) + 1j * rng.standard_normal((t, n, m))) / np.sqrt(2)
    else:
        x = rng.standard_normal((t, n, m))
    S = np.einsum("tki,tkj->tij", x, x.conj()) / n
    return (np.sum(np.abs(S - eye) ** 2, axis=(1, 2)),
            np.sum(np.abs(project_unchecked(S, G) - eye) ** 2, axis=(1, 2)))


def variance_law(
    G: PermutationGroup | str,
    n: int = 1,
    trials: int = 2000,
    *,
    seed: int | None = 0,
    complex_data: bool = True,
    client: Any = None,
    n_jobs: int | None = None,
) -> VarianceLawResult:
    """Measure ``E‖S − I‖_F² / E‖Φ_G(S) − I‖_F²`` by simulation and compare with ``d_eff``.

    Parameters
    ----------
    G : PermutationGroup or str
        The group (or its text); never enumerated.
    n : int, default 1
        Snapshots per trial.
    trials : int, default 2000
        Monte Carlo trials (vectorized in fixed chunks of at most 250).
    seed : int or None, default 0
        Root of the ``numpy.random.SeedSequence`` whose children seed the chunks, so the
        result depends on ``seed`` and ``trials`` only, not on how chunks are spread.
    complex_data : bool, default True
        Circular complex Gaussian snapshots (the law is exact); ``False`` for real ones.
    client : dask.distributed.Client, "local" or None
        Spread the chunks over a dask cluster (see :func:`algdiv.batch.map_problems`).
    n_jobs : int or None
        Without a client: joblib worker processes (``None``: serial).  Every engine gives
        bitwise the same result.

    Returns
    -------
    VarianceLawResult

    Examples
    --------
    The dihedral subgroup ``D_4`` of ``D_16`` (d_eff = 7.53):

    >>> from algdiv.arrays import uca_dihedral_group
    >>> res = variance_law(uca_dihedral_group(16, 4), n=4, trials=4000)
    >>> round(res.d_eff, 2), abs(res.ratio - res.d_eff) < 4 * res.ratio_se
    (7.53, True)
    """
    G = as_group(G)
    n, trials = as_int(n, "n", minimum=1), as_int(trials, "trials", minimum=1)
    if trials < 2:
        raise ValueError(f"trials must be at least 2 for a standard error, got {trials}")
    m = G.degree
    if client is None:  # on a cluster the number of workers is the user's to judge
        check_seconds(variance_law_seconds(m, n, trials),
                      f"variance_law with M = {m}, n = {n} and {trials} trials", n_jobs or 1)
    chunk = min(_TRIALS_PER_CHUNK, max(1, 2_000_000 // (m * m)))  # bounds a batch of S
    sizes = [min(chunk, trials - a) for a in range(0, trials, chunk)]
    tasks = list(zip(np.random.SeedSequence(seed).spawn(len(sizes)), sizes))
    parts = map_problems(_errors, tasks, G, int(n), bool(complex_data), client=client,
                         n_jobs=n_jobs)
    err_s = np.concatenate([p[0] for p in parts])
    err_g = np.concatenate([p[1] for p in parts])
    ms, mg = err_s.mean(), err_g.mean()
    ratio = ms / mg
    # delta method for a ratio of means
    cov = np.cov(err_s, err_g) / trials
    var = cov[0, 0] / ms**2 + cov[1, 1] / mg**2 - 2 * cov[0, 1] / (ms * mg)
    se = ratio * np.sqrt(max(var, 0.0))  # 0 when the errors coincide (trivial group)
    return VarianceLawResult(
        ratio=float(ratio),
        ratio_se=float(se),
        d_eff=float(effective_dimension(G)),
        error_sample=float(ms),
        error_group=float(mg),
        n=int(n),
        trials=int(trials),
        complex_data=bool(complex_data),
    )
