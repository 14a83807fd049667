"""Fuzzing the front door: the CLI and the public API with generated bad input.

Every case runs in its own interpreter under a 10 s CPU-time cap and a 2 GB address-space
limit (``resource.setrlimit`` in ``preexec_fn``; CPU time rather than wall clock, so that a
loaded machine does not turn a quick refusal into a "hang", and a generous wall-clock cap
only against a child that waits without computing), with algdiv's memory limit at 512 MiB so that
refusals happen below the address-space cap.  A case passes when it succeeds, or fails
with exit status 2 and one line of at most 300 characters on stderr (the API: a
``ValueError``/``TypeError`` with such a message); never a traceback, a hang, or a
changed input file.  The examples are fixed (``derandomize=True``), so the run is
reproducible and its time bounded (32 interpreters: about 30 s on an idle machine).
"""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CAP_SECONDS = 10  # CPU seconds per case (RLIMIT_CPU: the child gets SIGXCPU past it)
HANG_GUARD_SECONDS = 300  # wall clock, only against a child blocked without using CPU
ADDRESS_SPACE = 2 * 2**30

FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
)


def _limits() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CAP_SECONDS, CAP_SECONDS + 5))


def _env() -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), MPLBACKEND="Agg",
               ALGDIV_MAX_MEMORY="512M", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               MKL_NUM_THREADS="1")
    return env


def _run(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(
            [sys.executable, *args], capture_output=True, text=True,
            timeout=HANG_GUARD_SECONDS, env=_env(), preexec_fn=_limits, cwd=cwd,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"hang (> {HANG_GUARD_SECONDS} s wall clock): {args!r:.300}")
    if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        pytest.fail(f"over the CPU cap (> {CAP_SECONDS} s CPU time): {args!r:.300}")
    return proc


def _digest(path: Path) -> str | None:
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check(proc: subprocess.CompletedProcess, what: str) -> None:
    assert "Traceback" not in proc.stderr, f"{what}\n{proc.stderr[-3000:]}"
    if proc.returncode == 0:
        return
    assert proc.returncode == 2, f"exit {proc.returncode}: {what}\n{proc.stderr[-2000:]}"
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, f"{what}\n{proc.stderr[-2000:]}"
    assert len(lines[0]) <= 300, lines[0]


# -- strategies ---------------------------------------------------------------------------

NAMES = ["trivial", "cyclic", "dihedral", "symmetric", "elementary_abelian", "affine",
         "iterated_wreath", "direct_product", "wreath_product", "from_generators", "subgroup",
         "nonsense"]
INTS = st.one_of(st.integers(-3, 40), st.sampled_from([0, 2**31, 99999999999, 10**40]))


def _leaf(name: str, n: int) -> str:
    if name == "iterated_wreath":
        return f"iterated_wreath([{abs(n) % 5 + 2}]*{abs(n) % 45})"
    if name == "from_generators":
        m = abs(n) % 7 + 1
        return f"from_generators([{list(np.roll(np.arange(m), 1).tolist())}])"
    if name in ("direct_product", "wreath_product", "subgroup"):
        return f"cyclic({n})"
    return f"{name}({n})"


leaves = st.builds(_leaf, st.sampled_from(NAMES), INTS)
group_texts = st.recursive(
    leaves,
    lambda kids: st.one_of(
        st.lists(kids, min_size=1, max_size=25).map(lambda k: f"direct_product({', '.join(k)})"),
        st.tuples(kids, kids).map(lambda k: f"wreath_product({k[0]}, {k[1]})"),
        st.tuples(kids, st.integers(0, 4)).map(lambda k: k[0][: len(k[0]) - k[1]]),  # truncated
    ),
    max_leaves=12,
)
garbage = st.text(alphabet="()[],*=\"' 0123456789abcxyz_-", max_size=80)
deep = st.integers(1, 4000).map(lambda d: "direct_product(" * d + "cyclic(2)" + ")" * (d // 2))
any_group_text = st.one_of(group_texts, garbage, deep)

DTYPES = ["float64", "float32", "int64", "uint8", "bool", "complex128", "<U3"]
shapes = st.lists(st.integers(0, 9), min_size=0, max_size=3).map(tuple)


@st.composite
def arrays(draw):
    shape = draw(shapes)
    dtype = draw(st.sampled_from(DTYPES))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    values = rng.standard_normal(shape) * draw(st.sampled_from([0.0, 1.0, 1e300]))
    if dtype == "<U3":
        return values.astype(str).astype("<U3")
    arr = values.astype(complex) * (1 + 1j) if dtype == "complex128" else values
    with np.errstate(invalid="ignore", over="ignore"):
        arr = np.asarray(arr).astype(dtype) if dtype != "complex128" else arr
    if draw(st.booleans()) and arr.size and np.issubdtype(arr.dtype, np.inexact):
        arr.flat[draw(st.integers(0, arr.size - 1))] = draw(st.sampled_from([np.nan, np.inf]))
    return arr


SUFFIXES = [".npy", ".npz", ".csv", ".txt", ".mat", ".json", ""]


@st.composite
def data_files(draw, folder: Path):
    """A path under ``folder``: a saved array, random bytes, a directory, or nothing."""
    kind = draw(st.sampled_from(["array", "array", "array", "bytes", "dir", "missing"]))
    suffix = draw(st.sampled_from(SUFFIXES))
    path = folder / f"in{suffix}"
    if kind == "dir":
        path.mkdir()
    elif kind == "bytes":
        path.write_bytes(draw(st.binary(max_size=200)))
    elif kind == "array":
        arr = draw(arrays())
        try:
            if suffix == ".npy":
                np.save(path, arr)
            elif suffix == ".npz":
                np.savez(path, **{draw(st.sampled_from(["X", "a"])): arr})
            elif suffix == ".mat":
                import scipy.io

                scipy.io.savemat(path, {"X": arr})
            else:
                np.savetxt(path, np.atleast_2d(arr) if arr.ndim <= 2 else arr.reshape(-1, 1),
                           delimiter="," if suffix == ".csv" else " ", fmt="%s")
        except Exception:  # what numpy/scipy cannot write becomes raw text
            path.write_text(repr(arr)[:200])
    return path


FLAGS = ["--columns-are-snapshots", "--complex-pairs", "--covariance", "--quiet"]


@st.composite
def cli_cases(draw, folder: Path):
    path = draw(data_files(folder))
    command = draw(st.sampled_from(["group", "discover", "discover", "transform", "estimate",
                                    "demo"]))
    if command == "group":
        return ["group", "describe", draw(any_group_text)], path
    if command == "discover":
        flags = draw(st.lists(st.sampled_from(FLAGS), max_size=2, unique=True))
        return ["discover", str(path), *flags], path
    if command == "demo":
        return ["demo", "--group", draw(any_group_text), "--n-samples",
                str(draw(st.integers(1, 60)))], path
    text = draw(st.one_of(any_group_text, st.sampled_from(["cyclic(9)", "dihedral(4)"])))
    out = draw(st.sampled_from([None, "same", "out.npy", "missing/out.npy", "out.xyz"]))
    argv = [command, str(path), "--group", text]
    if out == "same":
        argv += ["-o", str(path)]
    elif out is not None:
        argv += ["-o", str(folder / out)]
    elif command == "estimate":
        argv += ["-o", str(folder / "r.npy")]
    return argv, path


@given(st.data())
@settings(FUZZ, max_examples=22)
def test_fuzz_cli(data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        argv, path = data.draw(cli_cases(folder))
        before = _digest(path)
        proc = _run(["-m", "algdiv.cli.main", *argv], cwd=tmp)
        _check(proc, f"algdiv {' '.join(argv)[:300]}")
        assert _digest(path) == before, f"input changed: {argv[:3]}"


API_SCRIPT = """
import sys, numpy as np
import algdiv
from algdiv.groups import parse
call, text = sys.argv[1], sys.argv[2]
arr = np.load(sys.argv[3], allow_pickle=False) if len(sys.argv) > 3 else None
copy = None if arr is None else arr.copy()
try:
    if call == "parse":
        parse(text)
    elif call == "discover":
        algdiv.discover(arr)
    elif call == "discover_R":
        algdiv.discover(R=arr)
    elif call == "GroupCovariance":
        algdiv.GroupCovariance(text).fit(arr)
    elif call == "reynolds":
        algdiv.reynolds(arr, text)
    elif call == "matched_transform":
        algdiv.matched_transform(text)
except (ValueError, TypeError) as exc:
    print(str(exc), file=sys.stderr)
    sys.exit(2)
finally:
    if arr is not None:
        assert np.array_equal(arr, copy, equal_nan=arr.dtype.kind in "fc"), "input modified"
"""


@given(st.data())
@settings(FUZZ, max_examples=10)
def test_fuzz_api(data):
    call = data.draw(st.sampled_from(["parse", "discover", "discover_R", "GroupCovariance",
                                      "reynolds", "matched_transform"]))
    with tempfile.TemporaryDirectory() as tmp:
        args = ["-c", API_SCRIPT, call]
        if call in ("parse", "matched_transform"):
            args.append(data.draw(any_group_text))
        else:
            args.append(data.draw(st.sampled_from(["cyclic(4)", "dihedral(6)", "cyclic(9",
                                                   "trivial(3)"])))
            arr = data.draw(arrays())
            np.save(Path(tmp) / "a.npy", arr)
            args.append(str(Path(tmp) / "a.npy"))
        proc = _run(args, cwd=tmp)
        _check(proc, f"{call}({args[3][:200]!r})")
