"""The static twin of an explorer: self-contained HTML and inline JavaScript.

The book has no kernel, so each :class:`~lkcourse.Explorer` also displays as a
``<div>`` that embeds the frame of every grid point and swaps them from native form
controls (keyboard accessible, labelled, with alt text naming the values). Each twin
has a unique id so that several can share a page; its text holds no TeX delimiters,
so MathJax leaves it alone.
"""
from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json

from .controls import format_value

_counter = itertools.count(1)


def build_html(ex):
    """The static twin of explorer ``ex``: one self-contained ``<div>``.

    Every grid point's frame is embedded (base64), with one ``<input type="range">``
    per numeric control, a ``<select>`` per string control, a readout of the values
    and a few lines of inline JavaScript that swap the image. No external script, no
    network, no kernel. The page starts at the explorer's current values.
    """
    frames = ex.frames()
    digest = hashlib.sha1(b"".join(b for _, b in frames[:4])).hexdigest()[:10]
    uid = f"lkx-{digest}-{next(_counter)}"
    mime = f"image/{ex.image_format}"
    b64 = [base64.b64encode(b).decode("ascii") for _, b in frames]
    index = {tuple(v[n] for n in ex.names): i for i, (v, _) in enumerate(frames)}
    cur = ex.values
    start = index[tuple(cur[n] for n in ex.names)]
    readout = [[format_value(v) for v in ex.grids[n]] for n in ex.names]
    spec = {"sizes": [len(ex.grids[n]) for n in ex.names], "readout": readout,
            "names": [ex.labels[n] for n in ex.names], "mime": mime,
            "frames": b64, "alts": [ex.alt_text(v) for v, _ in frames]}
    payload = json.dumps(spec, separators=(",", ":"))
    payload = (payload.replace("<", "\\u003c").replace(">", "\\u003e")
               .replace("&", "\\u0026"))
    esc = html.escape
    rows = []
    for i, name in enumerate(ex.names):
        grid = ex.grids[name]
        j = grid.index(cur[name])
        cid = f"{uid}-c{i}"
        label = f'<label for="{cid}" class="lkx-label">{esc(ex.labels[name])}</label>'
        if isinstance(grid[0], str):
            opts = "".join(f'<option value="{k}"{" selected" if k == j else ""}>'
                           f"{esc(v)}</option>" for k, v in enumerate(grid))
            ctl = f'<select id="{cid}" class="lkx-input">{opts}</select>'
            out = ""
        else:
            text = esc(readout[i][j])
            ctl = (f'<input type="range" id="{cid}" class="lkx-input" min="0" '
                   f'max="{len(grid) - 1}" step="1" value="{j}" '
                   f'aria-valuetext="{esc(ex.labels[name])} = {text}">')
            out = f'<output id="{uid}-o{i}" for="{cid}" class="lkx-value">{text}</output>'
        rows.append(f'<div class="lkx-row">{label}{ctl}{out}</div>')
    width, height = (int(round(s * ex.dpi)) for s in ex.figsize)
    title = f'<div class="lkx-title">{esc(ex.title)}</div>' if ex.title else ""
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
