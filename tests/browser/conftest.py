"""Browser tests: the built book and JupyterLab in a real (headless) Chromium.

Uses the system Chromium through Playwright (from the venv): ``$LKCOURSE_CHROMIUM``, or
Debian's /usr/bin/chromium when it is unset;
Playwright's own browser download (``playwright install``) is never used. Tests skip
with a clear reason when Chromium, Playwright or the built book is missing.

The book is read from ``$LKCOURSE_HTML_DIR`` (default ``_build/html`` of the repo);
screenshots go to ``<html_dir>/../screenshots/``.
"""
import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("LKCOURSE_CHROMIUM") or "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@pytest.fixture(scope="session")
def html_dir():
    d = Path(os.environ.get("LKCOURSE_HTML_DIR", ROOT / "_build" / "html")).resolve()
    if not (d / "index.html").is_file():
        pytest.skip(f"built book not found: {d / 'index.html'} is missing "
                    "(run `make book`, or set LKCOURSE_HTML_DIR to a built html dir)")
    return d


@pytest.fixture(scope="session")
def screenshot_dir(html_dir):
    d = html_dir.parent / "screenshots"
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"chromium not found at {CHROMIUM}: apt-get install chromium, "
                    "or set LKCOURSE_CHROMIUM to a Chromium binary")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright not installed in the venv")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                               headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    # generous: on a loaded 2-core machine a long chapter takes seconds to lay out; a
    # timeout here means "hung", never "slow" (issue 23)
    ctx.set_default_timeout(60_000)
    try:
        yield ctx
    finally:
        ctx.close()
