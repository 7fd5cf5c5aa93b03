"""Chapter 1's machinery (``lk.book.ch1``) against independent oracles.

The chapter's statements rest on these functions: the exact excess error (quadrature),
the vectorized ridge path with its leave-one-out and GCV errors, the bias-variance
estimates and the expected excess of least squares.
"""
import numpy as np
import pytest
from numpy.testing import assert_allclose

import lkcourse as lk
from lkcourse.book import ch1


def data(n, seed):
    return lk.datasets.noisy_polynomial(n, noise=ch1.NOISE, rng=seed)


def test_excess_error_is_the_integral():
    x, y = data(20, 3)
    f = ch1.fit_poly(15, x, y)                       # degree 15: integrand of degree 30
    grid = np.linspace(-1, 1, 400_001)
    dense = np.trapezoid((f(grid) - ch1.TRUTH(grid)) ** 2, grid) / 2
    assert_allclose(ch1.excess_error(f), dense, rtol=1e-6)
    assert ch1.excess_error(ch1.TRUTH) == 0.0
    # E[(a + x)^2] over U(-1, 1) is a^2 + 1/3
    assert_allclose(ch1.excess_error(lambda t: ch1.TRUTH(t) + 2 + t), 4 + 1 / 3,
                    rtol=1e-13)


@pytest.mark.parametrize("n", [15, 20, 100])
def test_ridge_path_matches_fit_linear_and_loo_shortcut(n):
    x, y = data(n, n)
    lams = np.array([0.0, 1e-6, 1e-3, 0.1])
    path = ch1.ridge_path(x, y, 10, lams)
    t = np.linspace(-1, 1, 9)
    for j, lam in enumerate(lams):
        f = ch1.fit_poly(10, x, y, lk.L2(lam) if lam > 0 else None)
        assert_allclose(path["predict"](t)[:, j], f(t), rtol=1e-7, atol=1e-9)
        if lam > 0:   # the hat-matrix solve at lam = 0 is too ill-conditioned to compare
            loo = ch1.loo_residuals(x, y, lam)
            assert_allclose(path["loo"][j], np.mean(loo ** 2), rtol=1e-8)
            assert_allclose(path["leverage"][:, j].sum(), path["df"][j] + 1, rtol=1e-10)
    assert_allclose(path["df"][0], 10, rtol=1e-8)    # least squares: tr S = p + 1


def test_loo_shortcut_equals_refitting():
    x, y = data(20, 5)
    n, lam = len(x), 1e-3
    brute = []
    for i in range(n):
        keep = np.arange(n) != i
        f = ch1.fit_poly(10, x[keep], y[keep], lk.L2(lam * n / (n - 1)))
        brute.append(y[i] - f(x[i:i + 1])[0])
    assert_allclose(ch1.loo_residuals(x, y, lam), brute, rtol=1e-8, atol=1e-10)


def test_gcv_equals_loo_when_leverages_are_equal():
    # the constant model (lam -> infinity) has S_ii = 1/n for every i: GCV is then LOO
    x, y = data(20, 7)
    path = ch1.ridge_path(x, y, 3, [1e12])
    assert_allclose(path["leverage"][:, 0], 1 / 20, atol=1e-9)
    assert_allclose(path["gcv"][0], path["loo"][0], rtol=1e-8)


def test_bias_variance_estimates():
    fits = [ch1.fit_poly(10, *data(20, 100 + s), lk.L2(1e-3)) for s in range(5)]
    bias2, var = ch1.bias_variance(fits)
    excess = np.mean([ch1.excess_error(f) for f in fits])
    assert_allclose(bias2 + var, excess, rtol=1e-10)   # an identity of the estimates
    assert var > 0
    # identical fits: no variance, and the bias is the distance of that fit
    f = fits[0]
    assert_allclose(ch1.bias_variance([f, f, f]), (ch1.excess_error(f), 0.0), atol=1e-15)


def test_expected_ols_excess_known_case():
    # degree 0 (the mean of n points): tr((A^T A)^-1 M) = 1/n for every design
    out = ch1.expected_ols_excess(0, 20, np.random.default_rng(0), n_designs=50)
    assert_allclose(out, 1 / 20, rtol=1e-12)
    # degree 1: M = diag(1, 1/3), so the value is 1/n + (xbar^2 + 1/3) / sum((x - xbar)^2)
    r = np.random.default_rng(1)
    out = ch1.expected_ols_excess(1, 10, r, n_designs=20)
    r = np.random.default_rng(1)
    xs = np.concatenate([r.uniform(-1, 1, size=(m, 10, 1))[..., 0]
                         for m in np.diff(np.linspace(0, 20, 11).astype(int))])
    sxx = ((xs - xs.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
    want = 1 / 10 + (xs.mean(axis=1) ** 2 + 1 / 3) / sxx
    assert_allclose(out, want, rtol=1e-10)
