"""Figures for reports: the covariance as stored and reordered, its group average, the basis, the spectrum.

matplotlib is an optional dependency (``pip install 'algdiv[plot]'``); it is imported only
here, with the non-interactive Agg backend when no display is configured.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_group, as_square
from .commutant import project_unchecked

__all__ = ["plot_discovery", "display_order"]


def _pyplot() -> Any:
    try:
        import matplotlib

        if not os.environ.get("DISPLAY") and not os.environ.get("MPLBACKEND"):
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise ValueError("plotting needs matplotlib: pip install 'algdiv[plot]'") from None
    return plt


def display_order(G: Any, relabelling: ArrayLike | None = None) -> tuple[np.ndarray, str]:
    """The order in which to show the points of ``G``, and how to name that axis.

    With ``relabelling`` ``σ`` (``relabel(catalogue, σ) == G``) the points are shown as
    ``σ[0], σ[1], ...``: the catalogue group's own labelling, where its structure (a
    circulant band, blocks) is visible.  Without it, the points are grouped by orbit.

    Examples
    --------
    >>> from algdiv.groups import direct_product, cyclic, trivial
    >>> display_order(cyclic(4), [2, 3, 0, 1])[0].tolist()
    [2, 3, 0, 1]
    """
    G = as_group(G)
    if relabelling is not None:
        from .groups.permutations import as_permutation

        return np.asarray(as_permutation(relabelling, G.degree, name="relabelling")), (
            "index in the catalogue labelling"
        )
    orbits = G.orbits()
    if len(orbits) == 1:
        return np.arange(G.degree), "index (as stored)"
    return np.concatenate(orbits), "index (grouped by orbit)"


def plot_discovery(
    R: ArrayLike,
    G: Any,
    transform: Any,
    path: str | os.PathLike[str] | None = None,
    *,
    title: str | None = None,
    relabelling: ArrayLike | None = None,
    units: str = "data units",
) -> Any:
    """Five panels: ``|R̂|`` as stored and reordered, ``|Φ_G(R̂)|``, the spectrum, the basis.

    The first two panels show the same estimate before and after reordering its indices
    by ``relabelling`` (the map onto the catalogue group's labelling, when the group was
    recognized; otherwise the points are grouped by orbit), so the structure that the
    discovered group explains can be seen; the third shows its group average in that
    order.  Every heatmap has axis labels and a colour bar in ``units²``.

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
    relabelling : array_like of int, optional
        ``σ`` with ``relabel(catalogue, σ) == G`` (see ``algdiv discover --json``).
    units : str
        The unit of the data, for the colour bars (covariances are in its square).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> from algdiv.groups import cyclic
    >>> from algdiv import matched_transform
    >>> fig = plot_discovery(np.eye(8), cyclic(8), matched_transform(cyclic(8)))
    >>> len(fig.axes) >= 5
    True
    >>> fig.axes[0].get_xlabel()
    'index j (as stored)'
    """
    G = as_group(G)
    r = as_square(R, "R", size=G.degree)
    order, axis_name = display_order(G, relabelling)
    plt = _pyplot()
    projected = project_unchecked(r, G)
    U = np.asarray(transform.matrix)
    diag = np.real(np.einsum("ij,ik,kj->j", U.conj(), r, U))
    ix = np.ix_(order, order)

    fig, axes = plt.subplots(1, 5, figsize=(22, 4.4))
    vmax = float(np.abs(r).max()) or 1.0
    cov_unit = f"|R_ij| ({units}²)"
    panels = [
        (axes[0], r, "estimate |R̂| (before: as stored)", "(as stored)"),
        (axes[1], r[ix], "estimate |R̂| (after: reordered)", axis_name.replace("index ", "")),
        (axes[2], projected[ix], "group average |Φ_G(R̂)|", axis_name.replace("index ", "")),
    ]
    if panels[1][3] == "(as stored)":
        panels[1] = (axes[1], r[ix], "estimate |R̂| (same order)", "(as stored)")
    for ax, mat, label, where in panels:
        im = ax.imshow(np.abs(mat), cmap="viridis", vmin=0, vmax=vmax, interpolation="nearest")
        ax.set_title(label, fontsize=10)
        ax.set_xlabel(f"index j {where}" if where.startswith("(") else f"index j ({where})")
        ax.set_ylabel(f"index i {where}" if where.startswith("(") else f"index i ({where})")
        fig.colorbar(im, ax=ax, fraction=0.046).set_label(cov_unit)
    basis = U.real if np.iscomplexobj(U) else U
    basis = basis[order]
    lim = float(np.abs(basis).max()) or 1.0
    im = axes[4].imshow(basis, cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
    axes[4].set_title(
        f"matched basis ({'real part' if np.iscomplexobj(U) else 'columns'})", fontsize=10
    )
    axes[4].set_xlabel("basis vector k")
    axes[4].set_ylabel("index i" + (f" ({axis_name.replace('index ', '')})"))
    fig.colorbar(im, ax=axes[4], fraction=0.046).set_label("u_ik (dimensionless)")

    classes = list(getattr(transform, "eigenvalue_classes", None) or [[k] for k in range(len(diag))])
    means = np.array([diag[np.asarray(c)].mean() for c in classes])
    rank = np.argsort(means)[::-1]
    for pos, k in enumerate(rank):
        idx = np.asarray(classes[k])
        axes[3].scatter(np.full(idx.size, pos), diag[idx], s=12, color=f"C{pos % 10}")
    axes[3].set_yscale("log" if np.all(diag > 0) else "linear")
    axes[3].set_title(f"spectrum by class ({len(classes)} classes)", fontsize=10)
    axes[3].set_xlabel("eigenvalue class (by mean)")
    axes[3].set_ylabel(f"power uᴴ R̂ u ({units}²)")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=90)
    return fig
