"""Cost before work: time estimates (algdiv._cost), the time limit (algdiv._limits) and
--max-time on the command line.  Work whose estimate exceeds the limit is refused before
it starts, with the estimate in the one-line message; small work is not refused."""

from __future__ import annotations

import numpy as np
import pytest

from algdiv import _cost
from algdiv._limits import (
    DEFAULT_MAX_TIME,
    ResourceLimitError,
    check_time,
    estimate_seconds,
    format_seconds,
    get_max_time,
    max_time,
    parse_seconds,
    set_max_time,
)
from algdiv.groups import PermutationGroup, affine

from .conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("no_time_override")


@pytest.mark.parametrize("text, seconds", [
    (30, 30.0), ("45", 45.0), ("90s", 90.0), ("10m", 600.0), ("10min", 600.0),
    ("1.5h", 5400.0), (" 2H ", 7200.0), (0.5, 0.5),
])
def test_parse_seconds(text, seconds):
    assert parse_seconds(text) == seconds


@pytest.mark.parametrize("text", ["abc", "10x", "-5", "0", "inf", "nan", "", "1e999"])
def test_parse_seconds_refuses_with_the_value(text):
    with pytest.raises(ValueError, match="duration"):
        parse_seconds(text)


def test_parse_seconds_refuses_a_bool():
    with pytest.raises(TypeError, match="bool"):
        parse_seconds(True)


@pytest.mark.parametrize("seconds, text", [
    (0.012, "0.012 s"), (5.0, "5 s"), (45.0, "45 s"), (150.0, "2.5 min"),
    (5400.0, "1.5 h"), (86400.0 * 3, "3.0 days"), (86400.0 * 365 * 50, "50 years"),
])
def test_format_seconds(seconds, text):
    assert format_seconds(seconds) == text


def test_the_limit_comes_from_the_override_then_the_environment_then_the_default(monkeypatch):
    assert get_max_time() == DEFAULT_MAX_TIME == 600.0
    monkeypatch.setenv("ALGDIV_MAX_TIME", "20m")
    assert get_max_time() == 1200.0
    set_max_time(5)
    assert get_max_time() == 5.0
    with max_time("1h"):
        assert get_max_time() == 3600.0
    assert get_max_time() == 5.0
    set_max_time(None)
    assert get_max_time() == 1200.0


def test_check_time_names_the_estimate_and_the_limit():
    check_time(599.0, "a small job")  # under the default: nothing happens
    with pytest.raises(ResourceLimitError) as info:
        check_time(7200.0, "a long job")
    msg = str(info.value)
    assert isinstance(info.value, ValueError)
    assert msg.startswith("a long job would take about 2.0 h (estimated)")
    assert "10.0 min" in msg and "ALGDIV_MAX_TIME" in msg and "--max-time" in msg
    with max_time("3h"):
        check_time(7200.0, "a long job")


def test_the_cost_model_is_additive_and_monotone():
    assert estimate_seconds() == 0.0
    a = estimate_seconds(element_ops=1e9)
    b = estimate_seconds(flops=1e11)
    assert estimate_seconds(element_ops=1e9, flops=1e11) == pytest.approx(a + b)
    sizes = [32, 64, 128, 256, 512, 1024]
    times = [_cost.discover_seconds(1000, m) for m in sizes]
    assert all(x < y for x, y in zip(times, times[1:]))
    # blind discovery is cubic in M: doubling M multiplies the M^3 term by 8
    assert _cost.discover_seconds(0, 1024) / _cost.discover_seconds(0, 512) == pytest.approx(8)
    assert _cost.pair_orbit_seconds(2000, 4) / _cost.pair_orbit_seconds(1000, 4) == pytest.approx(4)
    assert _cost.variance_law_seconds(64, 1, 2000) == pytest.approx(
        2 * _cost.variance_law_seconds(64, 1, 1000))
    assert _cost.adaptive_array_seconds(16, 10) < _cost.adaptive_array_seconds(32, 10)


def test_check_seconds_divides_by_the_workers():
    with max_time(100):
        _cost.check_seconds(150.0, "work", workers=2)
        with pytest.raises(ResourceLimitError, match="about 2.5 min"):
            _cost.check_seconds(150.0, "work", workers=1)


# -- the API: groups given by generators ---------------------------------------------------

def test_pair_orbits_of_a_generic_group_refused_before_work_above_the_limit():
    G = PermutationGroup(affine(1009).generators)  # no construction: generic labels
    expected = _cost.pair_orbit_seconds(1009, len(G.generators))
    with max_time(expected / 2), pytest.raises(ResourceLimitError) as info:
        G.pair_orbits()
    assert "the pair-orbit labels of" in str(info.value)
    assert format_seconds(expected) in str(info.value)
    assert G._labels is None  # nothing was computed
    with max_time(expected * 2):
        assert G.n_pair_orbits == 2  # affine groups are 2-transitive


def test_the_stabilizer_chain_is_refused_before_work_above_the_limit():
    G = PermutationGroup(affine(1009).generators)
    with max_time(1e-6), pytest.raises(ResourceLimitError, match="stabilizer chain"):
        _ = G.order
    assert G._chain is None and G.known_order is None
    assert G.order == 1009 * 1008  # under the default limit


def test_small_groups_are_never_refused_by_the_default_limit():
    G = PermutationGroup([[1, 2, 3, 4, 0], [0, 2, 1, 3, 4]])
    assert G.order == 120 and G.n_pair_orbits == 2


# -- the command line -------------------------------------------------------------------

#: A limit that blind discovery at M = 1024 really exceeds: it takes about 12 s at M = 256,
#: and its cost grows at least as M^2.4 there (4^2.4 x 12 s > 5 min), while the estimate
#: (the M^3 model) says about half an hour: the refusal below is real, not an artefact.
_REAL_LIMIT = "60"


def test_the_wide_data_estimate_is_far_above_the_limit_the_cli_tests_use():
    estimate = _cost.discover_seconds(20, 1024)
    assert estimate > 10 * parse_seconds(_REAL_LIMIT)
    assert estimate > get_max_time()  # also refused under the default limit


def test_cli_discover_on_wide_data_is_refused_in_one_line(tmp_path, capsys):
    path = tmp_path / "wide.npy"
    np.save(path, np.random.default_rng(0).standard_normal((20, 1024)))
    code, out, err = run(["discover", str(path), "--max-time", _REAL_LIMIT], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "discovery on 20 snapshot(s) of 1024 points would take about" in err
    assert "(estimated)" in err and "--max-time" in err


def test_cli_estimate_auto_on_wide_data_is_refused_in_one_line(tmp_path, capsys):
    path = tmp_path / "wide.npy"
    np.save(path, np.random.default_rng(0).standard_normal((20, 1024)))
    out_path = tmp_path / "R.npy"
    code, out, err = run(["estimate", str(path), "--auto", "-o", str(out_path),
                          "--max-time", _REAL_LIMIT], capsys)
    assert code == 2 and out == "" and not out_path.exists()
    assert len(err.strip().splitlines()) == 1
    assert "discovery on 20 snapshot(s) of 1024 points would take about" in err


def test_cli_max_time_before_or_after_the_command(tmp_path, capsys):
    path = tmp_path / "small.npy"
    np.save(path, np.random.default_rng(1).standard_normal((30, 16)))
    for argv in (["--max-time", "1e-9", "discover", str(path)],
                 ["discover", str(path), "--max-time", "1e-9"]):
        code, _, err = run(argv, capsys)
        assert code == 2 and "would take about" in err and "1e-09 s" in err
    code, _, err = run(["discover", str(path), "--max-time", "soon"], capsys)
    assert code == 2 and "--max-time" in err and "'soon'" in err
    assert get_max_time() == DEFAULT_MAX_TIME  # the option does not outlive the command


@pytest.mark.parametrize("argv, what", [
    (["experiment", "adaptive-array", "--M", "256"],
     "experiment adaptive-array with M = 256 and 400 trials would take about"),
    (["experiment", "variance-law", "dihedral(4096)", "--trials", "5000"],
     "experiment variance-law with M = 4096 and 5000 trials would take about"),
    (["group", "describe", "from_generators([[1,2,3,4,5,6,0],[1,0,2,3,4,5,6]])",
      "--max-time", "1e-9"], "describing permutation group on 7 points with 2 generators would"),
])
def test_cli_long_commands_are_refused_with_the_estimate(argv, what, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and what in err and "(estimated)" in err


def test_cli_jobs_share_the_estimate(capsys):
    one = _cost.variance_law_seconds(1024, 1, 2000)
    limit = 0.75 * one  # over the limit alone, under it on two processes
    code, _, err = run(["experiment", "variance-law", "dihedral(1024)", "--trials", "2000",
                        "--max-time", str(limit)], capsys)
    assert code == 2 and "would take about" in err
    with max_time(limit):
        # the check alone (running 2000 trials of M = 1024 would be a slow test)
        _cost.check_seconds(one, "variance-law", workers=2)


def test_cli_small_commands_are_not_refused(capsys):
    code, out, err = run(["group", "describe", "from_generators([[1,2,3,4,0],[1,0,2,3,4]])"],
                         capsys)
    assert code == 0 and err == "" and "order:    120" in out
    code, out, err = run(["experiment", "variance-law", "dihedral(8)", "--trials", "20"], capsys)
    assert code == 0 and err == "" and "ratio" in out


def test_api_blind_discover_on_wide_data_is_refused_before_work():
    from algdiv import discover
    from algdiv._limits import ResourceLimitError

    X = np.random.default_rng(0).standard_normal((20, 1024))
    with pytest.raises(ResourceLimitError, match="of 1024 points would take about"):
        discover(X)


def test_api_experiments_are_refused_before_work_above_the_limit():
    from algdiv._limits import ResourceLimitError
    from algdiv.experiments import adaptive_array, variance_law
    from algdiv.groups import cyclic

    with pytest.raises(ResourceLimitError, match="adaptive_array with M = 256 and 400 trials"):
        adaptive_array(M=256, J=4, trials=400)
    with pytest.raises(ResourceLimitError, match="variance_law with M = 4096"):
        variance_law(cyclic(4096), n=1, trials=5000)


def test_api_blind_auto_group_covariance_is_refused_before_work():
    from algdiv import AutoGroupCovariance
    from algdiv._limits import ResourceLimitError

    X = np.random.default_rng(0).standard_normal((20, 1024))
    with pytest.raises(ResourceLimitError, match="20 snapshot\\(s\\) of 1024 points would take"):
        AutoGroupCovariance().fit(X)
