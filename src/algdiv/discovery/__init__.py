"""Finding the matched group from data (SPEC §4-5)."""

from . import bases
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
from .rounding import nearest_permutation
from .sequential import SequentialResult, sequential

__all__ = ["bases", "dc_gevp", "DCGEVPResult", "automorphisms",
    "sequential", "SequentialResult", "nearest_permutation",
    "residual", "noise_floor", "coloring_index", "structural_capacity",
    "indistinguishable_group", "identifiability_notes"]
