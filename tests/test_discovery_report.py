"""discover(): planted recovery (ambient and blind), the report, naming, bad input."""

import json

import numpy as np
import pytest

from algdiv import reynolds
from algdiv.discovery import catalogue_name, discover
from algdiv.groups import (
    affine,
    cyclic,
    dihedral,
    direct_product,
    elementary_abelian,
    iterated_wreath,
    relabel,
    subgroup,
    symmetric,
    trivial,
)

from .conftest import gaussian_snapshots


def random_spd(m, rng, complex_=False):
    a = rng.standard_normal((m, m))
    if complex_:
        a = a + 1j * rng.standard_normal((m, m))
    return a @ np.conj(a.T) + np.eye(m)


def snapshots(R0, n, rng, complex_=False):
    return gaussian_snapshots(R0, n, rng, complex_)


D16 = dihedral(16)
I16 = np.arange(16)


def DJ(J):
    return subgroup(D16, [(I16 + 16 // J) % 16, (-I16) % 16])


@pytest.mark.parametrize("J", [2, 4, 8, 16])
def test_ambient_search_finds_the_planted_dihedral_subgroup(rng, J):
    R0 = reynolds(random_spd(16, rng), DJ(J))
    exact = discover(R=R0, ambient=D16)
    assert exact.group == DJ(J) and exact.mode == "ambient"
    assert exact.delta < 1e-12 and exact.alpha is None
    noisy = discover(snapshots(R0, 2000, rng), ambient=D16)
    assert noisy.group == DJ(J)
    assert noisy.alpha <= noisy.alpha_limit


@pytest.mark.parametrize(
    "G,expected",
    [
        (cyclic(12), "dihedral(12)"),  # real data: Z_M and D_M are indistinguishable
        (dihedral(15), "dihedral(15)"),
        (elementary_abelian(4), "elementary_abelian(4)"),
        (iterated_wreath([2, 2, 2, 2]), "iterated_wreath([2, 2, 2, 2])"),
        (iterated_wreath([3, 2]), "iterated_wreath([3, 2])"),
        (symmetric(9), "symmetric(9)"),
        (affine(11), "symmetric(11)"),  # AGL(1, p) has the commutant of S_p
        (trivial(6), "trivial(6)"),
    ],
)
def test_blind_search_on_exact_covariances_names_the_hidden_group(rng, G, expected):
    R = reynolds(random_spd(G.degree, rng), relabel(G, rng.permutation(G.degree)))
    rep = discover(R=R)
    assert rep.name == expected
    assert rep.delta < 1e-12 and rep.certificate < 1e-12


def test_blind_search_keeps_complex_cyclic_groups_and_notes_real_ambiguity(rng):
    sigma = rng.permutation(10)
    cplx = discover(R=reynolds(random_spd(10, rng, True), relabel(cyclic(10), sigma)))
    assert cplx.group == relabel(cyclic(10), sigma) and cplx.name == "cyclic(10)"
    rep = discover(R=reynolds(random_spd(10, rng), relabel(cyclic(10), sigma)))
    assert rep.name == "dihedral(10)"


def test_blind_search_from_snapshots_is_checked_against_the_noise_floor(rng):
    hidden = relabel(dihedral(8), rng.permutation(8))
    R0 = reynolds(random_spd(8, rng), hidden)
    rep = discover(snapshots(R0, 100_000, rng))
    assert rep.group == hidden
    assert rep.alpha <= rep.alpha_limit and rep.delta0 > 0
    # at this sample size the sample covariance itself is far from invariant
    assert rep.delta > 0.5 * rep.delta0


def test_generic_data_give_the_trivial_group(rng):
    rep = discover(snapshots(random_spd(6, rng), 5000, rng))
    assert rep.order == 1 and rep.name == "trivial(6)"
    assert "sample covariance" in rep.recommended_estimator


def test_ambient_too_small_is_noted(rng):
    # Invariant under S_8, searched inside Z_8: all of the ambient fits, and more.
    R = 2 * np.eye(8) + np.ones((8, 8))
    rep = discover(R=R, ambient=cyclic(8))
    assert rep.group == cyclic(8)
    assert any("ambient group too small" in n for n in rep.notes)


def test_report_prints_and_serializes(rng):
    R0 = reynolds(random_spd(16, rng), DJ(4))
    rep = discover(snapshots(R0, 500, rng), ambient=D16)
    text = str(rep)
    for word in ("Matched group", "order 8", "alpha", "delta0", "kappa", "recommended"):
        assert word in text
    d = json.loads(json.dumps(rep.to_dict()))
    assert d["group"]["order"] == 8 and "delta" in d and "alpha" in d
    assert d["transform"] and d["group"]["generators"]
    est = rep.estimator().fit(snapshots(R0, 50, rng))
    assert est.covariance_.shape == (16, 16)
    # the matched transform block-diagonalizes the group-averaged covariance
    U = rep.transform.matrix
    C = reynolds(R0, DJ(4))
    off = U.conj().T @ C @ U
    assert np.linalg.norm(off - np.diag(np.diag(off))) < np.linalg.norm(off)


def test_huge_order_serializes_as_string(rng):
    G = iterated_wreath([2] * 6)
    rep = discover(R=reynolds(random_spd(64, rng), relabel(G, rng.permutation(64))))
    assert rep.to_dict()["group"]["order"] == str(2**63)
    json.dumps(rep.to_dict())


def test_catalogue_names_are_proofs():
    assert catalogue_name(direct_product(cyclic(2), dihedral(5))) == "dihedral(10)"
    assert catalogue_name(direct_product(cyclic(2), cyclic(4))) is None
    assert catalogue_name(affine(7)) == "affine(7)"
    assert catalogue_name(iterated_wreath([2, 3])) == "iterated_wreath([2, 3])"
    assert catalogue_name(direct_product(dihedral(4), dihedral(4))) is None


def test_bad_inputs(rng):
    X = rng.standard_normal((10, 4))
    with pytest.raises(ValueError, match="exactly one"):
        discover()
    with pytest.raises(ValueError, match="exactly one"):
        discover(X, R=np.eye(4))
    with pytest.raises(ValueError, match="n_samples"):
        discover(X, n_samples=5)
    with pytest.raises(ValueError, match="square"):
        discover(R=np.ones((3, 4)))
    with pytest.raises(ValueError, match="Hermitian"):
        discover(R=np.triu(np.ones((4, 4))))
    with pytest.raises(ValueError, match="NaN"):
        discover(R=np.full((4, 4), np.nan))
    with pytest.raises(ValueError, match="ambient acts on 5 points"):
        discover(X, ambient=cyclic(5))
    with pytest.raises(ValueError, match="level"):
        discover(X, level=1.5)


def test_structure_beyond_groups_is_reported():
    # The Shrikhande graph is strongly regular (3 classes: equal, adjacent, not adjacent)
    # but its automorphism group is not rank 3: the equalities are not all explained.
    pts = [(a, b) for a in range(4) for b in range(4)]
    conn = {(1, 0), (3, 0), (0, 1), (0, 3), (1, 1), (3, 3)}
    A = np.array([[((p[0] - q[0]) % 4, (p[1] - q[1]) % 4) in conn for q in pts] for p in pts])
    R = 4 * np.eye(16) + A + 0.5 * (1 - A - np.eye(16))
    rep = discover(R=R)
    assert rep.order == 192
    assert any("structure beyond groups" in n for n in rep.notes)
    # a rank-3 graph (the 4x4 rook's graph, Aut = S_4 wr S_2) has none
    rook = np.array([[(p[0] == q[0]) != (p[1] == q[1]) for q in pts] for p in pts])
    rep2 = discover(R=4 * np.eye(16) + rook + 0.5 * (1 - rook - np.eye(16)))
    assert not any("structure beyond groups" in n for n in rep2.notes)


@pytest.mark.parametrize("complex_", [False, True])
def test_kurtosis_factor_is_exactly_one_on_average_for_gaussian_data(rng, complex_):
    from algdiv.discovery.report import kurtosis_factor
    from algdiv.estimation import sample_covariance

    R0 = random_spd(5, rng, complex_)
    etas = []
    for _ in range(400):
        X = snapshots(R0, 30, rng, complex_)
        etas.append(kurtosis_factor(X, sample_covariance(X), complex_))
    assert abs(np.mean(etas) - 1) < 0.02
    # heavy tails (a Gaussian scale mixture) raise it; the report says so
    X = snapshots(R0, 3000, rng, complex_) * rng.standard_exponential((3000, 1)) ** 1.5
    rep = discover(X)
    assert rep.kurtosis > 3 and any("heavy-tailed" in n for n in rep.notes)
