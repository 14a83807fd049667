"""Image patches as two-way snapshots: separable and group-structured covariances of 8 × 8 patches.

**Data.**  The photographs PyWavelets ships (``pywt.data.camera()`` and
``pywt.data.ascent()``, 512 × 512, no download), each with its own mean removed and scaled
by 1/255, cut into non-overlapping 8 × 8 patches: 8192 snapshots ``(n, 8, 8)``
(``M = 64``), ordered image by image and, inside an image, row-major by patch position.

**Blocked folds.**  The pool is split into 8 contiguous folds of 1024 patches (a band of 16
patch rows, a quarter of an image).  Trial ``k`` trains on ``n`` consecutive patches of fold
``k`` (starting at a random offset, seeds from ``SeedSequence(seed).spawn``) and tests on the
whole fold ``k XOR 2``, a non-adjacent band of the same image: no patch is shared, and no
test patch touches a training patch.  ``n ∈ {M, 4M, 16M} = {64, 256, 1024}``.

**Scores.**  Held-out mean Gaussian log-likelihood per patch (nats; ``-inf`` when the estimate
is singular) and the relative Frobenius error ``‖Ĉ − C‖_F / ‖C‖_F`` against the big-sample
covariance ``C`` of the trial's image (its 4096 patches).  Both are averaged over the 8
trials.

**Estimators** (all on centred data): ``sample``; ``ledoit_wolf`` (scikit-learn);
``separable`` (:class:`SeparableCovariance`, rows ⊗ columns); ``group_product``
(``Φ_G(S)`` with ``G = Z_2^flip × Z_2^flip``, the up-down and left-right flips of the patch);
``group_square`` (``Φ_G(S)`` with the 8 symmetries of the square: the flips and the
transposition, which exchanges the modes, a wreath ``Z_2 ≀ S_2``);
``kronecker_group`` (:class:`KroneckerGroupCovariance` with the flip in each mode);
``kronecker_dihedral`` (the same with ``dihedral(8)`` per mode, a circulant approximation of
the Toeplitz structure of a stationary image: deliberately biased); ``kronecker_dct`` (the
same inside the DCT-II fold algebra per mode, :func:`algdiv.transforms.dihedral_fold`: the
Toeplitz-plus-Hankel matrices, each factor diagonal in the DCT, so ``R`` is diagonal in the
2-D DCT).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validation import as_int
from ..commutant import project_unchecked
from ..groups import dihedral, direct_product, from_generators

__all__ = ["PATCH_ESTIMATORS", "PatchResult", "patch_pool", "multiway_patches"]

#: Estimator keys of :func:`multiway_patches`, in table order.
PATCH_ESTIMATORS = (
    "sample",
    "ledoit_wolf",
    "separable",
    "group_product",
    "group_square",
    "kronecker_group",
    "kronecker_dihedral",
    "kronecker_dct",
)


def patch_pool(size: int = 8) -> NDArray[Any]:
    """Non-overlapping ``size × size`` patches of pywt's camera and ascent images, ``(n, size, size)``.

    Examples
    --------
    >>> patch_pool().shape
    (8192, 8, 8)
    """
    import pywt.data

    size = as_int(size, "size", minimum=1)
    out = []
    for img in (pywt.data.camera(), pywt.data.ascent()):
        a = np.asarray(img, dtype=float) / 255.0
        a = a - a.mean()
        h, w = (a.shape[0] // size) * size, (a.shape[1] // size) * size
        blocks = a[:h, :w].reshape(h // size, size, w // size, size).transpose(0, 2, 1, 3)
        out.append(blocks.reshape(-1, size, size))
    return np.concatenate(out)


@dataclass
class PatchResult:
    """Tables of :func:`multiway_patches` (means over the trials)."""

    snapshots: NDArray[Any]
    loglik: dict[str, NDArray[Any]]
    rel_error: dict[str, NDArray[Any]]
    trials: int
    seed: int | None

    def table(self) -> str:
        """Held-out log-likelihood and relative error per estimator and ``n``, as text."""
        ns = [int(n) for n in self.snapshots]
        head = f"{'estimator':20s}" + "".join(f" {'ll n=' + str(n):>11s}" for n in ns)
        head += "".join(f" {'err n=' + str(n):>11s}" for n in ns)
        lines = [f"8x8 image patches, {self.trials} blocked folds", head, "-" * len(head)]
        for k in PATCH_ESTIMATORS:
            lines.append(
                f"{k:20s}"
                + "".join(f" {v:11.2f}" for v in self.loglik[k])
                + "".join(f" {v:11.3f}" for v in self.rel_error[k])
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (nan and inf become None)."""

        def f(v: float) -> float | None:
            return float(v) if np.isfinite(v) else None

        return {
            "snapshots": [int(n) for n in self.snapshots],
            "trials": self.trials,
            "seed": self.seed,
            "loglik": {k: [f(x) for x in v] for k, v in self.loglik.items()},
            "rel_error": {k: [f(x) for x in v] for k, v in self.rel_error.items()},
        }


def _square_groups(m: int) -> tuple[Any, Any, Any]:
    i = np.arange(m)
    flip = from_generators([m - 1 - i], m)
    grid = np.arange(m * m).reshape(m, m)
    square = from_generators(
        [grid[::-1, :].ravel(), grid[:, ::-1].ravel(), grid.T.ravel()], m * m
    )
    return flip, direct_product(flip, flip), square


def _estimators(m: int) -> dict[str, Callable[[NDArray[Any]], NDArray[Any]]]:
    from sklearn.covariance import ledoit_wolf

    from ..estimation import KroneckerGroupCovariance, SeparableCovariance
    from ..transforms import dihedral_fold

    flip, product, square = _square_groups(m)
    D = dihedral(m)
    fold = dihedral_fold(m, "dct2")

    def sample(X: NDArray[Any]) -> NDArray[Any]:
        out: NDArray[Any] = X.T @ X / X.shape[0]
        return out

    def kron_est(groups: Any) -> Callable[[NDArray[Any]], NDArray[Any]]:
        def fit(X: NDArray[Any]) -> NDArray[Any]:
            if groups is None:
                est: Any = SeparableCovariance((m, m), assume_centered=True, tol=1e-6)
            else:
                est = KroneckerGroupCovariance(groups, (m, m), assume_centered=True, tol=1e-6)
            out: NDArray[Any] = est.fit(X).covariance_
            return out

        return fit

    return {
        "sample": sample,
        "ledoit_wolf": lambda X: ledoit_wolf(X, assume_centered=True)[0],
        "separable": kron_est(None),
        "group_product": lambda X: project_unchecked(sample(X), product),
        "group_square": lambda X: project_unchecked(sample(X), square),
        "kronecker_group": kron_est((flip, flip)),
        "kronecker_dihedral": kron_est((D, D)),
        "kronecker_dct": kron_est((fold, fold)),
    }


def _loglik(C: NDArray[Any], S_test: NDArray[Any]) -> float:
    from ..estimation import gaussian_log_likelihood

    w, V = np.linalg.eigh(C)
    if w[0] <= 1e-12 * w[-1]:
        return float("-inf")
    return gaussian_log_likelihood(S_test, (V / w) @ V.T)


def multiway_patches(
    snapshots: Sequence[int] = (64, 256, 1024),
    *,
    seed: int | None = 0,
    folds: int = 8,
    estimators: Sequence[str] = PATCH_ESTIMATORS,
    pool: NDArray[Any] | None = None,
) -> PatchResult:
    """Run the image-patch comparison of the module docstring.

    Parameters
    ----------
    snapshots : sequence of int
        Training sizes ``n`` (at most the fold size).
    seed : int or None
        Root of the per-trial seeds (the training offsets).
    folds : int, default 8
        Contiguous folds, a multiple of 4 (two images); trial ``k`` trains on fold ``k`` and
        tests on fold ``k XOR 2``.
    estimators : sequence of str
        A subset of :data:`PATCH_ESTIMATORS` (the others are reported as nan).
    pool : ndarray (N, m, m), optional
        The patches (default :func:`patch_pool`).

    Examples
    --------
    >>> res = multiway_patches((64,), folds=4, estimators=("sample", "group_square"))
    >>> res.loglik["sample"][0] == -np.inf, bool(res.loglik["group_square"][0] > 0)
    (np.True_, True)
    """
    X = patch_pool() if pool is None else np.asarray(pool, dtype=float)
    if X.ndim != 3 or X.shape[1] != X.shape[2]:
        raise ValueError(f"pool must be (N, m, m), got shape {X.shape}")
    folds = as_int(folds, "folds", minimum=4)
    if folds % 4:
        raise ValueError(f"folds must be a multiple of 4, got {folds}")
    unknown = set(estimators) - set(PATCH_ESTIMATORS)
    if unknown:
        raise ValueError(f"estimators must be among {PATCH_ESTIMATORS}, got {sorted(unknown)}")
    m = X.shape[1]
    flat = X.reshape(X.shape[0], -1)
    size = flat.shape[0] // folds
    grid = np.asarray([as_int(n, "snapshots", minimum=1) for n in snapshots])
    if grid.max() > size:
        raise ValueError(f"snapshots must be at most the fold size {size}, got {int(grid.max())}")
    fns = _estimators(m)
    keys = [k for k in PATCH_ESTIMATORS if k in estimators]
    ll = {k: np.full((grid.size, folds), np.nan) for k in PATCH_ESTIMATORS}
    err = {k: np.full((grid.size, folds), np.nan) for k in PATCH_ESTIMATORS}
    for t, ss in enumerate(np.random.SeedSequence(seed).spawn(folds)):
        rng = np.random.default_rng(ss)
        fold = flat[t * size : (t + 1) * size]
        u = t ^ 2
        test = flat[u * size : (u + 1) * size]
        half = flat.shape[0] // 2
        image = flat[:half] if t < folds // 2 else flat[half : 2 * half]
        big = image.T @ image / image.shape[0]
        S_test = test.T @ test / test.shape[0]
        for j, n in enumerate(grid):
            start = int(rng.integers(0, size - n + 1))
            train = fold[start : start + n]
            for k in keys:
                C = fns[k](train)
                ll[k][j, t] = _loglik(C, S_test)
                err[k][j, t] = np.linalg.norm(C - big) / np.linalg.norm(big)
    return PatchResult(
        snapshots=grid,
        loglik={k: v.mean(axis=1) for k, v in ll.items()},
        rel_error={k: v.mean(axis=1) for k, v in err.items()},
        trials=folds,
        seed=seed,
    )
