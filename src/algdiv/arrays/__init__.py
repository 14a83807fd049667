"""Sensor-array models used by the applications: steering vectors, beamformers, SINR.

uca_steering, ula_steering         steering vectors (circular, linear)
uca_dihedral_group                 D_J on the sensors of a circular array
interference_covariance            Σ σ_k² a_k a_kᴴ + σ² I
mvdr_weights, sinr, sinr_loss      adaptive beamforming and its figure of merit
music_spectrum, root_music,        MUSIC direction finding (any covariance estimate, e.g. a
music_doa, spectrum_peaks          one-snapshot group average) and the peak picking
ula_crb, doa_rmse                  stochastic Cramér–Rao bound on a ULA, matched RMSE
ClusteredChannel, clustered_channel  3GPP-like clustered massive-MIMO uplink channel
ls_estimate, mmse_estimate,        single-pilot channel estimators: least squares, MMSE
wiener_estimate,                   with known covariance, Wiener from an estimated one,
group_average_estimate             and from the one-pilot group average
pilot_observation, nmse, effective_throughput   the pilot model and figures of merit
training_snr_db, statistical_beamformer,   downlink: τ_p ≥ M orthogonal training pilots
downlink_se_statistical,           against a statistical beamformer from one pilot's group
downlink_se_trained                average, with the spectral-efficiency bound of each
TDLProfile, TDL_PROFILES,          3GPP TR 38.901 TDL-A … TDL-E power-delay profiles and
tdl_profile, tdl_channel           symbol-spaced block-fading channels drawn from them
constellation, cma_equalize,       constant-modulus blind equalization, the mean (averaged)
cma_mean_trajectory,               recursion, the prediction of the phase rotation CMA
cma_predict_rotation,              leaves (from the channel and initial taps only) and its
measure_rotation, wrap_quarter     measurement modulo π/2
icosahedron, dodecahedron,         spherical layouts; the rotation group of a layout as a
icosahedral_rotations,             permutation group (order 60 on the icosahedron's 12 or
layout_group, icosahedral_group    the 12 + 20 = 32 points with the dodecahedron)
plane_wave_steering,               open-sphere plane-wave responses and the diffuse-field
diffuse_covariance                 covariance sinc(k |r_i - r_j|)
"""

from .beamforming import mvdr_weights, sinr, sinr_loss
from .cma import (
    CMAResult,
    cma_equalize,
    cma_mean_trajectory,
    cma_predict_rotation,
    constellation,
    measure_rotation,
    wrap_quarter,
)
from .mimo import (
    TR38901_RAY_OFFSETS,
    ClusteredChannel,
    clustered_channel,
    downlink_se_statistical,
    downlink_se_trained,
    effective_throughput,
    group_average_estimate,
    ls_estimate,
    mmse_estimate,
    nmse,
    pilot_observation,
    statistical_beamformer,
    training_snr_db,
    wiener_estimate,
)
from .music import doa_rmse, music_doa, music_spectrum, root_music, spectrum_peaks, ula_crb
from .steering import interference_covariance, uca_dihedral_group, uca_steering, ula_steering
from .tdl import TDL_PROFILES, TDLProfile, tdl_channel, tdl_profile

__all__ = [
    "uca_steering",
    "ula_steering",
    "uca_dihedral_group",
    "interference_covariance",
    "mvdr_weights",
    "sinr",
    "sinr_loss",
    "music_spectrum",
    "spectrum_peaks",
    "root_music",
    "music_doa",
    "ula_crb",
    "doa_rmse",
    "TR38901_RAY_OFFSETS",
    "ClusteredChannel",
    "clustered_channel",
    "pilot_observation",
    "ls_estimate",
    "mmse_estimate",
    "wiener_estimate",
    "group_average_estimate",
    "nmse",
    "effective_throughput",
    "training_snr_db",
    "statistical_beamformer",
    "downlink_se_statistical",
    "downlink_se_trained",
    "TDLProfile",
    "TDL_PROFILES",
    "tdl_profile",
    "tdl_channel",
    "constellation",
    "CMAResult",
    "cma_equalize",
    "cma_mean_trajectory",
    "cma_predict_rotation",
    "measure_rotation",
    "wrap_quarter",
]

from .spherical import (  # noqa: E402
    diffuse_covariance,
    dodecahedron,
    icosahedral_group,
    icosahedral_rotations,
    icosahedron,
    layout_group,
    plane_wave_steering,
)

__all__ += [
    "icosahedron",
    "dodecahedron",
    "icosahedral_rotations",
    "layout_group",
    "icosahedral_group",
    "plane_wave_steering",
    "diffuse_covariance",
]
