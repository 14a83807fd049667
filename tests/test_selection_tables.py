"""The selection tables in the docs are the committed JSON results, rendered."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_selection_tables_match_their_results():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import selection_tables
    finally:
        sys.path.pop(0)
    assert selection_tables.main(["--check"]) == 0, "run python tools/selection_tables.py"
    # every marker pair is present once in its page
    for name, (page, _) in selection_tables.TABLES.items():
        text = page.read_text()
        assert text.count(f"<!-- selection-table {name}:") == 1
        assert text.count(f"<!-- /selection-table {name} -->") == 1
