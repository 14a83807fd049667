"""Start-up cost: what ``algdiv --version``, ``--help`` and ``import algdiv`` load.

Checked in a fresh interpreter through ``sys.modules`` (no wall-clock assert; the times
are in benchmarks/bench_startup.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("scipy", "sympy", "matplotlib", "sklearn", "pywt", "tqdm")


def loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["group", "--help"],
                                  ["discover", "--help"]])
def test_version_and_help_import_no_numpy(argv):
    code = (
        "import sys, io, contextlib\nfrom algdiv.cli.main import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    try:\n"
        f"        main({argv!r})\n"
        "    except SystemExit:\n"
        "        pass\n"
        "assert buf.getvalue(), 'nothing printed'"
    )
    loaded = loaded_after(code)
    assert "numpy" not in loaded
    assert not loaded & set(HEAVY)


def test_import_algdiv_loads_nothing_heavier_than_numpy():
    loaded = loaded_after("import algdiv")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_names_load_on_first_use():
    loaded = loaded_after("import algdiv\nalgdiv.reynolds\nalgdiv.groups.cyclic(4)")
    assert "numpy" in loaded and "matplotlib" not in loaded and "sklearn" not in loaded
    loaded = loaded_after("from algdiv import discover")
    assert "scipy" in loaded


def test_every_public_name_resolves():
    import algdiv

    for name in algdiv.__all__:
        assert getattr(algdiv, name) is not None, name
    assert set(algdiv.__all__) <= set(dir(algdiv))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        algdiv.nope  # noqa: B018
    from algdiv import GroupCovariance, discover  # noqa: F401
