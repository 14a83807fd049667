"""RelaxedTransform's hv-block folds: the gap around each held-out block, found for delay embeddings."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.fft
import scipy.linalg
from numpy.lib.stride_tricks import sliding_window_view
from numpy.testing import assert_allclose

from algdiv.transforms import BasisGeodesic, RelaxedTransform
from algdiv.transforms.manifold import _delay_gap


def windows(signal: np.ndarray, m: int, stride: int) -> np.ndarray:
    return sliding_window_view(signal, m)[::stride]


def dct_basis(m: int) -> np.ndarray:
    return scipy.fft.dct(np.eye(m), type=2, norm="ortho", axis=0).T


@pytest.mark.parametrize("stride", [1, 2, 3, 5, 7])
def test_delay_gap_counts_the_rows_that_share_a_sample(stride):
    m = 8
    X = windows(np.random.default_rng(stride).standard_normal(400), m, stride)
    gap = _delay_gap(X)
    # brute force: the largest row distance at which two windows still share a sample
    starts = stride * np.arange(X.shape[0])
    overlap = [d for d in range(1, X.shape[0]) if starts[d] - starts[0] < m]
    assert gap == max(overlap)


def test_delay_gap_is_zero_for_rows_that_are_not_overlapping_windows():
    g = np.random.default_rng(1)
    assert _delay_gap(g.standard_normal((50, 8))) == 0
    assert _delay_gap(windows(g.standard_normal(400), 8, 8)) == 0  # disjoint windows
    X = windows(g.standard_normal(400), 8, 1).copy()
    X[20, 0] += 1e-9  # one sample out of step: not a delay embedding
    assert _delay_gap(X) == 0
    assert _delay_gap(X[:1]) == 0


def hv_block_scores(X: np.ndarray, U0: np.ndarray, grid: np.ndarray, folds: int, gap: int) -> np.ndarray:
    """An independent hv-block cross-validation: pooled held-out coding gain (dB) along the geodesic."""
    n, m = X.shape
    energy = np.zeros((len(grid), m))
    for held in np.array_split(np.arange(n), folds):
        train = [i for i in range(n) if i < held[0] - gap or i > held[-1] + gap]
        xt = X[train] - X[train].mean(axis=0)
        xv = X[held] - X[train].mean(axis=0)
        w, v = np.linalg.eigh(xt.T @ xt / len(train))
        geo = BasisGeodesic(U0, v[:, ::-1])
        for b, t in enumerate(grid):
            energy[b] += np.sum((xv @ geo(float(t))) ** 2, axis=0)
    return np.array([10 * np.log10(e.mean() / np.exp(np.mean(np.log(e)))) for e in energy])


def test_fold_scores_match_an_independent_hv_block_cross_validation():
    m = 8
    s = np.convolve(np.random.default_rng(2).standard_normal(300), np.ones(4) / 2, mode="valid")
    X = windows(s, m, 1)
    rt = RelaxedTransform(start=dct_basis(m)).fit(X)
    assert rt.gap_ == m - 1 and rt.n_folds_used_ == 5
    want = hv_block_scores(X, dct_basis(m), rt.t_grid_, 5, m - 1)
    assert_allclose(rt.cv_coding_gain_db_[0], want, rtol=1e-10, atol=1e-10)
    # gap=0 is the plain blocked cross-validation, and it differs on overlapping windows
    rt0 = RelaxedTransform(start=dct_basis(m), gap=0).fit(X)
    assert rt0.gap_ == 0
    assert_allclose(rt0.cv_coding_gain_db_[0], hv_block_scores(X, dct_basis(m), rt.t_grid_, 5, 0), rtol=1e-10)
    assert not np.allclose(rt0.cv_coding_gain_db_, rt.cv_coding_gain_db_)
    # an explicit gap on rows that are not windows is honoured as given
    Y = np.random.default_rng(3).standard_normal((60, m))
    rt3 = RelaxedTransform(start=dct_basis(m), gap=3).fit(Y)
    assert rt3.gap_ == 3
    assert_allclose(rt3.cv_coding_gain_db_[0], hv_block_scores(Y, dct_basis(m), rt.t_grid_, 5, 3), rtol=1e-10)


def test_without_fold_evidence_the_start_is_kept():
    # M windows of length M: every row shares samples with every other, no fold can train
    m = 16
    X = windows(np.random.default_rng(4).standard_normal(2 * m - 1), m, 1)
    X0 = X.copy()
    rt = RelaxedTransform(start=dct_basis(m)).fit(X)
    assert np.array_equal(X, X0)
    assert rt.n_folds_used_ == 0 and rt.t_ == 0.0
    assert np.all(np.isnan(rt.cv_coding_gain_db_))
    assert_allclose(rt.components_, dct_basis(m), atol=1e-12)


def test_the_gap_removes_the_leak_that_favours_the_sample_klt():
    # a white signal: every orthonormal basis codes it alike (0 dB expected), so any held-out
    # gain of the sample KLT over the DCT is leakage; with the gap the folds must not see one
    m = 16
    gains, gains0 = [], []
    for seed in range(6):
        X = windows(np.random.default_rng(10 + seed).standard_normal(4 * m + m - 1), m, 1)
        cv = RelaxedTransform(start=dct_basis(m), rule="best").fit(X).cv_coding_gain_db_[0]
        cv0 = RelaxedTransform(start=dct_basis(m), rule="best", gap=0).fit(X).cv_coding_gain_db_[0]
        gains.append(cv[-1] - cv[0])
        gains0.append(cv0[-1] - cv0[0])
    assert np.mean(gains) < np.mean(gains0)


@pytest.mark.parametrize("gap", [-1, 1.5, "none", True])
def test_gap_is_checked(gap):
    X = np.random.default_rng(0).standard_normal((40, 4))
    with pytest.raises(ValueError, match="gap must be 'auto' or an integer >= 0"):
        RelaxedTransform(start="dct2", gap=gap).fit(X)


def test_without_fold_evidence_a_start_fixed_before_the_data_is_kept():
    m = 12
    X = windows(np.random.default_rng(5).standard_normal(2 * m - 1), m, 1)
    rt = RelaxedTransform(start=("group", dct_basis(m)), random_state=0).fit(X)
    assert rt.n_folds_used_ == 0 and rt.t_ == 0.0
    assert rt.start_ == "basis"
    assert_allclose(rt.components_, dct_basis(m), atol=1e-12)


# -- the learning-curve extrapolation ------------------------------------------------------
def pooled_gain(energy: np.ndarray) -> np.ndarray:
    return np.array([10 * np.log10(e.mean() / np.exp(np.mean(np.log(e)))) for e in energy])


def extrapolated_scores(X, U0, grid, folds, gap):
    """Independent: held-out gains from all other rows (n1) and from alternate halves (n2), to n."""
    n, m = X.shape
    blocks = np.array_split(np.arange(n), folds)

    def energies(train, held):
        mu = X[train].mean(axis=0)
        xt, xv = X[train] - mu, X[held] - mu
        v = np.linalg.eigh(xt.T @ xt / len(train))[1][:, ::-1]
        geo = BasisGeodesic(U0, v)
        return np.array([np.sum((xv @ geo(float(t))) ** 2, axis=0) for t in grid])

    e1, e2, n1, n2 = 0.0, 0.0, [], []
    for k, held in enumerate(blocks):
        train = [i for i in range(n) if i < held[0] - gap or i > held[-1] + gap]
        others = [j for j in range(folds) if j != k]
        halves = [sorted(set(np.concatenate([blocks[j] for j in others[h::2]])) & set(train)) for h in (0, 1)]
        e1 = e1 + energies(train, held)
        e2 = e2 + (energies(halves[0], held) + energies(halves[1], held)) / 2
        n1.append(len(train))
        n2.append((len(halves[0]) + len(halves[1])) / 2)
    g1, g2 = pooled_gain(e1), pooled_gain(e2)
    a, b = np.mean(n1), np.mean(n2)
    return g1 + (g1 - g2) * (1 / a - 1 / n) / (1 / b - 1 / a), min(n2)


def test_extrapolated_scores_match_an_independent_computation():
    m = 8
    s = np.convolve(np.random.default_rng(6).standard_normal(700), np.ones(3), mode="valid")
    X = windows(s, m, 1)
    rt = RelaxedTransform(start=dct_basis(m), extrapolate=True).fit(X)
    want, smallest_half = extrapolated_scores(X, dct_basis(m), rt.t_grid_, 5, m - 1)
    assert smallest_half >= 2 * m and rt.extrapolated_
    assert_allclose(rt.cv_extrapolated_db_[0], want, rtol=1e-10, atol=1e-10)
    # the pooled fold gains themselves are unchanged by the option
    plain = RelaxedTransform(start=dct_basis(m)).fit(X)
    assert plain.cv_extrapolated_db_ is None and not plain.extrapolated_
    assert_allclose(rt.cv_coding_gain_db_, plain.cv_coding_gain_db_, rtol=1e-12)


def test_extrapolation_moves_toward_the_klt_when_more_rows_help():
    # held-out gain rises with the training size (AR(1), KLT noise ~ 1/n), so the curve
    # extrapolated to all n rows lies above the fold curve at t = 1, where the KLT is
    R = scipy.linalg.toeplitz(0.9 ** np.arange(8))
    X = np.random.default_rng(7).standard_normal((400, 8)) @ np.linalg.cholesky(R).T
    rt = RelaxedTransform(start="dct2", extrapolate=True, gap=0).fit(X)
    assert rt.extrapolated_
    assert rt.cv_extrapolated_db_[0, -1] > rt.cv_coding_gain_db_[0, -1]


def test_extrapolation_needs_halves_of_two_m_rows():
    m = 16
    X = windows(np.random.default_rng(8).standard_normal(4 * m + m - 1), m, 1)
    rt = RelaxedTransform(start=dct_basis(m), extrapolate=True).fit(X)
    assert not rt.extrapolated_ and rt.cv_extrapolated_db_ is None
    plain = RelaxedTransform(start=dct_basis(m)).fit(X)
    assert rt.t_ == plain.t_


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_extrapolate_is_checked(value):
    X = np.random.default_rng(0).standard_normal((40, 4))
    with pytest.raises(ValueError, match="extrapolate must be True or False"):
        RelaxedTransform(start="dct2", extrapolate=value).fit(X)
