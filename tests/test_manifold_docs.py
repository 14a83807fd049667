"""The examples of docs/manifold.md run, and the gallery table matches the committed JSON."""

import doctest
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_manifold_page_examples_run():
    result = doctest.testfile(
        str(ROOT / "docs" / "manifold.md"), module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
    )
    assert result.attempted >= 10 and result.failed == 0


def test_gallery_table_renders_the_committed_results():
    pytest.importorskip("pywt")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_manifold
    finally:
        sys.path.pop(0)
    payload = json.loads((ROOT / "benchmarks" / "results" / "manifold.json").read_text())
    table = bench_manifold.render_table(payload)
    assert table in (ROOT / "docs" / "gallery.md").read_text()
    assert payload["summary"]["cases"] == len(payload["cases"]) == 18
