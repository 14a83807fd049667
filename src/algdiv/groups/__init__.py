"""Finite permutation groups given by generators, and the catalogue algdiv knows.

A permutation is an int array ``p`` with ``p[i]`` the image of ``i`` (matrix
``P e_i = e_{p[i]}``).  A :class:`PermutationGroup` never lists its elements unless
asked; its order, orbits and pair orbits come from the construction or from the
generators.

Catalogue
---------
trivial, cyclic, dihedral, elementary_abelian, symmetric, iterated_wreath (node groups:
NODE_GROUPS, one per level for the hybrid wreaths), affine

Building groups
---------------
from_generators, subgroup, direct_product, wreath_product, semidirect_product,
relabel, parse

Signed permutations (monomial groups)
-------------------------------------
SignedPermutationGroup (generators as (permutation, signs) pairs; signed pair orbits,
commutant, Reynolds projection), negacyclic, hyperoctahedral, sign_flips,
as_signed_permutation, signed_permutation_matrix

Permutation helpers
-------------------
as_permutation, compose, inverse, permutation_matrix, conjugate_matrix, to_cycles,
from_cycles (module :mod:`algdiv.groups.permutations`)
"""

from ._group import DEFAULT_ELEMENT_LIMIT, PermutationGroup
from .catalogue import (
    NODE_GROUPS,
    affine,
    cyclic,
    dihedral,
    elementary_abelian,
    from_generators,
    iterated_wreath,
    subgroup,
    symmetric,
    trivial,
)
from .formatting import format_order
from .parse import GroupParseError, parse
from .permutations import (
    as_permutation,
    compose,
    conjugate_matrix,
    from_cycles,
    inverse,
    permutation_matrix,
    to_cycles,
)
from .products import direct_product, relabel, semidirect_product, wreath_product
from .signed import (
    SignedPermutationGroup,
    as_signed_permutation,
    hyperoctahedral,
    negacyclic,
    sign_flips,
    signed_permutation_matrix,
)

__all__ = [
    "PermutationGroup",
    "DEFAULT_ELEMENT_LIMIT",
    "trivial",
    "cyclic",
    "dihedral",
    "elementary_abelian",
    "symmetric",
    "iterated_wreath",
    "NODE_GROUPS",
    "affine",
    "from_generators",
    "subgroup",
    "direct_product",
    "wreath_product",
    "semidirect_product",
    "relabel",
    "parse",
    "format_order",
    "GroupParseError",
    "as_permutation",
    "compose",
    "inverse",
    "permutation_matrix",
    "conjugate_matrix",
    "to_cycles",
    "from_cycles",
    "SignedPermutationGroup",
    "negacyclic",
    "hyperoctahedral",
    "sign_flips",
    "as_signed_permutation",
    "signed_permutation_matrix",
]
