"""Finding the matched group from data, with a certificate.

The double-commutator eigenvalue problem
    dc_gevp (``D c = λ N c`` over a dictionary; exact ``O(M³)`` path for ``"so"``,
    ``"u"``, ``"gl"``), DCGEVPResult; sequential (deflation, rounding to permutations,
    closure, verification), SequentialResult; nearest_permutation.
Dictionaries (:mod:`algdiv.discovery.bases`)
    permutations, transpositions, shifts, reflections, so, u, gl, toeplitz, hankel, kron.
Blind search
    automorphisms (the automorphism group of ``R`` as an edge-coloured graph);
    near_automorphisms, entry_standard_errors (:mod:`~algdiv.discovery.matching`: candidate
    symmetries of an estimated ``R``, matched entry by entry within their noise);
    signed_automorphisms, signed_permutations (:mod:`~algdiv.discovery.signed`: the signed
    permutations ``Q R Qᵀ = R``, and a signed dictionary for ``dc_gevp``).
Diagnostics
    residual (δ), noise_floor (δ₀), coloring_index (α), structural_capacity (κ),
    indistinguishable_group, identifiability_notes.
The pipeline
    discover -> Discovery (group, name, transform, δ, δ₀, α, κ, d_eff, certificate,
    notes; ``selected``: the candidate with the least estimated risk, a Selection);
    AutoGroupCovariance (discover, select and shrink inside ``fit``); catalogue_name.

Examples
--------
>>> import numpy as np
>>> from scipy.linalg import circulant
>>> from algdiv.discovery import bases, dc_gevp
>>> R = circulant([3., 1., 0., 1.])        # symmetric circulant: dihedral-invariant
>>> dc_gevp(R, bases.reflections(4)).residual < 1e-12
True
"""

from . import bases
from .auto import AutoGroupCovariance
from .automorphisms import automorphisms
from .diagnostics import (
    coloring_index,
    identifiability_notes,
    indistinguishable_group,
    noise_floor,
    residual,
    structural_capacity,
)
from .gevp import DCGEVPResult, dc_gevp
from .matching import entry_standard_errors, near_automorphisms
from .naming import catalogue_name
from .report import Discovery, discover
from .rounding import nearest_permutation
from .selection import CandidateRisk, Selection
from .sequential import SequentialResult, sequential
from .signed import signed_automorphisms, signed_permutations

__all__ = [
    "bases",
    "dc_gevp",
    "DCGEVPResult",
    "sequential",
    "SequentialResult",
    "nearest_permutation",
    "automorphisms",
    "near_automorphisms",
    "entry_standard_errors",
    "residual",
    "noise_floor",
    "coloring_index",
    "structural_capacity",
    "indistinguishable_group",
    "identifiability_notes",
    "discover",
    "Discovery",
    "AutoGroupCovariance",
    "Selection",
    "CandidateRisk",
    "catalogue_name",
    "signed_automorphisms",
    "signed_permutations",
]
