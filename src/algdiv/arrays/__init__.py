"""Sensor-array models used by the applications: steering vectors, beamformers, SINR.

uca_steering, ula_steering         steering vectors (circular, linear)
uca_dihedral_group                 D_J on the sensors of a circular array
interference_covariance            Σ σ_k² a_k a_kᴴ + σ² I
mvdr_weights, sinr, sinr_loss      adaptive beamforming and its figure of merit
"""

from .beamforming import mvdr_weights, sinr, sinr_loss
from .steering import interference_covariance, uca_dihedral_group, uca_steering, ula_steering

__all__ = [
    "uca_steering",
    "ula_steering",
    "uca_dihedral_group",
    "interference_covariance",
    "mvdr_weights",
    "sinr",
    "sinr_loss",
]
