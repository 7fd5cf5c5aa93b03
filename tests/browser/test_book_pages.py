"""Every page of the built book in Chromium: no console error, no network, typeset
math, loaded images, working static explorer twins; a screenshot of the first screen.

Pages are opened from disk (file://). Every request that is not a file:// URL is
aborted and reported as a failure: the book must work offline (MathJax is served
locally by sphinx-mathjax-offline, explorer twins embed their frames).
"""
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _pages():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [ch["file"] for ch in part.get("chapters", [])]
    return files + ["index", "search"]


PAGES = _pages()

# The main text with code, explorer twins and scripts removed: what a reader reads.
PROSE_JS = """() => {
  const main = document.querySelector("main") || document.body;
  const c = main.cloneNode(true);
  c.querySelectorAll("pre, code, script, style, .lk-explorer, .cell_input, mjx-container,"
                     + " .highlight, textarea").forEach(e => e.remove());
  return c.innerText;
}"""

# TeX source shown as text: every text node of the page outside typeset math, code and
# scripts, matched against "$...$" and TeX control words ("\\sum_i", "\\ell_1", "\\frac{").
RAW_TEX_JS = r"""() => {
  const skip = "mjx-container, mjx-assistive-mml, pre, code, kbd, samp, script, style, "
             + "textarea, .highlight, .cell_input, .lk-explorer, .MathJax, math";
  const pats = [/\$[^$\s][^$]*\$/, /\\[A-Za-z]{2,}/, /\\[{}_^]/];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const hits = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest(skip)) continue;
    if (el.closest("[hidden], .d-none")) continue;
    const t = n.textContent;
    if (pats.some(p => p.test(t))) hits.push(t.trim().slice(0, 120));
  }
  return hits;
}"""

SCROLL_JS = """async () => {
  const step = Math.max(400, window.innerHeight - 100);
  for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
    window.scrollTo(0, y);
    await new Promise(r => setTimeout(r, 20));
  }
  window.scrollTo(0, 0);
}"""

BROKEN_IMAGES_JS = """async () => {
  const imgs = Array.from(document.images);
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => {
    i.addEventListener("load", r); i.addEventListener("error", r);
    setTimeout(r, 5000);
  })));
  return imgs.filter(i => !(i.complete && i.naturalWidth > 0))
             .map(i => (i.getAttribute("src") || "").slice(0, 80));
}"""

MATHJAX_DONE_JS = """async () => {
  if (!window.MathJax) return "no MathJax";
  for (let i = 0; i < 200 && !(MathJax.startup && MathJax.startup.promise); i++)
    await new Promise(r => setTimeout(r, 50));
  if (!(MathJax.startup && MathJax.startup.promise)) return "MathJax never started";
  await MathJax.startup.promise;
  return "ok";
}"""


def _src(page, uid):
    return page.get_attribute(f"#{uid}-img", "src")


@pytest.mark.parametrize("name", PAGES)
def test_page(name, html_dir, context, screenshot_dir):
    path = html_dir / f"{name}.html"
    assert path.is_file(), f"page {path} was not built"
    page = context.new_page()
    blocked, failed, errors = [], [], []

    def route(r):
        if r.request.url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and errors.append(
        f"console: {m.text} ({m.location.get('url', '')})"))
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.goto(path.as_uri(), wait_until="load")
    if name == "index":  # a redirect to the root page
        page.wait_for_url(re.compile(r".*/book/intro\.html$"), wait_until="load")

    # math: typeset, and no raw TeX delimiters left in the prose
    n_math = page.locator("main .math, main div.math, main span.math").count()
    if n_math:
        assert page.evaluate(MATHJAX_DONE_JS) == "ok"
        page.wait_for_function(
            "() => document.querySelectorAll('main mjx-container').length > 0")
        prose = page.evaluate(PROSE_JS)
        for delim in ("$$", "\\(", "\\[", "\\begin{"):
            assert delim not in prose, f"raw TeX {delim!r} left in the text of {name}"
        assert not page.locator("mjx-merror").count(), f"MathJax error on {name}"

    # no TeX source left as text anywhere on the page (a `|` that splits a table cell's
    # math, a bibtex title with $...$): checked on every page, math or not
    if n_math:
        page.wait_for_timeout(50)
    raw = page.evaluate(RAW_TEX_JS)
    assert not raw, f"TeX source shown as text on {name}: {raw[:5]}"

    # images: load the lazy ones by scrolling, then every <img> must have decoded
    page.evaluate(SCROLL_JS)
    broken = page.evaluate(BROKEN_IMAGES_JS)
    assert not broken, f"broken images on {name}: {broken}"

    # every explorer output became its static twin: no dead widget view, no bare repr
    assert not page.locator('script[type="application/vnd.jupyter.widget-view+json"]'
                            ).count(), f"a widget view (dead without a kernel) on {name}"
    assert "<Explorer " not in page.locator("main").inner_text(), \
        f"an explorer shown as plain text (no static twin) on {name}"

    # static explorer twins: every control moves the image
    twins = page.locator('.lk-explorer[data-lk-explorer="static"]')
    for t in range(twins.count()):
        uid = twins.nth(t).get_attribute("id")
        ranges = page.locator(f'#{uid} input[type="range"]')
        for i in range(ranges.count()):
            rng = ranges.nth(i)
            rng.scroll_into_view_if_needed()
            before = _src(page, uid)
            at_end = rng.input_value() == rng.get_attribute("max")
            rng.focus()
            page.keyboard.press("ArrowLeft" if at_end else "ArrowRight")
            after = _src(page, uid)
            assert after != before, f"slider {i} of explorer {uid} on {name} did nothing"
            # a slider's readout shares its control index: "<uid>-c<k>" -> "<uid>-o<k>"
            k = rng.get_attribute("id").rsplit("-c", 1)[1]
            readout = page.locator(f"#{uid}-o{k}").inner_text(timeout=5000)
            assert readout.strip(), f"empty value readout for slider {i} of {uid} on {name}"
        selects = page.locator(f"#{uid} select")
        for i in range(selects.count()):
            sel = selects.nth(i)
            n_opt = sel.locator("option").count()
            if n_opt < 2:
                continue
            before = _src(page, uid)
            cur = int(sel.input_value())
            sel.select_option(str((cur + 1) % n_opt))
            assert _src(page, uid) != before, f"select {i} of {uid} on {name} did nothing"

    # the first screen only: a full-page capture of the longest chapter (60,000 px tall)
    # took longer than any fixed timeout on a loaded 2-core machine (issue 23);
    # tests/browser/test_reader.py saves phone and desktop shots in both colour modes
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshot_dir / f"{name.replace('/', '_')}.png"), timeout=120_000)
    page.close()
    assert not blocked, f"{name} requested the network: {blocked}"
    assert not failed, f"failed requests on {name}: {failed}"
    assert not errors, f"console errors on {name}: {errors}"
