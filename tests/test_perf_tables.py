"""The performance tables in README.md and docs/ are the committed benchmark JSON, rendered."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def perf_tables():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import perf_tables
    finally:
        sys.path.pop(0)
    return perf_tables


def test_tables_match_the_results(perf_tables):
    stale = [page.name for page, (old, new) in perf_tables.rendered_pages().items() if old != new]
    assert not stale, f"{stale} out of step with benchmarks/results: run python tools/perf_tables.py"


def test_durations_and_ratios_are_formatted(perf_tables):
    assert perf_tables.t(3.2e-6) == "3.2 µs"
    assert perf_tables.t(0.0123) == "12.3 ms"
    assert perf_tables.t(45.6) == "45.6 s"
    assert perf_tables.speed(1.0, 818.0) == "818× faster"
    assert perf_tables.speed(1.0, 3.0) == "3.0× faster"
    assert perf_tables.speed(1.16, 1.0) == "1.16× the peer's time"


def test_missing_markers_are_reported(perf_tables):
    with pytest.raises(ValueError, match="markers of table 'readme'"):
        perf_tables.render("no markers here", "readme", ["| a |"])
