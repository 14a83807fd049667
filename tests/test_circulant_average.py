"""The cyclic and dihedral groups' label-free Reynolds projection against the group sum.

``reynolds`` takes a dedicated path for ``cyclic(M)`` and ``dihedral(M)`` in natural order
(wrapped-diagonal sums through a strided view of ``A``).  The reference is the definition,
``(1/|G|) Σ_g A[g⁻¹][:, g⁻¹]`` over the ``M`` rotations (and ``M`` reflections), and the
general pair-orbit mean (a relabelled copy of the group has no closed form).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import algdiv._circulant_average as circ
from algdiv import reynolds
from algdiv._circulant_average import circulant_kind
from algdiv.commutant import project_unchecked
from algdiv.groups import cyclic, dihedral, relabel


def _group_sum(A: np.ndarray, m: int, reflections: bool) -> np.ndarray:
    i = np.arange(m)
    elements = [(i + k) % m for k in range(m)]
    if reflections:
        elements += [(k - i) % m for k in range(m)]
    out = np.zeros_like(A)
    for p in elements:
        out = out + A[..., p[:, None], p[None, :]]
    return out / len(elements)


SIZES = [3, 4, 5, 8, 31, 63, 64, 65, 66, 129, 200]  # around the 64-row blocks of the view


@pytest.fixture
def every_degree(monkeypatch):
    """The path for small degrees too (by default the label path is used below 400)."""
    monkeypatch.setattr(circ, "_MIN_DEGREE", 3)


def test_the_path_is_taken_from_its_minimum_degree():
    assert circulant_kind(cyclic(circ._MIN_DEGREE)) == "cyclic"
    assert circulant_kind(dihedral(circ._MIN_DEGREE + 1)) == "dihedral"
    assert circulant_kind(cyclic(circ._MIN_DEGREE - 1)) is None
    m = 512
    A = np.random.default_rng(1).standard_normal((m, m))
    for G in (cyclic(m), dihedral(m)):
        H = relabel(G, np.arange(m))
        assert_allclose(reynolds(A, G), project_unchecked(A, H), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("m", SIZES)
@pytest.mark.parametrize("which", ["cyclic", "dihedral"])
@pytest.mark.parametrize("kind", ["real", "complex"])
def test_circulant_path_equals_the_group_sum(m, which, kind, every_degree):
    G = cyclic(m) if which == "cyclic" else dihedral(m)
    assert circulant_kind(G) == which
    rng = np.random.default_rng(m)
    A = rng.standard_normal((m, m))
    if kind == "complex":
        A = A + 1j * rng.standard_normal((m, m))
    before = A.copy()
    out = reynolds(A, G)
    np.testing.assert_array_equal(A, before)
    assert out.dtype == A.dtype
    assert_allclose(out, _group_sum(A, m, which == "dihedral"), rtol=1e-12, atol=1e-12)
    # the general pair-orbit mean of the same group (no closed form after a relabelling)
    H = relabel(G, np.arange(m))
    assert circulant_kind(H) is None
    assert_allclose(out, project_unchecked(A, H), rtol=1e-12, atol=1e-12)


def test_circulant_path_batch_and_non_contiguous_input(every_degree):
    rng = np.random.default_rng(5)
    A = rng.standard_normal((2, 3, 70, 70))
    for G, refl in ((cyclic(70), False), (dihedral(70), True)):
        assert_allclose(reynolds(A, G), _group_sum(A, 70, refl), rtol=1e-12, atol=1e-12)
        At = np.swapaxes(A, -1, -2)  # a non-contiguous view
        assert_allclose(reynolds(At, G), _group_sum(At, 70, refl), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("G", [cyclic(130), dihedral(130)], ids=["cyclic", "dihedral"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_non_finite_entry_anywhere_is_refused(G, bad, every_degree):
    for i, j in [(0, 0), (129, 129), (5, 77), (129, 0), (64, 65)]:
        A = np.ones((130, 130))
        A[i, j] = bad
        with pytest.raises(ValueError, match=r"A contains 1 NaN or infinite value\(s\)"):
            reynolds(A, G)
