"""fwht runs its many small BLAS products on one thread and restores the caller's setting."""

from __future__ import annotations

import numpy as np
import pytest

threadpoolctl = pytest.importorskip("threadpoolctl")

from algdiv.transforms import fwht, kernels  # noqa: E402


def _blas_threads() -> list[int]:
    return [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]


@pytest.fixture
def two_blas_threads():
    if not _blas_threads():
        pytest.skip("no BLAS library visible to threadpoolctl")
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        yield _blas_threads()


def test_large_fwht_runs_on_one_blas_thread_and_restores(monkeypatch, rng, two_blas_threads):
    seen = []
    inner = kernels._fwht_last

    def spy(x):
        seen.append(_blas_threads())
        return inner(x)

    monkeypatch.setattr(kernels, "_fwht_last", spy)
    x = rng.standard_normal((2, kernels._PIN_MIN_SIZE))
    y = fwht(x)
    assert seen and all(threads == [1] * len(threads) for threads in seen)
    assert _blas_threads() == two_blas_threads  # restored on exit
    # the result is the transform: y = H x / sqrt(N), checked on a few rows of H
    n = x.shape[-1]
    rows = np.array([0, 1, 5, n - 1])
    bits = np.bitwise_and(rows[:, None], np.arange(n)[None, :])
    parity = np.zeros_like(bits)
    while bits.any():  # popcount parity: H[i, j] = (-1)^popcount(i & j)
        parity ^= bits & 1
        bits >>= 1
    H_rows = 1 - 2 * parity
    np.testing.assert_allclose(y[:, rows], x @ H_rows.T / np.sqrt(n), rtol=1e-12, atol=1e-11)


def test_thread_count_restored_when_the_kernel_raises(monkeypatch, rng, two_blas_threads):
    def boom(x):
        raise RuntimeError("inside the kernel")

    monkeypatch.setattr(kernels, "_fwht_last", boom)
    with pytest.raises(RuntimeError, match="inside the kernel"):
        fwht(rng.standard_normal(kernels._PIN_MIN_SIZE))
    assert _blas_threads() == two_blas_threads


def test_small_fwht_leaves_threads_alone(monkeypatch, rng, two_blas_threads):
    seen = []
    inner = kernels._fwht_last

    def spy(x):
        seen.append(_blas_threads())
        return inner(x)

    monkeypatch.setattr(kernels, "_fwht_last", spy)
    fwht(rng.standard_normal(64))
    assert seen == [two_blas_threads]
