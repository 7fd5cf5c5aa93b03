r"""Explorers: one notebook cell, a live widget in Jupyter and a static twin in the book.

An explorer is a pure ``compute`` function plus a ``draw`` function over named
parameters, each with a finite grid of values::

    ex = lk.Explorer(compute, draw, {"k": [0.5, 1, 2, 3], "lam": [0.1, 0.5, 1.0]},
                     initial={"k": 2, "lam": 0.5}, labels={"lam": "λ"})
    ex          # the last expression of a cell

How one cell serves two readers
-------------------------------
``ex._repr_mimebundle_()`` returns one MIME bundle with three entries:

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
- ``text/plain``: a one-line summary for consoles.

During the book build nbclient records the widget's state (one frame) and myst-nb
embeds it as an inert ``<script type="application/vnd.jupyter.widget-state+json">``
(20-60 kB per page); with no widget JavaScript loaded nothing reads it.

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
  ipywidgets is imported only in :meth:`Explorer.widget`; without it the bundle simply
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

import base64
import hashlib
import html
import io
import itertools
import json
import numbers
import os

import numpy as np

from ._validation import InvalidParameterError, check_choice, check_real, fail

__all__ = ["Explorer"]

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
_OWNER = "Explorer"
_TWIN_ENV = "LKCOURSE_EXPLORER_TWIN"
_counter = itertools.count(1)


def _normalize(value):
    """Turn numpy scalars into Python ones; keep str, int and float."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and np.isfinite(float(value)):
        return float(value)
    return None


def format_value(value):
    """The readout of one control value: ``0.001``, ``1e-05``, ``3``, ``'relu'``."""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return f"{value:.4g}"


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
    """

    def __init__(self, compute, draw, controls, *, initial=None, title=None, labels=None,
                 alt=None, figsize=(7.0, 3.5), dpi=100, image_format="png", colors=64,
                 max_frames=120):
        if not callable(compute):
            fail("compute", _OWNER, "a callable compute(**values) -> data", compute)
        if not callable(draw):
            fail("draw", _OWNER, "a callable draw(fig, data, **values)", draw)
        self._compute = compute
        self._draw = draw
        self.grids = self._check_controls(controls)
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
            self._values.update(self._check_values(dict(initial), "initial"))
        self._cache = {}
        self._frames = {}
        self._fig = None
        self._drawn = None
        self._dynamic = None
        self._background = None
        self._twin = None
        self._widget = None
        self._controls = {}
        self._image = None
        self._status = None
        self._batch = False

    # ----------------------------------------------------------------- validation
    @staticmethod
    def _check_controls(controls):
        if not isinstance(controls, dict) or not controls:
            fail("controls", _OWNER, "a non-empty dict name -> list of values", controls)
        grids = {}
        for name, values in controls.items():
            if not (isinstance(name, str) and name.isidentifier()):
                fail("controls", _OWNER, "a dict whose keys are parameter names", name)
            if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
                fail(f"controls[{name!r}]", _OWNER, "a non-empty list of values", values)
            vals = [_normalize(v) for v in values]
            kinds = {isinstance(v, str) for v in vals}
            if not vals or None in vals or len(kinds) != 1:
                fail(f"controls[{name!r}]", _OWNER,
                     "a non-empty list of finite numbers, or of strings", list(values))
            if len(set(vals)) != len(vals):
                fail(f"controls[{name!r}]", _OWNER, "a list of distinct values", vals)
            grids[name] = tuple(vals)
        return grids

    def _check_values(self, values, what="values"):
        out = {}
        for name, value in values.items():
            check_choice(name, "name", f"{_OWNER}.set" if what == "values" else _OWNER,
                         self.names)
            v = _normalize(value)
            grid = self.grids[name]
            if v is None or v not in grid:
                listed = ", ".join(format_value(g) for g in grid)
                fail(name if what == "values" else f"{what}[{name!r}]", _OWNER,
                     f"one of the grid values [{listed}]", value)
            out[name] = grid[grid.index(v)]
        return out

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

    def _data_at(self, key):
        if key not in self._cache:
            self._cache[key] = self._compute(**dict(zip(self.names, key)))
        return self._cache[key]

    @property
    def data(self):
        """``compute(**values)`` at the current values (cached)."""
        return self._data_at(self._key(self._values))

    def precompute(self):
        """Compute (and cache) the data of every grid point; returns None."""
        for combo in itertools.product(*self.grids.values()):
            self._data_at(combo)

    def set(self, **values):
        """Move controls to new values, exactly as a reader moving them would.

        With the widget built, this sets the widgets' values (which updates the
        displayed image); otherwise it sets the state. Each value must be in its grid.
        Returns None (so a trailing ``ex.set(...)`` does not display the explorer again).
        """
        values = self._check_values(values)
        if self._widget is None:
            self._values.update(values)
            return None
        self._batch = True
        try:
            for name, value in values.items():
                self._controls[name].value = value
        finally:
            self._batch = False
        self._values.update(values)
        self._refresh()
        return None

    # ---------------------------------------------------------------- drawing
    @property
    def figure(self):
        """The persistent matplotlib Figure, drawn for the current values."""
        self._draw_key(self._key(self._values))
        return self._fig

    def _draw_key(self, key):
        if self._drawn == key:
            return
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        first = self._fig is None
        if first:
            self._fig = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
            FigureCanvasAgg(self._fig)
        data = self._data_at(key)
        self._drawn = None
        changed = self._draw(self._fig, data, **dict(zip(self.names, key)))
        if changed is None:
            self._dynamic = None
        else:  # legends are drawn last in a full render: keep them on top when blitting
            legends = [ax.get_legend() for ax in self._fig.axes] + list(self._fig.legends)
            self._dynamic = list(dict.fromkeys(
                a for a in [*changed, *legends] if a is not None))
        self._drawn = key
        if first:  # lay out once on the first frame, then freeze the axes' positions
            self._fig.canvas.draw()
            self._fig.set_layout_engine("none")

    def _frame(self, key):
        """The encoded image of grid point ``key`` (rendered once, then cached)."""
        if key in self._frames:
            return self._frames[key]
        from PIL import Image

        self._draw_key(key)
        canvas = self._fig.canvas
        if self._dynamic is None:
            canvas.draw()
        else:  # blit: a cached background plus the artists draw() reported as changed
            if self._background is None:
                shown = [a.get_visible() for a in self._dynamic]
                for a in self._dynamic:
                    a.set_visible(False)
                try:
                    canvas.draw()
                    self._background = canvas.copy_from_bbox(self._fig.bbox)
                finally:
                    for a, vis in zip(self._dynamic, shown):
                        a.set_visible(vis)
            canvas.restore_region(self._background)
            for a in sorted(self._dynamic, key=lambda art: art.get_zorder()):
                self._fig.draw_artist(a)
        img = Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB")
        buf = io.BytesIO()
        if self.image_format == "webp":
            img.save(buf, format="webp", quality=85, method=4)
        else:
            if self.colors is not None:
                img = img.quantize(colors=self.colors, method=Image.Quantize.FASTOCTREE)
            img.save(buf, format="png")
        self._frames[key] = buf.getvalue()
        return self._frames[key]

    def image(self):
        """The encoded image of the current values: what the widget and the twin show."""
        return self._frame(self._key(self._values))

    def alt_text(self, values=None):
        """Alt text of the image for ``values`` (default: the current values)."""
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
        """The static twin's frames: a list of ``(values, image_bytes)`` in grid order.

        Every grid point is computed and rendered once (both cached, and shared with
        the widget). The figure is redrawn for the current values the next time
        :attr:`figure` is read.
        """
        return [(dict(zip(self.names, combo)), self._frame(combo))
                for combo in itertools.product(*self.grids.values())]

    def to_html(self):
        """The static twin: self-contained HTML (frames, controls, inline JS, no network)."""
        if self._twin is None:
            self._twin = self._build_html()
        return self._twin

    def _build_html(self):
        frames = self.frames()
        digest = hashlib.sha1(b"".join(b for _, b in frames[:4])).hexdigest()[:10]
        uid = f"lkx-{digest}-{next(_counter)}"
        mime = f"image/{self.image_format}"
        b64 = [base64.b64encode(b).decode("ascii") for _, b in frames]
        index = {self._key(v): i for i, (v, _) in enumerate(frames)}
        cur = self._values
        start = index[self._key(cur)]
        readout = [[format_value(v) for v in self.grids[n]] for n in self.names]
        spec = {"sizes": [len(self.grids[n]) for n in self.names], "readout": readout,
                "names": [self.labels[n] for n in self.names], "mime": mime,
                "frames": b64, "alts": [self.alt_text(v) for v, _ in frames]}
        payload = json.dumps(spec, separators=(",", ":"))
        payload = (payload.replace("<", "\\u003c").replace(">", "\\u003e")
                   .replace("&", "\\u0026"))
        esc = html.escape
        rows = []
        for i, name in enumerate(self.names):
            grid = self.grids[name]
            j = grid.index(cur[name])
            cid = f"{uid}-c{i}"
            label = f'<label for="{cid}" class="lkx-label">{esc(self.labels[name])}</label>'
            if isinstance(grid[0], str):
                opts = "".join(f'<option value="{k}"{" selected" if k == j else ""}>'
                               f"{esc(v)}</option>" for k, v in enumerate(grid))
                ctl = f'<select id="{cid}" class="lkx-input">{opts}</select>'
                out = ""
            else:
                text = esc(readout[i][j])
                ctl = (f'<input type="range" id="{cid}" class="lkx-input" min="0" '
                       f'max="{len(grid) - 1}" step="1" value="{j}" '
                       f'aria-valuetext="{esc(self.labels[name])} = {text}">')
                out = f'<output id="{uid}-o{i}" for="{cid}" class="lkx-value">{text}</output>'
            rows.append(f'<div class="lkx-row">{label}{ctl}{out}</div>')
        width, height = (int(round(s * self.dpi)) for s in self.figsize)
        title = f'<div class="lkx-title">{esc(self.title)}</div>' if self.title else ""
        return f"""<div class="lk-explorer" id="{uid}" data-lk-explorer="static">
<style>
.lk-explorer {{margin: 0.5em 0 1em 0; max-width: {width}px;}}
.lk-explorer .lkx-title {{font-weight: 600; margin-bottom: 0.3em;}}
.lk-explorer .lkx-row {{display: flex; align-items: center; gap: 0.6em; margin: 0.15em 0;}}
.lk-explorer .lkx-label {{min-width: 7em; margin: 0;}}
.lk-explorer input[type=range].lkx-input {{flex: 1 1 auto; max-width: 22em;}}
.lk-explorer .lkx-value {{min-width: 4.5em; font-variant-numeric: tabular-nums;}}
.lk-explorer img {{display: block; width: 100%; height: auto; margin-top: 0.4em;}}
</style>
{title}<div class="lkx-controls mathjax_ignore tex2jax_ignore">{"".join(rows)}</div>
<img id="{uid}-img" src="data:{mime};base64,{b64[start]}" width="{width}" height="{height}" alt="{esc(spec['alts'][start])}">
<script type="application/json" id="{uid}-data">{payload}</script>
<script>
(function () {{
  "use strict";
  var uid = "{uid}";
  var spec = JSON.parse(document.getElementById(uid + "-data").textContent);
  var img = document.getElementById(uid + "-img");
  var inputs = [], outputs = [];
  for (var i = 0; i < spec.sizes.length; i++) {{
    inputs.push(document.getElementById(uid + "-c" + i));
    outputs.push(document.getElementById(uid + "-o" + i));
  }}
  function update() {{
    var idx = 0;
    for (var i = 0; i < inputs.length; i++) {{
      var j = parseInt(inputs[i].value, 10);
      idx = idx * spec.sizes[i] + j;
      if (outputs[i]) {{
        outputs[i].textContent = spec.readout[i][j];
        inputs[i].setAttribute("aria-valuetext", spec.names[i] + " = " + spec.readout[i][j]);
      }}
    }}
    var src = "data:" + spec.mime + ";base64," + spec.frames[idx];
    if (img.getAttribute("src") !== src) {{ img.setAttribute("src", src); }}
    img.setAttribute("alt", spec.alts[idx]);
    img.setAttribute("data-frame", String(idx));
  }}
  for (var k = 0; k < inputs.length; k++) {{
    inputs[k].addEventListener("input", update);
    inputs[k].addEventListener("change", update);
  }}
  update();
}})();
</script>
</div>"""

    # ----------------------------------------------------------------- widget
    def widget(self):
        """The ipywidgets box (controls, image, status line); built once, then reused.

        Raises ImportError when ipywidgets is not installed.
        """
        if self._widget is not None:
            return self._widget
        import ipywidgets as W

        controls = []
        for name in self.names:
            grid = self.grids[name]
            desc = self.labels[name]
            style = {"description_width": "initial"}
            if isinstance(grid[0], str):
                cls = W.ToggleButtons if len(grid) <= 5 else W.Dropdown
                ctl = cls(options=list(grid), value=self._values[name], description=desc,
                          style=style)
            else:
                ctl = W.SelectionSlider(
                    options=[(format_value(v), v) for v in grid], value=self._values[name],
                    description=desc, continuous_update=True, style=style,
                    layout=W.Layout(width="min(100%, 32em)"))
            ctl.observe(self._on_change(name), names="value")
            self._controls[name] = ctl
            controls.append(ctl)
        width = int(round(self.figsize[0] * self.dpi))
        self._image = W.Image(value=self.image(), format=self.image_format,
                              layout=W.Layout(width="100%", max_width=f"{width}px"))
        self._status = W.HTML(value="")
        parts = [W.HTML(value=f"<b>{html.escape(self.title)}</b>")] if self.title else []
        box = W.VBox(parts + controls + [self._image, self._status])
        box.add_class("lk-explorer-widget")
        self._widget = box
        return box

    def _on_change(self, name):
        def handler(change):
            if self._batch:
                return
            self._values[name] = change["new"]
            self._refresh()
        return handler

    def _refresh(self):
        try:
            png = self.image()
        except Exception as exc:  # show the error under the figure, keep the widget alive
            self._status.value = (f'<pre style="color:#b00">{html.escape(type(exc).__name__)}'
                                  f": {html.escape(str(exc))}</pre>")
            return
        self._status.value = ""
        self._image.value = png

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
        return bundle

    def __repr__(self):
        grids = ", ".join(f"{n}: {len(g)} values" for n, g in self.grids.items())
        now = ", ".join(f"{n}={format_value(v)}" for n, v in self._values.items())
        head = f"{self.title!r} " if self.title else ""
        return f"<Explorer {head}({grids}) at {now}>"

