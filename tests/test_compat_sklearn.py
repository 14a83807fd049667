"""scikit-learn compatibility: check_estimator on real data, pipelines, model selection."""

import pytest
from sklearn.covariance import (
    OAS,
    EmpiricalCovariance,
    LedoitWolf,
    empirical_covariance,
    log_likelihood,
)
from sklearn.model_selection import GridSearchCV
from sklearn.utils.estimator_checks import check_estimator

from algdiv import (
    AutoGroupCovariance,
    DiagonalLoading,
    ForwardBackward,
    GroupCovariance,
    GroupLedoitWolf,
    SymmetryShrinkage,
    ToeplitzAverage,
)

# algdiv accepts complex data on purpose (array processing); scikit-learn's generic check
# expects estimators to refuse it.  Every other check must pass.
EXPECTED = {"check_complex_data": "complex data are first-class in algdiv"}


@pytest.mark.parametrize(
    "est",
    [
        GroupCovariance(group="cyclic"),
        GroupCovariance(group="dihedral", assume_centered=True),
        SymmetryShrinkage(group="cyclic"),
        SymmetryShrinkage(group="symmetric", shrinkage="heldout", cv=3),
        ForwardBackward(),
        ToeplitzAverage(),
        DiagonalLoading(0.5),
        GroupLedoitWolf(group="dihedral"),
        AutoGroupCovariance(),
        AutoGroupCovariance(criterion="likelihood", assume_centered=True),
    ],
    ids=repr,
)
def test_check_estimator(est):
    results = check_estimator(est, expected_failed_checks=EXPECTED, on_fail=None)
    failed = [(r["check_name"], str(r["exception"])[:200]) for r in results if r["status"] == "failed"]
    assert not failed
    assert any(r["check_name"] == "check_complex_data" for r in results)


def test_group_estimator_selected_by_grid_search_beside_sklearn_baselines(rng):
    # A real symmetric circulant truth (D_8-invariant): the group estimator is the
    # best-scoring covariance model under cross-validated likelihood.
    from scipy.linalg import circulant, sqrtm

    R = circulant([4.0, 1.5, 0.4, 0.1, 0.0, 0.1, 0.4, 1.5])
    X = rng.standard_normal((24, 8)) @ sqrtm(R).real.T
    search = GridSearchCV(GroupCovariance(), {"group": ["trivial", "dihedral", "cyclic"]}, cv=3)
    search.fit(X)
    assert search.best_params_["group"] == "dihedral"
    # For real data Φ_{Z_M}(S) = Φ_{D_M}(S) (S is symmetric), so the two tie exactly.
    scores = search.cv_results_["mean_test_score"]
    assert scores[1] == pytest.approx(scores[2], rel=1e-12) and scores[0] < scores[1]
    # our score is scikit-learn's Gaussian log-likelihood of the centred data
    best = search.best_estimator_
    expected = log_likelihood(
        empirical_covariance(X - best.location_, assume_centered=True), best.precision_
    )
    assert best.score(X) == pytest.approx(expected, rel=1e-12)
    err = {
        "group": GroupCovariance("dihedral").fit(X).error_norm(R),
        "ledoit_wolf": LedoitWolf().fit(X).error_norm(R),
        "oas": OAS().fit(X).error_norm(R),
        "empirical": EmpiricalCovariance().fit(X).error_norm(R),
    }
    assert err["group"] < min(err["ledoit_wolf"], err["oas"], err["empirical"])
