"""The examples of docs/scale.md run, and its results block matches the committed JSON."""

import doctest
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_scale_page_examples_run():
    result = doctest.testfile(
        str(ROOT / "docs" / "scale.md"), module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
    )
    assert result.attempted >= 3 and result.failed == 0


def test_scale_tables_render_the_committed_results():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import scale_tables
    finally:
        sys.path.pop(0)
    data = json.loads((ROOT / "benchmarks" / "results" / "scale.json").read_text())
    block = "\n".join(scale_tables.render(data))
    page = (ROOT / "docs" / "scale.md").read_text()
    assert block in page  # the page shows exactly the committed numbers
    for op, fit in data["exponents"].items():
        assert f"`{op}`" in block and f"{fit['time']:.2f}" in block
    for row in data["rows"]:
        assert row["op"].split(": ")[-1] in block
