"""Chapter 1 (overfitting): the experiments whose results the chapter states.

Each function takes a seed and returns one draw's measurements; each
:class:`~lkcourse.Experiment` below is what the chapter runs on its block of draws and
what the claims ledger measures on hundreds (``make claims CHAPTERS=ch1``).
"""
from __future__ import annotations

import numpy as np

from .. import datasets
from ..claims import Experiment
from ..linear import fit_linear, polynomial_features
from ..metrics import mse

__all__ = ["NOISE", "DEGREES", "fit_poly", "degree_experiment", "DEGREE"]

#: Standard deviation of the noise on the chapter's data.
NOISE = 0.2
#: The polynomial degrees the chapter compares.
DEGREES = np.arange(1, 16)


def fit_poly(degree, x, y, penalty=None):
    """Fit ``b + psi(x) @ w`` of degree ``degree`` by (penalized) least squares and
    return the prediction function ``t -> b + psi(t) @ w``."""
    fit = fit_linear(polynomial_features(x, degree), y, penalty)
    return lambda t: fit.intercept + polynomial_features(t, degree) @ fit.coef


def degree_experiment(seed):
    """Test errors of degrees 1..15 fitted to a fresh draw of 20 training points."""
    r = np.random.default_rng(seed)
    xt, yt = datasets.noisy_polynomial(20, noise=NOISE, rng=r)
    xs, ys = datasets.noisy_polynomial(1000, noise=NOISE, rng=r)
    te = np.array([mse(ys, fit_poly(d, xt, yt)(xs)) for d in DEGREES])
    return {"best degree": DEGREES[np.argmin(te)],
            "degree 10 / best": te[DEGREES == 10][0] / te.min(),
            "best / sigma^2": te.min() / NOISE**2}


DEGREE = Experiment("ch1/degree", degree_experiment, n=20, doc="01_overfitting")
DEGREE.claim("ch1/degree-3-best", lambda d: d["best degree"] == 3,
             says="degree 3, the degree of the truth, has the lowest test error on most "
                  "draws", section="ch-overfitting")
DEGREE.claim("ch1/degree-10-never-best", lambda d: d["degree 10 / best"] > 1,
             says="degree 10 is not the best degree", section="ch-overfitting")
DEGREE.claim("ch1/best-excess", lambda d: d["best / sigma^2"], kind="mean",
             side="at_most",
             says="the best test error is on average about 20 % above the noise variance",
             section="ch-overfitting")
