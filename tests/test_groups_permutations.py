"""The permutation convention: p[i] is the image of i, P e_i = e_{p[i]}."""

import numpy as np
import pytest

from algdiv.groups.permutations import (
    apply,
    as_permutation,
    compose,
    conjugate_matrix,
    from_cycles,
    inverse,
    permutation_matrix,
    to_cycles,
)


def test_matrix_sends_basis_vector_i_to_p_i(rng):
    p = rng.permutation(7)
    P = permutation_matrix(p)
    for i in range(7):
        e = np.zeros(7)
        e[i] = 1
        assert np.argmax(P @ e) == p[i]


def test_apply_and_conjugate_agree_with_matrices(rng):
    p = rng.permutation(6)
    P = permutation_matrix(p)
    x = rng.standard_normal(6) + 1j * rng.standard_normal(6)
    A = rng.standard_normal((6, 6))
    np.testing.assert_array_equal(apply(p, x), P @ x)
    np.testing.assert_array_equal(conjugate_matrix(p, A), P @ A @ P.T)
    # (P x)[p[i]] = x[i]
    np.testing.assert_array_equal(apply(p, x)[p], x)


def test_compose_is_matrix_product_and_inverse_is_transpose(rng):
    p, q = rng.permutation(9), rng.permutation(9)
    np.testing.assert_array_equal(
        permutation_matrix(compose(p, q)), permutation_matrix(p) @ permutation_matrix(q)
    )
    np.testing.assert_array_equal(permutation_matrix(inverse(p)), permutation_matrix(p).T)
    np.testing.assert_array_equal(compose(p, inverse(p)), np.arange(9))


def test_cycles_round_trip(rng):
    p = rng.permutation(10)
    np.testing.assert_array_equal(from_cycles(to_cycles(p), 10), p)


@pytest.mark.parametrize(
    "bad, message",
    [
        ([0, 0, 1], "value 0 appears 2 times"),
        ([0, 1, 3], "value 3 is out of range"),
        ([[0, 1]], "one-dimensional"),
        ([0.5, 1.0], "must hold integers"),
    ],
)
def test_invalid_permutations_are_named(bad, message):
    with pytest.raises((ValueError, TypeError), match=message):
        as_permutation(bad, name="p")


def test_wrong_degree():
    with pytest.raises(ValueError, match="length 3, expected the degree 4"):
        as_permutation([0, 1, 2], 4)


def test_input_not_modified():
    p = np.array([2, 0, 1])
    out = as_permutation(p)
    assert out is not p and not out.flags.writeable
    p[0] = 0  # the caller's array stays theirs
    assert out[0] == 2
