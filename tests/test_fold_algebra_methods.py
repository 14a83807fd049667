"""A dihedral fold answers the CommutantAlgebra methods (project, contains)."""

import numpy as np
from numpy.testing import assert_allclose

from algdiv.transforms import dihedral_fold


def test_fold_projects_onto_its_span_and_contains_its_elements():
    F = dihedral_fold(6, "dct2")
    r = np.random.default_rng(0).standard_normal(F.period // 2 + 1)
    C = F.element(r)
    assert F.contains(C)
    assert_allclose(F.project(C), C, rtol=1e-10, atol=1e-12)
    A = np.random.default_rng(1).standard_normal((6, 6))
    P = F.project(A)
    assert_allclose(F.project(P), P, rtol=1e-10, atol=1e-12)  # a projection
    assert not F.contains(A)
