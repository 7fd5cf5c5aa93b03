"""The course's figure style (lkcourse/style.py): what it promises the reader.

Text at least 9 pt where the book shows the figure, a figure of the widest allowed size
shown unscaled in a desktop content column, sharp at 2x (retina PNGs), and no global
setting changed by importing the package.
"""
import json
import subprocess
import sys

import matplotlib as mpl
import matplotlib.font_manager  # noqa: F401  (mpl.font_manager)
import pytest

import lkcourse as lk

# the narrowest desktop content column the rule is written for: the book's theme at a
# 1280 px window (688 CSS px; 757 px at 1366 px, measured by tests/browser)
DESKTOP_COLUMN_PX = 688
CSS_PX_PER_PT = 96 / 72

FONT_KEYS = ["font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize",
             "ytick.labelsize", "legend.fontsize", "legend.title_fontsize",
             "figure.titlesize"]


def test_style_is_valid_rcparams():
    with mpl.rc_context():
        mpl.rcParams.update(lk.STYLE)        # raises on an unknown key or a bad value


@pytest.mark.parametrize("key", FONT_KEYS)
def test_every_font_is_at_least_the_minimum(key):
    with lk.style_context():
        size = mpl.font_manager.FontProperties(size=mpl.rcParams[key]).get_size_in_points()
    assert size >= lk.MIN_FONT_PT, f"{key} = {size} pt < {lk.MIN_FONT_PT} pt"


def test_one_point_is_one_css_point_and_the_widest_figure_fits_the_column():
    assert lk.STYLE["figure.dpi"] == 96
    assert lk.FIGSIZE[0] <= lk.MAX_WIDTH
    assert lk.MAX_WIDTH * lk.STYLE["figure.dpi"] <= DESKTOP_COLUMN_PX


def test_import_changes_no_global_setting():
    code = ("import json, matplotlib as mpl\n"
            "before = {k: repr(v) for k, v in mpl.rcParams.items()}\n"
            "import lkcourse\n"
            "after = {k: repr(v) for k, v in mpl.rcParams.items()}\n"
            "print(json.dumps(sorted(k for k in before if before[k] != after[k])))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"MPLBACKEND": "Agg", "PATH": ""})
    assert json.loads(out.stdout) == []


def test_style_context_restores_the_settings():
    before = dict(mpl.rcParams)
    with lk.style_context():
        assert mpl.rcParams["figure.dpi"] == 96
    assert dict(mpl.rcParams) == before


def test_use_style_in_ipython_gives_retina_figures_shown_at_drawn_size():
    """In IPython the inline PNG has twice the pixels and metadata that halves them: a
    MAX_WIDTH figure is stored 2 x 672 px wide and shown 672 CSS px wide, so its 9.5 pt
    tick labels are 9.5 pt on the screen (and 19 px tall in the file: sharp at 2x)."""
    code = r"""
import json, matplotlib
matplotlib.use("Agg")
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
import matplotlib.pyplot as plt
import lkcourse as lk
lk.use_style()
fig, ax = plt.subplots(figsize=(lk.MAX_WIDTH, 3))
ax.plot([0, 1], [0, 1])
data, meta = shell.display_formatter.format(fig)
import base64, io
from PIL import Image
png = data["image/png"]
png = base64.b64decode(png) if isinstance(png, str) else png
w, h = Image.open(io.BytesIO(png)).size
print(json.dumps({"w": w, "meta": meta.get("image/png", {}),
                  "tick": matplotlib.rcParams["xtick.labelsize"]}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    r = json.loads(out.stdout.strip().splitlines()[-1])
    shown = r["meta"].get("width")
    assert shown, f"no display width in the PNG's metadata (not a retina figure): {r}"
    assert r["w"] >= 2 * shown - 2, r                       # twice the pixels: sharp at 2x
    # bbox_inches="tight" trims the empty margins: up to MAX_WIDTH * 96 px, never wider
    assert 0.7 * lk.MAX_WIDTH * 96 <= shown <= lk.MAX_WIDTH * 96 + 2, r
    assert shown <= DESKTOP_COLUMN_PX
    assert float(r["tick"]) >= lk.MIN_FONT_PT
