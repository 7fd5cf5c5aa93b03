"""What every ready-made explorer shares: grid checks, the lam label, a per-figure setup.

Each explorer validates its grids with :func:`check_grid`, labels lam with
``LAM`` and ``lam_text``, and builds its artists once per figure with
:class:`Once` (its ``draw`` then only updates them and returns them for blitting).
"""
from __future__ import annotations

from .._validation import check_real, fail
from ..explore.controls import format_value

LAM = "λ"


def check_grid(values, name, owner, *, low=None, low_open=False, integer=False):
    """Check a grid of numbers; return a tuple of Python floats (or ints)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        fail(name, owner, "a non-empty sequence of numbers", values)
    out = tuple(check_real(v, name, owner, low=low, low_open=low_open, integer=integer)
                for v in values)
    if not out:
        fail(name, owner, "a non-empty sequence of numbers", values)
    return out


def lam_text(lam):
    """``"λ = 0.01"``: the lam readout used in every title."""
    return f"{LAM} = {format_value(lam)}"


class Once:
    """Per-figure artist store: ``setup(fig)`` runs on the first draw on a figure.

    ``once = Once(setup)``; then ``once(fig)`` returns what ``setup(fig)`` returned
    for that figure (the artists that ``draw`` updates in place).
    """

    def __init__(self, setup):
        self.setup, self.fig, self.art = setup, None, None

    def __call__(self, fig):
        if self.fig is not fig:
            self.fig, self.art = fig, self.setup(fig)
        return self.art
