r"""Chapter 1 (overfitting): the fits and the experiments whose results the chapter states.

Every experiment draws 20 training points from the chapter's source (the cubic
:math:`f(x) = 0.5 + x - 2x^3` on :math:`[-1, 1]` plus Gaussian noise of standard
deviation :data:`NOISE`) and scores a fitted curve :math:`\hat f` by its **expected
test error**: a test point is :math:`x \sim U(-1, 1)` and :math:`y = f(x) + \varepsilon`,
so the error of :math:`\hat f` averaged over infinitely many test points is

.. math::

    \sigma^2 + \mathcal E(\hat f), \qquad
    \mathcal E(\hat f) = \tfrac12 \int_{-1}^{1} \bigl(\hat f(x) - f(x)\bigr)^2\,dx ,

with :math:`\mathcal E` the *excess* error (:func:`excess_error`, exact: the integrand is
a polynomial). Each :class:`~lkcourse.Experiment` below is what the chapter runs on its
block of draws and what the claims ledger measures on hundreds
(``make claims CHAPTERS=ch1``).
"""
from __future__ import annotations

import numpy as np

from .. import datasets
from ..claims import Experiment
from ..linear import fit_linear, polynomial_features

__all__ = ["NOISE", "N_TRAIN", "DEGREES", "LAMS", "LAM_FIXED", "SIZES", "TRUTH",
           "QUAD_NODES", "fit_poly", "uniform_mean", "excess_error", "bias_variance",
           "loo_residuals", "ridge_path", "expected_ols_excess",
           "degree_experiment", "lambda_experiment",
           "stability_experiment", "learning_curve_experiment",
           "DEGREE", "LAMBDA", "STABILITY", "LEARNING"]

#: Standard deviation :math:`\sigma` of the noise on the chapter's data.
NOISE = 0.2
#: Size of the training set.
N_TRAIN = 20
#: The polynomial degrees the chapter compares.
DEGREES = np.arange(1, 16)
#: The grid of penalty strengths searched (41 values, 4 per decade).
LAMS = np.logspace(-9, 1, 41)
#: The fixed penalty strength of the stability and learning-curve experiments.
LAM_FIXED = 1e-3
#: Training-set sizes of the learning curve.
SIZES = (15, 20, 30, 50, 100, 200, 500, 1000)
#: The true function :math:`f` (a ``numpy.polynomial.Polynomial``).
TRUTH = np.polynomial.Polynomial(datasets.DEFAULT_POLY_COEF)

# Gauss-Legendre rule with 32 nodes: exact for polynomials of degree <= 63, so for the
# squared difference of two polynomials of degree <= 31.
QUAD_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(32)


def fit_poly(degree, x, y, penalty=None):
    """Fit ``b + psi(x) @ w`` of degree ``degree`` by (penalized) least squares and
    return the prediction function ``t -> b + psi(t) @ w``."""
    fit = fit_linear(polynomial_features(x, degree), y, penalty)
    return lambda t: fit.intercept + polynomial_features(t, degree) @ fit.coef


def uniform_mean(values):
    r"""The mean of a polynomial ``g`` over :math:`x \sim U(-1, 1)`,
    :math:`\frac12\int_{-1}^1 g(x)\,dx`, from ``values = g(QUAD_NODES)`` (along the
    first axis). Exact for polynomials of degree up to 63 (Gauss-Legendre)."""
    return 0.5 * (_WEIGHTS @ np.asarray(values, dtype=float))


def excess_error(predict, truth=TRUTH):
    r"""Excess expected test error :math:`\frac12\int_{-1}^1 (\hat f - f)^2\,dx` of a
    polynomial prediction function ``predict`` (exact).

    ``predict`` may return one curve (shape ``(32,)`` at the 32 quadrature nodes) or
    several as columns (``(32, k)``); the result is a float or ``k`` floats.

    Examples
    --------
    >>> import lkcourse as lk
    >>> f = lk.book.ch1.TRUTH
    >>> round(float(lk.book.ch1.excess_error(lambda t: f(t) + t)), 12)   # E[x^2] = 1/3
    0.333333333333
    """
    pred = predict(QUAD_NODES)
    f = truth(QUAD_NODES)
    return uniform_mean((pred - (f if pred.ndim == 1 else f[:, None])) ** 2)


def bias_variance(predicts, truth=TRUTH):
    r"""Unbiased estimates of the squared bias and the variance of a fitting
    procedure, averaged over :math:`x \sim U(-1, 1)`, from its fits to ``m``
    independent training sets (``predicts``: ``m >= 2`` prediction functions).

    The average curve of ``m`` fits is itself noisy: its squared distance from the
    truth overestimates the squared bias by variance / m on average, so that much
    is subtracted (the estimate can come out negative when the true bias is 0)."""
    P = np.array([predict(QUAD_NODES) for predict in predicts])   # (m, nodes)
    variance = P.var(axis=0, ddof=1)
    bias2 = (P.mean(axis=0) - truth(QUAD_NODES)) ** 2 - variance / len(P)
    return uniform_mean(bias2), uniform_mean(variance)


def loo_residuals(x, y, lam, degree=10):
    """Leave-one-out residuals of the degree-``degree`` ridge fit ``L2(lam)``, from
    one fit: ``(y - S y) / (1 - diag S)`` with the hat matrix ``S``."""
    n = len(x)
    A = np.column_stack([np.ones(n), polynomial_features(x, degree)])
    I0 = np.diag([0.0] + [1.0] * degree)      # the intercept is not penalized
    S = A @ np.linalg.solve(A.T @ A + 2 * n * lam * I0, A.T)
    return (y - S @ y) / (1 - np.diag(S))


def ridge_path(x, y, degree, lams):
    r"""Ridge fits of a polynomial for every strength in ``lams``, from one SVD.

    Returns a dict: ``predict(t)`` (the curves at inputs ``t`` as columns, one per
    lam), ``loo`` and ``gcv`` (leave-one-out and generalized cross-validation mean
    squared errors per lam), ``df`` (effective degrees of freedom
    :math:`\operatorname{tr} S - 1`, the intercept not counted) and ``leverage``
    (the diagonal of the hat matrix :math:`S`, one column per lam).

    Notes
    -----
    With the centred features :math:`X_c = U D V^\top` and :math:`c = 2n\lambda`, the
    fit is :math:`w = V\,\mathrm{diag}(d_j/(d_j^2 + c))\,U^\top y_c`, the leverages
    are :math:`S_{ii} = 1/n + \sum_j U_{ij}^2\, d_j^2/(d_j^2 + c)`; the same numbers
    as :func:`loo_residuals` and :func:`lkcourse.fit_linear` for each lam.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> x, y = lk.datasets.noisy_polynomial(20, rng=0)
    >>> path = lk.book.ch1.ridge_path(x, y, 10, [0.0, 1e-3])
    >>> loo = lk.book.ch1.loo_residuals(x, y, 1e-3)
    >>> bool(np.isclose(path["loo"][1], np.mean(loo**2))), round(float(path["df"][0]), 6)
    (True, 10.0)
    """
    X = polynomial_features(x, degree)
    n = len(x)
    x_mean, y_mean = X.mean(axis=0), float(np.mean(y))
    U, d, Vt = np.linalg.svd(X - x_mean, full_matrices=False)
    c = 2 * n * np.asarray(lams, dtype=float)[None, :]
    shrink = d[:, None] ** 2 / (d[:, None] ** 2 + c)           # (degree, n_lams)
    uty = (U.T @ (y - y_mean))[:, None]
    coef = Vt.T @ (d[:, None] / (d[:, None] ** 2 + c) * uty)   # (degree, n_lams)
    intercept = y_mean - x_mean @ coef
    resid = (y - y_mean)[:, None] - U @ (shrink * uty)
    lev = 1 / n + U ** 2 @ shrink
    with np.errstate(divide="ignore"):
        loo = np.mean((resid / (1 - lev)) ** 2, axis=0)
    gcv = np.mean(resid ** 2, axis=0) / (1 - lev.mean(axis=0)) ** 2
    return {"predict": lambda t: intercept + polynomial_features(t, degree) @ coef,
            "loo": loo, "gcv": gcv, "df": shrink.sum(axis=0), "leverage": lev}


def expected_ols_excess(degree, n, rng, n_designs=100_000):
    r"""Excess error of least squares of degree ``degree`` on ``n`` uniform inputs,
    averaged over the noise: :math:`\sigma^2\operatorname{tr}\bigl((A^\top A)^{-1}M\bigr)`
    (in units of :math:`\sigma^2`), for ``n_designs`` random designs.

    ``A`` is the design with a constant column, ``M`` the second-moment matrix of
    :math:`(1, x, \dots, x^p)` under :math:`x \sim U(-1, 1)`. Returns the array of
    values, one per design (their mean estimates the expected excess over draws)."""
    k = np.arange(degree + 1)
    s = k[:, None] + k[None, :]
    M = np.where(s % 2 == 0, 1.0 / (s + 1), 0.0)
    out = []
    for m in np.diff(np.linspace(0, n_designs, 11).astype(int)):
        A = rng.uniform(-1, 1, size=(m, n, 1)) ** k
        out.append(np.einsum("mjk,kj->m", np.linalg.inv(A.transpose(0, 2, 1) @ A), M))
    return np.concatenate(out)


def degree_experiment(seed):
    """Expected test errors of degrees 1..15 fitted to a fresh draw of 20 points."""
    x, y = datasets.noisy_polynomial(N_TRAIN, noise=NOISE, rng=seed)
    test = NOISE**2 + np.array([excess_error(fit_poly(d, x, y)) for d in DEGREES])
    return {"best degree": DEGREES[np.argmin(test)],
            "degree 10 / best": test[DEGREES == 10][0] / test.min(),
            "degree 3 / sigma^2": test[DEGREES == 3][0] / NOISE**2}


def lambda_experiment(seed):
    """Degree 10 with lam chosen on a 50-point validation set, against no penalty
    and against degree 3 (expected test errors)."""
    r = np.random.default_rng(seed)
    x, y = datasets.noisy_polynomial(N_TRAIN, noise=NOISE, rng=r)
    xv, yv = datasets.noisy_polynomial(50, noise=NOISE, rng=r)
    path = ridge_path(x, y, 10, np.concatenate([[0.0], LAMS]))
    val = np.mean((path["predict"](xv) - yv[:, None]) ** 2, axis=0)[1:]
    test = NOISE**2 + excess_error(path["predict"])
    i = np.argmin(val)                    # the validation choice (inside the grid?)
    chosen = test[1 + i]
    return {"chosen / no penalty": chosen / test[0],
            "chosen / degree 3": chosen / (NOISE**2 + excess_error(fit_poly(3, x, y))),
            "validation minimum inside": float(0 < i < val.size - 1)}


def stability_experiment(seed):
    """Excess errors of degree 10 without a penalty and with L2(LAM_FIXED)."""
    x, y = datasets.noisy_polynomial(N_TRAIN, noise=NOISE, rng=seed)
    e = excess_error(ridge_path(x, y, 10, [0.0, LAM_FIXED])["predict"])
    return {"excess, no penalty": e[0], "excess, penalty": e[1]}


def learning_curve_experiment(seed):
    """Excess errors of degree 10 against the training-set size: no penalty, the
    fixed L2(LAM_FIXED), and lam chosen by leave-one-out on the training set."""
    r = np.random.default_rng(seed)
    out = {}
    lams = np.concatenate([[0.0, LAM_FIXED], LAMS])
    for n in SIZES:
        x, y = datasets.noisy_polynomial(n, noise=NOISE, rng=r)
        path = ridge_path(x, y, 10, lams)
        e = excess_error(path["predict"])
        i = 2 + np.argmin(path["loo"][2:])
        out |= {f"none {n}": e[0], f"fixed {n}": e[1], f"loo {n}": e[i],
                f"loo lam {n}": lams[i]}
        if n == N_TRAIN:   # whose leverage S_ii is largest at the lam leave-one-out picks
            top = np.argmax(path["leverage"][:, i])
            out["top leverage at an end"] = float(top in (np.argmin(x), np.argmax(x)))
    return out


DEGREE = Experiment("ch1/degree", degree_experiment, n=20, doc="01_overfitting")
DEGREE.claim("ch1/degree-3-best", lambda d: d["best degree"] == 3,
             says="degree 3, the degree of the truth, has the lowest expected test error "
                  "on most draws", section="sec-overfit-draws")
DEGREE.claim("ch1/degree-3-or-4-best", lambda d: np.isin(d["best degree"], [3, 4]),
             says="degree 3 or 4 has the lowest expected test error",
             section="sec-overfit-draws")
DEGREE.claim("ch1/degree-10-never-best", lambda d: d["best degree"] < 10,
             says="no degree from 10 to 15 has the lowest expected test error",
             section="sec-overfit-draws")
DEGREE.claim("ch1/degree-10-ten-times", lambda d: d["degree 10 / best"] > 10,
             says="degree 10's expected test error is more than ten times the best "
                  "degree's", section="sec-overfit-draws")

LAMBDA = Experiment("ch1/lambda", lambda_experiment, n=20, doc="01_overfitting")
LAMBDA.claim("ch1/chosen-beats-none", lambda d: d["chosen / no penalty"] < 1,
             says="degree 10 with lam chosen on a validation set has a lower expected "
                  "test error than degree 10 without a penalty",
             section="sec-overfit-lambda-draws")
LAMBDA.claim("ch1/chosen-near-degree-3", lambda d: d["chosen / degree 3"] < 1.3,
             says="degree 10 with the validation-chosen lam comes within 30 % of "
                  "degree 3's expected test error", section="sec-overfit-lambda-draws")
LAMBDA.claim("ch1/validation-u", lambda d: d["validation minimum inside"] == 1,
             says="the validation error of degree 10 falls and then rises along the lam "
                  "grid: its minimum is inside the grid, not at either end",
             section="sec-overfit-ucurve")
LAMBDA.claim("ch1/chosen-beats-degree-3", lambda d: d["chosen / degree 3"] < 1,
             says="degree 10 with the validation-chosen lam beats degree 3 only on a "
                  "minority of draws", section="sec-overfit-lambda-draws",
             side="at_most")

STABILITY = Experiment("ch1/stability", stability_experiment, n=20, doc="01_overfitting")
STABILITY.claim("ch1/penalty-closer",
                lambda d: d["excess, penalty"] < d["excess, no penalty"],
                says="the degree-10 fit with L2(1e-3) is closer to the truth than the "
                     "unpenalized fit", section="sec-overfit-stability")
STABILITY.claim("ch1/penalty-ten-times-closer",
                lambda d: 10 * d["excess, penalty"] < d["excess, no penalty"],
                says="the degree-10 fit with L2(1e-3) is more than ten times closer to the "
                     "truth than the unpenalized fit", section="sec-overfit-stability")

LEARNING = Experiment("ch1/learning", learning_curve_experiment, n=20,
                      doc="01_overfitting")
LEARNING.claim("ch1/loo-helps-small-n", lambda d: d["loo 20"] < d["none 20"],
               says="at n = 20, lam chosen by leave-one-out beats no penalty",
               section="sec-overfit-learning")
LEARNING.claim("ch1/loo-helps-large-n", lambda d: d["loo 1000"] < d["none 1000"],
               says="at n = 1000, lam chosen by leave-one-out still beats no penalty",
               section="sec-overfit-learning")
LEARNING.claim("ch1/fixed-hurts-large-n", lambda d: d["fixed 1000"] > d["none 1000"],
               says="at n = 1000, the fixed lam = 1e-3 is worse than no penalty",
               section="sec-overfit-learning")
LEARNING.claim("ch1/top-leverage-at-an-end", lambda d: d["top leverage at an end"] == 1,
               says="at n = 20 and the lam leave-one-out picks, the largest leverage "
                    "S_ii belongs to the training point with the smallest or the largest x",
               section="sec-overfit-loo")
LEARNING.claim("ch1/loo-lam-falls", lambda d: d["loo lam 1000"] < d["loo lam 20"],
               says="the lam leave-one-out chooses is smaller at n = 1000 than at n = 20",
               section="sec-overfit-learning")
