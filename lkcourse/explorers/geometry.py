"""Explorer of the geometry of penalized least squares in 2-D: loss ellipses meet the
ball of k (chapters 3 and 4)."""
from __future__ import annotations

import numpy as np

from .. import linear as _linear
from .. import penalties as _pen
from .._validation import check_array, fail
from ..explore import Explorer, format_value
from ._common import LAM, Once, check_grid, lam_text


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
        The k control's values (the exponent of the penalty).
    lams : sequence of float >= 0
        The lam slider's values.
    A : 2 x 2 symmetric positive definite array
        The curvature of the quadratic loss (its level sets are the ellipses).
    center : 2 floats
        The unpenalized minimizer c.
    initial : dict, optional
        Starting values, e.g. ``{"k": 1, "lam": 0.5}`` (k = 1 shows the corner
        solution).

    Returns
    -------
    Explorer
        Controls ``k`` and ``lam``; ``ex.data`` is ``compute_geometry``'s dict
        plus ``path`` (the minimizer over a dense grid of lam).

    Examples
    --------
    >>> import lkcourse as lk
    >>> ex = lk.geometry_explorer(ks=[1, 2], lams=[0.7])
    >>> ex.set(k=1)
    >>> float(ex.data["w"][1])       # L1: an exact zero
    0.0
    """
    owner = "geometry_explorer"
    ks = check_grid(ks, "ks", owner, low=0, low_open=True)
    lams = check_grid(lams, "lams", owner, low=0)
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

    once = Once(setup)

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
        title.set_text(f"k = {format_value(k)}, {lam_text(lam)}: "
                       f"w* = ({w[0]:.3f}, {w[1]:.3f}){zeros}")
        return [ball, ell, trail, dot, c1, c2, vline, title]

    def compute(k, lam):
        out = compute_geometry(k, lam, A=A, center=center)
        out["path"] = path(k)
        return out

    return Explorer(compute, draw, {"k": ks, "lam": lams}, initial=initial,
                    labels={"lam": LAM}, title="Loss ellipses meet the ball of k")
