"""group_average, sample_covariance and delay_embed: exact facts and errors."""

import numpy as np
import pytest

from algdiv import group_average, is_invariant, reynolds
from algdiv.estimation import delay_embed, sample_covariance
from algdiv.groups import cyclic, dihedral, iterated_wreath, symmetric, trivial

from .conftest import naive_reynolds
from .test_groups import CATALOGUE_IDS, small_catalogue


def _snapshots(rng, n, m, complex_=True):
    X = rng.standard_normal((n, m))
    if complex_:
        X = X + 1j * rng.standard_normal((n, m))
    return X


def test_sample_covariance_is_mean_of_outer_products(rng):
    X = _snapshots(rng, 7, 5)
    expected = sum(np.outer(x, x.conj()) for x in X) / 7
    np.testing.assert_allclose(sample_covariance(X), expected, atol=1e-13)
    # numpy.cov (rows of X.T are variables) centres: same as assume_centered=False
    np.testing.assert_allclose(
        sample_covariance(X, assume_centered=False), np.cov(X, rowvar=False, bias=True), atol=1e-13
    )


@pytest.mark.parametrize("G", small_catalogue(), ids=CATALOGUE_IDS)
def test_group_average_equals_naive_group_sum_of_S(G, rng):
    for complex_ in (False, True):
        X = _snapshots(rng, 3, G.degree, complex_)
        S = sum(np.outer(x, x.conj()) for x in X) / 3
        out = group_average(X, G)
        np.testing.assert_allclose(out, naive_reynolds(S, G), rtol=1e-9, atol=1e-12)
        assert np.iscomplexobj(out) == complex_


def test_trivial_group_reproduces_S(rng):
    X = _snapshots(rng, 4, 6)
    np.testing.assert_allclose(group_average(X, trivial(6)), sample_covariance(X), atol=0)


def test_average_of_snapshots_is_mean_of_single_snapshot_averages(rng):
    # Φ_G(S) = (1/n) Σ_k F_G(x_k), F_G(x) = Φ_G(x xᴴ)
    G = dihedral(8)
    X = _snapshots(rng, 5, 8)
    singles = [group_average(x, G) for x in X]
    np.testing.assert_allclose(group_average(X, G), np.mean(singles, axis=0), atol=1e-13)


@pytest.mark.parametrize(
    "G", [cyclic(8), dihedral(8), symmetric(8), iterated_wreath([2, 2, 2])], ids=str
)
def test_estimate_is_hermitian_psd_invariant(G, rng):
    X = _snapshots(rng, 2, 8)
    R = group_average(X, G)
    np.testing.assert_allclose(R, R.conj().T, atol=0)
    assert np.linalg.eigvalsh(R).min() > -1e-12
    assert is_invariant(R, G)


def test_one_snapshot_full_rank_under_regular_action(rng):
    # Z_M acts regularly: n·|G| = M suffices for full rank from one snapshot.
    x = _snapshots(rng, 1, 16)
    assert np.linalg.matrix_rank(group_average(x, cyclic(16))) == 16
    assert np.linalg.matrix_rank(group_average(x, trivial(16))) == 1


def test_huge_group_is_never_enumerated(rng):
    G = iterated_wreath([2] * 9)  # order 2^511 on 512 points
    X = _snapshots(rng, 2, 512, complex_=False)
    R = group_average(X, G)
    np.testing.assert_allclose(R, reynolds(sample_covariance(X), G), rtol=1e-9, atol=1e-12)


def test_input_not_modified(rng):
    X = _snapshots(rng, 3, 5)
    before = X.copy()
    group_average(X, cyclic(5), assume_centered=False)
    np.testing.assert_array_equal(X, before)


@pytest.mark.parametrize(
    "X, match",
    [
        (np.ones((2, 3, 3)), "must be \\(n_samples, M\\)"),
        (np.ones((0, 4)), "empty"),
        (np.array([[1.0, np.nan, 0.0, 1.0]]), "NaN"),
        (np.ones((2, 5)), "5 features but the group acts on 4"),
    ],
)
def test_group_average_errors(X, match):
    with pytest.raises(ValueError, match=match):
        group_average(X, cyclic(4))


def test_group_average_rejects_non_group():
    with pytest.raises(TypeError, match="PermutationGroup"):
        group_average(np.ones((2, 4)), 4)


def test_delay_embed_windows():
    s = np.arange(10) + 1j * np.arange(10)
    out = delay_embed(s, 4, step=3)
    expected = np.array([s[k : k + 4] for k in range(0, 7, 3)])
    np.testing.assert_array_equal(out, expected)
    out[0, 0] = 99  # a fresh array, not a view of s
    assert s[0] == 0


def test_delay_embed_of_periodic_stream_has_circulant_covariance(rng):
    # A stream periodic with period M, embedded with all M shifts: the snapshots are
    # exactly the cyclic shifts of one window, so S is already Z_M-invariant.
    period = rng.standard_normal(6)
    s = np.tile(period, 3)
    X = delay_embed(s, 6)[:6]
    S = sample_covariance(X)
    assert is_invariant(S, cyclic(6))


@pytest.mark.parametrize(
    "args, exc, match",
    [
        (([[1.0, 2.0]], 1), ValueError, "1-D"),
        (([1.0, 2.0], 3), ValueError, "longer than the stream"),
        (([1.0, 2.0], 0), ValueError, "at least 1"),
        (([1.0, 2.0], 1.5), TypeError, "int"),
        (([1.0, np.inf], 1), ValueError, "NaN or infinite"),
    ],
)
def test_delay_embed_errors(args, exc, match):
    with pytest.raises(exc, match=match):
        delay_embed(*args)
