"""New command-line features: estimate, discover --seed and its versioned JSON, .mat and
complex-pair inputs, progress bars and --quiet."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from .conftest import run_cli as run


@pytest.fixture(scope="module")
def hidden():
    from algdiv.datasets import hidden_symmetry

    return hidden_symmetry("dihedral(12)", n_samples=600, rng=5)


# -- estimate ----------------------------------------------------------------------------


def test_estimate_is_the_group_average_of_the_centred_sample_covariance(tmp_path, capsys, hidden):
    from algdiv import reynolds

    X = hidden.X
    src, dst = tmp_path / "x.csv", tmp_path / "r.npy"
    np.savetxt(src, X, delimiter=",")
    text = hidden.group
    # the group as from_generators text, as discover --json writes it
    from algdiv.cli._schema import group_text

    code, out, err = run(["estimate", str(src), "--group", group_text(text), "-o", str(dst)], capsys)
    assert code == 0, err
    R = np.load(dst)
    Xc = X - X.mean()  # the invariant mean of a transitive group is the grand mean
    S = Xc.T @ Xc / X.shape[0]
    np.testing.assert_allclose(R, reynolds(S, hidden.group), rtol=1e-10, atol=1e-12)
    assert "group average" in out


def test_estimate_shrinkage_matches_the_estimator(tmp_path, capsys, hidden):
    from algdiv import SymmetryShrinkage

    src, dst = tmp_path / "x.npy", tmp_path / "r.txt"
    np.save(src, hidden.X[:30])
    code, out, err = run(
        ["estimate", str(src), "--group", "dihedral(12)", "--shrinkage", "-o", str(dst)], capsys
    )
    assert code == 0, err
    est = SymmetryShrinkage("dihedral(12)").fit(hidden.X[:30])
    np.testing.assert_allclose(np.loadtxt(dst), est.covariance_, rtol=1e-12, atol=1e-14)
    assert f"rho = {est.shrinkage_:.4g}" in out


def test_estimate_refuses_before_work(tmp_path, capsys, hidden):
    src = tmp_path / "x.npy"
    np.save(src, hidden.X)
    code, _, err = run(["estimate", str(src), "--group", "cyclic(12)", "-o", str(src)], capsys)
    assert code == 2 and "is the input file" in err
    code, _, err = run(["estimate", str(src), "--group", "cyclic(12)"], capsys)
    assert code == 2 and "-o" in err
    code, _, err = run(["estimate", str(src), "--group", "cyclic(5)", "-o",
                        str(tmp_path / "r.npy")], capsys)
    assert code == 2 and "length 12" in err


# -- discover --seed and --json -------------------------------------------------------------


def test_discover_json_is_versioned_and_reusable(tmp_path, capsys, hidden):
    from algdiv.groups import dihedral, parse, relabel

    src, rep = tmp_path / "x.npy", tmp_path / "r.json"
    np.save(src, hidden.X)
    code, out, err = run(["discover", str(src), "--seed", "3", "--json", str(rep)], capsys)
    assert code == 0, err
    doc = json.loads(rep.read_text())
    assert doc["schema_version"] == 1
    g = doc["group"]
    assert g["catalogue"] == "dihedral(12)" and g["order"] == 24
    G = parse(g["text"])  # the text --group accepts
    assert G == hidden.group
    sigma = g["relabelling"]
    assert relabel(dihedral(12), sigma) == G
    assert doc["input"] == {"command": "discover", "file": str(src), "seed": 3}
    # every documented key is there
    for key in ("delta", "alpha", "kappa", "d_eff", "transform", "notes", "mode"):
        assert key in doc
    # the text feeds estimate directly
    code, _, err = run(["estimate", str(src), "--group", g["text"], "-o", str(tmp_path / "r.npy")],
                       capsys)
    assert code == 0, err


def test_discover_seed_changes_only_the_bootstrap(tmp_path, capsys, hidden):
    src = tmp_path / "x.npy"
    np.save(src, hidden.X)
    outs = []
    for seed in ("1", "1", "2"):
        code, out, err = run(["discover", str(src), "--seed", seed], capsys)
        assert code == 0, err
        outs.append(out)
    assert outs[0] == outs[1]
    assert "dihedral(12)" in outs[2]


# -- .mat and complex pairs ------------------------------------------------------------------


def test_mat_files(tmp_path, capsys, hidden):
    import scipy.io

    one, two = tmp_path / "one.mat", tmp_path / "two.mat"
    scipy.io.savemat(one, {"snapshots": hidden.X, "label": "text is not numeric"})
    scipy.io.savemat(two, {"a": hidden.X, "b": hidden.X[:, :6]})
    dst = tmp_path / "y.npy"
    code, _, err = run(["transform", "--group", "cyclic(12)", str(one), "-o", str(dst)], capsys)
    assert code == 0, err
    import scipy.fft

    np.testing.assert_allclose(np.load(dst), scipy.fft.fft(hidden.X, norm="ortho", axis=-1),
                               atol=1e-12)
    code, _, err = run(["transform", "--group", "cyclic(12)", str(two), "-o", str(dst)], capsys)
    assert code == 2 and "several numeric variables (a, b)" in err and "--var" in err
    code, _, err = run(["transform", "--group", "cyclic(6)", str(two), "--var", "b", "-o",
                        str(dst)], capsys)
    assert code == 0, err
    code, _, err = run(["transform", "--group", "cyclic(6)", str(two), "--var", "c", "-o",
                        str(dst)], capsys)
    assert code == 2 and "no variable 'c'" in err
    bad = tmp_path / "bad.mat"
    bad.write_bytes(b"\x00" * 300)
    code, _, err = run(["discover", str(bad)], capsys)
    # (SciPy >= 1.15 refuses the file; older SciPy reads it as an empty matrix)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "MATLAB" in err or "holds no numbers" in err


def test_complex_pairs(tmp_path, capsys):
    rng = np.random.default_rng(1)
    Z = rng.standard_normal((5, 8)) + 1j * rng.standard_normal((5, 8))
    pairs = np.empty((5, 16))
    pairs[:, 0::2], pairs[:, 1::2] = Z.real, Z.imag
    src, dst = tmp_path / "z.csv", tmp_path / "y.npy"
    np.savetxt(src, pairs, delimiter=",")
    code, _, err = run(["transform", "--group", "cyclic(8)", str(src), "--complex-pairs",
                        "-o", str(dst)], capsys)
    assert code == 0, err
    import scipy.fft

    np.testing.assert_allclose(np.load(dst), scipy.fft.fft(Z, norm="ortho", axis=-1), rtol=1e-9, atol=1e-12)
    odd = tmp_path / "odd.csv"
    np.savetxt(odd, pairs[:, :7], delimiter=",")
    code, _, err = run(["discover", str(odd), "--complex-pairs"], capsys)
    assert code == 2 and "even number" in err


# -- progress ---------------------------------------------------------------------------------


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_only_on_a_terminal_and_not_quiet(monkeypatch):
    from algdiv import _progress

    monkeypatch.delenv("ALGDIV_QUIET", raising=False)
    monkeypatch.setattr(_progress.sys, "stderr", io.StringIO())
    assert not _progress.enabled()
    assert list(_progress.progress(range(3))) == [0, 1, 2]
    tty = _Tty()
    monkeypatch.setattr(_progress.sys, "stderr", tty)
    assert _progress.enabled()
    assert not _progress.enabled(quiet=True)
    bar = _progress.progress(range(3), "work")
    assert list(bar) == [0, 1, 2]
    assert "work" in tty.getvalue()
    _progress.set_quiet(True)
    try:
        assert not _progress.enabled()
    finally:
        _progress.set_quiet(False)
    monkeypatch.setenv("ALGDIV_QUIET", "1")
    assert not _progress.enabled()


def test_quiet_flag_reaches_the_commands(tmp_path, capsys, monkeypatch):
    from algdiv import _progress

    monkeypatch.setattr(_progress.sys, "stderr", _Tty())
    code, _, err = run(["demo", "--group", "cyclic(6)", "--n-samples", "200", "--quiet"], capsys)
    assert code == 0, err
    assert not _progress.enabled()
    _progress.set_quiet(False)
