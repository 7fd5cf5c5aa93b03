"""Explorer of polynomial fits against their degree and an L2 penalty (chapter 1)."""
from __future__ import annotations

import numpy as np

from .. import linear as _linear
from .. import penalties as _pen
from .._validation import check_array, check_same_length
from ..explore import Explorer
from ._common import LAM, Once, check_grid, lam_text


def compute_polynomial(degree, lam, x_train, y_train, x_val, y_val, *, n_grid=300):
    """Fit a degree-``degree`` polynomial with penalty ``L2(lam)`` (none if lam is 0).

    x is mapped affinely so the training inputs span [-1, 1]; the features are
    ``lk.polynomial_features`` of the mapped x, the intercept is unpenalized. Returns
    a dict with ``coef``, ``intercept``, ``x_grid``/``y_grid`` (the fitted curve over
    the range of all inputs), ``train_mse`` and ``val_mse`` (mean squared errors).
    """
    lo, hi = float(np.min(x_train)), float(np.max(x_train))
    mid, half = (hi + lo) / 2, max((hi - lo) / 2, 1e-12)

    def feats(x):
        return _linear.polynomial_features((np.asarray(x) - mid) / half, degree)

    penalty = _pen.L2(lam) if lam > 0 else None
    fit = _linear.fit_linear(feats(x_train), y_train, penalty)

    def predict(x):
        return feats(x) @ fit.coef + fit.intercept

    xs = np.concatenate([x_train, x_val])
    x_grid = np.linspace(xs.min(), xs.max(), n_grid)
    return {"coef": fit.coef, "intercept": fit.intercept, "x_grid": x_grid,
            "y_grid": predict(x_grid),
            "train_mse": float(np.mean((predict(x_train) - y_train) ** 2)),
            "val_mse": float(np.mean((predict(x_val) - y_val) ** 2))}


def polynomial_explorer(x_train, y_train, x_val, y_val, *,
                        degrees=(1, 2, 3, 4, 6, 8, 10, 15),
                        lams=(0.0, 1e-6, 1e-4, 1e-2, 1.0), initial=None):
    r"""Explore a polynomial fit vs its degree and an L2 penalty lam (chapter 1).

    Left: training and validation points and the fitted curve; right: training and
    validation MSE against the degree at the current lam, the current degree marked.
    Each fit minimizes :math:`\frac1{2n}\|y - \Phi\beta - b\|^2 + \lambda\|\beta\|^2`
    with :math:`\Phi` the polynomial features of x mapped to [-1, 1]
    (see ``compute_polynomial``).

    Parameters
    ----------
    x_train, y_train : 1-D arrays of the same length
        The training points (fitted, and drawn as dots).
    x_val, y_val : 1-D arrays of the same length
        The validation points (drawn as open squares; their MSE is the right panel's
        second curve).
    degrees : sequence of int >= 1
        The degree slider's values.
    lams : sequence of float >= 0
        The lam slider's values (0: no penalty).
    initial : dict, optional
        Starting values, e.g. ``{"degree": 10, "lam": 0.0}``.

    Returns
    -------
    Explorer
        Controls ``degree`` and ``lam``; ``ex.data`` is ``compute_polynomial``'s
        dict plus the error curves over all degrees at that lam.

    Examples
    --------
    >>> import numpy as np
    >>> import lkcourse as lk
    >>> x = np.linspace(0, 1, 20); y = 2 * x + 1
    >>> ex = lk.polynomial_explorer(x, y, x + 0.01, y + 0.02, degrees=[1, 3], lams=[0.0])
    >>> round(ex.data["train_mse"], 12)
    0.0
    """
    owner = "polynomial_explorer"
    arrays = [check_array(a, n, owner, ndim=1) for a, n in
              ((x_train, "x_train"), (y_train, "y_train"), (x_val, "x_val"), (y_val, "y_val"))]
    x_train, y_train, x_val, y_val = arrays
    check_same_length(x_train, y_train, "x_train", "y_train", owner)
    check_same_length(x_val, y_val, "x_val", "y_val", owner)
    degrees = check_grid(degrees, "degrees", owner, low=1, integer=True)
    lams = check_grid(lams, "lams", owner, low=0)
    curves = {}

    def errors(lam):
        if lam not in curves:
            fits = [compute_polynomial(d, lam, x_train, y_train, x_val, y_val)
                    for d in degrees]
            curves[lam] = (np.array([f["train_mse"] for f in fits]),
                           np.array([f["val_mse"] for f in fits]))
        return curves[lam]

    ys = np.concatenate([y_train, y_val])
    pad = 0.25 * (ys.max() - ys.min() + 1e-12)
    ylim = (ys.min() - pad, ys.max() + pad)
    e_all = np.concatenate([np.concatenate(errors(lam)) for lam in lams])
    e_lo, e_hi = max(e_all.min() / 2, 1e-12), e_all.max() * 2

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2)
        ax1.plot(x_train, y_train, "o", color="C0", ms=4, label="train")
        ax1.plot(x_val, y_val, "s", mfc="none", color="C1", ms=4, label="validation")
        curve = ax1.plot([], [], color="C3", lw=2, label="fit")[0]
        ax1.set(ylim=ylim, xlabel="x", ylabel="y")
        ax1.legend(fontsize=8, loc="best")
        tr = ax2.plot(degrees, np.ones(len(degrees)), "o-", color="C0", label="train")[0]
        va = ax2.plot(degrees, np.ones(len(degrees)), "s-", color="C1",
                      label="validation")[0]
        mark = ax2.axvline(degrees[0], color="C3", lw=1.2)
        ax2.set(yscale="log", ylim=(e_lo, e_hi), xlabel="degree", ylabel="MSE (log scale)")
        ax2.legend(fontsize=8)
        return curve, tr, va, mark, fig.suptitle("")

    once = Once(setup)

    def draw(fig, data, degree, lam):
        curve, tr, va, mark, title = once(fig)
        curve.set_data(data["x_grid"], data["y_grid"])
        tr.set_ydata(data["train_curve"])
        va.set_ydata(data["val_curve"])
        mark.set_xdata([degree, degree])
        title.set_text(f"degree {degree}, {lam_text(lam)}: train MSE "
                       f"{data['train_mse']:.3g}, validation MSE {data['val_mse']:.3g}")
        return [curve, tr, va, mark, title]

    def compute(degree, lam):
        out = compute_polynomial(degree, lam, x_train, y_train, x_val, y_val)
        out["train_curve"], out["val_curve"] = errors(lam)
        return out

    return Explorer(compute, draw, {"degree": degrees, "lam": lams}, initial=initial,
                    labels={"lam": LAM}, title="Polynomial fits: degree and L2 penalty")
