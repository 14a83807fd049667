"""A small scikit-learn style base shared by the covariance estimators.

Estimators keep hyper-parameters in ``__init__``, ``fit`` returns ``self`` and the fitted
state lives in trailing-underscore attributes (``location_``, ``covariance_``,
``precision_``).  Real data go through scikit-learn's own validation (so the estimators
pass ``check_estimator``); complex data, which scikit-learn refuses, get the same checks
here.  scikit-learn is optional: without it a minimal ``get_params``/``set_params`` base
stands in.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import linalg

from .._validation import as_group
from ..groups import PermutationGroup, cyclic, dihedral, parse, symmetric, trivial
from ._streaming import check_dask_snapshots, is_dask_array, second_moments

try:  # scikit-learn is an optional dependency
    from sklearn.base import BaseEstimator as _SklearnBase
    from sklearn.exceptions import NotFittedError as _SklearnNotFitted
    from sklearn.utils.validation import validate_data as _sk_validate_data
except ImportError:  # pragma: no cover - exercised only without scikit-learn
    _SklearnBase = None
    _SklearnNotFitted = None
    _sk_validate_data = None


class _OwnNotFittedError(ValueError, AttributeError):  # pragma: no cover - without sklearn
    """Raised when an estimator is used before ``fit``."""


# shown, and pickled, under its public name
_OwnNotFittedError.__name__ = _OwnNotFittedError.__qualname__ = "NotFittedError"

#: scikit-learn's ``NotFittedError`` (a ``ValueError`` and ``AttributeError``) when it is
#: installed, else a stand-in with the same bases.
NotFittedError: type[ValueError] = (
    _SklearnNotFitted if _SklearnNotFitted is not None else _OwnNotFittedError
)


__all__ = ["FAMILIES", "resolve_group", "gaussian_log_likelihood", "CovarianceEstimator"]

#: Group families an estimator resolves from ``n_features`` at fit time.
FAMILIES = {"trivial": trivial, "cyclic": cyclic, "dihedral": dihedral, "symmetric": symmetric}


def resolve_group(group: Any, n_features: int, name: str = "group") -> PermutationGroup:
    """A PermutationGroup on ``n_features`` points from a group, a family name or group text.

    Examples
    --------
    >>> resolve_group("dihedral", 8)
    <dihedral group D_8 on 8 points>
    >>> resolve_group("cyclic(4)", 4).order
    4
    """
    if isinstance(group, str) and group in FAMILIES:
        return FAMILIES[group](n_features)
    if isinstance(group, str):
        try:
            group = parse(group)
        except ValueError as exc:
            raise ValueError(
                f"{name} must be a PermutationGroup, one of {sorted(FAMILIES)} or group text; "
                f"{group!r} could not be read: {exc}"
            ) from None
    return as_group(group, name, degree=n_features)


def _logdet_and_ok(precision: NDArray[Any]) -> tuple[float, bool]:
    w = linalg.eigvalsh(precision)
    if w.size and w.min() <= 0:
        return -np.inf, False
    return float(np.sum(np.log(w))), True


def gaussian_log_likelihood(emp_cov: ArrayLike, precision: ArrayLike) -> float:
    """Mean Gaussian log-likelihood of data with sample covariance ``emp_cov`` (complex aware).

    Real data (real ``emp_cov``): ``(log det P − tr(S P) − M log 2π) / 2``, as
    :func:`sklearn.covariance.log_likelihood`.  Complex data are taken as circular complex
    Gaussian ``CN(0, R)``: ``log det P − tr(S P) − M log π``.  A singular ``precision``
    (an estimate without full rank) gives ``-inf``.

    Examples
    --------
    >>> import numpy as np
    >>> print(round(gaussian_log_likelihood(np.eye(2), np.eye(2)), 4))   # -1 - log 2π
    -2.8379
    >>> print(round(gaussian_log_likelihood(np.eye(2) + 0j, np.eye(2)), 4))  # -2 - 2 log π
    -4.2895
    """
    s = np.asarray(emp_cov)
    p = np.asarray(precision)
    m = int(p.shape[0])
    logdet, ok = _logdet_and_ok(p)
    if not ok:
        return -np.inf
    trace = float(np.real(np.sum(s * p.T)))  # tr(S P)
    if np.iscomplexobj(s):
        return logdet - trace - m * float(np.log(np.pi))
    return (logdet - trace - m * float(np.log(2 * np.pi))) / 2


class _MinimalBase:  # pragma: no cover - stands in for sklearn.base.BaseEstimator
    @classmethod
    def _get_param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return sorted(p for p in sig.parameters if p != "self")

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self._get_param_names()}

    def __getstate__(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def set_params(self, **params: Any) -> _MinimalBase:
        for k, v in params.items():
            if k not in self._get_param_names():
                raise ValueError(f"invalid parameter {k!r} for {type(self).__name__}")
            setattr(self, k, v)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


if TYPE_CHECKING:  # what both bases provide (scikit-learn's is untyped)
    _Base = _MinimalBase
else:
    _Base = _SklearnBase if _SklearnBase is not None else _MinimalBase


class CovarianceEstimator(_Base):
    """Base class: ``fit`` centres (unless ``assume_centered``) and calls ``_estimate``.

    Subclasses implement ``_estimate(X)`` on validated, centred data and return the
    covariance; they may set extra fitted attributes there.  ``precision_`` is the
    (pseudo-)inverse of ``covariance_``; ``score`` is the mean Gaussian log-likelihood
    of new data (complex circular for complex data), ``error_norm`` the distance to a
    reference covariance.
    """

    # -- validation -------------------------------------------------------------------
    def _check_X(self, X: ArrayLike, *, reset: bool) -> NDArray[Any]:
        if _sk_validate_data is not None and not np.iscomplexobj(X):
            # (scikit-learn's own message for a wrong number of dimensions is three lines)
            ndim = np.ndim(X) if isinstance(X, np.ndarray) or np.isscalar(X) else None
            if ndim is not None and ndim != 2:
                raise ValueError(
                    f"Expected 2D array (n_samples, n_features), got a {ndim}-D array of shape "
                    f"{np.shape(X)}; reshape a single snapshot with x.reshape(1, -1)"
                )
            checked: NDArray[Any] = _sk_validate_data(self, X, reset=reset)
            return checked
        try:
            arr = np.asarray(X)
        except Exception as exc:
            raise ValueError(f"X could not be read as an array: {exc}") from None
        if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
            raise TypeError(f"X must be numeric, got dtype {arr.dtype}")
        if arr.ndim != 2:
            raise ValueError(
                f"Expected 2D array (n_samples, n_features), got shape {arr.shape}; reshape "
                "a single snapshot with x.reshape(1, -1)"
            )
        if arr.shape[0] < 1 or arr.shape[1] < 1:
            raise ValueError(f"X is empty: shape {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError("X contains NaN or infinity")
        if not np.issubdtype(arr.dtype, np.inexact):
            arr = arr.astype(float)
        if reset:
            self.n_features_in_ = arr.shape[1]
        elif arr.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {arr.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input."
            )
        return arr

    def _check_fitted(self) -> None:
        if not hasattr(self, "covariance_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )

    def _location(self, X: NDArray[Any]) -> NDArray[Any]:
        """The mean used for centring (subclasses may constrain it, e.g. to be invariant)."""
        mean: NDArray[Any] = X.mean(axis=0)
        return mean

    # -- fitting ----------------------------------------------------------------------
    def fit(self, X: ArrayLike, y: Any = None) -> Self:
        """Fit the estimator to the snapshots in the rows of ``X`` (``y`` is ignored).

        Parameters
        ----------
        X : array_like, shape (n_samples, n_features)
            Real or complex data.  Not modified.  ``GroupCovariance`` and
            ``SymmetryShrinkage`` also take a ``dask.array`` chunked by rows.
        y : ignored

        Returns
        -------
        self
        """
        if is_dask_array(X):
            raise TypeError(
                f"{type(self).__name__}.fit does not stream a dask array X; pass "
                "X.compute() (a NumPy array) or use an estimator that streams "
                "(GroupCovariance, SymmetryShrinkage)"
            )
        X = self._check_X(X, reset=True)
        if getattr(self, "assume_centered", True):
            location = np.zeros(X.shape[1], dtype=X.dtype)
        else:
            location = self._location(X)
        cov = self._estimate(X - location)
        self.location_ = location
        self._set_covariance(cov)
        return self

    def _estimate(self, X: NDArray[Any]) -> NDArray[Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _set_covariance(self, cov: NDArray[Any]) -> None:
        cov = (cov + cov.conj().T) / 2  # exactly Hermitian; real for real data
        self.covariance_ = cov
        self.precision_ = linalg.pinvh(cov)

    # -- using the fit ----------------------------------------------------------------
    def get_precision(self) -> NDArray[Any]:
        """The precision matrix ``covariance_⁻¹`` (pseudo-inverse when singular)."""
        self._check_fitted()
        precision: NDArray[Any] = self.precision_
        return precision

    def score(self, X_test: ArrayLike, y: Any = None) -> float:
        """Mean Gaussian log-likelihood of ``X_test`` under the fitted model.

        Real data follow :func:`sklearn.covariance.log_likelihood`; complex data the
        circular complex Gaussian (see :func:`gaussian_log_likelihood`).  ``-inf`` when
        the fitted covariance is singular.  A ``dask.array`` ``X_test`` chunked by rows is
        read in one blockwise pass.
        """
        self._check_fitted()
        if is_dask_array(X_test):
            Xd = check_dask_snapshots(X_test, "X_test", size=self.n_features_in_)
            emp = second_moments(Xd, shift=self.location_, name="X_test").covariance()
            return gaussian_log_likelihood(emp, self.precision_)
        X = self._check_X(X_test, reset=False) - self.location_
        emp = X.T @ X.conj() / X.shape[0]  # (1/n) Σ x xᴴ; complex data -> complex likelihood
        return gaussian_log_likelihood(emp, self.precision_)

    def error_norm(
        self,
        comp_cov: ArrayLike,
        norm: str = "frobenius",
        scaling: bool = True,
        squared: bool = True,
    ) -> float:
        """Distance between ``covariance_`` and ``comp_cov`` (as scikit-learn's ``error_norm``).

        ``norm`` is ``"frobenius"`` (``‖Δ‖_F²``) or ``"spectral"`` (``‖Δ‖_2²``, the
        largest squared eigenvalue modulus of the Hermitian part of ``Δ``);
        ``scaling=True`` divides that squared error, for either norm, by ``n_features``
        (as scikit-learn does); ``squared=False`` then takes the square root.
        """
        self._check_fitted()
        ref = np.asarray(comp_cov)
        if ref.shape != self.covariance_.shape:
            raise ValueError(
                f"comp_cov must have shape {self.covariance_.shape}, got {ref.shape}"
            )
        diff = ref - self.covariance_
        if norm == "frobenius":
            err = float(np.sum(np.abs(diff) ** 2))
        elif norm == "spectral":
            err = float(np.max(np.abs(linalg.eigvalsh((diff + diff.conj().T) / 2))) ** 2)
        else:
            raise NotImplementedError(f"norm must be 'frobenius' or 'spectral', got {norm!r}")
        if scaling:
            err /= diff.shape[0]
        return err if squared else float(np.sqrt(err))

    def mahalanobis(self, X: ArrayLike) -> NDArray[Any]:
        """Squared Mahalanobis distance ``(x − μ)ᴴ P (x − μ)`` of each row of ``X``."""
        self._check_fitted()
        Xc = self._check_X(X, reset=False) - self.location_
        d2: NDArray[Any] = np.real(np.einsum("ij,jk,ik->i", Xc.conj(), self.precision_, Xc))
        return d2

    # -- pickling: groups hold construction closures, so store them as text ------------
    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())  # both bases return a dict
        for key in ("group", "group_"):
            g = state.get(key)
            if isinstance(g, PermutationGroup):
                state[key] = _GroupPickle(g)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = {k: (v.restore() if isinstance(v, _GroupPickle) else v) for k, v in state.items()}
        super().__setstate__(state)


class _GroupPickle:
    """A picklable stand-in for a PermutationGroup: its text, or its generators."""

    def __init__(self, group: PermutationGroup) -> None:
        self.expression = group.expression
        self.generators = np.array(group.generators)
        self.degree = group.degree

    def restore(self) -> PermutationGroup:
        if self.expression is not None:
            return parse(self.expression)
        return PermutationGroup(list(self.generators), self.degree)
