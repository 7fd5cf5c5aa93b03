r"""Ready-made explorers for the chapters, each a pure compute function plus a draw.

Every ``*_explorer`` returns an :class:`~lkcourse.Explorer`: the last expression of a
notebook cell shows sliders in Jupyter and a static twin in the book. The data each
one draws comes from a pure, module-level ``compute_*`` function that the tests call
directly; each explorer's compute is one of them with the fixed arguments bound.

=========================  ==========================================  ============
explorer                   controls (default grid)                     chapter
=========================  ==========================================  ============
``polynomial_explorer``    degree, lam                                 1
``path_explorer``          lam (and the penalty if several kinds)      2, 3
``geometry_explorer``      k, lam                                      3, 4
``penalty_explorer``       k, lam                                      4
``trajectory_explorer``    k, lr                                       4
``activation_explorer``    activation name                             6
``boundary_explorer``      lam, dropout (trained nets, precomputed)    7
=========================  ==========================================  ============

Axis limits are fixed over the whole grid so that frames are comparable; each title
states the values shown. Every draw returns the artists it changed, so frames are
blitted over a background rendered once (see :mod:`lkcourse.explore`). Grids are kept
to a few dozen frames (page weight and build time grow with the number of frames,
about 10-20 kB and 20-40 ms each).
"""
from __future__ import annotations

import numpy as np

from . import activations as _act
from . import linear as _linear
from . import nn as _nn
from . import optim as _optim
from . import penalties as _pen
from . import training as _training
from ._validation import (check_array, check_choice, check_real, check_rng,
                          check_same_length, fail)
from .dynamics import simulate_weight
from .explore import Explorer, format_value

__all__ = ["polynomial_explorer", "path_explorer", "geometry_explorer",
           "penalty_explorer", "trajectory_explorer", "activation_explorer",
           "boundary_explorer"]

LAM = "λ"


def _grid(values, name, owner, *, low=None, low_open=False, integer=False):
    """Check a grid of numbers; return a tuple of Python floats (or ints)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        fail(name, owner, "a non-empty sequence of numbers", values)
    out = tuple(check_real(v, name, owner, low=low, low_open=low_open, integer=integer)
                for v in values)
    if not out:
        fail(name, owner, "a non-empty sequence of numbers", values)
    return out


def _lam_text(lam):
    return f"{LAM} = {format_value(lam)}"


class _Once:
    """Per-figure artist store: ``setup(fig)`` runs on the first draw on a figure."""

    def __init__(self, setup):
        self.setup, self.fig, self.art = setup, None, None

    def __call__(self, fig):
        if self.fig is not fig:
            self.fig, self.art = fig, self.setup(fig)
        return self.art


# --------------------------------------------------------------------- penalty
def compute_penalty(k, lam, *, w_max=2.0, n=401):
    r"""Penalty :math:`\lambda|w|^k` of one weight and its derivative on a grid of w.

    Returns a dict with ``w`` (n points in [-w_max, w_max]), ``value`` and ``grad``
    (from :class:`~lkcourse.Lk`: ``value`` of each single weight, ``grad`` the
    minimum-norm (sub)gradient, 0 at w = 0), and ``ref``: the same for k = 1 and 2.
    """
    w = np.linspace(-w_max, w_max, n)

    def curves(kk):
        p = _pen.Lk(kk, lam)
        return np.array([p.value(np.array([wi])) for wi in w]), p.grad(w)

    value, grad = curves(k)
    return {"w": w, "value": value, "grad": grad,
            "ref": {1.0: curves(1.0), 2.0: curves(2.0)}}


def penalty_explorer(ks=(0.5, 1, 1.5, 2, 3, 4), lams=(0.25, 0.5, 1.0, 2.0), *,
                     w_max=2.0, initial=None):
    r"""Explore the Lk penalty :math:`\lambda|w|^k` and its derivative vs k and lam.

    Left: the penalty of one weight; right: its derivative
    :math:`\lambda k\,\mathrm{sign}(w)|w|^{k-1}` (minimum-norm subgradient, 0 at 0).
    L1 and L2 are drawn dashed for reference. The y-limits are those of L2 at the
    largest lam, so larger k leave the panel at the edges and k < 1 blows up at 0.

    Parameters
    ----------
    ks : sequence of float > 0
    lams : sequence of float >= 0
    w_max : float > 0
        Half-width of the w axis.
    initial : dict, optional
        Starting values, e.g. ``{"k": 2, "lam": 1.0}``.

    Returns
    -------
    Explorer

    Examples
    --------
    >>> import lkcourse as lk
    >>> ex = lk.penalty_explorer(ks=[1, 2], lams=[0.5, 1.0])
    >>> ex.set(k=2, lam=1.0)
    >>> float(ex.figure.axes[0].lines[0].get_ydata()[-1])   # 1.0 * 2**2
    4.0
    """
    owner = "penalty_explorer"
    ks = _grid(ks, "ks", owner, low=0, low_open=True)
    lams = _grid(lams, "lams", owner, low=0)
    w_max = check_real(w_max, "w_max", owner, low=0, low_open=True)
    top = max(lams) * w_max ** 2 * 1.08 or 1.0
    slope = max(lams) * 2 * w_max * 1.08 or 1.0

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2)
        main = (ax1.plot([], [], color="C3", lw=2.2, label="current k")[0],
                ax2.plot([], [], color="C3", lw=2.2)[0])
        refs = {}
        for kk, style in ((1.0, ":"), (2.0, "--")):
            refs[kk] = (ax1.plot([], [], style, color="0.55", lw=1.2, label=f"k = {kk:g}")[0],
                        ax2.plot([], [], style, color="0.55", lw=1.2)[0])
        ax1.set(xlim=(-w_max, w_max), ylim=(0, top), xlabel="weight w",
                ylabel=r"penalty $\lambda|w|^k$")
        ax2.set(xlim=(-w_max, w_max), ylim=(-slope, slope), xlabel="weight w",
                ylabel=r"derivative $\lambda k\,\mathrm{sign}(w)|w|^{k-1}$")
        for ax in (ax1, ax2):
            ax.axhline(0, color="0.8", lw=0.8, zorder=0)
            ax.axvline(0, color="0.8", lw=0.8, zorder=0)
        ax1.legend(loc="upper center", fontsize=9)
        title = fig.suptitle("")
        return main, refs, title

    once = _Once(setup)

    def draw(fig, data, k, lam):
        (line1, line2), refs, title = once(fig)
        w = data["w"]
        line1.set_data(w, data["value"])
        line2.set_data(w, data["grad"])
        line1.set_label(f"k = {format_value(k)}")
        for kk, (r1, r2) in refs.items():
            r1.set_data(w, data["ref"][kk][0])
            r2.set_data(w, data["ref"][kk][1])
            r1.set_visible(kk != k)  # no dashed twin under the current curve
            r1.set_label(f"k = {kk:g}" if kk != k else "_hidden")
            r2.set_visible(kk != k)
        legend = fig.axes[0].legend(loc="upper center", fontsize=9)
        title.set_text(f"L{format_value(k)} penalty, {_lam_text(lam)}")
        return [line1, line2, legend, title, *(a for pair in refs.values() for a in pair)]

    def compute(k, lam):
        return compute_penalty(k, lam, w_max=w_max)

    return Explorer(compute, draw, {"k": ks, "lam": lams}, initial=initial,
                    labels={"lam": LAM}, title="Lk penalty and its derivative")


# ------------------------------------------------------------------ trajectory
def compute_trajectory(k, lr, *, lam=0.5, w0=1.0, steps=60, method="gd"):
    """Iterates of one weight under the penalty ``Lk(k, lam)`` alone.

    Returns a dict with ``t`` (0..steps), ``w`` (from :func:`~lkcourse.simulate_weight`)
    and ``flips``: how many steps changed the weight's sign.
    """
    w = simulate_weight(_pen.Lk(k, lam), w0, lr=lr, steps=steps, method=method)
    s = np.sign(w)
    return {"t": np.arange(steps + 1), "w": w,
            "flips": int(np.sum(s[1:] * s[:-1] < 0))}


def trajectory_explorer(ks=(0.5, 1, 2, 3), lrs=(0.02, 0.05, 0.1, 0.2, 0.5, 0.9), *,
                        lam=0.5, w0=1.0, steps=60, method="gd", initial=None):
    r"""Explore one weight's gradient steps under an Lk penalty vs k and the learning rate.

    Left: :math:`w_t`; right: :math:`|w_t|` on a log scale (geometric decay is a
    straight line). L2 decays geometrically, L1 reaches 0 in about
    :math:`w_0/(\eta\lambda)` steps and then jitters, L0.5's derivative blows up near
    0 so the weight flips sign back and forth, L3's derivative vanishes near 0 so the
    weight stalls.

    Parameters
    ----------
    ks : sequence of float > 0
    lrs : sequence of float > 0
    lam : float >= 0
    w0 : float
        Starting weight (not 0).
    steps : int >= 1
    method : {"gd", "prox"}
        Passed to :func:`~lkcourse.simulate_weight`.
    initial : dict, optional

    Returns
    -------
    Explorer

    Examples
    --------
    >>> import lkcourse as lk
    >>> ex = lk.trajectory_explorer(ks=[0.5, 2], lrs=[0.1], steps=60)
    >>> ex.set(k=0.5)
    >>> ex.data["flips"] > 10
    True
    """
    owner = "trajectory_explorer"
    ks = _grid(ks, "ks", owner, low=0, low_open=True)
    lrs = _grid(lrs, "lrs", owner, low=0, low_open=True)
    lam = check_real(lam, "lam", owner, low=0)
    w0 = check_real(w0, "w0", owner)
    if w0 == 0:
        fail("w0", owner, "a float != 0", w0)
    steps = check_real(steps, "steps", owner, low=1, integer=True)
    method = check_choice(method, "method", owner, ["gd", "prox"])
    floor = 1e-6

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2)
        line1 = ax1.plot([], [], ".-", color="C0", ms=3, lw=1.2)[0]
        line2 = ax2.plot([], [], ".-", color="C0", ms=3, lw=1.2)[0]
        ax1.axhline(0, color="0.6", lw=0.8)
        ax1.set(xlim=(0, steps), ylim=(-1.15 * abs(w0), 1.15 * abs(w0)), xlabel="step t",
                ylabel="weight $w_t$")
        ax2.set(xlim=(0, steps), ylim=(floor / 2, 2 * abs(w0)), yscale="log",
                xlabel="step t", ylabel=r"$|w_t|$ (log scale)")
        ax2.grid(alpha=0.3)
        note = ax2.text(0.04, 0.05, "", transform=ax2.transAxes, ha="left", va="bottom",
                        fontsize=9, bbox={"fc": "white", "ec": "0.8"})
        return line1, line2, note, fig.suptitle("")

    once = _Once(setup)

    def draw(fig, data, k, lr):
        line1, line2, note, title = once(fig)
        t, w = data["t"], data["w"]
        line1.set_data(t, np.clip(w, -1.15 * abs(w0), 1.15 * abs(w0)))
        line2.set_data(t, np.clip(np.abs(w), floor, None))
        note.set_text(f"sign flips: {data['flips']}\n|w_{steps}| = {abs(w[-1]):.2g}")
        title.set_text(f"L{format_value(k)}, {_lam_text(lam)}, learning rate "
                       f"{format_value(lr)}: {method} steps from w0 = {format_value(w0)}")
        return [line1, line2, note, title]

    def compute(k, lr):
        return compute_trajectory(k, lr, lam=lam, w0=w0, steps=steps, method=method)

    return Explorer(compute, draw, {"k": ks, "lr": lrs}, initial=initial,
                    labels={"lr": "learning rate"}, title="One weight under Lk steps")


# ------------------------------------------------------------------ activation
def compute_activation(name, *, z_max=5.0, n=401):
    """``z`` in [-z_max, z_max] and the activation's ``f`` and ``df`` there."""
    a = _act.activation(name)
    z = np.linspace(-z_max, z_max, n)
    return {"z": z, "f": a.f(z), "df": a.df(z)}


def activation_explorer(names=None, *, z_max=5.0, initial=None):
    """Explore an activation function and its derivative, chosen by name.

    Parameters
    ----------
    names : sequence of str, optional
        Names from ``lk.ACTIVATIONS`` (default: all of them).
    z_max : float > 0
    initial : dict, optional
        E.g. ``{"name": "gelu"}``.

    Returns
    -------
    Explorer

    Examples
    --------
    >>> import lkcourse as lk
    >>> ex = lk.activation_explorer(["relu", "sigmoid"])
    >>> ex.set(name="sigmoid")
    >>> float(ex.figure.axes[1].lines[0].get_ydata().max())
    0.25
    """
    owner = "activation_explorer"
    valid = list(_act.ACTIVATIONS)
    names = valid if names is None else names
    if isinstance(names, str) or not hasattr(names, "__iter__") or not list(names):
        fail("names", owner, "a non-empty sequence of activation names", names)
    names = tuple(check_choice(nm, "names", owner, valid) for nm in names)
    z_max = check_real(z_max, "z_max", owner, low=0, low_open=True)

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2)
        f = ax1.plot([], [], color="C0", lw=2.2)[0]
        df = ax2.plot([], [], color="C1", lw=2.2)[0]
        for ax in (ax1, ax2):
            ax.axhline(0, color="0.7", lw=0.8)
            ax.axvline(0, color="0.7", lw=0.8)
            ax.grid(alpha=0.3)
        ax1.set(xlim=(-z_max, z_max), ylim=(-2.0, z_max * 1.1), xlabel="z", ylabel="f(z)")
        ax2.set(xlim=(-z_max, z_max), ylim=(-0.3, 1.9), xlabel="z", ylabel="f'(z)")
        return f, df, fig.suptitle("")

    once = _Once(setup)

    def draw(fig, data, name):
        f, df, title = once(fig)
        f.set_data(data["z"], data["f"])
        df.set_data(data["z"], data["df"])
        title.set_text(f"{name}: the function (left) and its derivative (right)")
        return [f, df, title]

    def compute(name):
        return compute_activation(name, z_max=z_max)

    return Explorer(compute, draw, {"name": names}, initial=initial,
                    labels={"name": "activation"}, title="Activation functions")


# -------------------------------------------------------------------- geometry
def _quadratic_problem(A, center):
    """(X, y) with (1/(2n))||y - Xw||^2 = 0.5 (w - c)^T A (w - c) + const, n = 2."""
    R = np.linalg.cholesky(A).T
    X = np.sqrt(2.0) * R
    return X, X @ center


def compute_geometry(k, lam, *, A, center):
    r"""Minimizer of :math:`\tfrac12(w-c)^\top A(w-c) + \lambda\sum_i|w_i|^k` in 2-D.

    Solved with :func:`~lkcourse.fit_linear` (no intercept) on a 2 x 2 design whose data
    term equals the quadratic. Returns a dict with ``w`` (the minimizer), ``loss`` (its
    quadratic loss), ``radius`` (:math:`\|w\|_k`), ``ellipse`` (2 x m points of the
    level set of the loss through ``w``) and ``ball`` (2 x m points of the k-ball of
    that radius, the constraint set of the equivalent constrained problem).
    """
    A = np.asarray(A, dtype=float)
    c = np.asarray(center, dtype=float)
    X, y = _quadratic_problem(A, c)
    w = _linear.fit_linear(X, y, _pen.Lk(k, lam), fit_intercept=False).coef
    loss = 0.5 * (w - c) @ A @ (w - c)
    theta = np.linspace(0, 2 * np.pi, 361)
    u = np.vstack([np.cos(theta), np.sin(theta)])
    evals, evecs = np.linalg.eigh(A)
    ellipse = c[:, None] + np.sqrt(2 * loss) * (evecs @ (u / np.sqrt(evals)[:, None]))
    radius = float(np.sum(np.abs(w) ** k) ** (1 / k))
    ball = radius * np.sign(u) * np.abs(u) ** (2 / k)
    return {"w": w, "loss": float(loss), "radius": radius, "ellipse": ellipse,
            "ball": ball}


def geometry_explorer(ks=(1, 2), lams=(0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0), *,
                      A=((1.0, 0.45), (0.45, 0.5)), center=(1.2, 0.9), initial=None):
    r"""Explore where the loss ellipses meet the ball of k as lam grows.

    The loss is the 2-D quadratic :math:`\tfrac12(w-c)^\top A(w-c)`, the penalty
    :math:`\lambda\sum_i|w_i|^k`. Left: loss contours, the minimizer :math:`w^*`, the
    ellipse through it and the k-ball through it (the constrained problem with that
    budget has the same solution: ellipse and ball touch at :math:`w^*`), and the path of
    :math:`w^*` over lam. For k <= 1 the ball has corners and :math:`w^*` lands on one
    (an exact zero); for k = 2 it does not. Right: both coordinates against lam.

    Parameters
    ----------
    ks : sequence of float > 0
    lams : sequence of float >= 0
    A : 2 x 2 symmetric positive definite array
    center : 2 floats
        The unpenalized minimizer c.
    initial : dict, optional

    Returns
    -------
    Explorer

    Examples
    --------
    >>> import lkcourse as lk
    >>> ex = lk.geometry_explorer(ks=[1, 2], lams=[0.7])
    >>> ex.set(k=1)
    >>> float(ex.data["w"][1])       # L1: an exact zero
    0.0
    """
    owner = "geometry_explorer"
    ks = _grid(ks, "ks", owner, low=0, low_open=True)
    lams = _grid(lams, "lams", owner, low=0)
    A = check_array(A, "A", owner, ndim=2)
    if A.shape != (2, 2) or not np.allclose(A, A.T) or np.linalg.eigvalsh(A).min() <= 0:
        fail("A", owner, "a symmetric positive definite 2 x 2 array", A)
    center = check_array(center, "center", owner, ndim=1)
    if center.shape != (2,):
        fail("center", owner, "a pair of floats", center)
    dense = np.unique(np.concatenate([lams, np.geomspace(max(min(lams), 1e-3),
                                                         max(max(lams), 1e-2), 40)]))
    lam_lo = float(dense[dense > 0][0])  # a lam of 0 has no place on the log axis
    paths = {}

    def path(k):
        if k not in paths:
            paths[k] = np.array([compute_geometry(k, lam, A=A, center=center)["w"]
                                 for lam in dense])
        return paths[k]

    span = 1.15 * max(abs(center).max(), 0.5)
    evals, evecs = np.linalg.eigh(A)
    theta = np.linspace(0, 2 * np.pi, 241)
    unit = evecs @ (np.vstack([np.cos(theta), np.sin(theta)]) / np.sqrt(evals)[:, None])

    def setup(fig):
        ax, ax2 = fig.subplots(1, 2, width_ratios=[1, 1.15])
        for level in (0.02, 0.08, 0.2, 0.4, 0.7):
            e = center[:, None] + np.sqrt(2 * level) * unit
            ax.plot(e[0], e[1], color="0.8", lw=0.8)
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ball = ax.fill([0], [0], color="C0", alpha=0.25, label="k-ball through w*")[0]
        ell = ax.plot([], [], color="C1", lw=1.6, label="loss level through w*")[0]
        trail = ax.plot([], [], ":", color="0.3", lw=1.2, label="w* as λ grows")[0]
        ax.plot(*center, "x", color="C1", ms=8, mew=2, label="unpenalized c")
        dot = ax.plot([], [], "o", color="C3", ms=7, label="w*")[0]
        ax.set(xlim=(-0.4 * span, span), ylim=(-0.4 * span, span), aspect="equal",
               xlabel="$w_1$", ylabel="$w_2$")
        ax.legend(fontsize=7, loc="upper left")  # lower right hides w* on the w1 axis
        c1 = ax2.plot([], [], color="C0", label="$w_1^*$")[0]
        c2 = ax2.plot([], [], color="C2", label="$w_2^*$")[0]
        vline = ax2.axvline(lam_lo, color="C3", lw=1.2)
        ax2.axhline(0, color="0.6", lw=0.8)
        # limits before the log scale: switching scale with autoscaled, degenerate
        # limits (one vertical line) warns "identical low and high xlims"
        ax2.set_xlim(lam_lo / 1.15, 1.15 * dense[-1] if dense[-1] > lam_lo else 10 * lam_lo)
        ax2.set_xscale("log")
        ax2.set(ylim=(-0.1, 1.1 * span), xlabel="λ (log scale)", ylabel="coefficient")
        ax2.legend(fontsize=8)
        return ball, ell, trail, dot, c1, c2, vline, fig.suptitle("")

    once = _Once(setup)

    def draw(fig, data, k, lam):
        ball, ell, trail, dot, c1, c2, vline, title = once(fig)
        ball.set_xy(data["ball"].T)
        ell.set_data(*data["ellipse"])
        p = data["path"]
        trail.set_data(p[:, 0], p[:, 1])
        dot.set_data([data["w"][0]], [data["w"][1]])
        c1.set_data(dense, p[:, 0])
        c2.set_data(dense, p[:, 1])
        vline.set_xdata([max(lam, lam_lo)] * 2)
        w = data["w"]
        zeros = " (exact zero)" if np.any(w == 0) and np.any(w != 0) else ""
        title.set_text(f"k = {format_value(k)}, {_lam_text(lam)}: "
                       f"w* = ({w[0]:.3f}, {w[1]:.3f}){zeros}")
        return [ball, ell, trail, dot, c1, c2, vline, title]

    def compute(k, lam):
        out = compute_geometry(k, lam, A=A, center=center)
        out["path"] = path(k)
        return out

    return Explorer(compute, draw, {"k": ks, "lam": lams}, initial=initial,
                    labels={"lam": LAM}, title="Loss ellipses meet the ball of k")


# ------------------------------------------------------------------ polynomial
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
    x_train, y_train, x_val, y_val : 1-D arrays
    degrees : sequence of int >= 1
    lams : sequence of float >= 0
    initial : dict, optional
        E.g. ``{"degree": 10, "lam": 0.0}``.

    Returns
    -------
    Explorer

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
    degrees = _grid(degrees, "degrees", owner, low=1, integer=True)
    lams = _grid(lams, "lams", owner, low=0)
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

    once = _Once(setup)

    def draw(fig, data, degree, lam):
        curve, tr, va, mark, title = once(fig)
        curve.set_data(data["x_grid"], data["y_grid"])
        tr.set_ydata(data["train_curve"])
        va.set_ydata(data["val_curve"])
        mark.set_xdata([degree, degree])
        title.set_text(f"degree {degree}, {_lam_text(lam)}: train MSE "
                       f"{data['train_mse']:.3g}, validation MSE {data['val_mse']:.3g}")
        return [curve, tr, va, mark, title]

    def compute(degree, lam):
        out = compute_polynomial(degree, lam, x_train, y_train, x_val, y_val)
        out["train_curve"], out["val_curve"] = errors(lam)
        return out

    return Explorer(compute, draw, {"degree": degrees, "lam": lams}, initial=initial,
                    labels={"lam": LAM}, title="Polynomial fits: degree and L2 penalty")


# ------------------------------------------------------------------------ path
_KINDS = {"lasso": lambda lam: _pen.L1(lam), "ridge": lambda lam: _pen.L2(lam),
          "elasticnet": lambda lam: _pen.ElasticNet(l1=lam / 2, l2=lam / 2)}


def compute_path(X, y, kind, lams):
    """Coefficients of the ``kind`` fit for each lam: an array (len(lams), n_features).

    ``kind`` is ``"lasso"`` (``L1(lam)``), ``"ridge"`` (``L2(lam)``) or ``"elasticnet"``
    (``ElasticNet(l1=lam/2, l2=lam/2)``); fitted by :func:`~lkcourse.regularization_path`
    with an unpenalized intercept.
    """
    return _linear.regularization_path(X, y, _KINDS[kind], list(lams))


def path_explorer(X, y, kind="lasso", *, lams=None, coef_true=None, initial=None):
    r"""Explore a regularization path: coefficients vs lam with a moving marker.

    Left: every coefficient against lam (log scale) with a vertical line at the current
    lam; right: the coefficients at that lam as bars (and the true ones as dots when
    ``coef_true`` is given). With several kinds, a control switches between them.

    Parameters
    ----------
    X : 2-D array (n, p)
    y : 1-D array (n,)
    kind : str or sequence of str
        ``"lasso"``, ``"ridge"``, ``"elasticnet"`` (see ``compute_path``).
    lams : sequence of float > 0, optional
        Default: 16 values log-spaced from :math:`\lambda_{\max}`, the smallest lam at
        which the lasso solution is all zeros, down to :math:`10^{-3}\lambda_{\max}`.
    coef_true : 1-D array (p,), optional
    initial : dict, optional

    Returns
    -------
    Explorer

    Examples
    --------
    >>> import numpy as np
    >>> import lkcourse as lk
    >>> X, y, coef = lk.datasets.sparse_regression(60, 8, 3, correlation=0.0, noise=0.1, rng=0)
    >>> ex = lk.path_explorer(X, y, "lasso")
    >>> ex.set(lam=ex.grids["lam"][0])    # lam_max: every coefficient is zero
    >>> bool(np.all(ex.data["coef"] == 0))
    True
    """
    owner = "path_explorer"
    X = check_array(X, "X", owner, ndim=2)
    y = check_array(y, "y", owner, ndim=1)
    check_same_length(X, y, "X", "y", owner)
    kinds = (kind,) if isinstance(kind, str) else tuple(kind)
    if not kinds:
        fail("kind", owner, "a kind name or a non-empty sequence of them", kind)
    kinds = tuple(check_choice(kd, "kind", owner, list(_KINDS)) for kd in kinds)
    n, p = X.shape
    if lams is None:
        lam_max = np.max(np.abs((X - X.mean(0)).T @ (y - y.mean()))) / n
        lams = tuple(float(v) for v in np.geomspace(lam_max, lam_max * 1e-3, 16))
    lams = tuple(sorted(_grid(lams, "lams", owner, low=0, low_open=True), reverse=True))
    if coef_true is not None:
        coef_true = check_array(coef_true, "coef_true", owner, ndim=1)
        if coef_true.shape != (p,):
            fail("coef_true", owner, f"an array of shape ({p},)", coef_true)
    paths = {}

    def path(kd):
        if kd not in paths:
            paths[kd] = compute_path(X, y, kd, lams)
        return paths[kd]

    top = max(np.abs(path(kd)).max() for kd in kinds)
    if coef_true is not None:
        top = max(top, np.abs(coef_true).max())
    top *= 1.1
    idx = np.arange(1, p + 1)

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2)
        lines = [ax1.plot([], [], lw=1.4)[0] for _ in range(p)]
        vline = ax1.axvline(lams[0], color="k", lw=1.2)
        ax1.axhline(0, color="0.6", lw=0.8)
        lo, hi = min(lams), max(lams)
        ax1.set_xlim(lo / 2 if lo == hi else lo, hi * 2 if lo == hi else hi)  # before log
        ax1.set_xscale("log")
        ax1.set(ylim=(-top, top), xlabel="λ (log scale)", ylabel="coefficient")
        bars = ax2.bar(idx, np.zeros(p), color=[f"C{i % 10}" for i in range(p)])
        if coef_true is not None:
            ax2.plot(idx, coef_true, "k_", ms=12, mew=2, label="true")
            ax2.legend(fontsize=8)
        ax2.axhline(0, color="0.6", lw=0.8)
        ax2.set(ylim=(-top, top), xlabel="feature", ylabel="coefficient")
        if p <= 20:
            ax2.set_xticks(idx)
        return lines, vline, bars, fig.suptitle("")

    once = _Once(setup)

    def draw(fig, data, lam, **kw):
        lines, vline, bars, title = once(fig)
        for j, line in enumerate(lines):
            line.set_data(lams, data["path"][:, j])
        vline.set_xdata([lam, lam])
        for bar, c in zip(bars, data["coef"]):
            bar.set_height(c)
        name = kw.get("kind", kinds[0])
        zeros = int(np.sum(data["coef"] == 0))
        title.set_text(f"{name}, {_lam_text(lam)}: {zeros} of {p} coefficients exactly 0")
        return [*lines, vline, *bars, title]

    controls = {"lam": lams}
    if len(kinds) > 1:
        controls["kind"] = kinds

    def compute(lam, kind=kinds[0]):
        P = path(kind)
        return {"path": P, "coef": P[lams.index(lam)]}

    start = {"lam": lams[len(lams) // 2]}
    start.update(initial or {})
    return Explorer(compute, draw, controls, initial=start,
                    labels={"lam": LAM, **({"kind": "penalty"} if len(kinds) > 1 else {})},
                    title="Regularization path")


# -------------------------------------------------------------------- boundary
def compute_boundary(lam, dropout, X, y, *, hidden=(32, 32), activation="relu",
                     epochs=300, lr=0.01, seed=0, grid=(-2.0, 3.0, -1.5, 2.0),
                     grid_size=60, test=None):
    """Train an MLP (binary cross-entropy, Adam, penalty ``L2(lam)`` on the weights) and
    return its predicted probability on a grid.

    The same ``seed`` is used for every (lam, dropout), so only they differ. Returns a
    dict with ``prob`` (grid_size x grid_size, rows along the second input), ``extent``
    (x0 min, x0 max, x1 min, x1 max), ``train_acc``, ``test_acc`` (None without
    ``test=(X_test, y_test)``) and ``weight_norm`` (the sum of squared weights, biases
    excluded).
    """
    model = _nn.MLP([X.shape[1], *hidden, 1], activation, dropout=dropout, rng=seed)
    penalty = _pen.L2(lam) if lam > 0 else None
    _training.train(model, X, y, optimizer=_optim.Adam(lr), loss="bce", penalty=penalty,
                    epochs=epochs, rng=seed)
    x0 = np.linspace(grid[0], grid[1], grid_size)
    x1 = np.linspace(grid[2], grid[3], grid_size)
    g0, g1 = np.meshgrid(x0, x1)
    logits = model.predict(np.column_stack([g0.ravel(), g1.ravel()]))
    prob = _act.activation("sigmoid").f(logits).reshape(grid_size, grid_size)

    def accuracy(Xa, ya):
        return float(np.mean((model.predict(Xa) > 0) == (ya == 1)))

    norm = float(sum(np.sum(v ** 2) for name, v in model.params.items()
                     if name.startswith("W")))
    return {"prob": prob, "extent": tuple(grid), "train_acc": accuracy(X, y),
            "test_acc": None if test is None else accuracy(*test), "weight_norm": norm}


def boundary_explorer(X, y, *, lams=(0.0, 1e-3, 1e-2), dropouts=(0.0, 0.2, 0.5),
                      hidden=(32, 32), activation="relu", epochs=300, lr=0.01,
                      X_test=None, y_test=None, rng=0, grid_size=60, initial=None):
    r"""Explore the decision boundary of a trained MLP vs lam (L2) and dropout.

    One network per grid point is trained (full batch, Adam, binary cross-entropy) the
    first time it is shown; all of them when the static twin is built. Left: the
    predicted probability, the 0.5 boundary and the points; right: training (and test)
    accuracy and the sum of squared weights.

    Parameters
    ----------
    X : 2-D array (n, 2)
    y : 1-D array of 0/1 labels
    lams, dropouts : sequences of float (lam >= 0, 0 <= dropout < 1)
    hidden : sequence of int
        Hidden layer sizes.
    activation : str
    epochs : int >= 1
    lr : float > 0
    X_test, y_test : arrays, optional
    rng : None, int or numpy.random.Generator
        Seeds the one seed shared by every training.
    grid_size : int >= 10
    initial : dict, optional

    Returns
    -------
    Explorer
    """
    owner = "boundary_explorer"
    X = check_array(X, "X", owner, ndim=2)
    y = check_array(y, "y", owner, ndim=1)
    check_same_length(X, y, "X", "y", owner)
    if X.shape[1] != 2:
        fail("X", owner, "an array with 2 columns (a 2-D input)", X)
    lams = _grid(lams, "lams", owner, low=0)
    dropouts = _grid(dropouts, "dropouts", owner, low=0)
    for d in dropouts:
        check_real(d, "dropouts", owner, low=0, high=1, high_open=True)
    epochs = check_real(epochs, "epochs", owner, low=1, integer=True)
    lr = check_real(lr, "lr", owner, low=0, low_open=True)
    grid_size = check_real(grid_size, "grid_size", owner, low=10, integer=True)
    seed = int(check_rng(rng, owner).integers(2**31))
    test = None
    if X_test is not None:
        X_test = check_array(X_test, "X_test", owner, ndim=2)
        y_test = check_array(y_test, "y_test", owner, ndim=1)
        check_same_length(X_test, y_test, "X_test", "y_test", owner)
        test = (X_test, y_test)
    pts = X if test is None else np.vstack([X, X_test])
    lo, hi = pts.min(0), pts.max(0)
    pad = 0.15 * (hi - lo)
    box = (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])
    def compute(lam, dropout):
        return compute_boundary(lam, dropout, X, y, hidden=tuple(hidden),
                                activation=activation, epochs=epochs, lr=lr, seed=seed,
                                grid=box, grid_size=grid_size, test=test)

    def setup(fig):
        ax, ax2 = fig.subplots(1, 2, width_ratios=[1.5, 1])
        img = ax.imshow(np.zeros((grid_size, grid_size)), origin="lower", extent=box,
                        cmap="RdBu_r", vmin=0, vmax=1, alpha=0.55, aspect="auto",
                        interpolation="bilinear")
        for label, color in ((0, "C0"), (1, "C3")):
            m = y == label
            ax.scatter(X[m, 0], X[m, 1], s=10, color=color, edgecolors="white",
                       linewidths=0.4, label=f"train, class {label}")
            if test is not None:
                mt = y_test == label
                ax.scatter(X_test[mt, 0], X_test[mt, 1], s=12, facecolors="none",
                           edgecolors=color, linewidths=0.8)
        ax.set(xlim=box[:2], ylim=box[2:], xlabel="$x_1$", ylabel="$x_2$")
        names = ["train acc"] + (["test acc"] if test is not None else [])
        bars = ax2.bar(names, np.zeros(len(names)), color=["C0", "C1"][:len(names)])
        ax2.set(ylim=(0.5, 1.0), ylabel="accuracy")
        labels = [ax2.text(i, 0.51, "", ha="center", va="bottom", fontsize=9)
                  for i in range(len(names))]
        state = {"contour": None, "points": list(ax.collections)}
        return ax, img, bars, labels, state, fig.suptitle("")

    once = _Once(setup)

    def draw(fig, data, lam, dropout):
        ax, img, bars, labels, state, title = once(fig)
        img.set_data(data["prob"])
        if state["contour"] is not None:
            state["contour"].remove()
        x0 = np.linspace(box[0], box[1], grid_size)
        x1 = np.linspace(box[2], box[3], grid_size)
        state["contour"] = ax.contour(x0, x1, data["prob"], levels=[0.5], colors="k",
                                      linewidths=1.5)
        accs = [data["train_acc"]] + ([data["test_acc"]] if test is not None else [])
        for bar, lab, a in zip(bars, labels, accs):
            bar.set_height(a)
            lab.set_text(f"{a:.3f}")
        title.set_text(f"{_lam_text(lam)}, dropout {format_value(dropout)}: "
                       f"sum of squared weights {data['weight_norm']:.3g}")
        # the points lie on the changing image, so they are redrawn over it
        return [img, state["contour"], *state["points"], *bars, *labels, title]

    return Explorer(compute, draw, {"lam": lams, "dropout": dropouts}, initial=initial,
                    labels={"lam": LAM}, colors=128,
                    title="Decision boundary of a trained network")
