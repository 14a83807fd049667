"""Membership in cyclic and dihedral groups from their closed form, against the elements."""

import itertools

import numpy as np
import pytest

from algdiv.groups import affine, cyclic, dihedral, relabel


@pytest.mark.parametrize("m", [3, 4, 5, 6, 7])
@pytest.mark.parametrize("family", [cyclic, dihedral])
def test_membership_matches_the_element_list(m, family):
    G = family(m)
    members = {e.tobytes() for e in G.elements()}
    for q in itertools.permutations(range(m)):
        p = np.array(q)
        assert G.contains(p) == (p.tobytes() in members)


def test_relabelled_groups_do_not_use_the_closed_form():
    rng = np.random.default_rng(0)
    G = relabel(cyclic(6), rng.permutation(6))
    members = {e.tobytes() for e in G.elements()}
    for q in itertools.permutations(range(6)):
        p = np.array(q)
        assert G.contains(p) == (p.tobytes() in members)


def test_large_affine_group_is_built_without_a_stabilizer_chain():
    # the normality check of affine(p) tests membership in cyclic(p): closed form, no chain
    # (it took minutes before; a regression shows as a slow suite, timed in the benchmarks)
    G = affine(10007)
    assert G.order == 10007 * 10006
