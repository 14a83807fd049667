"""The algdiv command: version, group describe, and one-line errors with status 2."""

import subprocess
import sys

import pytest

from algdiv import __version__
from algdiv.cli.main import main


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_group_describe(capsys):
    assert main(["group", "describe", "dihedral(16)"]) == 0
    out = capsys.readouterr().out
    assert "dihedral group D_16 on 16 points" in out
    assert "order:    32" in out
    assert "dim C(G): 9" in out
    assert "d_eff:    28.44" in out


def test_group_describe_huge_order(capsys):
    assert main(["group", "describe", "iterated_wreath([2]*10)"]) == 0
    assert "= 2^1023" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["group", "describe", "cyclic(4"], ["group", "describe", "affine(9)"], ["bogus"]])
def test_bad_input_one_line_status_2(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("algdiv: error:")


def test_console_script_runs():
    proc = subprocess.run(
        [sys.executable, "-m", "algdiv.cli.main", "group", "describe", "cyclic(4"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1
