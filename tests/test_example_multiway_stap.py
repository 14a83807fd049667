"""Quick mode of examples/multiway_stap.py: STAP and image patches with separable and group structure."""

import numpy as np

from tests.test_examples import _pngs, run_example


def test_multiway_stap_quick(tmp_path):
    res = run_example("multiway_stap", tmp_path)
    _pngs(tmp_path, "multiway_stap.png")
    assert (tmp_path / "multiway_stap.json").stat().st_size > 1000
    s = res["stap"]
    # the exact symmetry group needs fewer snapshots than every peer
    peers = [s["n_3db"][k] for k in ("sample", "ledoit_wolf", "separable") if s["n_3db"][k]]
    assert s["n_3db"]["group_exact"] < min(peers)
    # the non-separable clutter ridge: separable fits never reach −3 dB
    assert s["n_3db"]["separable"] is None and s["limit_loss_db"]["separable"] < -10
    p = res["patches"]
    assert p["snapshots"] == [64, 256]
    assert p["loglik"]["sample"][0] is None  # singular
    assert np.all(np.array(p["loglik"]["kronecker_dihedral"]) > np.array(p["loglik"]["separable"]))
