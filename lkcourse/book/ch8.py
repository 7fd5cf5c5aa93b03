r"""Chapter 8 (real data): the experiments whose results the chapter states.

Three data sets that ship with scikit-learn (``lk.datasets.diabetes``,
``breast_cancer``, ``digits``) and one question: does what the synthetic chapters
showed hold on data nobody generated for the course? Each ``*_split``/``*_bootstrap``
function below is one draw (a random resplit or bootstrap resample, and for networks a
random initialisation), deriving all its randomness from ``seed``; each
:class:`~lkcourse.Experiment` is what the chapter runs on its block of draws and what the
claims ledger measures on hundreds (``make claims CHAPTERS=ch8``).

The lasso on the diabetes data uses the exact path (:func:`lasso_knots`, the homotopy
that Efron et al.'s LARS-lasso computes): with ten features it costs about as much as
one least-squares fit per knot, so cross-validation over hundreds of resplits stays
cheap. Max-norm (Srivastava et al. 2014) is not a penalty of the package: it is a
projection after every step, :func:`max_norm`, passed to ``lk.train`` as a callback.
"""
from __future__ import annotations

import functools

import numpy as np

from .. import datasets
from ..claims import Experiment
from ..logistic import fit_logistic
from ..metrics import accuracy, kfold_splits
from ..nn import MLP
from ..nn import decay_weights_only
from ..optim import SGD, Adam, AdamW
from ..penalties import L1, L2
from ..training import evaluate, train

__all__ = ["lasso_knots", "lasso_at", "entry_events", "lasso_cv", "one_se_index",
           "ridge_path", "ridge_loo_gcv", "ridge_cv", "diabetes_split",
           "diabetes_bootstrap", "DIABETES_SPLITS", "DIABETES_BOOTSTRAP",
           "logistic_path", "cancer_split", "CANCER", "max_norm", "digits_data",
           "DIGITS_SPECS", "digits_runs", "digits_networks", "DIGITS"]

DOC = "08_real_data"


# ---- the exact lasso path (LARS-lasso homotopy) ---------------------------------------

def lasso_knots(X, y, l2=0.0):
    r"""The exact lasso path: its knots and the coefficients there.

    Minimizes :math:`\frac{1}{2n}\lVert y - Xw - b\rVert^2 + \lambda\lVert w\rVert_1
    + l_2\lVert w\rVert_2^2` (``lk.L1(lam)``, or ``lk.ElasticNet(lam, l2)``, with an
    unpenalized intercept) for every :math:`\lambda \ge 0` at once. On a stretch of
    :math:`\lambda` where the active set :math:`A` and its signs :math:`s_A` do not
    change, the optimality conditions :math:`G_{AA}w_A = c_A - \lambda s_A` (with
    :math:`G = X_c^\top X_c/n + 2l_2 I`, :math:`c = X_c^\top y_c/n`, centred data) make
    :math:`w_A` linear in :math:`\lambda`; the path walks from knot to knot, where a
    variable enters (its correlation with the residual reaches :math:`\pm\lambda`) or
    leaves (its coefficient reaches 0).

    Parameters
    ----------
    X : ndarray (n, p) with linearly independent centred columns (when ``l2 = 0``)
    y : ndarray (n,)
    l2 : float >= 0
        A fixed L2 part (the elastic net at fixed ``l2``; 0 is the lasso).

    Returns
    -------
    lams : ndarray (k,)
        The knots, decreasing from :math:`\lambda_{\max} = \max_j|c_j|` to 0.
    coefs : ndarray (k, p)
        The coefficients at the knots (zeros at :math:`\lambda_{\max}`, the least-squares
        or ridge solution at 0).
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, p = X.shape
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    G = Xc.T @ Xc / n + 2.0 * l2 * np.eye(p)
    c0 = Xc.T @ yc / n
    w = np.zeros(p)
    lam = float(np.max(np.abs(c0)))
    active = [int(np.argmax(np.abs(c0)))]
    lams, coefs = [lam], [w.copy()]
    for _ in range(20 * p):                       # each knot adds or drops one variable
        if lam <= 0:
            break
        A = np.array(active)
        c = c0 - G @ w                            # correlations with the residual
        d = np.linalg.solve(G[np.ix_(A, A)], np.sign(c[A]))   # w_A grows by delta * d
        a = G[:, A] @ d
        delta, event = lam, None                  # delta: how far lambda decreases
        for j in np.setdiff1d(np.arange(p), A):   # entry: |c_j - delta a_j| = lam - delta
            for num, den in ((lam - c[j], 1.0 - a[j]), (lam + c[j], 1.0 + a[j])):
                if den > 1e-12 and 1e-12 < num / den < delta:
                    delta, event = num / den, ("in", int(j))
        for k, j in enumerate(A):                 # exit: w_j + delta d_j = 0
            if d[k] * w[j] < 0 and 1e-12 < -w[j] / d[k] < delta:
                delta, event = -w[j] / d[k], ("out", int(j))
        w[A] += delta * d
        lam = max(lam - delta, 0.0)
        if event is not None and event[0] == "out":
            w[event[1]] = 0.0
            active.remove(event[1])
        elif event is not None:
            active.append(event[1])
        lams.append(lam)
        coefs.append(w.copy())
    return np.array(lams), np.array(coefs)


def lasso_at(knots, lams):
    """Coefficients of the path ``knots = lasso_knots(...)`` at any ``lams`` (linear
    interpolation between knots is exact: the path is piecewise linear)."""
    L, C = knots
    lams = np.atleast_1d(np.asarray(lams, dtype=float))
    k = np.clip(np.searchsorted(-L, -lams, side="left"), 1, len(L) - 1)
    t = np.clip((L[k - 1] - lams) / (L[k - 1] - L[k]), 0.0, 1.0)[:, None]
    out = (1 - t) * C[k - 1] + t * C[k]
    out[lams >= L[0]] = 0.0
    return out


def entry_events(knots):
    """The events along the path, in order: ``(lam, feature, "enters" | "leaves")``."""
    L, C = knots
    events = []
    for k in range(1, len(L)):
        was, now = C[k - 1] != 0, C[k] != 0
        for j in np.flatnonzero(now & ~was):
            events.append((float(L[k - 1]), int(j), "enters"))
        for j in np.flatnonzero(was & ~now):
            events.append((float(L[k]), int(j), "leaves"))
    return events


def _intercepts(X, y, W):
    """Unpenalized intercepts of coefficient rows ``W`` fitted to ``(X, y)``."""
    return y.mean() - W @ X.mean(axis=0)


def _test_mse(X, y, W, X_te, y_te):
    """Test MSE of each coefficient row of ``W`` (intercepts refitted on X, y)."""
    pred = W @ X_te.T + _intercepts(X, y, W)[:, None]
    return np.mean((y_te[None, :] - pred) ** 2, axis=1)


# ---- choosing lambda: K-fold, the one-standard-error rule, LOO and GCV -----------------

def lasso_cv(X, y, lams, folds, l2=0.0):
    """K-fold cross-validated MSE of the lasso (or elastic net at fixed ``l2``) at each
    ``lams``, and its standard error (sd over the folds / sqrt(K))."""
    errs = np.array([_test_mse(X[tr], y[tr], lasso_at(lasso_knots(X[tr], y[tr], l2), lams),
                               X[va], y[va]) for tr, va in folds])
    return errs.mean(axis=0), errs.std(axis=0, ddof=1) / np.sqrt(len(folds))


def one_se_index(cv, se):
    """ESL's one-standard-error rule on a grid of decreasing lambdas: the largest lambda
    (first index) whose CV error is within one standard error of the minimum."""
    best = int(np.argmin(cv))
    return int(np.flatnonzero(cv <= cv[best] + se[best])[0])


def ridge_path(X, y, lams):
    """Ridge coefficients ``lk.L2(lam)`` for every ``lams`` at once, by the SVD:
    :math:`w = V\\,\\mathrm{diag}(d/(d^2 + 2n\\lambda))\\,U^\\top y_c`."""
    n = len(y)
    U, D, Vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
    F = D / (D ** 2 + 2 * n * np.asarray(lams, dtype=float)[:, None])
    return (F * (U.T @ (y - y.mean()))) @ Vt


def ridge_loo_gcv(X, y, lams):
    r"""Leave-one-out and generalized cross-validation MSE of ridge at each ``lams``.

    With the hat matrix :math:`H = \frac1n\mathbf 1\mathbf 1^\top + U S U^\top`,
    :math:`S = \mathrm{diag}(d_k^2/(d_k^2 + 2n\lambda))` (intercept unpenalized), LOO is
    :math:`\frac1n\sum_i \bigl((y_i - \hat y_i)/(1 - H_{ii})\bigr)^2` (chapter 1's
    shortcut) and GCV replaces every :math:`H_{ii}` by their mean
    :math:`\operatorname{tr}(H)/n = (1 + \operatorname{df})/n`."""
    n = len(y)
    U, D, _ = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
    uy = U.T @ (y - y.mean())
    S = D ** 2 / (D ** 2 + 2 * n * np.asarray(lams, dtype=float)[:, None])   # (L, p)
    resid = (y - y.mean()) - (S * uy) @ U.T                                  # (L, n)
    h = 1.0 / n + S @ (U ** 2).T
    loo = np.mean((resid / (1 - h)) ** 2, axis=1)
    gcv = np.mean(resid ** 2, axis=1) / (1 - (1 + S.sum(axis=1)) / n) ** 2
    return loo, gcv


def ridge_cv(X, y, lams, folds):
    """K-fold cross-validated MSE of ridge at each ``lams`` and its standard error."""
    errs = np.array([_test_mse(X[tr], y[tr], ridge_path(X[tr], y[tr], lams), X[va], y[va])
                     for tr, va in folds])
    return errs.mean(axis=0), errs.std(axis=0, ddof=1) / np.sqrt(len(folds))


#: Ridge's grid of lambdas for the diabetes data (standardized features), and 0.
RIDGE_LAMS = np.append(np.geomspace(30.0, 1e-4, 41), 0.0)
#: The diabetes training-set sizes of the resplit experiment: small, and half the data.
DIABETES_SIZES = (40, 221)


def _lasso_grid(X, y):
    """30 lambdas from lambda_max down to lambda_max / 1000, then 0 (least squares)."""
    Xc = X - X.mean(axis=0)
    lam_max = np.max(np.abs(Xc.T @ (y - y.mean()))) / len(y)
    return np.append(lam_max * np.geomspace(1.0, 1e-3, 30), 0.0)


def diabetes_split(seed):
    """One resplit of the diabetes data for each training size in ``DIABETES_SIZES``
    (the rest is the test set): test MSE of least squares, ridge with lambda chosen by
    GCV, LOO and 10-fold CV, and the lasso with the CV minimum and the 1-SE rule."""
    r = np.random.default_rng(seed)
    X0, y0 = datasets.diabetes(standardize=False)
    out = {}
    for n_train in DIABETES_SIZES:
        X, X_te, y, y_te = datasets.train_test_split(X0, y0, test_size=len(y0) - n_train,
                                                     rng=r)
        X, X_te = datasets.standardize(X, X_te)
        folds = kfold_splits(n_train, 10, rng=r)
        knots = lasso_knots(X, y)
        ols = _test_mse(X, y, knots[1][-1:], X_te, y_te)[0]
        grid = _lasso_grid(X, y)
        cv, se = lasso_cv(X, y, grid, folds)
        i_min, i_1se = int(np.argmin(cv)), one_se_index(cv, se)
        W = lasso_at(knots, grid[[i_min, i_1se]])
        lasso_min, lasso_1se = _test_mse(X, y, W, X_te, y_te)
        loo, gcv = ridge_loo_gcv(X, y, RIDGE_LAMS)
        cvr, _ = ridge_cv(X, y, RIDGE_LAMS, folds)
        picks = [int(np.argmin(c)) for c in (gcv, loo, cvr)]
        ridge = _test_mse(X, y, ridge_path(X, y, RIDGE_LAMS[picks]), X_te, y_te)
        tag = f" ({n_train})"
        for name, mse in [("ridge gcv", ridge[0]), ("ridge loo", ridge[1]),
                          ("ridge 10-fold", ridge[2]), ("lasso min", lasso_min),
                          ("lasso 1se", lasso_1se)]:
            out[f"gain % {name}{tag}"] = 100 * (1 - mse / ols)
        out[f"kept lasso min{tag}"] = int(np.sum(W[0] != 0))
        out[f"kept lasso 1se{tag}"] = int(np.sum(W[1] != 0))
        out[f"cost % 1se{tag}"] = 100 * (lasso_1se / lasso_min - 1)
        lam_gcv, lam_loo = RIDGE_LAMS[picks[0]], RIDGE_LAMS[picks[1]]
        out[f"loo within 2x of gcv{tag}"] = bool(
            lam_gcv == lam_loo or (min(lam_gcv, lam_loo) > 0
                                   and 0.5 <= lam_loo / lam_gcv <= 2))
    return out


DIABETES_SPLITS = Experiment("ch8/diabetes-splits", diabetes_split, n=10, doc=DOC)
DIABETES_SPLITS.claim(
    "ch8/ridge-helps-small-n", lambda d: d["gain % ridge gcv (40)"] > 0,
    says="with 40 training patients, ridge (lambda by GCV) has a lower test error than "
         "least squares on most resplits", section="sec-rd-choose")
DIABETES_SPLITS.claim(
    "ch8/ridge-gain-small-n", lambda d: d["gain % ridge gcv (40)"], kind="mean",
    says="with 40 training patients, ridge (GCV) lowers the test MSE of least squares "
         "on average (gain in %)", section="sec-rd-choose")
DIABETES_SPLITS.claim(
    "ch8/ridge-gain-large-n", lambda d: d["gain % ridge gcv (221)"], kind="mean",
    side="at_most",
    says="with 221 training patients, ridge (GCV) gains nothing you can use over least "
         "squares on average (gain in %)", section="sec-rd-choose")
DIABETES_SPLITS.claim(
    "ch8/one-se-sparser", lambda d: d["kept lasso 1se (221)"] < d["kept lasso min (221)"],
    says="the one-standard-error rule keeps fewer variables than the CV minimum",
    section="sec-rd-choose")
DIABETES_SPLITS.claim(
    "ch8/one-se-costs", lambda d: d["cost % 1se (221)"] > 0,
    says="the one-standard-error rule's lasso has a higher test MSE than the CV "
         "minimum's on most resplits (221 training patients)", section="sec-rd-choose")
DIABETES_SPLITS.claim(
    "ch8/loo-gcv-agree", lambda d: d["loo within 2x of gcv (221)"] == 1,
    says="leave-one-out and GCV choose ridge lambdas within a factor 2 of each other",
    section="sec-rd-choose")


# ---- the correlated pair s1/s2 over bootstrap resamples --------------------------------

#: The elastic net's fixed L2 part for the correlated-pair experiment: it adds
#: 2 * 0.05 = 0.1 to the diagonal of the standardized features' correlation matrix.
PAIR_L2 = 0.05


def diabetes_bootstrap(seed):
    """One bootstrap resample of the 442 patients: lambda by 10-fold CV over the patients
    (all copies of a patient in one fold; the CV minimum),
    then the lasso and the elastic net (same L1 strength plus ``PAIR_L2``) there, and
    what each does with the correlated pair s1 (total cholesterol) and s2 (LDL)."""
    r = np.random.default_rng(seed)
    X0, y0 = datasets.diabetes(standardize=False)
    idx = r.integers(0, len(y0), len(y0))
    (X,), y = datasets.standardize(X0[idx]), y0[idx]
    # folds of patients, not of rows: every copy of a patient is on one side of a split
    # (row folds would put copies in both, and CV would favour too little penalty)
    patients = np.unique(idx)
    held = [np.isin(idx, patients[va]) for _, va in kfold_splits(patients.size, 10, rng=r)]
    folds = [(np.flatnonzero(~h), np.flatnonzero(h)) for h in held]
    grid = _lasso_grid(X, y)
    cv, _ = lasso_cv(X, y, grid, folds)
    cv_en, _ = lasso_cv(X, y, grid, folds, l2=PAIR_L2)
    lam = grid[int(np.argmin(cv))]
    w = lasso_at(lasso_knots(X, y), lam)[0][4:6]
    e = lasso_at(lasso_knots(X, y, PAIR_L2), lam)[0][4:6]
    return {"lasso s1": w[0], "lasso s2": w[1], "enet s1": e[0], "enet s2": e[1],
            "lambda": lam, "enet cv / lasso cv": cv_en.min() / cv.min()}


def _same_sign(a, b):
    return (a != 0) & (b != 0) & (np.sign(a) == np.sign(b))


DIABETES_BOOTSTRAP = Experiment("ch8/diabetes-bootstrap", diabetes_bootstrap, n=20,
                                doc=DOC)
DIABETES_BOOTSTRAP.claim(
    "ch8/lasso-pair-no-group", lambda d: ~_same_sign(d["lasso s1"], d["lasso s2"]),
    says="the lasso (lambda by 10-fold CV) almost never gives s1 and s2 the same sign",
    section="sec-rd-pair")
DIABETES_BOOTSTRAP.claim(
    "ch8/lasso-keeps-s1", lambda d: d["lasso s1"] < 0,
    says="the lasso keeps total cholesterol (s1), with a negative coefficient, on most "
         "resamples", section="sec-rd-pair")
DIABETES_BOOTSTRAP.claim(
    "ch8/enet-pair-group", lambda d: _same_sign(d["enet s1"], d["enet s2"]),
    says="the elastic net (same L1 strength, l2 = 0.05) gives s1 and s2 the same sign on "
         "most resamples", section="sec-rd-pair")
DIABETES_BOOTSTRAP.claim(
    "ch8/enet-cv-no-better", lambda d: d["enet cv / lasso cv"] >= 1,
    says="the elastic net's best CV error is not below the lasso's on most resamples",
    section="sec-rd-pair")


# ---- breast cancer: L1 versus L2 logistic regression -----------------------------------

def logistic_path(X, y, penalty_factory, lams, tol=1e-5):
    """``lk.fit_logistic`` at each ``lams`` (largest first), each fit warm-started from
    the previous one; a list of fits."""
    fits, coef, b = [], None, 0.0
    for lam in lams:
        fit = fit_logistic(X, y, penalty_factory(lam), tol=tol, coef0=coef, intercept0=b)
        coef, b = fit.coef, fit.intercept
        fits.append(fit)
    return fits


def _log_loss(fit, X, y):
    z = fit.decision_function(X)
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


#: Grids relative to lambda_max = max_j |x_j^T (y - mean y)| / n, where the L1 fit is 0.
CANCER_L1_GRID = np.geomspace(0.3, 3e-4, 6)
CANCER_L2_GRID = np.geomspace(0.1, 1e-4, 6)
#: The features L1 kept on at least 75 % of 200 resplits in a pilot run (slots 0-199 of
#: seed block 30000, which neither the ledger nor the chapter uses), most often first.
CANCER_FREQUENT = ("worst texture", "worst concave points", "worst symmetry",
                   "radius error", "worst smoothness", "worst concavity", "worst radius",
                   "mean concave points")


def cancer_split(seed):
    """One resplit of the breast cancer data (test 1/3; of the rest, 1/4 validation):
    L1 and L2 logistic regression with lambda chosen on the validation split, their test
    accuracy and log-loss, the features L1 keeps, and the overlap (Jaccard index) of
    that set with the set L1 keeps at the same lambda on a bootstrap resample of its own
    training data."""
    r = np.random.default_rng(seed)
    X0, y0 = datasets.breast_cancer(standardize=False)
    X, X_te, y, y_te = datasets.train_test_split(X0, y0, test_size=1 / 3, rng=r)
    X, X_va, y, y_va = datasets.train_test_split(X, y, test_size=0.25, rng=r)
    X, X_va, X_te = datasets.standardize(X, X_va, X_te)
    lam_max = np.max(np.abs(X.T @ (y - y.mean()))) / len(y)
    out, chosen = {}, {}
    for name, make, grid in (("L1", L1, CANCER_L1_GRID), ("L2", L2, CANCER_L2_GRID)):
        fits = logistic_path(X, y, make, lam_max * grid)
        i = int(np.argmin([_log_loss(f, X_va, y_va) for f in fits]))
        chosen[name] = (fits[i], lam_max * grid[i])
        out[f"accuracy {name}"] = 100 * accuracy(y_te, fits[i].predict(X_te))
        out[f"log-loss {name}"] = _log_loss(fits[i], X_te, y_te)
    fit, lam = chosen["L1"]
    kept = fit.coef != 0
    boot = r.integers(0, len(y), len(y))
    kept_b = fit_logistic(X[boot], y[boot], L1(lam), tol=1e-5, coef0=fit.coef,
                          intercept0=fit.intercept).coef != 0
    out["kept L1"] = int(kept.sum())
    out["jaccard bootstrap"] = float(np.sum(kept & kept_b) / max(np.sum(kept | kept_b), 1))
    for j, name in enumerate(datasets.feature_names("breast_cancer")):
        out[f"kept: {name}"] = bool(kept[j])
    return out


CANCER = Experiment("ch8/cancer", cancer_split, n=10, doc=DOC)
CANCER.claim(
    "ch8/cancer-l1-sparse", lambda d: d["kept L1"], kind="mean", side="at_most",
    says="L1 logistic regression (lambda chosen on validation) keeps fewer than half of "
         "the 30 features on average", section="sec-bc")
CANCER.claim(
    "ch8/cancer-l1-no-better", lambda d: d["accuracy L1"] - d["accuracy L2"],
    kind="mean", side="at_most",
    says="L1's test accuracy is not above L2's on average (difference in points)",
    section="sec-bc")
CANCER.claim(
    "ch8/cancer-l1-loss-higher", lambda d: d["log-loss L1"] > d["log-loss L2"],
    says="L1's test log-loss is higher than L2's on most resplits", section="sec-bc")
for _name in CANCER_FREQUENT:
    CANCER.claim(
        "ch8/cancer-kept-" + _name.replace(" ", "-"),
        functools.partial(lambda d, key: d[key] == 1, key=f"kept: {_name}"),
        says=f"L1 keeps '{_name}' on most resplits", section="sec-bc-stability")
CANCER.claim(
    "ch8/cancer-jaccard", lambda d: d["jaccard bootstrap"], kind="mean", side="at_most",
    says="refitted on a bootstrap resample of its own training set, L1 keeps a set that "
         "overlaps the original by well under 100 % (Jaccard index)",
    section="sec-bc-stability")


# ---- digits: networks ------------------------------------------------------------------

def max_norm(c):
    r"""A ``lk.train`` callback: after every epoch, rescale each unit's incoming weight
    vector (a column of every weight matrix, biases excluded) to Euclidean norm at most
    ``c``: the max-norm constraint of Srivastava et al. (2014), a projection onto
    :math:`\{W: \lVert W_{:,j}\rVert_2 \le c\ \forall j\}`. With full-batch training one
    epoch is one step."""
    def project(epoch, model, history):
        for name, W in model.params.items():
            if decay_weights_only(name, W):
                norms = np.linalg.norm(W, axis=0)
                W *= np.minimum(1.0, c / np.maximum(norms, 1e-12))
        return False                          # never stop training
    return project


#: Training, validation and test sizes of the digits experiment (1797 images).
DIGITS_SIZES = (300, 300, 1197)
#: The network, the learning rate of full-batch Adam (and AdamW) and the epochs.
DIGITS_NET, DIGITS_LR, DIGITS_EPOCHS = (64, 32, 10), 0.03, 60
#: Every network a draw trains: name -> (method, setting). Within a method, the setting
#: with the lowest validation loss is chosen. "L1 prox" is proximal gradient (plain
#: full-batch gradient steps, then soft-thresholding), at one setting: the exact zeros.
DIGITS_SPECS = {
    "none": ("none", None),
    **{f"L2 {lam:g}": ("L2", lam) for lam in (3e-4, 1e-3, 3e-3)},
    **{f"L1 {lam:g}": ("L1", lam) for lam in (1e-4, 1e-3)},
    **{f"dropout {p:g}": ("dropout", p) for p in (0.1, 0.3)},
    **{f"max-norm {c:g}": ("max-norm", c) for c in (1.5, 3.0)},
    **{f"AdamW {wd:g}": ("AdamW", wd) for wd in (0.1, 0.3, 1.0)},
    "tanh": ("tanh", None),
    "gelu": ("gelu", None),
    "L1 prox 0.001": ("L1 prox", 1e-3),
}
#: The learning rate of proximal gradient descent ("L1 prox").
DIGITS_PROX_LR = 0.5


def digits_data(r):
    """A random split of the digits (sizes ``DIGITS_SIZES``), pixels scaled to [0, 1]."""
    X, y = datasets.digits(standardize=False)
    perm = r.permutation(len(y))
    a, b = DIGITS_SIZES[0], DIGITS_SIZES[0] + DIGITS_SIZES[1]
    return [(X[i] / 16.0, y[i]) for i in (perm[:a], perm[a:b], perm[b:])]


def _train_one(method, setting, data, init_seed, mask_seed):
    (X, y), val, _ = data
    activation = method if method in ("tanh", "gelu") else "relu"
    init = "glorot_normal" if activation == "tanh" else "he_normal"
    model = MLP(DIGITS_NET, activation, init=init, rng=init_seed,
                dropout=setting if method == "dropout" else 0.0)
    if method == "AdamW":
        optimizer = AdamW(DIGITS_LR, weight_decay=setting, decay=decay_weights_only)
    elif method == "L1 prox":
        optimizer = SGD(DIGITS_PROX_LR)
    else:
        optimizer = Adam(DIGITS_LR)
    penalty = {"L2": L2, "L1": L1, "L1 prox": L1}[method](setting) if method in (
        "L1", "L2", "L1 prox") else None
    callback, best = (max_norm(setting) if method == "max-norm" else None), {}
    if method == "none":                      # keep the best-validation weights too
        def callback(epoch, model, history):
            if history.best_epoch == epoch:
                best["params"] = {k: v.copy() for k, v in model.params.items()}
            return False
    history = train(model, X, y, optimizer=optimizer, loss="ce", penalty=penalty,
                    epochs=DIGITS_EPOCHS, rng=mask_seed, callback=callback,
                    validation=val if method == "none" else None,
                    penalty_mode="prox" if method == "L1 prox" else "grad")
    return model, history, best.get("params")


@functools.lru_cache(maxsize=2)
def digits_runs(seed):
    """Every network of ``DIGITS_SPECS`` trained on one split of the digits, all from
    the same initial draw (tanh with Glorot's scale, the others with He's): a dict with
    ``"data"``, ``"models"`` (name -> MLP), ``"history"`` of the unregularized run, and
    ``"early stopping"``, the unregularized network with its best-validation weights.
    Cached, so that the chapter can draw pictures of the draws it measured."""
    r = np.random.default_rng(seed)
    data = digits_data(r)
    init_seed, mask_seed = (int(s) for s in r.integers(0, 2**31, size=2))
    models = {}
    for name, (method, setting) in DIGITS_SPECS.items():
        model, history, best = _train_one(method, setting, data, init_seed, mask_seed)
        models[name] = model
        if method == "none":
            stopped = model.copy()
            stopped.params.update(best)
            models["early stopping"], none_history = stopped, history
    return {"data": data, "models": models, "history": none_history}


def digits_networks(seed):
    """One draw of the digits experiment: per method (setting chosen on validation
    loss) the test accuracy (in %) and cross-entropy; how far the unregularized run's
    validation loss rose after its minimum; and the weights of the networks with
    lambda = 1e-3 (L2 and L1 by Adam, L1 by proximal gradient): exact zeros and the
    share below 0.01."""
    runs = digits_runs(seed)
    _, val, test = runs["data"]
    scores = {name: (evaluate(m, *val, loss="ce")["loss"], evaluate(m, *test, loss="ce"))
              for name, m in runs["models"].items()}
    methods = dict(DIGITS_SPECS, **{"early stopping": ("early stopping", None)})
    chosen = {}
    for name, (method, _) in methods.items():
        if method not in chosen or scores[name][0] < scores[chosen[method]][0]:
            chosen[method] = name
    out = {}
    for method, name in chosen.items():
        out[f"accuracy {method}"] = 100 * scores[name][1]["accuracy"]
        out[f"cross-entropy {method}"] = scores[name][1]["loss"]
    val_loss = runs["history"].val_loss
    out["final / best validation loss, none"] = val_loss[-1] / min(val_loss)
    for name in ("L2 0.001", "L1 0.001", "L1 prox 0.001"):
        w = runs["models"][name].weight_entries()
        out[f"exact zeros {name}"] = int(np.sum(w == 0))
        out[f"share |w| < 0.01 {name}"] = float(np.mean(np.abs(w) < 0.01))
    return out


def _gain(method, base="none"):
    return lambda d: d[f"accuracy {method}"] - d[f"accuracy {base}"]


DIGITS = Experiment("ch8/digits", digits_networks, n=3, doc=DOC)
for _method, _side, _says in [
        ("L2", "at_least", "L2 raises the test accuracy on average"),
        ("L1", "at_least", "L1 raises the test accuracy on average"),
        ("dropout", "at_least", "dropout raises the test accuracy on average"),
        ("max-norm", "at_least", "max-norm raises the test accuracy on average"),
        ("early stopping", "at_most",
         "early stopping on the validation loss does not raise the test accuracy"),
        ("AdamW", "at_least", "AdamW (decoupled decay) raises the test accuracy on "
                              "average"),
        ("tanh", "at_least", "tanh is more accurate than ReLU on average"),
        ("gelu", "at_most", "GELU is not more accurate than ReLU by more than a "
                            "fraction of a point")]:
    DIGITS.claim(f"ch8/digits-gain-{_method.replace(' ', '-').lower()}", _gain(_method),
                 kind="mean", side=_side,
                 says=_says + " (gain in points over the unregularized ReLU network)",
                 section="sec-dg-act" if _method in ("tanh", "gelu") else "sec-dg")
DIGITS.claim(
    "ch8/digits-l2-lower-loss",
    lambda d: d["cross-entropy L2"] < d["cross-entropy none"],
    says="L2 lowers the test cross-entropy on almost every draw", section="sec-dg")
DIGITS.claim(
    "ch8/digits-adamw-no-better", _gain("AdamW", "L2"), kind="mean", side="at_most",
    says="AdamW at its best weight decay is not more accurate than Adam + L2 at its best "
         "lambda (mean difference in points)", section="sec-dg-adamw")
DIGITS.claim(
    "ch8/digits-none-accuracy", lambda d: d["accuracy none"], kind="mean",
    says="the unregularized ReLU network's test accuracy (in %)", section="sec-dg")
DIGITS.claim(
    "ch8/digits-mild-overfit", lambda d: d["final / best validation loss, none"],
    kind="mean", side="at_most",
    says="the unregularized network overfits mildly: its final validation loss is a few "
         "% above its minimum", section="sec-dg")
DIGITS.claim(
    "ch8/digits-l1-no-zeros", lambda d: d["exact zeros L1 0.001"] == 0,
    says="the L1 network trained by Adam (lambda = 1e-3) has no weight exactly 0",
    section="sec-dg-weights")
DIGITS.claim(
    "ch8/digits-prox-zeros", lambda d: d["exact zeros L1 prox 0.001"] > 0,
    says="proximal gradient with the same L1 penalty leaves weights exactly 0",
    section="sec-dg-weights")
