r"""Chapter 7 (putting it together): the experiments whose results the chapter states.

:func:`compare_methods` is the chapter's whole pipeline on one draw: a fresh training
set of 40 noisy half-moons, a validation set of 100 and a test set of 1000
(:data:`NOISE`), one initialization shared by every network, and six ways to train the
network ``MLP([2, 32, 32, 1], "relu")``: no regularization, L2, L1, dropout, L2 with
dropout and early stopping, with the penalty strength of each penalized family chosen
on the validation loss over :data:`LAMS`. All the networks of a draw are trained as one
stack by :func:`lkcourse.train` (full-batch Adam, :data:`LR`, :data:`EPOCHS` steps).
:func:`shrinkage` is the linear-regression check of dropout's adaptive ridge penalty on
fresh data. Each :class:`~lkcourse.Experiment` below is what the chapter runs on its
block of draws and what the claims ledger measures on hundreds
(``make claims CHAPTERS=ch7``).
"""
from __future__ import annotations

import numpy as np

from .. import datasets
from .._shared import sigmoid
from ..claims import Experiment
from ..metrics import accuracy
from ..nn import MLP, decay_weights_only
from ..optim import Adam
from ..penalties import L1, L2
from ..training import evaluate, train

__all__ = ["NOISE", "SIZES", "N_TRAIN", "N_VAL", "N_TEST", "LR", "EPOCHS", "PATIENCE",
           "P_DROP", "LAMS", "FAMILIES", "METHODS", "MC_MASKS", "N_LIN", "FEATURE_SCALE",
           "W_TRUE", "compare_methods", "mc_dropout_proba", "shrinkage", "quote",
           "COMPARE", "SHRINKAGE"]

DOC = "07_putting_together"
#: Standard deviation of the Gaussian jitter of the half-moons.
NOISE = 0.25
#: The network: two inputs, two hidden layers of 32 ReLU units, one logit.
SIZES = [2, 32, 32, 1]
#: Sizes of the training, validation and test sets.
N_TRAIN, N_VAL, N_TEST = 40, 100, 1000
#: Adam's learning rate, the number of full-batch steps, early stopping's patience.
LR, EPOCHS, PATIENCE = 0.01, 300, 30
#: The drop rate of the dropout networks.
P_DROP = 0.5
#: The grid of penalty strengths searched on the validation loss.
LAMS = (3e-4, 1e-3, 3e-3, 1e-2, 3e-2)
#: The penalized families: name -> (penalty class, drop rate).
FAMILIES = {"L2": (L2, 0.0), "L1": (L1, 0.0), "L2 + dropout": (L2, P_DROP)}
#: The five regularized methods, compared with the unregularized network.
METHODS = ("L2", "L1", "dropout", "L2 + dropout", "early stopping")
#: Masks averaged by Monte Carlo dropout.
MC_MASKS = 100


def _weights(params):
    return np.concatenate([v.ravel() for k, v in params.items() if decay_weights_only(k, v)])


def mc_dropout_proba(model, X, n_masks, rng):
    r"""Monte Carlo dropout: the mean over ``n_masks`` random masks of the
    training-mode network's probability :math:`\operatorname{sigmoid}(z)` on ``X``
    (the evaluation-mode network, the *weight scaling* rule, is ``model.predict_proba``)."""
    z = np.stack([model.forward(X, train=True, rng=rng)[:, 0] for _ in range(n_masks)])
    return np.mean(sigmoid(z), axis=0)


def _bce(prob, y):
    prob = np.clip(prob, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(prob) + (1 - y) * np.log(1 - prob)))


def compare_methods(seed):
    """One draw of the chapter's comparison: data, initial weights, dropout masks.

    Returns, for each regularized method, the test-accuracy gain over the
    unregularized network of the same draw (points) and the ratio of the test
    cross-entropies, the chosen strengths, and measurements of the weights."""
    data_rng, init_rng, mask_rng, mc_rng = np.random.default_rng(seed).spawn(4)
    (X, y), val, test = (datasets.moons(n, noise=NOISE, rng=data_rng)
                         for n in (N_TRAIN, N_VAL, N_TEST))
    specs = [("none", None, 0.0), ("dropout", None, P_DROP)] + [
        (f, make(lam), p) for f, (make, p) in FAMILIES.items() for lam in LAMS]
    init = MLP(SIZES, "relu", rng=init_rng).params
    # fixed draw: placeholder weights, every network's are replaced by init just below
    nets = [MLP(SIZES, "relu", dropout=p, rng=0) for *_, p in specs]  # fixed draw: replaced
    stopped = MLP(SIZES, "relu", rng=0)  # fixed draw: replaced by init below
    for net in nets + [stopped]:                    # every network starts from init
        net.params.update({k: v.copy() for k, v in init.items()})
    train(nets, X, y, optimizer=Adam(lr=LR), loss="bce", epochs=EPOCHS,
          penalty=[s[1] for s in specs], rng=mask_rng)
    train(stopped, X, y, optimizer=Adam(lr=LR), loss="bce", epochs=EPOCHS,
          validation=val, patience=PATIENCE)
    score = [evaluate(net, *val, loss="bce")["loss"] for net in nets]
    chosen = {"none": nets[0], "dropout": nets[1], "early stopping": stopped}
    out = {}
    for f in FAMILIES:                              # lowest validation loss per family
        j = min((k for k, s in enumerate(specs) if s[0] == f), key=score.__getitem__)
        chosen[f] = nets[j]
        out[f"lam {f}"] = specs[j][1].lam
    base = evaluate(nets[0], *test, loss="bce")
    out["train acc none"] = evaluate(nets[0], X, y, loss="bce")["accuracy"]
    for m in METHODS:
        r = evaluate(chosen[m], *test, loss="bce")
        out[f"gain {m}"] = 100 * (r["accuracy"] - base["accuracy"])   # points
        out[f"loss ratio {m}"] = r["loss"] / base["loss"]
    # Monte Carlo dropout against the weight scaling rule, on the dropout network
    ws = evaluate(chosen["dropout"], *test, loss="bce")
    mc = mc_dropout_proba(chosen["dropout"], test[0], MC_MASKS, mc_rng)
    out["MC - weight scaling: test loss"] = _bce(mc, test[1]) - ws["loss"]
    out["MC - weight scaling: accuracy"] = 100 * (accuracy(test[1], (mc > 0.5).astype(int))
                                                  - ws["accuracy"])
    w0 = _weights(init)
    w_none, w_es = nets[0].weight_entries(), stopped.weight_entries()
    out["moved: early stopping / none"] = (np.linalg.norm(w_es - w0)
                                           / np.linalg.norm(w_none - w0))
    for m in ["none", "L2", "L1", "dropout"]:
        out[f"norm / initial: {m}"] = (np.linalg.norm(chosen[m].weight_entries())
                                       / np.linalg.norm(w0))
    w_l1, w_l2 = chosen["L1"].weight_entries(), chosen["L2"].weight_entries()
    out["L1: share |w| < 0.01"] = np.mean(np.abs(w_l1) < 0.01)
    out["L1: log10 median |w|"] = np.log10(np.median(np.abs(w_l1)))
    out["L1: exact zeros"] = np.sum(w_l1 == 0)
    out["L2: share |w| < 1e-6"] = np.mean(np.abs(w_l2) < 1e-6)
    grads = chosen["L2"].loss_and_grads(X, y, loss="bce")[1]       # data gradient only
    silent = _weights({k: g == 0 for k, g in grads.items()})
    tiny = np.abs(w_l2) < 1e-6
    out["L2: share of |w| < 1e-6 without data gradient"] = (np.mean(silent[tiny])
                                                           if tiny.any() else 1.0)
    out["none: share |w| < 0.01"] = np.mean(np.abs(w_none) < 0.01)
    return out


#: Size of the linear-regression problem of :func:`shrinkage`.
N_LIN = 40
#: Scales of its four independent Gaussian features.
FEATURE_SCALE = np.array([0.2, 0.5, 1.0, 3.0])
#: Its true weights (the noise has standard deviation 0.5).
W_TRUE = np.array([2.0, -1.0, 0.5, 0.3])


def shrinkage(seed, p=P_DROP):
    """Dropout's and plain ridge's shrinkage factors (solution / least squares) of the
    smallest- and the largest-scale feature's weight, on a fresh linear-regression draw.
    Plain ridge has the same average strength, ``p/(1-p)`` times the mean of
    ``diag(X^T X)``."""
    r = np.random.default_rng(seed)
    X = r.standard_normal((N_LIN, 4)) * FEATURE_SCALE
    y = X @ W_TRUE + 0.5 * r.standard_normal(N_LIN)
    G, b = X.T @ X, X.T @ y
    ols = np.linalg.solve(G, b)
    drop = np.linalg.solve(G + p / (1 - p) * np.diag(np.diag(G)), b) / ols
    plain = np.linalg.solve(G + p / (1 - p) * np.mean(np.diag(G)) * np.eye(4), b) / ols
    return {"dropout: scale-0.2 feature": drop[0], "dropout: scale-3 feature": drop[-1],
            "plain ridge: scale-0.2 feature": plain[0],
            "plain ridge: scale-3 feature": plain[-1]}


def quote(claim_id, field):
    """A ledger measurement as the chapter's prose writes it (hidden cells assert that
    the text still says what the ledger measured): ``"k"`` (draws on which a rate claim
    held), ``"pct"`` (``"88 %"``), ``"ci"`` (its 95 % interval, ``"83-92 %"``), ``"mean"``
    or ``"sd"`` (a mean claim's, one decimal), ``"mean2"`` (two decimals) or
    ``"meanci"`` (the 95 % interval of a mean claim, one decimal)."""
    from ..claims import ledger_entry
    e = ledger_entry(claim_id)
    return {"k": lambda: str(e.k), "pct": lambda: e.percent(),
            "ci": lambda: f"{100 * e.lo:.0f}\u2013{100 * e.hi:.0f} %",
            "mean": lambda: f"{e.value:.1f}", "mean2": lambda: f"{e.value:.2f}",
            "sd": lambda: f"{e.sd:.1f}",
            "meanci": lambda: f"{e.lo:.1f}\u2013{e.hi:.1f}"}[field]()


_PEN_ES = ("L2", "L1", "L2 + dropout", "early stopping")


def _gain(m):
    return lambda d: d[f"gain {m}"]


COMPARE = Experiment("ch7/compare", compare_methods, n=20, doc=DOC)
COMPARE.claim("ch7/penalties-es-lower-loss",
              lambda d: np.all([d[f"loss ratio {m}"] < 1 for m in _PEN_ES], axis=0),
              says="the three penalties and early stopping all lower the test "
                   "cross-entropy", section="sec-pt-draws")
COMPARE.claim("ch7/dropout-lower-loss", lambda d: d["loss ratio dropout"] < 1,
              says="dropout alone lowers the test cross-entropy on most draws, not all",
              section="sec-pt-draws")
COMPARE.claim("ch7/l2-halves-loss", lambda d: d["loss ratio L2"] < 0.5,
              says="L2 halves the test cross-entropy on most draws",
              section="sec-pt-draws")
COMPARE.claim("ch7/all-five-gain-3",
              lambda d: np.all([d[f"gain {m}"] >= 3 for m in METHODS], axis=0),
              says="all five methods gain at least 3 points of test accuracy only on a "
                   "minority of draws", section="sec-pt-draws", side="at_most")
COMPARE.claim("ch7/base-fits", lambda d: d["train acc none"] == 1,
              says="the unregularized network classifies every training point "
                   "correctly", section="sec-pt-draws")
for _m, _key in [("L2", "l2"), ("L1", "l1"), ("dropout", "dropout"),
                 ("L2 + dropout", "l2-dropout")]:
    COMPARE.claim(f"ch7/gain-{_key}", _gain(_m), kind="mean",
                  says=f"{_m}'s mean gain in test accuracy (points)",
                  section="sec-pt-draws")
COMPARE.claim("ch7/gain-es", _gain("early stopping"), kind="mean", side="at_most",
              says="early stopping on the validation loss loses test accuracy on average",
              section="sec-pt-draws")
COMPARE.claim("ch7/l2-not-worse", lambda d: d["gain L2"] >= 0,
              says="L2 does not lower the test accuracy on most draws",
              section="sec-pt-draws")
for _m, _key in [("L1", "l1"), ("dropout", "dropout"), ("L2 + dropout", "l2-dropout"),
                 ("early stopping", "es")]:
    COMPARE.claim(f"ch7/l2-beats-{_key}",
                  (lambda m: lambda d: d["gain L2"] - d[f"gain {m}"])(_m), kind="mean",
                  says=f"L2's mean gain exceeds {_m}'s (paired, per draw)",
                  section="sec-pt-draws")
COMPARE.claim("ch7/l2-best-on-draw",
              lambda d: np.all([d["gain L2"] >= d[f"gain {m}"] for m in METHODS], axis=0),
              says="L2 has the largest gain of the five on a minority of draws only",
              section="sec-pt-draws", side="at_most")
COMPARE.claim("ch7/lam-not-larger", lambda d: d["lam L2 + dropout"] <= d["lam L2"],
              says="with dropout the validation-chosen lam is not larger than L2's alone",
              section="sec-pt-draws")
COMPARE.claim("ch7/lam-smaller", lambda d: d["lam L2 + dropout"] < d["lam L2"],
              says="with dropout the validation-chosen lam is smaller than L2's alone "
                   "on a minority of draws", section="sec-pt-draws", side="at_most")
COMPARE.claim("ch7/norms",
              lambda d: (d["norm / initial: dropout"] > 1) & (d["norm / initial: L2"] < 1)
              & (d["norm / initial: L1"] < 1),
              says="L2 and L1 end below the initial weight norm, dropout above it",
              section="sec-pt-draws")
COMPARE.claim("ch7/l1-no-zeros", lambda d: d["L1: exact zeros"] == 0,
              says="no weight of the L1 network is exactly 0", section="sec-pt-hist")
COMPARE.claim("ch7/l1-small", lambda d: d["L1: share |w| < 0.01"] > 0.75,
              says="more than 75 % of the L1 network's weights are below 0.01",
              section="sec-pt-hist")
COMPARE.claim("ch7/l1-small-mean", lambda d: d["L1: share |w| < 0.01"], kind="mean",
              says="the share of the L1 network's weights below 0.01, on average",
              section="sec-pt-hist")
COMPARE.claim("ch7/l1-median-band",
              lambda d: (d["L1: log10 median |w|"] > -3.3) & (d["L1: log10 median |w|"] < -2.7),
              says="the median |w| of the L1 network lies between 5e-4 and 2e-3",
              section="sec-pt-hist")
COMPARE.claim("ch7/none-few-small", lambda d: d["none: share |w| < 0.01"] < 0.05,
              says="fewer than 5 % of the unregularized network's weights are below 0.01",
              section="sec-pt-hist")
COMPARE.claim("ch7/l2-tiny", lambda d: d["L2: share |w| < 1e-6"] > 0.03,
              says="more than 3 % of the L2 network's weights end below 1e-6",
              section="sec-pt-hist")
COMPARE.claim("ch7/l2-tiny-silent",
              lambda d: d["L2: share of |w| < 1e-6 without data gradient"] > 0.8,
              says="more than 80 % of the L2 network's weights below 1e-6 have zero "
                   "data gradient", section="sec-pt-hist")
COMPARE.claim("ch7/es-moves-less", lambda d: d["moved: early stopping / none"] < 0.9,
              says="the early-stopped weights move less than 90 % as far from their "
                   "initialization as the unregularized ones", section="sec-pt-es-init")
COMPARE.claim("ch7/mc-loss", lambda d: d["MC - weight scaling: test loss"], kind="mean",
              says="Monte Carlo dropout (100 masks) has a lower test cross-entropy than "
                   "the weight scaling rule, on average", section="sec-pt-mc",
              side="at_most")
COMPARE.claim("ch7/mc-acc", lambda d: d["MC - weight scaling: accuracy"], kind="mean",
              says="Monte Carlo dropout's test accuracy minus weight scaling's (points)",
              section="sec-pt-mc")

SHRINKAGE = Experiment("ch7/shrinkage", shrinkage, n=20, doc=DOC)
SHRINKAGE.claim("ch7/dropout-shrinks-alike",
                lambda d: np.all([(d[k] > 0.3) & (d[k] < 0.7) for k in (
                    "dropout: scale-0.2 feature", "dropout: scale-3 feature")], axis=0),
                says="dropout shrinks the smallest- and the largest-scale feature's "
                     "weight by factors between 0.3 and 0.7", section="sec-pt-dropout-ridge")
SHRINKAGE.claim("ch7/ridge-shrinks-unevenly",
                lambda d: (d["plain ridge: scale-0.2 feature"] < 0.05)
                & (d["plain ridge: scale-3 feature"] > 0.45),
                says="plain ridge of the same average strength cuts the scale-0.2 "
                     "feature's weight below 5 % and leaves the scale-3 one above 45 %",
                section="sec-pt-dropout-ridge")
