"""The one integer check (``algdiv._validation.is_int`` / ``as_int``) and the call sites
that use it: integers are Python ints, NumPy integers and anything with an exact
``__index__``; bools and integer-valued floats are refused."""

import operator
import pickle

import numpy as np
import pytest
import sympy

from algdiv import SymmetryShrinkage
from algdiv._validation import as_int, is_int
from algdiv.batch import fit_many
from algdiv.datasets import hidden_symmetry
from algdiv.estimation import delay_embed
from algdiv.experiments import adaptive_array, variance_law
from algdiv.groups import PermutationGroup, cyclic, format_order

INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]

INTEGERS = [0, 7, -3, 2**80, sympy.Integer(12), np.array(5)] + [t(9) for t in INT_DTYPES]

NOT_INTEGERS = [
    True,
    False,
    np.True_,
    np.False_,
    2.0,
    np.float64(2.0),
    1 + 0j,
    "3",
    None,
    [3],
    np.array([3]),
    np.array(2.0),
    sympy.Rational(1, 2),
]


@pytest.mark.parametrize("value", INTEGERS, ids=repr)
def test_integers_are_accepted_with_their_value(value):
    assert is_int(value)
    out = as_int(value, "k")
    assert type(out) is int
    assert out == operator.index(value)  # the value Python's own index protocol gives


@pytest.mark.parametrize("value", NOT_INTEGERS, ids=repr)
def test_bools_and_non_integers_are_refused(value):
    assert not is_int(value)
    with pytest.raises(TypeError) as info:
        as_int(value, "trials")
    assert str(info.value) == f"trials must be an int, got {type(value).__name__}"


def test_bool_is_refused_although_it_is_an_int():
    assert isinstance(True, int) and operator.index(True) == 1
    with pytest.raises(TypeError, match="^M must be an int, got bool$"):
        as_int(True, "M", minimum=0)


@pytest.mark.parametrize("minimum", [-2, 0, 1, 5])
def test_minimum_is_inclusive(minimum):
    assert as_int(minimum, "n", minimum=minimum) == minimum
    assert as_int(np.int64(minimum + 1), "n", minimum=minimum) == minimum + 1
    with pytest.raises(ValueError) as info:
        as_int(minimum - 1, "n", minimum=minimum)
    assert str(info.value) == f"n must be at least {minimum}, got {minimum - 1}"


def test_no_minimum_accepts_any_integer():
    assert as_int(-(2**70), "offset") == -(2**70)


def test_type_is_checked_before_the_minimum():
    with pytest.raises(TypeError, match="step must be an int, got float"):
        as_int(-1.0, "step", minimum=1)


# -- the call sites: same messages as before, bools now refused everywhere ---------------


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: delay_embed(np.arange(6.0), True), TypeError, "M must be an int, got bool"),
        (lambda: delay_embed(np.arange(6.0), 2.0), TypeError, "M must be an int, got float"),
        (lambda: delay_embed(np.arange(6.0), 2, 0), ValueError, "step must be at least 1, got 0"),
        (lambda: variance_law(cyclic(4), n=True), TypeError, "n must be an int, got bool"),
        (lambda: variance_law(cyclic(4), n=0), ValueError, "n must be at least 1, got 0"),
        (lambda: adaptive_array(M=8, J=True), TypeError, "J must be an int, got bool"),
        (lambda: adaptive_array(M=8, J=2, trials=0), ValueError, "trials must be at least 1"),
        (lambda: format_order(True), TypeError, "n must be an int, got bool"),
        (lambda: format_order(2.5), TypeError, "n must be an int, got float"),
        (lambda: PermutationGroup([], degree=True), ValueError, "degree must be a positive int"),
        (lambda: PermutationGroup([], degree=3.0), ValueError, "degree must be a positive int"),
        (lambda: hidden_symmetry(n_samples=True), ValueError, "n_samples must be a positive int"),
        (lambda: fit_many(SymmetryShrinkage("cyclic"), [np.eye(2)], n_jobs=True), ValueError,
         "n_jobs must be"),
        (lambda: fit_many(SymmetryShrinkage("cyclic"), [np.eye(2)] * 2, n_jobs=2,
                          batch_size=True), ValueError, "batch_size must be"),
        (lambda: SymmetryShrinkage("cyclic", shrinkage="heldout", cv=True).fit(np.eye(4)),
         ValueError, "cv must be an int >= 2"),
    ],
)
def test_call_sites_refuse_bools_and_non_integers(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_call_sites_accept_numpy_and_sympy_integers():
    s = np.arange(8.0)
    np.testing.assert_array_equal(delay_embed(s, np.int32(3), np.uint8(2)), delay_embed(s, 3, 2))
    assert format_order(sympy.Integer(720)) == format_order(np.int64(720)) == "720"
    G = PermutationGroup([[1, 2, 0]], degree=np.int16(3))
    assert G.degree == 3 and type(G.degree) is int
    assert pickle.loads(pickle.dumps(G)).degree == 3
    X = np.random.default_rng(0).standard_normal((12, 4))
    a = SymmetryShrinkage("cyclic", shrinkage="heldout", cv=np.int64(3)).fit(X)
    b = SymmetryShrinkage("cyclic", shrinkage="heldout", cv=3).fit(X)
    np.testing.assert_allclose(a.covariance_, b.covariance_, rtol=0, atol=0)
    data = hidden_symmetry("cyclic(4)", n_samples=np.int64(5), rng=0)
    assert data.X.shape == (5, 4)
