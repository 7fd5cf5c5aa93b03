"""The live path: an explorer in JupyterLab, run by a real kernel, moved by a reader.

Starts ``jupyter lab`` from the venv on a free port with a random token, a temporary
root directory and temporary config/data/runtime/settings/workspace dirs (kernel specs
and lab extensions stay findable under the venv's share/jupyter), opens a notebook,
runs all cells, moves the explorer's first slider with the keyboard and checks that
the widget's image and readout change and that no output shows an error. Only
requests to 127.0.0.1/localhost are allowed; everything else is aborted and reported.

The notebook is a copy of chapter 1 when it contains an explorer (the real reader's
path), and a one-cell fixture notebook otherwise, so the test never depends on the
chapter's content.
"""
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JUPYTER = Path(sys.executable).with_name("jupyter")

NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": ["import lkcourse as lk\n",
                    "ex = lk.penalty_explorer(ks=[1, 2, 3], lams=[0.5, 1.0])\n",
                    "ex"]},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}


CHAPTER = ROOT / "book" / "01_overfitting.ipynb"


def _notebook():
    """(file name, notebook text): chapter 1 if it shows an explorer, else the fixture."""
    if CHAPTER.is_file():
        text = CHAPTER.read_text()
        cells = json.loads(text)["cells"]
        if any(c["cell_type"] == "code" and "_explorer(" in "".join(c["source"])
               for c in cells):
            return CHAPTER.name, text
    return "explorer.ipynb", json.dumps(NOTEBOOK)


MYST_NAME = "myst_markup.ipynb"
# MyST source that must never reach the reader as text
RAW_MYST = re.compile(r"(`{3,}|:{3,})\{[\w:-]+\}|\{(ref|numref|cite|cite:\w+|prf:ref|eq|doc)\}`"
                      r"|^:(label|class|name):", re.M)


def _myst_notebook():
    """The book's own MyST, in a few cells: the first exercise with its solution and
    the reader's cells, and the first cells using a proof, a dropdown, {ref}, {cite} and {prf:ref}
    (searched over every chapter, so the test follows the book's content)."""
    import sys as _sys
    _sys.path.insert(0, str(ROOT / "tests"))
    import chapter_checks as cc
    cells, kernelspec = [], None
    wanted = {"exercise": re.compile(r"\{exercise\}"), "proof": re.compile(r"\{prf:proof\}"),
              "dropdown": re.compile(r"`{3,}\{dropdown\}"),
              "ref": re.compile(r"\{ref\}`"), "cite": re.compile(r"\{cite(:\w+)?\}`"),
              "prf:ref": re.compile(r"\{prf:ref\}`")}
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        nb = cc.load(path)
        kernelspec = kernelspec or nb["metadata"].get("kernelspec")
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "markdown":
                continue
            text = "".join(cell["source"])
            for key, pat in list(wanted.items()):
                if pat.search(text):
                    del wanted[key]
                    if key == "exercise":       # the exercise, its reader cells, solution
                        block = [cell]
                        for nxt in nb["cells"][i + 1:i + 6]:
                            if nxt["cell_type"] == "markdown" and "{exercise}" in "".join(nxt["source"]):
                                break
                            block.append(nxt)
                        cells += block
                    elif cell not in cells:
                        cells.append(cell)
    clean = []
    for c in cells:
        c = dict(c, metadata={})
        if c["cell_type"] == "code":
            c.update(outputs=[], execution_count=None)
        clean.append(c)
    return {"cells": clean, "metadata": {"kernelspec": kernelspec or NOTEBOOK["metadata"]["kernelspec"]},
            "nbformat": 4, "nbformat_minor": 5}


def _shot_dir(fallback):
    """<html_dir>/../screenshots like the book pages' shots, else the test's tmp dir."""
    html = Path(os.environ.get("LKCOURSE_HTML_DIR", ROOT / "_build" / "html"))
    d = html.resolve().parent / "screenshots"
    if not d.parent.is_dir():
        return fallback
    d.mkdir(exist_ok=True)
    return d


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not JUPYTER.exists():
        pytest.skip(f"jupyter not found next to {sys.executable}")
    tmp_path = tmp_path_factory.mktemp("lab")
    root = tmp_path / "root"
    root.mkdir()
    name, text = _notebook()
    (root / name).write_text(text)
    (root / MYST_NAME).write_text(json.dumps(_myst_notebook()))
    env = dict(os.environ)
    for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
                     ("JUPYTERLAB_SETTINGS_DIR", "settings"), ("IPYTHONDIR", "ipython")):
        env[var] = str(tmp_path / sub)
    # JUPYTER_DATA_DIR left alone: the venv's share/jupyter is on the path either way
    env.pop("MPLBACKEND", None)
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    notif = tmp_path / "settings" / "@jupyterlab" / "apputils-extension"
    notif.mkdir(parents=True)
    (notif / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [str(JUPYTER), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--ServerApp.port_retries=0", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly", "--ServerApp.terminals_enabled=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers often run as root
        cmd.append("--allow-root")
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                            cwd=root)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    pytest.fail("jupyter lab did not start:\n"
                                + (tmp_path / "lab.log").read_text()[-3000:])
                time.sleep(0.3)
        yield base, token, tmp_path / "lab.log", name
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_explorer_widget_moves_in_jupyterlab(lab, context):
    base, token, logfile, name = lab
    page = context.new_page()
    blocked, errors = [], []

    def route(r):
        url = r.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "http://localhost",
                           "data:", "blob:")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(f"{e} {(e.stack or '')[:400]}"))
    page.goto(f"{base}/lab/tree/{name}?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # wait for the kernel before running
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=60_000)
    prompt = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").first
    # Run > Run All Cells; the menu can miss a click while the page settles, so
    # check that the cell started (prompt [*] or [1]) and try again if not
    for attempt in range(4):
        page.locator(".jp-Notebook .jp-Cell .jp-InputPrompt").first.click()
        page.keyboard.press("Escape")
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            page.wait_for_function(
                "(el) => /\\[(\\*|\\d+)\\]/.test(el.textContent)", arg=prompt.element_handle(),
                timeout=5_000)
            break
        except Exception:
            page.keyboard.press("Escape")
    else:
        pytest.fail("Run > Run All Cells did not start the cell")

    widget = page.locator(".lk-explorer-widget")
    try:
        # attached first: JupyterLab's windowing hides cells scrolled out of view, and
        # on a loaded machine Run All does not always scroll to the running cell
        widget.wait_for(state="attached", timeout=120_000)
        widget.scroll_into_view_if_needed()
        widget.wait_for(timeout=60_000)
    except Exception:
        page.screenshot(path=str(_shot_dir(logfile.parent) / "jupyterlab_failed.png"))
        raise
    img = widget.locator("img")
    img.wait_for()
    page.wait_for_function(
        "() => { const i = document.querySelector('.lk-explorer-widget img');"
        " return i && i.complete && i.naturalWidth > 0; }")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=60_000)
    before = img.get_attribute("src")
    readout = widget.locator(".widget-readout").first
    value_before = readout.inner_text().strip()
    handle = widget.locator(".noUi-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(b) => { const i = document.querySelector('.lk-explorer-widget img');"
        " return i && i.getAttribute('src') !== b; }", arg=before, timeout=20_000)
    value_after = readout.inner_text().strip()
    assert value_after and value_after != value_before, \
        f"slider readout {value_before!r} -> {value_after!r} after one step"
    outputs = page.eval_on_selector_all(".jp-OutputArea-output",
                                        "els => els.map(e => e.textContent)")
    bad = [o[:300] for o in outputs
           if "Traceback" in o or re.search(r"\b[A-Z]\w*(Error|Exception):", o)]
    assert not bad, f"error output in the notebook: {bad}"
    # textContent, not innerText: JupyterLab skips rendering cells scrolled out of view
    prompts = page.eval_on_selector_all(".jp-CodeCell .jp-InputPrompt",
                                        "els => els.map(e => e.textContent)")
    not_run = [i for i, p in enumerate(prompts) if not re.search(r"\[\d+\]", p)]
    assert not not_run, f"code cells {not_run} of {name} did not run"
    assert not page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']").count()
    page.screenshot(path=str(_shot_dir(logfile.parent) / "jupyterlab_explorer.png"))
    page.close()
    assert not blocked, f"JupyterLab requested the network: {blocked}"
    # jupyterlab-myst renders markdown cells with its own widget; JupyterLab's cell
    # toolbar then fails its "does the toolbar overlap the rendered markdown" check
    # (_markdownOverlapsToolbar reads the standard renderer's node). Harmless to the
    # reader (the toolbar just stays where it is); every other page error fails.
    # jupyterlab-myst also asks the session for a kernel while a notebook is opening
    # ("Session has no kernel") on a slow machine; the kernel then starts and every cell
    # above ran, so that race is not a reader-visible error either.
    errors = [e for e in errors if "_markdownOverlapsToolbar" not in e
              and not e.startswith("Session has no kernel")]
    assert not errors, f"uncaught page errors: {errors}"


def test_myst_renders_in_jupyterlab_solutions_folded(lab, context):
    """JupyterLab shows the book's MyST as the book does (jupyterlab-myst): exercises
    titled, every solution folded, proofs and references rendered; no directive or role
    source ("```{solution}", "{ref}`...`", ":label:") in what the reader sees."""
    base, token, logfile, _ = lab
    page = context.new_page()
    tex_errors = []
    page.on("console", lambda m: tex_errors.extend(
        line[:160] for line in m.text.splitlines()
        if re.search(r"Undefined control sequence|KaTeX parse error|ParseError", line)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
        ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) else r.abort())
    # A workspace of its own, reset: the default workspace remembers the chapter the other
    # test opened, and that notebook's cells (in a hidden tab, never rendered) would be
    # read along with these.
    page.goto(f"{base}/lab/workspaces/lkcourse-myst/tree/{MYST_NAME}?reset&token={token}")
    page.wait_for_selector(".jp-Notebook .jp-MarkdownCell", timeout=60_000)
    assert page.locator(".jp-NotebookPanel").count() == 1, "another notebook is open"
    cells = page.locator(".jp-Notebook .jp-MarkdownCell")
    # rendered: no markdown cell shows its editor, and MyST has drawn the exercise
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.jp-MarkdownCell .jp-InputArea-editor'))"
        ".every(e => e.offsetParent === null)", timeout=60_000)
    page.wait_for_function("() => /Exercise/.test(document.querySelector('.jp-Notebook')"
                           ".innerText)", timeout=60_000)
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    # jupyterlab-myst renders cell by cell, asynchronously: on a loaded machine the last
    # cells can still show their source for a while. Wait (up to 60 s) until no cell shows
    # MyST source; without jupyterlab-myst the wait times out and the assert below fails.
    try:
        page.wait_for_function(
            "(src) => { const re = new RegExp(src, 'm'); return Array.from("
            "document.querySelectorAll('.jp-Notebook .jp-MarkdownCell'))"
            ".every(c => !re.test(c.innerText)); }", arg=RAW_MYST.pattern, timeout=60_000)
    except PlaywrightTimeoutError:
        pass
    page.wait_for_timeout(500)
    # JupyterLab renders only the cells near the viewport: bring each into view (as a
    # reader scrolling would) and give jupyterlab-myst a moment before reading it.
    shown = []
    for i in range(cells.count()):
        try:
            cells.nth(i).scroll_into_view_if_needed(timeout=3000)
        except PlaywrightTimeoutError:   # a cell JupyterLab keeps hidden (collapsed)
            pass
        for _ in range(20):
            text = cells.nth(i).inner_text()
            if not RAW_MYST.search(text):
                break
            page.wait_for_timeout(500)
        shown.append(text)
    try:
        n_markdown = sum(c["cell_type"] == "markdown" for c in _myst_notebook()["cells"])
        assert len(shown) == n_markdown, f"{len(shown)} markdown cells shown, {n_markdown} expected"
        raw = [m.group(0) for t in shown for m in RAW_MYST.finditer(t)]
        assert not raw, f"raw MyST shown in JupyterLab (is jupyterlab-myst installed?): {raw[:5]}"
        text = "\n".join(shown)
        assert re.search(r"\bExercise\b", text), "no rendered exercise title"
        sols = page.locator(".jp-MarkdownCell details")
        assert sols.count() >= 1, "no folded solution (a <details>) in the rendered exercise"
        for i in range(sols.count()):
            d = sols.nth(i)
            assert d.get_attribute("open") is None, "a solution is shown unfolded"
            body = d.locator(":scope > :not(summary)").first
            assert not body.count() or not body.is_visible(), "a folded solution's body is visible"
        assert page.locator(".jp-MarkdownCell .katex, .jp-MarkdownCell mjx-container").count(), \
            "math is not typeset"
        assert not tex_errors, f"math that KaTeX cannot typeset: {tex_errors[:3]}"
    except AssertionError:
        page.screenshot(path=str(_shot_dir(logfile.parent) / "jupyterlab_myst_failed.png"))
        raise
    page.screenshot(path=str(_shot_dir(logfile.parent) / "jupyterlab_myst.png"))
    page.close()
