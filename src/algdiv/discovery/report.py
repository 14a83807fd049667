"""``discover()``: from data to the matched group, with its certificate and diagnostics.

The orchestration only: validate the input once, estimate ``R̂`` (and the kurtosis of the
data), run the search (:mod:`~algdiv.discovery.search`) under the consistency tests
(:mod:`~algdiv.discovery.consistency`), and assemble the :class:`~algdiv.discovery.result.Discovery`
report with its diagnostics and notes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._cost import check_seconds, discover_seconds
from .._progress import progress
from .._validation import as_group, as_snapshots, as_square, check_hermitian, is_int
from ..commutant import project_unchecked
from ..estimation import sample_covariance
from ..estimation._streaming import (
    check_dask_snapshots,
    is_dask_array,
    row_subsample,
    second_moments,
)
from ..estimation.risk import SnapshotMoments, helmert_contrasts
from ..groups import PermutationGroup, symmetric
from .auto import selection_rows
from .automorphisms import default_tol
from .candidates import select_from_data
from .consistency import Consistency, kurtosis_factor, streamed_kurtosis
from .diagnostics import expected_perp_energy, identifiability_notes, structural_capacity
from .naming import catalogue_name
from .result import Discovery
from .rounding import permutation_residual
from .search import ambient_notes, beyond_groups, run_search
from .selection import CRITERIA, guard_trivial
from .signed import signed_beyond_group

__all__ = ["discover", "Discovery", "kurtosis_factor", "scheme_beyond_group", "SCHEME_LIMIT"]

#: Points above which ``discover`` does not compute the coherent closure of an exact ``R``
#: (2-dimensional Weisfeiler-Leman costs ``O(M³)`` per round); ``algdiv.coherent_closure``
#: itself has no such limit.
SCHEME_LIMIT = 256


def scheme_beyond_group(
    r: np.ndarray, group: PermutationGroup, tol: float
) -> tuple[Any, list[str]]:
    """The coherent closure of an exact ``R`` when it is strictly coarser than the pair orbits
    of ``group`` (its automorphism group), with a note; ``(None, [])`` otherwise.

    Classes are counted as free parameters: cells for complex ``R``, classes ``{C, Cᵀ}`` for a
    real symmetric one (which cannot tell ``(i, j)`` from ``(j, i)``). Above
    :data:`SCHEME_LIMIT` points the closure is skipped with a note.
    """
    from ..coherent import CoherentConfiguration, coherent_closure

    m = r.shape[0]
    if m > SCHEME_LIMIT:
        return None, [
            f"the coherent closure of R (structure beyond groups) was not computed: {m} points "
            f"is above the report's limit of {SCHEME_LIMIT}; call algdiv.coherent_closure(R)"
        ]
    cc = coherent_closure(r, tol)
    real = not np.iscomplexobj(r)
    own = cc.n_symmetric_classes if real else cc.rank
    orbital = CoherentConfiguration.from_group(group)
    theirs = orbital.n_symmetric_classes if real else orbital.rank
    if own >= theirs:
        return None, []
    kind = "association scheme" if cc.is_homogeneous else "coherent configuration"
    return cc, [
        f"R lives in a non-Schurian {kind}: its coherent closure has {own} "
        f"{'classes' if real else 'cells'} against {theirs} for the pair orbits of its "
        f"automorphism group (d_eff {m * m / own:.4g} against {m * m / theirs:.4g}); no group "
        "average can use that structure, SchemeCovariance(report.scheme) does"
    ]


def discover(
    X: ArrayLike | None = None,
    *,
    R: ArrayLike | None = None,
    n_samples: int | None = None,
    ambient: PermutationGroup | str | None = None,
    level: float = 0.999,
    n_boot: int = 100,
    rng: np.random.Generator | int | None = None,
    criterion: str = "risk",
    assume_centered: bool = True,
) -> Discovery:
    """Find the matched group of the data, with a certificate and noise-aware diagnostics.

    Parameters
    ----------
    X : array_like (n_samples, M), optional
        Snapshots, one per row (real or complex); ``R̂ = (1/n) Σ x xᴴ = Xᵀ conj(X) / n`` for rows ``x``.
        A ``dask.array`` chunked by rows is never materialized: ``R̂`` and the kurtosis are
        summed blockwise over every row (two passes, one more for the mean), and
        ``report.selected`` is chosen on an evenly spaced subsample of at most
        ``max(16 M, 2²¹/M)`` rows (one more pass).
    R : array_like (M, M), optional
        A covariance instead of ``X`` (exact, or estimated from ``n_samples``).
    n_samples : int, optional
        Snapshots behind ``R``; omit for an exact covariance (consistency is then
        ``δ <= 1e-8``).
    ambient : PermutationGroup or str, optional
        Search only subgroups of this group (e.g. the array geometry's symmetries);
        without it, the search is blind.
    level : float
        Per decision: the quantile of the statistic's null distribution (``α``, or its
        nested form when a group is extended) below which the data count as consistent
        with the group (see the module notes).  Higher keeps true groups whole more
        often; lower rejects too-large groups at smaller ``n``.
    n_boot : int
        Bootstrap samples per candidate group.
    rng : numpy.random.Generator or int, optional
        Randomness of the bootstrap (default: a fixed seed, so results are reproducible).
    criterion : {"risk", "likelihood"}
        How ``report.selected`` chooses among the candidates the search met (snapshots
        only): the smallest estimated Frobenius risk of the shrunk estimate (the most
        structured candidate within one standard error of it), or the best
        held-out Gaussian likelihood of the group average (see
        :mod:`algdiv.discovery.selection`).
    assume_centered : bool, default True
        ``True``: ``R̂ = (1/n) Σ x xᴴ`` (the array-processing convention ``R = E[x xᴴ]``).
        ``False``: the mean is estimated; everything runs on the ``n − 1`` Helmert
        contrasts of the snapshots (the unbiased sample covariance).

    Returns
    -------
    Discovery
        ``print(report)`` is a readable summary; ``report.to_dict()`` is JSON-ready.
        ``report.group`` is the largest group consistent with the data (with its
        certificate); ``report.selected`` the candidate whose estimate has the least
        estimated risk, and ``report.estimator()`` its estimator.  Without an ambient,
        a selected group is kept only if its estimated gain over the plain shrinkage
        toward the identity is significant (``report.selected.kept_trivial`` says when
        it was not; see :func:`~algdiv.discovery.selection.guard_trivial`), as in
        :class:`algdiv.AutoGroupCovariance`.

    Raises
    ------
    ValueError
        If both or neither of ``X`` and ``R`` are given, if ``R`` is not square, finite
        and Hermitian, or the ambient's degree differs from ``M``.

    Examples
    --------
    An exactly dihedral covariance with its points hidden by a relabelling:

    >>> import numpy as np
    >>> from algdiv import reynolds
    >>> from algdiv.groups import dihedral, relabel
    >>> rng = np.random.default_rng(0)
    >>> A = rng.standard_normal((10, 10))
    >>> R = reynolds(A @ A.T, relabel(dihedral(10), rng.permutation(10)))
    >>> rep = discover(R=R)
    >>> rep.name, rep.order, rep.to_dict()["group"]["order"]
    ('dihedral(10)', 20, 20)

    From snapshots, restricted to the subgroups of an ambient group:

    >>> from algdiv.groups import subgroup
    >>> i = np.arange(16)
    >>> D4 = subgroup(dihedral(16), [(i + 4) % 16, (-i) % 16])
    >>> B = rng.standard_normal((16, 16))
    >>> R0 = reynolds(B @ B.T, D4)
    >>> X = rng.standard_normal((400, 16)) @ np.linalg.cholesky(R0).T
    >>> rep = discover(X, ambient=dihedral(16))
    >>> rep.group == D4, rep.alpha < rep.alpha_limit
    (True, True)
    """
    if (X is None) == (R is None):
        raise ValueError("give exactly one of X (snapshots) or R (a covariance)")
    streamed = X is not None and is_dask_array(X)
    shift = None
    n: int | None  # the snapshots behind the covariance (None: an exact covariance)
    if streamed:
        # a dask X chunked by rows: S and the kurtosis blockwise over every row, the
        # selection on an evenly spaced subsample (see the notes on X)
        if n_samples is not None:
            raise ValueError("n_samples is implied by X; give it only with R")
        xd = check_dask_snapshots(X, "X")
        if xd.shape[1] < 2:
            raise ValueError(f"X needs at least 2 features to have a symmetry, got {xd.shape[1]}")
        mom = second_moments(xd, center=not assume_centered)
        n = mom.n if assume_centered else mom.n - 1
        if n < 1:
            raise ValueError(
                "X needs at least 2 snapshots to estimate the mean (assume_centered=False)"
            )
        r = mom.sum_outer / n if mom.scatter is None else mom.scatter / n
        if not np.any(r):
            raise ValueError("X is all zeros: there is no covariance to find a symmetry in")
        shift = mom.mean
        complex_data = bool(np.iscomplexobj(r) and np.any(r.imag != 0))
        x = row_subsample(xd, selection_rows(xd.shape[1]))[0]
        if not assume_centered:
            x = helmert_contrasts(x) if x.shape[0] >= 2 else x - shift
    elif X is not None:
        if n_samples is not None:
            raise ValueError("n_samples is implied by X; give it only with R")
        x = as_snapshots(X, "X", allow_1d=False, min_features=2)
        if not np.any(x):
            raise ValueError("X is all zeros: there is no covariance to find a symmetry in")
        if not assume_centered:
            if x.shape[0] < 2:
                raise ValueError(
                    "X needs at least 2 snapshots to estimate the mean (assume_centered=False)"
                )
            x = helmert_contrasts(x)  # n − 1 independent centred snapshots (Gaussian data)
        n = x.shape[0]
        r = sample_covariance(x)  # S[i, j] = mean of x_i conj(x_j)
        complex_data = bool(np.iscomplexobj(x) and np.any(x.imag != 0))
    else:
        assert R is not None  # (exactly one of X and R, checked above)
        r = as_square(R, "R")
        if r.shape[0] < 2:
            raise ValueError(f"R must be at least 2 x 2 to have a symmetry, got {r.shape}")
        if n_samples is not None:
            if not is_int(n_samples):
                raise TypeError(f"n_samples must be an int, got {type(n_samples).__name__}")
            if n_samples < 1:
                raise ValueError(f"n_samples must be positive, got {n_samples}")
        n = None if n_samples is None else int(n_samples)
        complex_data = bool(np.iscomplexobj(r) and np.any(r.imag != 0))
    check_hermitian(r, "R" if X is None else "the sample covariance")
    r = (r + np.conj(r.T)) / 2
    if not complex_data:
        r = r.real
    m = r.shape[0]
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    if not (0 < level < 1):
        raise ValueError(f"level must be in (0, 1), got {level}")
    if not is_int(n_boot) or n_boot < 10:
        raise ValueError(f"n_boot must be an int >= 10, got {n_boot!r}")
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(
        0 if rng is None else rng
    )
    if streamed:
        eta = streamed_kurtosis(xd, r, n or 0, complex_data, shift)
    else:
        eta = kurtosis_factor(x, r, complex_data) if X is not None else 1.0
    amb = None if ambient is None else as_group(ambient, "ambient", degree=m)
    if amb is None and n is not None:  # the blind search with noise: its time grows as M^3
        check_seconds(discover_seconds(n, m), f"discovery on {n} snapshot(s) of {m} points")
    notes: list[str] = []
    if eta > 1.5:
        notes.append(
            f"heavy-tailed data: Mardia kurtosis {eta:.3g} times the Gaussian value; the "
            "consistency tests scale the noise floor by it (alpha is reported unscaled)"
        )
    consistent = Consistency(r, n, complex_data, level, int(n_boot), gen, eta)
    bar = progress(total=3 if X is not None else 2, desc="discover: search", unit="stage")
    group, cert = run_search(r, n, amb, consistent, notes)
    bar.update()
    bar.set_description("discover: diagnostics")
    mode = "blind" if amb is None else "ambient"
    scheme = signed = None
    if amb is None and n is None:  # (with noise, equal-looking entries prove nothing)
        beyond = beyond_groups(r, group, default_tol(r))
        notes += beyond
        if beyond:  # R has fewer values than pair orbits: is that a coherent algebra?
            scheme, scheme_notes = scheme_beyond_group(r, group, default_tol(r))
            notes += scheme_notes
        signed, signed_notes = signed_beyond_group(r, group, default_tol(r))
        notes += signed_notes
    _, delta, alpha, _ = consistent(group)
    limit = consistent.limit(group)
    notes += identifiability_notes(group, real_data=not complex_data)
    if amb is not None:
        notes += ambient_notes(r, n, group, amb, consistent)
    elif n is not None and consistent(symmetric(m))[0]:
        notes.append(
            f"the data are consistent even with the symmetric group S_{m} (all variances equal, all "
            f"covariances equal): either the covariance is exchangeable, or {n} snapshots are too few "
            "to tell finer structure apart, and the group reported is the largest not rejected"
        )
    bar.update()
    selected = None
    if X is not None:
        bar.set_description("discover: selection")
        xs = x if complex_data else x.real
        moments = SnapshotMoments(xs)
        selected = select_from_data(
            xs, amb, complex_data, level, int(n_boot), gen, criterion, moments
        )
        if amb is None:  # as in AutoGroupCovariance: a blind gain must be significant
            selected = guard_trivial(selected, moments)
        bar.update()
    bar.close()
    r_norm = float(np.linalg.norm(r)) or 1.0
    gen_res = max((permutation_residual(r, g) for g in group.generators), default=0.0)
    r0 = project_unchecked(r, group)
    return Discovery(
        group=group,
        name=catalogue_name(group),
        delta=float(delta),
        delta0=None if n is None else float(np.sqrt(expected_perp_energy(
            r0, group, n, complex_data=complex_data)) / r_norm),
        alpha=alpha,
        alpha_limit=limit,
        kappa=structural_capacity(r0) if np.trace(r0).real > 0 else 0.0,
        d_eff=m * m / group.n_pair_orbits,
        certificate=float(cert),
        generator_residual=float(gen_res),
        notes=notes,
        mode=mode,
        ambient=None if amb is None else amb.name,
        n_samples=n,
        kurtosis=float(eta),
        covariance=r,
        selected=selected,
        assume_centered=assume_centered,
        scheme=scheme,
        signed_group=signed,
    )
