"""Hybrid iterated wreaths: a node group per level (symmetric, cyclic, dihedral, Z_2^k)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from algdiv.groups import NODE_GROUPS, PermutationGroup, iterated_wreath, parse
from algdiv.groups.permutations import closure

from .conftest import naive_pair_partition

NODE_ORDER = {
    "symmetric": lambda b: __import__("math").factorial(b),
    "cyclic": lambda b: b,
    "dihedral": lambda b: 2 * b if b >= 3 else b,
    "elementary_abelian": lambda b: b,
}

CASES = [
    ([4, 4], ["cyclic", "elementary_abelian"]),
    ([3, 2], ["cyclic", "symmetric"]),
    ([2, 4], ["symmetric", "elementary_abelian"]),
    ([4, 3], ["elementary_abelian", "dihedral"]),
    ([3, 4, 2], ["dihedral", "cyclic", "symmetric"]),
    ([5, 3], ["cyclic", "dihedral"]),
    ([2, 2, 4], "elementary_abelian"),
    ([4, 6], "dihedral"),
]


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    pairs = set(zip(a.ravel().tolist(), b.ravel().tolist()))
    return len(pairs) == len(np.unique(a)) == len(np.unique(b))


def _expected_order(branching, node_group) -> int:
    names = [node_group] * len(branching) if isinstance(node_group, str) else node_group
    order, nodes = 1, 1
    for b, name in zip(branching, names):
        order *= NODE_ORDER[name](b) ** nodes
        nodes *= b
    return order


@pytest.mark.parametrize("branching, node_group", CASES)
def test_order_is_the_product_over_nodes_and_matches_schreier_sims(branching, node_group):
    G = iterated_wreath(branching, node_group)
    assert G.degree == int(np.prod(branching))
    assert G.order == _expected_order(branching, node_group)
    # Independent: the same generators with nothing known, order by Schreier-Sims.
    assert PermutationGroup(G.generators).order == G.order


@pytest.mark.parametrize("branching, node_group", CASES)
def test_pair_orbits_equal_those_found_from_the_generators(branching, node_group):
    G = iterated_wreath(branching, node_group)
    plain = PermutationGroup(G.generators)
    assert G.n_pair_orbits == plain.n_pair_orbits
    assert _same_partition(G.pair_orbits(), plain.pair_orbits())


@pytest.mark.parametrize(
    "branching, node_group",
    [([3, 2], ["cyclic", "symmetric"]), ([2, 4], ["symmetric", "elementary_abelian"]), ([2, 3], "dihedral")],
)
def test_small_cases_against_listed_elements(branching, node_group):
    G = iterated_wreath(branching, node_group)
    elements = closure(G.generators, G.degree)
    assert len(elements) == G.order
    assert _same_partition(G.pair_orbits(), naive_pair_partition(G))


def test_node_groups_act_on_the_children_as_named():
    # One level: the node group itself, on b points.
    assert iterated_wreath([6], "cyclic").order == 6
    assert iterated_wreath([6], "dihedral").order == 12
    assert iterated_wreath([8], "elementary_abelian").order == 8
    assert iterated_wreath([8], "elementary_abelian").is_abelian()
    assert not iterated_wreath([8], "cyclic").contains(np.arange(8) ^ 1)
    assert iterated_wreath([8], "elementary_abelian").contains(np.arange(8) ^ 5)
    # Dihedral nodes contain the reflection of the children; cyclic ones do not.
    refl = np.concatenate([(-np.arange(5)) % 5 + 5 * k for k in range(3)])
    assert iterated_wreath([3, 5], ["cyclic", "dihedral"]).contains(refl)
    assert not iterated_wreath([3, 5], "cyclic").contains(refl)


def test_uniform_list_equals_string_and_old_signature_unchanged():
    a = iterated_wreath([3, 3], ["cyclic", "cyclic"])
    b = iterated_wreath([3, 3], node_group="cyclic")
    assert a == b and a.expression == b.expression == 'iterated_wreath([3, 3], node_group="cyclic")'
    assert a.construction == ("iterated_wreath", (3, 3), "cyclic")
    c = iterated_wreath([2, 2, 2])
    assert c.expression == "iterated_wreath([2, 2, 2])"
    assert c.construction == ("iterated_wreath", (2, 2, 2), "symmetric")
    assert c.order == 2**7
    # With two children every node group is Z_2.
    for name in NODE_GROUPS:
        assert iterated_wreath([2, 2, 2], name).order == 2**7


@pytest.mark.parametrize("branching, node_group", CASES)
def test_expression_parses_back_and_pickles(branching, node_group):
    G = iterated_wreath(branching, node_group)
    H = parse(G.expression)
    assert H == G and H.expression == G.expression and H.construction == G.construction
    P = pickle.loads(pickle.dumps(G))
    assert P == G and P.construction == G.construction
    assert _same_partition(P.pair_orbits(), G.pair_orbits())


def test_parse_accepts_lists_of_names():
    G = parse('iterated_wreath([4]*2, node_group=["cyclic"] * 2)')
    assert G == iterated_wreath([4, 4], "cyclic")
    H = parse("iterated_wreath([2, 4], node_group=['symmetric', 'elementary_abelian'])")
    assert H.short_name == "Z_2^2 wr S_2"


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: iterated_wreath([3, 4], ["elementary_abelian", "cyclic"]), ValueError, "power-of-two"),
        (lambda: iterated_wreath([3, 4], ["cyclic"]), ValueError, "one group per level"),
        (lambda: iterated_wreath([3, 4], ["cyclic", "alternating"]), ValueError, r"node_group\[1\]"),
        (lambda: iterated_wreath([3, 4], 5), TypeError, "node_group must be a str"),
        (lambda: iterated_wreath([3, 4], ["cyclic", 3]), ValueError, r"node_group\[1\]"),
    ],
)
def test_bad_node_groups_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    "text, message",
    [
        ('iterated_wreath([3, 4], node_group=["cyclic"])', "one group per level"),
        ("iterated_wreath([3, 4], node_group=3)", "node_group must be a string or a list"),
        ('iterated_wreath([3, "x"])', "branching"),
    ],
)
def test_parse_errors_for_node_groups(text, message):
    with pytest.raises(ValueError, match=message):
        parse(text)
