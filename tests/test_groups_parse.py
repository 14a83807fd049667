"""The group grammar: parsed, never evaluated; errors point at the position."""

import re

import pytest

from algdiv.groups import (
    GroupParseError,
    affine,
    cyclic,
    dihedral,
    direct_product,
    from_generators,
    iterated_wreath,
    parse,
    symmetric,
    wreath_product,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("cyclic(8)", cyclic(8)),
        ("  dihedral( 16 ) ", dihedral(16)),
        ("direct_product(cyclic(4), dihedral(5))", direct_product(cyclic(4), dihedral(5))),
        ("iterated_wreath([2,2,2])", iterated_wreath([2, 2, 2])),
        ("iterated_wreath([2]*3)", iterated_wreath([2, 2, 2])),
        ('iterated_wreath([3, 2], node_group="cyclic")', iterated_wreath([3, 2], "cyclic")),
        ("wreath_product(cyclic(4), symmetric(4))", wreath_product(cyclic(4), symmetric(4))),
        ("affine(7)", affine(7)),
        ("from_generators([[1, 2, 0]])", cyclic(3)),
        ("subgroup(dihedral(4), [[2, 3, 0, 1]])", from_generators([[2, 3, 0, 1]])),
    ],
)
def test_parse_builds_the_group(text, expected):
    G = parse(text)
    assert G.degree == expected.degree and G.order == expected.order
    assert G == expected


@pytest.mark.parametrize(
    "G",
    [cyclic(5), direct_product(cyclic(4), dihedral(5)), iterated_wreath([3, 2], "cyclic"), affine(5)],
)
def test_expression_round_trips(G):
    assert parse(G.expression) == G


@pytest.mark.parametrize(
    "text, position, message",
    [
        ("cyclic(4", 8, "expected ',' or ')'"),
        ("cyclic(4, 5)", 11, "takes 1 argument"),
        ("foo(3)", 0, "unknown group 'foo'"),
        ("cyclic([4])", 7, "must be a int"),
        ("direct_product(cyclic(4) dihedral(5))", 25, "expected ',' or ')'"),
        ("cyclic(4) x", 10, "after the group expression"),
        ("cyclic(4); import os", 9, "unexpected character ';'"),
        ("__import__('os')", 0, "unknown group '__import__'"),
        ("affine(9)", 0, "p must be prime"),
        ("8", 0, "expected a group expression"),
        ("", 0, "expected a value, found end of text"),
        ('iterated_wreath([2], colour="red")', 21, "has no keyword 'colour'"),
    ],
)
def test_errors_point_at_the_position(text, position, message):
    with pytest.raises(GroupParseError, match=re.escape(message)) as info:
        parse(text)
    assert info.value.position == position
    assert isinstance(info.value, ValueError)
