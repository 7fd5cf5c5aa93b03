"""The :class:`Explorer`: one notebook cell, a live widget in Jupyter and a static twin
in the book (see :mod:`lkcourse.explore` for how one cell serves both readers)."""
from __future__ import annotations

import itertools
import os

import numpy as np

from .._validation import InvalidParameterError, check_choice, check_real, fail
from .controls import OWNER as _OWNER
from .controls import check_controls, check_values, format_value
from .frames import FrameCache
from .twin import build_html
from .widget import ExplorerWidget

__all__ = ["Explorer"]

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
_TWIN_ENV = "LKCOURSE_EXPLORER_TWIN"


class Explorer:
    r"""A figure over a grid of parameter values: ipywidgets in Jupyter, a static twin in HTML.

    Parameters
    ----------
    compute : callable
        ``compute(**values) -> data``, pure (same values, same data); called once per grid
        point at most (results are cached).
    draw : callable
        ``draw(fig, data, **values)``: draws ``data`` on the persistent figure ``fig``
        (create axes once, update artists in place, keep axis limits fixed). It may
        return the artists it changed, which turns on blitting (see the module notes).
    controls : dict
        Parameter name -> non-empty sequence of distinct values, all numbers (a slider
        over exactly these values) or all strings (toggle buttons, or a dropdown for
        more than five). The order of the dict is the order of the controls.
    initial : dict, optional
        Starting value of some controls (each must be in its grid); the others start at
        their first value.
    title : str, optional
        A heading shown above the controls.
    labels : dict, optional
        Display label per parameter name, e.g. ``{"lam": "λ"}``.
    alt : str or callable, optional
        Alt text of the image: a format string with the parameter names as fields
        (``"Penalty with k = {k}"``) or a function of the values. Default: the title (or
        "Explorer figure") followed by the current values.
    figsize : tuple of float, default (7, 3.5)
        Figure size in inches.
    dpi : int, default 100
        Pixels per inch of the images (700 x 350 px by default).
    image_format : {"png", "webp"}, default "png"
        Encoding of the static twin's frames.
    colors : int or None, default 64
        Palette size of the twin's PNG frames (2..256); None keeps full colour.
    max_frames : int, default 120
        Upper bound on the grid size, which bounds the page weight.

    Attributes
    ----------
    names : tuple of str
        The parameter names, in control order.
    grids : dict
        Parameter name -> tuple of its values.

    Raises
    ------
    InvalidParameterError
        For a bad ``controls`` grid, an ``initial`` value outside its grid, or a grid
        with more than ``max_frames`` points.

    Examples
    --------
    >>> import numpy as np
    >>> import lkcourse as lk
    >>> x = np.linspace(-1, 1, 50)
    >>> def compute(p):
    ...     return x ** p
    >>> def draw(fig, data, p):
    ...     ax = fig.axes[0] if fig.axes else fig.add_subplot()
    ...     if not ax.lines:
    ...         ax.plot(x, data)
    ...         ax.set_ylim(-1.1, 1.1)
    ...     ax.lines[0].set_ydata(data)
    ...     ax.set_title(f"x ** {p}")
    >>> ex = lk.Explorer(compute, draw, {"p": [1, 2, 3]}, initial={"p": 2})
    >>> ex.values
    {'p': 2}
    >>> ex.set(p=3)
    >>> bool(np.array_equal(ex.figure.axes[0].lines[0].get_ydata(), x ** 3))
    True
    >>> len(ex.frames())
    3
    >>> ex.to_html().count("<input type=\"range\"")
    1
    >>> bundle = ex._repr_mimebundle_()      # what Jupyter and the book builders get
    >>> "text/html" in bundle, bundle["image/png"][:4]
    (True, b'\x89PNG')
    """

    def __init__(self, compute, draw, controls, *, initial=None, title=None, labels=None,
                 alt=None, figsize=(7.0, 3.5), dpi=100, image_format="png", colors=64,
                 max_frames=120):
        if not callable(compute):
            fail("compute", _OWNER, "a callable compute(**values) -> data", compute)
        if not callable(draw):
            fail("draw", _OWNER, "a callable draw(fig, data, **values)", draw)
        self.grids = check_controls(controls)
        self.names = tuple(self.grids)
        max_frames = check_real(max_frames, "max_frames", _OWNER, low=1, integer=True)
        n = int(np.prod([len(v) for v in self.grids.values()]))
        if n > max_frames:
            raise InvalidParameterError(
                f"The 'controls' parameter of Explorer must be a grid of at most "
                f"max_frames={max_frames} points (every point is a frame embedded in the "
                f"page). Got a grid of {n} points instead. Use fewer values, or raise "
                "max_frames if the page may grow.")
        labels = {} if labels is None else dict(labels)
        for name in labels:
            check_choice(name, "labels", _OWNER, self.names)
        self.labels = {name: str(labels.get(name, name)) for name in self.names}
        self.title = None if title is None else str(title)
        if alt is not None and not (isinstance(alt, str) or callable(alt)):
            fail("alt", _OWNER, "None, a format string or a callable", alt)
        self._alt = alt
        try:
            w, h = (float(v) for v in figsize)
        except (TypeError, ValueError):
            fail("figsize", _OWNER, "a pair of floats > 0 (inches)", figsize)
        if not (w > 0 and h > 0 and np.isfinite(w) and np.isfinite(h)):
            fail("figsize", _OWNER, "a pair of floats > 0 (inches)", figsize)
        self.figsize = (w, h)
        self.dpi = check_real(dpi, "dpi", _OWNER, low=10, high=600, integer=True)
        self.image_format = check_choice(image_format, "image_format", _OWNER,
                                         ["png", "webp"])
        if colors is not None:
            colors = check_real(colors, "colors", _OWNER, low=2, high=256, integer=True)
        self.colors = colors
        self._values = {name: grid[0] for name, grid in self.grids.items()}
        if initial is not None:
            self._values.update(check_values(self.grids, dict(initial), "initial"))
        self._frames = FrameCache(compute, draw, self.names, figsize=self.figsize,
                                  dpi=self.dpi, image_format=self.image_format,
                                  colors=colors)
        self._twin = None
        self._widget = None


    # ------------------------------------------------------------------ state
    @property
    def values(self):
        """The current value of every control (a new dict)."""
        return dict(self._values)

    @property
    def grid(self):
        """Every grid point as a dict, in frame order (the last control varies fastest)."""
        return [dict(zip(self.names, combo))
                for combo in itertools.product(*self.grids.values())]

    def _key(self, values):
        return tuple(values[name] for name in self.names)

    @property
    def data(self):
        """``compute(**values)`` at the current values (cached)."""
        return self._frames.data_at(self._key(self._values))

    def precompute(self):
        """Compute (and cache) the data of every grid point.

        Examples
        --------
        >>> import lkcourse as lk
        >>> ex = lk.penalty_explorer(ks=[1, 2], lams=[1.0])
        >>> ex.precompute()
        >>> ex.set(k=2)         # now a dictionary look-up
        """
        for combo in itertools.product(*self.grids.values()):
            self._frames.data_at(combo)

    def set(self, **values):
        """Move controls to new values, exactly as a reader moving them would.

        With the widget built, this sets the widgets' values (which updates the
        displayed image); otherwise it sets the state. Returns None, so a trailing
        ``ex.set(...)`` does not display the explorer again.

        Parameters
        ----------
        **values
            Control name -> new value; each value must be in its grid.

        Raises
        ------
        InvalidParameterError
            For an unknown control or a value outside its grid.

        Examples
        --------
        >>> import lkcourse as lk
        >>> ex = lk.penalty_explorer(ks=[1, 2], lams=[0.5, 1.0])
        >>> ex.set(k=2, lam=1.0)
        >>> ex.values
        {'k': 2.0, 'lam': 1.0}
        """
        values = check_values(self.grids, values)
        self._values.update(values)
        if self._widget is not None:
            self._widget.set(values)
        return None

    def _move(self, name, value):
        """A control of the widget moved (the value comes from its own grid)."""
        self._values[name] = value

    # ---------------------------------------------------------------- drawing
    @property
    def figure(self):
        """The persistent matplotlib Figure, drawn for the current values."""
        return self._frames.draw(self._key(self._values))

    @property
    def changed_artists(self):
        """The artists redrawn over the cached background in each frame (blitting).

        What the last ``draw`` returned, plus every legend (a full render draws
        legends last, so they stay on top); None when ``draw`` returned None (each
        frame is then a full render). Every artist that differs between frames must
        be here, or the frames would show it stale. Read it after :attr:`figure`.

        Examples
        --------
        >>> import lkcourse as lk
        >>> ex = lk.penalty_explorer(ks=[1, 2], lams=[1.0])
        >>> fig = ex.figure
        >>> fig.axes[0].lines[0] in ex.changed_artists   # the current curve is redrawn
        True
        """
        changed = self._frames.changed
        return None if changed is None else tuple(changed)

    def image(self):
        """Render the current values' frame: what the widget and the twin show.

        Returns
        -------
        bytes
            The frame, encoded as ``image_format`` (PNG or WebP).

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.penalty_explorer(ks=[1], lams=[1.0]).image()[:4]
        b'\\x89PNG'
        """
        return self._frames.image(self._key(self._values))

    def alt_text(self, values=None):
        """Describe a frame in words, for the image's alt text.

        Parameters
        ----------
        values : dict or None
            Control name -> value (default: the current values).

        Returns
        -------
        str
            From the ``alt`` argument if given, else the title and the values.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.penalty_explorer(ks=[1], lams=[1.0]).alt_text()
        'Lk penalty and its derivative, for k = 1, λ = 1'
        """
        values = self.values if values is None else dict(values)
        if callable(self._alt):
            return str(self._alt(**values))
        if isinstance(self._alt, str):
            return self._alt.format(**values)
        lead = self.title or "Explorer figure"
        return f"{lead}, for " + ", ".join(
            f"{self.labels[n]} = {format_value(values[n])}" for n in self.names)

    # ------------------------------------------------------------ static twin
    def frames(self):
        """Render every frame of the grid: the static twin's images.

        Every grid point is computed and rendered once (both cached, and shared with
        the widget). The figure is redrawn for the current values the next time
        :attr:`figure` is read.

        Returns
        -------
        list of (dict, bytes)
            ``(values, image_bytes)`` for every grid point, in grid order.

        Examples
        --------
        >>> import lkcourse as lk
        >>> frames = lk.penalty_explorer(ks=[1, 2], lams=[1.0]).frames()
        >>> [values for values, _ in frames]
        [{'k': 1.0, 'lam': 1.0}, {'k': 2.0, 'lam': 1.0}]
        """
        return [(dict(zip(self.names, combo)), self._frames.image(combo))
                for combo in itertools.product(*self.grids.values())]

    def to_html(self):
        """Build the static twin: self-contained HTML for the book.

        Returns
        -------
        str
            A ``<div>`` with every frame (base64 images), the controls and inline
            JavaScript; no external script and no network request. Built once.

        Examples
        --------
        >>> import lkcourse as lk
        >>> html = lk.penalty_explorer(ks=[1, 2], lams=[1.0]).to_html()
        >>> html.startswith("<div") and "https://" not in html
        True
        """
        if self._twin is None:
            self._twin = build_html(self)
        return self._twin

    def to_png(self):
        """A PNG of the current values' frame (for builders that show no HTML).

        Returns
        -------
        bytes
            The frame itself when ``image_format="png"``, else the frame re-encoded as
            PNG; the ``image/png`` entry of the explorer's MIME bundle.

        Examples
        --------
        >>> import lkcourse as lk
        >>> ex = lk.activation_explorer(["relu", "tanh"], initial={"name": "tanh"})
        >>> ex.to_png()[:4]
        b'\\x89PNG'
        """
        return self._frames.png(self._key(self._values))

    # ----------------------------------------------------------------- widget
    def widget(self):
        """Build the live widget: controls, image and a status line (once, then reused).

        Returns
        -------
        ipywidgets.VBox
            The box Jupyter displays.

        Raises
        ------
        ImportError
            When ipywidgets is not installed (``pip install 'lkcourse[widgets]'``).

        Examples
        --------
        >>> import lkcourse as lk
        >>> box = lk.penalty_explorer(ks=[1, 2], lams=[1.0]).widget()
        >>> type(box).__name__
        'VBox'
        """
        if self._widget is None:
            self._widget = ExplorerWidget(self, on_move=self._move)
        return self._widget.box

    # --------------------------------------------------------------- display
    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": repr(self)}
        try:
            box = self.widget()
            bundle[WIDGET_VIEW_MIME] = {"version_major": 2, "version_minor": 0,
                                        "model_id": box.model_id}
        except Exception:  # no ipywidgets, no comm: the static twin still works
            pass
        skip = os.environ.get(_TWIN_ENV, "1").strip().lower() in ("0", "no", "false")
        if not skip or WIDGET_VIEW_MIME not in bundle:
            bundle["text/html"] = self.to_html()
        bundle["image/png"] = self.to_png()
        return bundle

    def __repr__(self):
        grids = ", ".join(f"{n}: {len(g)} values" for n, g in self.grids.items())
        now = ", ".join(f"{n}={format_value(v)}" for n, v in self._values.items())
        head = f"{self.title!r} " if self.title else ""
        return f"<Explorer {head}({grids}) at {now}>"
