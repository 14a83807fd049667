"""Smoke runs of the reverberant-room DOA and spherical-array examples (``--quick``).

Each example is imported from its file and its ``main`` called with ``--quick`` into a
temporary folder; the checks restate what the gallery says.  The room example needs the
optional extra ``algdiv[room]`` (pyroomacoustics) and is skipped without it.
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


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"gallery_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(module, out: Path) -> dict:
    if threadpool_limits is None:
        return module.main(["--quick", "--out", str(out)])
    with threadpool_limits(limits=1):
        return module.main(["--quick", "--out", str(out)])


def _png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, path.name
    assert len(data) < 300_000, f"{path.name} is too large for the docs"


def test_room_doa(tmp_path):
    pytest.importorskip("pyroomacoustics")
    module = _load("room_doa")
    res = _run(module, tmp_path)
    _png(tmp_path / "room_doa.png")
    assert (tmp_path / "room_doa.json").exists()
    # MUSIC on algdiv's sample covariance, combined per bin as pyroomacoustics does, IS NormMUSIC
    assert res["max_abs_diff_our_sample_music_vs_pra_normmusic"] < 1e-9
    share = "share_within_5_deg"
    for arr, names in (("ULA", ["pra NormMUSIC", "algdiv forward-backward",
                                "algdiv spatial smoothing + FB"]),
                       ("UCA", ["pra SRP-PHAT", "algdiv phase modes + FB",
                                "algdiv phase modes + FB + smoothing"])):
        for name in names:
            values = res["arrays"][arr][name][share]["0.2"]
            assert len(values) == len(res["frames"])
            assert all(0.0 <= v <= 1.0 for v in values)
    auto = res["arrays"]["UCA"]["algdiv AutoGroupCovariance"][share]["0.2"]
    assert [v is None for v in auto] == [n not in module.AUTO_FRAMES for n in res["frames"]]
    for arr in ("ULA", "UCA"):  # one selection per bin and room at each n in AUTO_FRAMES
        sel = res["auto_selection"][arr]
        assert sel["bins"] == sum(sel["group_orders_selected"].values()) > 0


def test_room_doa_anechoic_directions_are_found():
    """Without reflections every covariance-based method puts both sources within 3 degrees
    (this fixes the conventions: the phase-mode transform, the antipodal FB order, the grid)."""
    pytest.importorskip("pyroomacoustics")
    module = _load("room_doa")
    rng = np.random.default_rng(7)
    ctx = threadpool_limits(limits=1) if threadpool_limits is not None else None
    with ctx if ctx is not None else _null():  # 16 frames: AutoGroupCovariance is not run
        sim = module.simulate(0.0, rng)
        for X, mics, circular in ((sim["X_ula"], sim["ula"], False),
                                  (sim["X_uca"], sim["uca"], True)):
            est = module.Methods(mics, circular).run(X, 16)
            for name, azimuths in est.items():
                if name.startswith("algdiv"):
                    err = module._errors(azimuths, sim["az"], circular)
                    assert np.all(err <= 3.0), (name, err)


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_spherical_array(tmp_path):
    res = _run(_load("spherical_array"), tmp_path)
    _png(tmp_path / "spherical_array.png")
    assert res["ledoit_wolf_vs_sklearn_max_abs_diff"] < 1e-12
    cases = {(c["M"], c["field"]): c for c in res["cases"]}
    for m in (12, 32):
        diffuse = cases[(m, "diffuse")]
        assert diffuse["group_order"] == 60
        assert diffuse["bias_floor"]["zonal"] < 1e-9 and diffuse["bias_floor"]["group"] < 1e-9
        e = {k: np.array(v, dtype=float) for k, v in diffuse["rel_error"].items()}
        # the SO(3)-matched estimate from ONE snapshot beats the sample covariance from 8
        assert e["zonal Z(S) (SO(3))"][0] < e["sample covariance"][-1]
        assert np.all(e["zonal Z(S) (SO(3))"] < e["Ledoit-Wolf"])
        point = cases[(m, "diffuse + point source at 0 dB")]
        assert point["bias_floor"]["zonal"] > 0.5  # a point source is not zonal
    ico = cases[(12, "diffuse")]
    assert ico["group_pair_orbits"] == ico["zonal_classes"] == 4
    # on the icosahedron C(G) is the zonal space: the two estimates agree up to the cone
    np.testing.assert_allclose(ico["rel_error"]["zonal Z(S) (SO(3))"],
                               ico["rel_error"]["icosahedral average (|G| = 60)"], rtol=0.05)


def test_room_doa_without_pyroomacoustics_says_so_in_one_line():
    import subprocess
    import sys

    code = ("import sys; sys.modules['pyroomacoustics'] = None; sys.argv = ['room_doa.py', '--quick']; "
            "exec(open('examples/room_doa.py').read())")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], timeout=300)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "room_doa.py needs pyroomacoustics: pip install 'algdiv[room]' (or pip install pyroomacoustics)"
    ]
