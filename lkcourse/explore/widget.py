"""The live widget of an explorer: ipywidgets controls and an image, in one box.

The widget only wires controls to the explorer: a control change moves the
explorer's value, and the image shows the explorer's (cached) frame for the new
values. ``ipywidgets`` is imported here only, when the widget is built.
"""
from __future__ import annotations

import html

from .controls import format_value


class ExplorerWidget:
    """The ipywidgets box of explorer ``ex``: one control per parameter, then the
    image and a status line (where an error raised by ``compute`` or ``draw`` is
    shown instead of raised, so the widget stays alive).

    ``on_move(name, value)`` tells the explorer that a control moved. Raises
    ImportError (saying how to install it) when ipywidgets is not installed.
    """

    def __init__(self, ex, on_move):
        try:
            import ipywidgets as W
        except ImportError as err:  # pragma: no cover - ipywidgets ships with the book
            raise ImportError("the live explorer needs ipywidgets: pip install "
                              "'lkcourse[widgets]' (or pip install ipywidgets)") from err

        self.ex, self.on_move = ex, on_move
        self.controls = {}
        self._batch = False
        values = ex.values
        children = [W.HTML(value=f"<b>{html.escape(ex.title)}</b>")] if ex.title else []
        for name in ex.names:
            grid, desc = ex.grids[name], ex.labels[name]
            style = {"description_width": "initial"}
            if isinstance(grid[0], str):
                cls = W.ToggleButtons if len(grid) <= 5 else W.Dropdown
                ctl = cls(options=list(grid), value=values[name], description=desc,
                          style=style)
            else:
                ctl = W.SelectionSlider(
                    options=[(format_value(v), v) for v in grid], value=values[name],
                    description=desc, continuous_update=True, style=style,
                    layout=W.Layout(width="min(100%, 32em)"))
            ctl.observe(self._on_change(name), names="value")
            self.controls[name] = ctl
            children.append(ctl)
        width = int(round(ex.figsize[0] * ex.dpi))
        self.image = W.Image(value=ex.image(), format=ex.image_format,
                             layout=W.Layout(width="100%", max_width=f"{width}px"))
        self.status = W.HTML(value="")
        self.box = W.VBox(children + [self.image, self.status])
        self.box.add_class("lk-explorer-widget")

    def set(self, values):
        """Move several controls at once, then redraw once."""
        self._batch = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._batch = False
        self.refresh()

    def _on_change(self, name):
        def handler(change):
            if self._batch:
                return
            self.on_move(name, change["new"])
            self.refresh()
        return handler

    def refresh(self):
        """Show the explorer's frame for its current values (or the error it raised)."""
        try:
            png = self.ex.image()
        except Exception as exc:  # show the error under the figure, keep the widget alive
            self.status.value = (f'<pre style="color:#b00">{html.escape(type(exc).__name__)}'
                                 f": {html.escape(str(exc))}</pre>")
            return
        self.status.value = ""
        self.image.value = png
