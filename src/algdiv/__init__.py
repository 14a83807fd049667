"""algdiv: Algebraic Diversity, group-theoretic second-order signal processing.

One idea runs through the library: a group, given by generators, determines a
commutant; the commutant determines the estimator, the transform and the diagnostics.

Groups (:mod:`algdiv.groups`)
    PermutationGroup and the catalogue: trivial, cyclic, dihedral, elementary_abelian,
    symmetric, iterated_wreath, affine; products direct_product, wreath_product,
    semidirect_product; parse (a safe text grammar).
Commutant (:mod:`algdiv.commutant`)
    reynolds (the group average Φ_G), orbital_basis, commutant_dim,
    effective_dimension, is_invariant.
Transforms (:mod:`algdiv.transforms`)
    matched_transform (the common eigenbasis of a group's invariant covariances, any
    group; DFT, DCT/DST folds, Walsh-Hadamard, Haar, KLT, Kronecker exactly), Transform,
    resolution; kernels fwht, haar, reed_muller, arithmetic; frft; spherical harmonics.
Estimation (:mod:`algdiv.estimation`)
    group_average (Φ_G of the sample covariance); scikit-learn style estimators
    GroupCovariance, SymmetryShrinkage and baselines ForwardBackward, ToeplitzAverage,
    DiagonalLoading; select_group (held-out likelihood); delay_embed.
Discovery (:mod:`algdiv.discovery`)
    dc_gevp (double-commutator eigenproblem with certificate), discover -> Discovery
    (matched group, δ, δ₀, α, κ, notes); in the subpackage: bases, sequential,
    automorphisms, residual, noise_floor, coloring_index, structural_capacity.
Arrays and experiments (:mod:`algdiv.arrays`, :mod:`algdiv.experiments`)
    steering vectors, MVDR and SINR loss; MUSIC, root-MUSIC and the ULA CRB; single-pilot
    massive-MIMO channel estimation; adaptive_array (SPEC §6), variance_law.

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

from importlib.metadata import PackageNotFoundError, version

from . import arrays, commutant, discovery, estimation, experiments, groups, transforms
from ._limits import ResourceLimitError, set_max_memory
from .commutant import (
    commutant_dim,
    effective_dimension,
    invariance_residual,
    is_invariant,
    orbital_basis,
    reynolds,
)
from .discovery import Discovery, dc_gevp, discover
from .estimation import (
    DiagonalLoading,
    ForwardBackward,
    GroupCovariance,
    SymmetryShrinkage,
    ToeplitzAverage,
    group_average,
    select_group,
)
from .groups import PermutationGroup
from .transforms import Transform, matched_transform, resolution

try:
    __version__ = version("algdiv")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "__version__",
    "groups",
    "commutant",
    "PermutationGroup",
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
    "ForwardBackward",
    "ToeplitzAverage",
    "DiagonalLoading",
    "select_group",
    "transforms",
    "matched_transform",
    "Transform",
    "resolution",
    "discovery",
    "dc_gevp",
    "discover",
    "Discovery",
    "ResourceLimitError",
    "set_max_memory",
]
