"""`algdiv experiment ...` on the command line."""

import json

from algdiv.cli.main import main


def test_adaptive_array_command(tmp_path, capsys):
    out = tmp_path / "r.json"
    fig = tmp_path / "f.png"
    rc = main(["experiment", "adaptive-array", "--M", "8", "--J", "2", "--trials", "20",
               "--json", str(out), "--plot", str(fig), "--no-progress"])
    assert rc == 0
    text = capsys.readouterr().out
    assert "group" in text and "law 2M/d_eff" in text
    data = json.loads(out.read_text())
    assert data["M"] == 8 and data["trials"] == 20 and data["average"] == "linear"
    assert set(data["n_3db"]) == {"sample", "loading", "forward_backward", "group", "shrinkage"}
    assert fig.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_adaptive_array_rogue_and_db(capsys):
    rc = main(["experiment", "adaptive-array", "--M", "8", "--J", "2", "--trials", "5",
               "--rogue", "0.9", "20", "--average", "db", "--fb-exchange", "reflection",
               "--no-progress"])
    assert rc == 0
    assert "rogue=(0.9, 20.0)" in capsys.readouterr().out


def test_bad_settings_exit_2(capsys):
    assert main(["experiment", "adaptive-array", "--M", "15", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("algdiv: error:") and "multiple of J" in err


def test_variance_law_command(capsys):
    assert main(["experiment", "variance-law", "cyclic(8)", "--n", "2", "--trials", "200"]) == 0
    assert "d_eff = 8.0000" in capsys.readouterr().out
    assert main(["experiment", "variance-law", "nonsense(3)"]) == 2
