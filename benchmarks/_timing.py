"""Helpers shared by the benchmark scripts: best-of-N wall time, JSON output, naive peers."""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"


def best_time(fn: Callable[[], object], repeat: int = 5, min_time: float = 0.05) -> float:
    """Best wall time of one call over ``repeat`` rounds (each round loops to ``min_time``)."""
    best = float("inf")
    for _ in range(repeat):
        n, start = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        best = min(best, elapsed / n)
    return best


def machine() -> dict:
    import scipy

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "machine": platform.machine(),
        "processor": platform.processor() or "unknown",
    }


def write_results(name: str, payload: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"benchmark": name, "machine": machine(), **payload}
    path.write_text(json.dumps(payload, indent=2) + "\n")
    return path


def naive_matrix_sum(A: np.ndarray, mats: np.ndarray) -> np.ndarray:
    """The textbook Reynolds operator: (1/|G|) Σ_g P_g A P_gᵀ over dense permutation matrices."""
    acc = np.zeros_like(A)
    for P in mats:
        acc += P @ A @ P.T
    return acc / len(mats)


def naive_index_sum(A: np.ndarray, elements: np.ndarray) -> np.ndarray:
    """The same sum by fancy indexing, one element at a time (a stronger naive peer)."""
    from algdiv.groups.permutations import conjugate_matrix

    acc = np.zeros_like(A)
    for g in elements:
        acc += conjugate_matrix(g, A)
    return acc / len(elements)


def paired(ours_fn, peer_fn, repeat: int, min_time: float = 0.05) -> tuple[float, float]:
    """Best times of two functions measured in alternating rounds (drift hits both)."""
    ours = peer = float("inf")
    for _ in range(repeat):
        ours = min(ours, best_time(ours_fn, repeat=1, min_time=min_time))
        peer = min(peer, best_time(peer_fn, repeat=1, min_time=min_time))
    return ours, peer


def row(name: str, size: str, ours: float, peer: float, peer_name: str, target: float | None,
        floor: float | None = None) -> dict:
    ratio = ours / peer
    return {
        "case": name,
        "size": size,
        "algdiv_s": ours,
        "peer": peer_name,
        "peer_s": peer,
        "ratio": ratio,
        "copy_s": floor,
        "ratio_to_copy": None if floor is None else ours / floor,
        "target_ratio": target,
        "meets_target": None if target is None else bool(ratio <= target),
    }
