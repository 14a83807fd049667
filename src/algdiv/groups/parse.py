"""A small, safe grammar for naming groups in text (CLI arguments, config files).

::

    expr    := NAME "(" [arg ("," arg)*] ")"
    arg     := expr | INT | list | STRING | NAME "=" (INT | list | STRING)
    list    := "[" [item ("," item)*] "]" ["*" INT]
    item    := INT | STRING | list

``NAME`` is one of the constructors in :data:`FUNCTIONS`.  The text is tokenized and
interpreted here; nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._limits import check_memory
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
from .formatting import format_order
from .products import direct_product, wreath_product

__all__ = ["parse", "GroupParseError", "FUNCTIONS", "MAX_DEPTH", "MAX_TEXT_LENGTH"]


class GroupParseError(ValueError):
    """Raised for text that is not a valid group expression; ``position`` is 0-based.

    The message quotes the text, or for long text an excerpt around ``position``; the
    whole text stays available as the ``text`` attribute.
    """

    def __init__(self, text: str, position: int, message: str) -> None:
        self.text = text
        self.position = position
        super().__init__(f"cannot parse group {_excerpt(text, position)} at position {position}: {message}")


#: The longest group text accepted, in characters.
MAX_TEXT_LENGTH = 1_000_000
#: The deepest nesting of groups and lists accepted.
MAX_DEPTH = 100
#: The most factors one ``direct_product(...)`` takes (each factor of two or more points
#: at least doubles the degree, so more than this is never a group one can build).
MAX_FACTORS = 64
_MAX_INT_DIGITS = 30
#: Bytes per ``M^2`` entry of sympy's Schreier-Sims tables (measured: about 18 for the
#: membership tests of ``affine(p)``), used to estimate the checks done through sympy.
SCHREIER_SIMS_BYTES = 24


def _shorten(s: str, limit: int = 40) -> str:
    return s if len(s) <= limit else s[: limit - 3] + "..."


def _excerpt(text: str, position: int, width: int = 40) -> str:
    """``repr`` of ``text``, or of an excerpt around ``position`` when it is long."""
    if len(text) <= 2 * width:
        return repr(text)
    lo = max(0, position - width // 2)
    hi = min(len(text), lo + width)
    body = ("..." if lo else "") + text[lo:hi] + ("..." if hi < len(text) else "")
    return f"{body!r} ({len(text)} characters)"


def _size_text(n: int) -> str:
    """An int for a message: exact up to 15 digits, else ``~1.2e+903``."""
    if n < 10**15:
        return str(n)
    return "~" + format_order(n)


_G, _INT, _LIST, _STR = "group", "int", "list", "string"

#: name -> (constructor, positional argument kinds, keyword argument kinds, variadic)
FUNCTIONS: dict[str, tuple[Callable[..., PermutationGroup], list[str], dict[str, str], bool]] = {
    "trivial": (trivial, [_INT], {}, False),
    "cyclic": (cyclic, [_INT], {}, False),
    "dihedral": (dihedral, [_INT], {}, False),
    "symmetric": (symmetric, [_INT], {}, False),
    "elementary_abelian": (elementary_abelian, [_INT], {}, False),
    "affine": (affine, [_INT], {}, False),
    "iterated_wreath": (iterated_wreath, [_LIST], {"node_group": _STR + "|" + _LIST}, False),
    "direct_product": (direct_product, [_G, _G], {}, True),
    "wreath_product": (wreath_product, [_G, _G], {}, False),
    "from_generators": (from_generators, [_LIST], {}, False),
    "subgroup": (subgroup, [_G, _LIST], {}, False),
}

_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<int>-?\d+)|(?P<str>\"[^\"]*\"|'[^']*')"
    r"|(?P<punct>[()\[\],=*]))"
)
_SPACE = re.compile(r"\s*")


@dataclass
class _Tok:
    kind: str
    value: Any
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    toks, pos, n = [], 0, len(text)
    while True:
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= n:
            break
        mt = _TOKEN.match(text, pos)
        if not mt:
            raise GroupParseError(text, pos, f"unexpected character {text[pos]!r}")
        kind = mt.lastgroup
        assert kind is not None
        start = mt.start(kind)
        raw = mt.group(kind)
        value: Any = raw
        if kind == "int":
            if len(raw.lstrip("-")) > _MAX_INT_DIGITS:
                raise GroupParseError(
                    text, start, f"number with {len(raw.lstrip('-'))} digits is too large"
                )
            value = int(raw)
        elif kind == "str":
            value = raw[1:-1]
        toks.append(_Tok(kind, value, start))
        pos = mt.end()
    toks.append(_Tok("end", None, n))
    return toks


def _product(values: list[int], cap: int = 1 << 4096) -> int:
    """The product of positive ints, saturating at ``cap`` (far above any memory limit)."""
    out = 1
    for v in values:
        out = min(out * max(int(v), 1), cap)
    return out


def _count_items(items: list[Any]) -> int:
    """Number of ints in a nested list (iteratively)."""
    total, stack = 0, [items]
    while stack:
        for x in stack.pop():
            if isinstance(x, list):
                stack.append(x)
            else:
                total += 1
    return total


def _check_cost(
    name: str, args: list[tuple[str, Any, int]], kwargs: dict[str, Any], expr: str
) -> None:
    """Refuse at once (:class:`~algdiv._limits.ResourceLimitError`) a construction too big.

    The estimate is made from the arguments, before anything is built: the generator
    arrays (``#generators x degree`` ints, with the validation copies) and, for the
    constructions that test membership through sympy, its Schreier-Sims tables
    (``~degree^2`` entries).
    """
    vals = [a[1] for a in args]
    ints = [v for v in vals if isinstance(v, int)]
    item = np.dtype(np.intp).itemsize
    degree, n_gens, sympy_degree = None, 0, 0
    if name in ("trivial", "cyclic", "dihedral", "symmetric", "affine") and ints and ints[0] >= 1:
        degree, n_gens = ints[0], 2
        if name == "affine":
            sympy_degree = degree
    elif name == "elementary_abelian" and ints and ints[0] >= 0:
        k = ints[0]
        degree, n_gens = (1 << k) if k <= 4096 else 1 << 4096, max(k, 1)
    elif name == "iterated_wreath" and vals and isinstance(vals[0], list):
        levels = [v for v in vals[0] if isinstance(v, int)]
        degree, n_gens = _product(levels), 2 * len(levels) + 2
        n_gens *= 2  # the intermediate groups of every level are kept by the result
    elif name == "direct_product":
        degree = _product([g.degree for g in vals])
        n_gens = sum(len(g.generators) for g in vals)
    elif name == "wreath_product":
        G, H = vals[0], vals[1]
        degree = G.degree * H.degree
        n_gens = len(H.generators) + len(G.generators) * len(H.orbits())
    elif name == "subgroup":
        sympy_degree = vals[0].degree
    if degree is None:
        return
    nbytes = 3.0 * max(n_gens, 1) * float(degree) * item
    nbytes += SCHREIER_SIMS_BYTES * float(sympy_degree) ** 2
    check_memory(nbytes, f"{_shorten(expr, 60)} (on {_size_text(degree)} points)")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def fail(self, tok: _Tok, message: str) -> GroupParseError:
        return GroupParseError(self.text, tok.pos, message)

    def describe(self, tok: _Tok) -> str:
        return "end of text" if tok.kind == "end" else repr(_shorten(str(tok.value)))

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

    def enter(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(tok, f"nested more than {MAX_DEPTH} levels deep")

    def expr(self) -> tuple[str, Any, int]:
        tok = self.peek()
        if tok.kind != "name":
            raise self.fail(tok, f"expected a group name, found {self.describe(tok)}")
        if tok.value not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise self.fail(tok, f"unknown group {_shorten(tok.value, 20)!r} (known: {known})")
        self.enter(tok)
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
                    raise self.fail(key, f"{tok.value}() has no keyword {_shorten(key.value)!r}")
                self.i += 2
                kind, value, pos = self.value()
                allowed = kw_kinds[key.value].split("|")
                if kind not in allowed:
                    raise GroupParseError(
                        self.text, pos, f"{key.value} must be a {' or a '.join(allowed)}, got a {kind}"
                    )
                kwargs[key.value] = value
            else:
                args.append(self.value())
            if variadic and len(args) > MAX_FACTORS:
                raise GroupParseError(
                    self.text, args[-1][2], f"{tok.value}() takes at most {MAX_FACTORS} groups"
                )
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
        _check_cost(tok.value, args, kwargs, self.text[tok.pos : close.pos + 1])
        values = [a[1] for a in args]
        try:
            if tok.value == "direct_product":  # pairwise, so no recursion on many factors
                group = values[0]
                for factor in values[1:]:
                    group = fn(group, factor)
            else:
                group = fn(*values, **kwargs)
        except (ValueError, TypeError) as exc:
            raise self.fail(tok, _shorten(str(exc).splitlines()[0] if str(exc) else "", 200)) from None
        self.depth -= 1
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

    def list_(self) -> list[Any]:
        start = self.expect("[")
        self.enter(start)
        items: list[Any] = []
        while not self.at("]"):
            if items:
                self.separator("]")
            tok = self.peek()
            if tok.kind in ("int", "str"):
                self.i += 1
                items.append(tok.value)
            elif self.at("["):
                items.append(self.list_())
            else:
                raise self.fail(
                    tok, f"expected an int, a string or a list, found {self.describe(tok)}"
                )
        self.expect("]")
        self.depth -= 1
        if self.at("*"):
            self.i += 1
            tok = self.peek()
            if tok.kind != "int" or tok.value < 0:
                raise self.fail(tok, f"expected a repeat count, found {self.describe(tok)}")
            self.i += 1
            check_memory(
                8.0 * max(_count_items(items), 1) * tok.value,
                f"the list repeated {_size_text(tok.value)} times at position {start.pos}",
            )
            items = items * tok.value
        return items


def parse(text: str) -> PermutationGroup:
    """Build a group from text such as ``"direct_product(cyclic(4), dihedral(5))"``.

    Known names: ``trivial(M)``, ``cyclic(M)``, ``dihedral(M)``, ``symmetric(M)``,
    ``elementary_abelian(m)``, ``affine(p)``, ``iterated_wreath([b0, b1, ...],
    node_group="cyclic")`` (one node group for every level: ``"symmetric"``, the
    default, ``"cyclic"``, ``"dihedral"`` or ``"elementary_abelian"``) or
    ``iterated_wreath([4, 4], node_group=["cyclic", "elementary_abelian"])`` (one per
    level, from the root: a hybrid wreath), ``[2]*10`` repeats a list,
    ``direct_product(G, H, ...)``,
    ``wreath_product(G, H)``, ``from_generators([[...], ...])`` and
    ``subgroup(G, [[...], ...])``.

    The text is checked before anything is built: at most :data:`MAX_TEXT_LENGTH`
    characters, nesting at most :data:`MAX_DEPTH` deep, at most :data:`MAX_FACTORS`
    factors in one ``direct_product``; and each construction's memory is estimated from
    its arguments (generator arrays of ``#generators x degree`` ints, and ``~degree^2``
    Schreier-Sims tables where sympy tests membership) and refused above the limit of
    :func:`algdiv.set_max_memory`.

    Raises
    ------
    GroupParseError
        (a ``ValueError``) naming the position of the problem; long text is quoted by an
        excerpt around that position.
    algdiv.ResourceLimitError
        (a ``ValueError``) when the group would need more memory than the limit; the
        message gives the estimate.

    Examples
    --------
    >>> from algdiv.groups import parse
    >>> parse("direct_product(cyclic(4), dihedral(5))")
    <direct product Z_4 x D_5 on 20 points>
    >>> parse("iterated_wreath([2]*3)").order
    128
    >>> parse('iterated_wreath([2, 4], node_group=["symmetric", "elementary_abelian"])')
    <iterated wreath product Z_2^2 wr S_2 on 8 points>
    >>> parse("cyclic(4")
    Traceback (most recent call last):
    ...
    algdiv.groups.parse.GroupParseError: cannot parse group 'cyclic(4' at position 8: expected ',' or ')', found end of text
    >>> parse("cyclic(99999999999)")
    Traceback (most recent call last):
    ...
    algdiv._limits.ResourceLimitError: cyclic(99999999999) (on 99999999999 points) would need 4.4 TiB; ...
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if len(text) > MAX_TEXT_LENGTH:
        raise GroupParseError(
            text, MAX_TEXT_LENGTH, f"the text is longer than {MAX_TEXT_LENGTH} characters"
        )
    parser = _Parser(text)
    kind, group, pos = parser.value()
    if kind != _G:
        raise GroupParseError(text, pos, f"expected a group expression, found a {kind}")
    end = parser.peek()
    if end.kind != "end":
        raise parser.fail(end, f"unexpected {parser.describe(end)} after the group expression")
    if not isinstance(group, PermutationGroup):  # (a group-kind value is always one)
        raise TypeError(f"internal error: parsed {type(group).__name__}, not a group")
    return group
