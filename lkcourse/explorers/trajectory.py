"""Explorer of one weight's gradient (or proximal) steps under an Lk penalty (chapter 4)."""
from __future__ import annotations

import numpy as np

from .. import penalties as _pen
from .._validation import check_choice, check_real, fail
from ..dynamics import simulate_weight
from ..explore import Explorer, format_value
from ._common import Once, check_grid, lam_text


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
        The k slider's values (the exponent of the penalty).
    lrs : sequence of float > 0
        The learning-rate slider's values.
    lam : float >= 0
        The penalty strength, fixed.
    w0 : float
        Starting weight (not 0).
    steps : int >= 1
        Number of steps drawn.
    method : {"gd", "prox"}
        Passed to :func:`~lkcourse.simulate_weight`.
    initial : dict, optional
        Starting values, e.g. ``{"k": 0.5, "lr": 0.1}``.

    Returns
    -------
    Explorer
        Controls ``k`` and ``lr``; ``ex.data`` is ``compute_trajectory``'s dict
        (``t``, ``w``, ``flips``).

    Examples
    --------
    >>> import lkcourse as lk
    >>> ex = lk.trajectory_explorer(ks=[0.5, 2], lrs=[0.1], steps=60)
    >>> ex.set(k=0.5)
    >>> ex.data["flips"] > 10
    True
    """
    owner = "trajectory_explorer"
    ks = check_grid(ks, "ks", owner, low=0, low_open=True)
    lrs = check_grid(lrs, "lrs", owner, low=0, low_open=True)
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

    once = Once(setup)

    def draw(fig, data, k, lr):
        line1, line2, note, title = once(fig)
        t, w = data["t"], data["w"]
        line1.set_data(t, np.clip(w, -1.15 * abs(w0), 1.15 * abs(w0)))
        line2.set_data(t, np.clip(np.abs(w), floor, None))
        note.set_text(f"sign flips: {data['flips']}\n|w_{steps}| = {abs(w[-1]):.2g}")
        title.set_text(f"L{format_value(k)}, {lam_text(lam)}, learning rate "
                       f"{format_value(lr)}: {method} steps from w0 = {format_value(w0)}")
        return [line1, line2, note, title]

    def compute(k, lr):
        return compute_trajectory(k, lr, lam=lam, w0=w0, steps=steps, method=method)

    return Explorer(compute, draw, {"k": ks, "lr": lrs}, initial=initial,
                    labels={"lr": "learning rate"}, title="One weight under Lk steps")
