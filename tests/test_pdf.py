"""The PDF of the whole book (`make pdf`, issue 16), read as a reader gets it.

Checks ``_build/latex/lkcourse.pdf`` (or ``$LKCOURSE_PDF``) with poppler's command-line
tools: it opens, it has the title and every chapter title, at least one image in every
chapter, no unresolved reference ("??") and no raw TeX in the text outside code
listings, the explorers' "live version" captions; and the HTML book next to it carries
the PDF and links to it from every page. Skips, saying why, when the PDF was not built
(`make pdf`) or poppler is missing; `.ci/run` runs these tests with
``LKCOURSE_REQUIRE_PDF=1``, which turns those skips into failures.
"""
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PDF = Path(os.environ.get("LKCOURSE_PDF", ROOT / "_build" / "latex" / "lkcourse.pdf"))
HTML = ROOT / "_build" / "html"
CHAPTERS = sorted((ROOT / "book").glob("0*.ipynb"))
REQUIRE = os.environ.get("LKCOURSE_REQUIRE_PDF", "") not in ("", "0")


def _skip(reason):
    if REQUIRE:
        pytest.fail(reason + " (LKCOURSE_REQUIRE_PDF is set)")
    pytest.skip(reason)


def _run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def pdf():
    missing = [t for t in ("pdfinfo", "pdftotext", "pdfimages") if shutil.which(t) is None]
    if missing:
        _skip(f"poppler-utils not installed ({', '.join(missing)}): apt-get install poppler-utils")
    if not PDF.is_file():
        _skip(f"PDF not built: {PDF} is missing (run `make pdf`)")
    return PDF


@pytest.fixture(scope="module")
def text(pdf):
    return _run("pdftotext", "-enc", "UTF-8", str(pdf), "-")


def _flat(s):
    return re.sub(r"\s+", " ", s).strip()


def _title(nb_path):
    nb = json.loads(nb_path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise AssertionError(f"{nb_path.name} has no '# ' title")


def _chapter_pages(pdf):
    """{chapter number: (first page, last page)} from hyperref's named destinations."""
    dests = _run("pdfinfo", "-dests", str(pdf))
    starts = {}
    for m in re.finditer(r"^\s*(\d+)\s.*\"(chapter|part)\.(\d+)\"", dests, re.M):
        starts[(m.group(2), int(m.group(3)))] = int(m.group(1))
    pages = int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M).group(1))
    bounds = sorted(set(starts.values()) | {pages + 1})
    out = {}
    for (kind, n), first in starts.items():
        if kind == "chapter":
            out[n] = (first, min(b for b in bounds if b > first) - 1)
    return out


def test_pdf_opens_with_pages(pdf):
    info = _run("pdfinfo", str(pdf))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages >= 100, f"only {pages} pages: the whole book is expected"


def test_title_and_every_chapter_title(text):
    flat = _flat(text)
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert _flat(cfg["title"]) in flat, "book title missing"
    assert "Contents" in flat or "CONTENTS" in flat, "no table of contents"
    for nb in CHAPTERS:
        title = _flat(re.sub(r"[`*_]", "", _title(nb)))
        assert title in flat, f"chapter title {title!r} ({nb.name}) not in the PDF text"
    for back in ("Notation", "References", "Bibliography"):
        assert back in flat, f"back matter {back!r} missing"


def test_at_least_one_image_per_chapter(pdf):
    chapters = _chapter_pages(pdf)
    assert len(chapters) >= len(CHAPTERS), f"chapter destinations: {sorted(chapters)}"
    listing = _run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    image_pages = [int(l.split()[0]) for l in listing if l.split()[2] == "image"]
    for n in range(1, len(CHAPTERS) + 1):
        first, last = chapters[n]
        count = sum(first <= p <= last for p in image_pages)
        assert count >= 1, f"chapter {n} (pages {first}-{last}) has no image"


def test_no_unresolved_references(text):
    hits = [l.strip() for l in text.splitlines() if "??" in l]
    assert not hits, f"unresolved references ('??') in the PDF: {hits[:5]}"


def _code_corpus():
    """Everything that is code in the sources (whitespace removed): listings may quote TeX."""
    parts = []
    for nb in sorted((ROOT / "book").glob("*.ipynb")):
        for cell in json.loads(nb.read_text())["cells"]:
            if cell["cell_type"] == "code":
                parts.append("".join(cell["source"]))
    for md in (ROOT / "book").glob("*.md"):
        parts += re.findall(r"```[^\n{]*\n(.*?)```", md.read_text(), re.S)
    for py in (ROOT / "lkcourse").rglob("*.py"):
        parts.append(py.read_text())
    return re.sub(r"\s+", "", "\n".join(parts))


RAW_TEX = re.compile(r"\$[^$\n]*\\[A-Za-z]+[^$\n]*\$|\\(?:[A-Za-z]+)\{|\\begin\b|\\\(|\\\[")


def test_no_raw_tex_in_text(text):
    code = _code_corpus()
    bad = []
    for line in text.splitlines():
        if not RAW_TEX.search(line):
            continue
        squeezed = re.sub(r"\s+", "", line)
        # a code listing (possibly wrapped: compare its pieces) is code, not text
        pieces = [p for p in re.split(r"[↪…]", squeezed) if len(p) > 8]
        if pieces and all(p in code for p in pieces):
            continue
        bad.append(line.strip())
    assert not bad, f"raw TeX visible in the PDF text: {bad[:8]}"


def test_explorers_print_with_a_live_version_caption(text):
    n_explorers = sum(
        "lk.Explorer(" in "".join(c["source"]) or "_explorer(" in "".join(c["source"])
        for nb in CHAPTERS for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code")
    n_captions = _flat(text).count("Interactive explorer, printed at its starting values")
    assert n_explorers == 0 or n_captions >= 1, "explorers without the 'live version' caption"
    assert "<Explorer " not in text, "an explorer printed as its text repr instead of its frame"


def test_html_book_carries_and_links_the_pdf(pdf):
    if not (HTML / "book" / "intro.html").is_file():
        pytest.skip("HTML book not built (make book)")
    copy = HTML / pdf.name
    assert copy.is_file(), f"{copy} missing: `make pdf` copies the PDF into the HTML book"
    assert copy.read_bytes() == pdf.read_bytes(), f"{copy} is not the current PDF (rerun make pdf)"
    for page in [HTML / "book" / "intro.html"] + sorted((HTML / "book").glob("0*.html")):
        assert f'{pdf.name}"' in page.read_text(), f"{page.name} has no link to {pdf.name}"


def test_hidden_cells_stay_hidden(text):
    """No line of a remove-cell / remove-input cell is printed (they hold the checks)."""
    squeezed = re.sub(r"\s+", "", text)
    shown = []
    for nb in CHAPTERS:
        for i, cell in enumerate(json.loads(nb.read_text())["cells"]):
            tags = cell.get("metadata", {}).get("tags", [])
            if cell["cell_type"] != "code" or not {"remove-cell", "remove-input"} & set(tags):
                continue
            for line in "".join(cell["source"]).splitlines():
                if line.lstrip().startswith("assert ") and len(line.strip()) > 30:
                    if re.sub(r"\s+", "", line) in squeezed:
                        shown.append(f"{nb.name} cell {i}: {line.strip()[:80]}")
    assert not shown, f"hidden cells printed in the PDF: {shown[:5]}"
