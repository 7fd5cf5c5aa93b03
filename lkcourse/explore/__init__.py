r"""Explorers: one notebook cell, a live widget in Jupyter and a static twin in the book.

An explorer is a pure ``compute`` function plus a ``draw`` function over named
parameters, each with a finite grid of values::

    ex = lk.Explorer(compute, draw, {"k": [0.5, 1, 2, 3], "lam": [0.1, 0.5, 1.0]},
                     initial={"k": 2, "lam": 0.5}, labels={"lam": "λ"})
    ex          # the last expression of a cell

How one cell serves two readers
-------------------------------
``ex._repr_mimebundle_()`` returns one MIME bundle with four entries:

- ``application/vnd.jupyter.widget-view+json``: the model id of an ipywidgets box
  (sliders, dropdowns and an ``ipywidgets.Image``), exactly what an ipywidgets object
  itself returns. JupyterLab prefers this entry and shows the live widget.
- ``text/html``: the *static twin*, a self-contained ``<div>``: the figure rendered for
  every point of the grid (base64 PNG frames embedded in the page), one
  ``<input type="range">`` per numeric control (a ``<select>`` per string control), a
  readout of the current values and a few lines of inline JavaScript that swap the
  image. No external script, no network, no kernel. The book's ``_config.yml`` gives
  the widget view and ``application/javascript`` a null priority for the html builder
  (``nb_mime_priority_overrides``) and loads no widget JavaScript
  (``nb_ipywidgets_js: {}``), so myst-nb falls through to ``text/html``.
- ``image/png``: the frame of the current values when the explorer is displayed, a
  static figure for builders that can show neither a widget nor HTML. Jupyter Book's LaTeX/PDF builder ranks
  ``image/png`` first among the entries it knows (myst-nb's default priority for
  ``latex``: ``application/pdf``, ``image/png``, ``image/jpeg``, ``text/latex``, ...; it
  does not list ``text/html`` or the widget view), so the PDF shows this figure. The
  html builder ranks ``text/html`` above ``image/png`` and shows the twin.
- ``text/plain``: a one-line summary for consoles.

During the book build nbclient records the widget's state (one frame) and myst-nb
embeds it as an inert ``<script type="application/vnd.jupyter.widget-state+json">``
(20-60 kB per page); with no widget JavaScript loaded nothing reads it.

Code layout
-----------
This package holds the :class:`Explorer` (``lkcourse.explore.explorer``: state,
validation, display) and three collaborators: ``lkcourse.explore.frames`` (the frame cache: compute results,
the persistent figure, blitting and encoded frames), ``lkcourse.explore.twin``
(the static HTML/JS twin) and ``lkcourse.explore.widget`` (the ipywidgets box);
``lkcourse.explore.controls`` validates and formats control values.

Live path (the widget)
----------------------
- ``compute(**values)`` must be pure: its result is cached per value tuple, so a slider
  revisits a setting instantly.
- ``draw(fig, data, **values)`` draws on one persistent :class:`matplotlib.figure.Figure`
  (created directly, never through pyplot, so nothing leaks into the cell's inline
  output and no global state changes). The figure is never recreated: ``draw`` should
  create its axes once (``fig.axes or fig.subplots(...)``) and then update artists in
  place, and should fix axis limits so that frames are comparable.
- The layout is computed once (constrained layout, on the first frame) and then frozen,
  so the axes do not jump between frames.
- Blitting (optional, 3-5x faster frames): if ``draw`` returns the list of artists it
  changed, everything else is rendered once as a background and each frame only
  restores that background and draws the returned artists on top (in z-order). Then
  ``draw`` must change nothing else after the first frame (fixed limits and ticks);
  an artist it creates anew (a contour set) is simply returned too. Legends are always
  redrawn on top, as in a full render. If ``draw`` returns None the whole figure is
  rendered for every frame.
- On a control change the explorer recomputes (cached), redraws the same figure, renders
  it with Agg and swaps the ``ipywidgets.Image`` value: the image element stays, no
  flicker. Encoded frames are cached per value tuple and shared with the static twin,
  so once the twin exists (it is built at display time) every move is a dictionary
  look-up (under a millisecond); a first visit costs one render (15-70 ms on one
  core of a small CI machine with blitting, 70-120 ms without).
  ipywidgets is imported only when :meth:`Explorer.widget` builds the widget; without it the bundle simply
  lacks the widget entry. Outside a kernel (plain Python, nbclient during the book
  build) ipywidgets still builds the widget on a dummy or recorded comm, harmlessly.

Static twin (the book)
----------------------
Every grid point is computed and drawn once, rendered at ``dpi`` and encoded as a
palette PNG (``colors`` colours via Pillow ``quantize``: a third to a quarter of a
full-colour PNG, and as fast to encode) or as lossy WebP (``image_format="webp"``).
A 700 x 350 px line plot costs 6-15 kB, so a 40-frame explorer adds about 0.5 MB to
its page; the constructor refuses grids larger than ``max_frames`` (default 120).
Rendering costs 20-50 ms per frame with blitting (70-120 ms without), paid once when
the cell is displayed (a 42-frame explorer: about 1 s). Set the
environment variable ``LKCOURSE_EXPLORER_TWIN=0`` in an interactive session to skip
the twin (the widget then renders frames on demand); the book build must leave it
unset.

The image carries alt text naming the current values, the controls are native form
elements (keyboard accessible: arrows, Home, End) with labels, and each twin has a
unique id so several can share a page. The twin's text contains no TeX delimiters, so
MathJax leaves it alone.
"""
from __future__ import annotations

from .controls import format_value  # noqa: F401  (the explorers import it from here)
from .explorer import WIDGET_VIEW_MIME, Explorer  # noqa: F401

__all__ = ["Explorer"]  # format_value and WIDGET_VIEW_MIME: importable here, not exported
