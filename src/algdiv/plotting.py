"""Figures for reports: the covariance before and after projection, the matched basis, the spectrum.

matplotlib is an optional dependency (``pip install 'algdiv[plot]'``); it is imported only
here, with the non-interactive Agg backend when no display is configured.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_group, as_square
from .commutant import _project

__all__ = ["plot_discovery"]


def _pyplot() -> Any:
    try:
        import matplotlib

        if not os.environ.get("DISPLAY") and not os.environ.get("MPLBACKEND"):
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise ValueError("plotting needs matplotlib: pip install 'algdiv[plot]'") from None
    return plt


def plot_discovery(
    R: ArrayLike,
    G: Any,
    transform: Any,
    path: str | os.PathLike | None = None,
    *,
    title: str | None = None,
) -> Any:
    """Four panels: ``|R̂|``, ``|Φ_G(R̂)|``, the matched basis, and the spectrum by class.

    Parameters
    ----------
    R : array_like, (M, M)
        The estimated covariance.
    G : PermutationGroup or str
        The (matched) group.
    transform : Transform
        Its matched transform (``matrix`` and ``eigenvalue_classes`` are used).
    path : path-like, optional
        Write the figure here (PNG, PDF, ... by suffix).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.groups import cyclic
    >>> from algdiv import matched_transform
    >>> fig = plot_discovery(np.eye(8), cyclic(8), matched_transform(cyclic(8)))
    >>> len(fig.axes) >= 4
    True
    """
    G = as_group(G)
    r = as_square(R, "R", size=G.degree)
    plt = _pyplot()
    projected = _project(r, G)
    U = np.asarray(transform.matrix)
    diag = np.real(np.einsum("ij,ik,kj->j", U.conj(), r, U))

    fig, axes = plt.subplots(1, 4, figsize=(16, 4))
    vmax = float(np.abs(r).max()) or 1.0
    for ax, mat, label in [
        (axes[0], r, "estimated covariance |R̂|"),
        (axes[1], projected, "group average |Φ_G(R̂)|"),
    ]:
        im = ax.imshow(np.abs(mat), cmap="viridis", vmin=0, vmax=vmax)
        ax.set_title(label)
        fig.colorbar(im, ax=ax, fraction=0.046)
    basis = U.real if np.iscomplexobj(U) else U
    lim = float(np.abs(basis).max()) or 1.0
    im = axes[2].imshow(basis, cmap="RdBu_r", vmin=-lim, vmax=lim)
    axes[2].set_title(f"matched basis ({'real part' if np.iscomplexobj(U) else 'columns'})")
    axes[2].set_xlabel("basis vector")
    fig.colorbar(im, ax=axes[2], fraction=0.046)

    classes = list(getattr(transform, "eigenvalue_classes", None) or [[k] for k in range(len(diag))])
    means = np.array([diag[np.asarray(c)].mean() for c in classes])
    order = np.argsort(means)[::-1]
    for pos, k in enumerate(order):
        idx = np.asarray(classes[k])
        axes[3].scatter(np.full(idx.size, pos), diag[idx], s=12, color=f"C{pos % 10}")
    axes[3].set_yscale("log" if np.all(diag > 0) else "linear")
    axes[3].set_title(f"spectrum by class ({len(classes)} classes)")
    axes[3].set_xlabel("eigenvalue class (by mean)")
    axes[3].set_ylabel("uᴴ R̂ u")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=100)
    return fig
