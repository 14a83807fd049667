"""Matched transforms: the common eigenbasis of every covariance invariant under a group.

The classical transforms are the matched transforms of groups: for ``G`` acting on ``M``
points, a unitary ``U`` with ``Uᴴ C U = ⊕_ρ kron(B_ρ, I_dρ)`` block diagonal for every
``C`` in the commutant (docs/transforms.md).  Any finite permutation group has one,
derived without enumerating it.

Matched transforms
------------------
matched_transform   the Transform of a group or commutant algebra (optionally refined by R)
resolution          number of eigenvalue classes, Σ_ρ m_ρ
Transform, Block    the result: matrix, forward/inverse, isotypic blocks, eigenvalue classes
CommutantAlgebra    a *-algebra of matrices given by a spanning set
dihedral_fold       all 16 DCT/DST types as folds of the dihedral commutant (dtt_matrix)

Classical transforms (Transform constructors)
---------------------------------------------
dft, dct, dst, wht, haar, hierarchical, klt, identity, kron (each takes the size)
tree_transform      the hybrid wreaths: a node group per level (Haar-Walsh, DFT-Haar, ...)

Signed permutation groups
-------------------------
signed_matched_transform   the matched transform of a SignedPermutationGroup
SignedCommutant            its commutant as a CommutantAlgebra (for matched_transform)
odft                       odd-frequency DFT, matched to the negacyclic group

Fast kernels (arrays in, arrays out, along ``axis``)
----------------------------------------------------
fwht, haar_coefficients / ihaar, reed_muller / ireed_muller, arithmetic / iarithmetic,
sequency_order, tree_coefficients / itree_coefficients (packet_tree: the Haar packet tree)

Continuous and twisted cases
----------------------------
frft, frft_matrix, hermite_gauss   discrete fractional Fourier transform
spherical_harmonics, degree_order, sphere_grid, funk_hecke   SO(3) on the sphere

The transform manifold (docs/manifold.md)
-----------------------------------------
align_bases, BasisGeodesic / basis_geodesic, basis_distance   geodesics on U(M)/O(M)
coding_gain, off_diagonal_energy, basis_capacity, objectives_along   objectives along them
RelaxedTransform   from a matched transform toward the sample KLT, as far as held-out data support
"""

from ._transform import Block, Transform
from .algebra import CommutantAlgebra
from .catalogue import dct, dft, dst, haar, hierarchical, identity, klt, kron, wht
from .folds import FOLD_KINDS, DihedralFold, dihedral_fold, dtt_matrix
from .frft import frft, frft_matrix, hermite_gauss
from .hybrid import itree_coefficients, packet_tree, tree_coefficients, tree_transform
from .kernels import (
    arithmetic,
    fwht,
    haar_coefficients,
    iarithmetic,
    ihaar,
    ireed_muller,
    reed_muller,
    sequency_order,
)
from .matched import matched_transform, resolution
from .signed import SignedCommutant, odft, signed_matched_transform
from .sphere import degree_order, funk_hecke, sphere_grid, spherical_harmonics

__all__ = [
    "matched_transform",
    "resolution",
    "Transform",
    "Block",
    "CommutantAlgebra",
    "DihedralFold",
    "dihedral_fold",
    "dtt_matrix",
    "FOLD_KINDS",
    "dft",
    "dct",
    "dst",
    "wht",
    "haar",
    "hierarchical",
    "klt",
    "identity",
    "kron",
    "tree_transform",
    "tree_coefficients",
    "itree_coefficients",
    "packet_tree",
    "odft",
    "signed_matched_transform",
    "SignedCommutant",
    "fwht",
    "haar_coefficients",
    "ihaar",
    "reed_muller",
    "ireed_muller",
    "arithmetic",
    "iarithmetic",
    "sequency_order",
    "frft",
    "frft_matrix",
    "hermite_gauss",
    "spherical_harmonics",
    "sphere_grid",
    "funk_hecke",
    "degree_order",
]
from .manifold import (
    Alignment,
    BasisGeodesic,
    RelaxedTransform,
    align_bases,
    basis_capacity,
    basis_distance,
    basis_geodesic,
    coding_gain,
    objectives_along,
    off_diagonal_energy,
)

__all__ += [
    "Alignment",
    "align_bases",
    "BasisGeodesic",
    "basis_geodesic",
    "basis_distance",
    "coding_gain",
    "off_diagonal_energy",
    "basis_capacity",
    "objectives_along",
    "RelaxedTransform",
]
