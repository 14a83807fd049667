"""The declared dependency floors hold: every module imports and the optional integrations
are live (CI runs this file on the newest releases and on the minimum versions pinned in
ci/constraints-min.txt)."""

from __future__ import annotations

import importlib
import pkgutil
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

import algdiv

ROOT = Path(__file__).resolve().parents[1]


def _all_modules() -> list[str]:
    return sorted(
        info.name for info in pkgutil.walk_packages(algdiv.__path__, prefix="algdiv.")
    )


@pytest.mark.parametrize("name", _all_modules())
def test_every_module_imports(name):
    module = importlib.import_module(name)
    for public in getattr(module, "__all__", []):
        assert hasattr(module, public), f"{name}.__all__ names {public!r}, which is not defined"


def _floor(package: str) -> tuple[int, ...]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = deps["dependencies"] + [r for g in deps["optional-dependencies"].values() for r in g]
    for req in reqs:
        match = re.match(rf"^{re.escape(package)}\s*>=\s*([0-9.]+)", req, re.IGNORECASE)
        if match:
            return tuple(int(p) for p in match[1].split("."))
    raise AssertionError(f"{package} has no floor in pyproject.toml")


def _version(module) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", module.__version__)[:3])


@pytest.mark.parametrize("package, module", [
    ("numpy", "numpy"), ("scipy", "scipy"), ("sympy", "sympy"), ("scikit-learn", "sklearn"),
    ("threadpoolctl", "threadpoolctl"),
])
def test_installed_versions_meet_the_declared_floors(package, module):
    floor = _floor(package)
    installed = _version(importlib.import_module(module))
    assert installed[: len(floor)] >= floor, f"{module} {installed} is below the floor {floor}"


def test_estimators_are_scikit_learn_estimators():
    # with scikit-learn installed the estimators must be scikit-learn's (clone, pipelines,
    # NotFittedError) whatever its version above the floor, not the stand-in base
    from sklearn.base import BaseEstimator, clone
    from sklearn.exceptions import NotFittedError

    from algdiv.estimation import GroupCovariance

    est = GroupCovariance("cyclic", assume_centered=True)
    assert isinstance(est, BaseEstimator)
    cloned = clone(est)
    assert cloned is not est and cloned.get_params() == est.get_params()
    with pytest.raises(NotFittedError):
        est.score(np.ones((2, 4)))


def test_spherical_harmonics_agree_with_this_scipy():
    # sphere.py calls sph_harm_y (SciPy >= 1.15) or the old sph_harm with swapped
    # arguments; either way Y_1^1(theta, phi) = -sqrt(3/(8 pi)) sin(theta) e^{i phi}
    from algdiv.transforms import spherical_harmonics

    theta, phi = 0.9, 2.3
    Y = spherical_harmonics(theta, phi, 1)
    expected = -np.sqrt(3 / (8 * np.pi)) * np.sin(theta) * np.exp(1j * phi)
    np.testing.assert_allclose(Y[3], expected, rtol=1e-13, atol=0)
