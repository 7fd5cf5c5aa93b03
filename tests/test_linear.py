"""fit_linear, regularization_path and polynomial_features against independent oracles.

Oracles: scikit-learn's Lasso, ElasticNet, Ridge and LinearRegression (with the scaling
mapped in the comments), closed forms on orthonormal designs, the normal equations, the
pseudo-inverse, first-order optimality (subgradient inequality) and the objective
recomputed from its formula.
"""
import dataclasses
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge

import lkcourse as lk

SK = dict(tol=1e-14, max_iter=1_000_000)
TIGHT = dict(tol=1e-12, max_iter=200_000)


def design(kind, n=60, p=8, seed=0):
    rng = np.random.default_rng(seed)
    if kind == "random":
        X = rng.normal(size=(n, p))
    elif kind == "correlated":  # pairwise correlation 0.9
        C = 0.9 * np.ones((p, p)) + 0.1 * np.eye(p)
        X = rng.normal(size=(n, p)) @ np.linalg.cholesky(C).T + 3.0
    elif kind == "wide":  # more features than samples
        X = rng.normal(size=(n // 3, p * 3))
    beta = np.zeros(X.shape[1])
    beta[:3] = [2.0, -1.5, 1.0]
    y = X @ beta + 0.7 + 0.5 * rng.normal(size=X.shape[0])
    return X, y


def orthonormal_design(n=40, p=6, seed=1):
    """X with X.T @ X = n * I and centred columns, so the fit decouples."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, p))
    A -= A.mean(axis=0)
    Q, _ = np.linalg.qr(A)
    X = np.sqrt(n) * Q
    y = X @ np.array([3.0, -2.0, 0.5, 0.1, 0.0, -0.05]) + rng.normal(size=n)
    return X, y


def registry_penalties():
    out = []
    for name in lk.PENALTIES:
        if name == "lk":
            out += [lk.Lk(k, 0.3) for k in [0.3, 0.5, 1.5, 3.0, 4.0]]
        elif name == "elasticnet":
            out.append(lk.ElasticNet(l1=0.2, l2=0.1))
        else:
            out.append(lk.penalty(name, lam=0.3))
    return out


PENALTIES = registry_penalties()


# ------------------------------------------------------------------- scikit-learn
@pytest.mark.parametrize("kind", ["random", "correlated", "wide"])
@pytest.mark.parametrize("lam", [0.01, 0.1, 0.5])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_l1_matches_sklearn_lasso(kind, lam, fit_intercept):
    # Lasso minimizes (1/(2n))||y - Xw - b||^2 + alpha*||w||_1: alpha = lam.
    X, y = design(kind)
    fit = lk.fit_linear(X, y, lk.L1(lam), fit_intercept=fit_intercept, **TIGHT)
    ref = Lasso(alpha=lam, fit_intercept=fit_intercept, **SK).fit(X, y)
    assert fit.converged
    assert_allclose(fit.coef, ref.coef_, atol=1e-6)
    assert_allclose(fit.intercept, ref.intercept_, atol=1e-6)


@pytest.mark.parametrize("kind", ["random", "correlated", "wide"])
@pytest.mark.parametrize("l1, l2", [(0.1, 0.1), (0.02, 0.5), (0.3, 0.01)])
def test_elastic_net_matches_sklearn(kind, l1, l2):
    # sklearn: (1/(2n))||.||^2 + alpha*r*||w||_1 + 0.5*alpha*(1-r)*||w||^2, so
    # alpha*r = l1 and 0.5*alpha*(1-r) = l2: alpha = l1 + 2*l2, r = l1/alpha.
    X, y = design(kind)
    alpha = l1 + 2 * l2
    fit = lk.fit_linear(X, y, lk.ElasticNet(l1=l1, l2=l2), **TIGHT)
    ref = ElasticNet(alpha=alpha, l1_ratio=l1 / alpha, **SK).fit(X, y)
    assert_allclose(fit.coef, ref.coef_, atol=1e-6)
    assert_allclose(fit.intercept, ref.intercept_, atol=1e-6)


@pytest.mark.parametrize("kind", ["random", "correlated", "wide"])
@pytest.mark.parametrize("lam", [1e-4, 0.1, 3.0])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_l2_matches_sklearn_ridge(kind, lam, fit_intercept):
    # Ridge minimizes ||y - Xw - b||^2 + alpha*||w||^2; times 1/(2n) this is ours with
    # lam = alpha/(2n), so alpha = 2*n*lam.
    X, y = design(kind)
    n = X.shape[0]
    fit = lk.fit_linear(X, y, lk.L2(lam), fit_intercept=fit_intercept)
    ref = Ridge(alpha=2 * n * lam, fit_intercept=fit_intercept, solver="svd").fit(X, y)
    assert fit.n_iter == 0 and fit.converged
    assert_allclose(fit.coef, ref.coef_, rtol=1e-9, atol=1e-10)
    assert_allclose(fit.intercept, ref.intercept_, rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("kind", ["random", "correlated"])
def test_no_penalty_matches_sklearn_linear_regression(kind):
    X, y = design(kind)
    fit = lk.fit_linear(X, y)
    ref = LinearRegression().fit(X, y)
    assert_allclose(fit.coef, ref.coef_, rtol=1e-9)
    assert_allclose(fit.intercept, ref.intercept_, rtol=1e-9)


def test_ridge_closed_form_from_the_normal_equations_and_the_course_mapping():
    X, y = design("random", seed=3)
    n, p = X.shape
    lam = 0.2
    fit = lk.fit_linear(X, y, lk.L2(lam), fit_intercept=False)
    # gradient -(1/n) X^T (y - X b) + 2 lam b = 0  <=>  (X^T X + 2 n lam I) b = X^T y
    assert_allclose(fit.coef, np.linalg.solve(X.T @ X + 2 * n * lam * np.eye(p), X.T @ y),
                    rtol=1e-10)
    # a text's (X^T X + n lam' I)^{-1} X^T y is L2(lam'/2) here
    course = np.linalg.solve(X.T @ X + n * lam * np.eye(p), X.T @ y)
    assert_allclose(lk.fit_linear(X, y, lk.L2(lam / 2), fit_intercept=False).coef, course,
                    rtol=1e-10)
    assert_allclose(lk.fit_linear(X, y, lk.Lk(2, lam), fit_intercept=False).coef, fit.coef,
                    rtol=1e-14)


# ---------------------------------------------------------- closed forms, optimality
@pytest.mark.parametrize("p", PENALTIES, ids=repr)
def test_orthonormal_design_reduces_to_the_prox(p):
    # With X^T X = n I: (1/(2n))||y - X b||^2 = 0.5*||b - X^T y / n||^2 + const, so the
    # solution is prox_R(X^T y / n) with step 1 (for L1: soft-thresholding).
    X, y = orthonormal_design()
    n = X.shape[0]
    fit = lk.fit_linear(X, y, p, fit_intercept=False)
    assert fit.converged
    assert_allclose(fit.coef, p.prox(X.T @ y / n, 1.0), atol=1e-10)
    if isinstance(p, lk.L1) or (isinstance(p, lk.Lk) and p.k == 1):
        assert_allclose(fit.coef, lk.soft_threshold(X.T @ y / n, p.lam), atol=1e-10)


def test_orthonormal_l1_is_exactly_soft_thresholding_with_intercept():
    X, y = orthonormal_design()
    fit = lk.fit_linear(X, y + 5.0, lk.L1(0.4))  # centred columns: intercept = mean(y)
    assert_allclose(fit.coef, lk.soft_threshold(X.T @ y / X.shape[0], 0.4), atol=1e-10)
    assert_allclose(fit.intercept, np.mean(y) + 5.0, atol=1e-10)


@pytest.mark.parametrize("p", [q for q in PENALTIES if q.convex], ids=repr)
@pytest.mark.parametrize("kind", ["random", "correlated", "wide"])
def test_convex_fit_satisfies_first_order_optimality(p, kind):
    # At the minimizer, g = X^T r / n is a subgradient of R at coef (r the residual):
    # R(z) >= R(coef) + g @ (z - coef) for every z.
    X, y = design(kind)
    fit = lk.fit_linear(X, y, p, **TIGHT)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    g = Xc.T @ (yc - Xc @ fit.coef) / X.shape[0]
    rng = np.random.default_rng(0)
    for z in fit.coef + rng.normal(scale=[[1e-3], [1e-1], [3.0]], size=(3, fit.coef.size)):
        assert p.value(z) >= p.value(fit.coef) + g @ (z - fit.coef) - 1e-9


@pytest.mark.parametrize("p", PENALTIES + [None], ids=repr)
def test_objective_is_recomputed_from_the_formula(p):
    X, y = design("random")
    n = X.shape[0]
    fit = lk.fit_linear(X, y, p)
    r = y - X @ fit.coef - fit.intercept
    penalty_value = 0.0
    if isinstance(p, lk.L1):
        penalty_value = p.lam * np.sum(np.abs(fit.coef))
    elif p is not None:
        penalty_value = p.value(fit.coef)
    assert_allclose(fit.objective, r @ r / (2 * n) + penalty_value, rtol=1e-12)
    assert_allclose(fit.predict(X), X @ fit.coef + fit.intercept, rtol=1e-14)


@pytest.mark.parametrize("p", [q for q in PENALTIES if not q.convex], ids=repr)
def test_nonconvex_fit_is_a_fixed_point_that_improves_on_its_start(p):
    X, y = design("correlated")
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    n = X.shape[0]
    start = lk.fit_linear(X, y, lk.L1(0.05), **TIGHT).coef
    fit = lk.fit_linear(X, y, p, coef0=start, tol=1e-10)
    L = np.linalg.eigvalsh(Xc.T @ Xc / n).max()
    step_point = fit.coef - Xc.T @ (Xc @ fit.coef - yc) / n / L
    assert_allclose(p.prox(step_point, 1 / L), fit.coef, atol=1e-9)

    def objective(b):
        r = yc - Xc @ b
        return r @ r / (2 * n) + p.value(b)

    assert fit.objective <= objective(start) + 1e-12
    assert_allclose(fit.objective, objective(fit.coef), rtol=1e-12)


@pytest.mark.parametrize("p, closed_form", [
    (lk.L0(0.08), lambda z: np.where(np.abs(z) > np.sqrt(2 * 0.08), z, 0.0)),
    (lk.Lk(0.5, 0.3), lambda z: lk.half_threshold(z, 0.3)),
], ids=["L0-hard-threshold", "L0.5-half-threshold"])
def test_nonconvex_fit_with_an_orthogonal_design_is_the_closed_form(p, closed_form):
    # X^T X / n = I: the objective is sum_j (b_j - z_j)^2 / 2 + R(b) + const with
    # z = X^T y / n, so its global minimizer is the prox of R, entry by entry: hard
    # thresholding at sqrt(2 lam) for L0, half thresholding for L0.5 (Xu et al.).
    n, d = 64, 8
    Q, _ = np.linalg.qr(np.random.default_rng(4).normal(size=(n, d)))
    X = np.sqrt(n) * Q
    z_true = np.array([-1.2, -0.45, -0.35, -0.05, 0.1, 0.38, 0.5, 2.0])  # both sides
    y = X @ z_true                                                        # of each threshold
    z = X.T @ y / n
    assert_allclose(z, z_true, atol=1e-12)
    fit = lk.fit_linear(X, y, p, fit_intercept=False, tol=1e-12)
    want = closed_form(z)
    assert fit.converged and np.count_nonzero(want) not in (0, d)
    assert_allclose(fit.coef, want, atol=1e-12)
    # ... and no other point of a grid around it does better, entry by entry
    grid = np.linspace(-2.5, 2.5, 20001)
    for j in range(d):
        per_entry = (grid - z[j]) ** 2 / 2 + p.entrywise(grid)
        mine = (fit.coef[j] - z[j]) ** 2 / 2 + p.entrywise(np.array([fit.coef[j]]))[0]
        assert mine <= per_entry.min() + 1e-12


def test_huge_lam_gives_zero_coefficients_and_an_unpenalized_intercept():
    X, y = design("random")
    for p in [lk.L1(1e6), lk.L0(1e6), lk.LInf(1e6), lk.Lk(0.5, 1e6)]:
        fit = lk.fit_linear(X, y, p)
        assert_array_equal(fit.coef, 0.0)
        assert_allclose(fit.intercept, y.mean(), rtol=1e-14)


def test_rank_deficient_least_squares_is_the_minimum_norm_solution():
    X, y = design("random", n=30, p=4)
    X = np.column_stack([X, X[:, 0]])  # duplicated column
    fit = lk.fit_linear(X, y, fit_intercept=False)
    assert_allclose(fit.coef, np.linalg.pinv(X) @ y, rtol=1e-9)
    assert_allclose(fit.coef[0], fit.coef[-1], rtol=1e-9)
    Xw, yw = design("wide")
    assert_allclose(lk.fit_linear(Xw, yw, fit_intercept=False).coef, np.linalg.pinv(Xw) @ yw,
                    rtol=1e-8, atol=1e-10)


def test_constant_design_gives_zero_coefficients():
    X = np.ones((5, 2))
    fit = lk.fit_linear(X, np.arange(5.0), lk.L1(0.1))
    assert_array_equal(fit.coef, 0.0)
    assert fit.converged
    assert fit.intercept == 2.0


def test_mean_reduction_fits_like_lam_over_n_features():
    X, y = design("random")
    p = X.shape[1]
    for make in [lk.L1, lk.L2]:
        a = lk.fit_linear(X, y, make(0.4, reduction="mean"), **TIGHT).coef
        b = lk.fit_linear(X, y, make(0.4 / p), **TIGHT).coef
        assert_allclose(a, b, atol=1e-10)


def test_max_iter_reached_warns_and_reports_not_converged():
    X, y = design("correlated")
    assert issubclass(lk.ConvergenceWarning, UserWarning)
    with pytest.warns(lk.ConvergenceWarning, match="max_iter=3"):
        fit = lk.fit_linear(X, y, lk.L1(0.01), max_iter=3)
    assert not fit.converged and fit.n_iter == 3


def test_inputs_are_not_modified():
    X, y = design("random")
    coef0 = np.ones(X.shape[1])
    for a in (X, y, coef0):
        a.setflags(write=False)
    copies = [X.copy(), y.copy(), coef0.copy()]
    lk.fit_linear(X, y, lk.L1(0.1), coef0=coef0)
    lk.fit_linear(X, y, lk.L2(0.1))
    lk.regularization_path(X, y, lk.L1, [1.0, 0.1], coef0=coef0)
    lk.polynomial_features(y, 3)
    for a, c in zip((X, y, coef0), copies):
        assert_array_equal(a, c)


# ---------------------------------------------------------------- regularization path
def test_path_equals_independent_fits_and_fits_hold_the_intercepts():
    X, y = design("correlated")
    lams = np.geomspace(1.0, 1e-3, 8)
    coefs = lk.regularization_path(X, y, lk.L1, lams, **TIGHT)
    fits = lk.regularization_path_fits(X, y, lk.L1, lams, **TIGHT)
    assert coefs.shape == (8, X.shape[1]) and len(fits) == 8
    assert all(isinstance(f, lk.LinearFit) for f in fits)
    assert_array_equal(coefs, [f.coef for f in fits])
    for lam, c, f in zip(lams, coefs, fits):
        fit = lk.fit_linear(X, y, lk.L1(lam), **TIGHT)
        assert_allclose(c, fit.coef, atol=1e-8)
        assert_allclose(f.intercept, fit.intercept, atol=1e-8)
    assert np.count_nonzero(coefs[0]) < np.count_nonzero(coefs[-1])


@pytest.mark.parametrize("kwargs", [{}, {"fit_intercept": False}, {"tol": 1e-3}])
def test_path_has_one_return_type(kwargs):
    X, y = design("random")
    out = lk.regularization_path(X, y, lk.L1, [0.5, 0.1], **kwargs)
    assert isinstance(out, np.ndarray) and out.shape == (2, X.shape[1])
    with pytest.raises(lk.InvalidParameterError, match="return_intercepts"):
        lk.regularization_path(X, y, lk.L1, [0.5, 0.1], return_intercepts=True)


def test_path_with_a_lambda_factory_and_closed_form():
    X, y = design("random")
    coefs = lk.regularization_path(X, y, lambda lam: lk.L2(lam), [10.0, 1.0, 0.0])
    assert_allclose(coefs[2], lk.fit_linear(X, y).coef, rtol=1e-10)
    assert np.all(np.linalg.norm(coefs, axis=1)[:-1] < np.linalg.norm(coefs, axis=1)[1:])


def test_warm_start_reduces_the_total_number_of_iterations():
    X, y = design("correlated")
    lams = np.geomspace(1.0, 1e-3, 20)
    warm = lk.regularization_path_fits(X, y, lk.L1, lams, tol=1e-6)
    cold = lk.regularization_path_fits(X, y, lk.L1, lams, tol=1e-6, warm_start=False)
    n_warm, n_cold = sum(f.n_iter for f in warm), sum(f.n_iter for f in cold)
    # FISTA converges linearly here, so a warm start saves the initial transient of each
    # fit (about a fifth of the iterations at this tol), not a fixed fraction
    assert len(warm) == len(cold) == 20 and n_warm < 0.85 * n_cold
    # coefficient error ~ tol / (smallest curvature)
    assert_allclose([f.coef for f in warm], [f.coef for f in cold], atol=1e-4)


# --------------------------------------------------------------- polynomial features
def test_polynomial_features_columns_are_powers():
    x = np.linspace(-1, 1, 7)
    F = lk.polynomial_features(x, 4)
    assert F.shape == (7, 4)
    assert_allclose(F, np.column_stack([x, x**2, x**3, x**4]), rtol=1e-15)
    assert_array_equal(lk.polynomial_features([2.0], np.int64(1)), [[2.0]])


def test_polynomial_fit_recovers_a_cubic():
    x = np.linspace(-1, 1, 30)
    y = 1.0 - 2.0 * x + 0.5 * x**3
    fit = lk.fit_linear(lk.polynomial_features(x, 3), y)
    assert_allclose(fit.coef, [-2.0, 0.0, 0.5], atol=1e-10)
    assert_allclose(fit.intercept, 1.0, atol=1e-10)


def test_no_warnings_on_ordinary_use():
    X, y = design("random")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for p in PENALTIES:
            lk.fit_linear(X, y, p)


def test_column_vector_y_gets_a_ravel_hint_and_1d_x_a_reshape_hint():
    X, y = design("random")
    with pytest.raises(lk.InvalidParameterError, match=r"y\.ravel\(\)"):
        lk.fit_linear(X, y[:, None])
    with pytest.raises(lk.InvalidParameterError, match=r"reshape\(-1, 1\)"):
        lk.fit_linear(X[:, 0], y)


# ------------------------------------------------------------ frozen result, protocol
def test_linear_fit_is_truly_frozen():
    X, y = design("random")
    fit = lk.fit_linear(X, y, lk.L1(0.1))
    with pytest.raises(ValueError):
        fit.coef[0] = 10.0                       # read-only array
    with pytest.raises(dataclasses.FrozenInstanceError):
        fit.coef = np.zeros(X.shape[1])
    coef = np.ones(X.shape[1])
    made = lk.LinearFit(coef=coef, intercept=0.0, n_iter=0, converged=True, objective=0.0)
    coef[0] = 5.0                                # the caller's array is not shared
    assert made.coef[0] == 1.0 and not made.coef.flags.writeable
    writable = fit.coef.copy()
    writable[0] = 1.0                            # the documented way to get a writable one


class UserL1:
    """A penalty written by a reader: only the public protocol, no lkcourse base class."""

    def __init__(self, lam):
        self.lam = lam

    def value(self, w):
        return self.lam * float(np.sum(np.abs(w)))

    def grad(self, w):
        return self.lam * np.sign(w)

    def prox(self, v, step):
        return np.sign(v) * np.maximum(np.abs(v) - step * self.lam, 0.0)


@pytest.mark.parametrize("convex", [None, True])
def test_fit_linear_accepts_a_user_penalty_with_the_protocol(convex):
    X, y = design("correlated")
    user = UserL1(0.1)
    if convex:
        user.convex = True
    ours = lk.fit_linear(X, y, lk.L1(0.1), **TIGHT)
    theirs = lk.fit_linear(X, y, user, **TIGHT)
    assert theirs.converged
    assert_allclose(theirs.coef, ours.coef, atol=1e-8)
    path = lk.regularization_path(X, y, UserL1, [0.5, 0.1], **TIGHT)
    assert_allclose(path[1], ours.coef, atol=1e-8)
    # the same object trains an MLP (value and grad)
    model = lk.MLP([X.shape[1], 1], "identity", rng=0)
    lk.train(model, X, y, optimizer=lk.SGD(0.01), loss="mse", penalty=user, epochs=2)


@pytest.mark.parametrize("bad", [lk.L1, object(), "l1"])
def test_fit_linear_rejects_objects_without_the_protocol(bad):
    X, y = design("random")
    with pytest.raises(lk.InvalidParameterError, match="value.*prox"):
        lk.fit_linear(X, y, bad)


@pytest.mark.parametrize("call", [
    lambda X, y: lk.fit_linear(X, y, lk.L1(0.01), max_iter=1),
    lambda X, y: lk.regularization_path(X, y, lk.L1, [0.01], max_iter=1),
    lambda X, y: lk.regularization_path_fits(X, y, lk.L1, [0.01], max_iter=1),
])
def test_convergence_warning_points_at_the_callers_line(call):
    X, y = design("random")
    with pytest.warns(lk.ConvergenceWarning) as record:
        call(X, y)
    assert record[0].filename == __file__
