"""The frame cache of an explorer: computed data, one persistent figure, encoded images.

:class:`FrameCache` owns everything an explorer renders: ``compute`` results per value
tuple, the persistent :class:`matplotlib.figure.Figure` that ``draw`` updates in place,
and the encoded image of every grid point it has rendered. The widget and the static
twin both read their images from it, so a frame is rendered at most once.

Blitting: if ``draw`` returns the artists it changed, everything else is rendered once
as a background and each frame restores that background and draws the returned
artists (and every legend, which a full render draws last) on top, in z-order.
"""
from __future__ import annotations

import io

import numpy as np


class FrameCache:
    """Data, figure and encoded frames of one explorer, keyed by value tuples.

    Parameters
    ----------
    compute, draw : callable
        As for :class:`~lkcourse.Explorer`.
    names : tuple of str
        Parameter names; a key is the tuple of their values in this order.
    figsize, dpi, image_format, colors
        As for :class:`~lkcourse.Explorer` (already validated).
    """

    def __init__(self, compute, draw, names, *, figsize, dpi, image_format, colors):
        self.compute, self.draw_fn, self.names = compute, draw, names
        self.figsize, self.dpi = figsize, dpi
        self.image_format, self.colors = image_format, colors
        self.data = {}       # key -> compute(**values)
        self.images = {}     # key -> encoded frame
        self.fig = None
        self.drawn = None    # the key the figure currently shows
        self.changed = None  # artists redrawn per frame (None: full renders)
        self.background = None

    def data_at(self, key):
        """``compute`` at ``key`` (computed once, then cached)."""
        if key not in self.data:
            self.data[key] = self.compute(**dict(zip(self.names, key)))
        return self.data[key]

    def draw(self, key):
        """Make the persistent figure show ``key``; return the figure."""
        if self.drawn == key:
            return self.fig
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        first = self.fig is None
        if first:
            self.fig = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
            FigureCanvasAgg(self.fig)
        data = self.data_at(key)
        self.drawn = None
        changed = self.draw_fn(self.fig, data, **dict(zip(self.names, key)))
        if changed is None:
            self.changed = None
        else:  # legends are drawn last in a full render: keep them on top when blitting
            legends = [ax.get_legend() for ax in self.fig.axes] + list(self.fig.legends)
            self.changed = list(dict.fromkeys(
                a for a in [*changed, *legends] if a is not None))
        self.drawn = key
        if first:  # lay out once on the first frame, then freeze the axes' positions
            self.fig.canvas.draw()
            self.fig.set_layout_engine("none")
        return self.fig

    def _render(self, key):
        """Render ``key`` on the canvas (blitting when ``draw`` reports its artists)."""
        self.draw(key)
        canvas = self.fig.canvas
        if self.changed is None:
            canvas.draw()
            return canvas
        if self.background is None:
            shown = [a.get_visible() for a in self.changed]
            for a in self.changed:
                a.set_visible(False)
            try:
                canvas.draw()
                self.background = canvas.copy_from_bbox(self.fig.bbox)
            finally:
                for a, vis in zip(self.changed, shown):
                    a.set_visible(vis)
        canvas.restore_region(self.background)
        for a in sorted(self.changed, key=lambda art: art.get_zorder()):
            self.fig.draw_artist(a)
        return canvas

    def _pixels(self, key):
        from PIL import Image

        canvas = self._render(key)
        return Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB")

    def image(self, key):
        """The encoded frame of ``key`` (rendered once, then cached)."""
        if key not in self.images:
            from PIL import Image

            img = self._pixels(key)
            buf = io.BytesIO()
            if self.image_format == "webp":
                img.save(buf, format="webp", quality=85, method=4)
            else:
                if self.colors is not None:
                    img = img.quantize(colors=self.colors,
                                       method=Image.Quantize.FASTOCTREE)
                img.save(buf, format="png")
            self.images[key] = buf.getvalue()
        return self.images[key]

    def png(self, key):
        """A PNG of ``key``: the frame itself for PNG frames, else re-encoded."""
        frame = self.image(key)
        if self.image_format == "png":
            return frame
        from PIL import Image

        buf = io.BytesIO()
        Image.open(io.BytesIO(frame)).convert("RGB").save(buf, format="png")
        return buf.getvalue()
