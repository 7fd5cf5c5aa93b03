r"""Chapter 3 (L1 versus L2): the experiments whose results the chapter states.

Each ``*_experiment`` function takes a seed and returns one draw's measurements; each
:class:`~lkcourse.Experiment` below is what the chapter runs on its block of draws and
what the claims ledger measures on hundreds (``make claims CHAPTERS=ch3``). The
helpers they share (``ista_and_subgradient``, ``train_three``, ...) are the code the
chapter shows.
"""
from __future__ import annotations

import numpy as np

from .. import datasets
from ..claims import Experiment
from ..linear import fit_linear, regularization_path_fits
from ..metrics import mse
from ..nn import MLP
from ..optim import SGD
from ..penalties import L1, L2, ElasticNet
from ..training import train

__all__ = ["DOC", "ista_data", "ista_and_subgradient", "ista_experiment", "ISTA",
           "NET", "train_three", "network_experiment", "NETWORK",
           "group_data", "GROUP_PENALTIES", "group_fits", "group_experiment", "GROUP",
           "cap_experiment", "CAP", "sparse_input_experiment", "SPARSE_INPUTS",
           "df_experiment", "DF"]

DOC = "03_l1_vs_l2"


# ---- ISTA versus subgradient descent ------------------------------------------------

def ista_data(seed):
    """The lasso problem of the ISTA section: n = 100, p = 30, 5 non-zero coefficients."""
    return datasets.sparse_regression(100, 30, 5, correlation=0.2, noise=0.5, rng=seed)


def ista_and_subgradient(X, y, pen, steps=500):
    """Both methods from w = 0 with the step 1/(largest eigenvalue of X^T X / n);
    returns their iterates, one row per step (no intercept)."""
    n, p = X.shape
    eta = 1 / np.linalg.eigvalsh(X.T @ X / n).max()
    w_ista, w_sub = np.zeros(p), np.zeros(p)
    trace_ista, trace_sub = [w_ista], [w_sub]
    for _ in range(steps):
        # ISTA: a gradient step on the loss, then the prox of the penalty
        w_ista = pen.prox(w_ista - eta * X.T @ (X @ w_ista - y) / n, eta)
        # subgradient descent: one step on loss + penalty
        w_sub = w_sub - eta * (X.T @ (X @ w_sub - y) / n + pen.grad(w_sub))
        trace_ista.append(w_ista)
        trace_sub.append(w_sub)
    return np.array(trace_ista), np.array(trace_sub)


def ista_experiment(seed):
    """ISTA and subgradient descent (lam = 0.1, 500 steps) against the lasso solution."""
    X, y, _ = ista_data(seed)
    pen = L1(0.1)
    trace_ista, trace_sub = ista_and_subgradient(X, y, pen)
    lasso = fit_linear(X, y, pen, fit_intercept=False, tol=1e-12).coef
    return {"ISTA: exact zeros": np.sum(trace_ista[-1] == 0),
            "ISTA zeros = lasso zeros": np.array_equal(trace_ista[-1] == 0, lasso == 0),
            "subgradient: exact zeros": np.sum(trace_sub[-1] == 0)}


ISTA = Experiment("ch3/ista", ista_experiment, n=20, doc=DOC)
ISTA.claim("ch3/ista-finds-the-lasso-zeros", lambda d: d["ISTA zeros = lasso zeros"] == 1,
           says="after 500 steps ISTA's exact zeros are those of the lasso solution",
           section="sec-l1l2-ista")
ISTA.claim("ch3/subgradient-no-exact-zero", lambda d: d["subgradient: exact zeros"] == 0,
           says="after 500 steps subgradient descent has not one exact zero",
           section="sec-l1l2-ista")


# ---- sparsity in a trained network --------------------------------------------------

#: The network runs: penalty strength, learning rate, full-batch steps, layer sizes.
NET = {"lam": 0.01, "lr": 0.1, "steps": 400, "sizes": (20, 16, 1)}
_RUNS = {"L2": (L2, "grad"), "L1, subgradient": (L1, "grad"), "L1, proximal": (L1, "prox")}


def train_three(seed):
    """One draw of data and initial weights; the three runs from the same start.

    Returns ``{run: (trained MLP, test MSE)}`` for ``"L2"``, ``"L1, subgradient"``
    (the penalty in the loss) and ``"L1, proximal"`` (soft-thresholding after every
    SGD step)."""
    data, init = np.random.SeedSequence(seed).spawn(2)
    r = np.random.default_rng(data)
    X, y, _ = datasets.sparse_regression(300, 20, 3, correlation=0.3, noise=0.5, rng=r)
    X_tr, X_te, y_tr, y_te = datasets.train_test_split(X, y, test_size=0.3, rng=r)
    nets = {}
    for name, (penalty, mode) in _RUNS.items():
        model = MLP(NET["sizes"], rng=np.random.default_rng(init))   # the same start
        train(model, X_tr, y_tr, optimizer=SGD(NET["lr"]), loss="mse",
              penalty=penalty(NET["lam"]), penalty_mode=mode, epochs=NET["steps"])
        nets[name] = (model, mse(y_te, model.predict(X_te).ravel()))
    return nets


def network_experiment(seed):
    """Fractions of exact zeros and of weights below 1e-3, and test MSE, per run."""
    out = {}
    for name, (model, test_mse) in train_three(seed).items():
        w = model.weight_entries()
        out[f"{name}: exact 0"] = np.mean(w == 0)
        out[f"{name}: |w| < 1e-3"] = np.mean(np.abs(w) < 1e-3)
        out[f"{name}: test MSE"] = test_mse
    return out


NETWORK = Experiment("ch3/network", network_experiment, n=5, doc=DOC)
NETWORK.claim("ch3/net-subgradient-no-exact-zero",
              lambda d: d["L1, subgradient: exact 0"] == 0,
              says="L1 in the loss (subgradient) leaves not one weight exactly 0",
              section="sec-l1l2-network")
NETWORK.claim("ch3/net-subgradient-near-zeros",
              lambda d: d["L1, subgradient: |w| < 1e-3"] >= 0.3,
              says=r"L1 in the loss leaves at least 30 % of the weights below $10^{-3}$",
              section="sec-l1l2-network")
NETWORK.claim("ch3/net-proximal-exact-zeros",
              lambda d: d["L1, proximal: exact 0"] >= 0.5,
              says="the proximal L1 run sets more than half of the weights exactly to 0",
              section="sec-l1l2-network")
NETWORK.claim("ch3/net-l2-few-small", lambda d: d["L2: |w| < 1e-3"] < 0.02,
              says=r"under L2 fewer than 2 % of the weights are below $10^{-3}$",
              section="sec-l1l2-network")
NETWORK.claim("ch3/net-proximal-beats-l2",
              lambda d: d["L1, proximal: test MSE"] < d["L2: test MSE"],
              says=r"at this untuned $\lambda$ the proximal L1 run has a lower test MSE than "
                   "L2",
              section="sec-l1l2-network")
NETWORK.claim("ch3/net-proximal-no-worse-than-subgradient",
              lambda d: d["L1, proximal: test MSE"] - d["L1, subgradient: test MSE"],
              kind="mean", side="at_most",
              says="the proximal L1 run's test MSE is on average no higher than the "
                   "subgradient run's (paired difference)", section="sec-l1l2-network")


# ---- correlated features: a group of near-copies -----------------------------------

#: The penalties of the group section (the elastic net is the lasso's and ridge's sum).
GROUP_PENALTIES = {"lasso": L1(0.5), "ridge": L2(0.25), "elastic net": ElasticNet(0.5, 0.25)}


def group_data(seed):
    """Three features with pairwise correlation 0.99 and coefficient 1, and seven noise
    features (two more triples of near-copies and one loner); n = 50, noise sd 1."""
    return datasets.sparse_regression(50, 10, 3, correlation=0.99, block_size=3, coef=1.0,
                                      noise=1.0, rng=seed)


def group_fits(X, y):
    """Lasso, ridge and the (naive) elastic net fitted on standardized features
    (``x_j^T x_j / n = 1``), returned in the original units of X."""
    sd = X.std(axis=0)
    Xs = (X - X.mean(axis=0)) / sd
    return {name: fit_linear(Xs, y, pen).coef / sd for name, pen in GROUP_PENALTIES.items()}


def group_experiment(seed):
    """Group members set to 0 by the lasso and the elastic net; the naive and the
    (1 + 2 l2)-rescaled elastic net's mean group coefficient (truth 1)."""
    X, y, _ = group_data(seed)
    fits = group_fits(X, y)
    naive = fits["elastic net"][:3].mean()
    l2 = GROUP_PENALTIES["elastic net"].l2
    return {"lasso: group zeros": np.sum(fits["lasso"][:3] == 0),
            "elastic net: group zeros": np.sum(fits["elastic net"][:3] == 0),
            "elastic net: noise zeros": np.sum(fits["elastic net"][3:] == 0),
            "naive group mean": naive, "rescaled group mean": (1 + 2 * l2) * naive}


GROUP = Experiment("ch3/group", group_experiment, n=20, doc=DOC)
GROUP.claim("ch3/lasso-drops-a-group-member", lambda d: d["lasso: group zeros"] >= 1,
            says="the lasso sets at least one of three near-copies (all relevant) to 0",
            section="sec-l1l2-group")
GROUP.claim("ch3/enet-keeps-the-group", lambda d: d["elastic net: group zeros"] == 0,
            says="the elastic net keeps all three near-copies", section="sec-l1l2-group")
GROUP.claim("ch3/enet-zeros-the-noise", lambda d: d["elastic net: noise zeros"] == 7,
            says="the elastic net sets all seven noise features to 0",
            section="sec-l1l2-group")
GROUP.claim("ch3/naive-enet-below-truth", lambda d: d["naive group mean"] < 1,
            says="the naive elastic net's mean group coefficient is below the truth 1",
            section="sec-l1l2-naive")
GROUP.claim("ch3/rescaled-enet-above-truth", lambda d: d["rescaled group mean"] > 1,
            says=r"the $(1 + 2\lambda_2)$-rescaled group coefficient overshoots the truth 1",
            section="sec-l1l2-naive")


# ---- more features than samples -----------------------------------------------------

def cap_experiment(seed):
    """p = 60 features (correlation 0.5), 40 relevant, n = 20 training samples; lasso
    and elastic net (l2 = 0.05), each with l1 chosen on 100 validation samples from
    1, 0.32, 0.1, 0.032, 0.01; true positives and MSE on 500 test samples."""
    X, y, w = datasets.sparse_regression(620, 60, 40, correlation=0.5, noise=0.5, rng=seed)
    (Xt, yt), (Xv, yv), (Xs, ys) = (X[:20], y[:20]), (X[20:120], y[20:120]), (X[120:], y[120:])
    methods = {"lasso": L1, "elastic net": lambda lam: ElasticNet(lam, 0.05)}
    out = {}
    for name, factory in methods.items():
        fits = regularization_path_fits(Xt, yt, factory, np.logspace(0, -2, 5),
                                        max_iter=20_000, tol=1e-6)
        best = fits[np.argmin([mse(yv, f.predict(Xv)) for f in fits])]
        out[f"{name}: non-zeros"] = np.sum(best.coef != 0)
        out[f"{name}: true positives"] = np.sum((best.coef != 0) & (w != 0))
        out[f"{name}: test MSE"] = mse(ys, best.predict(Xs))
    return out


CAP = Experiment("ch3/cap", cap_experiment, n=5, doc=DOC)
CAP.claim("ch3/cap-lasso-keeps-at-most-n-1", lambda d: d["lasso: non-zeros"] <= 19,
          says="from 20 samples the lasso keeps at most 19 features",
          section="sec-l1l2-p-greater-n")
CAP.claim("ch3/cap-enet-beyond-the-cap", lambda d: d["elastic net: true positives"] > 19,
          says="the elastic net finds more than 19 of the 40 relevant features",
          section="sec-l1l2-p-greater-n")
CAP.claim("ch3/cap-enet-lower-test-mse",
          lambda d: d["elastic net: test MSE"] < d["lasso: test MSE"],
          says="the elastic net has a lower test MSE than the lasso",
          section="sec-l1l2-p-greater-n")


# ---- sparse inputs, sparse or dense truth -------------------------------------------

def sparse_input_experiment(seed):
    """Inputs with 90 % zeros (n = 100 training, 100 validation, 200 test, p = 50), a
    sparse truth (5 non-zero coefficients) and a dense one (all 50); L1 and L2 with lam
    chosen on the validation set from 8 values 0.32 ... 1e-4; their test MSEs."""
    r = np.random.default_rng(seed)
    X = (r.random((400, 50)) < 0.1) * r.exponential(1.0, (400, 50))
    out = {}
    for truth in ("sparse", "dense"):
        w = r.standard_normal(50) * (np.arange(50) < 5 if truth == "sparse" else 0.5)
        y = X @ w + 0.5 * r.standard_normal(400)
        (Xt, yt), (Xv, yv), (Xs, ys) = ((X[:100], y[:100]), (X[100:200], y[100:200]),
                                        (X[200:], y[200:]))
        for name, factory in (("L1", L1), ("L2", L2)):
            fits = regularization_path_fits(Xt, yt, factory, np.logspace(-0.5, -4, 8),
                                            tol=1e-6)
            best = fits[np.argmin([mse(yv, f.predict(Xv)) for f in fits])]
            out[f"{truth} truth, {name}: test MSE"] = mse(ys, best.predict(Xs))
    return out


def _ratio(d, truth):
    return d[f"{truth} truth, L1: test MSE"] / d[f"{truth} truth, L2: test MSE"]


SPARSE_INPUTS = Experiment("ch3/sparse-inputs", sparse_input_experiment, n=10, doc=DOC)
SPARSE_INPUTS.claim("ch3/sparse-truth-l1-wins", lambda d: _ratio(d, "sparse") < 1,
                    says="with a sparse truth L1 has the lower test MSE",
                    section="sec-l1l2-choose")
SPARSE_INPUTS.claim("ch3/sparse-truth-l2-costs", lambda d: _ratio(d, "sparse") < 1 / 1.1,
                    says="with a sparse truth L2's test MSE is more than 10 % above L1's",
                    section="sec-l1l2-choose")
SPARSE_INPUTS.claim("ch3/dense-truth-l2-wins", lambda d: _ratio(d, "dense") > 1,
                    says="with a dense truth L2 has the lower test MSE",
                    section="sec-l1l2-choose")
SPARSE_INPUTS.claim("ch3/dense-truth-l1-costs-little", lambda d: _ratio(d, "dense") > 1.1,
                    side="at_most",
                    says="with a dense truth L1's test MSE is more than 10 % above L2's",
                    section="sec-l1l2-choose")


# ---- the lasso's degrees of freedom -------------------------------------------------

def df_experiment(seed, replicates=5):
    """One draw of X (n = 50, p = 20, 5 relevant coefficients) and ``replicates`` draws
    of the noise (sd 1) on it; the lasso with lam = 0.1, no intercept. Returns the mean
    number of non-zeros and the mean covariance term eps^T (yhat - mu) / sigma^2 over
    the replicates: over many draws the second averages to the degrees of freedom
    (mu = X w is the noiseless response)."""
    r = np.random.default_rng(seed)
    X, mu, _ = datasets.sparse_regression(50, 20, 5, correlation=0.3, noise=0.0, rng=r)
    k, cov = np.zeros(replicates), np.zeros(replicates)
    for i in range(replicates):
        eps = r.standard_normal(50)
        coef = fit_linear(X, mu + eps, L1(0.1), fit_intercept=False).coef
        k[i], cov[i] = np.sum(coef != 0), eps @ (X @ coef - mu)
    return {"non-zeros": k.mean(), "covariance term": cov.mean(),
            "covariance term - non-zeros": cov.mean() - k.mean()}


DF = Experiment("ch3/df", df_experiment, n=10, doc=DOC)
DF.claim("ch3/lasso-df-not-above", lambda d: d["covariance term - non-zeros"],
         kind="mean", side="at_most",
         says="the covariance estimate of the lasso's degrees of freedom minus its number "
              "of non-zeros averages 0 (upper bound)", section="sec-l1l2-df")
DF.claim("ch3/lasso-df-not-below", lambda d: d["covariance term - non-zeros"],
         kind="mean", side="at_least",
         says="the covariance estimate of the lasso's degrees of freedom minus its number "
              "of non-zeros averages 0 (lower bound)", section="sec-l1l2-df")
