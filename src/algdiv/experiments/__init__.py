"""Reproducible experiments that return result tables (used by the CLI, docs, benchmarks).

adaptive_array   snapshots to −3 dB SINR loss on a circular array (the published experiment)
adaptive_array_selection   the same with the group found from the same snapshots
variance_law     Frobenius error of S over that of Φ_G(S) against d_eff
stap             SINR loss against snapshots for space-time adaptive processing (array × pulses)
multiway_patches held-out likelihood of multi-way estimators on 8×8 image patches
"""

from .adaptive_array import PUBLISHED, AdaptiveArrayResult, adaptive_array, crossing
from .array_selection import (
    ARRAY_SELECTION_ESTIMATORS,
    ArraySelectionResult,
    adaptive_array_selection,
)
from .variance_law import VarianceLawResult, variance_law

__all__ = [
    "adaptive_array",
    "AdaptiveArrayResult",
    "PUBLISHED",
    "crossing",
    "adaptive_array_selection",
    "ArraySelectionResult",
    "ARRAY_SELECTION_ESTIMATORS",
    "variance_law",
    "VarianceLawResult",
]

from .multiway_patches import (  # noqa: E402
    PATCH_ESTIMATORS,
    PatchResult,
    multiway_patches,
    patch_pool,
)
from .stap import STAP_ESTIMATORS, StapResult, StapScenario, stap, stap_scenario  # noqa: E402

__all__ += [
    "stap",
    "stap_scenario",
    "StapScenario",
    "StapResult",
    "STAP_ESTIMATORS",
    "multiway_patches",
    "patch_pool",
    "PatchResult",
    "PATCH_ESTIMATORS",
]
