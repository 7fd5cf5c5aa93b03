"""Chapter 8's machinery (``lkcourse.book.ch8``) against independent oracles.

The exact lasso path against scikit-learn's LARS and the course's proximal-gradient
solver, the elastic net at fixed l2 against ``lk.fit_linear``, LOO and GCV against
brute-force refits and the hat matrix, the one-standard-error rule, and max-norm's
projection.
"""
import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.linear_model import lars_path

import lkcourse as lk
from lkcourse.book import ch8


@pytest.fixture(scope="module")
def problem():
    X, y, _ = lk.datasets.sparse_regression(60, 8, 3, correlation=0.5, noise=1.0, rng=3)
    return X + 2.0, y + 5.0               # non-centred: the intercept must be handled


def test_lasso_knots_equal_lars(problem):
    X, y = problem
    lams, coefs = ch8.lasso_knots(X, y)
    alphas, _, sk = lars_path(X - X.mean(axis=0), y - y.mean(), method="lasso")
    assert_allclose(lams, alphas, rtol=1e-9, atol=1e-12)
    assert_allclose(coefs, sk.T, atol=1e-9)
    assert lams[-1] == 0 and np.all(coefs[0] == 0)
    assert_allclose(coefs[-1], lk.fit_linear(X, y).coef, atol=1e-9)   # least squares


def test_lasso_at_matches_the_solver_between_knots(problem):
    X, y = problem
    knots = ch8.lasso_knots(X, y)
    grid = knots[0][0] * np.geomspace(1.5, 1e-3, 6)
    exact = ch8.lasso_at(knots, grid)
    assert np.all(exact[0] == 0)                                      # above lambda_max
    for lam, w in zip(grid[1:], exact[1:]):
        fit = lk.fit_linear(X, y, lk.L1(lam), tol=1e-11)
        assert_allclose(w, fit.coef, atol=1e-7)


@pytest.mark.parametrize("l2", [0.05, 0.5])
def test_elastic_net_at_fixed_l2(problem, l2):
    X, y = problem
    knots = ch8.lasso_knots(X, y, l2=l2)
    for lam in knots[0][0] * np.array([0.5, 0.1, 0.01]):
        fit = lk.fit_linear(X, y, lk.ElasticNet(l1=lam, l2=l2), tol=1e-11)
        assert_allclose(ch8.lasso_at(knots, lam)[0], fit.coef, atol=1e-7)
    ridge = lk.fit_linear(X, y, lk.L2(l2)).coef
    assert_allclose(knots[1][-1], ridge, atol=1e-9)                  # l1 = 0: ridge


def test_entry_events_count_entries_and_exits():
    X, y = lk.datasets.diabetes()
    events = ch8.entry_events(ch8.lasso_knots(X, y))
    assert sum(w == "enters" for _, _, w in events) == 11
    assert [(j, w) for _, j, w in events if w == "leaves"] == [(6, "leaves")]
    lams = [lam for lam, _, _ in events]
    assert lams == sorted(lams, reverse=True)


def test_ridge_loo_equals_refits_and_gcv_equals_the_hat_matrix(problem):
    X, y = problem
    n, lam = len(y), 0.07
    loo, gcv = ch8.ridge_loo_gcv(X, y, [lam])
    # brute force: refit without point i; the course's mean data term needs
    # lam * n / (n - 1) on n - 1 points for the same penalty on the summed loss
    errs = []
    for i in range(n):
        keep = np.arange(n) != i
        fit = lk.fit_linear(X[keep], y[keep], lk.L2(lam * n / (n - 1)))
        errs.append(y[i] - fit.predict(X[i:i + 1])[0])
    assert loo[0] == pytest.approx(np.mean(np.square(errs)), rel=1e-9)
    Xc = X - X.mean(axis=0)
    H = np.full((n, n), 1 / n) + Xc @ np.linalg.solve(Xc.T @ Xc + 2 * n * lam * np.eye(8),
                                                      Xc.T)
    r = y - H @ y
    assert gcv[0] == pytest.approx(np.mean(r ** 2) / (1 - np.trace(H) / n) ** 2, rel=1e-9)


def test_ridge_path_and_cv(problem):
    X, y = problem
    lams = np.array([1.0, 0.1, 0.0])
    W = ch8.ridge_path(X, y, lams)
    for lam, w in zip(lams, W):
        assert_allclose(w, lk.fit_linear(X, y, lk.L2(lam) if lam else None).coef,
                        atol=1e-10)
    folds = lk.kfold_splits(len(y), 5, rng=0)
    cv, se = ch8.ridge_cv(X, y, lams, folds)
    assert cv.shape == se.shape == (3,) and np.all(se > 0)
    cv_l, _ = ch8.lasso_cv(X, y, [0.0], folds)
    assert cv_l[0] == pytest.approx(cv[2], rel=1e-9)       # lasso and ridge at 0: OLS


def test_one_se_index():
    cv = np.array([9.0, 5.2, 5.0, 4.8, 4.9])
    assert ch8.one_se_index(cv, np.full(5, 0.3)) == 2
    assert ch8.one_se_index(cv, np.full(5, 0.5)) == 1
    assert ch8.one_se_index(cv, np.zeros(5)) == 3


def test_max_norm_projects_each_column_of_every_weight_matrix():
    model = lk.MLP([4, 6, 3], rng=0)
    for W in (model.params["W1"], model.params["W2"]):
        W *= 5.0
    b1 = model.params["b1"].copy()
    model.params["b1"][:] = 10.0
    project = ch8.max_norm(1.0)
    before = {k: v.copy() for k, v in model.params.items()}
    assert project(1, model, None) is False
    for k in ("W1", "W2"):
        norms_before = np.linalg.norm(before[k], axis=0)
        norms = np.linalg.norm(model.params[k], axis=0)
        assert_allclose(norms, np.minimum(norms_before, 1.0), rtol=1e-12)
        cos = np.sum(model.params[k] * before[k], axis=0) / (norms * norms_before)
        assert_allclose(cos, 1.0, rtol=1e-12)                      # directions kept
    assert np.all(model.params["b1"] == 10.0) and b1.shape == (6,)  # biases untouched


def test_max_norm_inside_the_ball_changes_nothing():
    model = lk.MLP([4, 6, 3], rng=1)
    before = {k: v.copy() for k, v in model.params.items()}
    ch8.max_norm(100.0)(1, model, None)
    for k in before:
        assert np.array_equal(model.params[k], before[k])
