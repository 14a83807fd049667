"""Group-averaged covariance estimation, shrinkage toward it, baselines and group selection.

Averaging over a group instead of over time: ``Φ_G(S)`` (:func:`group_average`) has
``dim C(G)`` free parameters instead of ``M²``.  The estimators follow scikit-learn
(``fit``/``score``/``error_norm``, fitted ``covariance_``, ``precision_``) and accept
complex data; scikit-learn's ``EmpiricalCovariance``, ``LedoitWolf`` and ``OAS`` can be
used beside them on real data.

Functions
---------
group_average        Φ_G of the sample covariance of the rows of X
sample_covariance    S = (1/n) Σ x xᴴ over the rows x of X (Xᵀ conj(X) / n)
symmetry_shrinkage   ρ Φ_G(S) + (1 − ρ) S with the closed-form plug-in ρ
select_group         the candidate group with the best held-out likelihood
group_risk           unbiased Frobenius risk of Φ_G(S) (bias² + variance) from the snapshots
shrinkage_weights    risk-optimal convex weights of S, Φ_G(S) and the scaled identity
helmert_contrasts    n − 1 orthonormal contrasts: centring without a mean
zonal_projection     the nearest Σ_l c_l P_l(cos θ_ij) (spherical arrays, SO(3)-matched)
zonal_basis          the Legendre matrices [P_l(cos θ_ij)] of a spherical layout
sphere_cosines       cos θ_ij between the sensors of a spherical layout
delay_embed          snapshots from a scalar stream (rank promotion)
gaussian_log_likelihood   mean Gaussian log-likelihood, complex aware

Estimators
----------
GroupCovariance, SymmetryShrinkage, GroupLedoitWolf, ForwardBackward, ToeplitzAverage,
DiagonalLoading, ZonalCovariance (the SO(3)-matched average of a spherical array);
SchemeCovariance and SchemeLedoitWolf (the average over the cells of a coherent configuration,
and shrinkage toward it: beyond groups, see :mod:`algdiv.coherent`)
"""

from ._base import CovarianceEstimator, gaussian_log_likelihood, resolve_group
from .averaging import delay_embed, group_average, sample_covariance
from .estimators import (
    DiagonalLoading,
    ForwardBackward,
    GroupCovariance,
    SymmetryShrinkage,
    ToeplitzAverage,
    symmetry_shrinkage,
)
from .group_shrinkage import GroupLedoitWolf
from .risk import RiskEstimate, group_risk, helmert_contrasts, shrinkage_weights
from .selection import GroupSelection, select_group

__all__ = [
    "group_average",
    "sample_covariance",
    "delay_embed",
    "symmetry_shrinkage",
    "select_group",
    "GroupSelection",
    "gaussian_log_likelihood",
    "resolve_group",
    "CovarianceEstimator",
    "GroupCovariance",
    "SymmetryShrinkage",
    "ForwardBackward",
    "ToeplitzAverage",
    "DiagonalLoading",
    "GroupLedoitWolf",
    "group_risk",
    "shrinkage_weights",
    "helmert_contrasts",
    "RiskEstimate",
]

from .scheme import SchemeCovariance, SchemeLedoitWolf, resolve_scheme  # noqa: E402

__all__ += ["SchemeCovariance", "SchemeLedoitWolf", "resolve_scheme"]

from .zonal import ZonalCovariance, sphere_cosines, zonal_basis, zonal_projection  # noqa: E402

__all__ += ["ZonalCovariance", "zonal_projection", "zonal_basis", "sphere_cosines"]

from .multiway import (  # noqa: E402
    KroneckerGroupCovariance,
    SeparableCovariance,
    as_multiway,
    eigentensor_transform,
    flip_flop,
    modewise,
)

__all__ += [
    "SeparableCovariance",
    "KroneckerGroupCovariance",
    "flip_flop",
    "as_multiway",
    "eigentensor_transform",
    "modewise",
]
