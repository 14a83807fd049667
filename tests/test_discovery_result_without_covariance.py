"""A Discovery report without its covariance (``covariance=None``, the field's default).

mypy (strict) found that ``Discovery.transform`` passed ``None`` to the Reynolds projection
when the report holds no covariance (an AttributeError); it now derives the group's matched
transform without one, as ``matched_transform(G)`` does.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.testing import assert_allclose

from algdiv import discover, matched_transform


def test_transform_without_covariance_is_the_groups_own():
    # a symmetric circulant: its automorphism group is the dihedral group D_6
    R = np.eye(6) + 0.3 * (np.roll(np.eye(6), 1, axis=1) + np.roll(np.eye(6), -1, axis=1))
    report = discover(R=R)
    assert report.name == "dihedral(6)"
    G = report.group
    bare = dataclasses.replace(report, covariance=None, _transform=None)
    U = bare.transform.matrix
    V = matched_transform(G).matrix
    # the same isotypic structure: U diagonalizes every invariant matrix V does
    C = np.linalg.multi_dot([np.conj(U.T), R, U])
    assert_allclose(C, np.diag(np.diag(C)), rtol=0, atol=1e-10)
    assert U.shape == V.shape == (6, 6)
    assert [(b.dim, b.multiplicity) for b in bare.transform.blocks] == [
        (b.dim, b.multiplicity) for b in matched_transform(G).blocks
    ]
    assert bare.to_dict()["group"] == report.to_dict()["group"]
