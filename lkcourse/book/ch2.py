r"""Chapter 2 (L2 regularization): the experiments whose results the chapter states.

Each ``*_experiment`` function takes a seed and returns one draw's measurements; each
:class:`~lkcourse.Experiment` below is what the chapter runs on its block of draws and
what the claims ledger measures on hundreds (``make claims CHAPTERS=ch2``). The
smaller functions are the pieces the chapter shows with ``lk.show_source``.

Three experiments:

- :data:`HOERL_KENNARD`: ridge against least squares on a collinear design (five
  features correlated at 0.99), a fresh design, truth and noise per draw;
- :data:`PATH`: the ridge path of eight features correlated at 0.7 (growing
  coefficients, sign changes, the common sign at large :math:`\lambda`);
- :data:`NETWORK`: a 1-32-32-1 tanh network fitted to 20 noisy points of a cubic
  with the L2 penalty at three strengths, from one initialization per draw.
"""
from __future__ import annotations

import numpy as np

from .. import datasets
from ..claims import Experiment
from ..nn import MLP, decay_weights_only
from ..optim import Adam
from ..penalties import L2
from ..training import train

__all__ = [
    "collinear_design", "ridge_mse", "best_ridge", "hoerl_kennard_experiment",
    "HOERL_KENNARD",
    "path_data", "ridge_coefficients", "zero_crossings", "path_experiment", "PATH",
    "NET_SIZES", "NET_LAMS", "NET_EPOCHS", "NET_LR", "NET_NOISE", "train_nets",
    "squared_weight_norm", "nonlinear_part", "roughness", "net_experiment", "NETWORK",
]


# ---- Hoerl and Kennard: ridge against least squares ---------------------------------

def collinear_design(rng):
    """Five features correlated at 0.99, n = 30, every true weight non-zero, sigma = 1.

    Returns ``(X, y, w_true)`` from :func:`lkcourse.datasets.sparse_regression` (true
    weights of random sign and size between 1 and 2; no intercept)."""
    return datasets.sparse_regression(30, 5, 5, correlation=0.99, noise=1.0, rng=rng)


def ridge_mse(d, theta, sigma, c):
    r"""Hoerl and Kennard's mean squared error of ridge, split in two.

    For singular values ``d`` of the design, true weights ``theta`` in the basis of
    right singular vectors and noise level ``sigma``, return ``(bias2, var)`` with
    ``bias2 + var`` :math:`= E\lVert\hat w_c - w\rVert^2` for every ridge constant in
    ``c`` (an array: one value per entry).
    """
    c = np.asarray(c, dtype=float)[..., None]
    bias2 = (c**2 * theta**2 / (d**2 + c) ** 2).sum(axis=-1)
    var = (sigma**2 * d**2 / (d**2 + c) ** 2).sum(axis=-1)
    return bias2, var


def best_ridge(d, theta, sigma):
    """The ridge constant with the smallest mean squared error, on a grid of 6001
    values from 1e-3 to 1e3 (log-spaced), and that error: ``(c_best, mse_best)``."""
    cs = np.logspace(-3, 3, 6001)
    mse = sum(ridge_mse(d, theta, sigma, cs))
    return cs[np.argmin(mse)], mse.min()


def hoerl_kennard_experiment(seed):
    """One draw of the collinear design, its truth and its noise: ridge with c = 1 and
    the best ridge against least squares."""
    X, y, w = collinear_design(np.random.default_rng(seed))
    _, d, Vt = np.linalg.svd(X, full_matrices=False)
    theta = Vt @ w
    w_ols = np.linalg.solve(X.T @ X, X.T @ y)
    w_c1 = np.linalg.solve(X.T @ X + np.eye(X.shape[1]), X.T @ y)
    mse_ols, mse_c1 = (sum(ridge_mse(d, theta, 1.0, c)) for c in (0.0, 1.0))
    c_best, mse_best = best_ridge(d, theta, 1.0)
    return {"ridge (c=1) closer than OLS": np.linalg.norm(w_c1 - w) < np.linalg.norm(w_ols - w),
            "MSE(1) / MSE(0)": mse_c1 / mse_ols,
            "best MSE / MSE(0)": mse_best / mse_ols,
            "c_best": c_best,
            "c_best / (sigma^2/max theta^2)": c_best * np.max(theta**2)}


HOERL_KENNARD = Experiment("ch2/hoerl-kennard", hoerl_kennard_experiment, n=100,
                           doc="02_l2")
HOERL_KENNARD.claim(
    "ch2/ridge-closer-most-draws", lambda d: d["ridge (c=1) closer than OLS"] == 1,
    says="on a collinear design, ridge with c = 1 is closer to the true weights than "
         "least squares on most draws of design, truth and noise",
    section="sec-l2-hoerl-kennard")
HOERL_KENNARD.claim(
    "ch2/ridge-not-always-closer", lambda d: d["ridge (c=1) closer than OLS"] == 1,
    side="at_most",
    says="ridge with c = 1 is not closer on every draw: on some, least squares is",
    section="sec-l2-hoerl-kennard")
HOERL_KENNARD.claim(
    "ch2/best-ridge-halves-mse", lambda d: d["best MSE / MSE(0)"] < 0.5,
    says="the best ridge constant has less than half the mean squared error of least "
         "squares on the collinear design",
    section="sec-l2-hoerl-kennard")


# ---- the ridge path -------------------------------------------------------------------

def path_data(rng):
    """Eight features correlated at 0.7 (every pair), n = 50, three non-zero true
    weights (the first three), sigma = 1: ``(X, y, w_true)``."""
    return datasets.sparse_regression(50, 8, 3, correlation=0.7, noise=1.0, rng=rng)


def ridge_coefficients(X, y, cs):
    r"""Ridge coefficients (with an unpenalized intercept) for every ridge constant in
    ``cs``, from one SVD of the centred design: row i is
    :math:`\sum_k v_k\, d_k\, u_k^\top y_c / (d_k^2 + c_i)`."""
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    U, d, Vt = np.linalg.svd(Xc, full_matrices=False)
    z = d * (U.T @ yc)
    return (z / (d**2 + np.asarray(cs, dtype=float)[:, None])) @ Vt


def zero_crossings(X, y):
    r"""How many times each ridge coefficient changes sign as :math:`c` runs over
    :math:`(0, \infty)`, counted on 4001 log-spaced values from :math:`10^{-6} d_p^2`
    to :math:`10^{6} d_1^2`. Outside that range every coefficient is within a relative
    :math:`10^{-6}` or so of its limits: least squares below, :math:`X_c^\top y_c / c`
    above."""
    d = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    cs = np.logspace(np.log10(d[-1] ** 2) - 6, np.log10(d[0] ** 2) + 6, 4001)
    signs = np.sign(ridge_coefficients(X, y, cs))
    return np.count_nonzero(np.diff(signs, axis=0), axis=0)


def path_experiment(seed):
    """One draw of the eight-feature data: how its ridge path bends."""
    X, y, w = path_data(np.random.default_rng(seed))
    lams = np.logspace(-3, 2, 41)
    coefs = ridge_coefficients(X, y, 2 * len(y) * lams)     # = lk.regularization_path
    crossings = zero_crossings(X, y)
    growth = np.abs(coefs).max(axis=0) / np.abs(coefs[0])
    return {"coefficients that change sign": np.count_nonzero(crossings),
            "most crossings of one coefficient": crossings.max(),
            "largest growth factor": growth.max(),
            "one sign at lam=100": abs(np.sign(coefs[-1]).sum()) == X.shape[1],
            "largest null weight at lam=0.001": np.abs(coefs[0, w == 0]).max()}


PATH = Experiment("ch2/ridge-path", path_experiment, n=100, doc="02_l2")
PATH.claim("ch2/path-sign-change", lambda d: d["coefficients that change sign"] >= 1,
           says="on the ridge path of eight features correlated at 0.7, at least one "
                "coefficient changes sign",
           section="sec-l2-svd")
PATH.claim("ch2/path-single-crossing", lambda d: d["most crossings of one coefficient"] <= 1,
           says="on most draws every coefficient of that ridge path crosses zero at most "
                "once",
           section="sec-l2-svd")
PATH.claim("ch2/path-not-always-single", lambda d: d["most crossings of one coefficient"] <= 1,
           side="at_most",
           says="not on every draw: on some, a coefficient crosses zero more than once",
           section="sec-l2-svd")
PATH.claim("ch2/path-grows", lambda d: d["largest growth factor"] > 1.2,
           says="at least one coefficient of that ridge path grows in magnitude by more "
                "than 20 % before it shrinks",
           section="sec-l2-svd")
PATH.claim("ch2/path-one-sign", lambda d: d["one sign at lam=100"] == 1,
           says="at lambda = 100 all eight coefficients have the same sign",
           section="sec-l2-svd")


# ---- a small network ------------------------------------------------------------------

#: Layer sizes of the chapter's network.
NET_SIZES = (1, 32, 32, 1)
#: The three penalty strengths.
NET_LAMS = (0.0, 1e-3, 1e-2)
#: Full-batch Adam steps and learning rate.
NET_EPOCHS, NET_LR = 400, 0.03
#: Noise on the 20 training points.
NET_NOISE = 0.25


def train_nets(seed):
    """Draw 20 noisy points of the cubic and one initialization of a 1-32-32-1 tanh
    network; train a copy of it for each strength in :data:`NET_LAMS` (full-batch
    Adam on the half-MSE plus ``lk.L2(lam)`` on the weight matrices).

    Returns ``(x, y, truth, models)``: the data, the true function and the three
    trained networks, in the order of :data:`NET_LAMS`."""
    r = np.random.default_rng(seed)
    x, y, truth = datasets.noisy_polynomial(20, noise=NET_NOISE, rng=r, return_truth=True)
    start = MLP(list(NET_SIZES), "tanh", rng=r)
    models = [start.copy() for _ in NET_LAMS]
    train(models, x[:, None], y, optimizer=Adam(NET_LR), loss="mse", epochs=NET_EPOCHS,
          penalty=[L2(lam) if lam else None for lam in NET_LAMS])
    return x, y, truth, models


def squared_weight_norm(model):
    r"""The penalized quantity :math:`\sum_l \lVert W_l\rVert_F^2` (biases left out)."""
    return float(sum(np.sum(v**2) for k, v in model.params.items()
                     if decay_weights_only(k, v)))


def nonlinear_part(f):
    """Range of what is left of the values ``f`` on an evenly spaced grid after
    removing their least-squares straight line."""
    t = np.linspace(-1, 1, len(f))
    return np.ptp(f - np.polyval(np.polyfit(t, f, 1), t))


def roughness(f):
    """Mean squared second difference of ``f`` on an evenly spaced grid."""
    return float(np.mean(np.diff(f, 2) ** 2))


def net_experiment(seed):
    """One draw of data and initialization: weights, shape and test error of the three
    trained networks."""
    x, y, truth, models = train_nets(seed)
    grid = np.linspace(-1, 1, 200)
    fs = [m.predict(grid[:, None]).ravel() for m in models]
    norms = [squared_weight_norm(m) for m in models]
    rough = [roughness(f) for f in fs]
    test = [np.mean((f - truth(grid)) ** 2) for f in fs]
    out = {f"sum ||W||^2, lam={lam:g}": v for lam, v in zip(NET_LAMS, norms)}
    out["norm ratio lam=0.01 / lam=0"] = norms[2] / norms[0]
    out["non-linear part / range of y, lam=0.01"] = nonlinear_part(fs[2]) / np.ptp(y)
    out["range of fit / range of y, lam=0.01"] = np.ptp(fs[2]) / np.ptp(y)
    out["flat fit, lam=0.01"] = np.ptp(fs[2]) < 0.01 * np.ptp(y)
    out["smoother as lam grows"] = rough[0] > rough[1] > rough[2]
    out["norm falls as lam grows"] = norms[0] > norms[1] > norms[2]
    out["test error lowest at lam=0"] = int(np.argmin(test)) == 0
    return out


NETWORK = Experiment("ch2/network", net_experiment, n=20, doc="02_l2")
NETWORK.claim(
    "ch2/net-norm-falls",
    lambda d: (d["norm falls as lam grows"] == 1) & (d["norm ratio lam=0.01 / lam=0"] < 0.05),
    says="the squared weight norm of the network falls as lambda grows, to below 5 % of "
         "the unpenalized one at lambda = 0.01",
    section="sec-l2-networks")
NETWORK.claim(
    "ch2/net-smoother", lambda d: d["smoother as lam grows"] == 1,
    says="the network's fit gets smoother (smaller mean squared second difference) as "
         "lambda grows",
    section="sec-l2-networks")
NETWORK.claim(
    "ch2/net-straight-line", lambda d: d["non-linear part / range of y, lam=0.01"] < 0.02,
    says="at lambda = 0.01 the network's fit is a straight line to within 2 % of the "
         "data's range",
    section="sec-l2-networks")
NETWORK.claim(
    "ch2/net-switched-off", lambda d: d["flat fit, lam=0.01"] == 1,
    says="at lambda = 0.01 the network is switched off on about half of the draws: its "
         "fit is flat (it varies by less than 1 % of the data's range)",
    section="sec-l2-networks")
NETWORK.claim(
    "ch2/net-no-test-gain", lambda d: d["test error lowest at lam=0"] == 1,
    says="on this smooth truth the unpenalized network has the lowest test error of "
         "the three on most draws",
    section="sec-l2-networks")
