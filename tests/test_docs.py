"""The docs stay true: every public name is in the API reference, every page linked exists."""

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _modules():
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from build_api_docs import MODULES
    finally:
        sys.path.pop(0)
    return MODULES


@pytest.mark.parametrize("module_name", _modules())
def test_every_public_name_is_in_the_api_reference(module_name):
    api = (DOCS / "api.md").read_text()
    module = importlib.import_module(module_name)
    section = api.split(f"## `{module_name}`")
    assert len(section) == 2, f"{module_name} has no section in docs/api.md (run tools/build_api_docs.py)"
    body = section[1].split("\n## ")[0]
    for name in getattr(module, "__all__", []):
        if not name.startswith("__"):
            assert f"**`{name}" in body, f"{module_name}.{name} missing from docs/api.md"


@pytest.mark.parametrize("page", sorted(p.name for p in DOCS.glob("*.md")) + ["../README.md"])
def test_relative_links_resolve(page):
    text = (DOCS / page).read_text()
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
        assert (DOCS / page).parent.joinpath(target).resolve().exists(), f"{page} links to {target}"


def test_readme_commands_match_ci():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_cmd = next(line for line in ci.splitlines() if "pytest" in line and not line.startswith("#"))
    assert test_cmd.strip() in readme
    assert "algdiv demo" in readme
