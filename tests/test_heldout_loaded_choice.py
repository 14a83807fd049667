"""The loaded held-out likelihood choice (algdiv.discovery.heldout)."""

import numpy as np
import pytest
from scipy.linalg import circulant

from algdiv import reynolds, select_group
from algdiv.arrays import interference_covariance, uca_dihedral_group, uca_steering
from algdiv.discovery.heldout import LOADINGS, loaded_likelihood_choice
from algdiv.groups import PermutationGroup, cyclic, dihedral, symmetric, trivial


def _array_snapshots(M, J, n, seed):
    A = uca_steering(2 * np.pi * np.arange(J) / J, M, 1.5)
    R = interference_covariance(A, np.full(J, 30.0))
    rng = np.random.default_rng(seed)
    z = (rng.standard_normal((n, M)) + 1j * rng.standard_normal((n, M))) / np.sqrt(2)
    return z @ np.linalg.cholesky(R).T


def _key(G):
    return np.asarray(G.pair_orbits()).tobytes()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_right_group_wins_where_its_training_average_is_under_determined(seed):
    # Twelve 30 dB jammers on a 48-sensor circle: the covariance is D_12-invariant (order 24,
    # three point orbits, so its trivial block is 3 x 3).  From three snapshots the training
    # folds hold two, D_12's training average is singular and the plain held-out likelihood
    # takes a wrong supergroup (D_24 or D_48); the loaded choice takes D_12.
    M, J = 48, 12
    right = uca_dihedral_group(M, J)
    half_step = PermutationGroup([(np.arange(M) + 2) % M, (-np.arange(M)) % M])  # D_24
    groups = [trivial(M), right, half_step, dihedral(M)]
    x = _array_snapshots(M, J, 3, seed)
    plain = select_group(x, groups, cv=3)
    assert not np.isfinite(plain.scores[1])  # D_12 from two snapshots: singular
    assert plain.index in (2, 3)
    choice = loaded_likelihood_choice(x, groups, 3)
    assert choice.index == 1
    assert np.isfinite(choice.scores[1]) and choice.loadings[1] > 0


def test_plenty_of_snapshots_agree_with_the_plain_likelihood():
    # a Hermitian circulant that is not symmetric: Z_6 but not D_6; 400 snapshots
    c = np.array([4.0, 1.5 + 1.0j, 0.3, 0.2, 0.3, 1.5 - 1.0j])
    R = circulant(c)
    rng = np.random.default_rng(3)
    z = (rng.standard_normal((400, 6)) + 1j * rng.standard_normal((400, 6))) / np.sqrt(2)
    x = z @ np.linalg.cholesky(R).T
    groups = [symmetric(6), dihedral(6), cyclic(6), trivial(6)]
    choice = loaded_likelihood_choice(x, groups, 5)
    assert choice.index == select_group(x, groups, cv=5).index == 2


def test_scores_are_the_best_loading_of_the_plain_held_out_likelihood():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((30, 8)) @ np.diag(np.linspace(1, 3, 8))
    groups = [trivial(8), cyclic(8), dihedral(8)]
    choice = loaded_likelihood_choice(x, groups, 5)
    folds = np.array_split(np.arange(30), 5)
    for c, G in enumerate(groups):
        best = np.inf
        for alpha in LOADINGS:
            total = 0.0
            for test in folds:
                train = np.setdiff1d(np.arange(30), test)
                s_tr = x[train].T @ x[train] / train.size
                s_te = x[test].T @ x[test] / test.size
                C = reynolds(s_tr, G) + alpha * np.trace(s_tr) / 8 * np.eye(8)
                _, logdet = np.linalg.slogdet(C)
                total += (logdet + np.trace(np.linalg.solve(C, s_te))) * test.size / 30
            best = min(best, total)
        np.testing.assert_allclose(choice.scores[c], best, rtol=1e-9)


def test_one_standard_error_rule_takes_the_most_structured_of_equals():
    # white noise: every candidate is unbiased; the symmetric group (2 pair orbits) is taken
    # unless a less structured one is better by more than a standard error
    picks = []
    for seed in range(10):
        x = np.random.default_rng(seed).standard_normal((20, 6))
        groups = [trivial(6), cyclic(6), dihedral(6), symmetric(6)]
        picks.append(loaded_likelihood_choice(x, groups, 5).index)
    assert picks.count(3) >= 8
