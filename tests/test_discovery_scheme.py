"""discover() reports structure beyond groups: the coherent closure of an exact R when it is
strictly coarser than the pair orbits of R's automorphism group (a non-Schurian scheme)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.linalg import circulant

from algdiv import GroupCovariance, SchemeCovariance, discover
from algdiv.discovery import report as report_module

from . import _srg


def srg_covariance(adj: np.ndarray) -> np.ndarray:
    m = len(adj)
    return 4 * np.eye(m) + adj + 0.5 * (1 - adj - np.eye(m))


def test_shrikhande_scheme_is_reported_with_its_estimator():
    rep = discover(R=srg_covariance(_srg.shrikhande()))
    assert rep.order == 192 and rep.group.n_pair_orbits == 4
    assert rep.scheme is not None and rep.scheme.rank == 3
    d = json.loads(json.dumps(rep.to_dict()))
    assert d["scheme"]["free_parameters"] == 3 and d["scheme"]["group_free_parameters"] == 4
    assert d["scheme"]["d_eff"] == pytest.approx(256 / 3)
    assert d["scheme"]["association_scheme"] is True
    text = str(rep)
    assert "Structure beyond groups" in text and "non-Schurian association scheme" in text
    est = rep.estimator()
    assert isinstance(est, SchemeCovariance)
    assert "SchemeCovariance" in rep.recommended_estimator
    X = np.random.default_rng(0).standard_normal((3, 16))
    assert rep.scheme.contains(est.fit(X).covariance_)


def test_chang_graph_counts_symmetric_classes_for_real_data():
    rep = discover(R=srg_covariance(_srg.chang("C8")))
    assert rep.order == 96
    d = rep.to_dict()["scheme"]
    assert d["free_parameters"] == 3
    # real symmetric R: pair orbits up to transposition (14 orbits, 12 classes)
    assert rep.group.n_pair_orbits == 14 and d["group_free_parameters"] == 12


def test_rank_3_graph_has_no_scheme_field():
    rep = discover(R=srg_covariance(_srg.rook()))
    assert rep.scheme is None and rep.to_dict()["scheme"] is None
    assert isinstance(rep.estimator(), GroupCovariance)
    assert "Structure beyond groups" not in str(rep)


def test_coincident_values_that_are_not_a_coherent_algebra_give_no_scheme():
    # a D_9 circulant with r(1) = r(2): 4 values against 5 pair orbits, but the merged
    # colouring is not coherent, and its closure is the orbital scheme of D_9 again
    rep = discover(R=circulant([3, 1, 1, 0.5, 0.2, 0.2, 0.5, 1, 1]))
    assert rep.order == 18
    assert any("structure beyond groups" in n for n in rep.notes)
    assert rep.scheme is None


def test_snapshots_never_compute_the_closure(rng):
    X = rng.standard_normal((50, 16)) @ np.linalg.cholesky(srg_covariance(_srg.shrikhande())).T
    rep = discover(X, n_boot=20)
    assert rep.scheme is None and rep.to_dict()["scheme"] is None


def test_above_the_size_limit_the_closure_is_skipped_with_a_note(monkeypatch):
    monkeypatch.setattr(report_module, "SCHEME_LIMIT", 10)
    rep = discover(R=srg_covariance(_srg.shrikhande()))
    assert rep.scheme is None
    assert any("was not computed" in n and "limit of 10" in n for n in rep.notes)
