"""Explorer of a penalty of one weight and its derivative (chapter 4): the Lk family,
or any penalties."""
from __future__ import annotations

import numpy as np

from .. import penalties as _pen
from .._validation import check_real, fail
from ..explore import Explorer, format_value
from ..penalty_base import as_penalty
from ._common import LAM, Once, check_grid, lam_text


def compute_curves(penalty, *, w_max=2.0, n=401):
    r"""Any penalty of one weight and its derivative on a grid of w.

    Returns ``(value, grad)`` on ``np.linspace(-w_max, w_max, n)``: ``value`` of each
    single weight (``penalty.entrywise``) and ``grad`` the (sub)gradient. ``penalty``
    is any penalty object (adapted with :func:`~lkcourse.as_penalty`).
    """
    p = as_penalty(penalty, "compute_curves", needs=("value", "grad"))
    w = np.linspace(-w_max, w_max, n)
    with np.errstate(over="ignore", invalid="ignore"):
        return p.entrywise(w), p.grad(w)


def compute_penalty(k, lam, *, w_max=2.0, n=401):
    r"""Penalty :math:`\lambda|w|^k` of one weight and its derivative on a grid of w.

    Returns a dict with ``w`` (n points in [-w_max, w_max]), ``value`` and ``grad``
    (from :class:`~lkcourse.Lk`: ``value`` of each single weight, ``grad`` the
    minimum-norm (sub)gradient, 0 at w = 0), and ``ref``: the same for k = 1 and 2.
    ``k`` may also be a penalty object (``lam`` is then not used for it).
    """
    w = np.linspace(-w_max, w_max, n)
    main = k if not isinstance(k, (int, float, np.number)) else _pen.Lk(k, lam)
    value, grad = compute_curves(main, w_max=w_max, n=n)
    return {"w": w, "value": value, "grad": grad,
            "ref": {1.0: compute_curves(_pen.Lk(1.0, lam), w_max=w_max, n=n),
                    2.0: compute_curves(_pen.Lk(2.0, lam), w_max=w_max, n=n)}}


def penalty_explorer(ks=(0.5, 1, 1.5, 2, 3, 4), lams=(0.25, 0.5, 1.0, 2.0), *,
                     penalties=None, w_max=2.0, initial=None):
    r"""Explore a penalty of one weight and its derivative vs its kind and lam.

    Left: the penalty of one weight; right: its derivative (minimum-norm subgradient,
    0 at 0). L1 and L2 are drawn dashed for reference. The y-limits are those of L2
    at the largest lam. By default the penalties are the Lk family
    :math:`\lambda|w|^k` (a ``k`` slider): larger k leave the panel at the edges and
    k < 1 blows up at 0. With ``penalties``, any penalties (a ``penalty`` menu).

    Parameters
    ----------
    ks : sequence of float > 0
        The k slider's values (the exponent), without ``penalties``.
    lams : sequence of float >= 0
        The lam slider's values (the strength).
    penalties : dict of str to callable, optional
        Name -> ``lam -> penalty`` (a penalty class such as ``lk.L1``, or any callable
        returning a penalty object, registered or not); replaces the Lk family.
    w_max : float > 0
        Half-width of the w axis.
    initial : dict, optional
        Starting values, e.g. ``{"k": 2, "lam": 1.0}`` (default: the first of each grid).

    Returns
    -------
    Explorer
        Controls ``k`` (or ``penalty``) and ``lam``; ``ex.data`` is
        ``compute_penalty``'s dict.

    Examples
    --------
    >>> import lkcourse as lk
    >>> ex = lk.penalty_explorer(ks=[1, 2], lams=[0.5, 1.0])
    >>> ex.set(k=2, lam=1.0)
    >>> float(ex.figure.axes[0].lines[0].get_ydata()[-1])   # 1.0 * 2**2
    4.0
    >>> ex = lk.penalty_explorer(lams=[1.0], penalties={"L0": lk.L0, "L1": lk.L1})
    >>> ex.set(penalty="L1", lam=1.0)
    >>> float(ex.figure.axes[0].lines[0].get_ydata()[-1])   # 1.0 * |2|
    2.0
    """
    owner = "penalty_explorer"
    lams = check_grid(lams, "lams", owner, low=0)
    if penalties is not None:
        if (not isinstance(penalties, dict) or not penalties
                or not all(isinstance(k, str) and callable(f) for k, f in penalties.items())):
            fail("penalties", owner, "None or a non-empty dict name -> (lam -> penalty)",
                 penalties)
        for name, make in penalties.items():
            try:
                as_penalty(make(lams[0]), owner, needs=("value", "grad"))
            except Exception:
                fail("penalties", owner, "a dict name -> callable lam -> penalty object "
                     f"(entry {name!r} does not build one)", penalties)
        controls = {"penalty": tuple(penalties), "lam": lams}

        def make(name, lam):
            return penalties[name](lam)
    else:
        controls = {"k": check_grid(ks, "ks", owner, low=0, low_open=True), "lam": lams}
        make = None
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
                ylabel=r"penalty $\lambda|w|^k$" if make is None else "penalty $R(w)$")
        ax2.set(xlim=(-w_max, w_max), ylim=(-slope, slope), xlabel="weight w",
                ylabel=(r"derivative $\lambda k\,\mathrm{sign}(w)|w|^{k-1}$"
                        if make is None else "derivative $R'(w)$"))
        for ax in (ax1, ax2):
            ax.axhline(0, color="0.8", lw=0.8, zorder=0)
            ax.axvline(0, color="0.8", lw=0.8, zorder=0)
        ax1.legend(loc="upper center", fontsize=9)
        title = fig.suptitle("")
        return main, refs, title

    once = Once(setup)

    def draw(fig, data, lam, k=None, penalty=None):
        (line1, line2), refs, title = once(fig)
        w = data["w"]
        line1.set_data(w, data["value"])
        line2.set_data(w, data["grad"])
        line1.set_label(f"k = {format_value(k)}" if penalty is None else penalty)
        for kk, (r1, r2) in refs.items():
            r1.set_data(w, data["ref"][kk][0])
            r2.set_data(w, data["ref"][kk][1])
            r1.set_visible(kk != k)  # no dashed twin under the current curve
            r1.set_label(f"k = {kk:g}" if kk != k else "_hidden")
            r2.set_visible(kk != k)
        legend = fig.axes[0].legend(loc="upper center", fontsize=9)
        shown = f"L{format_value(k)}" if penalty is None else penalty
        title.set_text(f"{shown} penalty, {lam_text(lam)}")
        return [line1, line2, legend, title, *(a for pair in refs.values() for a in pair)]

    def compute(lam, k=None, penalty=None):
        return compute_penalty(k if make is None else make(penalty, lam), lam, w_max=w_max)

    title = "Lk penalty and its derivative" if make is None else "Penalty and its derivative"
    return Explorer(compute, draw, controls, initial=initial, labels={"lam": LAM},
                    title=title)
