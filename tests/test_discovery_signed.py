"""Signed automorphisms and the signed-permutation dictionary, against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose

from algdiv import reynolds
from algdiv.discovery import automorphisms, dc_gevp
from algdiv.discovery.signed import signed_automorphisms, signed_permutations
from algdiv.groups import PermutationGroup, SignedPermutationGroup, dihedral, negacyclic, sign_flips
from algdiv.groups.signed import signed_permutation_matrix


def _all_signed(m: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [
        (p, s)
        for p in itertools.permutations(range(m))
        for s in itertools.product((1, -1), repeat=m)
    ]


def _brute_force(R: np.ndarray, tol: float) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    out = set()
    for p, s in _all_signed(R.shape[0]):
        Q = signed_permutation_matrix((p, s))
        if np.max(np.abs(Q @ R @ Q.T - R)) <= tol:
            out.add((p, s))
    return out


def _as_set(G: SignedPermutationGroup) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    return {(tuple(int(v) for v in p), tuple(int(v) for v in s)) for p, s in G.elements(limit=10_000)}


def _spd(m: int, rng: np.random.Generator, complex_: bool = False) -> np.ndarray:
    A = rng.standard_normal((m, m))
    if complex_:
        A = A + 1j * rng.standard_normal((m, m))
    return A @ A.conj().T + m * np.eye(m)


def _cases() -> list[tuple[str, np.ndarray]]:
    rng = np.random.default_rng(7)
    out = [
        ("generic", _spd(4, rng)),
        ("negacyclic(4)", negacyclic(4).reynolds(_spd(4, rng))),
        ("negacyclic(5)", negacyclic(5).reynolds(_spd(5, rng))),
        ("dihedral(4) unsigned", reynolds(_spd(4, rng), dihedral(4))),
        ("diagonal with ties", np.diag([1.0, 2.0, 1.0, 3.0])),
        ("block with a zero pair", np.array([[2.0, 0.5, 0.0], [0.5, 2.0, 0.0], [0.0, 0.0, 1.0]])),
        ("sign flips", sign_flips(4).reynolds(_spd(4, rng))),
        ("complex negacyclic(4)", negacyclic(4).reynolds(_spd(4, rng, complex_=True))),
    ]
    return out


@pytest.mark.parametrize(("label", "R"), _cases(), ids=[c[0] for c in _cases()])
def test_signed_automorphisms_equal_brute_force(label: str, R: np.ndarray) -> None:
    tol = 1e-8 * float(np.max(np.abs(R)))
    G = signed_automorphisms(R)
    assert _as_set(G) == _brute_force(R, 10 * tol), label
    assert G.order == len(_brute_force(R, 10 * tol))


def test_signed_group_contains_minus_identity_and_the_unsigned_automorphisms() -> None:
    rng = np.random.default_rng(3)
    R = reynolds(_spd(6, rng), dihedral(6))
    G = signed_automorphisms(R)
    assert G.contains((np.arange(6), -np.ones(6)))
    for g in automorphisms(R).generators:
        assert G.contains((g, np.ones(6)))
    # No signed symmetry beyond the permutations: exactly 2 x |Aut(R)| (the factor is ±I).
    assert G.order == 2 * automorphisms(R).order


def test_signed_automorphisms_find_negacyclic_from_snapshots() -> None:
    M, n = 8, 200_000
    rng = np.random.default_rng(11)
    R = negacyclic(M).reynolds(_spd(M, rng))
    X = rng.standard_normal((n, M)) @ np.linalg.cholesky(R).T
    S = X.T @ X / n
    se = np.sqrt((np.diag(S)[:, None] * np.diag(S)[None, :] + S**2) / n)  # Gaussian entry s.e.
    G = signed_automorphisms(S, tol=4 * float(se.max()))
    assert G == signed_automorphisms(R)  # the exact covariance's group, from 25000 M snapshots
    assert all(G.contains(g) for g in negacyclic(M).generators)
    # the unsigned search sees much less
    assert automorphisms(S, tol=4 * float(se.max())).order < negacyclic(M).order


def test_signed_automorphisms_do_not_modify_input_and_validate() -> None:
    R = negacyclic(4).reynolds(np.diag([1.0, 2.0, 3.0, 4.0]))
    before = R.copy()
    signed_automorphisms(R)
    assert_allclose(R, before, rtol=0, atol=0)
    with pytest.raises(ValueError, match="Hermitian"):
        signed_automorphisms(np.triu(np.ones((3, 3))))
    with pytest.raises(ValueError, match="tol"):
        signed_automorphisms(np.eye(3), tol=-1.0)
    with pytest.raises(ValueError, match="max_nodes"):
        signed_automorphisms(np.eye(3), max_nodes=0)


def test_from_doubled_round_trip_and_refuses_non_signed() -> None:
    G = negacyclic(5)
    back = SignedPermutationGroup.from_doubled(G.doubled())
    assert back == G and back.order == 10
    with pytest.raises(ValueError, match="pairs"):
        SignedPermutationGroup.from_doubled(PermutationGroup([[1, 0, 2, 3]], 4))
    with pytest.raises(ValueError, match="odd"):
        SignedPermutationGroup.from_doubled(PermutationGroup([[1, 2, 0]], 3))
    with pytest.raises(TypeError):
        SignedPermutationGroup.from_doubled("cyclic(4)")  # type: ignore[arg-type]


def test_signed_permutation_dictionary_matches_the_elements() -> None:
    G = negacyclic(4)
    B = signed_permutations(G)
    expected = [
        signed_permutation_matrix(g) for g in G.elements()
        if not (np.array_equal(g[0], np.arange(4)) and abs(int(g[1].sum())) == 4)
    ]
    assert B.shape == (6, 4, 4)
    assert {m.tobytes() for m in B} == {np.asarray(m, dtype=float).tobytes() for m in expected}
    sparse = signed_permutations(G, sparse_format=True)
    assert_allclose(np.array([m.toarray() for m in sparse]), B, rtol=0, atol=0)
    # generators only when the group is larger than max_elements
    assert signed_permutations(G, max_elements=4).shape == (1, 4, 4)
    # explicit pairs
    explicit = signed_permutations([([1, 0, 2], [1, -1, 1])])
    assert_allclose(explicit[0], signed_permutation_matrix(([1, 0, 2], [1, -1, 1])), rtol=0, atol=0)
    with pytest.raises(ValueError, match="at least one"):
        signed_permutations([])


def test_dc_gevp_over_the_signed_dictionary_certifies_signed_invariance() -> None:
    rng = np.random.default_rng(5)
    B = signed_permutations(negacyclic(5))
    R = negacyclic(5).reynolds(_spd(5, rng))
    generic = _spd(5, rng)
    scale = float(np.linalg.norm(R)) ** 2
    assert dc_gevp(R, B).certificate < 1e-12 * scale
    assert dc_gevp(generic, B).certificate > 1e-3 * float(np.linalg.norm(generic)) ** 2


def test_discover_reports_signed_symmetry_of_an_exact_skew_circulant() -> None:
    import json

    from algdiv import GroupCovariance, discover

    M = 8
    R = negacyclic(M).reynolds(np.diag(np.arange(1.0, M + 1)) + 0.3 * np.ones((M, M)))
    rep = discover(R=R)
    assert rep.signed_group is not None
    assert all(rep.signed_group.contains(g) for g in negacyclic(M).generators)
    assert rep.signed_group.commutant_dim < rep.group.n_pair_orbits
    d = json.loads(json.dumps(rep.to_dict()))["signed"]
    assert d["commutant_dim"] == rep.signed_group.commutant_dim
    assert d["d_eff"] == pytest.approx(M * M / rep.signed_group.commutant_dim)
    back = SignedPermutationGroup([tuple(g) for g in d["generators"]], M)
    assert back == rep.signed_group
    est = rep.estimator()
    assert isinstance(est, GroupCovariance) and est.group is rep.signed_group
    assert "Signed symmetry" in str(rep)


def test_discover_reports_no_signed_symmetry_when_permutations_explain_R() -> None:
    from algdiv import discover

    rng = np.random.default_rng(2)
    R = reynolds(_spd(8, rng), dihedral(8))
    rep = discover(R=R)
    assert rep.signed_group is None and rep.to_dict()["signed"] is None


def test_group_covariance_over_a_signed_group_is_its_reynolds_projection() -> None:
    from algdiv import GroupCovariance

    rng = np.random.default_rng(4)
    G = negacyclic(6)
    X = rng.standard_normal((40, 6)) + 2.0
    est = GroupCovariance(G).fit(X)
    # The negacyclic shift maps e_5 to -e_0: the only invariant mean is 0 (Q^6 = -I).
    assert_allclose(est.location_, np.zeros(6), atol=1e-15)
    S = X.T @ X / X.shape[0]  # centred at the invariant mean 0
    assert_allclose(est.covariance_, G.reynolds(S), rtol=1e-12, atol=1e-12)
    Q = signed_permutation_matrix((G.permutations[0], G.signs[0]))
    assert_allclose(Q @ est.covariance_ @ Q.T, est.covariance_, rtol=1e-12, atol=1e-12)
    # a signed group with a non-zero invariant mean: sign flips of coordinates 0 and 1 only
    H = SignedPermutationGroup([(np.arange(4), [-1, 1, 1, 1]), (np.arange(4), [1, -1, 1, 1])])
    mu = GroupCovariance(H).fit(rng.standard_normal((30, 4)) + 5.0).location_
    assert mu[0] == 0.0 and mu[1] == 0.0 and np.all(mu[2:] > 4.0)
    with pytest.raises(ValueError, match="4 points"):
        GroupCovariance(H).fit(rng.standard_normal((10, 5)))
