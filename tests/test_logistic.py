"""``lk.fit_logistic``: penalized logistic regression by proximal gradient.

Oracles: scikit-learn's ``LogisticRegression`` on the same problem with the mapping of
``C`` to the course's ``lam`` (L1: ``C = 1/(n lam)``, L2: ``C = 1/(2 n lam)``), the
optimality conditions recomputed from the formula, and the objective recomputed from
the formula (which pins the convention: a mean log-loss, no 1/2, the penalty summed).
"""
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.linear_model import LogisticRegression

import lkcourse as lk

X_BC, Y_BC = lk.datasets.breast_cancer()
N = len(Y_BC)


def sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))          # an independent formula for the oracle


def mean_log_loss(X, y, w, b):
    z = X @ w + b
    return np.mean(np.logaddexp(0, z) - y * z)


def data_gradient(X, y, w, b):
    r = sigmoid(X @ w + b) - y
    return X.T @ r / len(y), r.mean()


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(150, 5))
    y = (X @ np.array([1.5, -1.0, 0.0, 0.0, 0.5]) + rng.normal(size=150) > 0)
    return X, y.astype(int)


@pytest.mark.parametrize("lam", [0.01, 0.05])      # saga is slow for smaller lam
def test_l1_equals_scikit_learn_with_c_converted(lam):
    fit = lk.fit_logistic(X_BC, Y_BC, lk.L1(lam), tol=1e-9, max_iter=200_000)
    sk = LogisticRegression(C=1 / (N * lam), l1_ratio=1.0, solver="saga", tol=1e-10,
                            max_iter=200_000).fit(X_BC, Y_BC)
    assert fit.converged
    assert_allclose(fit.coef, sk.coef_[0], atol=5e-6)
    assert abs(fit.intercept - sk.intercept_[0]) < 5e-6
    assert np.array_equal(fit.coef == 0, np.abs(sk.coef_[0]) < 1e-8)   # the same zeros


@pytest.mark.parametrize("lam", [1e-3, 1e-2, 1e-1])
def test_l2_equals_scikit_learn_with_c_converted(lam):
    fit = lk.fit_logistic(X_BC, Y_BC, lk.L2(lam), tol=1e-10, max_iter=200_000)
    sk = LogisticRegression(C=1 / (2 * N * lam), l1_ratio=0.0, tol=1e-12,
                            max_iter=10_000).fit(X_BC, Y_BC)
    assert_allclose(fit.coef, sk.coef_[0], atol=5e-6)
    assert abs(fit.intercept - sk.intercept_[0]) < 5e-6
    # the other conversion (C = 1/(n lam), the L1 one) is a different problem
    sk2 = LogisticRegression(C=1 / (N * lam), tol=1e-12, max_iter=10_000).fit(X_BC, Y_BC)
    assert np.abs(fit.coef - sk2.coef_[0]).max() > 1e-3


def test_no_penalty_equals_unpenalized_scikit_learn(small):
    X, y = small
    fit = lk.fit_logistic(X, y, tol=1e-10)
    sk = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X, y)
    assert_allclose(fit.coef, sk.coef_[0], atol=1e-6)


def test_objective_is_recomputed_from_the_formula(small):
    X, y = small
    for penalty in (None, lk.L1(0.02), lk.L2(0.02), lk.ElasticNet(0.01, 0.01)):
        fit = lk.fit_logistic(X, y, penalty)
        value = mean_log_loss(X, y, fit.coef, fit.intercept)
        if penalty is not None:
            value += penalty.value(fit.coef)
        assert fit.objective == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("lam", [0.005, 0.05])
def test_l1_optimality_conditions(small, lam):
    X, y = small
    fit = lk.fit_logistic(X, y, lk.L1(lam), tol=1e-12, max_iter=100_000)
    g, gb = data_gradient(X, y, fit.coef, fit.intercept)
    nz = fit.coef != 0
    assert abs(gb) < 1e-10                                   # intercept not penalized
    assert_allclose(g[nz], -lam * np.sign(fit.coef[nz]), atol=1e-9)
    assert np.all(np.abs(g[~nz]) <= lam + 1e-9)
    if lam == 0.05:
        assert np.sum(~nz) >= 1                              # the L1 zeros exist


def test_l2_gradient_vanishes(small):
    X, y = small
    lam = 0.03
    fit = lk.fit_logistic(X, y, lk.L2(lam), tol=1e-12)
    g, gb = data_gradient(X, y, fit.coef, fit.intercept)
    assert_allclose(g + 2 * lam * fit.coef, 0, atol=1e-10)  # gradient 2 lam w: no 1/2
    assert abs(gb) < 1e-10
    assert fit.converged and fit.n_iter < 30                  # Newton's method for L2
    mean = lk.fit_logistic(X, y, lk.L2(lam * 5, reduction="mean"), tol=1e-12)
    assert_allclose(mean.coef, fit.coef, atol=1e-10)          # mean over 5 weights
    fista = lk.fit_logistic(X, y, lk.ElasticNet(l1=0.0, l2=lam), tol=1e-10)
    assert_allclose(fista.coef, fit.coef, atol=1e-7)          # the other solver agrees


def test_without_intercept(small):
    X, y = small
    fit = lk.fit_logistic(X, y, lk.L2(0.01), fit_intercept=False, tol=1e-10)
    sk = LogisticRegression(C=1 / (2 * len(y) * 0.01), fit_intercept=False, tol=1e-12,
                            max_iter=10_000).fit(X, y)
    assert fit.intercept == 0.0
    assert_allclose(fit.coef, sk.coef_[0], atol=1e-6)


def test_separable_data_without_penalty_warns():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0, 0, 1, 1])
    with pytest.warns(lk.ConvergenceWarning, match="no minimizer exists"):
        fit = lk.fit_logistic(X, y, max_iter=200)
    assert not fit.converged and fit.coef[0] > 1
    assert lk.fit_logistic(X, y, lk.L2(0.1)).converged      # a penalty fixes it


def test_user_penalty_and_non_convex_penalties(small):
    X, y = small

    class MyL1:                    # the public protocol only, no `convex` attribute
        def value(self, w):
            return 0.02 * float(np.sum(np.abs(w)))

        def prox(self, v, step):
            return lk.soft_threshold(v, 0.02 * step)

    mine = lk.fit_logistic(X, y, MyL1(), tol=1e-10)
    ref = lk.fit_logistic(X, y, lk.L1(0.02), tol=1e-10)
    assert_allclose(mine.coef, ref.coef, atol=1e-6)
    start = mean_log_loss(X, y, np.zeros(5), 0.0)
    for penalty in (lk.L0(0.01), lk.Lk(0.5, 0.01)):
        fit = lk.fit_logistic(X, y, penalty)
        assert fit.objective <= start                        # the monotone safeguard
        assert np.sum(fit.coef == 0) >= 1


def test_warm_start_reaches_the_same_solution_faster():
    cold = lk.fit_logistic(X_BC, Y_BC, lk.L1(0.01), tol=1e-8)
    near = lk.fit_logistic(X_BC, Y_BC, lk.L1(0.011), tol=1e-8)
    warm = lk.fit_logistic(X_BC, Y_BC, lk.L1(0.01), tol=1e-8, coef0=near.coef,
                           intercept0=near.intercept)
    assert_allclose(warm.coef, cold.coef, atol=1e-5)
    assert warm.n_iter < cold.n_iter


def test_predictions_and_immutability(small):
    X, y = small
    X0, y0 = X.copy(), y.copy()
    fit = lk.fit_logistic(X, y, lk.L2(0.01))
    assert np.array_equal(X, X0) and np.array_equal(y, y0)   # inputs not modified
    z = fit.decision_function(X)
    assert_allclose(z, X @ fit.coef + fit.intercept)
    assert_allclose(fit.predict_proba(X), sigmoid(z), atol=1e-15)
    assert np.array_equal(fit.predict(X), (z > 0).astype(int))
    assert lk.accuracy(y, fit.predict(X)) > 0.8
    with pytest.raises(ValueError):
        fit.coef[0] = 1.0                                    # read-only


def test_bad_labels_are_named():
    with pytest.raises(lk.InvalidParameterError, match="'y'.*labels 0 and 1.*2.0"):
        lk.fit_logistic(np.ones((3, 1)), [0, 1, 2])
    with pytest.raises(lk.InvalidParameterError, match="'X' and 'y'"):
        lk.fit_logistic(np.ones((3, 1)), [0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lk.fit_logistic(np.ones((4, 1)), [0, 1, 0, 1], lk.L2(0.1))   # labels may be int
