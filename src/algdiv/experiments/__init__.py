"""Reproducible experiments that return result tables (used by the CLI, docs, benchmarks).

adaptive_array   snapshots to −3 dB SINR loss on a circular array (SPEC §6)
variance_law     Frobenius error of S over that of Φ_G(S) against d_eff (SPEC §2)
"""

from .adaptive_array import PUBLISHED, AdaptiveArrayResult, adaptive_array, crossing
from .variance_law import VarianceLawResult, variance_law

__all__ = [
    "adaptive_array",
    "AdaptiveArrayResult",
    "PUBLISHED",
    "crossing",
    "variance_law",
    "VarianceLawResult",
]
