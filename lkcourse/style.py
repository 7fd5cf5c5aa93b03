"""The course's figure style: figures drawn at the size the book shows them.

A matplotlib point is a CSS point when the figure is no wider than the book's content
column: the style draws at 96 dots per inch (the CSS pixel), so a 7-inch figure is 672
CSS pixels, shown unscaled in the content column of a desktop browser (about 690 px at a
1280 px window, 757 px at 1366 px), and 9-point tick labels read as 9-point text there.
In Jupyter the figures are stored at twice that resolution and shown at half their
pixel size (IPython's "retina" PNG), so they stay sharp at 2x zoom and on high-density
screens.

The figure-size rule for chapter authors (README, "Writing a chapter"):

- one panel: the default, ``FIGSIZE`` (6 x 3.75 in);
- at most ``MAX_WIDTH`` (7 in) wide: wider figures are shrunk to the column and their
  text with them;
- two panels side by side: ``plt.subplots(1, 2, figsize=(7, 3.2))``; four panels as a
  2 x 2 grid, ``plt.subplots(2, 2, figsize=(7, 5.6))``, never a row of four;
- no text smaller than ``MIN_FONT_PT`` (9 pt): no ``fontsize=7`` insets, no
  ``"small"``/``"x-small"`` legends.

Nothing here runs on import: :func:`use_style` changes matplotlib's global settings only
when called (once, in a notebook's first cell), and :func:`style_context` applies the same
settings inside a ``with`` block only.
"""
from __future__ import annotations

import contextlib

__all__ = ["use_style", "style_context", "STYLE", "FIGSIZE", "MAX_WIDTH", "MIN_FONT_PT"]

#: the widest figure, in inches, that the book shows unscaled on a desktop
MAX_WIDTH = 7.0
#: the default (one-panel) figure size, in inches
FIGSIZE = (6.0, 3.75)
#: no figure text is smaller than this, in points (at 96 dpi: CSS points)
MIN_FONT_PT = 9.0

#: the rcParams of the course style (plain data, checked by tests/test_style.py)
STYLE = {
    "figure.dpi": 96,                      # 1 inch = 96 CSS px: 1 pt = 1 CSS pt
    "figure.figsize": FIGSIZE,
    "savefig.dpi": 192,                    # files written with savefig: 2x, sharp
    "font.size": 10.5,
    "axes.titlesize": 11,
    "axes.labelsize": 10.5,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "legend.fontsize": 9.5,
    "legend.title_fontsize": 9.5,
    "figure.titlesize": 11.5,
    "lines.linewidth": 1.75,
    "lines.markersize": 5.5,
    "axes.linewidth": 0.9,
    "grid.linewidth": 0.6,
    "legend.framealpha": 0.9,
    # a white background, also in the dark mode of the HTML book and of JupyterLab:
    # axis labels are drawn in black, so a transparent figure would vanish there
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}


def _retina():
    """Ask IPython (when running inside it) for pixel-doubled PNG figures."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - matplotlib-inline ships with ipykernel
        return False
    set_matplotlib_formats("retina")
    return True


def use_style():
    """Apply the course's figure style to every later figure (call it once per notebook).

    Sets matplotlib's rcParams to :data:`STYLE` and, inside IPython/Jupyter, switches
    inline figures to "retina" PNGs (twice the pixels, shown at the drawn size). This is
    the one function of ``lkcourse`` that changes matplotlib's global settings, and only
    when called; use :func:`style_context` to confine the settings to a block.

    Returns
    -------
    dict
        The rcParams that were set (a copy of :data:`STYLE`).

    Examples
    --------
    >>> import matplotlib as mpl
    >>> import lkcourse as lk
    >>> with mpl.rc_context():           # keep the doctest's settings unchanged
    ...     _ = lk.use_style()
    ...     float(mpl.rcParams["xtick.labelsize"]) >= lk.MIN_FONT_PT
    True
    """
    import matplotlib as mpl

    mpl.rcParams.update(STYLE)
    _retina()
    return dict(STYLE)


@contextlib.contextmanager
def style_context():
    """The course's figure style inside a ``with`` block only (no global change).

    Yields
    ------
    None
        Inside the block, matplotlib's rcParams hold :data:`STYLE`; on leaving it they
        are restored.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> import lkcourse as lk
    >>> with lk.style_context():
    ...     mpl.rcParams["figure.dpi"]
    96.0
    """
    import matplotlib as mpl

    with mpl.rc_context(STYLE):
        yield
