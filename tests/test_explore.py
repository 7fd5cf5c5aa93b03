"""Tests of the explorer mechanism (lkcourse/explore/), driven from Python.

The widget is tested through its public ipywidgets children (the controls a reader
moves, the image and the status line), not through the explorer's private attributes.
"""
import base64
import io
import json
import re
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose
from PIL import Image

import lkcourse as lk
from lkcourse.explore import WIDGET_VIEW_MIME

X = np.linspace(-1.0, 1.0, 101)


class Counter:
    """A pure compute function that counts its calls."""

    def __init__(self):
        self.calls = []

    def __call__(self, p, kind):
        self.calls.append((p, kind))
        return X ** p if kind == "power" else np.sin(np.pi * p * X)


def draw(fig, data, p, kind):
    if not fig.axes:
        ax = fig.add_subplot()
        ax.plot(X, data, color="C0")
        ax.set_ylim(-1.1, 1.1)
        ax.set_xlabel("x")
    ax = fig.axes[0]
    ax.lines[0].set_ydata(data)
    ax.set_title(f"{kind}, p = {p}")


def make(**kw):
    compute = Counter()
    controls = {"p": [1, 2, 3], "kind": ["power", "sine"]}
    return lk.Explorer(compute, draw, controls, **kw), compute


def png_pixels(data):
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=float)


def ui(ex):
    """The widget's parts as a reader sees them: {label: control}, image, status line."""
    W = pytest.importorskip("ipywidgets")
    box = ex.widget()
    controls = {c.description: c for c in box.children
                if isinstance(c, (W.SelectionSlider, W.ToggleButtons, W.Dropdown))}
    (image,) = [c for c in box.children if isinstance(c, W.Image)]
    status = box.children[-1]
    assert isinstance(status, W.HTML)
    return controls, image, status


def twin_spec(html):
    m = re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


# ------------------------------------------------------------------ state, set
def test_initial_values_default_to_first_grid_value_and_initial_overrides():
    ex, _ = make()
    assert ex.values == {"p": 1, "kind": "power"}
    ex, _ = make(initial={"kind": "sine"})
    assert ex.values == {"p": 1, "kind": "sine"}


def test_set_without_widget_changes_values_and_the_figure_shows_compute_output():
    ex, compute = make()
    ex.set(p=3, kind="sine")
    assert ex.values == {"p": 3, "kind": "sine"}
    line = ex.figure.axes[0].lines[0]
    assert_allclose(line.get_ydata(), compute(3, "sine"), rtol=0, atol=0)
    assert_allclose(ex.data, np.sin(3 * np.pi * X), rtol=1e-15, atol=1e-15)
    assert ex.figure.axes[0].get_title() == "sine, p = 3"


def test_set_accepts_numpy_scalars_and_returns_none():
    ex, _ = make()
    assert ex.set(p=np.int64(2)) is None
    assert ex.values["p"] == 2 and type(ex.values["p"]) is int


def test_compute_is_cached_per_value_tuple():
    ex, compute = make()
    for p in (1, 2, 1, 2, 1):
        ex.set(p=p)
        ex.data
    assert compute.calls == [(1, "power"), (2, "power")]


def test_precompute_fills_the_cache_for_every_grid_point():
    ex, compute = make()
    ex.precompute()
    assert sorted(compute.calls) == sorted((g["p"], g["kind"]) for g in ex.grid)
    ex.set(p=3, kind="sine")
    ex.data
    assert len(compute.calls) == 6


def test_figure_is_persistent_and_not_made_with_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    ex, _ = make()
    fig, ax, line = ex.figure, ex.figure.axes[0], ex.figure.axes[0].lines[0]
    pos = ax.get_position().bounds
    ex.set(p=2, kind="sine")
    assert ex.figure is fig and ex.figure.axes == [ax] and ax.lines[0] is line
    assert_allclose(ax.get_position().bounds, pos, rtol=0, atol=0)  # frozen layout
    assert plt.get_fignums() == before


def test_grid_is_row_major_with_last_control_fastest():
    ex, _ = make()
    assert ex.grid == [{"p": p, "kind": k} for p in (1, 2, 3) for k in ("power", "sine")]


# ----------------------------------------------------------------------- widget
def test_widget_controls_match_the_grid():
    W = pytest.importorskip("ipywidgets")
    ex, _ = make(initial={"p": 2})
    box = ex.widget()
    assert ex.widget() is box
    controls, image, _ = ui(ex)
    assert list(controls) == ["p", "kind"]
    slider = controls["p"]
    assert isinstance(slider, W.SelectionSlider)
    assert list(slider.options) == [("1", 1), ("2", 2), ("3", 3)] and slider.value == 2
    assert isinstance(controls["kind"], W.ToggleButtons)
    assert image.value == ex.image()


def test_moving_a_widget_control_updates_values_image_and_figure():
    pytest.importorskip("ipywidgets")
    ex, compute = make()
    controls, image, _ = ui(ex)
    before = image.value
    controls["p"].value = 3          # what a reader's slider move does
    assert ex.values == {"p": 3, "kind": "power"}
    assert image.value != before
    assert image.value == ex.image()
    assert_allclose(ex.figure.axes[0].lines[0].get_ydata(), X ** 3, rtol=0, atol=0)


def test_set_with_widget_drives_the_controls_and_redraws_once():
    pytest.importorskip("ipywidgets")
    ex, compute = make()
    controls, image, _ = ui(ex)
    ex.set(p=2, kind="sine")
    assert controls["p"].value == 2 and controls["kind"].value == "sine"
    # the intermediate state (p=2, power) is never computed
    assert compute.calls == [(1, "power"), (2, "sine")]
    assert_allclose(ex.figure.axes[0].lines[0].get_ydata(), np.sin(2 * np.pi * X),
                    rtol=0, atol=0)
    assert_allclose(png_pixels(image.value), png_pixels(ex.image()), atol=0)


def test_widget_image_is_the_rendered_figure():
    pytest.importorskip("ipywidgets")
    ex, _ = make()
    _, image, _ = ui(ex)
    ex.set(p=3)
    img = png_pixels(image.value)
    assert img.shape == (350, 700, 3)
    fig = ex.figure
    fig.canvas.draw()
    direct = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float)
    assert np.abs(img - direct).mean() < 2.0  # palette quantization only
    assert np.abs(img - direct).max() < 64


def test_error_in_compute_is_shown_in_the_widget_not_raised():
    pytest.importorskip("ipywidgets")

    def compute(a):
        if a == 2:
            raise ZeroDivisionError("boom at a=2")
        return a

    def draw_a(fig, data, a):
        ax = fig.axes[0] if fig.axes else fig.add_subplot()
        ax.set_title(str(data))

    ex = lk.Explorer(compute, draw_a, {"a": [1, 2, 3]})
    controls, image, status = ui(ex)
    controls["a"].value = 2
    assert "boom at a=2" in status.value and "ZeroDivisionError" in status.value
    controls["a"].value = 3
    assert status.value == ""
    assert image.value == ex.image()


def test_many_strings_give_a_dropdown():
    W = pytest.importorskip("ipywidgets")
    names = [f"n{i}" for i in range(7)]
    ex = lk.Explorer(lambda name: name, lambda fig, d, name: None, {"name": names})
    controls, _, _ = ui(ex)
    assert isinstance(controls["name"], W.Dropdown)


# ----------------------------------------------------------------- static twin
def test_frames_cover_the_grid_in_order_as_palette_pngs():
    ex, compute = make()
    frames = ex.frames()
    assert [v for v, _ in frames] == ex.grid
    for values, data in frames:
        img = Image.open(io.BytesIO(data))
        assert img.format == "PNG" and img.mode == "P" and img.size == (700, 350)
    assert len({b for _, b in frames}) == len(frames)
    assert len(compute.calls) == len(frames)


def test_widget_and_twin_share_frames():
    pytest.importorskip("ipywidgets")
    ex, compute = make(initial={"p": 2, "kind": "sine"})
    frames = {tuple(v.values()): b for v, b in ex.frames()}
    n = len(compute.calls)
    _, image, _ = ui(ex)
    assert image.value == frames[(2, "sine")]
    ex.set(p=3, kind="power")
    assert image.value == frames[(3, "power")]
    assert len(compute.calls) == n


def test_figure_is_redrawn_for_the_current_values_after_building_frames():
    ex, _ = make(initial={"p": 2})
    ex.frames()  # leaves the figure at the last grid point
    assert_allclose(ex.figure.axes[0].lines[0].get_ydata(), X ** 2, rtol=0, atol=0)


@pytest.mark.parametrize("fmt, colors, magic, mode", [
    ("png", None, b"\x89PNG", "RGB"), ("png", 16, b"\x89PNG", "P"),
    ("webp", 64, b"RIFF", "RGB")])
def test_image_formats(fmt, colors, magic, mode):
    ex, _ = make(image_format=fmt, colors=colors, dpi=50)
    data = ex.frames()[0][1]
    assert data[:4] == magic
    img = Image.open(io.BytesIO(data))
    assert img.size == (350, 175) and img.mode == mode
    spec = twin_spec(ex.to_html())
    assert spec["mime"] == f"image/{fmt}"


def test_twin_html_is_self_contained_and_indexable():
    ex, _ = make(initial={"p": 2, "kind": "sine"}, title="Powers and sines",
                 labels={"p": "power p"})
    html = ex.to_html()
    assert html.count('type="range"') == 1 and html.count("<select") == 1
    assert not re.search(r"(src|href)\s*=\s*[\"'](https?:)?//", html)
    assert "http" not in html.replace("data:", "")
    assert "$" not in html and "\\(" not in html
    spec = twin_spec(html)
    assert spec["sizes"] == [3, 2]
    assert spec["readout"] == [["1", "2", "3"], ["power", "sine"]]
    frames = ex.frames()
    assert spec["frames"] == [base64.b64encode(b).decode() for _, b in frames]
    # the shown image is the frame of the initial values, with alt text naming them
    start = ex.grid.index({"p": 2, "kind": "sine"})
    assert f'base64,{spec["frames"][start]}"' in html
    assert 'alt="Powers and sines, for power p = 2, kind = sine"' in html
    assert spec["alts"][start] == "Powers and sines, for power p = 2, kind = sine"
    assert re.search(r'<input type="range"[^>]*value="1"', html)
    assert "<option value=\"1\" selected>sine</option>" in html


def test_twin_ids_are_unique_per_explorer():
    a, _ = make()
    b, _ = make()
    ida = re.search(r'id="(lkx-[^"]+)"', a.to_html()).group(1)
    idb = re.search(r'id="(lkx-[^"]+)"', b.to_html()).group(1)
    assert ida != idb


def test_alt_text_format_string_and_callable():
    ex, _ = make(alt="Curve {kind} with p={p}")
    assert ex.alt_text() == "Curve power with p=1"
    ex, _ = make(alt=lambda p, kind: f"{kind}:{p}")
    assert ex.alt_text({"p": 3, "kind": "sine"}) == "sine:3"


def test_twin_escapes_markup_in_labels_and_values():
    ex = lk.Explorer(lambda s: s, lambda fig, d, s: None, {"s": ["a<b", "</script>"]},
                     title="<T&>")
    html = ex.to_html()
    assert "</script>\"" not in html and "&lt;T&amp;&gt;" in html
    assert twin_spec(html)["readout"] == [["a<b", "</script>"]]


# ------------------------------------------------------------------ mime bundle
def test_mimebundle_offers_widget_html_and_text():
    pytest.importorskip("ipywidgets")
    ex, _ = make()
    bundle = ex._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "image/png", WIDGET_VIEW_MIME}
    assert bundle[WIDGET_VIEW_MIME] == {"version_major": 2, "version_minor": 0,
                                        "model_id": ex.widget().model_id}
    assert bundle["text/html"] == ex.to_html()
    assert bundle["text/plain"].startswith("<Explorer (p: 3 values, kind: 2 values)")


def test_mimebundle_without_ipywidgets_still_has_the_twin(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import fails
    ex, _ = make()
    bundle = ex._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "image/png"}


def test_env_var_skips_the_twin_only_when_the_widget_exists(monkeypatch):
    pytest.importorskip("ipywidgets")
    monkeypatch.setenv("LKCOURSE_EXPLORER_TWIN", "0")
    ex, compute = make()
    bundle = ex._repr_mimebundle_()
    assert "text/html" not in bundle and WIDGET_VIEW_MIME in bundle
    assert len(compute.calls) == 1
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    ex, _ = make()
    assert "text/html" in ex._repr_mimebundle_()


# ------------------------------------------------------------------- validation
@pytest.mark.parametrize("kwargs, match", [
    (dict(compute=1), "'compute' parameter of Explorer must be a callable"),
    (dict(draw=None), "'draw' parameter of Explorer must be a callable"),
    (dict(controls={}), "'controls' parameter of Explorer must be a non-empty dict"),
    (dict(controls=[1, 2]), "'controls' parameter"),
    (dict(controls={"a b": [1]}), "keys are parameter names"),
    (dict(controls={"p": []}), r"'controls\['p'\]' parameter .* non-empty list"),
    (dict(controls={"p": "abc"}), r"'controls\['p'\]' parameter"),
    (dict(controls={"p": [1, "a"]}), "numbers, or of strings"),
    (dict(controls={"p": [1.0, np.nan]}), "finite numbers"),
    (dict(controls={"p": [True, False]}), "finite numbers"),
    (dict(controls={"p": [1, 2, 1]}), "distinct"),
    (dict(controls={"p": list(range(20)), "q": list(range(10))}),
     "at most max_frames=120 points.*Got a grid of 200 points"),
    (dict(initial={"p": 5}), r"'initial\['p'\]' parameter .* grid values \[1, 2, 3\]"),
    (dict(initial={"pp": 1}), "Did you mean 'p'"),
    (dict(labels={"q": "Q"}), "'labels' parameter"),
    (dict(image_format="gif"), "'image_format' parameter .* 'png', 'webp'"),
    (dict(colors=1), "'colors' parameter of Explorer must be an int >= 2"),
    (dict(dpi=0), "'dpi' parameter"),
    (dict(figsize=(7, -1)), "'figsize' parameter"),
    (dict(alt=3), "'alt' parameter"),
    (dict(max_frames=0), "'max_frames' parameter"),
])
def test_bad_arguments_raise_invalid_parameter_error(kwargs, match):
    args = dict(compute=lambda **v: 0, draw=lambda fig, data, **v: None,
                controls={"p": [1, 2, 3]})
    args.update(kwargs)
    with pytest.raises(lk.InvalidParameterError, match=match):
        lk.Explorer(args.pop("compute"), args.pop("draw"), args.pop("controls"), **args)


def test_set_rejects_unknown_names_and_off_grid_values():
    ex, _ = make()
    with pytest.raises(lk.InvalidParameterError, match="Did you mean 'kind'"):
        ex.set(kinds="sine")
    with pytest.raises(lk.InvalidParameterError,
                       match=r"'p' parameter of Explorer must be one of the grid values "
                             r"\[1, 2, 3\]. Got 2.5 instead"):
        ex.set(p=2.5)
    assert ex.values == {"p": 1, "kind": "power"}


# --------------------------------------------------------------------- blitting
def draw_blit(fig, data, p, kind):
    """Like ``draw`` but reports its changed artists (blitting), and hides a marker."""
    if not fig.axes:
        ax = fig.add_subplot()
        ax.plot(X, data, color="C0", label="curve")
        ax.plot([0], [0], "o", color="C2", label="marker")
        ax.set_ylim(-1.1, 1.1)
        ax.legend(loc="lower right")
        fig.suptitle("")
    ax = fig.axes[0]
    line, marker = ax.lines
    line.set_ydata(data)
    marker.set_visible(kind == "power")
    (title,) = fig.texts                 # the suptitle made on the first draw
    title.set_text(f"{kind}, p = {p}")
    return [line, marker, title]


def test_blitted_frames_match_full_renders_and_keep_visibility():
    ex = lk.Explorer(Counter(), draw_blit, {"p": [1, 2, 3], "kind": ["power", "sine"]},
                     colors=None)
    for values, data in ex.frames():
        ex.set(**values)
        fig = ex.figure
        assert fig.axes[0].lines[1].get_visible() == (values["kind"] == "power")
        fig.canvas.draw()
        full = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float)
        diff = np.abs(png_pixels(data) - full).max(axis=-1)
        assert (diff > 60).mean() < 0.002, values


def test_blitting_redraws_changed_artists_only_over_a_cached_background():
    """The background is rendered once: an artist that draw() changes without
    reporting it stays as it was in the first frame (so draw must report it), while
    the reported artists and every legend are redrawn on top."""
    def draw_partial(fig, data, p, kind):
        changed = draw_blit(fig, data, p, kind)
        fig.axes[0].set_xlabel(f"x for p = {p}")    # changed, never reported
        return changed

    ex = lk.Explorer(Counter(), draw_partial, {"p": [1, 2, 3], "kind": ["power", "sine"]},
                     colors=None)
    first = png_pixels(ex.image())
    assert ex.figure.axes[0].get_legend() in ex.changed_artists  # legends stay on top
    assert set(ex.changed_artists) >= set(ex.figure.axes[0].lines)
    ex.set(p=3, kind="sine")
    blitted = png_pixels(ex.image())
    fig = ex.figure
    label = fig.axes[0].xaxis.label.get_window_extent(fig.canvas.get_renderer())
    rows = slice(int(fig.bbox.height - label.y1) - 1, int(fig.bbox.height - label.y0) + 1)
    cols = slice(int(label.x0) - 1, int(label.x1) + 1)
    # the unreported label is stale (first frame's pixels), the curve is not
    assert_allclose(blitted[rows, cols], first[rows, cols], atol=0)
    assert np.abs(blitted - first).max() > 100
    fig.canvas.draw()                   # a full render shows the new label
    full = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float)
    assert np.abs(full[rows, cols] - first[rows, cols]).max() > 100


def test_changed_artists_is_none_without_blitting():
    ex, _ = make()
    ex.image()
    assert ex.changed_artists is None


def test_mimebundle_png_is_the_initial_frame_for_the_latex_builder():
    """Builders that show neither widgets nor HTML (LaTeX/PDF) get image/png."""
    ex, _ = make(initial={"p": 2, "kind": "sine"})
    png = ex._repr_mimebundle_()["image/png"]
    assert png[:4] == b"\x89PNG" and png == ex.image()
    assert_allclose(png_pixels(png), png_pixels(ex.frames()[ex.grid.index(ex.values)][1]),
                    atol=0)
    webp, _ = make(image_format="webp", initial={"p": 3})
    png = webp._repr_mimebundle_()["image/png"]
    assert png[:4] == b"\x89PNG" and Image.open(io.BytesIO(png)).size == (700, 350)
    assert np.abs(png_pixels(png) - png_pixels(webp.image())).mean() < 1.0


def test_latex_builder_picks_the_png_and_html_the_twin():
    """myst-nb's own priority lists: latex ranks image/png above every other entry the
    bundle has; html (with the book's overrides) picks the static twin."""
    render = pytest.importorskip("myst_nb.core.render")
    ex, _ = make()
    bundle = ex._repr_mimebundle_()
    latex = render.get_mime_priority("latex", [])
    assert next(m for m in latex if m in bundle) == "image/png"
    html = render.get_mime_priority("html", [
        ("html", WIDGET_VIEW_MIME, None), ("html", "application/javascript", None)])
    assert next(m for m in html if m in bundle) == "text/html"


def test_explorer_layout_twin_widget_and_frame_cache_are_separate():
    """The class delegates to its three collaborators; its source is one hop away."""
    import lkcourse.explore as explore
    from lkcourse.explore import frames, twin, widget

    src = str(lk.show_source(lk.Explorer))
    assert src.startswith("class Explorer:")
    assert "build_html(self)" in src and "ExplorerWidget(self" in src
    assert "FrameCache(" in src and "<script" not in src   # no HTML/JS in the class
    assert explore.Explorer is lk.Explorer and explore.__all__ == ["Explorer"]
    assert "<script>" in str(lk.show_source(twin.build_html))
    assert "ipywidgets" in str(lk.show_source(widget.ExplorerWidget))
    assert "copy_from_bbox" in str(lk.show_source(frames.FrameCache))
