"""The two ways of summing the wrapped diagonals in ``_circulant_average`` agree with the
group sum, whichever the degree: the doubled copy ``[A A]`` (below ``_STRIP_DEGREE``) and
the strips of the ``(M + 1)``-wide view (above), each forced on the other's sizes."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import algdiv._circulant_average as circ
from algdiv import reynolds
from algdiv.commutant import project_unchecked
from algdiv.groups import cyclic, dihedral, relabel


def group_sum(A: np.ndarray, m: int, reflections: bool) -> np.ndarray:
    """``(1/|G|) Σ_g A[g][:, g]`` over the rotations (and reflections) of ``Z_M``."""
    i = np.arange(m)
    elements = [(i + k) % m for k in range(m)]
    if reflections:
        elements += [(k - i) % m for k in range(m)]
    out = np.zeros(A.shape, dtype=A.dtype)
    for p in elements:
        out = out + A[..., p[:, None], p[None, :]]
    return out / len(elements)


@pytest.mark.parametrize("strip_degree", [3, 10**9], ids=["strips", "doubled"])
@pytest.mark.parametrize("m", [3, 4, 7, 64, 65, 130, 257])
@pytest.mark.parametrize("which", ["cyclic", "dihedral"])
def test_both_sums_equal_the_group_sum(monkeypatch, strip_degree, m, which):
    monkeypatch.setattr(circ, "_MIN_DEGREE", 3)
    monkeypatch.setattr(circ, "_STRIP_DEGREE", strip_degree)
    G = cyclic(m) if which == "cyclic" else dihedral(m)
    rng = np.random.default_rng(m)
    A = rng.standard_normal((m, m)) + 1j * rng.standard_normal((m, m))
    before = A.copy()
    out = reynolds(A, G)
    np.testing.assert_array_equal(A, before)
    assert_allclose(out, group_sum(A, m, which == "dihedral"), rtol=1e-12, atol=1e-12)
    real = reynolds(A.real, G)
    assert real.dtype == np.float64
    assert_allclose(real, out.real, rtol=1e-12, atol=1e-12)


def test_the_default_degrees_between_the_two_thresholds():
    # D_256 (the benchmark's size) takes the doubled copy by default
    assert circ._MIN_DEGREE <= 256 < circ._STRIP_DEGREE
    m = 256
    A = np.random.default_rng(3).standard_normal((m, m))
    for G in (cyclic(m), dihedral(m)):
        assert circ.circulant_kind(G) is not None
        H = relabel(G, np.arange(m))  # the same group, through the pair-orbit labels
        assert_allclose(reynolds(A, G), project_unchecked(A, H), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.complex64])
def test_single_precision_keeps_its_dtype(dtype):
    m = 200
    G = dihedral(m)
    A = np.random.default_rng(4).standard_normal((m, m)).astype(dtype)
    out = reynolds(A, G)
    assert out.dtype == dtype
    wide = group_sum(A.astype(np.complex128 if dtype == np.complex64 else np.float64), m, True)
    assert_allclose(out, wide, rtol=1e-5, atol=1e-6)


def test_a_non_finite_entry_is_refused_on_both_paths(monkeypatch):
    for strip_degree in (3, 10**9):
        monkeypatch.setattr(circ, "_STRIP_DEGREE", strip_degree)
        A = np.zeros((200, 200))
        A[17, 150] = np.nan
        with pytest.raises(ValueError, match=r"A contains 1 NaN or infinite value\(s\)"):
            reynolds(A, cyclic(200))
