"""A small, safe grammar for naming groups in text (CLI arguments, config files).

::

    expr    := NAME "(" [arg ("," arg)*] ")"
    arg     := expr | INT | list | STRING | NAME "=" (INT | list | STRING)
    list    := "[" [item ("," item)*] "]" ["*" INT]
    item    := INT | list

``NAME`` is one of the constructors in :data:`FUNCTIONS`.  The text is tokenized and
interpreted here; nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._group import PermutationGroup
from .catalogue import (
    affine,
    cyclic,
    dihedral,
    elementary_abelian,
    from_generators,
    iterated_wreath,
    subgroup,
    symmetric,
    trivial,
)
from .products import direct_product, wreath_product

__all__ = ["parse", "GroupParseError", "FUNCTIONS"]


class GroupParseError(ValueError):
    """Raised for text that is not a valid group expression; ``position`` is 0-based."""

    def __init__(self, text: str, position: int, message: str) -> None:
        self.text = text
        self.position = position
        super().__init__(f"cannot parse group {text!r} at position {position}: {message}")


_G, _INT, _LIST, _STR = "group", "int", "list", "string"

#: name -> (constructor, positional argument kinds, keyword argument kinds, variadic)
FUNCTIONS: dict[str, tuple[Callable[..., PermutationGroup], list[str], dict[str, str], bool]] = {
    "trivial": (trivial, [_INT], {}, False),
    "cyclic": (cyclic, [_INT], {}, False),
    "dihedral": (dihedral, [_INT], {}, False),
    "symmetric": (symmetric, [_INT], {}, False),
    "elementary_abelian": (elementary_abelian, [_INT], {}, False),
    "affine": (affine, [_INT], {}, False),
    "iterated_wreath": (iterated_wreath, [_LIST], {"node_group": _STR}, False),
    "direct_product": (direct_product, [_G, _G], {}, True),
    "wreath_product": (wreath_product, [_G, _G], {}, False),
    "from_generators": (from_generators, [_LIST], {}, False),
    "subgroup": (subgroup, [_G, _LIST], {}, False),
}

_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<int>-?\d+)|(?P<str>\"[^\"]*\"|'[^']*')"
    r"|(?P<punct>[()\[\],=*]))"
)


@dataclass
class _Tok:
    kind: str
    value: Any
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    toks, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        mt = _TOKEN.match(text, pos)
        if not mt:
            start = pos + len(text[pos:]) - len(text[pos:].lstrip())
            raise GroupParseError(text, start, f"unexpected character {text[start]!r}")
        kind = mt.lastgroup
        start = mt.start(kind)
        raw = mt.group(kind)
        value: Any = int(raw) if kind == "int" else raw[1:-1] if kind == "str" else raw
        toks.append(_Tok(kind, value, start))
        pos = mt.end()
    toks.append(_Tok("end", None, len(text)))
    return toks


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def fail(self, tok: _Tok, message: str) -> GroupParseError:
        return GroupParseError(self.text, tok.pos, message)

    def describe(self, tok: _Tok) -> str:
        return "end of text" if tok.kind == "end" else repr(str(tok.value))

    def expect(self, value: str) -> _Tok:
        tok = self.peek()
        if tok.kind != "punct" or tok.value != value:
            raise self.fail(tok, f"expected {value!r}, found {self.describe(tok)}")
        self.i += 1
        return tok

    def separator(self, closing: str) -> None:
        tok = self.peek()
        if tok.kind != "punct" or tok.value != ",":
            raise self.fail(tok, f"expected ',' or {closing!r}, found {self.describe(tok)}")
        self.i += 1

    def at(self, value: str) -> bool:
        tok = self.peek()
        return tok.kind == "punct" and tok.value == value

    def expr(self) -> tuple[str, Any, int]:
        tok = self.peek()
        if tok.kind != "name":
            raise self.fail(tok, f"expected a group name, found {self.describe(tok)}")
        if tok.value not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise self.fail(tok, f"unknown group {tok.value!r} (known: {known})")
        self.i += 1
        fn, kinds, kw_kinds, variadic = FUNCTIONS[tok.value]
        self.expect("(")
        args: list[tuple[str, Any, int]] = []
        kwargs: dict[str, Any] = {}
        while not self.at(")"):
            if args or kwargs:
                self.separator(")")
            nxt = self.toks[self.i + 1] if self.i + 1 < len(self.toks) else None
            if self.peek().kind == "name" and nxt is not None and nxt.value == "=":
                key = self.peek()
                if key.value not in kw_kinds:
                    raise self.fail(key, f"{tok.value}() has no keyword {key.value!r}")
                self.i += 2
                kind, value, pos = self.value()
                if kind != kw_kinds[key.value]:
                    raise GroupParseError(
                        self.text, pos, f"{key.value} must be a {kw_kinds[key.value]}, got a {kind}"
                    )
                kwargs[key.value] = value
            else:
                args.append(self.value())
        close = self.expect(")")
        if len(args) < len(kinds) or (len(args) > len(kinds) and not variadic):
            raise self.fail(
                close, f"{tok.value}() takes {len(kinds)} argument(s), got {len(args)}"
            )
        for k, (kind, _, pos) in enumerate(args):
            want = kinds[min(k, len(kinds) - 1)]
            if kind != want:
                raise GroupParseError(
                    self.text, pos, f"argument {k + 1} of {tok.value}() must be a {want}, got a {kind}"
                )
        try:
            group = fn(*[a[1] for a in args], **kwargs)
        except (ValueError, TypeError) as exc:
            raise self.fail(tok, str(exc)) from None
        return _G, group, tok.pos

    def value(self) -> tuple[str, Any, int]:
        tok = self.peek()
        if tok.kind == "int":
            self.i += 1
            return _INT, tok.value, tok.pos
        if tok.kind == "str":
            self.i += 1
            return _STR, tok.value, tok.pos
        if tok.kind == "punct" and tok.value == "[":
            return _LIST, self.list_(), tok.pos
        if tok.kind == "name":
            return self.expr()
        raise self.fail(tok, f"expected a value, found {self.describe(tok)}")

    def list_(self) -> list:
        self.expect("[")
        items: list = []
        while not self.at("]"):
            if items:
                self.separator("]")
            tok = self.peek()
            if tok.kind == "int":
                self.i += 1
                items.append(tok.value)
            elif self.at("["):
                items.append(self.list_())
            else:
                raise self.fail(tok, f"expected an int or a list, found {self.describe(tok)}")
        self.expect("]")
        if self.at("*"):
            self.i += 1
            tok = self.peek()
            if tok.kind != "int" or tok.value < 0:
                raise self.fail(tok, f"expected a repeat count, found {self.describe(tok)}")
            self.i += 1
            items = items * tok.value
        return items


def parse(text: str) -> PermutationGroup:
    """Build a group from text such as ``"direct_product(cyclic(4), dihedral(5))"``.

    Known names: ``trivial(M)``, ``cyclic(M)``, ``dihedral(M)``, ``symmetric(M)``,
    ``elementary_abelian(m)``, ``affine(p)``, ``iterated_wreath([b0, b1, ...],
    node_group="cyclic")`` (``[2]*10`` repeats a list), ``direct_product(G, H, ...)``,
    ``wreath_product(G, H)``, ``from_generators([[...], ...])`` and
    ``subgroup(G, [[...], ...])``.

    Raises
    ------
    GroupParseError
        (a ``ValueError``) naming the position of the problem.

    Examples
    --------
    >>> from algdiv.groups import parse
    >>> parse("direct_product(cyclic(4), dihedral(5))")
    <direct product Z_4 x D_5 on 20 points>
    >>> parse("iterated_wreath([2]*3)").order
    128
    >>> parse("cyclic(4")
    Traceback (most recent call last):
    ...
    algdiv.groups.parse.GroupParseError: cannot parse group 'cyclic(4' at position 8: expected ',' or ')', found end of text
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    parser = _Parser(text)
    kind, group, pos = parser.value()
    if kind != _G:
        raise GroupParseError(text, pos, f"expected a group expression, found a {kind}")
    end = parser.peek()
    if end.kind != "end":
        raise parser.fail(end, f"unexpected {parser.describe(end)} after the group expression")
    return group
