r"""Chapter 4 (exotic Lk norms): the experiments whose results the chapter states.

Each experiment is a function of one seed (see :mod:`lkcourse.book.ch1`); the chapter
runs it on its block of draws and the claims ledger on hundreds
(``make claims CHAPTERS=ch4``).

- :data:`FLIPS` (``flip_run``): one weight under 200 gradient steps of
  :math:`0.6\,|w|^{1/2}` at :math:`\eta = 0.1`, from a random start in [0.5, 1.5].
- :data:`SUBSETS` (``subset_run``): best-subset selection by exhaustive search
  (:func:`best_subset`) against iterative hard thresholding from two starts.
- :data:`NET` (``net_draw``): one draw of data, split and initialisation, and the same
  small network trained with each penalty of :data:`RUNS`
  (:func:`train_side_by_side`).
- :data:`TUNE` (``tune_draw``): the same draw with each penalty's strength chosen on a
  validation split (the exercise ``ex-lk-tune``).
"""
from __future__ import annotations

import itertools

import numpy as np

from .. import datasets
from .._validation import fail
from ..claims import Experiment
from ..dynamics import simulate_weight
from ..linear import fit_linear
from ..metrics import mse
from ..nn import MLP
from ..penalties import L0, L1, L2, LInf, Lk

__all__ = ["LR", "LAM", "STEPS", "sign_changes", "flip_band", "flip_run", "FLIPS",
           "SUBSET_LAM", "subset_data", "best_subset", "subset_run", "SUBSETS",
           "NET_SIZES", "NET_LR", "EPOCHS", "LAM_K", "LAM_INF", "RUNS", "net_data",
           "train_side_by_side", "weight_stats", "net_draw", "NET", "TUNE_GRID",
           "tune_draw", "TUNE"]

DOC = "04_lk_norms"

# ---- one weight -------------------------------------------------------------------

#: Learning rate and penalty strength of the one-weight experiments (eta * lam = 0.06).
LR, LAM = 0.1, 0.6
#: Gradient steps per one-weight run.
STEPS = 200


def sign_changes(w):
    """The number of steps at which the iterates ``w`` change sign."""
    w = np.asarray(w)
    return int(np.sum(np.sign(w[1:]) * np.sign(w[:-1]) < 0))


def flip_band(k, eta_lam=LR * LAM):
    r"""The band :math:`|w| < (\eta\lambda k)^{1/(2-k)}` in which a gradient step on
    :math:`\lambda|w|^k` (``k < 2``) flips the sign of ``w``."""
    return (eta_lam * k) ** (1 / (2 - k))


def flip_run(seed):
    """200 gradient steps on 0.6 |w|**0.5 (lr 0.1) from a random start in [0.5, 1.5]."""
    w0 = np.random.default_rng(seed).uniform(0.5, 1.5)
    w = simulate_weight(Lk(0.5, LAM), w0, lr=LR, steps=STEPS)
    before = np.abs(w[:-1])                           # |w| before each step
    flipped = np.sign(w[1:]) * np.sign(w[:-1]) < 0
    band = flip_band(0.5)
    return {"sign changes": sign_changes(w),
            "largest |w|": np.abs(w).max(),
            "largest |w| after step 100": np.abs(w[100:]).max(),
            "flips exactly in the band": bool(
                before[flipped].max() < band < before[~flipped].min())}


FLIPS = Experiment("ch4/flips", flip_run, n=20, doc=DOC)
FLIPS.claim("ch4/flips-dozens", lambda d: d["sign changes"] >= 20,
            says="gradient descent on 0.6|w|^0.5 changes the weight's sign at least 20 "
                 "times in 200 steps", section="lk-one-weight")
FLIPS.claim("ch4/flips-in-band", lambda d: d["flips exactly in the band"] == 1,
            says="every sign change happens inside the band |w| < 0.0965, and no step "
                 "outside it flips", section="lk-one-weight")
FLIPS.claim("ch4/flips-never-settle", lambda d: d["largest |w| after step 100"] > 0.2,
            says="the weight never settles: after step 100 it is still thrown back "
                 "beyond 0.2, twice the band", section="lk-one-weight")
FLIPS.claim("ch4/flips-far", lambda d: d["largest |w|"] > 2, side="at_most",
            says="now and then a step from very close to 0 throws the weight beyond 2, "
                 "farther out than any start", section="lk-one-weight")
FLIPS.claim("ch4/flips-few-are-far",
            lambda d: (d["sign changes"] >= 20) | (d["largest |w|"] > 2),
            says="a run with fewer than 20 sign changes is one that was thrown beyond 2",
            section="lk-one-weight")

# ---- best subsets and hard thresholding -------------------------------------------

#: The L0 strength of the best-subset example.
SUBSET_LAM = 0.05


def subset_data(seed):
    """50 samples, 10 features (3 of them active), correlation 0.5, noise 0.5."""
    return datasets.sparse_regression(50, 10, 3, correlation=0.5, noise=0.5, rng=seed)


def best_subset(X, y, lam):
    r"""Every subset :math:`S` of the features and its objective
    :math:`\frac{1}{2n}\lVert y - X_S w_S - b\rVert^2 + \lambda|S|`, least squares on
    :math:`S` (all :math:`2^p` of them): ``(subsets, objectives)``."""
    n, p = X.shape
    Xc, yc = X - X.mean(axis=0), y - y.mean()         # the intercept, profiled out
    G, c = Xc.T @ Xc, Xc.T @ yc                        # normal equations G_SS w_S = c_S
    subsets, objectives = [()], [yc @ yc / (2 * n)]
    for size in range(1, p + 1):
        S = np.array(list(itertools.combinations(range(p), size)))
        w = np.linalg.solve(G[S[:, :, None], S[:, None, :]], c[S][..., None])[..., 0]
        rss = yc @ yc - np.einsum("ms,ms->m", c[S], w)   # residual sum of squares
        subsets += [tuple(int(j) for j in s) for s in S]
        objectives += list(rss / (2 * n) + lam * size)
    return subsets, np.array(objectives)


def subset_run(seed):
    """Best subset versus iterative hard thresholding from 0 and from least squares."""
    X, y, coef = subset_data(seed)
    subsets, objectives = best_subset(X, y, SUBSET_LAM)
    best = subsets[int(np.argmin(objectives))]
    ols = fit_linear(X, y).coef
    from_zero = tuple(np.flatnonzero(fit_linear(X, y, L0(SUBSET_LAM)).coef))
    from_ols = tuple(np.flatnonzero(fit_linear(X, y, L0(SUBSET_LAM), coef0=ols).coef))
    return {"best is the truth": best == tuple(np.flatnonzero(coef)),
            "IHT from 0 finds it": from_zero == best,
            "IHT from least squares finds it": from_ols == best,
            "the two starts differ": from_zero != from_ols}


SUBSETS = Experiment("ch4/subsets", subset_run, n=20, doc=DOC)
SUBSETS.claim("ch4/subsets-truth", lambda d: d["best is the truth"] == 1,
              says="the best subset is the true support", section="lk-l0")
SUBSETS.claim("ch4/subsets-iht-zero", lambda d: d["IHT from 0 finds it"] == 1,
              says="IHT started at 0 finds the best subset", section="lk-l0")
SUBSETS.claim("ch4/subsets-iht-ols", lambda d: d["IHT from least squares finds it"] == 0,
              says="IHT started at least squares misses the best subset",
              section="lk-l0")
SUBSETS.claim("ch4/subsets-differ", lambda d: d["the two starts differ"] == 1,
              says="the two starts of IHT stop at different supports", section="lk-l0")
SUBSETS.claim("ch4/subsets-both-miss", lambda d: (d["IHT from 0 finds it"] == 0)
              & (d["IHT from least squares finds it"] == 0), side="at_most",
              says="both starts of IHT miss the best subset", section="lk-l0")

# ---- the same network, several penalties -----------------------------------------

#: The network: 20 inputs, 16 tanh units, one output (336 weights).
NET_SIZES = (20, 16, 1)
#: Full-batch SGD: learning rate and number of steps.
NET_LR, EPOCHS = 0.2, 300
#: Strengths of the four Lk penalties and of L-infinity.
LAM_K, LAM_INF = 0.01, 0.1
#: The networks of a draw: name -> (penalty, "grad" or "prox").
RUNS = {"none": (None, "grad"), "L0.5": (Lk(0.5, LAM_K), "grad"),
        "L1": (L1(LAM_K), "grad"), "L2": (L2(LAM_K), "grad"),
        "L3": (Lk(3, LAM_K), "grad"), "LInf": (LInf(LAM_INF), "grad"),
        "L0.5 prox": (Lk(0.5, LAM_K), "prox"), "L1 prox": (L1(LAM_K), "prox")}


def net_data(seed):
    """One draw: ``(X_tr, X_te, y_tr, y_te, init_rng)``. 400 samples of a regression
    with 20 inputs of which 4 matter, split 100 / 300; three independent streams
    (data, split, initial weights) spawned from ``seed``."""
    data_rng, split_rng, init_rng = np.random.default_rng(seed).spawn(3)
    X, y, _ = datasets.sparse_regression(400, 20, 4, noise=0.5, rng=data_rng)
    X_tr, X_te, y_tr, y_te = datasets.train_test_split(X, y, test_size=0.75,
                                                       rng=split_rng)
    return X_tr, X_te, y_tr, y_te, init_rng


def train_side_by_side(runs, X, y, init, *, lr=NET_LR, epochs=EPOCHS):
    r"""Train one copy of the network ``init`` per entry of ``runs``, side by side.

    Every copy starts from ``init``'s weights and takes ``epochs`` full-batch steps of
    ``lk.train(model, X, y, optimizer=lk.SGD(lr), loss="mse", penalty=p,
    penalty_mode=mode, epochs=epochs)``: the half-MSE's gradient plus the penalty's
    gradient on the weight matrices (``"grad"``), or the plain step followed by
    :math:`W \leftarrow \operatorname{prox}_{\eta R}(W)` (``"prox"``). The copies are
    stacked along a leading axis, so one numpy call does the work of all of them (the
    tests check the result against ``lk.train``). ``init`` must be a tanh MLP with one
    hidden layer and one output. Returns ``{name: trained MLP}``.

    Each copy's two weight matrices are views of one row of ``theta``: a penalty that
    sums over the entries (every Lk, L0) gets both layers in one call, L-infinity (a
    maximum per layer) one call per layer.
    """
    if not (isinstance(init, MLP) and len(init.sizes) == 3 and init.sizes[-1] == 1
            and init.activation.name == "tanh" and init.dropout == 0):
        fail("init", "train_side_by_side", "an lk.MLP([d, h, 1], 'tanh') without "
             "dropout", init)
    K, n = len(runs), len(X)
    (d, h), P = init.params["W1"].shape, init.params["W1"].size
    theta = np.repeat(init.weight_entries()[None], K, axis=0)    # (K, d*h + h)
    grad = np.empty_like(theta)
    W1, W2 = theta[:, :P].reshape(K, d, h), theta[:, P:].reshape(K, h, 1)
    gW1, gW2 = grad[:, :P].reshape(K, d, h), grad[:, P:].reshape(K, h, 1)
    b1 = np.repeat(init.params["b1"][None, None], K, axis=0)    # (K, 1, h)
    b2 = np.repeat(init.params["b2"][None, None], K, axis=0)    # (K, 1, 1)
    Y = np.asarray(y, float)[None, :, None]
    penalties = [(k, p, mode, isinstance(p, LInf)) for k, (p, mode) in
                 enumerate(runs.values()) if p is not None]
    for _ in range(epochs):
        H = np.tanh(X @ W1 + b1)                        # (K, n, h)
        dout = (H @ W2 + b2 - Y) / n                    # d half-MSE / d output
        np.matmul(H.transpose(0, 2, 1), dout, out=gW2)
        dZ = (dout @ W2.transpose(0, 2, 1)) * (1 - H * H)
        np.matmul(X.T, dZ, out=gW1)
        for k, p, mode, per_layer in penalties:
            if mode == "grad" and per_layer:
                gW1[k] += p.grad(W1[k])
                gW2[k] += p.grad(W2[k])
            elif mode == "grad":
                grad[k] += p.grad(theta[k])
        theta -= lr * grad
        b1 -= lr * dZ.sum(axis=1, keepdims=True)
        b2 -= lr * dout.sum(axis=1, keepdims=True)
        for k, p, mode, per_layer in penalties:
            if mode == "prox" and per_layer:
                W1[k], W2[k] = p.prox(W1[k], lr), p.prox(W2[k], lr)
            elif mode == "prox":
                theta[k] = p.prox(theta[k], lr)
    models = {}
    for k, name in enumerate(runs):
        model = init.copy()
        for key, value in (("W1", W1[k]), ("b1", b1[k, 0]), ("W2", W2[k]),
                           ("b2", b2[k, 0])):
            model.params[key][...] = value
        models[name] = model
    return models


def weight_stats(model):
    """What the chapter measures on a trained network's weights (never the biases)."""
    a = np.abs(model.weight_entries())
    per_layer = [np.abs(model.params[key]) for key in ("W1", "W2")]
    at_top = [int(np.sum(W >= 0.99 * W.max())) for W in per_layer]
    return {"largest |w|": a.max(), "near 0": np.mean(a < 0.01),
            "exactly 0": np.mean(a == 0),
            "at ceiling, fewest": min(at_top), "at ceiling, most": max(at_top)}


def net_draw(seed):
    """One draw: the networks of :data:`RUNS`, their weights and test errors."""
    X_tr, X_te, y_tr, y_te, init_rng = net_data(seed)
    init = MLP(list(NET_SIZES), "tanh", rng=init_rng)
    out = {}
    for name, model in train_side_by_side(RUNS, X_tr, y_tr, init).items():
        out |= {f"{name}: {key}": value for key, value in weight_stats(model).items()}
        out[f"{name}: test MSE"] = mse(y_te, model.predict(X_te))
        if name == "L1":            # L1's jitter band: within eta * lam of 0
            a = np.abs(model.weight_entries())
            out["L1: near 0, within eta*lam"] = np.mean(a[a < 0.01] <= NET_LR * LAM_K)
    return out


def _all(d, key, names, test):
    return np.all([test(d[f"{name}: {key}"]) for name in names], axis=0)


def _rank1(d, name, others, key="test MSE"):
    return _all(d, key, others, lambda v: d[f"{name}: {key}"] <= v)


NET = Experiment("ch4/net", net_draw, n=10, doc=DOC)
_GRAD = ["L0.5", "L1", "L2", "L3", "LInf"]
_big = "largest |w|"
NET.claim("ch4/net-largest-falls",
          lambda d: (d[f"L1: {_big}"] > d[f"L2: {_big}"])
          & (d[f"L2: {_big}"] > d[f"L3: {_big}"]),
          says="the largest weight falls with k: L1 above L2 above L3",
          section="lk-network")
NET.claim("ch4/net-l05-above-l1", lambda d: d[f"L0.5: {_big}"] > d[f"L1: {_big}"],
          says="L0.5's largest weight is above L1's", section="lk-network")
NET.claim("ch4/net-linf-smallest",
          lambda d: _all(d, _big, [m for m in RUNS if m != "LInf"],
                         lambda v: d[f"LInf: {_big}"] < v),
          says="L-infinity has the smallest largest weight of the eight networks",
          section="lk-network")
NET.claim("ch4/net-sparse-raise",
          lambda d: (d[f"L0.5: {_big}"] > d[f"none: {_big}"])
          & (d[f"L1: {_big}"] > d[f"none: {_big}"]),
          says="L0.5 and L1 both raise the largest weight above the unpenalized "
               "network's", section="lk-network")
NET.claim("ch4/net-l05-wild", lambda d: d[f"L0.5: {_big}"] > 2.5, side="at_most",
          says="now and then gradient-trained L0.5 throws a weight beyond 2.5",
          section="lk-network")
NET.claim("ch4/net-others-tame",
          lambda d: _all(d, _big, [m for m in RUNS if m != "L0.5"], lambda v: v < 2.5),
          says="the seven other networks keep every weight below 2.5",
          section="lk-network")
NET.claim("ch4/net-spikes", lambda d: (d["L0.5: near 0"] > 2 * d["none: near 0"])
          & (d["L1: near 0"] > 2 * d["none: near 0"]),
          says="L0.5 and L1 put more than twice as many weights below 0.01 as no penalty",
          section="lk-network")
NET.claim("ch4/net-l3-trims", lambda d: d[f"L3: {_big}"] < d[f"none: {_big}"],
          says="L3 lowers the largest weight below the unpenalized network's",
          section="lk-network")
NET.claim("ch4/net-l1-near", lambda d: d["L1: near 0"] > 0.5,
          says="gradient-trained L1 puts more than half of the weights below 0.01",
          section="lk-network")
NET.claim("ch4/net-smooth-few-near",
          lambda d: _all(d, "near 0", ["L2", "L3", "LInf"], lambda v: v < 0.15),
          says="L2, L3 and L-infinity put fewer than 15 % of the weights below 0.01",
          section="lk-network")
NET.claim("ch4/net-no-exact-zeros",
          lambda d: _all(d, "exactly 0", ["none"] + _GRAD, lambda v: v == 0),
          says="no gradient-trained network has a weight at exactly 0",
          section="lk-network")
NET.claim("ch4/net-l1-jitter", lambda d: d["L1: near 0, within eta*lam"] > 0.5,
          says="most of L1's near-zero weights are within ηλ = 0.002 of 0",
          section="lk-network")
NET.claim("ch4/net-l05-underdelivers", lambda d: d["L1: near 0"] > d["L0.5: near 0"],
          says="gradient-trained L0.5 puts fewer weights below 0.01 than L1",
          section="lk-network")
NET.claim("ch4/net-prox-zeros",
          lambda d: (d["L0.5 prox: exactly 0"] > 0.3) & (d["L1 prox: exactly 0"] > 0.3),
          says="proximal L0.5 and proximal L1 set more than 30 % of the weights to "
               "exactly 0", section="lk-network")
# rates, not means: the fractions have a long lower tail (a draw at 0.45 for L0.5, 0.13
# for L1 in 2,000), which a block mean of 10 draws cannot be bounded against
NET.claim("ch4/net-prox-zero-l05", lambda d: d["L0.5 prox: exactly 0"] > 0.8,
          says="proximal L0.5 sets more than 80 % of the weights to exactly 0",
          section="lk-network")
NET.claim("ch4/net-prox-zero-l1", lambda d: d["L1 prox: exactly 0"] > 0.6,
          says="proximal L1 sets more than 60 % of the weights to exactly 0",
          section="lk-network")
NET.claim("ch4/net-prox-beats-grad",
          lambda d: d["L0.5 prox: test MSE"] < d["L0.5: test MSE"],
          says="proximal L0.5 has a lower test error than gradient-trained L0.5",
          section="lk-network")
NET.claim("ch4/net-linf-ceiling", lambda d: d["LInf: at ceiling, fewest"] >= 2,
          says="under L-infinity at least two weights of each layer sit within 1 % of "
               "its largest", section="lk-network")
NET.claim("ch4/net-others-alone", lambda d: d["none: at ceiling, most"] == 1,
          says="without a penalty the largest weight of each layer stands alone (no "
               "other within 1 %)", section="lk-network")
NET.claim("ch4/net-all-beat-none",
          lambda d: _all(d, "test MSE", [m for m in RUNS if m != "none"],
                         lambda v: v < d["none: test MSE"]),
          says="every penalty lowers the test error below the unpenalized network's",
          section="lk-network")
NET.claim("ch4/net-l2-best", lambda d: _rank1(d, "L2", _GRAD),
          says="L2 has the lowest test error of the five gradient-trained penalties",
          section="lk-network")

# ---- tuning the strengths (exercise ex-lk-tune) ------------------------------------

#: The strengths the exercise tries: name -> (penalty factory, grid).
TUNE_GRID = {"L0.5": (lambda lam: Lk(0.5, lam), (0.003, 0.01, 0.03)),
             "L1": (L1, (0.003, 0.01, 0.03)),
             "L2": (L2, (0.003, 0.01, 0.03)),
             "L3": (lambda lam: Lk(3, lam), (0.003, 0.01, 0.03)),
             "LInf": (LInf, (0.03, 0.1, 0.3))}


def tune_draw(seed):
    """The draw of :func:`net_draw`, with 100 of its 300 test points set aside for
    validation: each penalty's strength chosen from :data:`TUNE_GRID` by validation
    error, and the weights' shapes at every strength of the grid."""
    X_tr, X_te, y_tr, y_te, init_rng = net_data(seed)
    X_val, y_val, X_te, y_te = X_te[:100], y_te[:100], X_te[100:], y_te[100:]
    runs = {"none": (None, "grad")}
    runs |= {(name, lam): (make(lam), "grad")
             for name, (make, grid) in TUNE_GRID.items() for lam in grid}
    init = MLP(list(NET_SIZES), "tanh", rng=init_rng)
    models = train_side_by_side(runs, X_tr, y_tr, init)
    none = weight_stats(models.pop("none"))
    out = {}
    for name, (_, grid) in TUNE_GRID.items():
        val = [mse(y_val, models[name, lam].predict(X_val)) for lam in grid]
        best = int(np.argmin(val))
        out[f"{name}: chosen index"] = best
        out[f"{name}: tuned test MSE"] = mse(y_te, models[name, grid[best]].predict(X_te))
        out[f"{name}: untuned test MSE"] = mse(y_te, models[name, grid[1]].predict(X_te))
        stats = [weight_stats(models[name, lam]) for lam in grid]
        for i, s in enumerate(stats):
            out[f"{name}: near 0 / none's, lam {i}"] = s["near 0"] / max(none["near 0"],
                                                                         1 / 336)
            out[f"{name}: largest / none's, lam {i}"] = s["largest |w|"] / none["largest |w|"]
            out[f"{name}: at ceiling, lam {i}"] = s["at ceiling, fewest"]
            out[f"{name}: near 0, lam {i}"] = s["near 0"]
    return out


def _every_lam(d, name, key, test):
    return np.all([test(d[f"{name}: {key}, lam {i}"]) for i in range(3)], axis=0)


TUNE = Experiment("ch4/tune", tune_draw, n=5, doc=DOC)
TUNE.claim("ch4/tune-spikes",
           lambda d: _every_lam(d, "L0.5", "near 0 / none's", lambda v: v > 2)
           & _every_lam(d, "L1", "near 0 / none's", lambda v: v > 2),
           says="at every strength of the grid, L0.5 and L1 put more than twice as many "
                "weights below 0.01 as no penalty", section="lk-exercises")
TUNE.claim("ch4/tune-l05-band",
           lambda d: (d["L0.5: near 0, lam 0"] > d["L0.5: near 0, lam 1"])
           & (d["L0.5: near 0, lam 1"] > d["L0.5: near 0, lam 2"]),
           says="gradient-trained L0.5 puts fewer weights below 0.01 the larger its "
                "strength", section="lk-exercises")
TUNE.claim("ch4/tune-l3-tails",
           lambda d: _every_lam(d, "L3", "largest / none's", lambda v: v < 1)
           & _every_lam(d, "L3", "near 0", lambda v: v < 0.1),
           says="at every strength of the grid, L3 lowers the largest weight below the "
                "unpenalized network's and puts fewer than 10 % of the weights below "
                "0.01", section="lk-exercises")
TUNE.claim("ch4/tune-linf-ceiling",
           lambda d: (d["LInf: at ceiling, lam 0"] >= 2) & (d["LInf: at ceiling, lam 1"] >= 2),
           says="under L-infinity with strength 0.03 or 0.1, at least two weights of "
                "each layer sit within 1 % of its largest", section="lk-exercises")
TUNE.claim("ch4/tune-edge",
           lambda d: _all(d, "chosen index", ["L2", "L3"], lambda v: v == 2),
           says="validation picks the largest strength of the grid for both L2 and L3",
           section="lk-exercises")
TUNE.claim("ch4/tune-edge-linf", lambda d: d["LInf: chosen index"] == 2,
           says="validation picks the largest strength of the grid for L-infinity",
           section="lk-exercises")
TUNE.claim("ch4/tune-l2-best", lambda d: _rank1(d, "L2", _GRAD, "tuned test MSE"),
           says="tuned, L2 has the lowest test error of the five penalties",
           section="lk-exercises")


# ---- quoting the ledger -------------------------------------------------------------

def quote(claim_id, field):
    """A ledger measurement as the chapter's prose writes it (hidden cells assert that
    the text still says what the ledger measured).

    ``field`` is ``"k"`` (draws on which a rate claim held), ``"pct"`` (its percentage,
    ``"88 %"``), ``"ci"`` (its 95 % interval, ``"83-92 %"``), ``"mean"`` or ``"sd"`` (a
    mean claim's mean or standard deviation over the draws, two decimals) or
    ``"meanpct"`` (a mean of fractions as a percentage)."""
    from ..claims import ledger_entry
    e = ledger_entry(claim_id)
    return {"k": lambda: str(e.k), "pct": lambda: e.percent(),
            "ci": lambda: f"{100 * e.lo:.0f}\u2013{100 * e.hi:.0f} %",
            "mean": lambda: f"{e.value:.2f}", "sd": lambda: f"{e.sd:.2f}",
            "meanpct": lambda: f"{100 * e.value:.0f} %"}[field]()
