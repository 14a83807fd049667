"""The main job end to end: demo, discover on every file type, transform, and bad input."""

import json
import subprocess
import sys

import numpy as np
import pytest

from algdiv.datasets import hidden_symmetry

from .conftest import run_cli as run


def test_demo_recovers_the_hidden_group_and_draws(tmp_path, capsys):
    fig, report = tmp_path / "demo.png", tmp_path / "demo.json"
    code, out, err = run(["demo", "--plot", str(fig), "--json", str(report)], capsys)
    assert code == 0, err
    assert "dihedral(16) (up to relabelling)" in out
    assert "Recovered the hidden symmetry: yes" in out
    assert fig.stat().st_size > 10_000
    data = json.loads(report.read_text())
    assert data["group"]["order"] == 32


@pytest.fixture(scope="module")
def snapshots():
    return hidden_symmetry("dihedral(8)", n_samples=800, rng=3)


@pytest.mark.parametrize("suffix", [".npy", ".npz", ".csv", ".txt"])
def test_discover_each_file_type(tmp_path, capsys, snapshots, suffix):
    path = tmp_path / f"x{suffix}"
    X = snapshots.X
    if suffix == ".npy":
        np.save(path, X)
    elif suffix == ".npz":
        np.savez(path, X=X)
    else:
        np.savetxt(path, X, delimiter="," if suffix == ".csv" else " ")
    out_json = tmp_path / "r.json"
    code, out, err = run(["discover", str(path), "--json", str(out_json)], capsys)
    assert code == 0, err
    assert "Matched group" in out
    report = json.loads(out_json.read_text())
    assert {"group", "delta", "alpha"} <= set(report)
    assert report["group"]["order"] == 16  # D_8, hidden by a relabelling


def test_discover_columns_covariance_and_ambient(tmp_path, capsys, snapshots):
    path = tmp_path / "xt.npy"
    np.save(path, snapshots.X.T)
    code, out, _ = run(["discover", str(path), "--columns-are-snapshots"], capsys)
    assert code == 0 and "order 16" in out
    cov = tmp_path / "r.npy"
    np.save(cov, snapshots.covariance)
    code, out, _ = run(["discover", str(cov), "--covariance"], capsys)
    assert code == 0 and "order 16" in out
    # Inside an ambient group that does not contain the hidden relabelled group.
    code, out, _ = run(
        ["discover", str(cov), "--covariance", "--n-samples", "800", "--ambient", "dihedral(8)"],
        capsys,
    )
    assert code == 0 and "ambient" in out


def test_transform_command_matches_the_library(tmp_path, capsys, rng):
    import scipy.fft

    X = rng.standard_normal((3, 8))
    src, dst = tmp_path / "x.npy", tmp_path / "y.npy"
    np.save(src, X)
    code, out, err = run(["transform", "--group", "cyclic(8)", str(src), "-o", str(dst)], capsys)
    assert code == 0, err
    np.testing.assert_allclose(np.load(dst), scipy.fft.fft(X, norm="ortho", axis=-1), rtol=1e-9, atol=1e-12)
    back = tmp_path / "back.npy"
    code, _, _ = run(["transform", "--group", "cyclic(8)", str(dst), "--inverse", "-o", str(back)], capsys)
    assert code == 0
    np.testing.assert_allclose(np.load(back), X, rtol=1e-9, atol=1e-12)


def _write(path, content):
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


@pytest.mark.parametrize(
    "name, content, extra, message",
    [
        ("missing.npy", None, [], "no such file"),
        ("empty.csv", "", [], "the file is empty"),
        ("garbage.npy", b"not numpy", [], "not a valid .npy file"),
        ("ragged.csv", "1,2,3\n4,5\n", [], "number of columns changed"),
        ("nan.txt", "1 2\nnan 3\n", [], "NaN"),
        ("data.json", "{}", [], "unsupported file type"),
        ("one.csv", "1\n2\n3\n", [], "need at least 2"),
        ("cube.npy", "cube", [], "expected a 2-D array"),
        ("r.txt", "1 2\n0 1\n", ["--covariance"], "not Hermitian"),
        ("x.txt", "1 2\n3 4\n", ["--ambient", "cyclic(3"], "cannot parse group"),
        ("x.txt", "1 2\n3 4\n", ["--ambient", "cyclic(3)"], "3 points"),
        ("x.txt", "1 2\n3 4\n", ["--n-samples", "5"], "only goes with --covariance"),
    ],
)
def test_discover_bad_input_one_line_exit_2(tmp_path, capsys, name, content, extra, message):
    path = tmp_path / name
    if content == "cube":
        np.save(path, np.zeros((2, 2, 2)))
    elif content is not None:
        _write(path, content)
    code, out, err = run(["discover", str(path), *extra], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("algdiv: error:"), err
    assert message in lines[0]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["transform", "--group", "cyclic(5)", "X"], "no such file"),
        (["transform", "X"], "required"),
        (["discover"], "required"),
        (["demo", "--group", "nonsense(3)"], "unknown group"),
    ],
)
def test_other_bad_invocations(tmp_path, capsys, argv, message):
    argv = [str(tmp_path / "x.npy") if a == "X" else a for a in argv]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and message in err


def test_transform_degree_mismatch(tmp_path, capsys):
    path = tmp_path / "x.npy"
    np.save(path, np.ones((2, 6)))
    code, _, err = run(["transform", "--group", "cyclic(8)", str(path)], capsys)
    assert code == 2 and "length 6 but cyclic group Z_8 on 8 points acts on 8 points" in err


def test_no_traceback_from_the_console_script(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "algdiv.cli.main", "discover", str(tmp_path / "none.csv")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
