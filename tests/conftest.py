"""Shared test helpers: naive oracles that enumerate small groups on purpose."""

from __future__ import annotations

import numpy as np
import pytest

from algdiv.groups import PermutationGroup
from algdiv.groups.permutations import conjugate_matrix


def naive_reynolds(A: np.ndarray, G: PermutationGroup) -> np.ndarray:
    """(1/|G|) Σ_g P_g A P_gᵀ by listing the elements (test oracle only)."""
    elements = G.elements()
    return sum(conjugate_matrix(g, A) for g in elements) / len(elements)


def naive_pair_partition(G: PermutationGroup) -> np.ndarray:
    """Pair-orbit labels from the elements, numbered by first occurrence."""
    m = G.degree
    elements = G.elements()
    labels = -np.ones((m, m), dtype=int)
    nxt = 0
    for i in range(m):
        for j in range(m):
            if labels[i, j] < 0:
                labels[elements[:, i], elements[:, j]] = nxt
                nxt += 1
    return labels


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """Two label arrays describe the same partition (up to renaming)."""
    pairs = set(zip(a.ravel().tolist(), b.ravel().tolist()))
    return len(pairs) == len(np.unique(a)) == len(np.unique(b))


def gaussian_snapshots(R: np.ndarray, n: int, rng: np.random.Generator, complex_data: bool = False) -> np.ndarray:
    """``n`` zero-mean Gaussian snapshots (rows) with covariance ``R`` (circular when complex)."""
    L = np.linalg.cholesky(R)
    z = rng.standard_normal((n, len(R)))
    if complex_data:
        z = (z + 1j * rng.standard_normal((n, len(R)))) / np.sqrt(2)
    return z @ L.T


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the ``algdiv`` command in-process: (exit status, stdout, stderr)."""
    from algdiv.cli.main import main

    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def pytest_configure(config: pytest.Config) -> None:
    """One BLAS thread: on small shared CI machines threaded BLAS makes small eigh calls
    tens of times slower, and the tests use small matrices."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return
    config._algdiv_blas_limit = threadpool_limits(limits=1, user_api="blas")


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


@pytest.fixture
def no_time_override(monkeypatch: pytest.MonkeyPatch):
    """The default time limit for the test (no ``ALGDIV_MAX_TIME``, no ``set_max_time``
    left over), and again after it."""
    from algdiv._limits import set_max_time

    monkeypatch.delenv("ALGDIV_MAX_TIME", raising=False)
    set_max_time(None)
    yield
    set_max_time(None)
