"""Smoke runs of the example gallery (examples/*.py --quick) into a temporary folder.

Each example is imported from its file and its ``main`` called with ``--quick``; the test
checks that the figures are written and that the quick results still say what the
gallery says (so a broken example cannot pass by just drawing something).
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

try:  # the machines are shared: multi-threaded BLAS on tiny matrices only adds contention
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover
    threadpool_limits = None


def run_example(name: str, out: Path) -> dict:
    spec = importlib.util.spec_from_file_location(f"gallery_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if threadpool_limits is None:
        return module.main(["--quick", "--out", str(out)])
    with threadpool_limits(limits=1):
        return module.main(["--quick", "--out", str(out)])


def _pngs(out: Path, *names: str) -> None:
    for n in names:
        data = (out / n).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, n
        assert (out / n).stat().st_size < 300_000, f"{n} is too large for the docs"


def test_every_example_is_covered():
    scripts = {p.stem for p in EXAMPLES.glob("*.py") if not p.stem.startswith("_")}
    assert scripts == {"adaptive_array", "doa_music", "massive_mimo", "graphs",
                       "image_patches", "qmc_kernels", "real_data", "cma_phase",
                       "room_doa", "spherical_array",
                       "multiway_stap"}


def test_adaptive_array(tmp_path):
    res = run_example("adaptive_array", tmp_path)
    _pngs(tmp_path, "adaptive_array.png")
    clean = res["runs"][0]["n_3db"]
    assert clean["group"] < clean["loading"] < clean["forward_backward"] < clean["sample"]
    assert res["runs"][2]["rogue"] is not None


def test_doa_music(tmp_path):
    res = run_example("doa_music", tmp_path)
    _pngs(tmp_path, "doa_music_rmse.png", "doa_music_spectra.png")
    assert np.all(np.diff(res["crb_deg"]) < 0)
    assert res["rmse_deg"]["sample covariance"][-1] < 1.0
    on_grid = res["one_snapshot_peaks_deg"]["sources on the DFT grid (sin θ = 2k/M)"]
    # the one-snapshot group average finds on-grid sources like 100-snapshot MUSIC does
    np.testing.assert_allclose(on_grid["group average Z_M, n=1"], on_grid["truth_deg"], atol=0.5)


def test_massive_mimo(tmp_path):
    res = run_example("massive_mimo", tmp_path)
    _pngs(tmp_path, "massive_mimo.png")
    nm = {k: np.array(v) for k, v in res["nmse"].items()}
    assert np.all(nm["MMSE, known R"] <= nm["least squares"])
    # at low SNR the one-pilot group average beats least squares by several dB
    assert 10 * np.log10(nm["least squares"][0] / nm["group average Z_M, 1 pilot"][0]) > 3


def test_graphs(tmp_path):
    res = run_example("graphs", tmp_path)
    _pngs(tmp_path, "graphs.png")
    for g in res["graphs"]:
        assert g["group_order"] == g["expected_order"] and g["discover_agrees"]
        assert g["multiplicity_free"] and g["offdiag_L"] < 1e-10
        assert len(g["matched_class_values_and_sizes"]) == len(g["laplacian_eigenvalues"])
    assert res["hypercube_wht_offdiag"] < 1e-12


def test_image_patches(tmp_path):
    res = run_example("image_patches", tmp_path)
    _pngs(tmp_path, "image_patches.png")
    cands = res["candidates"]
    assert res["selected_group"] in cands
    wrong = cands["torus shifts Z_8 x Z_8 (wrong)"]["heldout_nll"]
    assert cands[res["selected_group"]]["heldout_nll"] < wrong
    assert res["coding_gain_db"]["2-D DCT-II (a priori)"]["ascent"] > 10
    # algdiv.discover with the square's symmetries as ambient keeps the point symmetry that
    # 2-D stationarity implies (R(d) = R(-d), the rotation by 180 degrees), inside the selection
    found = res["discover"]["non-overlapping patches"]["equals"]
    assert found in (["<rotation 180>"], ["<both flips> (Klein)"])
    assert res["selected_group"] in ("<both flips> (Klein)", "D_4 (all 8 symmetries)")


def test_real_data(tmp_path):
    res = run_example("real_data", tmp_path)
    _pngs(tmp_path, "real_data.png")
    rows = {r["dataset"]: r for r in res["rows"]}
    assert set(rows) == {"digits", "ecg"}
    for r in rows.values():
        # at n = M the sample covariance is singular; the shrunk estimates are not
        assert r["score"]["sample"] == -np.inf
        assert np.isfinite(r["score"]["auto"]) and np.isfinite(r["score"]["ledoit_wolf"])
        assert sum(r["selected"].values()) == r["folds"] == 4
    # the delay-embedded ECG at n = M: the blind estimate beats both peers (whether a symmetry
    # is used is the blind guard's call: at 7 contrasts its gain is not significant)
    assert rows["ecg"]["auto_wins"]
    assert 0 <= rows["ecg"]["symmetry_helps_folds"] <= rows["ecg"]["folds"]


def test_qmc_kernels(tmp_path):
    res = run_example("qmc_kernels", tmp_path)
    _pngs(tmp_path, "qmc_kernels.png")
    assert res["net_equals_scipy_sobol_as_a_set"]
    for case in res["cases"]:
        assert case["contains_expected"] and case["gram_invariant_under_expected"]
        assert case["discover_agrees"]
        assert case["offdiag_in_fast_basis"] < 1e-10
        assert case["found_order"] % case["expected_order"] == 0
    assert all(t["max_rel_diff"] < 1e-10 for t in res["timings"])


@pytest.mark.parametrize("name", ["doa_music", "graphs"])
def test_help_does_not_run(name, capsys):
    spec = importlib.util.spec_from_file_location(f"gallery_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(SystemExit) as exc:
        module.main(["--help"])
    assert exc.value.code == 0
    assert "--quick" in capsys.readouterr().out
