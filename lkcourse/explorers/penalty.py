"""Explorer of the Lk penalty of one weight and its derivative (chapter 4)."""
from __future__ import annotations

import numpy as np

from .. import penalties as _pen
from .._validation import check_real
from ..explore import Explorer, format_value
from ._common import LAM, Once, check_grid, lam_text


def compute_penalty(k, lam, *, w_max=2.0, n=401):
    r"""Penalty :math:`\lambda|w|^k` of one weight and its derivative on a grid of w.

    Returns a dict with ``w`` (n points in [-w_max, w_max]), ``value`` and ``grad``
    (from :class:`~lkcourse.Lk`: ``value`` of each single weight, ``grad`` the
    minimum-norm (sub)gradient, 0 at w = 0), and ``ref``: the same for k = 1 and 2.
    """
    w = np.linspace(-w_max, w_max, n)

    def curves(kk):
        p = _pen.Lk(kk, lam)
        with np.errstate(over="ignore", invalid="ignore"):
            return p._entrywise(w), p.grad(w)  # value(np.array([wi])) of each wi

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
        The k slider's values (the exponent).
    lams : sequence of float >= 0
        The lam slider's values (the strength).
    w_max : float > 0
        Half-width of the w axis.
    initial : dict, optional
        Starting values, e.g. ``{"k": 2, "lam": 1.0}`` (default: the first of each grid).

    Returns
    -------
    Explorer
        Controls ``k`` and ``lam``; ``ex.data`` is ``compute_penalty``'s dict.

    Examples
    --------
    >>> import lkcourse as lk
    >>> ex = lk.penalty_explorer(ks=[1, 2], lams=[0.5, 1.0])
    >>> ex.set(k=2, lam=1.0)
    >>> float(ex.figure.axes[0].lines[0].get_ydata()[-1])   # 1.0 * 2**2
    4.0
    """
    owner = "penalty_explorer"
    ks = check_grid(ks, "ks", owner, low=0, low_open=True)
    lams = check_grid(lams, "lams", owner, low=0)
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

    once = Once(setup)

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
        title.set_text(f"L{format_value(k)} penalty, {lam_text(lam)}")
        return [line1, line2, legend, title, *(a for pair in refs.values() for a in pair)]

    def compute(k, lam):
        return compute_penalty(k, lam, w_max=w_max)

    return Explorer(compute, draw, {"k": ks, "lam": lams}, initial=initial,
                    labels={"lam": LAM}, title="Lk penalty and its derivative")
