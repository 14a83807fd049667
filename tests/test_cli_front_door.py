"""The front door under bad and big input: every defect of issue 11, one test each.

Each user mistake gives exit status 2 and one line on stderr (at most 300 characters);
work above the memory limit is refused at once with the estimate; outputs are checked
before any computation; nothing a user passes in is changed.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from math import factorial
from pathlib import Path

import numpy as np
import pytest

from .conftest import run_cli as run

ROOT = Path(__file__).resolve().parents[1]




def one_line_error(code, err, *needles):
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[:2000]
    assert len(lines[0]) <= 300, lines[0]
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


HANG_GUARD_SECONDS = 300  # wall clock, only against a child blocked without using CPU


def _limits(cpu_seconds, address_space=2 * 2**30):
    def apply():  # pragma: no cover - runs in the child
        if address_space is not None:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))

    return apply


def cli(*argv, cpu_seconds=20, stdin=None):
    """The console script in a subprocess with a 2 GB address-space limit and a CPU-time cap.

    The cap is CPU time (``RLIMIT_CPU``), not wall clock, so that "refused at once" holds
    on a loaded machine too; the wall-clock timeout only guards against a blocked child.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), MPLBACKEND="Agg")
    env.pop("ALGDIV_MAX_MEMORY", None)
    proc = subprocess.run(
        [sys.executable, "-m", "algdiv.cli.main", *argv],
        capture_output=True, text=True, timeout=HANG_GUARD_SECONDS, env=env,
        preexec_fn=_limits(cpu_seconds),
    )
    assert proc.returncode not in (-signal.SIGXCPU, -signal.SIGKILL), (
        f"over the CPU cap (> {cpu_seconds} s CPU time): {argv!r:.300}")
    return proc



# -- tracebacks and hangs: refused at once, with the estimate --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "cyclic(99999999999)",
        "cyclic(1000000000)",
        "elementary_abelian(40)",
        "affine(1000003)",
        "iterated_wreath([2]*40)",
    ],
)
def test_huge_groups_are_refused_at_once_with_the_estimate(text):
    proc = cli("group", "describe", text)
    line = one_line_error(proc.returncode, proc.stderr, "would need", "memory limit")
    assert "GiB" in line or "TiB" in line or "PiB" in line


@pytest.mark.parametrize(
    "text, dim",
    [("cyclic(100000)", "100000"), ("direct_product(" + ", ".join(["cyclic(2)"] * 20) + ")", "1048576")],
)
def test_large_regular_groups_are_described_from_closed_forms(text, dim):
    # dim C(G) and the orbits come from the construction: no M x M label array is built
    proc = cli("group", "describe", text)
    assert proc.returncode == 0, proc.stderr
    assert f"dim C(G): {dim}" in proc.stdout


@pytest.mark.parametrize(
    "text, message",
    [
        ("direct_product(" * 5000, "nested more than"),
        ("direct_product(" * 5000 + "cyclic(2)" + ")" * 5000, "nested more than"),
        ("direct_product(" + ", ".join(["cyclic(2)"] * 3000) + ")", "at most 64 groups"),
    ],
)
def test_deep_or_long_group_text_is_one_line(text, message):
    proc = cli("group", "describe", text)
    one_line_error(proc.returncode, proc.stderr, message)


def test_a_100kb_bad_group_text_is_not_echoed_whole(capsys):
    text = "cyclic(4" + ", x" * 33000
    code, _, err = run(["group", "describe", text], capsys)
    line = one_line_error(code, err, "characters)")
    assert len(line) < 300


def test_max_memory_option_sets_the_limit(capsys):
    code, _, err = run(["--max-memory", "100", "group", "describe", "cyclic(8)"], capsys)
    one_line_error(code, err, "would need", "the memory limit is 100 B")
    code, _, err = run(["group", "describe", "cyclic(8)", "--max-memory", "100"], capsys)
    one_line_error(code, err, "would need")
    code, out, _ = run(["group", "describe", "cyclic(8)", "--max-memory", "8G"], capsys)
    assert code == 0 and "dim C(G): 8" in out
    code, _, err = run(["--max-memory", "lots", "group", "describe", "cyclic(8)"], capsys)
    one_line_error(code, err, "--max-memory")


# -- huge orders print ----------------------------------------------------------------------


def from_digits(text: str) -> int:
    """int(text) for any length (str -> int is limited to 4300 digits per call)."""
    value = 0
    for k in range(0, len(text), 1000):
        chunk = text[k : k + 1000]
        value = value * 10 ** len(chunk) + int(chunk)
    return value


def test_huge_orders_print(capsys):
    code, out, err = run(["group", "describe", "symmetric(2000)"], capsys)
    assert code == 0, err
    assert "order:    3.316e+5735 (5736 digits)" in out
    code, out, _ = run(["group", "describe", "symmetric(2000)", "--exact"], capsys)
    digits = next(line for line in out.splitlines() if line.startswith("order:")).split()[1]
    assert len(digits) == 5736 and from_digits(digits) == factorial(2000)


def test_format_order():
    from algdiv.groups import format_order

    assert format_order(2**16383) == "5.949e+4931 (4932 digits) = 2^16383"
    assert format_order(factorial(128)).endswith("(216 digits)")
    exact = format_order(factorial(3000), exact=True)
    assert from_digits(exact) == factorial(3000)
    for n in (0, 9, 10, 99, 10**29, 10**30 - 1, 10**30, 10**300, 10**300 - 1, 7 * 10**4000):
        text = format_order(n)
        digits = len(format_order(n, exact=True))
        assert f"({digits} digits)" in text or (digits <= 30 and int(text) == n)
        if digits > 30:  # the mantissa is the leading digits
            lead = format_order(n, exact=True)[:4]
            assert text.startswith(f"{lead[0]}.{lead[1:]}e+{digits - 1}")


# -- outputs: never lose data, never overwrite the input, checked before the work -------


@pytest.fixture
def data_file(tmp_path):
    X = np.random.default_rng(0).standard_normal((2000, 64))
    path = tmp_path / "x.npy"
    np.save(path, X)
    return path, X


def test_transform_without_output_prints_every_value(data_file, capsys, tmp_path):
    path, X = data_file
    code, out, err = run(["transform", "--group", "cyclic(64)", str(path)], capsys)
    assert code == 0, err
    assert "..." not in out
    Y = np.loadtxt(out.splitlines(), dtype=complex)
    import scipy.fft

    np.testing.assert_allclose(Y, scipy.fft.fft(X, norm="ortho", axis=-1), rtol=1e-9, atol=1e-12)


def test_output_equal_to_input_is_refused(data_file, capsys):
    path, X = data_file
    before = path.read_bytes()
    code, _, err = run(["transform", "--group", "cyclic(64)", str(path), "-o", str(path)], capsys)
    one_line_error(code, err, "is the input file")
    assert path.read_bytes() == before


@pytest.fixture
def no_discovery(monkeypatch):
    import algdiv.discovery

    def boom(*a, **k):
        raise AssertionError("the computation ran before the outputs were checked")

    monkeypatch.setattr(algdiv.discovery, "discover", boom)


@pytest.mark.parametrize("option", ["--json", "--plot"])
def test_output_folders_are_checked_before_computing(data_file, capsys, tmp_path, option, no_discovery):
    path, _ = data_file
    target = tmp_path / "missing" / ("r.json" if option == "--json" else "r.png")
    code, _, err = run(["discover", str(path), option, str(target)], capsys)
    one_line_error(code, err, option, "does not exist")
    code, _, err = run(["demo", option, str(target)], capsys)
    one_line_error(code, err, option, "does not exist")


def test_experiment_output_checked_first(capsys, tmp_path, monkeypatch):
    import algdiv.experiments

    monkeypatch.setattr(algdiv.experiments, "adaptive_array", lambda **k: 1 / 0)
    code, _, err = run(
        ["experiment", "adaptive-array", "--json", str(tmp_path / "no" / "o.json")], capsys
    )
    line = one_line_error(code, err, "--json", "does not exist")
    assert "Errno" not in line


def test_plot_needs_an_image_suffix(data_file, capsys, no_discovery, tmp_path):
    code, _, err = run(["discover", str(data_file[0]), "--plot", str(tmp_path / "f.txt")], capsys)
    one_line_error(code, err, "--plot", "unsupported file type")


# -- messages that name the real problem ----------------------------------------------------


def test_directory_argument(tmp_path, capsys):
    code, _, err = run(["discover", str(tmp_path)], capsys)
    line = one_line_error(code, err, "is a directory")
    assert "unsupported file type" not in line


def test_columns_hint_is_not_repeated(tmp_path, capsys):
    path = tmp_path / "x.csv"
    np.savetxt(path, np.ones((1, 5)), delimiter=",")
    code, _, err = run(["discover", str(path), "--columns-are-snapshots"], capsys)
    line = one_line_error(code, err, "drop --columns-are-snapshots")
    assert "use --columns-are-snapshots" not in line


@pytest.mark.parametrize(
    "argv, message",
    [
        (["demo", "--seed", "-1"], "argument --seed"),
        (["demo", "--n-samples", "0"], "argument --n-samples"),
        (["discover", "x.npy", "--seed", "abc"], "argument --seed"),
        (["experiment", "adaptive-array", "--trials", "-3"], "argument --trials"),
    ],
)
def test_bad_numbers_name_the_option(capsys, argv, message):
    code, _, err = run(argv, capsys)
    one_line_error(code, err, message)


@pytest.mark.parametrize("argv", [["group"], ["experiment"]])
def test_a_command_without_its_action(capsys, argv):
    code, out, err = run(argv, capsys)
    one_line_error(code, err, "ACTION" if argv == ["group"] else "EXPERIMENT")
    assert "Algebraic Diversity" not in out + err  # not the top-level help


def test_closed_pipe_is_quiet():
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), MPLBACKEND="Agg")
    proc = subprocess.Popen(
        [sys.executable, "-m", "algdiv.cli.main", "demo", "--group", "cyclic(6)",
         "--n-samples", "200"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, preexec_fn=_limits(60, None),
    )
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=HANG_GUARD_SECONDS)
    assert "Broken pipe" not in err and "Traceback" not in err and "Errno" not in err
    assert proc.returncode in (0, 141)


# -- discover on data it cannot use ----------------------------------------------------------


def test_discover_on_one_wide_snapshot_is_refused_at_once(tmp_path):
    path = tmp_path / "wide.npy"
    np.save(path, np.random.default_rng(0).standard_normal((1, 20000)))
    proc = cli("discover", str(path), cpu_seconds=30)
    one_line_error(proc.returncode, proc.stderr, "would need", "20000 points")


def test_all_zero_data_are_refused(tmp_path, capsys):
    path = tmp_path / "z.npy"
    np.save(path, np.zeros((50, 6)))
    code, _, err = run(["discover", str(path)], capsys)
    one_line_error(code, err, "zero")


def test_one_dimensional_snapshots_flag():
    from algdiv._validation import as_snapshots

    assert as_snapshots(np.ones(4)).shape == (1, 4)
    with pytest.raises(ValueError, match="X must be 2-D"):
        as_snapshots(np.ones(4), allow_1d=False)
    with pytest.raises(ValueError, match="at least 2"):
        as_snapshots(np.ones((1, 1)), min_features=2)


def test_one_point_data_refused_by_the_cli(tmp_path, capsys):
    path = tmp_path / "one.npy"
    np.save(path, np.ones((1, 1)))
    code, _, err = run(["discover", str(path)], capsys)
    one_line_error(code, err, "need at least 2")
    code, _, err = run(["discover", str(path), "--covariance"], capsys)
    one_line_error(code, err, "1 x 1")


# -- the demo's verdict and figure -----------------------------------------------------------


def test_demo_verdict_for_a_larger_symmetry():
    from algdiv.cli.demo_cmd import recovery_verdict
    from algdiv.datasets import hidden_symmetry
    from algdiv.groups import dihedral, relabel

    data = hidden_symmetry("cyclic(12)", 100, rng=1)
    # Real data: a cyclic covariance is symmetric, so it is invariant under D_12 too.
    found = relabel(dihedral(12), data.relabelling)
    verdict = recovery_verdict(found, data.group, data.covariance)
    assert verdict.startswith("yes, and more"), verdict
    assert recovery_verdict(data.group, data.group, data.covariance).startswith("yes (the same")
    from algdiv.groups import symmetric

    assert recovery_verdict(symmetric(12), data.group, data.covariance).startswith("no")


def test_catalogue_relabelling_maps_onto_the_catalogue():
    from algdiv import is_invariant, reynolds
    from algdiv.cli._schema import catalogue_relabelling
    from algdiv.groups import cyclic, dihedral, parse, relabel

    rng = np.random.default_rng(4)
    for name, m in (("cyclic(9)", 9), ("dihedral(12)", 12), ("dihedral(16)", 16),
                    ("elementary_abelian(4)", 16)):
        sigma = rng.permutation(m)
        G = relabel(parse(name), sigma)
        found = catalogue_relabelling(G, name)
        assert found is not None
        assert relabel(parse(name), found) == G
        A = rng.standard_normal((G.degree, G.degree))
        R = reynolds(A @ A.T, G)
        reordered = R[np.ix_(found, found)]
        assert is_invariant(reordered, parse(name))
    assert catalogue_relabelling(cyclic(5), None) is None
    assert catalogue_relabelling(dihedral(5), "dihedral(5)") is not None


def test_figure_has_labels_colour_bars_and_the_reordered_panel(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from algdiv import matched_transform
    from algdiv.datasets import hidden_symmetry
    from algdiv.plotting import plot_discovery

    data = hidden_symmetry("dihedral(10)", 400, rng=2)
    G = data.group
    sigma = np.argsort(data.relabelling)  # relabel(base, relabelling) == G ...
    from algdiv.cli._schema import catalogue_relabelling

    sigma = catalogue_relabelling(G, "dihedral(10)")
    fig = plot_discovery(data.covariance, G, matched_transform(G), tmp_path / "f.png",
                         relabelling=sigma)
    heatmaps = fig.axes[:3]
    for ax in fig.axes[:5]:
        assert ax.get_xlabel() and ax.get_ylabel()
    assert len(fig.axes) == 5 + 4  # five panels, four colour bars
    shown = heatmaps[1].images[0].get_array()
    expected = np.abs(data.covariance[np.ix_(sigma, sigma)])
    np.testing.assert_allclose(np.asarray(shown), expected, rtol=1e-9, atol=1e-12)
    # in the catalogue labelling the covariance is symmetric circulant: constant diagonals
    for k in range(10):
        diag = np.array([expected[i, (i + k) % 10] for i in range(10)])
        np.testing.assert_allclose(diag, diag[0], rtol=1e-10)


def test_huge_demo_and_transform_are_refused_before_work(capsys, tmp_path):
    code, _, err = run(["demo", "--n-samples", "1000000000000"], capsys)
    one_line_error(code, err, "demo snapshots", "would need")
    path = tmp_path / "x.npy"
    np.save(path, np.ones((2, 4)))
    code, _, err = run(["transform", "--group", "cyclic(30000)", str(path)], capsys)
    one_line_error(code, err, "matched transform on 30000 points", "would need")


# -- the gallery ------------------------------------------------------------------------------

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.stem)
def test_gallery_writes_under_the_current_folder_by_default(script):
    import ast

    tree = ast.parse(script.read_text())
    default = [
        node.value for node in tree.body
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "DEFAULT_OUT" for t in node.targets)
    ]
    assert len(default) == 1
    source = ast.unparse(default[0])
    assert "docs" not in source and "__file__" not in source, source


def test_image_patches_without_pywavelets_says_so_in_one_line(tmp_path):
    code = (
        "import runpy, sys\n"
        "sys.modules['pywt'] = None\n"  # as if PyWavelets were not installed
        f"sys.argv = ['image_patches.py', '--quick', '--out', {str(tmp_path)!r}]\n"
        f"runpy.run_path({str(ROOT / 'examples' / 'image_patches.py')!r}, run_name='__main__')\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=HANG_GUARD_SECONDS, preexec_fn=_limits(60, None))
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "PyWavelets" in lines[0] and "wavelets" in lines[0], proc.stderr


def test_documented_json_to_estimate_pipeline(tmp_path):
    """The two-line recipe of docs/cli.md: discover --json, then estimate --group from it."""
    from algdiv.datasets import hidden_symmetry

    X = hidden_symmetry("cyclic(8)", 400, rng=0).X
    np.savetxt(tmp_path / "x.csv", X, delimiter=",")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), MPLBACKEND="Agg")
    script = (
        f'{sys.executable} -m algdiv.cli.main discover x.csv --json report.json -q && '
        f'{sys.executable} -m algdiv.cli.main estimate x.csv --group "$({sys.executable} -c '
        "'import json; print(json.load(open(\"report.json\"))[\"group\"][\"text\"])')\" -o R.npy"
    )
    proc = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=HANG_GUARD_SECONDS, preexec_fn=_limits(120, None))
    assert proc.returncode == 0, proc.stderr
    R = np.load(tmp_path / "R.npy")
    assert R.shape == (8, 8) and np.allclose(R, R.T)


def test_estimate_auto_writes_the_selected_estimate(tmp_path, capsys):
    from algdiv import AutoGroupCovariance

    rng = np.random.default_rng(0)
    x = rng.standard_normal((40, 8))
    src = tmp_path / "x.npy"
    np.save(src, x)
    out = tmp_path / "R.npy"
    code, stdout, err = run(["estimate", str(src), "--auto", "-o", str(out)], capsys)
    assert code == 0, err
    assert "AutoGroupCovariance" in stdout and "held-out relative risk" in stdout
    np.testing.assert_allclose(np.load(out), AutoGroupCovariance().fit(x).covariance_, rtol=1e-12)
    code, _, err = run(
        ["estimate", str(src), "--auto", "--ambient", "cyclic(5)", "-o", str(out)], capsys
    )
    one_line_error(code, err, "ambient acts on 5 points")
    code, _, err = run(["estimate", str(src), "--group", "cyclic(8)", "--ambient", "cyclic(8)",
                        "-o", str(out)], capsys)
    one_line_error(code, err, "--ambient goes with --auto")


def test_discover_api_refuses_what_the_cli_refuses():
    from algdiv import discover

    with pytest.raises(ValueError, match="must be 2-D"):
        discover(np.ones(5))
    with pytest.raises(ValueError, match="at least 2 x 2"):
        discover(R=np.ones((1, 1)))
    with pytest.raises(ValueError, match="all zeros"):
        discover(np.zeros((4, 3)))


def test_experiment_engines_give_the_serial_result(capsys):
    serial = run(["experiment", "variance-law", "cyclic(4)", "--trials", "300", "-q"], capsys)
    jobs = run(["experiment", "variance-law", "cyclic(4)", "--trials", "300", "-q", "--jobs", "2"], capsys)
    assert serial[0] == jobs[0] == 0, (serial, jobs)
    assert serial[1] == jobs[1]
    code, _, err = run(["experiment", "variance-law", "cyclic(4)", "--jobs", "2", "--scheduler", "local"], capsys)
    assert code == 2 and "not allowed with argument" in err


def test_discover_many_files_on_an_engine_equals_one_by_one(tmp_path, capsys):
    import json

    rng = np.random.default_rng(1)
    names = []
    for k in range(3):
        path = tmp_path / f"x{k}.npy"
        np.save(path, rng.standard_normal((30, 5)))
        names.append(str(path))
    out = tmp_path / "all.json"
    code, stdout, err = run(["discover", *names, "--jobs", "2", "--json", str(out), "-q"], capsys)
    assert code == 0, err
    docs = json.loads(out.read_text())
    assert [d["input"]["file"] for d in docs] == names
    for name, doc in zip(names, docs):
        one = tmp_path / "one.json"
        code, _, err = run(["discover", name, "--json", str(one), "-q"], capsys)
        assert code == 0, err
        single = json.loads(one.read_text())
        assert doc["group"] == single["group"] and doc["delta"] == single["delta"]
    assert stdout.count("== ") == 3
    code, _, err = run(["discover", *names, "--plot", str(tmp_path / "f.png")], capsys)
    one_line_error(code, err, "--plot draws one report")
    code, _, err = run(["discover", names[0], "--jobs", "2"], capsys)
    one_line_error(code, err, "for several files")
