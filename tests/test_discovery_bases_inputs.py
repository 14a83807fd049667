"""What ``bases.kron`` says about factors that are not dictionaries of matrices."""

from __future__ import annotations

import numpy as np
import pytest

from algdiv.discovery import bases


@pytest.mark.parametrize("bad", [3.0, 7, None])
def test_a_scalar_factor_is_named_in_one_message(bad):
    with pytest.raises(TypeError, match=r"^b1 must be a stack or list of matrices, got "):
        bases.kron(bad, bases.shifts(2))


def test_list_and_stack_factors_give_the_same_dictionary():
    A, B = bases.shifts(3), bases.reflections(2)
    np.testing.assert_array_equal(bases.kron(list(A), B), bases.kron(A, list(B)))
