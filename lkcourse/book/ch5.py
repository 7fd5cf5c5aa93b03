r"""Chapter 5 (weight decay): the experiments whose results the chapter states.

Three experiments run over draws (see :mod:`lkcourse.book.ch1` for the pattern):

- :data:`PROBE`: the decay probe (:func:`~lkcourse.book.decay_probe`) under Adam with
  L2, with :math:`\beta_1 = 0.9` and :math:`\beta_1 = 0`: how much of the nominal
  decay :math:`\eta c'` a weight with gradient-noise scale :math:`\sigma` receives;
- :data:`TOY`: the scale-invariant toy (:func:`~lkcourse.book.run_grid`) on the
  learning rate x decay grid of the four methods: which variable the test loss is a
  function of (its *level sets*), and where the best cell is;
- :data:`CONVEX`: the same grid on plain logistic regression with 40 training points,
  run to (near) its fixed points.

Every draw takes its data, start and mini-batches from its seed (independent streams
spawned from it), so the ledger (``make claims CHAPTERS=ch5``) measures the claims on
draws the chapter never saw.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..claims import Experiment
from ..optim import Adam
from .lr_decay import explained, run_grid, toy_data, toy_loss_grad
from .probe import decay_probe

__all__ = ["PROBE_SIGMAS", "PROBE_LR", "PROBE_WD", "PROBE_STEPS", "GRID", "STEPS",
           "CONVEX_GRID", "probe_rates", "toy_losses", "convex_run",
           "probe_experiment", "toy_experiment", "convex_experiment",
           "PROBE", "TOY", "CONVEX"]

#: Gradient-noise scales of the probe's 17 weights.
PROBE_SIGMAS = np.logspace(-2, 2, 17)
#: Learning rate, L2 coefficient and number of steps of the probe.
PROBE_LR, PROBE_WD, PROBE_STEPS = 1e-3, 1.0, 300

#: The scale-invariant grid: method -> (learning rates, decays); L2 coefficients for
#: the L2 panels, per-step fractions for the decoupled ones.
GRID = {"SGD + L2": (np.logspace(-3, 0, 6), np.logspace(-2.5, 0.5, 6)),
        "SGDW": (np.logspace(-3, 0, 6), np.logspace(-4, -1, 6)),
        "Adam + L2": (np.logspace(-2, 1, 6), np.logspace(-3, 3, 6)),
        "AdamW": (np.logspace(-2, 1, 6), np.logspace(-4, -1, 6))}
#: Steps per method on the scale-invariant grid.
STEPS = {"SGD + L2": 600, "SGDW": 600, "Adam + L2": 1500, "AdamW": 1500}
#: The convex (logistic-regression) grid, SGD with momentum 0.9, full batch, 600 steps.
CONVEX_GRID = {"SGD + L2": (np.logspace(-1.5, 0, 6), np.logspace(-2, -0.5, 6)),
               "SGDW": (np.logspace(-1.5, 0, 6), np.logspace(-3.5, -2, 6))}

_I, _J = np.indices((6, 6))


def _streams(seed, k):
    """``k`` independent generators spawned from ``seed``."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(k)]


def probe_rates(seed, beta1=0.9):
    r"""Measured decay per step of the 17 probe weights under ``lk.Adam`` with L2, in
    units of the nominal :math:`\eta c'` (noise drawn from ``seed``)."""
    opt = Adam(PROBE_LR, (beta1, 0.999), weight_decay=PROBE_WD)
    end = decay_probe(opt, PROBE_SIGMAS, steps=PROBE_STEPS, rng=seed)[-1, 0]
    return -np.log(end) / (PROBE_STEPS * PROBE_LR * PROBE_WD)


def probe_experiment(seed):
    """The probe under Adam + L2 with beta1 = 0.9 and beta1 = 0, on the same noise."""
    r9, r0 = probe_rates(seed, 0.9), probe_rates(seed, 0.0)
    big = PROBE_SIGMAS >= 10
    out = {"beta1 gap": np.abs(r9 - r0).max()}
    for name, r in (("", r9), ("beta1=0 ", r0)):
        s_r = PROBE_SIGMAS[big] * r[big]
        out |= {f"{name}rate sigma=0.01": r[0], f"{name}rate sigma=1": r[8],
                f"{name}rate sigma=100": r[-1],
                f"{name}sigma*rate worst": np.abs(s_r - 1).max()}
    return out


_TOY_CACHE: dict = {}


def _toy_draw(seed):
    """Data, unit-norm start and batch stream of one draw (independent streams)."""
    X_tr, X_te, y_tr, y_te = (a[0] for a in toy_data([seed], 4000))
    init, batches = _streams(seed, 2)
    w0 = init.standard_normal(20)
    return X_tr, X_te, y_tr, y_te, w0 / np.linalg.norm(w0), batches


def toy_losses(seed, ahead=1):
    """Test losses of the scale-invariant toy on the four grids of :data:`GRID`, for
    one draw of data (``toy_data([seed], 4000)``), unit-norm start and batch order.

    Returns a dict method -> array (6, 6) (rows: learning rates, columns: decays).
    Every draw has its own streams, so its losses do not depend on the draws it is
    stacked with: ``ahead=k`` also runs the seeds ``seed + 1, ..., seed + k - 1`` in the
    same arrays (one pass, faster) and caches them, as the experiment does for its
    block; the notebook's figure of a draw then reuses the experiment's run."""
    if seed not in _TOY_CACHE:
        seeds = [s for s in range(seed, seed + ahead) if s not in _TOY_CACHE]
        X_tr, X_te, y_tr, y_te, w0, batches = (
            np.array(a) if k < 5 else list(a)
            for k, a in enumerate(zip(*(_toy_draw(s) for s in seeds))))
        out = {}
        for kind, (lrs, d) in GRID.items():
            W = run_grid(kind, lrs, d, X_tr, y_tr, w0, normalized=True,
                         steps=STEPS[kind], batch_size=16, rng=batches)
            out[kind] = toy_loss_grad(W.reshape(len(seeds), -1, 20), X_te,
                                      y_te)[0].reshape(len(seeds), 6, 6)
        if len(_TOY_CACHE) > 256:
            _TOY_CACHE.clear()
        for i, s in enumerate(seeds):
            _TOY_CACHE[s] = {kind: L[i] for kind, L in out.items()}
    return _TOY_CACHE[seed]


def toy_experiment(seed):
    r"""Shares of the variance of the log test loss explained (adjusted :math:`R^2`)
    by the anti-diagonal ("product"), the decay column and the learning-rate row, per
    method; whether the best cell sits at the smallest decay; the best losses."""
    losses = toy_losses(seed, ahead=TOY.n)     # the block's draws in one pass
    out = {}
    for kind, Z in losses.items():
        out |= {f"{kind}: product": explained(Z, _I + _J, adjusted=True),
                f"{kind}: column": explained(Z, _J, adjusted=True),
                f"{kind}: row": explained(Z, _I, adjusted=True),
                f"{kind}: best at smallest decay": Z.argmin() % 6 == 0,
                f"{kind}: best": Z.min()}
    return out


@lru_cache(maxsize=64)
def convex_run(seed):
    """Test losses (6, 6) and stationarity residuals (6, 6) of the convex grid, per
    method, for one draw of the data (cached, like :func:`toy_losses`)."""
    X_tr, X_te, y_tr, y_te = toy_data([seed], 40)
    loss, resid = {}, {}
    for kind, (lrs, d) in CONVEX_GRID.items():
        W = run_grid(kind, lrs, d, X_tr, y_tr, np.zeros((1, 20)), normalized=False,
                     steps=600, batch_size=None)
        G = toy_loss_grad(W.reshape(1, -1, 20), X_tr, y_tr, normalized=False,
                          with_loss=False)[1].reshape(W.shape)
        kappa = d if kind.endswith("L2") else 0.1 * d / lrs[:, None]  # (1 - mu) delta/lr
        resid[kind] = np.abs(G + kappa[..., None] * W).max(axis=-1)[0]
        loss[kind] = toy_loss_grad(W.reshape(1, -1, 20), X_te, y_te,
                                   normalized=False)[0].reshape(6, 6)
    return loss, resid


def convex_experiment(seed):
    """Column / ratio shares (adjusted R^2) and converged cells of the convex grid."""
    loss, resid = convex_run(seed)
    out = {}
    for kind in CONVEX_GRID:
        out |= {f"{kind}: column": explained(loss[kind], _J, adjusted=True),
                f"{kind}: ratio": explained(loss[kind], _J - _I, adjusted=True),
                f"{kind}: converged": np.mean(resid[kind] < 1e-3)}
    return out


PROBE = Experiment("ch5/probe", probe_experiment, n=10, doc="05_weight_decay")
PROBE.claim("ch5/probe-small-noise", lambda d: np.minimum(
                d["rate sigma=0.01"], d["beta1=0 rate sigma=0.01"]) > 1,
            says="Adam + L2 decays the weight with the smallest gradient noise at least "
                 "at the nominal rate", section="sec-wd-probe")
PROBE.claim("ch5/probe-sigma-1", lambda d: (np.minimum(d["rate sigma=1"],
                                                       d["beta1=0 rate sigma=1"]) > 0.6)
            & (np.maximum(d["rate sigma=1"], d["beta1=0 rate sigma=1"]) < 0.9),
            says="Adam + L2 decays a weight with noise scale 1 at between 0.6 and 0.9 "
                 "of the nominal rate", section="sec-wd-probe")
PROBE.claim("ch5/probe-one-over-sigma", lambda d: np.maximum(
                d["sigma*rate worst"], d["beta1=0 sigma*rate worst"]) < 0.05,
            says="for every noise scale sigma >= 10, Adam + L2's decay rate is 1/sigma of "
                 "the nominal one within 5 %", section="sec-wd-probe")
PROBE.claim("ch5/probe-sigma-100", lambda d: np.maximum(
                d["rate sigma=100"], d["beta1=0 rate sigma=100"]) < 0.012,
            says="at sigma = 100 Adam + L2 decays at less than 0.012 of the nominal rate",
            section="sec-wd-probe")
PROBE.claim("ch5/probe-beta1", lambda d: d["beta1 gap"] < 0.05,
            says="the probe's decay rates with beta1 = 0.9 and beta1 = 0 agree within 0.05 "
                 "at every sigma", section="sec-wd-probe")

TOY = Experiment("ch5/toy", toy_experiment, n=5, doc="05_weight_decay")
for _kind, _own, _other, _margin in (("SGD + L2", "product", "column", 0.4),
                                      ("Adam + L2", "product", "column", 0.4),
                                      ("SGDW", "column", "product", 0.4),
                                      ("AdamW", "column", "product", 0.05)):
    _slug = _kind.lower().replace(" + ", "-")
    TOY.claim(f"ch5/toy-{_slug}-{_own}",
              lambda d, k=_kind, o=_own, t=_other, m=_margin:
                  d[f"{k}: {o}"] > d[f"{k}: {t}"] + m,
              says=f"on the scale-invariant toy, {_kind}'s test loss is better explained "
                   f"by the {_own} than by the {_other} (adjusted R^2, margin {_margin})",
              section="sec-wd-toy")
TOY.claim("ch5/toy-sgd-l2-product-099", lambda d: d["SGD + L2: product"] > 0.99,
          says="the product eta c explains more than 0.99 of SGD + L2's log test loss "
               "(adjusted R^2)", section="sec-wd-toy")
TOY.claim("ch5/toy-sgdw-column-098", lambda d: d["SGDW: column"] > 0.98,
          says="the decay delta alone explains more than 0.98 of SGDW's log test loss "
               "(adjusted R^2)", section="sec-wd-toy")
TOY.claim("ch5/toy-best-smallest-decay",
          lambda d: np.all([d[f"{k}: best at smallest decay"] for k in GRID], axis=0),
          says="on the scale-invariant toy every method's best cell is at the smallest "
               "decay of its grid", section="sec-wd-toy")
TOY.claim("ch5/toy-adamw-vs-adam-l2", lambda d: d["AdamW: best"] - d["Adam + L2: best"],
          kind="mean", side="at_most",
          says="AdamW's best test loss on its grid minus Adam + L2's best (paired mean) "
               "is close to 0", section="sec-wd-toy")

CONVEX = Experiment("ch5/convex", convex_experiment, n=5, doc="05_weight_decay")
CONVEX.claim("ch5/convex-sgd-l2-column", lambda d: d["SGD + L2: column"] > 0.999,
             says="on logistic regression at its fixed point the decay column explains "
                  "more than 0.999 of SGD + L2's log test loss (adjusted R^2)",
             section="sec-wd-convex")
CONVEX.claim("ch5/convex-sgd-l2-converged", lambda d: d["SGD + L2: converged"] == 1,
             says="every SGD + L2 cell of the convex grid has a stationarity residual "
                  "below 1e-3", section="sec-wd-convex")
CONVEX.claim("ch5/convex-sgdw-ratio", lambda d: d["SGDW: ratio"] > 0.9,
             says="the ratio delta / eta explains more than 0.9 of SGDW's log test loss "
                  "on the convex grid (adjusted R^2)", section="sec-wd-convex")
CONVEX.claim("ch5/convex-sgdw-ratio-over-column",
             lambda d: d["SGDW: ratio"] > d["SGDW: column"] + 0.4,
             says="on the convex grid SGDW's log test loss is better explained by "
                  "delta / eta than by delta alone", section="sec-wd-convex")
