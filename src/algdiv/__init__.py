"""algdiv: Algebraic Diversity, group-theoretic second-order signal processing.

One idea runs through the library: a group, given by generators, determines a
commutant; the commutant determines the estimator, the transform and the diagnostics.

Groups (:mod:`algdiv.groups`)
    PermutationGroup and the catalogue: trivial, cyclic, dihedral, elementary_abelian,
    symmetric, iterated_wreath (a node group per level: the hybrid wreaths), affine; products
    direct_product, wreath_product, semidirect_product; parse (a safe text grammar);
    SignedPermutationGroup (monomial groups: negacyclic, hyperoctahedral, sign_flips).
Commutant (:mod:`algdiv.commutant`)
    reynolds (the group average Φ_G), orbital_basis, commutant_dim,
    effective_dimension, is_invariant.
Transforms (:mod:`algdiv.transforms`)
    matched_transform (the common eigenbasis of a group's invariant covariances, any
    group; DFT, DCT/DST folds, Walsh-Hadamard, Haar, KLT, Kronecker exactly), Transform,
    resolution; kernels fwht, haar, reed_muller, arithmetic; tree_transform (Haar-Walsh
    and other tree hybrids); signed_matched_transform, odft; frft; spherical harmonics;
    RelaxedTransform (from a matched transform toward the sample KLT along a geodesic, as far
    as held-out coding gain supports).
Estimation (:mod:`algdiv.estimation`)
    group_average (Φ_G of the sample covariance); scikit-learn style estimators
    GroupCovariance, SymmetryShrinkage, GroupLedoitWolf (risk-optimal shrinkage toward the
    group average and the identity) and baselines ForwardBackward, ToeplitzAverage,
    DiagonalLoading; select_group (held-out likelihood); group_risk; delay_embed; multi-way
    snapshots (n, M1, M2[, M3]): SeparableCovariance (Kronecker MLE), KroneckerGroupCovariance
    (the flip-flop inside each mode's commutant), eigentensor_transform.
Beyond groups (:mod:`algdiv.coherent`)
    coherent_closure (2-dimensional Weisfeiler-Leman) -> CoherentConfiguration (cells, rank,
    is_schurian, eigenmatrices P/Q, projection onto the coherent algebra, matched transform);
    SchemeCovariance (the sample covariance averaged over the cells), SchemeLedoitWolf
    (risk-weighted shrinkage toward that average and the identity).
Discovery (:mod:`algdiv.discovery`)
    dc_gevp (double-commutator eigenproblem with certificate), discover -> Discovery
    (matched group, δ, δ₀, α, κ, notes, the risk-selected estimator); AutoGroupCovariance
    (discovery and selection inside a scikit-learn estimator); in the subpackage: bases, sequential,
    automorphisms, residual, noise_floor, coloring_index, structural_capacity.
Many problems at once (:mod:`algdiv.batch`)
    fit_many, discover_many, map_problems on joblib or dask.distributed, bitwise equal to
    the serial loop.
Arrays and experiments (:mod:`algdiv.arrays`, :mod:`algdiv.experiments`)
    steering vectors, MVDR and SINR loss; MUSIC, root-MUSIC and the ULA CRB; single-pilot
    massive-MIMO channel estimation; adaptive_array (the published experiment), variance_law.

Examples
--------
>>> import numpy as np
>>> import algdiv
>>> G = algdiv.groups.dihedral(8)
>>> rng = np.random.default_rng(0)
>>> x = rng.standard_normal(8)
>>> R1 = algdiv.reynolds(np.outer(x, x), G)   # a covariance from one snapshot
>>> algdiv.is_invariant(R1, G)
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Everything is imported on first use (PEP 562): ``import algdiv`` itself loads no numpy,
# scipy, sympy or matplotlib, so the command line starts fast; ``algdiv.reynolds`` or
# ``from algdiv import discover`` imports what that name needs, once.
_SUBMODULES = {
    "groups", "commutant", "estimation", "arrays", "experiments", "transforms", "discovery",
    "datasets", "io", "plotting", "batch", "coherent",
}
_ATTRIBUTES = {
    "commutant_dim": "commutant",
    "effective_dimension": "commutant",
    "invariance_residual": "commutant",
    "is_invariant": "commutant",
    "orbital_basis": "commutant",
    "reynolds": "commutant",
    "Discovery": "discovery",
    "AutoGroupCovariance": "discovery",
    "dc_gevp": "discovery",
    "discover": "discovery",
    "DiagonalLoading": "estimation",
    "ForwardBackward": "estimation",
    "GroupCovariance": "estimation",
    "GroupLedoitWolf": "estimation",
    "SymmetryShrinkage": "estimation",
    "ToeplitzAverage": "estimation",
    "group_average": "estimation",
    "select_group": "estimation",
    "SchemeCovariance": "estimation",
    "SchemeLedoitWolf": "estimation",
    "SeparableCovariance": "estimation",
    "KroneckerGroupCovariance": "estimation",
    "eigentensor_transform": "estimation",
    "coherent_closure": "coherent",
    "CoherentConfiguration": "coherent",
    "ResourceLimitError": "_limits",
    "set_max_memory": "_limits",
    "set_max_time": "_limits",
    "PermutationGroup": "groups",
    "SignedPermutationGroup": "groups",
    "Transform": "transforms",
    "RelaxedTransform": "transforms",
    "matched_transform": "transforms",
    "resolution": "transforms",
}

if TYPE_CHECKING:  # what static tools see; at run time __getattr__ below does the work
    from . import (
        arrays,
        coherent,
        commutant,
        discovery,
        estimation,
        experiments,
        groups,
        transforms,
    )
    from ._limits import ResourceLimitError, set_max_memory, set_max_time
    from .coherent import CoherentConfiguration, coherent_closure
    from .commutant import (
        commutant_dim,
        effective_dimension,
        invariance_residual,
        is_invariant,
        orbital_basis,
        reynolds,
    )
    from .discovery import AutoGroupCovariance, Discovery, dc_gevp, discover
    from .estimation import (
        DiagonalLoading,
        ForwardBackward,
        GroupCovariance,
        GroupLedoitWolf,
        KroneckerGroupCovariance,
        SchemeCovariance,
        SchemeLedoitWolf,
        SeparableCovariance,
        SymmetryShrinkage,
        ToeplitzAverage,
        eigentensor_transform,
        group_average,
        select_group,
    )
    from .groups import PermutationGroup, SignedPermutationGroup
    from .transforms import RelaxedTransform, Transform, matched_transform, resolution


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("algdiv")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        value: Any = importlib.import_module(f".{name}", __name__)
    elif name in _ATTRIBUTES:
        value = getattr(importlib.import_module(f".{_ATTRIBUTES[name]}", __name__), name)
    elif name == "__version__":
        value = _version()
    else:
        raise AttributeError(f"module 'algdiv' has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)


__all__ = [
    "__version__",
    "groups",
    "commutant",
    "PermutationGroup",
    "SignedPermutationGroup",
    "reynolds",
    "orbital_basis",
    "commutant_dim",
    "effective_dimension",
    "is_invariant",
    "invariance_residual",
    "estimation",
    "arrays",
    "experiments",
    "group_average",
    "GroupCovariance",
    "SymmetryShrinkage",
    "GroupLedoitWolf",
    "AutoGroupCovariance",
    "ForwardBackward",
    "ToeplitzAverage",
    "DiagonalLoading",
    "select_group",
    "transforms",
    "matched_transform",
    "Transform",
    "RelaxedTransform",
    "resolution",
    "discovery",
    "dc_gevp",
    "discover",
    "Discovery",
    "coherent",
    "coherent_closure",
    "CoherentConfiguration",
    "SchemeCovariance",
    "SchemeLedoitWolf",
    "SeparableCovariance",
    "KroneckerGroupCovariance",
    "eigentensor_transform",
    "ResourceLimitError",
    "set_max_memory",
    "set_max_time",
]
