"""Sequential GEVP: deflation, rounding to the nearest permutation, closure, verification."""

import itertools

import numpy as np
import pytest

from algdiv import reynolds
from algdiv.discovery import bases, dc_gevp, nearest_permutation, sequential
from algdiv.groups import (
    PermutationGroup,
    cyclic,
    dihedral,
    direct_product,
    elementary_abelian,
    relabel,
    subgroup,
)
from algdiv.groups.permutations import permutation_matrix


def random_spd(m, rng, complex_=False):
    a = rng.standard_normal((m, m))
    if complex_:
        a = a + 1j * rng.standard_normal((m, m))
    return a @ np.conj(a.T) / m + np.eye(m)


def test_nearest_permutation_agrees_with_brute_force(rng):
    for _ in range(20):
        A = rng.standard_normal((5, 5)) + 2 * permutation_matrix(rng.permutation(5))
        A *= rng.choice([-1.0, 1.0]) * rng.uniform(0.1, 10)
        p, score = nearest_permutation(A)
        sign = 1 if A.flat[np.argmax(np.abs(A))] > 0 else -1
        best = max(
            itertools.permutations(range(5)),
            key=lambda q: max(
                s * np.sum(A[list(q), range(5)]) for s in (sign, -sign)
            ),
        )
        assert np.sum(A[p, range(5)]) * sign == pytest.approx(
            max(np.sum(A[list(best), range(5)]) * s for s in (sign, -sign))
        ) or np.array_equal(p, best)
        assert -1 <= score <= 1


def test_nearest_permutation_of_a_phase_rotated_permutation(rng):
    p = rng.permutation(9)
    A = np.exp(1j * 2.1) * permutation_matrix(p) + 0.01 * rng.standard_normal((9, 9))
    q, score = nearest_permutation(A)
    np.testing.assert_array_equal(q, p)
    assert score > 0.99


D16 = dihedral(16)


@pytest.mark.parametrize("J", [2, 4, 8, 16])
def test_recovers_dihedral_subgroups_from_the_ambient_dictionary(rng, J):
    i = np.arange(16)
    DJ = subgroup(D16, [(i + 16 // J) % 16, (-i) % 16])
    R = reynolds(random_spd(16, rng), DJ)
    out = sequential(R, bases.permutations(D16))
    assert out.group == DJ
    assert out.delta < 1e-12
    assert np.all(np.diff(out.eigenvalues) >= -1e-12)
    g = out.generators.reshape(len(out.generators), -1)
    np.testing.assert_allclose(g @ g.T, np.eye(len(g)), atol=1e-10)
    # the deflated sequence spans the same space as the DC-GEVP null space
    assert len(out.generators) == dc_gevp(R, bases.permutations(D16)).null_dim


@pytest.mark.parametrize(
    "G,complex_",
    [(cyclic(9), True), (elementary_abelian(3), False),
     (direct_product(cyclic(3), cyclic(3)), True)],
)
def test_planted_group_found_from_a_generic_dictionary(rng, G, complex_):
    sigma = rng.permutation(G.degree)
    hidden = relabel(G, sigma)
    R = reynolds(random_spd(G.degree, rng, complex_), hidden)
    others = [rng.permutation(G.degree) for _ in range(20)]
    elements = [sigma[e][np.argsort(sigma)] for e in G.elements()[1:]]
    B = bases.permutations(others + elements)
    out = sequential(R, B)
    assert out.group == hidden


def test_no_group_when_nothing_commutes(rng):
    R = random_spd(8, rng)
    # The identity lies in the span of D_8's non-identity elements (the reflections sum
    # to the all-ones matrix, as do all rotations): it is the only commuting direction.
    out = sequential(R, bases.permutations(dihedral(8)))
    assert len(out.generators) == 1 and out.group is None
    np.testing.assert_allclose(out.generators[0], np.eye(8) / np.sqrt(8), atol=1e-10)
    out = sequential(R, bases.permutations(dihedral(8)), exclude_trivial=True)
    assert len(out.generators) == 0 and out.group is None and out.next_eigenvalue > 0


def test_threshold_and_max_generators(rng):
    R = reynolds(random_spd(8, rng), cyclic(8)) + 1e-5 * np.diag(rng.standard_normal(8))
    assert sequential(R, bases.shifts(8)).group is None
    loose = sequential(R, bases.shifts(8), threshold=1e-3)
    assert loose.group == cyclic(8)
    assert len(sequential(R, bases.shifts(8), threshold=1e-3, max_generators=2).generators) == 2


def test_bad_inputs(rng):
    with pytest.raises(ValueError, match="threshold"):
        sequential(np.eye(3), bases.shifts(3), threshold=-1)
    with pytest.raises(ValueError, match="dictionary"):
        sequential(np.eye(3), "so")
    with pytest.raises(ValueError, match="3x3"):
        sequential(np.eye(3), bases.shifts(4))
    assert isinstance(sequential(np.eye(3), bases.shifts(3)).group, PermutationGroup)
