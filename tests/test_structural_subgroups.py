"""Candidate subgroups named by an ambient's construction."""

import numpy as np
import pytest

from algdiv.discovery.candidates import structural_subgroups
from algdiv.groups import (
    cyclic,
    dihedral,
    direct_product,
    elementary_abelian,
    iterated_wreath,
    relabel,
    symmetric,
)


@pytest.mark.parametrize(
    "ambient",
    [iterated_wreath([2] * 4), iterated_wreath([3, 2]), iterated_wreath([2, 3, 2]),
     dihedral(12), direct_product(dihedral(4), dihedral(4)),
     relabel(iterated_wreath([2] * 3), np.random.default_rng(0).permutation(8))],
)
def test_every_structural_candidate_is_a_subgroup(ambient):
    subs = structural_subgroups(ambient)
    assert subs
    for H in subs:
        assert H.degree == ambient.degree
        assert H.is_subgroup_of(ambient)
        assert H.order < ambient.order


def test_the_binary_tree_contains_z2m_as_its_digit_shifts():
    (H,) = structural_subgroups(iterated_wreath([2] * 4))
    np.testing.assert_array_equal(H.pair_orbits(), elementary_abelian(4).pair_orbits())


def test_mixed_branching_digit_shifts_are_regular():
    H = structural_subgroups(iterated_wreath([3, 2]))[0]
    assert H.order == 6 and len(H.orbits()) == 1  # regular: transitive of order M


def test_a_relabelled_tree_gives_relabelled_z2m():
    perm = np.random.default_rng(1).permutation(16)
    (H,) = structural_subgroups(relabel(iterated_wreath([2] * 4), perm))
    np.testing.assert_array_equal(H.pair_orbits(), relabel(elementary_abelian(4), perm).pair_orbits())


def test_products_combine_the_factors_subgroups():
    subs = structural_subgroups(direct_product(dihedral(4), dihedral(4)))
    names = {H.order for H in subs}
    assert 16 in names  # Z_4 x Z_4
    assert all(H.order != 64 for H in subs)  # never the ambient itself


def test_other_ambients_name_none():
    assert structural_subgroups(symmetric(5)) == []
    assert structural_subgroups(cyclic(7)) == []
