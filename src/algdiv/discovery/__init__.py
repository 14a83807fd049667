"""Finding the matched group from data (SPEC §4-5)."""

from . import bases
from .automorphisms import automorphisms
from .gevp import DCGEVPResult, dc_gevp

__all__ = ["bases", "dc_gevp", "DCGEVPResult", "automorphisms"]
