"""Explorer of an activation function and its derivative, chosen by name (chapter 6)."""
from __future__ import annotations

import numpy as np

from .. import activations as _act
from .._validation import check_choice, check_real, fail
from ..explore import Explorer
from ._common import Once


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
        Half-width of the z axis.
    initial : dict, optional
        The activation shown first, e.g. ``{"name": "gelu"}``.

    Returns
    -------
    Explorer
        One control, ``name``; ``ex.data`` holds ``z``, ``f`` and ``df``.

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

    once = Once(setup)

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
