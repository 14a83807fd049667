"""docs/multiway.md runs, and the gallery's multi-way tables render the committed JSON."""

import doctest
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_multiway_page_examples_run():
    result = doctest.testfile(
        str(ROOT / "docs" / "multiway.md"), module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
    )
    assert result.attempted >= 20 and result.failed == 0


def test_gallery_tables_render_the_committed_results():
    spec = importlib.util.spec_from_file_location(
        "gallery_multiway_stap", ROOT / "examples" / "multiway_stap.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    payload = json.loads((ROOT / "benchmarks" / "results" / "multiway.json").read_text())
    assert not payload["quick"] and payload["stap"]["trials"] >= 100
    table = module.table_markdown(payload)
    assert table in (ROOT / "docs" / "gallery.md").read_text()
